"""A run stopped by SIGTERM (a service manager) or SIGINT (Ctrl-C) keeps its journal."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from statum.core.interpreter.codec import decode_journal
from statum.core.interpreter.evolve import fold
from tests.cli.conftest import COMMAND

WAITING = {
    "StartAt": "First",
    "States": {
        "First": {"Type": "Task", "Resource": "python:mark", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 600, "End": True},
    },
}
# A handler that leaves a file behind: the test knows the run is under way.
MARKING = (
    "from pathlib import Path\n"
    "from statum.core.engine import handler\n\n"
    "@handler('mark')\n"
    "def mark(event):\n"
    "    Path('started').touch()\n"
    "    return event\n"
)


@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [
        (signal.SIGTERM, 128 + signal.SIGTERM, "terminated"),
        (signal.SIGINT, 130, "interrupted"),
    ],
)
def test_a_stopped_run_keeps_its_journal(
    tmp_path: Path, signum: int, code: int, word: str
) -> None:
    (tmp_path / "m.json").write_text(json.dumps(WAITING))
    (tmp_path / "marking.py").write_text(MARKING)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen(
        [
            *COMMAND,
            "run",
            "m.json",
            "--handlers",
            "marking",
            "--journal-out",
            "j.jsonl",
            "-q",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # past the handler, waiting in Nap
    process.send_signal(signum)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    assert f"statum: {word}" in err
    assert "Traceback" not in err
    journal = decode_journal((tmp_path / "j.jsonl").read_bytes())
    state = fold(journal)
    assert state.status == "RUNNING"
    assert [f.state for f in state.frames.values()] == ["Nap"]
