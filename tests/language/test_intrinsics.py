"""Intrinsic functions: parsing, and every function against recorded AWS values.

Case ids in comments name the corpus case (tests/aws/services/stepfunctions/v2/
intrinsic_functions/...) whose recorded output a test repeats.
"""

import re
from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import (
    INTRINSIC_FAILURE,
    LanguageSyntaxError,
    StatesError,
)
from statum.core.language.intrinsics import IntrinsicSyntaxError, compile_intrinsic
from statum.core.language.paths import PathNotFound
from statum.core.language.scope import Scope


def scope(value: Any = None, seed: str = "s", **variables: Any) -> Scope:
    context: Any = {
        "StateMachine": {"Name": "machine-name-x"},
        "Execution": {"Input": value},
    }
    return Scope(value, context, variables, Entropy(seed))


def call(text: str, value: Any = None, **variables: Any) -> Any:
    return compile_intrinsic(text).evaluate(scope(value, **variables))


def two(fst: Any, snd: Any) -> dict[str, Any]:
    return {"FunctionInput": {"fst": fst, "snd": snd}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [  # test_generic.py::TestGeneric::test_format_1#exec_hist_resp_0..6
        ("", "Formatting argument ."),
        (" ", "Formatting argument  ."),
        ("HelloWorld", "Formatting argument HelloWorld."),
        (None, "Formatting argument null."),
        (1, "Formatting argument 1."),
        (1.1, "Formatting argument 1.1."),
        ('{"Arg1": 1, "Arg2": []}', 'Formatting argument {"Arg1": 1, "Arg2": []}.'),
    ],
)
def test_format_one_argument(value, expected):
    text = "States.Format('Formatting argument {}.', $.FunctionInput)"
    assert call(text, {"FunctionInput": value}) == expected


def test_format_objects_print_like_java_maps():
    # test_generic.py::TestGeneric::test_format_2#exec_hist_resp_7
    arg = {"Arg1": 1, "Arg2": []}
    text = (
        "States.Format('Formatting arguments fst={} and snd={}.', "
        "$.FunctionInput.fst, $.FunctionInput.snd)"
    )
    assert call(text, two(arg, arg)) == (
        "Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}."
    )


def test_format_template_from_a_variable():
    # assign/test_assign_reference_variables.py::TestAssignReferenceVariables::
    # test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION]
    assert call(
        "States.Format($AnswerTemplate, $$.StateMachine.Name)",
        AnswerTemplate="It's {}!",
    ) == ("It's machine-name-x!")


def test_format_escapes():
    assert call(r"States.Format('it\'s \{\} {} \\', 'x')") == "it's {} x \\"


def test_format_argument_count_must_match():
    with pytest.raises(StatesError) as caught:
        call("States.Format('{} {}', 1)")
    assert caught.value.error == INTRINSIC_FAILURE


def test_string_to_json_and_back():
    # scenarios/test_base_scenarios.py::...[ESCAPE_SEQUENCES_STRING_LITERALS] and
    # test_json_manipulation.py::...::test_json_to_string#exec_hist_resp_*
    assert call("States.StringToJson($.s)", {"s": '{"a": [1, 2.5]}'}) == {"a": [1, 2.5]}
    assert (
        call("States.JsonToString($.v)", {"v": {"Arg1": 1, "Arg2": []}})
        == '{"Arg1":1,"Arg2":[]}'
    )
    assert call("States.JsonToString($.v)", {"v": "HelloWorld"}) == '"HelloWorld"'
    assert call("States.JsonToString($.v)", {"v": None}) == "null"
    assert call("States.JsonToString($.v)", {"v": 1.1}) == "1.1"
    with pytest.raises(StatesError):
        call("States.StringToJson($.s)", {"s": "{not json"})


def test_json_merge_is_shallow_and_ordered_like_a_java_hash_map():
    # test_json_manipulation.py::TestJsonManipulation::test_json_merge_escaped_argument
    merged = call(
        'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), '
        "$$.Execution.Input.input_field, false)",
        {"input_field": {"constant_input_field": "constant_value"}},
    )
    assert list(merged.items()) == [
        ("constant_input_field", "constant_value"),
        ("constant_in_literal", "false"),
    ]
    # AWS documentation's example: the second object wins, no deep merge.
    first = {"a": {"a1": 1, "a2": 2}, "b": 2}
    second = {"a": {"a3": 1, "a4": 2}, "c": 3}
    assert call("States.JsonMerge($.x, $.y, false)", {"x": first, "y": second}) == {
        "a": {"a3": 1, "a4": 2},
        "b": 2,
        "c": 3,
    }
    with pytest.raises(StatesError):
        call("States.JsonMerge($.x, $.y, true)", {"x": first, "y": second})


