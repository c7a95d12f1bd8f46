"""`statum run`: the live trace on a terminal, `-q`, and `--virtual-clock`."""

import json
import os
import pty
import subprocess
from datetime import datetime
from pathlib import Path

from tests.cli.conftest import COMMAND, REPO, Statum, write_json

ONE_HOUR_WAIT = {
    "StartAt": "Nap",
    "States": {
        "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}

FLAKY_HANDLERS = """
from statum.core.engine.registry import handler

calls = []


@handler("flaky")
def flaky(task_input):
    calls.append(1)
    if len(calls) == 1:
        raise RuntimeError("not yet")
    return {"attempts": len(calls)}
"""

RETRY_MACHINE = {
    "StartAt": "T",
    "States": {
        "T": {
            "Type": "Task",
            "Resource": "python:flaky",
            "Retry": [
                {
                    "ErrorEquals": ["States.ALL"],
                    "IntervalSeconds": 600,
                    "MaxAttempts": 2,
                }
            ],
            "End": True,
        }
    },
}


def run_on_a_terminal(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal; stdout stays a pipe."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    proc = subprocess.Popen(
        [*COMMAND, *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closes (EIO) when the command exits
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    code = proc.wait(timeout=120)
    return code, out, b"".join(chunks).decode(errors="replace")


def order_args() -> list[str]:
    return [
        "run",
        "examples/order.asl.json",
        "--handlers",
        "examples.handlers",
        "--input",
        "@examples/order-input.json",
    ]


def test_a_terminal_gets_a_coloured_trace_of_every_state() -> None:
    code, out, err = run_on_a_terminal(*order_args(), cwd=REPO)
    assert code == 0, err
    for state in ("PriceLines", "PriceLine", "Total", "CheckTotal", "Charge", "Done"):
        assert state in err
    assert " ms" in err  # each state's time
    assert "SUCCEEDED" in err
    assert "\x1b[" in err  # colour
    # stdout is only the result, without escape codes
    assert out.startswith("status: SUCCEEDED")
    assert "\x1b[" not in out
    assert "PriceLine" not in out


def test_quiet_turns_the_trace_off() -> None:
    code, out, err = run_on_a_terminal(*order_args(), "-q", cwd=REPO)
    assert code == 0
    assert "PriceLine" not in err
    assert "status: SUCCEEDED" in out


def test_no_trace_when_stderr_is_not_a_terminal(statum: Statum) -> None:
    result = statum(*order_args(), cwd=REPO)
    assert result.code == 0
    assert result.err == ""


def timestamps(history: list[dict[str, object]]) -> list[datetime]:
    return [datetime.fromisoformat(str(e["timestamp"])) for e in history]


def test_a_virtual_clock_waits_without_taking_the_time(
    statum: Statum, tmp_path: Path
) -> None:
    # Without the virtual clock this run takes an hour (and the test times out).
    write_json(tmp_path / "wait.json", ONE_HOUR_WAIT)
    result = statum("run", "wait.json", "--virtual-clock", "-o", "json")
    assert result.code == 0, result.err
    history = result.json()["history"]
    times = timestamps(history)
    assert (times[-1] - times[0]).total_seconds() >= 3600
    # It starts at the real time, not at a fixed date.
    assert abs((datetime.now(times[0].tzinfo) - times[0]).total_seconds()) < 3600


def test_a_virtual_clock_skips_retry_backoffs(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "retry.json", RETRY_MACHINE)
    (tmp_path / "flaky_handlers.py").write_text(FLAKY_HANDLERS)
    result = statum(
        "run",
        "retry.json",
        "--handlers",
        "flaky_handlers",
        "--virtual-clock",
        "-o",
        "json",
    )
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["output"] == {"attempts": 2}
    times = timestamps(doc["history"])
    assert (times[-1] - times[0]).total_seconds() >= 600


def test_the_trace_shows_virtual_time(tmp_path: Path) -> None:
    write_json(tmp_path / "wait.json", ONE_HOUR_WAIT)
    code, out, err = run_on_a_terminal(
        "run", "wait.json", "--virtual-clock", cwd=tmp_path
    )
    assert code == 0, err
    assert "Nap" in err
    assert "1 h 0 min" in err
    assert json.dumps("status") not in err  # the result stays on stdout
    assert "status: SUCCEEDED" in out
