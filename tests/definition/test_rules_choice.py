"""Choice rules, in JSONPath and in JSONata."""

from typing import Any

import pytest

from statum.core.definition.problems import MISSING_TRANSITION_TARGET
from tests.definition.helpers import at, machine, only, problems


def choice(
    *rules: dict[str, Any], language: str = "JSONPath", **extra: Any
) -> dict[str, Any]:
    state = {"Type": "Choice", "Choices": list(rules), "Default": "Done", **extra}
    return machine({"C": state, "Done": {"Type": "Succeed"}}, QueryLanguage=language)


def rule(**fields: Any) -> dict[str, Any]:
    return {"Variable": "$.x", "Next": "Done", **fields}


def test_a_valid_choice() -> None:
    nested = {
        "And": [
            {"Variable": "$.a", "IsNull": False},
            {"Not": {"Variable": "$.b", "StringMatches": "log-*.txt"}},
        ],
        "Next": "Done",
    }
    assert problems(choice(rule(NumericEquals=1), nested)) == []


def test_choices_must_be_a_non_empty_array() -> None:
    assert only(choice()).location == "/States/C/Choices"
    doc = machine({"C": {"Type": "Choice", "Default": "D"}, "D": {"Type": "Succeed"}})
    assert only(doc).message == "The field 'Choices' is required but was missing"


def test_default_must_name_a_state() -> None:
    problem = only(choice(rule(IsPresent=True), Default="Ghost"))
    assert (problem.location, problem.code) == (
        "/States/C/Default",
        MISSING_TRANSITION_TARGET,
    )


def test_top_level_rules_need_next_and_nested_ones_must_not_have_it() -> None:
    missing = only(choice({"Variable": "$.x", "IsPresent": True}))
    assert (missing.location, missing.message) == (
        "/States/C/Choices/0",
        "The field 'Next' is required but was missing",
    )
    nested = only(choice({"Not": rule(IsPresent=True), "Next": "Done"}))
    assert nested.location == "/States/C/Choices/0/Not/Next"
    assert nested.message.startswith(
        "Field 'Next' is not supported in a nested choice rule"
    )


def test_a_comparison_needs_exactly_one_operator() -> None:
    none = only(choice(rule()))
    assert none.message.startswith(
        "A choice rule needs exactly one comparison operator"
    )
    two = only(choice(rule(IsPresent=True, IsNull=False)))
    assert two.message.startswith(
        "A choice rule may have only one comparison operator, found IsPresent, IsNull"
    )


def test_an_operator_needs_a_variable_in_jsonpath() -> None:
    problem = only(choice({"StringEquals": "a", "Next": "Done"}))
    assert problem.message.startswith(
        "The field 'Variable' is required but was missing"
    )


def test_comparison_and_combinator_do_not_mix() -> None:
    problem = only(
        choice(rule(IsPresent=True, And=[{"Variable": "$.y", "IsNull": True}]))
    )
    assert problem.message.startswith("A choice rule is either a comparison")


def test_and_or_need_a_non_empty_list_and_not_an_object() -> None:
    assert (
        only(choice({"And": [], "Next": "Done"})).location == "/States/C/Choices/0/And"
    )
    assert only(choice({"Or": {}, "Next": "Done"})).message == (
        "Expected value of type [ARRAY]"
    )
    assert only(choice({"Not": [], "Next": "Done"})).message == (
        "Expected value of type [OBJECT]"
    )


@pytest.mark.parametrize(
    ("operator", "value", "message"),
    [
        ("NumericEquals", "1", "Expected value of type [NUMBER]"),
        ("NumericLessThan", True, "Expected value of type [NUMBER]"),
        ("StringEquals", 1, "Expected value of type [STRING]"),
        ("StringMatches", None, "Expected value of type [STRING]"),
        ("BooleanEquals", "true", "Expected value of type [BOOLEAN]"),
        ("IsPresent", "yes", "Expected value of type [BOOLEAN]"),
        ("IsTimestamp", 1, "Expected value of type [BOOLEAN]"),
    ],
)
def test_operands_have_the_operators_type(
    operator: str, value: Any, message: str
) -> None:
    problem = only(choice(rule(**{operator: value})))
    assert (problem.location, problem.message) == (
        f"/States/C/Choices/0/{operator}",
        message,
    )


def test_timestamp_operands_must_be_timestamps() -> None:
    assert problems(choice(rule(TimestampEquals="2012-10-09T19:00:55Z"))) == []
    problem = only(choice(rule(TimestampLessThan="yesterday")))
    assert problem.location == "/States/C/Choices/0/TimestampLessThan"


def test_path_operands_and_variable_must_be_paths() -> None:
    assert problems(choice(rule(NumericEqualsPath="$.y"))) == []
    problem = only(choice(rule(NumericEqualsPath="y")))
    assert problem.message.startswith(
        "The value for the field 'NumericEqualsPath' must be a valid JSONPath"
    )
    variable = only(
        choice(
            {
                "Variable": "States.ArrayContains($.a, 1)",
                "NumericEquals": 1,
                "Next": "Done",
            }
        )
    )
    assert variable.location == "/States/C/Choices/0/Variable"


def test_variables_and_context_can_be_compared() -> None:
    assert problems(choice(rule(Variable="$$.Execution.Id", IsString=True))) == []
    assert problems(choice(rule(Variable="$counter", NumericGreaterThan=3))) == []


def test_jsonata_rules_use_condition() -> None:
    good = {"Condition": "{% $states.input.x > 1 %}", "Next": "Done"}
    assert problems(choice(good, language="JSONata")) == []
    missing = only(choice({"Next": "Done"}, language="JSONata"))
    assert missing.message == "The field 'Condition' is required but was missing"
    jsonpath = at(
        choice(rule(IsPresent=True), language="JSONata"), "/States/C/Choices/0/Variable"
    )
    assert jsonpath[0].message == (
        "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported "
        "for the 'JSONPath' QueryLanguage"
    )


def test_condition_is_jsonata_only() -> None:
    problem = only(choice({"Condition": "{% true %}", "Next": "Done"}))
    assert problem.location == "/States/C/Choices/0/Condition"
    assert "only supported for the 'JSONata' QueryLanguage" in problem.message


def test_rules_may_assign_variables() -> None:
    assert problems(choice(rule(IsPresent=True, Assign={"seen.$": "$.x"}))) == []
    problem = only(choice(rule(IsPresent=True, Assign={"seen.$": "nope"})))
    assert problem.location == "/States/C/Choices/0/Assign/seen.$"


def test_deep_rule_nesting_is_bounded() -> None:
    inner: dict[str, Any] = {"Variable": "$.x", "IsPresent": True}
    for _ in range(300):
        inner = {"Not": inner}
    found = problems(choice(inner | {"Next": "Done"}))
    assert any("nested more than" in p.message for p in found)
