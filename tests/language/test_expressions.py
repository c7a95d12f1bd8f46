"""JSONata expressions: AWS's dialect, its functions and its failure texts.

Expected values come from executions recorded against AWS (case ids from
`../shared/conformance/localstack`, cited as `case:`) or from AWS measurements
published with the behaviour (cited as `measured:`).
"""

from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import QUERY_EVALUATION_ERROR, StatesError
from statum.core.language.expressions import (
    UNDEFINED,
    ExpressionSyntaxError,
    compile_expression,
)
from statum.core.language.json import Json
from statum.core.language.jsonata_functions import java_random_double

NOW_MS = 1_700_000_000_123  # 2023-11-14T22:13:20.123Z


def evaluate(
    text: str,
    variables: dict[str, Any] | None = None,
    states: Any = None,
    seed: str = "test",
) -> Any:
    return compile_expression(text).evaluate(
        variables or {},
        states if states is not None else {"input": {}},
        now_ms=NOW_MS,
        entropy=Entropy(seed),
        field="Output/x",
    )


def cause_of(text: str, **kwargs: Any) -> str:
    with pytest.raises(StatesError) as failure:
        evaluate(text, **kwargs)
    assert failure.value.error == QUERY_EVALUATION_ERROR
    return failure.value.cause


def thrown(text: str, detail: str) -> str:
    return (
        f"The JSONata expression '{text}' specified for the field 'Output/x' "
        f"threw an error during evaluation{detail}"
    )


# --- values ------------------------------------------------------------------


def test_states_and_variables_are_bound() -> None:
    states = {"input": {"a": {"b": 2}}, "context": {"Execution": {"Id": "e"}}}
    assert evaluate("$states.input.a.b", states=states) == 2
    assert evaluate("$states.context.Execution.Id", states=states) == "e"
    assert evaluate("$v + 1", {"v": 41}) == 42
    assert evaluate("$states.input.missing", states=states) is UNDEFINED


def test_json_null_is_a_value_not_undefined() -> None:
    states = {"input": {"n": None}}
    assert evaluate("$states.input.n", states=states) is None
    assert evaluate("$v", {"v": None}) is None
    assert evaluate("$exists($v)", {"v": None}) is True
    assert evaluate("$type($states.input.n)", states=states) == "null"
    assert evaluate("null") is None


def test_integral_numbers_print_as_integers() -> None:
    # measured: input {"amount": 1.0} gives {"v": 1} for $states.input.amount
    assert evaluate("$states.input.amount", states={"input": {"amount": 1.0}}) == 1
    assert type(evaluate("2.0 * 3")) is int
    assert evaluate("1 / 4") == 0.25
    assert evaluate("$states.input.big", states={"input": {"big": 2**63}}) == 2.0**63


def test_sequences_become_lists_and_singletons_collapse() -> None:
    states = {"input": {"items": [{"a": 1}, {"a": 2}], "one": [{"a": 3}]}}
    assert evaluate("$states.input.items.a", states=states) == [1, 2]
    assert evaluate("$states.input.one.a", states=states) == 3
    assert evaluate("$states.input.one", states=states) == [{"a": 3}]
    assert type(evaluate("[1, 2]")) is list


def test_literal_values() -> None:
    # case: scenarios/...::test_map_state_items_eval_jsonata[mixed] uses [1, 'two', 3]
    assert evaluate("[1, 'two', 3]") == [1, "two", 3]
    assert evaluate("{'foo': 'bar'}") == {"foo": "bar"}
    assert evaluate("'string'") == "string"
    assert evaluate("true") is True


def test_built_in_jsonata_functions() -> None:
    # case: evaluate_jsonata/...::test_merge_with_dynamic_args
    states = {"input": {"part1": {"hello": "world"}, "part2": {"foo": "bar"}}}
    merged = evaluate(
        "$merge([$states.input.part1, $states.input.part2])", states=states
    )
    assert merged == {"hello": "world", "foo": "bar"}
    assert (
        evaluate("$sum($states.input.v) + $c", {"c": 1}, {"input": {"v": [1, 2, 3]}})
        == 7
    )
    assert evaluate("$number('2')") == 2
    assert evaluate("$not($states.input.t = 'Private')", states={"input": {"t": "x"}})


# --- AWS's extension functions -------------------------------------------------


