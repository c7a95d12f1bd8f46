"""QueryLanguage resolution, field combinations, and path/intrinsic/JSONata syntax."""

from typing import Any

import pytest

from statum.core.definition.problems import INVALID_JSONATA_EXPRESSION
from tests.definition.helpers import PASS_END, at, machine, one, only, problems


def pass_state(**fields: Any) -> dict[str, Any]:
    return {"Type": "Pass", "End": True, **fields}


def test_jsonata_fields_on_a_jsonpath_state() -> None:
    problem = only(one(pass_state(Output={"v": 1})))
    assert (problem.location, problem.message) == (
        "/States/S/Output",
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported "
        "for the 'JSONata' QueryLanguage",
    )


def test_jsonpath_fields_on_a_jsonata_state() -> None:
    doc = one(pass_state(InputPath="$.a", OutputPath="$.b", ResultPath="$.c"))
    found = problems(doc | {"QueryLanguage": "JSONata"})
    assert [p.location for p in found] == [
        "/States/S/InputPath",
        "/States/S/OutputPath",
        "/States/S/ResultPath",
    ]
    assert found[0].message == (
        "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only "
        "supported for the 'JSONPath' QueryLanguage"
    )


def test_a_jsonpath_machine_may_hold_jsonata_states() -> None:
    state = pass_state(QueryLanguage="JSONata", Output="{% $states.input %}")
    assert problems(one(state)) == []


def test_a_jsonata_machine_may_not_hold_jsonpath_states() -> None:
    state = pass_state(QueryLanguage="JSONPath", Output={"v": "{% 1 %}"})
    problem = only(one(state, QueryLanguage="JSONata"))
    assert problem.location == "/States/S/QueryLanguage"
    assert problem.message.startswith(
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state "
        "machine"
    )


def test_query_language_values() -> None:
    enum = only(one(PASS_END, QueryLanguage="jsonata"))
    assert (enum.location, enum.message) == (
        "/QueryLanguage",
        "Value should be one of the following: [JSONPath, JSONata]",
    )
    typed = only(one(PASS_END, QueryLanguage=5))
    assert typed.message == "Expected value of type [STRING]"
    # Anything but the exact "JSONPath" makes the state JSONata, as on AWS.
    found = problems(one(pass_state(QueryLanguage="foo", InputPath="$.a")))
    assert {p.location for p in found} == {
        "/States/S/QueryLanguage",
        "/States/S/InputPath",
    }


def test_nested_states_inherit_the_machines_language_not_the_containers() -> None:
    inner: Any = {"StartAt": "P", "States": {"P": pass_state(Output={"d": "{% 1 %}"})}}
    doc = one(
        {"Type": "Map", "QueryLanguage": "JSONata", "ItemProcessor": inner, "End": True}
    )
    assert only(doc).location == "/States/S/ItemProcessor/States/P/Output"
    inner["States"]["P"]["QueryLanguage"] = "JSONata"
    assert problems(doc) == []


def test_assign_works_in_both_languages() -> None:
    assert problems(one(pass_state(Assign={"x": 1, "y.$": "$.y"}))) == []
    jsonata = one(
        pass_state(Assign={"x": "{% $states.input %}"}), QueryLanguage="JSONata"
    )
    assert problems(jsonata) == []
    assert (
        only(one(pass_state(Assign=[1]))).message == "Expected value of type [OBJECT]"
    )


def test_jsonata_expression_syntax() -> None:
    doc = one(pass_state(Output={"a": ["{% 10 + * 2 %}"]}), QueryLanguage="JSONata")
    problem = only(doc)
    assert problem.location == "/States/S/Output/a/0"
    assert problem.code == INVALID_JSONATA_EXPRESSION


@pytest.mark.parametrize("text", ["{% 10 %", "10 %}", "{%}"])
def test_broken_jsonata_delimiters(text: str) -> None:
    problem = only(one(pass_state(Output=text), QueryLanguage="JSONata"))
    assert problem.message.startswith("A JSONata expression must start with '{%'")


@pytest.mark.parametrize(
    "text", ["{%10%}", "{% \n 10 \n %}", "plain text", "{ % x % }"]
)
def test_accepted_jsonata_strings(text: str) -> None:
    assert problems(one(pass_state(Output=text), QueryLanguage="JSONata")) == []


