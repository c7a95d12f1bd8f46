"""JSON text as AWS (Java/Jackson) writes it in causes and string conversions."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statum.core.language.jsontext import (
    java_double_text,
    java_object_text,
    to_json_text,
)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_compact_separators_and_key_order_as_given():
    # test_json_manipulation.py::...::test_json_to_string#exec_hist_resp_7
    assert to_json_text({"Arg1": 1, "Arg2": []}) == '{"Arg1":1,"Arg2":[]}'
    assert to_json_text([1, 2, "HelloWorld"]) == '[1,2,"HelloWorld"]'
    assert to_json_text({"b": 1, "a": 2}) == '{"b":1,"a":2}'


def test_scalars():
    assert to_json_text(None) == "null"
    assert to_json_text(True) == "true"
    assert to_json_text(0) == "0"
    assert to_json_text(1.1) == "1.1"
    assert to_json_text("HelloWorld") == '"HelloWorld"'


def test_non_ascii_is_not_escaped():
    assert (
        to_json_text({"emoji": "\U0001f197", "é": "ü"})
        == '{"emoji":"\U0001f197","é":"ü"}'
    )


def test_control_characters_use_upper_case_hex():
    assert to_json_text("a\nb\t\x01\x1f") == '"a\\nb\\t\\u0001\\u001F"'
    # A literal backslash followed by "u00ab" is text, not an escape to rewrite.
    assert to_json_text("\\u00ab") == '"\\\\u00ab"'
    assert to_json_text('"quoted" \\') == '"\\"quoted\\" \\\\"'


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.0, "1.0"),
        (0.1, "0.1"),
        (-2.5, "-2.5"),
        (1234567.0, "1234567.0"),
        (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (1.5e-10, "1.5E-10"),
        (1e21, "1.0E21"),
        (-0.0, "-0.0"),
        (0.0, "0.0"),
        (1.7976931348623157e308, "1.7976931348623157E308"),
    ],
)
def test_floats_print_like_java_double_to_string(number, text):
    assert java_double_text(number) == text
    assert to_json_text([number]) == f"[{text}]"


def test_java_object_text_is_what_format_interpolates():
    # intrinsic_functions/test_generic.py::TestGeneric::test_format_2#exec_hist_resp_7
    assert java_object_text({"Arg1": 1, "Arg2": []}) == "{Arg1=1, Arg2=[]}"
    assert (
        java_object_text(["a", None, True, 1.5, {"k": "v"}])
        == "[a, null, true, 1.5, {k=v}]"
    )
    assert java_object_text("plain") == "plain"
    assert java_object_text(None) == "null"


@given(JSON_VALUES)
def test_json_text_parses_back_to_the_same_value(value):
    parsed = json.loads(to_json_text(value))
    assert parsed == value
    assert to_json_text(parsed) == to_json_text(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_java_double_text_round_trips(number):
    text = java_double_text(number)
    assert float(text) == number or (number == 0 and float(text) == 0)
    assert math.copysign(1, float(text)) == math.copysign(1, number)
