"""`statum test CASE_FILE_OR_DIR...`: golden cases, the table and the report."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import PASS_MACHINE, REPO, Statum, write_json
from tests.conformance.corpus import CORPUS

# Recorded against AWS: a FAILED execution and a SUCCEEDED one with their events,
# a Choice case without events, and a JSONata Map with events.
CORPUS_CASES = [
    "assign_test_assign_base.py_TestAssignBase_test_assign_in_choice[CONDITION_FALSE]",
    "assign_test_assign_base.py_TestAssignBase_test_assign_in_choice[CONDITION_TRUE]",
    "choice_operators_test_is_operators.py_TestIsOperators_test_is_boolean_cases[1].output",
    "evaluate_jsonata_test_base_evaluate_expressions.py_TestBaseEvaluateJsonata_test_base_map[ITEMS]",
]

FAILING_CASE = {
    "id": "crafted/expects-the-wrong-output",
    "definition": PASS_MACHINE,
    "input": {"name": "Ada"},
    "expected": {"status": "SUCCEEDED", "output": {"greeting": "Hello, Bob!"}},
}


def corpus_file(stem: str) -> Path:
    # Corpus files end in a content hash: `<stem>.<hash>.json`.
    found = sorted((CORPUS / "pure").glob(f"{glob_escape(stem)}.*.json"))
    if not found:
        pytest.skip(f"the conformance corpus has no case {stem}")
    return found[0]


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "[]*?" else c for c in text)


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for stem in CORPUS_CASES:
        shutil.copy(corpus_file(stem), folder)
    return folder


def read_report(path: Path) -> list[dict[str, Any]]:
    report = json.loads(path.read_text())
    assert set(report) == {"cases"}
    cases: list[dict[str, Any]] = report["cases"]
    return cases


def test_passing_corpus_cases_exit_0(statum: Statum, cases: Path) -> None:
    result = statum("test", "cases")
    assert result.code == 0, result.out + result.err
    assert result.out.count("PASS") == len(CORPUS_CASES)
    assert f"{len(CORPUS_CASES)} passed, 0 failed" in result.out


def test_a_failing_case_and_the_report(statum: Statum, cases: Path) -> None:
    write_json(cases / "mine.json", FAILING_CASE)
    result = statum("test", "cases", "--report", "report.json")
    assert result.code == 1
    assert f"{len(CORPUS_CASES)} passed, 1 failed" in result.out
    assert "FAIL  history:-     crafted/expects-the-wrong-output" in result.out
    assert "Hello, Bob!" in result.out  # the problem is shown under the row

    report = read_report(cases.parent / "report.json")
    assert len(report) == len(CORPUS_CASES) + 1
    by_id = {case["id"]: case for case in report}
    mine = by_id["crafted/expects-the-wrong-output"]
    assert mine["passed"] is False
    assert mine["actual"]["output"] == {"greeting": "Hello, Ada!"}
    for case in report:
        assert {"id", "passed", "actual"} <= set(case)
        actual = case["actual"]
        assert set(actual) == {"status", "output", "error", "cause", "events"}
        for event in actual["events"]:
            assert {"id", "previousEventId", "type"} <= set(event)
            assert "timestamp" not in event  # the flattened shape of expected.events
    passed = [case["passed"] for case in report if case["id"] != mine["id"]]
    assert all(passed)


def test_the_history_is_compared_with_the_expected_events(
    statum: Statum, cases: Path
) -> None:
    source = corpus_file(CORPUS_CASES[1])
    case = json.loads(source.read_text())
    case["id"] = "crafted/wrong-event"
    case["expected"]["events"][1]["type"] = "TaskStateEntered"
    write_json(cases / "wrong-event.json", case)
    result = statum("test", "cases/wrong-event.json", "-q")
    assert result.code == 1
    assert "FAIL  history:DIFF  crafted/wrong-event" in result.out
    assert "TaskStateEntered" in result.out


def test_quiet_prints_failures_and_totals_only(statum: Statum, cases: Path) -> None:
    write_json(cases / "mine.json", FAILING_CASE)
    result = statum("test", "cases", "-q")
    assert result.code == 1
    assert "PASS" not in result.out
    assert "FAIL" in result.out


def test_broken_case_files_fail_but_the_others_still_run(
    statum: Statum, cases: Path
) -> None:
    (cases / "broken.json").write_text('{"definition": ')
    write_json(cases / "not-a-case.json", {"definition": PASS_MACHINE})
    result = statum("test", "cases", "--report", "report.json")
    assert result.code == 1
    assert "broken.json: not valid JSON" in result.err
    assert "line 1" in result.err
    assert "not-a-case.json: not a golden case" in result.err
    assert "'expected'" in result.err
    report = read_report(cases.parent / "report.json")
    assert len(report) == len(CORPUS_CASES) + 2
    assert sum(case["passed"] for case in report) == len(CORPUS_CASES)


def test_the_example_cases_with_their_handlers(statum: Statum) -> None:
    result = statum(
        "test", "examples/cases", "--handlers", "examples.handlers", cwd=REPO
    )
    assert result.code == 0, result.out + result.err
    assert "0 failed" in result.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nowhere", "nothere.json"], ["nowhere, nothere.json: no such file"]),
        (["empty"], ["no case files"]),
        (["cases", "--report", "no/such/dir/r.json"], ["--report", "does not exist"]),
        (["cases", "--report", "cases"], ["--report", "is a directory"]),
        (["cases", "--handlers", "no_such_module"], ["--handlers", "no module named"]),
    ],
)
def test_usage_errors(
    statum: Statum, cases: Path, args: list[str], words: list[str]
) -> None:
    (cases.parent / "empty").mkdir()
    result = statum("test", *args)
    assert result.code == 2
    assert result.out == ""  # nothing ran
    for word in words:
        assert word in result.err
