"""Per-state rules: Type, allowed fields, Next/End, Pass, Wait, Fail, Parallel."""

from typing import Any

import pytest

from tests.definition.helpers import PASS_END, at, machine, one, only, problems


def test_type_is_required() -> None:
    (problem,) = at(one({"End": True}), "/States/S")
    assert problem.message == "The field 'Type' is required but was missing"


def test_type_must_be_known() -> None:
    (problem,) = at(one({"Type": "Sleep", "End": True}), "/States/S/Type")
    assert problem.message.startswith("Value should be one of the following: [Task,")
    assert "StartExecution" in problem.message


def test_without_a_type_fields_no_state_has_are_still_reported() -> None:
    found = problems(one({"StartAt": "z", "States": {"w": 1}}))
    assert {p.location for p in found} == {
        "/States/S",
        "/States/S/StartAt",
        "/States/S/States",
        "",  # and so the machine has no terminal state
    }


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ({"Type": "Pass", "End": True, "Catch": []}, "Catch"),
        ({"Type": "Pass", "End": True, "TimeoutSeconds": 5}, "TimeoutSeconds"),
        ({"Type": "Pass", "End": True, "ResultSelector": {}}, "ResultSelector"),
        ({"Type": "Wait", "Seconds": 1, "End": True, "Retry": []}, "Retry"),
        ({"Type": "Succeed", "Assign": {}}, "Assign"),
        ({"Type": "Succeed", "Next": "S"}, "Next"),
        ({"Type": "Fail", "End": True}, "End"),
        ({"Type": "Fail", "InputPath": "$"}, "InputPath"),
        ({"Type": "Choice", "Choices": [], "End": True}, "End"),
        (
            {"Type": "Parallel", "Branches": [], "End": True, "TimeoutSeconds": 1},
            "TimeoutSeconds",
        ),
    ],
)
def test_fields_a_state_type_does_not_support(
    state: dict[str, Any], field: str
) -> None:
    found = at(one(state), f"/States/S/{field}")
    assert found, state
    assert found[0].message.startswith(f"Field '{field}' is not supported by ")


def test_next_and_end_are_exclusive() -> None:
    doc = machine({"A": {"Type": "Pass", "Next": "B", "End": True}, "B": PASS_END})
    problem = only(doc)
    assert problem.location == "/States/A/End"
    assert problem.message.startswith("Only one of 'Next', 'End' may be given")


def test_next_or_end_is_required() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "B"}],
        "Default": "C",
    }
    doc = machine({"A": choice, "B": {"Type": "Pass"}, "C": {"Type": "Succeed"}})
    problem = only(doc)
    assert problem.location == "/States/B"
    assert problem.message.startswith("Either 'Next' or 'End' is required")


def test_end_must_be_a_boolean() -> None:
    assert at(one({"Type": "Pass", "End": "true"}), "/States/S/End")[0].message == (
        "Expected value of type [BOOLEAN]"
    )


def test_comment_must_be_a_string() -> None:
    assert only(one({"Type": "Pass", "End": True, "Comment": 1})).location == (
        "/States/S/Comment"
    )


def test_pass_takes_any_result_and_parameters() -> None:
    for value in ("text", [1], {"a": 1}, None, 3):
        assert problems(one({"Type": "Pass", "Result": value, "End": True})) == []
        assert problems(one({"Type": "Pass", "Parameters": value, "End": True})) == []


def test_parallel_needs_branches() -> None:
    assert only(one({"Type": "Parallel", "End": True})).message == (
        "The field 'Branches' is required but was missing"
    )
    empty = only(one({"Type": "Parallel", "Branches": [], "End": True}))
    assert empty.location == "/States/S/Branches"
    bad = only(one({"Type": "Parallel", "Branches": [[]], "End": True}))
    assert (bad.location, bad.message) == (
        "/States/S/Branches/0",
        "Expected value of type [OBJECT]",
    )


def test_a_branch_is_validated_recursively_and_takes_no_query_language() -> None:
    branch = {
        "QueryLanguage": "JSONata",
        "StartAt": "B",
        "States": {"B": {"Type": "Pass"}},
    }
    found = problems(one({"Type": "Parallel", "Branches": [branch], "End": True}))
    assert {p.location for p in found} == {
        "/States/S/Branches/0/QueryLanguage",
        "/States/S/Branches/0/States/B",
    }


def test_wait_needs_exactly_one_duration() -> None:
    none = only(one({"Type": "Wait", "End": True}))
    assert none.message.startswith("A Wait state needs exactly one of 'Seconds'")
    two = only(one({"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True}))
    assert two.location == "/States/S/SecondsPath"


def test_wait_seconds_is_a_non_negative_integer() -> None:
    assert problems(one({"Type": "Wait", "Seconds": 0, "End": True})) == []
    assert only(one({"Type": "Wait", "Seconds": -1, "End": True})).message == (
        "Minimum value is 0"
    )
    assert only(one({"Type": "Wait", "Seconds": 1.5, "End": True})).message == (
        "Expected value of type [INTEGER]"
    )


@pytest.mark.parametrize(
    "stamp",
    ["2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123Z", "2016-03-14T01:59:00+05:30"],
)
def test_wait_accepts_rfc3339_timestamps(stamp: str) -> None:
    assert problems(one({"Type": "Wait", "Timestamp": stamp, "End": True})) == []


@pytest.mark.parametrize(
    "stamp",
    [
        "2016-13-05T21:29:29Z",
        "05-12-2016T21:29:29Z",
        "2016-12-05T25:29:29Z",
        "2016-12-05 21:29:29Z",
        "2016-12-05T21:29:29",
        "2016-02-30T00:00:00Z",
        "{% '2016-03-14T01:59:00Z' %}",
    ],
)
def test_wait_refuses_other_timestamps(stamp: str) -> None:
    problem = only(one({"Type": "Wait", "Timestamp": stamp, "End": True}))
    assert problem.location == "/States/S/Timestamp"
    assert problem.message.startswith("The value must be an RFC 3339 timestamp")


def test_wait_paths_must_select_one_value() -> None:
    problem = only(one({"Type": "Wait", "SecondsPath": "$.a[*]", "End": True}))
    assert problem.location == "/States/S/SecondsPath"
    assert "must select a single value" in problem.message


def test_fail_static_and_dynamic_fields_are_exclusive() -> None:
    problem = only(one({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}))
    assert problem.location == "/States/S/ErrorPath"
    assert problem.message.startswith("Only one of 'Error', 'ErrorPath' may be given")
    assert only(one({"Type": "Fail", "Cause": "c", "CausePath": "$.c"})).location == (
        "/States/S/CausePath"
    )


def test_fail_paths_may_be_intrinsic_calls() -> None:
    doc = one(
        {"Type": "Fail", "ErrorPath": "States.Format('{}', $.e)", "CausePath": "$c"}
    )
    assert problems(doc) == []
    bad = only(one({"Type": "Fail", "CausePath": "cause"}))
    assert bad.message.startswith(
        "The value for the field 'CausePath' must be a valid JSONPath or a valid "
        "intrinsic function call"
    )


def test_fail_error_must_be_a_string() -> None:
    assert only(one({"Type": "Fail", "Error": 5})).location == "/States/S/Error"
