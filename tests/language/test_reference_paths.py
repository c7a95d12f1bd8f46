"""ResultPath reference paths: where a state's result is written into its input."""

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statum.core.language.entropy import Entropy
from statum.core.language.errors import StatesError
from statum.core.language.paths import (
    REFERENCE_PATH_CONFLICT,
    PathSyntaxError,
    compile_path,
    compile_reference_path,
)
from statum.core.language.scope import Scope

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)
NAMES = st.text(alphabet="abcxyz_", min_size=1, max_size=4)


def test_dollar_replaces_the_input():
    assert compile_reference_path("$").assign({"a": 1}, [1]) == [1]


def test_adds_the_result_beside_the_input():
    # base/test_base.py-style ResultPath "$.theAnswer" over an object input.
    assert compile_reference_path("$.result").assign({"a": 1}, "r") == {
        "a": 1,
        "result": "r",
    }


def test_creates_missing_objects_on_the_way():
    # query_language/test_mixed_query_language.py::...::test_task_dataflow_to_state
    # (ResultPath "$.enigma.mystery" over {"functionName": ...}).
    assert compile_reference_path("$.enigma.mystery").assign(
        {"f": "x"}, {"riddle": "?"}
    ) == {
        "f": "x",
        "enigma": {"mystery": {"riddle": "?"}},
    }


def test_overwrites_an_existing_member_and_keeps_its_siblings():
    data: Any = {"a": {"b": 1, "c": 2}}
    assert compile_reference_path("$.a.b").assign(data, 9) == {"a": {"b": 9, "c": 2}}


def test_writes_into_an_array_element():
    # Step Functions Local, as reported in floci-io/floci#3479.
    data: Any = [{"a": 1}, {"id": 7}, {"c": 3}, 4]
    assert compile_reference_path("$[1].payload").assign(data, {"s": 1}) == [
        {"a": 1},
        {"id": 7, "payload": {"s": 1}},
        {"c": 3},
        4,
    ]
    assert compile_reference_path("$[-1]").assign([1, 2], 0) == [1, 0]


def test_never_mutates_the_input():
    data: Any = {"a": {"b": [1, {"c": 2}]}, "d": 1}
    before = copy.deepcopy(data)
    result = compile_reference_path("$.a.b[1].c").assign(data, 3)
    assert data == before
    assert result == {"a": {"b": [1, {"c": 3}]}, "d": 1}
    assert result["d"] == 1


@pytest.mark.parametrize(
    ("path", "data", "cause"),
    [
        # Real executions: "Unable to apply ReferencePath $.someTaskResult to input
        # \"input1\"" with the error States.ReferencePathConflict.
        (
            "$.someTaskResult",
            "input1",
            'Unable to apply ReferencePath $.someTaskResult to input "input1"',
        ),
        ("$.x", [1, 2], "Unable to apply ReferencePath $.x to input [1,2]"),
        ("$.a.b", {"a": 5}, 'Unable to apply ReferencePath $.a.b to input {"a":5}'),
        (
            "$.a.b",
            {"a": None},
            'Unable to apply ReferencePath $.a.b to input {"a":null}',
        ),
        ("$[3]", [1], "Unable to apply ReferencePath $[3] to input [1]"),
        ("$.a[0]", {}, "Unable to apply ReferencePath $.a[0] to input {}"),
    ],
)
def test_conflicts(path, data, cause):
    with pytest.raises(StatesError) as caught:
        compile_reference_path(path).assign(data, 1)
    assert (caught.value.error, caught.value.cause) == (REFERENCE_PATH_CONFLICT, cause)


@pytest.mark.parametrize(
    "text",
    [
        "$.a[*]",
        "$..a",
        "$.a[0:1]",
        "$.a[?(@.x)]",
        "$['a','b']",
        "$$.a",
        "$var",
        "$.a.length()",
    ],
)
def test_only_names_and_single_indexes_are_allowed(text):
    with pytest.raises(PathSyntaxError):
        compile_reference_path(text)


@given(
    data=st.dictionaries(NAMES, JSON, max_size=4),
    names=st.lists(NAMES, min_size=1, max_size=4),
    value=JSON,
)
def test_assign_then_evaluate_round_trips(data, names, value):
    text = "$" + "".join(f"['{name}']" for name in names)
    before = copy.deepcopy(data)
    reference = compile_reference_path(text)
    try:
        result = reference.assign(data, value)
    except StatesError:
        # Only a step into something that is not an object can fail.
        with pytest.raises(StatesError, match="Unable to apply ReferencePath"):
            reference.assign(data, value)
        assert data == before
        return
    assert data == before
    scope = Scope(result, {}, {}, Entropy("p"))
    assert compile_path(text).evaluate(scope) == value


@given(data=JSON, value=JSON)
def test_dollar_path_round_trips(data: Any, value: Any) -> None:
    assert compile_reference_path("$").assign(data, value) == value
