"""The golden-case matcher: users' cases compare exactly; the AWS recorder's
conventions hold only in the aws-recorded dialect."""

from typing import Any

import pytest

from statum.core.engine.golden import (
    AWS_RECORDED,
    EXACT,
    Matcher,
    _compare_events,
    case_dialect,
    run_case,
)
from statum.core.engine.loading import load_program

# (expected, actual): equal only under the recorder's conventions.
RECORDER_ONLY = [
    ("Hello, <name>!", "Hello, Ada!"),
    ("arn:<partition>:states:<region>:1:x", "arn:aws:states:local:1:x"),
    ("date", "2024-01-02T03:04:05.678Z"),
    ("timestamp", 1700000000),
    ({"a": 1}, '{"a": 1}'),  # the recorder decoded JSON texts
]


@pytest.mark.parametrize(("expected", "actual"), RECORDER_ONLY)
def test_recorder_masks_match_only_in_the_recorded_dialect(
    expected: Any, actual: Any
) -> None:
    assert Matcher([], AWS_RECORDED).equal(expected, actual)
    assert not Matcher([], EXACT).equal(expected, actual)


@pytest.mark.parametrize("dialect", [EXACT, AWS_RECORDED])
def test_listed_placeholders_match_in_both_dialects(dialect: str) -> None:
    matcher = Matcher(["<id>", "ANY"], dialect)
    assert matcher.equal("ANY", {"whatever": 1})
    assert matcher.equal("order-<id>", "order-42")
    assert not matcher.equal("order-<id>", "invoice-42")


@pytest.mark.parametrize("dialect", [EXACT, AWS_RECORDED])
def test_plain_values_compare_as_json(dialect: str) -> None:
    matcher = Matcher([], dialect)
    assert matcher.equal({"a": [1, "x", None]}, {"a": [1, "x", None]})
    assert not matcher.equal({"a": 1}, {"a": 1, "b": 2})
    assert not matcher.equal(True, 1)
    assert not matcher.equal("x", "y")


def test_an_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown dialect"):
        Matcher([], "loose")


SORTED_EVENTS: list[dict[str, Any]] = [
    {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
    {"id": [0], "previousEventId": [0], "type": "PassStateEntered", "name": "B"},
]
ACTUAL_EVENTS: list[dict[str, Any]] = [
    {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
    {"id": 2, "previousEventId": 1, "type": "PassStateEntered", "name": "A"},
    {"id": 3, "previousEventId": 2, "type": "PassStateEntered", "name": "B"},
]


def test_extra_events_are_tolerated_only_in_the_recorded_dialect() -> None:
    assert (
        _compare_events(SORTED_EVENTS, ACTUAL_EVENTS, Matcher([], AWS_RECORDED)) == []
    )
    assert _compare_events(SORTED_EVENTS, ACTUAL_EVENTS, Matcher([], EXACT))


def test_the_dialect_of_a_case() -> None:
    assert case_dialect({"definition": {}}) == EXACT
    assert case_dialect({"provenance": {"repo": "x"}}) == AWS_RECORDED
    assert case_dialect({"provenance": {}, "dialect": EXACT}) == EXACT
    assert case_dialect({"dialect": AWS_RECORDED}) == AWS_RECORDED


STAMP_CASE = {
    "definition": {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Pass",
                "Parameters": {"at.$": "$$.Execution.StartTime"},
                "End": True,
            }
        },
    },
    "expected": {"status": "SUCCEEDED", "output": {"at": "date"}},
}


def test_a_users_case_is_compared_exactly_and_a_corpus_case_is_not() -> None:
    assert not run_case(STAMP_CASE, load_program).passed
    assert run_case({**STAMP_CASE, "provenance": {}}, load_program).passed
    assert run_case(STAMP_CASE, load_program, dialect=AWS_RECORDED).passed