def test_array():
    # test_array.py::TestArray::test_array_0 and test_array_2#exec_hist_resp_*
    assert call("States.Array()") == []
    assert call(
        "States.Array($.a, $.b, 'c', 1, null, true)", {"a": [1], "b": {"x": 1}}
    ) == [
        [1],
        {"x": 1},
        "c",
        1,
        None,
        True,
    ]


@pytest.mark.parametrize(
    ("fst", "snd", "expected"),
    [  # test_array.py::TestArray::test_array_partition#exec_hist_resp_*
        ([], 2, []),
        ([0, 1], 2, [[0, 1]]),
        ([0, 1], 5, [[0, 1]]),
        ([0, 1, 2], 1, [[0], [1], [2]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
    ],
)
def test_array_partition(fst, snd, expected):
    text = "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
    assert call(text, two(fst, snd)) == expected


@pytest.mark.parametrize(
    ("fst", "snd", "expected"),
    [  # test_array.py::TestArray::test_array_contains#exec_hist_resp_*
        ([], None, False),
        ([], [], False),
        ([[1, 2, 3], 2], None, False),
        ([[1, 2, 3], 2], [1, 2, 3], True),
        ([{"1": 2, "2": []}], {"1": 2, "2": []}, True),
        ([True, False], False, True),
        ([1, 2], True, False),  # Jackson: a boolean is not the number 1
        ([1.0], 1, False),  # nor is a double node an int node
    ],
)
def test_array_contains(fst, snd, expected):
    text = "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
    assert call(text, two(fst, snd)) is expected


def test_array_range_get_item_length_unique():
    assert call("States.ArrayRange(0, 3, 1)") == [0, 1, 2, 3]
    assert call("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9]  # AWS documentation
    assert call("States.ArrayRange(5, 0, -2)") == [5, 3, 1]
    assert call("States.ArrayRange(0, 999, 1)")[-1] == 999
    assert call("States.ArrayGetItem($.a, 1)", {"a": ["x", "y"]}) == "y"
    # test_array.py::TestArray::test_array_unique (records ArrayLength over 20 items)
    items = [None, None, True, True, False, False, 1, 1, 1.1, 0, 0, "HelloWorld",
             "HelloWorld", [], [], [None], [None], {"a": 1, "b": 2}, {"a": 1, "b": 2},
             {"a": 1, "b": 1}]  # fmt: skip
    assert call("States.ArrayLength($.FunctionInput)", {"FunctionInput": items}) == 20
    assert call("States.ArrayUnique($.a)", {"a": items}) == [
        None, True, False, 1, 1.1, 0, "HelloWorld", [], [None],
        {"a": 1, "b": 2}, {"a": 1, "b": 1},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "States.ArrayRange(0, 1000, 1)",
        "States.ArrayRange(0, 3, 0)",
        "States.ArrayGetItem($.a, 2)",
        "States.ArrayGetItem($.a, -1)",
        "States.ArrayPartition($.a, 0)",
        "States.ArrayLength($.s)",
        "States.ArrayGetItem($.s, 0)",
        "States.MathAdd($.s, 1)",
        "States.MathAdd(2147483648, 1)",
        "States.MathRandom(5, 5)",
        "States.Base64Decode('not base64!')",
        "States.Hash('data', 'SHA-3')",
        "States.Hash($.a, 'MD5')",
        "States.StringSplit($.a, ',')",
        "States.JsonMerge($.a, $.a, false)",
    ],
)
def test_argument_failures_are_intrinsic_failures(text):
    with pytest.raises(StatesError) as caught:
        call(text, {"a": [1, 2], "s": "text"})
    assert caught.value.error == INTRINSIC_FAILURE
    assert caught.value.cause.startswith("Invalid arguments in States.")


def test_base64():
    # test_encode_decode.py::TestEncodeDecode::test_base_64_*#exec_hist_resp_*
    assert (
        call("States.Base64Encode($.v)", {"v": "Data to encode"})
        == "RGF0YSB0byBlbmNvZGU="
    )
    assert call("States.Base64Encode($.v)", {"v": ""}) == ""
    assert (
        call("States.Base64Decode($.v)", {"v": "RGF0YSB0byBlbmNvZGU="})
        == "Data to encode"
    )
    assert call("States.Base64Decode($.v)", {"v": ""}) == ""
    with pytest.raises(StatesError):
        call("States.Base64Encode($.v)", {"v": "x" * 10_001})


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [  # test_hash_calculations.py::TestHashCalculations::test_hash#exec_hist_resp_0..4
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        (
            "SHA-384",
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b"
            "87525bdc835ebb27e1fb9e9374a15562",
        ),
        (
            "SHA-512",
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce"
            "2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
        ),
    ],
)
def test_hash(algorithm, digest):
    text = "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"
    assert call(text, two("input data", algorithm)) == digest


@pytest.mark.parametrize(
    ("fst", "snd", "expected"),
    [  # test_math_operations.py::TestMathOperations::test_math_add#exec_hist_resp_*
        (-9, 3, -6),
        (1.49, 1.5, 3),
        (1.5, 1.51, 4),
        (-1.5, -1.51, -3),
        (1.49, -1.49, 0),
        (1.51, 0, 2),
        (-1.49, 0, -1),
        (-1.5, 0, -1),
        (1.5, 0, 2),
        (2.5, 0, 3),
        (3.5, 0, 4),
        (-0.5, 0.5, 1),
        (-2.5, 0, -2),
    ],
)
def test_math_add_rounds_like_java_math_round(fst, snd, expected):
    text = "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
    result = call(text, two(fst, snd))
    assert result == expected
    assert isinstance(result, int)


def test_math_add_nested_with_negative_literal():
    # test_generic.py::TestGeneric::test_nested_calls_2 (shape of the call)
    text = (
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
        "States.MathAdd(States.ArrayLength("
        "States.StringSplit($$.StateMachine.Name, '-')), -1))"
    )
    assert call(text) == "x"
    assert (
        call("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)")
        == "machine"
    )


def test_math_random_is_in_range_and_reproducible():
    # test_math_operations.py::TestMathOperations::test_math_random#exec_hist_resp_0..2
    for start, end in ((12.5, 44.51), (9999, 99999), (-99999, -9999)):
        text = "States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)"
        value = call(text, two(start, end))
        low, high = round(start + 0.0001), round(end + 0.0001)
        assert isinstance(value, int)
        assert low <= value < high
        assert value == call(text, two(start, end))  # same seed, same value
    # With a seed the value is java.util.Random(seed)'s, whatever the entropy.
    first = compile_intrinsic("States.MathRandom(0, 100, 42)").evaluate(scope(seed="a"))
    second = compile_intrinsic("States.MathRandom(0, 100, 42)").evaluate(
        scope(seed="b")
    )
    assert first == second == 30


@pytest.mark.parametrize(
    ("fst", "snd", "expected"),
    [  # test_string_operations.py::...::test_string_split#exec_hist_resp_*
        (" ", ",", [" "]),
        (" , ", ",", [" ", " "]),
        (", , ,", ",", [" ", " "]),
        (",,,,", ",", []),
        ("1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]),
        ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
        ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),
    ],
)
def test_string_split(fst, snd, expected):
    text = "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"
    assert call(text, two(fst, snd)) == expected


def test_uuid_is_a_version_4_uuid_from_the_scope_entropy():
    value = call("States.UUID()")
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value
    )
    assert value == call("States.UUID()")


