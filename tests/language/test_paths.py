"""JSONPath evaluation with AWS's (Jayway's) semantics and messages."""

from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import LanguageSyntaxError
from statum.core.language.paths import (
    JsonPath,
    PathNotFound,
    PathSyntaxError,
    compile_path,
)
from statum.core.language.scope import Scope

DOC: dict[str, Any] = {
    "a": {"b": {"c": 1}, "list": [10, 20, 30, 40]},
    "users": [
        {"name": "ann", "year": 1997, "status": 0, "tags": ["x"]},
        {"name": "bob", "year": 1998, "status": 1},
        {"name": "cy", "year": 2001, "status": 1, "tags": []},
    ],
    "with space": "s",
    "delivery-partner": "dp",
    "n": None,
    "text": "hello",
}


def scope(value: Any = None, context: Any = None, **variables: Any) -> Scope:
    return Scope(
        DOC if value is None else value,
        {"Execution": {"Id": "arn:x", "Input": {"k": 1}}}
        if context is None
        else context,
        variables,
        Entropy("test"),
    )


def evaluate(text: str, value: Any = None, **variables: Any) -> Any:
    return compile_path(text).evaluate(scope(value, **variables))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$", DOC),
        ("$.a.b.c", 1),
        ("$['a']['b']", {"c": 1}),
        ('$["with space"]', "s"),
        ("$.delivery-partner", "dp"),  # a name in the corpus (Choice cases)
        ("$.a.list[0]", 10),
        ("$.a.list[-1]", 40),
        ("$.n", None),
        ("$['a','text']", {"a": DOC["a"], "text": "hello"}),
        ("$.a.list.[1]", 20),
        ("$.['text']", "hello"),
    ],
)
def test_definite_paths_return_the_value(text, expected):
    path = compile_path(text)
    assert path.is_definite
    assert path.evaluate(scope()) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.a.list[0,2]", [10, 30]),
        ("$.a.list[1:3]", [20, 30]),
        ("$.a.list[:2]", [10, 20]),
        ("$.a.list[-2:]", [30, 40]),
        ("$.a.list[*]", [10, 20, 30, 40]),
        ("$.a.b.*", [1]),
        ("$.users[*].name", ["ann", "bob", "cy"]),
        ("$..c", [1]),
        ("$..name", ["ann", "bob", "cy"]),
        ("$.users..tags[*]", ["x"]),
        ("$.users[?(@.status == 1)].name", ["bob", "cy"]),
        ("$.users[?(@.year > 1997 && @.status == 1)].name", ["bob", "cy"]),
        ("$.users[?(@.year < 1998 || @.year >= 2001)].name", ["ann", "cy"]),
        ("$.users[?(@.tags)].name", ["ann", "cy"]),  # existence, even if empty
        ("$.users[?(!(@.status == 1))].name", ["ann"]),
        ("$.users[?(@.name == 'bob')].year", [1998]),
        ('$.users[?(@.name != "bob")].year', [1997, 2001]),
        ("$.users[?(@.name =~ /b.b/)].name", ["bob"]),
        ("$.users[?(@.name =~ /BOB/i)].name", ["bob"]),
        ("$.users[?(@.name in ['ann', 'cy'])].year", [1997, 2001]),
        ("$.users[?(@.name nin ['ann', 'cy'])].year", [1998]),
        ("$.users[?(@.tags size 1)].name", ["ann"]),
        ("$.users[?(@.tags empty true)].name", ["cy"]),
        ("$.users[?(@.tags contains 'x')].name", ["ann"]),
        ("$.users[?(@.year > $.a.list[0])].name", ["ann", "bob", "cy"]),
        # A missing member is undefined: it equals nothing, so != keeps it.
        ("$.users[?(@.tags != ['x'])].name", ["bob", "cy"]),
    ],
)
def test_indefinite_paths_return_every_match(text, expected):
    path = compile_path(text)
    assert not path.is_definite
    assert path.evaluate(scope()) == expected


def test_filter_from_the_corpus():
    # base/test_base.py::TestSnfBase::test_state_pass_regex_json_path_base
    data = {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}
    assert evaluate("$.users[?(@.status == 0)]", data) == [{"year": 1997, "status": 0}]


def test_filter_existence_keeps_false_values():
    # Step Functions Local, as reported in floci-io/floci#3260.
    data = {"list": [{"keep": True}, {"keep": False}, {"other": 1}]}
    assert evaluate("$.list[?(@.keep)]", data) == [{"keep": True}, {"keep": False}]
    assert evaluate("$.list[?(@.keep == true)]", data) == [{"keep": True}]


