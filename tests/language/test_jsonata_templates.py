"""JSON values carrying `{% %}` expressions: what is one, and how failures are named."""

from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import StatesError
from statum.core.language.expressions import ExpressionSyntaxError
from statum.core.language.json import Json
from statum.core.language.jsonata_templates import (
    compile_jsonata_value,
    is_jsonata_string,
)

STATES: Any = {"input": {"a": 1, "name": "Bob", "items": [1, 2]}}


def evaluate(template: Any, field: str = "Output", variables: Any = None) -> Json:
    return compile_jsonata_value(template).evaluate(
        variables or {}, STATES, now_ms=0, entropy=Entropy("t"), field=field
    )


def test_what_is_an_expression() -> None:
    assert is_jsonata_string("{% $x %}")
    assert is_jsonata_string("{%$x%}")
    # case: outputdecl/test_output.py::...::test_base_cases[BASE_LITERALS]
    assert not is_jsonata_string(" {% states.input %} ")
    assert not is_jsonata_string("$states.input")
    assert not is_jsonata_string("Hello {% $x %} there")
    assert not is_jsonata_string("{%}")
    assert not is_jsonata_string(1)


def test_nested_values_are_evaluated_in_place() -> None:
    template = {
        "greeting": "{% 'Hello ' & $states.input.name %}",
        "static": "unchanged",
        "list": [1, "{% $states.input.a + 1 %}", {"deep": "{% $v %}"}],
        "literal": " {% states.input %} ",
        "null": "{% null %}",
    }
    assert evaluate(template, variables={"v": [True]}) == {
        "greeting": "Hello Bob",
        "static": "unchanged",
        "list": [1, 2, {"deep": [True]}],
        "literal": " {% states.input %} ",
        "null": None,
    }


def test_a_whole_string_template() -> None:
    assert evaluate("{% $states.input.items %}") == [1, 2]
    assert (
        evaluate(0.1) == 0.1
    )  # case: outputdecl/...::test_base_output_any_non_dict[FLOAT]


def test_constant_templates_are_returned_as_is() -> None:
    template: Any = {"a": [1, {"b": "$states.input"}]}
    compiled = compile_jsonata_value(template)
    assert compiled.is_constant
    assert (
        compiled.evaluate({}, STATES, now_ms=0, entropy=Entropy("t"), field="Output")
        is template
    )
    assert not compile_jsonata_value({"a": "{% 1 %}"}).is_constant


@pytest.mark.parametrize(
    ("template", "field", "location"),
    [  # measured on AWS, and case: assign/...::test_undefined_reference[*]
        ({"v": "{% $states.input.missing %}"}, "Output", "Output/v"),
        ({"a": {"b": "{% $states.input.missing %}"}}, "Output", "Output/a/b"),
        ("{% $states.input.missing %}", "Output", "Output"),
        ({"values": ["{% $states.input.missing %}", 1]}, "Output", "Output/values[0]"),
        (
            {"a": {"b": [[1, "{% $states.input.missing %}"]]}},
            "Output",
            "Output/a/b[0][1]",
        ),
        ({"x": {"y": "{% $states.input.missing %}"}}, "Assign", "Assign/x/y"),
        (
            {"FunctionName": "{% $states.input.missing %}"},
            "Arguments",
            "Arguments/FunctionName",
        ),
    ],
)
def test_failures_name_the_position(template: Any, field: str, location: str) -> None:
    with pytest.raises(StatesError) as failure:
        evaluate(template, field)
    assert failure.value.cause == (
        "The JSONata expression '$states.input.missing' specified for the field "
        f"'{location}' returned nothing (undefined)."
    )


def test_expressions_run_in_document_order() -> None:
    template = {"first": "{% $missing %}", "second": "{% $error('never') %}"}
    with pytest.raises(StatesError) as failure:
        evaluate(template)
    assert "'Output/first' returned nothing" in failure.value.cause


def test_syntax_errors_carry_their_position() -> None:
    with pytest.raises(ExpressionSyntaxError) as failure:
        compile_jsonata_value({"ok": "{% 1 %}", "bad": ["{% 1 + %}"]})
    assert failure.value.location == "/bad[0]"
    assert failure.value.expression == "1 +"
