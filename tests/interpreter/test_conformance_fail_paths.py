"""A Fail state's ErrorPath and CausePath accept intrinsic functions, as AWS
documents (amazon-states-language-fail-state.html): validator and runtime."""

import pytest

from statum.core.definition.validation import validate_definition
from tests.engine.helpers import machine, run


def test_error_path_and_cause_path_run_intrinsics() -> None:
    definition = machine(
        {
            "F": {
                "Type": "Fail",
                "ErrorPath": "States.Format('{}.Failed', $.kind)",
                "CausePath": "States.JsonToString($.detail)",
            }
        }
    )
    result = run(definition, {"kind": "Order", "detail": {"id": 7}})
    assert result.status == "FAILED"
    assert result.error == "Order.Failed"
    assert result.cause == '{"id":7}'


def test_a_missing_argument_path_is_reported_for_the_field() -> None:
    definition = machine(
        {"F": {"Type": "Fail", "CausePath": "States.Format('{}', $.nope)"}}
    )
    result = run(definition, {"a": 1})
    assert result.error == "States.Runtime"
    assert result.cause == (
        "An error occurred while executing the state 'F' (entered at the event id #2). "
        "The JSONPath '$.nope' specified for the field 'CausePath' could not be found "
        "in the input '{\"a\":1}'"
    )


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("ErrorPath", "States.Format('{}', $.e)", True),
        ("CausePath", "States.ArrayGetItem($.c, 0)", True),
        ("CausePath", "States.Hash($.c, 'SHA-256')", True),
        ("ErrorPath", "States.UUID()", True),
        ("CausePath", "States.NoSuchFunction($.c)", False),
        # Only the intrinsics that return a string are documented for these fields.
        ("ErrorPath", "States.Array($.e)", False),
        ("CausePath", "States.StringToJson($.c)", False),
        ("CausePath", "States.MathAdd(1, 2)", False),
        ("CausePath", 'States.Format("{}", $.c)', False),
    ],
)
def test_the_validator_judges_intrinsics_in_fail_paths(
    field: str, value: str, valid: bool
) -> None:
    problems = validate_definition(machine({"F": {"Type": "Fail", field: value}}))
    assert (not problems) is valid


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ({"Type": "Wait", "End": True}, "SecondsPath"),
        ({"Type": "Wait", "End": True}, "TimestampPath"),
        ({"Type": "Pass", "End": True}, "InputPath"),
        ({"Type": "Pass", "End": True}, "OutputPath"),
    ],
)
def test_other_paths_take_no_intrinsics(state: dict[str, object], field: str) -> None:
    problems = validate_definition(
        machine({"S": {**state, field: "States.MathAdd($.a, 1)"}})
    )
    assert problems
