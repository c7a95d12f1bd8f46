"""Runs one attack as a user would, through the `statum` command in a subprocess
held to the issue's bar: a memory cap, a timeout, no traceback, the expected end,
and a journal that replays to the same result."""

import resource
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from tests.attacks.catalogue import Attack
from tests.cli.conftest import COMMAND, user_env

MEMORY_CAP_BYTES = 4 * 1024**3
TIMEOUT_SECONDS = 20.0
_HANDLERS = Path(__file__).with_name("hostile_handlers.py")


@dataclass
class Outcome:
    code: int
    seconds: float
    peak_rss_mb: float
    out: str
    err: str

    def json(self) -> Any:
        try:
            return msgspec.json.decode(self.out)
        except (msgspec.DecodeError, RecursionError):
            raise AssertionError(
                f"exit {self.code}, no JSON result: {self.err[-2000:]}"
            ) from None


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))


def statum(*args: str, cwd: Path) -> Outcome:
    env = user_env()
    started = time.perf_counter()
    with open(cwd / "stdout", "wb") as out, open(cwd / "stderr", "wb") as err:
        process = subprocess.Popen(
            [*COMMAND, *args],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            preexec_fn=_capped,
        )
        try:
            process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(
                f"statum {' '.join(args)} ran past {TIMEOUT_SECONDS} s"
            ) from None
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Outcome(
        process.returncode,
        seconds,
        usage.ru_maxrss / 1024,
        (cwd / "stdout").read_text(errors="replace"),
        (cwd / "stderr").read_text(errors="replace"),
    )


def attack(case: Attack, workdir: Path) -> Outcome:
    """Run `case` in `workdir` and check everything the bar asks; returns the run."""
    definition = case.definition
    (workdir / "machine.json").write_bytes(
        definition if isinstance(definition, bytes) else msgspec.json.encode(definition)
    )
    given = case.make_input()
    text = given if isinstance(given, bytes) else msgspec.json.encode(given)
    (workdir / "input.json").write_bytes(text)
    shutil.copy(_HANDLERS, workdir / "hostile_handlers.py")
    run = statum(
        "run",
        "machine.json",
        "--input",
        "@input.json",
        "--handlers",
        "hostile_handlers",
        "--journal-out",
        "journal.jsonl",
        "-q",
        "-o",
        "json",
        *case.args,
        cwd=workdir,
    )
    assert "Traceback" not in run.err, run.err[-3000:]
    if case.outcome == "refused":
        assert run.code == 2, (run.code, run.err[-2000:])
        assert all(word in run.err for word in case.says), run.err[-2000:]
        return run
    if case.outcome == "invalid":
        assert run.code == 1, (run.code, run.err[-2000:], run.out[:2000])
        assert "invalid" in run.err, run.err[-2000:]
        return run
    assert run.code in (0, 1), (run.code, run.err[-2000:])
    result = run.json()
    if case.outcome == "succeeded":
        assert (run.code, result["status"]) == (0, "SUCCEEDED"), (
            result.get("error"),
            str(result.get("cause"))[:500],
        )
    else:
        assert run.code == 1, result["status"]
        assert result.get("error") in case.errors, (
            result["status"],
            result.get("error"),
            str(result.get("cause"))[:500],
        )
        for word in case.says:
            assert word in (result.get("cause") or ""), result.get("cause")
    replayed = statum("replay", "journal.jsonl", "-o", "json", cwd=workdir)
    assert "Traceback" not in replayed.err, replayed.err[-3000:]
    assert replayed.code == 0, replayed.err[-2000:]
    again = replayed.json()
    for key in ("status", "error", "cause", "output"):
        assert again.get(key) == result.get(key), key
    return run
