"""`statum run DEFINITION`: results, the journal, and every kind of bad input."""

import json
from pathlib import Path

import pytest

from tests.cli.conftest import (
    FAIL_MACHINE,
    INVALID_MACHINE,
    PASS_MACHINE,
    Statum,
    write_json,
)

HANDLERS = """
from pathlib import Path

from statum.core.engine.registry import handler


@handler("double")
def double(task_input):
    return {"value": task_input["value"] * 2}


@handler("side-effect")
def side_effect(task_input):
    Path("side-effect.txt").write_text("the handler ran")
    return task_input


@handler("not-json")
def not_json(task_input):
    return object()
"""


def task_machine(resource: str) -> dict[str, object]:
    return {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": resource, "End": True}},
    }


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    write_json(tmp_path / "fail.json", FAIL_MACHINE)
    write_json(tmp_path / "invalid.json", INVALID_MACHINE)
    (tmp_path / "my_handlers.py").write_text(HANDLERS)
    return tmp_path


def test_a_successful_run_prints_status_and_output(
    statum: Statum, workdir: Path
) -> None:
    result = statum("run", "pass.json", "--input", '{"name": "Ada"}')
    assert result.code == 0, result.err
    assert "status: SUCCEEDED" in result.out
    assert '"greeting":"Hello, Ada!"' in result.out
    assert result.err == ""


def test_input_from_a_file(statum: Statum, workdir: Path) -> None:
    write_json(workdir / "in.json", {"name": "Grace"})
    result = statum("run", "pass.json", "--input", "@in.json", "-o", "json")
    assert result.code == 0, result.err
    assert result.json()["output"] == {"greeting": "Hello, Grace!"}


def test_json_output_has_the_result_and_the_history(
    statum: Statum, workdir: Path
) -> None:
    result = statum("run", "pass.json", "--input", '{"name": "Ada"}', "-o", "json")
    assert result.code == 0, result.err
    doc = result.json()
    assert set(doc) == {"status", "output", "error", "cause", "tracebacks", "history"}
    assert doc["status"] == "SUCCEEDED"
    assert doc["error"] is None
    assert doc["cause"] is None
    history = doc["history"]
    assert [e["type"] for e in history] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    # AWS's shape, as `replay` prints it: details objects, JSON texts, timestamps.
    for number, event in enumerate(history, start=1):
        assert event["id"] == number
        assert isinstance(event["previousEventId"], int)
        assert isinstance(event["timestamp"], str)
    assert history[1]["stateEnteredEventDetails"]["name"] == "Greet"
    output = history[-1]["executionSucceededEventDetails"]["output"]
    assert json.loads(output) == {"greeting": "Hello, Ada!"}


def test_handlers_run_tasks(statum: Statum, workdir: Path) -> None:
    write_json(workdir / "task.json", task_machine("python:double"))
    result = statum(
        "run", "task.json", "--handlers", "my_handlers", "--input", '{"value": 21}'
    )
    assert result.code == 0, result.err
    assert '"value":42' in result.out


def test_a_failed_execution_exits_1_and_still_writes_its_journal(
    statum: Statum, workdir: Path
) -> None:
    result = statum("run", "fail.json", "--journal-out", "j.jsonl", "-o", "json")
    assert result.code == 1
    doc = result.json()
    assert doc["status"] == "FAILED"
    assert doc["error"] == "Order.Rejected"
    assert doc["cause"] == "too big"
    assert doc["history"][-1]["type"] == "ExecutionFailed"
    lines = (workdir / "j.jsonl").read_text().splitlines()
    assert len(lines) >= 4
    assert all(json.loads(line)["t"] for line in lines)


def test_a_runtime_expression_error_fails_the_execution(
    statum: Statum, workdir: Path
) -> None:
    write_json(
        workdir / "expr.json",
        {
            "QueryLanguage": "JSONata",
            "StartAt": "A",
            "States": {"A": {"Type": "Pass", "Output": "{% $nope(1) %}", "End": True}},
        },
    )
    result = statum("run", "expr.json", "--journal-out", "j.jsonl")
    assert result.code == 1
    assert "status: FAILED" in result.out
    assert "States.QueryEvaluationError" in result.out
    assert (workdir / "j.jsonl").stat().st_size > 0


