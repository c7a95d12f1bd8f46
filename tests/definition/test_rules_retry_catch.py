"""Retriers and catchers."""

from typing import Any

import pytest

from statum.core.definition.problems import MISSING_TRANSITION_TARGET
from tests.definition.helpers import machine, one, only, problems


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": "python:app.work", "End": True, **fields}


def with_catch(*catchers: dict[str, Any], language: str = "JSONPath") -> dict[str, Any]:
    return machine(
        {"T": task(Catch=list(catchers)), "Handled": {"Type": "Succeed"}},
        QueryLanguage=language,
    )


def test_a_full_retrier_is_valid() -> None:
    retrier = {
        "ErrorEquals": ["States.Timeout", "Custom"],
        "IntervalSeconds": 1,
        "MaxAttempts": 0,
        "BackoffRate": 1.5,
        "MaxDelaySeconds": 10,
        "JitterStrategy": "FULL",
        "Comment": "why",
    }
    assert problems(one(task(Retry=[retrier, {"ErrorEquals": ["States.ALL"]}]))) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("IntervalSeconds", 0, "Minimum value is 1"),
        ("IntervalSeconds", 1.5, "Expected value of type [INTEGER]"),
        ("MaxAttempts", -1, "Minimum value is 0"),
        ("MaxAttempts", 100_000_000, "Maximum value is 99999999"),
        ("BackoffRate", 0.5, "Minimum value is 1"),
        ("BackoffRate", "2", "Expected value of type [NUMBER]"),
        ("MaxDelaySeconds", 0, "Minimum value is 1"),
        (
            "JitterStrategy",
            "PARTIAL",
            "Value should be one of the following: [FULL, NONE]",
        ),
    ],
)
def test_retrier_limits(field: str, value: Any, message: str) -> None:
    retrier = {"ErrorEquals": ["States.ALL"], field: value}
    problem = only(one(task(Retry=[retrier])))
    assert (problem.location, problem.message) == (
        f"/States/S/Retry/0/{field}",
        message,
    )


def test_error_equals_is_a_non_empty_list_of_strings() -> None:
    missing = only(one(task(Retry=[{"MaxAttempts": 1}])))
    assert (missing.location, missing.message) == (
        "/States/S/Retry/0",
        "The field 'ErrorEquals' is required but was missing",
    )
    empty = only(one(task(Retry=[{"ErrorEquals": []}])))
    assert empty.message.startswith("ErrorEquals must name at least one error")
    typed = only(one(task(Retry=[{"ErrorEquals": [True]}])))
    assert typed.location == "/States/S/Retry/0/ErrorEquals/0"


def test_states_all_is_alone_and_last() -> None:
    alone = only(one(task(Retry=[{"ErrorEquals": ["States.ALL", "Custom"]}])))
    assert alone.message.startswith("'States.ALL' must appear alone in ErrorEquals")
    last = only(
        one(task(Retry=[{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Custom"]}]))
    )
    assert (last.location, last.message) == (
        "/States/S/Retry/0/ErrorEquals",
        "A retrier matching 'States.ALL' must be the last one; move it to the end",
    )


def test_unknown_retrier_fields() -> None:
    problem = only(one(task(Retry=[{"ErrorEquals": ["X"], "Backoff": 2}])))
    assert problem.location == "/States/S/Retry/0/Backoff"


def test_retry_and_catch_must_be_arrays_of_objects() -> None:
    assert only(one(task(Retry={}))).message == "Expected value of type [ARRAY]"
    assert only(one(task(Catch=["x"]))).location == "/States/S/Catch/0"


def test_a_catcher_needs_next_to_an_existing_state() -> None:
    found = problems(with_catch({"ErrorEquals": ["States.ALL"]}))
    assert (
        "/States/T/Catch/0",
        "The field 'Next' is required but was missing",
    ) in [(p.location, p.message) for p in found]
    found = problems(with_catch({"ErrorEquals": ["States.ALL"], "Next": "Ghost"}))
    target = [p for p in found if p.location == "/States/T/Catch/0/Next"]
    assert target[0].code == MISSING_TRANSITION_TARGET
    assert target[0].message.startswith("Missing 'Next' target: Ghost")


def test_catcher_result_path_is_a_reference_path() -> None:
    ok = {"ErrorEquals": ["States.ALL"], "Next": "Handled", "ResultPath": "$.error"}
    assert problems(with_catch(ok)) == []
    for bad in ("$$.Execution", "$error", "error", "$.a[*]"):
        catcher = ok | {"ResultPath": bad}
        problem = only(with_catch(catcher))
        assert problem.location == "/States/T/Catch/0/ResultPath", bad


def test_catcher_fields_follow_the_query_language() -> None:
    jsonata = {"ErrorEquals": ["States.ALL"], "Next": "Handled", "Output": "{% 1 %}"}
    assert problems(with_catch(jsonata, language="JSONata")) == []
    assert only(with_catch(jsonata)).location == "/States/T/Catch/0/Output"
    jsonpath = {"ErrorEquals": ["States.ALL"], "Next": "Handled", "ResultPath": "$.e"}
    assert only(with_catch(jsonpath, language="JSONata")).location == (
        "/States/T/Catch/0/ResultPath"
    )


def test_catch_is_only_for_task_parallel_map() -> None:
    doc = one(
        {"Type": "Pass", "End": True, "Catch": [{"ErrorEquals": ["X"], "Next": "S"}]}
    )
    assert only(doc).message.startswith("Field 'Catch' is not supported by Pass states")
