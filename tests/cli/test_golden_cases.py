"""`statum test`: definitions by path, dialects, `--record`, and the corpus folders
with their known differences."""

import json
from pathlib import Path

import pytest

from tests.cli.conftest import FAIL_MACHINE, PASS_MACHINE, Statum, write_json
from tests.conformance.corpus import CORPUS

GREETING_CASE = {
    "input": {"name": "Ada"},
    "expected": {"status": "SUCCEEDED", "output": {"greeting": "Hello, Ada!"}},
}


def test_a_definition_named_by_a_path_relative_to_the_case(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "flow.json", PASS_MACHINE)
    (tmp_path / "cases").mkdir()
    write_json(
        tmp_path / "cases" / "greet.json",
        {**GREETING_CASE, "definition": "../flow.json"},
    )
    # Run from elsewhere: the path is the case file's, not the working directory's.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = statum("test", "../cases/greet.json", cwd=elsewhere)
    assert result.code == 0, result.out + result.err
    assert "1 passed, 0 failed" in result.out


def test_a_definition_path_that_does_not_exist(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "case.json", {**GREETING_CASE, "definition": "nope.json"})
    result = statum("test", "case.json")
    assert result.code == 1
    assert "nope.json: no such file" in result.err
    assert "INVALID_JSON" not in result.out + result.err


MASKED_CASE = {
    "definition": PASS_MACHINE,
    "input": {"name": "Ada"},
    "expected": {"status": "SUCCEEDED", "output": {"greeting": "Hello, <name>!"}},
}


def test_users_cases_compare_exactly_unless_they_ask_otherwise(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "masked.json", MASKED_CASE)
    assert statum("test", "masked.json").code == 1
    assert statum("test", "masked.json", "--dialect", "aws-recorded").code == 0
    write_json(tmp_path / "own.json", {**MASKED_CASE, "dialect": "aws-recorded"})
    assert statum("test", "own.json").code == 0
    write_json(tmp_path / "bad.json", {**MASKED_CASE, "dialect": "loose"})
    bad = statum("test", "bad.json")
    assert bad.code == 1
    assert "'dialect' must be one of" in bad.err


def test_record_writes_a_case_that_then_passes(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "flow.json", PASS_MACHINE)
    (tmp_path / "cases").mkdir()
    recorded = statum(
        "test",
        "--record",
        "cases/greet.json",
        "flow.json",
        "--input",
        '{"name": "Ada"}',
    )
    assert recorded.code == 0, recorded.err
    assert "recorded SUCCEEDED" in recorded.out
    case = json.loads((tmp_path / "cases" / "greet.json").read_text())
    assert case["definition"] == "../flow.json"
    assert case["input"] == {"name": "Ada"}
    assert case["expected"]["status"] == "SUCCEEDED"
    assert case["expected"]["output"] == {"greeting": "Hello, Ada!"}
    types = [e["type"] for e in case["expected"]["events"]]
    assert types[0] == "ExecutionStarted"
    assert types[-1] == "ExecutionSucceeded"
    assert "provenance" not in case  # a user's case: compared exactly

    again = statum("test", "cases/greet.json")
    assert again.code == 0, again.out
    assert "history:ok" in again.out

    # The case refers to the definition, so a changed definition is caught.
    changed = json.loads(json.dumps(PASS_MACHINE).replace("Hello", "Goodbye"))
    write_json(tmp_path / "flow.json", changed)
    assert statum("test", "cases/greet.json").code == 1


def test_record_a_failing_execution(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "fail.json", FAIL_MACHINE)
    recorded = statum("test", "--record", "case.json", "fail.json", "--name", "n1")
    assert recorded.code == 0, recorded.err
    case = json.loads((tmp_path / "case.json").read_text())
    assert case["name"] == "n1"
    assert case["expected"]["error"] == "Order.Rejected"
    assert case["expected"]["cause"] == "too big"
    assert "output" not in case["expected"]
    assert statum("test", "case.json").code == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], ["give case files or directories"]),
        (["--record", "c.json"], ["--record", "exactly one definition"]),
        (["--record", "c.json", "a.json", "b.json"], ["exactly one definition"]),
        (["--record", "c.json", "missing.json"], ["missing.json: no such file"]),
        (["--record", "no/dir/c.json", "flow.json"], ["--record", "does not exist"]),
        (["--record", "c.json", "flow.json", "--input", "{x"], ["--input", "JSON"]),
        (["flow.json", "--input", "{}"], ["--input is for --record only"]),
    ],
)
def test_record_usage_errors(
    statum: Statum, tmp_path: Path, args: list[str], words: list[str]
) -> None:
    write_json(tmp_path / "flow.json", PASS_MACHINE)
    result = statum("test", *args)
    assert result.code == 2, result.out + result.err
    for word in words:
        assert word in result.err
    assert not (tmp_path / "c.json").exists()


def corpus_folder(category: str) -> Path:
    folder = CORPUS / category
    if not folder.is_dir():
        pytest.skip(f"the conformance corpus has no {category} folder beside the repo")
    return folder


def test_the_pure_corpus_is_green_with_its_known_differences(statum: Statum) -> None:
    result = statum("test", str(corpus_folder("pure")))
    assert result.code == 0, result.out[-3000:]
    totals = result.out.splitlines()[-1]
    assert " 0 failed" in totals
    assert "known differences" in totals
    assert "skipped" in totals
    assert "KNOWN history:DIFF" in result.out
    assert "known history difference: recorded before November 2024" in result.out
    assert "SKIP" in result.out


@pytest.mark.parametrize("category", ["lambda", "sfn_nested"])
def test_lambda_and_nested_corpus_cases_run_from_the_cli(
    statum: Statum, category: str
) -> None:
    folder = corpus_folder(category)
    result = statum("test", str(folder), "-q")
    assert result.code == 0, result.out[-3000:]
    totals = result.out.splitlines()[-1]
    assert " 0 failed" in totals
    passed = int(totals.split(" passed")[0])
    known = int(totals.split(", ")[2].split(" known")[0])
    assert passed + known == len(list(folder.glob("*.json")))


def test_a_known_difference_that_is_not_the_one_listed_still_fails(
    statum: Statum, tmp_path: Path
) -> None:
    # A case listed for its history: a wrong output is not excused by the list.
    known = json.loads(
        (
            Path(__file__).resolve().parents[2] / "adapters/cli/known_differences.json"
        ).read_text()
    )["cases"]
    case_id = next(
        i
        for i, k in known.items()
        if k["difference"] == "history" and k["category"] == "pure"
    )
    source = next(
        p
        for p in corpus_folder("pure").glob("*.json")
        if json.loads(p.read_text())["id"] == case_id
    )
    case = json.loads(source.read_text())
    assert statum("test", str(source)).code == 0
    case["expected"]["status"] = (
        "FAILED" if case["expected"]["status"] != "FAILED" else "SUCCEEDED"
    )
    write_json(tmp_path / "changed.json", case)
    result = statum("test", "changed.json")
    assert result.code == 1
    assert "FAIL" in result.out
