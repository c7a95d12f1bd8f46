"""States.ArrayUnique keeps the first of each group of equal values (Jackson's
equality: the type counts, key order does not), in time linear in the array."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from statum.core.language.intrinsic_functions import _array_unique
from statum.core.language.jsonequality import json_equal

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.5, 1.0, -2.0]),
    st.sampled_from(["", "a", "1"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from("abc"), inner, max_size=3)
    ),
    max_leaves=8,
)


def _quadratic(items: list[Any]) -> list[Any]:
    unique: list[Any] = []
    for item in items:
        if not any(json_equal(item, seen) for seen in unique):
            unique.append(item)
    return unique


@given(st.lists(values, max_size=12))
def test_it_agrees_with_pairwise_jackson_equality(items: list[Any]) -> None:
    got = _array_unique("States.ArrayUnique", [items], None)  # type: ignore[arg-type]
    # json_equal, not ==: Python's == calls True, 1 and 1.0 the same.
    assert json_equal(got, _quadratic(items))


def test_forty_thousand_numbers() -> None:
    items: list[Any] = list(range(40_000)) * 2
    got = _array_unique("States.ArrayUnique", [items], None)  # type: ignore[arg-type]
    assert got == list(range(40_000))


def test_string_to_json_refuses_text_nested_past_the_limit() -> None:
    import pytest

    from statum.core.language.errors import StatesError
    from statum.core.language.intrinsic_functions import (
        MAX_JSON_DEPTH,
        _nesting_depth,
        _string_to_json,
    )

    fine = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert _nesting_depth(fine) == MAX_JSON_DEPTH
    assert _nesting_depth('["[[[[", {"a": "}}"}]') == 2
    assert _string_to_json("States.StringToJson", [fine], None) is not None  # type: ignore[arg-type]
    deep = "[" * 50_000 + "]" * 50_000
    with pytest.raises(StatesError, match="deeper than 512 levels"):
        _string_to_json("States.StringToJson", [deep], None)  # type: ignore[arg-type]
