"""One history shape (AWS's) in `run -o json` and `replay`; JSON, never Python's
None or reprs, wherever values are printed."""

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import FAIL_MACHINE, PASS_MACHINE, Statum, write_json

BARE_FAIL = {"StartAt": "F", "States": {"F": {"Type": "Fail"}}}


@pytest.mark.parametrize("machine", [PASS_MACHINE, FAIL_MACHINE])
def test_run_and_replay_of_one_journal_print_the_same(
    statum: Statum, tmp_path: Path, machine: dict[str, Any]
) -> None:
    write_json(tmp_path / "m.json", machine)
    ran = statum(
        "run",
        "m.json",
        "--input",
        '{"name": "Ada"}',
        "--journal-out",
        "j.jsonl",
        "-o",
        "json",
    )
    assert ran.code in (0, 1), ran.err
    doc = ran.json()
    assert set(doc) == {"status", "output", "error", "cause", "tracebacks", "history"}
    for event in doc["history"]:
        assert {"id", "previousEventId", "timestamp", "type"} <= set(event)
    assert statum("replay", "j.jsonl", "-o", "json").json() == doc
    assert statum("replay", "j.jsonl", "--history").json() == doc["history"]


def test_replay_state_prints_the_whole_rebuilt_state(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "m.json", PASS_MACHINE)
    statum("run", "m.json", "--journal-out", "j.jsonl", "--input", '{"name": "A"}')
    state = statum("replay", "j.jsonl", "--state").json()
    assert state["status"] == "SUCCEEDED"
    assert "execution_id" in state


def test_text_output_never_prints_none(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "bare.json", BARE_FAIL)
    ran = statum("run", "bare.json", "--journal-out", "j.jsonl")
    assert ran.code == 1
    assert "status: FAILED" in ran.out
    assert "None" not in ran.out
    assert "error:" not in ran.out  # nothing to show: left out
    replayed = statum("replay", "j.jsonl", "-o", "text")
    assert "None" not in replayed.out
    doc = statum("run", "bare.json", "-o", "json").json()
    assert doc["error"] is None  # JSON's null


def test_test_problems_are_json_not_python_reprs(
    statum: Statum, tmp_path: Path
) -> None:
    case = {
        "definition": {
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}},
        },
        "expected": {"status": "SUCCEEDED", "output": {"ok": None}},
    }
    write_json(tmp_path / "case.json", case)
    result = statum("test", "case.json")
    assert result.code == 1
    assert 'output {"ok":true}, expected {"ok":null}' in result.out
    assert "True" not in result.out
    assert "None" not in result.out


def test_a_handler_calling_sys_exit_is_named_without_none(
    statum: Statum, tmp_path: Path
) -> None:
    (tmp_path / "exiting.py").write_text(
        "import sys\n"
        "from statum.core.engine.registry import handler\n"
        "handler('bye')(lambda event: sys.exit())\n"
    )
    write_json(
        tmp_path / "m.json",
        {
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "python:bye", "End": True}},
        },
    )
    result = statum("run", "m.json", "--handlers", "exiting")
    # The task fails, or the CLI explains that the run stopped; either way no None.
    assert result.code == 1
    assert "None" not in result.err + result.out