def test_missing_path_argument_raises_path_not_found():
    with pytest.raises(PathNotFound):
        call("States.Array($.missing)", {})


@pytest.mark.parametrize(
    "text",
    [
        # validation: test_illegal_escapes[ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION]
        'States.StringToJson(\'{"text":"An \\"escaped double quote\\" here"}\')',
        # ...[ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION_2]
        "States.Format('He said, \\\"Hello, {}!\\\"', 'Test \\\"Name\\\" Here')",
        "States.Nope()",
        "States.Format(",
        "States.Array(1,)",
        "States.Array(1) extra",
        "States.ArrayLength()",
        "States.UUID(1)",
        "States.Format('unclosed)",
        "States.Array(truthy)",
        "States.Array($.a b)",
        "Format('x')",
    ],
)
def test_syntax_errors(text):
    with pytest.raises(IntrinsicSyntaxError) as caught:
        compile_intrinsic(text)
    assert isinstance(caught.value, LanguageSyntaxError)


def test_arguments_may_contain_commas_and_parentheses_inside_paths_and_strings():
    data = {"items": [{"n": "a,b"}, {"n": "c"}]}
    assert call("States.Array($.items[?(@.n == 'a,b')].n, 'x,(y)')", data) == [
        ["a,b"],
        "x,(y)",
    ]


def test_compiled_calls_are_cached():
    assert compile_intrinsic("States.UUID()") is compile_intrinsic("States.UUID()")