def test_jsonata_numbers_may_be_expressions_only_in_jsonata() -> None:
    state = {
        "Type": "Task",
        "Resource": "x:y",
        "TimeoutSeconds": "{% 120 %}",
        "End": True,
    }
    assert problems(one(state, QueryLanguage="JSONata")) == []
    assert only(one(state)).message == "Expected value of type [INTEGER]"
    assert only(
        one(state | {"TimeoutSeconds": "120"}, QueryLanguage="JSONata")
    ).message == ("Expected a JSONata expression of the form '{% ... %}'")


def test_jsonata_text_in_a_jsonpath_state_is_a_plain_string() -> None:
    assert problems(one(pass_state(Result={"a": "{% 10 + * 2 %}"}))) == []


def test_payload_template_paths() -> None:
    params = {
        "a.$": "$.a",
        "b.$": "$$.Execution.Id",
        "c.$": "$var.field",
        "d.$": "States.Format('{}', $.a)",
        "e": "$.not.evaluated",
        "f": [{"g.$": "$[0]"}],
    }
    assert problems(one(pass_state(Parameters=params))) == []


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (23, None),
        ("23", "must start with '$'"),
        ("$$23", None),
        ("States.Xyz($.a)", "Unknown intrinsic"),
        ("States.Format('say \\\"hi\\\"')", None),
        (" States.Array(1)", None),
    ],
)
def test_bad_dynamic_values(value: Any, detail: str | None) -> None:
    problem = only(one(pass_state(Parameters={"x": {"k.$": value}})))
    assert problem.location == "/States/S/Parameters/x/k.$"
    assert problem.message.startswith(
        "The value for the field 'k.$' must be a valid JSONPath or a valid intrinsic "
        "function call"
    )
    if detail:
        assert detail in problem.message


def test_a_field_given_both_plain_and_dynamic() -> None:
    problem = only(one(pass_state(Parameters={"k": 1, "k.$": "$.k"})))
    assert (problem.location, problem.message) == (
        "/States/S/Parameters/k.$",
        "The field 'k' is given twice, as 'k' and as 'k.$'; keep only one",
    )


def test_io_paths() -> None:
    ok = pass_state(InputPath=None, OutputPath="$$.Execution.Input", ResultPath=None)
    assert problems(one(ok)) == []
    assert (
        problems(one(pass_state(InputPath="$.books[-2]", OutputPath="$answer"))) == []
    )
    assert only(one(pass_state(InputPath="States.Format('x')"))).location == (
        "/States/S/InputPath"
    )
    assert only(one(pass_state(ResultPath="$foo"))).location == "/States/S/ResultPath"


def test_variables_assigned_by_catchers_and_choices_are_templates_too() -> None:
    doc = machine(
        {
            "T": {
                "Type": "Task",
                "Resource": "x:y",
                "End": True,
                "Catch": [
                    {"ErrorEquals": ["States.ALL"], "Next": "H", "Assign": {"e.$": 1}}
                ],
            },
            "H": {"Type": "Succeed"},
        }
    )
    assert at(doc, "/States/T/Catch/0/Assign/e.$")


def test_assign_names_must_be_usable_variable_names() -> None:
    from statum.core.definition.validation import validate_definition

    doc: dict[str, Any] = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Pass",
                "Assign": {
                    "ok_1": 1,
                    "states": 2,
                    "1bad": 3,
                    "x" * 81: 4,
                    "fine.$": "$",
                },
                "End": True,
            }
        },
    }
    found = {p.location: p.message for p in validate_definition(doc)}
    assert set(found) == {
        "/States/A/Assign/states",
        "/States/A/Assign/1bad",
        f"/States/A/Assign/{'x' * 81}",
    }
    assert "reserved" in found["/States/A/Assign/states"]
    assert "not a valid variable name" in found["/States/A/Assign/1bad"]


def test_catcher_and_choice_rule_assign_names_are_checked_too() -> None:
    from statum.core.definition.validation import validate_definition

    doc: dict[str, Any] = {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {"Condition": "{% true %}", "Assign": {"bad-name": 1}, "Next": "T"}
                ],
                "Default": "T",
            },
            "T": {
                "Type": "Task",
                "Resource": "python:x",
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Assign": {"states": 1},
                        "Next": "E",
                    }
                ],
                "End": True,
            },
            "E": {"Type": "Succeed"},
        },
    }
    locations = {p.location for p in validate_definition(doc)}
    assert "/States/C/Choices/0/Assign/bad-name" in locations
    assert "/States/T/Catch/0/Assign/states" in locations
