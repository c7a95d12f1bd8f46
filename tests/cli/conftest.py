"""Run the real `statum` console script in a subprocess, as a user would."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
_SCRIPT = Path(sys.executable).with_name("statum")
# The console script pip installed next to this interpreter; `python -m` when the
# tests run from an interpreter without one.
COMMAND = (
    [str(_SCRIPT)]
    if _SCRIPT.exists()
    else [sys.executable, "-m", "statum.adapters.cli.main"]
)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Statum = Callable[..., Result]


def user_env() -> dict[str, str]:
    """The environment of a user's `statum`: only what the command line names may
    matter, so no PYTHONPATH that would make a handler module importable from
    anywhere, and no debug tracebacks."""
    return {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "STATUM_DEBUG")
    }


def run_statum(*args: str, cwd: Path, stdin: str | None = None) -> Result:
    env = user_env()
    proc = subprocess.run(
        [*COMMAND, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    # Whatever the input, the user never sees a Python traceback, unless they ask
    # for their handlers' with --debug.
    if "--debug" not in args:
        assert "Traceback" not in result.err, result.err
    if "json" not in args:  # -o json keeps handlers' tracebacks under a key of its own
        assert "Traceback" not in result.out, result.out
    return result


@pytest.fixture
def statum(tmp_path: Path) -> Statum:
    """`statum(*args)` runs the CLI in tmp_path and returns its exit code and output."""

    def call(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Result:
        return run_statum(*args, cwd=cwd or tmp_path, stdin=stdin)

    return call


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value))
    return path


PASS_MACHINE = {
    "StartAt": "Greet",
    "States": {
        "Greet": {
            "Type": "Pass",
            "Parameters": {"greeting.$": "States.Format('Hello, {}!', $.name)"},
            "End": True,
        }
    },
}

FAIL_MACHINE = {
    "StartAt": "Check",
    "States": {
        "Check": {"Type": "Pass", "Next": "Reject"},
        "Reject": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "too big"},
    },
}

INVALID_MACHINE = {
    "StartAt": "Missing",
    "States": {"A": {"Type": "Pass"}},
}
