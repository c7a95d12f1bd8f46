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
        "First": {"Type": "Pass", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 600, "End": True},
    },
}


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
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen(
        [*COMMAND, "run", "m.json", "--journal-out", "j.jsonl", "-q"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)  # started, and waiting in Nap
    process.send_signal(signum)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    assert f"statum: {word}" in err
    assert "Traceback" not in err
    journal = decode_journal((tmp_path / "j.jsonl").read_bytes())
    state = fold(journal)
    assert state.status == "RUNNING"
    assert [f.state for f in state.frames.values()] == ["Nap"]