def test_an_invalid_definition_lists_its_problems(
    statum: Statum, workdir: Path
) -> None:
    result = statum("run", "invalid.json")
    assert result.code == 1
    assert "invalid.json: the definition is invalid" in result.err
    assert "MISSING_TRANSITION_TARGET" in result.err
    assert "at /StartAt" in result.err
    assert result.out == ""


def test_an_expression_syntax_error_is_an_invalid_definition(
    statum: Statum, workdir: Path
) -> None:
    write_json(
        workdir / "syntax.json",
        {
            "StartAt": "A",
            "States": {
                "A": {
                    "Type": "Pass",
                    "Parameters": {"x.$": "States.Format('{}', "},
                    "End": True,
                }
            },
        },
    )
    result = statum("run", "syntax.json")
    assert result.code == 1
    assert "the definition is invalid" in result.err
    assert "/States/A/Parameters" in result.err


def test_a_definition_that_is_not_json(statum: Statum, workdir: Path) -> None:
    (workdir / "broken.json").write_text('{"StartAt": "A",\n "States": ')
    result = statum("run", "broken.json")
    assert result.code == 1
    assert "not valid JSON" in result.err
    assert "line 2" in result.err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.json"], ["missing.json: no such file"]),
        (["."], ["is a directory", "definition file"]),
        (
            ["pass.json", "--input", "{name: 1}"],
            ["--input", "not valid JSON", "line 1, column 2"],
        ),
        (["pass.json", "--input", ""], ["--input", "empty"]),
        (["pass.json", "--input", "@nowhere.json"], ["nowhere.json: no such file"]),
        (["pass.json", "--input", "@."], ["is a directory"]),
        (["pass.json", "--input", "@"], ["file name after @"]),
        (["pass.json", "--name", "a b"], ["--name", "not allowed"]),
        (["pass.json", "--name", ""], ["--name", "1 to 80"]),
        (["pass.json", "--journal-out", "."], ["--journal-out", "is a directory"]),
        (["pass.json", "--journal-out", "no/such/dir/j.jsonl"], ["does not exist"]),
        (["pass.json", "--journal-out", "pass.json"], ["would be overwritten"]),
        (
            ["pass.json", "--handlers", "no_such_module"],
            ["no module named", "PYTHONPATH"],
        ),
        (
            ["pass.json", "--handlers", "/nowhere/my_handlers.py"],
            ["outside the current directory"],
        ),
        (["pass.json", "--handlers", "my-handlers"], ["module name"]),
    ],
)
def test_bad_input_is_one_clear_usage_error(
    statum: Statum, workdir: Path, args: list[str], words: list[str]
) -> None:
    result = statum("run", *args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("statum:") == 1
    for word in words:
        assert word in result.err


def test_an_input_over_the_payload_limit(statum: Statum, workdir: Path) -> None:
    write_json(workdir / "big.json", {"blob": "x" * (256 * 1024)})
    result = statum("run", "pass.json", "--input", "@big.json")
    assert result.code == 2
    assert "over the limit" in result.err
    assert "256 KiB" in result.err


def test_a_handler_module_that_fails_to_import(statum: Statum, workdir: Path) -> None:
    (workdir / "broken_handlers.py").write_text("raise RuntimeError('no config')\n")
    result = statum("run", "pass.json", "--handlers", "broken_handlers")
    assert result.code == 2
    assert "RuntimeError: no config" in result.err
    assert "broken_handlers.py, line 1" in result.err


def test_arguments_are_checked_before_any_handler_runs(
    statum: Statum, workdir: Path
) -> None:
    write_json(workdir / "task.json", task_machine("python:side-effect"))
    result = statum(
        "run", "task.json", "--handlers", "my_handlers", "--journal-out", "no/dir/j"
    )
    assert result.code == 2
    assert not (workdir / "side-effect.txt").exists()


def test_a_handler_returning_something_that_is_not_json(
    statum: Statum, workdir: Path
) -> None:
    write_json(workdir / "task.json", task_machine("python:not-json"))
    result = statum("run", "task.json", "--handlers", "my_handlers")
    assert result.code == 1
    # Either the engine fails the task, or the CLI explains what went wrong.
    assert "FAILED" in result.out or "JSON" in result.err


def test_a_task_without_a_handler_is_refused_before_anything_runs(
    statum: Statum, workdir: Path
) -> None:
    write_json(workdir / "task.json", task_machine("python:unregistered"))
    result = statum("run", "task.json", "--journal-out", "run.jsonl")
    assert result.code == 1
    assert result.out == ""
    assert "python:unregistered" in result.err
    assert "nothing was run" in result.err
    assert "Traceback" not in result.err
    assert not (workdir / "run.jsonl").exists()


@pytest.mark.parametrize("resource", ["python:os:system", "python:builtins:eval"])
def test_a_definition_cannot_run_code_the_host_did_not_name(
    statum: Statum, workdir: Path, resource: str
) -> None:
    write_json(workdir / "task.json", task_machine(resource))
    result = statum("run", "task.json", "--input", '"echo pwned"')
    assert result.code == 1
    assert "allow-listed" in result.err
    assert "pwned" not in result.out


@pytest.mark.parametrize("spelling", ["hmod.py", "./hmod.py", "hmod"])
def test_handlers_by_module_or_file_mean_the_same(
    statum: Statum, workdir: Path, spelling: str
) -> None:
    (workdir / "hmod.py").write_text(
        "from statum.core.engine import handler\n\n"
        "@handler('shout')\n"
        "def shout(event):\n    return event.upper()\n\n"
        "def whisper(event):\n    return event.lower()\n"
    )
    machine = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Task", "Resource": "python:shout", "Next": "B"},
            "B": {"Type": "Task", "Resource": "python:hmod:whisper", "End": True},
        },
    }
    write_json(workdir / "m.json", machine)
    result = statum(
        "run", "m.json", "--handlers", spelling, "--input", '"Hi"', "-o", "json"
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["output"] == "hi"


def test_the_definition_from_stdin(statum: Statum, workdir: Path) -> None:
    result = statum(
        "run", "-", "--input", '{"name": "stdin"}', stdin=json.dumps(PASS_MACHINE)
    )
    assert result.code == 0, result.err
    assert "Hello, stdin!" in result.out


FAILING_HANDLER = (
    "from statum.core.engine import handler\n\n"
    "@handler('charge')\n"
    "def charge(event):\n"
    "    raise LookupError('card ' + event['card'] + ' unknown')\n"
)


def test_debug_prints_the_failed_handlers_traceback(
    statum: Statum, workdir: Path
) -> None:
    (workdir / "failing.py").write_text(FAILING_HANDLER)
    write_json(workdir / "m.json", task_machine("python:charge"))
    args = ("run", "m.json", "--handlers", "failing", "--input", '{"card": "x1"}')
    plain = statum(*args)
    assert plain.code == 1
    assert "LookupError" in plain.out
    assert "Traceback" not in plain.err
    assert "--debug prints its traceback" in plain.err
    debug = statum(*args, "--debug")
    assert "Traceback (most recent call last)" in debug.err
    assert "failing.py" in debug.err
    assert "raise LookupError" in debug.err


def test_json_output_keeps_tracebacks_apart_from_the_aws_history(
    statum: Statum, workdir: Path
) -> None:
    (workdir / "failing.py").write_text(FAILING_HANDLER)
    write_json(workdir / "m.json", task_machine("python:charge"))
    result = statum(
        "run",
        "m.json",
        "--handlers",
        "failing",
        "--input",
        '{"card": "x1"}',
        "-o",
        "json",
    )
    document = json.loads(result.out)
    [failure] = document["tracebacks"]
    assert failure["error"] == "LookupError"
    assert "raise LookupError" in failure["traceback"]
    assert "Traceback" not in json.dumps(document["history"])
