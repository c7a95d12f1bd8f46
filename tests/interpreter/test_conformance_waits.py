"""Wait and StringToJson edge cases through the engine: AWS's causes, never a crash."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statum.projections.history import flatten, project_history
from tests.engine.helpers import machine, run

JSONATA = {"QueryLanguage": "JSONata"}


def _wait_path(value: Any) -> Any:
    return run(
        machine({"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}),
        {"t": value},
    )


def _wait_jsonata(value: Any) -> Any:
    states = {"W": {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}}
    return run(machine(states, **JSONATA), {"t": value})


PREFIX = (
    "An error occurred while executing the state 'W' (entered at the event id #2). "
)
INVALID = "does not reference a valid ISO-8601 extended offset date-time format string"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2016-13-05T21:29:29Z", "2016-13-05T21:29:29Z"),
        ("2016-12-05T21:29:29", "2016-12-05T21:29:29"),
        ("2016-12-05T25:29:29Z", "2016-12-05T25:29:29Z"),
        ("2016-02-30T00:00:00Z", "2016-02-30T00:00:00Z"),
        (5, "5"),
        (None, "null"),
        ({"a": 1}, '{"a":1}'),
    ],
)
def test_timestamp_path_of_a_bad_value(value: Any, shown: str) -> None:
    result = _wait_path(value)
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert (
        result.cause == f"{PREFIX}The TimestampPath parameter {INVALID}: $.t == {shown}"
    )


@pytest.mark.parametrize(
    "value", ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59-10:00", "2016-03-14T01:59Z"]
)
def test_timestamps_at_the_edges_wait_without_crashing(value: str) -> None:
    assert _wait_path(value).status == "SUCCEEDED"
    assert _wait_jsonata(value).status == "SUCCEEDED"


def test_jsonata_timestamp_string_that_is_no_date_time() -> None:
    result = _wait_jsonata("2016-13-05T21:29:29Z")
    assert result.error == "States.QueryEvaluationError"
    assert result.cause == (
        f"{PREFIX}The Timestamp parameter {INVALID}: $states.input.t == 2016-13-05T21:29:29Z"
    )
    failed = [
        e
        for e in flatten(project_history(result.journal))
        if e["type"] == "EvaluationFailed"
    ]
    assert failed == [
        {
            "id": 3,
            "previousEventId": 0,
            "type": "EvaluationFailed",
            "error": "States.QueryEvaluationError",
            "cause": result.cause,
            "state": "W",
            "location": "Timestamp",
        }
    ]


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (5, "number", "5"),
        (None, "null", "null"),
        ([1], "array", "[1]"),
        (True, "boolean", "true"),
    ],
)
def test_jsonata_timestamp_that_is_not_a_string(
    value: Any, kind: str, shown: str
) -> None:
    result = _wait_jsonata(value)
    assert result.error == "States.QueryEvaluationError"
    assert result.cause == (
        f"{PREFIX}The JSONata expression '$states.input.t' specified for the field "
        f"'Timestamp' returned an unexpected result type. Expected 'string', but was "
        f"'{kind}' for value: {shown}"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        (" ", None),
        ("\n\t ", None),
        ("-0", 0),
        ("1.1", 1.1),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        ('"a \\"quoted\\" \\\\ word"', 'a "quoted" \\ word'),
        ('{"a": {"b": "{\\"c\\": 1}"}}', {"a": {"b": '{"c": 1}'}}),
    ],
)
def test_string_to_json_edge_cases(value: str, expected: Any) -> None:
    states = {
        "P": {
            "Type": "Pass",
            "Parameters": {"r.$": "States.StringToJson($.s)"},
            "End": True,
        }
    }
    result = run(machine(states), {"s": value})
    assert result.status == "SUCCEEDED"
    assert result.output == {"r": expected}


@pytest.mark.parametrize("value", ["{", "1e400", "NaN", "[1,]", "tru"])
def test_string_to_json_of_invalid_json_fails_as_an_intrinsic(value: str) -> None:
    states = {
        "P": {
            "Type": "Pass",
            "Parameters": {"r.$": "States.StringToJson($.s)"},
            "End": True,
        }
    }
    result = run(machine(states), {"s": value})
    assert result.error == "States.IntrinsicFailure"


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.from_regex(
        r"[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{0,10})?)?(Z|[+-]\d\d:\d\d)?",
        fullmatch=True,
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


@settings(max_examples=60, deadline=None)
@given(JSON)
def test_no_wait_value_crashes_the_engine(value: Any) -> None:
    for result in (
        _wait_path(value),
        _wait_jsonata(value),
        run(
            machine({"W": {"Type": "Wait", "SecondsPath": "$.t", "End": True}}),
            {"t": value},
        ),
    ):
        assert result.status in ("SUCCEEDED", "FAILED")
        if result.status == "FAILED":
            assert result.error in ("States.Runtime", "States.QueryEvaluationError")
