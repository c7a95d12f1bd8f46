"""A `*Path` field that selects a value of the wrong type: one mechanism, AWS's
two families of wording (statum.core.language.pathvalues).

Recorded: scenarios/test_base_scenarios.py::...::test_max_concurrency_path[NoNumber],
[max_concurrency_value0], test_map_state_tolerated_failure_count_path[NoNumber],
[tolerated_failure_count_value0], [-1]; base/test_wait.py::...::
test_base_wait_seconds_path[1.5], [-1.5], [-1].
"""

from typing import Any

import pytest

from statum.core.language import pathvalues
from tests.engine.helpers import branch, machine, run

PREFIX = (
    "An error occurred while executing the state 'M' (entered at the event id #2). "
)


def _map(field: str, value: Any, **extra: Any) -> Any:
    state = {
        "Type": "Map",
        "End": True,
        "ItemsPath": "$.items",
        f"{field}Path": "$.v",
        "ItemProcessor": branch({"P": {"Type": "Pass", "End": True}}),
        **extra,
    }
    return run(machine({"M": state}), {"items": [1], "v": value})


@pytest.mark.parametrize(
    ("field", "value", "cause"),
    [
        (
            "MaxConcurrency",
            "NoNumber",
            'The MaxConcurrencyPath field refers to value "NoNumber" which is not a '
            "valid integer: $.v",
        ),
        (
            "MaxConcurrency",
            [1],
            'The MaxConcurrencyPath field refers to value "[1]" which is not a valid '
            "integer: $.v",
        ),
        (
            "MaxConcurrency",
            -1,
            "Expected non-negative integer for MaxConcurrency, got '-1' instead.",
        ),
        (
            "ToleratedFailureCount",
            1.5,
            'The ToleratedFailureCountPath field refers to value "1.5" which is not a '
            "valid integer: $.v",
        ),
        ("ToleratedFailureCount", -1, "ToleratedFailureCount cannot be negative."),
        (
            "ToleratedFailurePercentage",
            "NoNumber",
            'The ToleratedFailurePercentagePath field refers to value "NoNumber" which '
            "is not a valid float: $.v",
        ),
        (
            "ToleratedFailurePercentage",
            {},
            'The ToleratedFailurePercentagePath field refers to value "{}" which is not '
            "a valid float: $.v",
        ),
        (
            "ToleratedFailurePercentage",
            101,
            "ToleratedFailurePercentage must be between 0 and 100.",
        ),
        (
            "ToleratedFailurePercentage",
            -0.5,
            "ToleratedFailurePercentage must be between 0 and 100.",
        ),
    ],
)
def test_map_paths(field: str, value: Any, cause: str) -> None:
    result = _map(field, value)
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert result.cause == PREFIX + cause


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("MaxConcurrency", "2"),
        ("ToleratedFailureCount", 0),
        ("ToleratedFailurePercentage", 50.5),
    ],
)
def test_map_paths_of_the_right_type_run(field: str, value: Any) -> None:
    assert _map(field, value).status == "SUCCEEDED"


@pytest.mark.parametrize(
    ("value", "cause"),
    [
        (
            "ten",
            "The SecondsPath parameter cannot be parsed as a long value: $.s == ten",
        ),
        (
            None,
            "The SecondsPath parameter cannot be parsed as a long value: $.s == null",
        ),
        (-2, "The SecondsPath parameter references a negative value: $.s == -2"),
    ],
)
def test_seconds_path(value: Any, cause: str) -> None:
    definition = machine({"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}})
    result = run(definition, {"s": value})
    assert result.cause == PREFIX.replace("'M'", "'W'") + cause


@pytest.mark.parametrize("field", ["TimeoutSecondsPath", "HeartbeatSecondsPath"])
def test_task_timeout_paths(field: str) -> None:
    task = {"Type": "Task", "Resource": "python:t", field: "$.s", "End": True}
    result = run(machine({"T": task}), {"s": "soon"}, {"t": lambda _: 1})
    assert result.error == "States.Runtime"
    assert result.cause == (
        "An error occurred while executing the state 'T' (entered at the event id #2). "
        f"The {field} parameter cannot be parsed as a long value: $.s == soon"
    )


def test_every_family_member_is_a_path_field() -> None:
    assert all(name.endswith("Path") for name in pathvalues.PATH_FIELD_FAMILY)
    assert pathvalues.not_integer("SecondsPath", "$.a", {"x": 1}).cause == (
        'The SecondsPath parameter cannot be parsed as a long value: $.a == {"x":1}'
    )


def test_jsonata_map_fields_of_the_wrong_type() -> None:
    state = {
        "Type": "Map",
        "End": True,
        "Items": [1],
        "MaxConcurrency": "{% $states.input.v %}",
        "ItemProcessor": branch({"P": {"Type": "Pass", "End": True}}),
    }
    result = run(machine({"M": state}, QueryLanguage="JSONata"), {"v": "x"})
    assert result.error == "States.QueryEvaluationError"
    assert result.cause == PREFIX + (
        "The JSONata expression '$states.input.v' specified for the field "
        "'MaxConcurrency' returned an unexpected result type. Expected 'integer', but "
        "was 'string' for value: \"x\""
    )
