"""Payload templates: `"key.$"` entries evaluated, everything else copied."""

from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import INTRINSIC_FAILURE, RUNTIME, StatesError
from statum.core.language.scope import Scope
from statum.core.language.templates import TemplateSyntaxError, compile_template


def scope(value: Any, **variables: Any) -> Scope:
    context: Any = {
        "Execution": {"Input": value, "Id": "arn:x"},
        "Map": {"Item": {"Value": 7}},
    }
    return Scope(value, context, variables, Entropy("t"))


def test_paths_context_variables_and_intrinsics():
    template = compile_template(
        {
            "fromInput.$": "$.a",
            "fromContext.$": "$$.Map.Item.Value",
            "fromVariable.$": "$answer",
            "formatted.$": "States.Format('a={}', $.a)",
            "literal": "$.a",
            "number": 1,
        }
    )
    assert template.evaluate(scope({"a": 1}, answer=42), "Parameters") == {
        "fromInput": 1,
        "fromContext": 7,
        "fromVariable": 42,
        "formatted": "a=1",
        "literal": "$.a",
        "number": 1,
    }


def test_nested_objects_and_arrays():
    template = compile_template(
        {"outer": {"inner.$": "$.x", "list": [{"item.$": "$.y"}, "plain", ["$.y"]]}}
    )
    assert template.evaluate(scope({"x": "X", "y": [1]}), "Parameters") == {
        "outer": {"inner": "X", "list": [{"item": [1]}, "plain", ["$.y"]]}
    }


def test_strings_that_look_like_expressions_stay_literal_without_dollar_key():
    # assign/...::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_ITEM_SELECTOR]
    template = compile_template(
        {"value.$": "$$.Map.Item.Value", "bucketName": "$bucket"}
    )
    assert template.evaluate(scope({}, bucket="b"), "ItemSelector") == {
        "value": 7,
        "bucketName": "$bucket",
    }


def test_whole_input_and_indefinite_paths():
    # base/test_base.py::TestSnfBase::test_state_pass_result_null_input_output_paths
    template = compile_template({"Arg1": "argument1", "FromInput.$": "$"})
    assert template.evaluate(scope({"InputValue": 0}), "Parameters") == {
        "Arg1": "argument1",
        "FromInput": {"InputValue": 0},
    }
    # base/test_base.py::...::test_json_path_array_wildcard_or_slice_with_no_input
    assert compile_template({"item.$": "$.items[*]"}).evaluate(
        scope({}), "Parameters"
    ) == {"item": []}


def test_constant_template_is_copied_every_time():
    template = compile_template({"a": {"b": [1]}})
    assert template.is_constant
    first: Any = template.evaluate(scope({}), "Parameters")
    first["a"]["b"].append(2)
    assert template.evaluate(scope({}), "Parameters") == {"a": {"b": [1]}}


def test_constant_parts_of_a_dynamic_template_are_copied_too():
    template = compile_template({"x.$": "$", "c": {"d": [1]}})
    first: Any = template.evaluate(scope({}), "Parameters")
    first["c"]["d"].append(2)
    assert template.evaluate(scope({}), "Parameters") == {"x": {}, "c": {"d": [1]}}


def test_missing_path_is_a_runtime_error_naming_path_field_and_input():
    # scenarios/...::test_invalid_jsonpath[INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH]
    template = compile_template({"value.$": "$.no_such_jsonpath"})
    with pytest.raises(StatesError) as caught:
        template.evaluate(scope({"int-literal": 0}), "Parameters")
    assert caught.value.error == RUNTIME
    assert caught.value.cause == (
        "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not "
        "be found in the input '{\"int-literal\":0}'"
    )


def test_missing_context_path_names_the_context_path():
    # scenarios/...::test_invalid_jsonpath[INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH]
    template = compile_template(
        {"nested": {"value.$": "$$.Execution.Input.no_such_jsonpath"}}
    )
    with pytest.raises(StatesError) as caught:
        template.evaluate(scope({"int-literal": 0}), "Parameters")
    assert caught.value.cause.startswith(
        "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field "
        "'value.$' could not be found in the input"
    )


def test_intrinsic_failures_pass_through():
    template = compile_template({"x.$": "States.ArrayGetItem($.a, 5)"})
    with pytest.raises(StatesError) as caught:
        template.evaluate(scope({"a": [1]}), "Parameters")
    assert caught.value.error == INTRINSIC_FAILURE


@pytest.mark.parametrize("value", [1, None, ["$.a"], "a.b", "{% $x %}", "States"])
def test_dollar_keys_need_a_path_or_an_intrinsic(value):
    with pytest.raises(TemplateSyntaxError) as caught:
        compile_template({"bad.$": value})
    assert str(caught.value) == (
        "The value for the field 'bad.$' must be a valid JSONPath or a valid intrinsic "
        "function call"
    )


def test_source_is_kept_and_scalars_are_templates_too():
    assert compile_template("text").evaluate(scope({}), "Parameters") == "text"
    assert compile_template([1, {"a.$": "$"}]).evaluate(scope(5), "Parameters") == [
        1,
        {"a": 5},
    ]
    assert compile_template({"k": 1}).source == {"k": 1}