def test_deep_scan_then_wildcard():
    data = {"d": {"x": {"a": [1, 2]}}}
    assert evaluate("$.d..a", data) == [[1, 2]]
    assert evaluate("$.d..a[*]", data) == [1, 2]


@pytest.mark.parametrize(
    "text",
    [
        "$.item.items[1:5]",
        "$.item.items[*]",
        "$.items[1:].itemValue",
        "$.items[:1]",
        "$[*]",
    ],
)
def test_indefinite_paths_over_missing_data_give_an_empty_list(text):
    # base/test_base.py::...::test_json_path_array_wildcard_or_slice_with_no_input
    assert evaluate(text, {}) == []


def test_index_out_of_range_is_null_as_with_jacksons_provider():
    assert evaluate("$.a.list[9]") is None
    assert evaluate("$.a.list[-9]") is None
    assert evaluate("$.a.list[1,9]") == [20, None]


def test_quoted_names_keep_backslashes():
    # scenarios/...::test_escape_sequence_parsing[ESCAPE_SEQUENCES_JSONPATH]
    data = {'Test\\""Name"': 'Value"\\'}
    assert evaluate('$[\'Test\\""Name"\']', data) == 'Value"\\'


def test_context_and_variable_roots():
    path = compile_path("$$.Execution.Input.k")
    assert (path.root_kind, path.variable_name) == ("context", None)
    assert path.evaluate(scope()) == 1
    variable = compile_path("$answer.deep[0]")
    assert (variable.root_kind, variable.variable_name) == ("variable", "answer")
    assert variable.evaluate(scope(answer={"deep": ["yes"]})) == "yes"
    assert compile_path("$x").evaluate(scope(x=42)) == 42
    assert compile_path("$").root_kind == "input"


def test_undefined_variable_is_not_found():
    with pytest.raises(PathNotFound) as caught:
        evaluate("$nope.a")
    assert caught.value.path.text == "$nope.a"


@pytest.mark.parametrize(
    ("text", "data", "message"),
    [
        # scenarios/...::test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_INPUTPATH]
        (
            "$.NoSuchInputPath",
            {"int-literal": 0},
            "No results for path: $['NoSuchInputPath']",
        ),
        # scenarios/test_base_scenarios.py::TestBaseScenarios::test_catch_states_runtime
        ("$.no.such.result.path", {}, "Missing property in path $['no']"),
        ("$.a.b.x", DOC, "No results for path: $['a']['b']['x']"),
        (
            "$.text.x",
            DOC,
            "Expected to find an object with property ['x'] in path $['text'] but "
            "found 'java.lang.String'. This is not a json object according to the "
            "JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.",
        ),
        ("$.n[0]", DOC, "The path $['n'] is null"),
        (
            "$.text[0]",
            DOC,
            "Filter: [0] can only be applied to arrays. Current context is: hello",
        ),
    ],
)
def test_definite_paths_raise_jayways_messages(text, data, message):
    with pytest.raises(PathNotFound) as caught:
        evaluate(text, data)
    assert caught.value.message == message
    assert caught.value.invalid_path_cause() == f"Invalid path '{text}' : {message}"


def test_step_cause_names_the_missing_step():
    data: Any = {"discovery": {"statusCode": 500}}
    with pytest.raises(PathNotFound) as caught:
        evaluate("$.discovery.objects", data)
    assert caught.value.step_cause(data) == (
        'Unable to apply step "objects" to input {"discovery":{"statusCode":500}}'
    )


def test_path_functions_parse_but_never_find_anything():
    # AWS: "The JSONPath '$.Jobs.sum()' ... could not be found in the input" (re:Post).
    path = compile_path("$.Jobs.sum()")
    with pytest.raises(PathNotFound):
        path.evaluate(scope({"Jobs": [0, 1]}))
    with pytest.raises(PathNotFound):
        compile_path("$..x.length()").evaluate(scope())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a.b",
        "$.",
        "$.a b",
        "$[",
        "$[1",
        "$['a'",
        "$[a]",
        "$[?(@.a ==)]",
        "$.f().g",
        "$[1:2:3]",
    ],
)
def test_syntax_errors(text):
    with pytest.raises(PathSyntaxError) as caught:
        compile_path(text)
    assert isinstance(caught.value, LanguageSyntaxError)


def test_compiled_paths_are_cached_and_immutable():
    path = compile_path("$.a.b")
    assert compile_path("$.a.b") is path
    assert isinstance(path, JsonPath)
    with pytest.raises(AttributeError):
        path.text = "$.x"  # type: ignore[misc]


def test_evaluation_does_not_copy_or_change_the_input():
    data = {"a": {"b": [1]}}
    result = evaluate("$.a", data)
    assert result is data["a"]
    assert data == {"a": {"b": [1]}}