@pytest.mark.parametrize(
    ("items", "size", "expected"),
    [  # case: intrinsic_functions/test_array_jsonata.py::...::test_array_partition#*
        ([0], 1, [[0]]),
        ([0], 4, [[0]]),
        ([0, 1, 2], 2, [[0, 1], [2]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
        ([0, 1, 2, 3], 5, [[0, 1, 2, 3]]),
    ],
)
def test_partition_corpus(items: list[int], size: int, expected: Json) -> None:
    states = {"input": {"FunctionInput": {"fst": items, "snd": size}}}
    text = (
        "$partition($states.input.FunctionInput.fst, $states.input.FunctionInput.snd)"
    )
    assert evaluate(text, states=states) == expected


def test_partition_edges() -> None:  # measured
    assert evaluate("$partition([1,2,3])") == [[1, 2, 3]]
    assert evaluate("$partition([1,2,3,4,5], 2.9)") == [[1, 2], [3, 4], [5]]
    assert evaluate("$partition([], 2)") is UNDEFINED
    assert evaluate("$partition([1,2,3], 0)") is UNDEFINED
    assert evaluate("$partition([1,2,3,4], -0.5)") is UNDEFINED
    assert cause_of("$partition([1,2,3], -1)") == thrown(
        "$partition([1,2,3], -1)", ". D3137: Second argument must be zero or greater"
    )
    assert cause_of("$partition(null, 2)").endswith(
        '. T0412: Argument 1 of function "partition" must be an array of undefined'
    )


@pytest.mark.parametrize(
    ("start", "end", "step", "expected"),
    [  # case: intrinsic_functions/test_array_jsonata.py::...::test_array_range#*
        (0, 9, 3, [0, 3, 6, 9]),
        (0, 10, 3, [0, 3, 6, 9]),
        (1, 9, 9, 1),  # a sequence of one collapses to its item
        (1, 9, 2, [1, 3, 5, 7, 9]),
    ],
)
def test_range_corpus(start: int, end: int, step: int, expected: Json) -> None:
    states = {"input": {"FunctionInput": {"fst": start, "snd": end, "trd": step}}}
    text = (
        "$range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd,"
        " $states.input.FunctionInput.trd)"
    )
    assert evaluate(text, states=states) == expected


def test_range_edges() -> None:  # measured
    assert evaluate("$range(10, 0, -2)") == [10, 8, 6, 4, 2, 0]
    assert evaluate("$range(-1.7, 2, 1)") == [-1, 0, 1, 2]
    assert evaluate("$range(5, 1, -1.5)") == [5, 4, 3, 2, 1]
    assert evaluate("$range(5, 1, 1)") is UNDEFINED
    assert evaluate("$range(1, 5, 0)") is UNDEFINED
    assert evaluate("$range(1, 5)") is UNDEFINED
    big = (
        "$count($range(-9223372036854775808, 9223372036854775807, 9223372036854775807))"
    )
    assert evaluate(big) == 3


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [  # standard digests of "Hello"
        ("MD5", "8b1a9953c4611296a827abf8c47804d7"),
        ("SHA-1", "f7ff9e8b7bb2e09b70935a5d785e0cc5d9d0abf0"),
        ("SHA-256", "185f8db32271fe25f561a6fc938b2e264306ec304eda518007d1764826381969"),
    ],
)
def test_hash(algorithm: str, digest: str) -> None:
    assert evaluate(f"$hash('Hello', '{algorithm}')") == digest


def test_hash_edges() -> None:
    assert evaluate("$hash('ñ', 'MD5')") == "94e9342ecbb1458b6043ecd3bfcbc192"  # UTF-8
    assert len(evaluate("$hash('a', 'SHA-512')")) == 128
    assert evaluate("$hash('Hello')") is UNDEFINED  # measured
    assert ". D3137: " in cause_of("$hash('Hello', 'md5')")  # case-sensitive (measured)


@pytest.mark.parametrize(
    ("text", "expected"),
    # case: intrinsic_functions/test_json_manipulation_jsonata.py::...::test_parse#0-6
    [
        ("-0", 0),
        ("1", 1),
        ("1.1", 1.1),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
    ],
)
def test_parse_corpus(text: str, expected: Json) -> None:
    states = {"input": {"FunctionInput": text}}
    result = evaluate("$parse($states.input.FunctionInput)", states=states)
    assert result == expected
    assert type(result) is type(expected)


def test_parse_edges() -> None:  # measured
    assert evaluate("$parse('1.0')") == 1
    assert evaluate("$exists($parse('null'))") is True
    assert evaluate("$parse()") is UNDEFINED
    assert evaluate("$map(['{\"a\":1}', '{\"a\":2}'], $parse).a") == [1, 2]
    for bad in ["''", "'  '", "'[1,2] [3,4]'", '\'{"a":1,"a":2}\'', "'1e400'", "'NaN'"]:
        assert cause_of(f"$parse({bad})").endswith(". D3137: Invalid JSON")


def test_random_with_a_seed_is_java_util_random() -> None:  # measured
    assert evaluate("$random(42)") == 0.7275636800328681
    assert evaluate("$random(0)") == 0.730967787376657
    assert evaluate("$random(7)") == 0.7306990420600421
    assert evaluate("$random(0.9)") == evaluate("$random(0)")
    assert java_random_double(-1) == java_random_double(-1)


def test_random_seeded_is_not_a_function() -> None:
    # case: intrinsic_functions/test_math_operations_jsonata.py
    #       ::TestMathOperationsJSONata::test_math_random_seeded
    text = "$randomSeeded($states.input.FunctionInput.fst)"
    cause = cause_of(text, states={"input": {"FunctionInput": "fst"}})
    assert cause == thrown(text, ". T1006: Attempted to invoke a non-function")


def test_eval_is_removed() -> None:  # measured: AWS answers T1006
    assert cause_of("$eval('1+1')").endswith(
        ". T1006: Attempted to invoke a non-function"
    )


def test_uuid_random_and_shuffle_draw_from_entropy() -> None:
    uuid = evaluate("$uuid()")
    assert uuid == Entropy("test").uuid4()
    assert uuid[14] == "4"
    assert uuid[19] in "89ab"
    assert evaluate("$uuid() = $uuid()") is False
    assert 0 <= evaluate("$random()") < 1
    assert sorted(evaluate("$shuffle([1, 2, 3, 4, 5])")) == [1, 2, 3, 4, 5]


def test_now_and_millis_are_the_event_time() -> None:
    assert evaluate("$now()") == "2023-11-14T22:13:20.123Z"
    assert evaluate("$millis()") == NOW_MS
    assert evaluate("$now('[Y0001]-[M01]-[D01]')") == "2023-11-14"
    assert evaluate("$fromMillis($millis())") == "2023-11-14T22:13:20.123Z"


@pytest.mark.parametrize(
    ("text", "index", "name"),
    [  # measured: each names its first bad argument
        ("$hash()", 1, "hash"),
        ("$hash(42, 'MD5')", 1, "hash"),
        ("$hash('a', 5)", 2, "hash"),
        ("$hash('a', 'SHA-256', 'x')", 3, "hash"),
        ("$parse(123)", 1, "parse"),
        ("$parse(null)", 1, "parse"),
        ("$parse('{}', 1)", 2, "parse"),
        ("$uuid('x')", 1, "uuid"),
        ("$random('seed')", 1, "random"),
        ("$random(null)", 1, "random"),
        ("$random(77, 88)", 2, "random"),
        ("$partition([1, 2, 3], '2')", 2, "partition"),
        ("$partition([1, 2, 3], null)", 2, "partition"),
        ("$partition([1, 2, 3], 2, 99)", 3, "partition"),
        ("$range('a', 5, 1)", 1, "range"),
        ("$range(1)", 2, "range"),
        ("$range(1, 5, null)", 3, "range"),
        ("$range(1, 5, 1, 99)", 4, "range"),
    ],
)
def test_extension_signature_errors(text: str, index: int, name: str) -> None:
    expected = f'. T0410: Argument {index} of function "{name}" does not match function'
    assert cause_of(text) == thrown(text, expected + " signature")


# --- failures in AWS's words ---------------------------------------------------


CODED = [  # measured (AWS's causes, minus the sentence this module adds)
    (
        "$sum(['a'])",
        'T0412: Argument 1 of function "sum" must be an array of "numbers"',
    ),
    (
        "$each('x', function($v){$v})",
        'T0410: Argument 1 of function "each" does not match function signature',
    ),
    (
        "$reduce([1,2], function($a){$a})",
        "D3050: The second argument of reduce function must be a function with at "
        "least two arguments",
    ),
    (
        "$single([1,2], function($x){true})",
        "D3138: The $single() function expected exactly 1 matching result.  Instead "
        "it matched more.",
    ),
    (
        "$split('a','b',-1)",
        "D3020: Third argument of split function must evaluate to a positive number",
    ),
    (
        "$sqrt(-1)",
        "D3060: The sqrt function cannot be applied to a negative number: -1",
    ),
    ("1 + {}", 'T2002: The right side of the "+" operator must evaluate to a number'),
    (
        "1 < 'a'",
        'T2009: The values 1 and "a" either side of operator "<" must be of the same '
        "data type",
    ),
    ("$number('abc')", 'D3030: Unable to cast value to a number: "abc"'),
    (
        "$uppercase(null)",
        'T0410: Argument 1 of function "uppercase" does not match function signature',
    ),
    ("{'a': 1, 'a': 2}", 'D1009: Multiple key definitions evaluate to same key: "a"'),
    ("$error('boom')", "D3137: boom"),
]


@pytest.mark.parametrize(("text", "detail"), CODED)
def test_coded_failures(text: str, detail: str) -> None:
    assert cause_of(text) == thrown(text, ". " + detail)


def test_uncoded_failures_join_with_a_colon() -> None:
    # measured: $replace's message carries no code on AWS
    text = "$replace('a', '', 'b')"
    detail = ": Second argument of replace function cannot be an empty string"
    assert cause_of(text) == thrown(text, detail)


def test_undefined_result_names_the_field() -> None:
    # case: assign/...::test_undefined_reference[BASE_UNDEFINED_OUTPUT_FIELD]
    expression = compile_expression("$doesNotExist")
    with pytest.raises(StatesError) as failure:
        expression.evaluate_value(
            {}, {"input": {}}, now_ms=0, entropy=Entropy("e"), field="Output/result"
        )
    assert failure.value.cause == (
        "The JSONata expression '$doesNotExist' specified for the field "
        "'Output/result' returned nothing (undefined)."
    )


def test_function_result_is_unsupported() -> None:
    # case: scenarios/...::test_map_state_items_eval_jsonata_fail[function]
    text = "$fn := function($x){$x}"
    expression = compile_expression(text)
    with pytest.raises(StatesError) as failure:
        expression.evaluate({}, {}, now_ms=0, entropy=Entropy("e"), field="Items")
    assert failure.value.cause == (
        f"The JSONata expression '{text}' specified for the field 'Items' "
        "returned an unsupported result type."
    )


@pytest.mark.parametrize(
    ("text", "kind", "rendered"),
    [  # case: scenarios/...::test_map_state_items_eval_jsonata_fail[boolean|null|...]
        ("true", "boolean", "true"),
        ("null", "null", "null"),
        ("1", "number", "1"),
        ("{'foo': 'bar'}", "object", '{"foo":"bar"}'),
        ("'string'", "string", '"string"'),
    ],
)
def test_unexpected_type_for_items(text: str, kind: str, rendered: str) -> None:
    expression = compile_expression(text)
    value = expression.evaluate({}, {}, now_ms=0, entropy=Entropy("e"), field="Items")
    error = expression.unexpected_type("Items", "array", value)  # type: ignore[arg-type]
    assert error.cause == (
        f"The JSONata expression '{text}' specified for the field 'Items' returned an "
        f"unexpected result type. Expected 'array', but was '{kind}' for value: "
        f"{rendered}"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [  # measured: AWS rejects these definitions with jsonata-js's uncoded message
        ("a[1,2)", 'Expected "]", got ","'),
        ("1 +", "Unexpected end of expression"),
        ("'unterminated", "String literal must be terminated by a matching quote"),
        ("$match('a', /abc", "No terminating / in regular expression"),
    ],
)
def test_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as failure:
        compile_expression(text)
    assert str(failure.value) == message
    assert failure.value.expression == text


def test_compiled_once_per_text() -> None:
    assert compile_expression("$states.input.a") is compile_expression(
        "$states.input.a"
    )


def test_inputs_are_never_mutated() -> None:
    states: Any = {"input": {"n": [3, 1, 2], "o": {"a": 1}, "l": [{"k": 2}, {"k": 1}]}}
    before = repr(states)
    for text in [
        "$states.input ~> |o|{'b': 2}|",
        "$states.input ~> |l|{'x': 1}, ['k']|",
        "$sort($states.input.n)",
        "$reverse($states.input.n)",
        "$shuffle($states.input.n)",
        "$append($states.input.n, 4)",
        "$merge([$states.input.o, {'z': 1}])",
        "$states.input.l^(k)",
    ]:
        evaluate(text, states=states)
    assert repr(states) == before
