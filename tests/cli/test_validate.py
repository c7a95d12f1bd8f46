"""`statum validate FILE...`: every problem with its location; 0, 1 or 2."""

import json
from pathlib import Path

from tests.cli.conftest import INVALID_MACHINE, PASS_MACHINE, Statum, write_json


def test_valid_definitions_exit_0(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", PASS_MACHINE)
    write_json(tmp_path / "b.json", PASS_MACHINE)
    result = statum("validate", "a.json", "b.json")
    assert result.code == 0
    assert result.out.splitlines() == ["a.json: valid", "b.json: valid"]
    assert result.err == ""


def test_every_problem_is_printed_with_its_location(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "ok.json", PASS_MACHINE)
    write_json(tmp_path / "bad.json", INVALID_MACHINE)
    result = statum("validate", "ok.json", "bad.json")
    assert result.code == 1
    assert "ok.json: valid" in result.out
    assert "bad.json: invalid (" in result.out
    # The missing StartAt target, A's missing Next/End, and no terminal state.
    assert "MISSING_TRANSITION_TARGET" in result.out
    assert "at /StartAt" in result.out
    assert "at /States/A" in result.out
    assert "MISSING_END_STATE" in result.out


def test_broken_json_is_reported_with_line_and_column(
    statum: Statum, tmp_path: Path
) -> None:
    (tmp_path / "broken.json").write_text('{\n  "StartAt": "A",\n  "States": {,}\n}')
    result = statum("validate", "broken.json")
    assert result.code == 1
    assert "INVALID_JSON" in result.out
    assert "line 3, column 14" in result.out


def test_an_expression_syntax_error_is_a_located_problem(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(
        tmp_path / "expr.json",
        {
            "QueryLanguage": "JSONata",
            "StartAt": "A",
            "States": {"A": {"Type": "Pass", "Output": "{% 1 + %}", "End": True}},
        },
    )
    result = statum("validate", "expr.json")
    assert result.code == 1
    assert "INVALID_JSONATA_EXPRESSION" in result.out
    assert "at /States/A/Output" in result.out


def test_unreadable_files_are_usage_errors_but_the_rest_is_still_checked(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "bad.json", INVALID_MACHINE)
    (tmp_path / "folder").mkdir()
    result = statum("validate", "missing.json", "folder", "bad.json")
    assert result.code == 2
    assert "missing.json: no such file" in result.err
    assert "folder: is a directory" in result.err
    assert "bad.json: invalid" in result.out


def test_json_output(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "ok.json", PASS_MACHINE)
    write_json(tmp_path / "bad.json", INVALID_MACHINE)
    result = statum("validate", "-o", "json", "ok.json", "bad.json")
    assert result.code == 1
    report = result.json()
    assert [(r["file"], r["valid"]) for r in report] == [
        ("ok.json", True),
        ("bad.json", False),
    ]
    problem = report[1]["problems"][0]
    assert set(problem) == {"location", "message", "code"}


def test_stdin(statum: Statum) -> None:
    result = statum("validate", "-", stdin=json.dumps(PASS_MACHINE))
    assert result.code == 0
    assert "-: valid" in result.out


def test_stdin_can_be_read_only_once(statum: Statum) -> None:
    result = statum("validate", "-", "-", stdin="{}")
    assert result.code == 2
    assert "only once" in result.err


def _tasks(*resources: str) -> dict[str, object]:
    names = [f"T{n}" for n in range(len(resources))]
    states: dict[str, object] = {}
    for n, resource in enumerate(resources):
        state: dict[str, object] = {"Type": "Task", "Resource": resource}
        if n + 1 < len(resources):
            state["Next"] = names[n + 1]
        else:
            state["End"] = True
        states[names[n]] = state
    return {"StartAt": names[0], "States": states}


def test_a_resource_that_imports_unlisted_code_is_a_located_problem(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "d.json", _tasks("python:greet", "python:os:system"))
    result = statum("validate", "d.json", "-o", "json")
    assert result.code == 1
    [report] = json.loads(result.out)
    assert [(p["location"], p["code"]) for p in report["problems"]] == [
        ("/States/T1/Resource", "UNKNOWN_RESOURCE")
    ]
    assert "allow-listed" in report["problems"][0]["message"]


def test_with_handlers_every_unserved_resource_is_a_problem(
    statum: Statum, tmp_path: Path
) -> None:
    (tmp_path / "hs.py").write_text(
        "from statum.core.engine import handler\n\n"
        "@handler('greet')\ndef greet(event):\n    return event\n\n"
        "def helper(event):\n    return event\n"
    )
    write_json(
        tmp_path / "d.json",
        _tasks("python:greet", "python:hs:helper", "python:typo", "python:hs:nope"),
    )
    result = statum("validate", "d.json", "--handlers", "hs.py")
    assert result.code == 1
    assert "/States/T2/Resource" in result.out
    assert "no handler is registered as 'typo'" in result.out
    assert "/States/T3/Resource" in result.out
    assert "/States/T0/" not in result.out
    assert "/States/T1/" not in result.out
