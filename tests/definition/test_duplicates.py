"""Duplicate keys in definition text are reported, not silently collapsed."""

from statum.core.definition.validation import validate_definition_text
from statum.core.definition.validation.duplicates import duplicate_key_problems


def test_a_state_defined_twice_is_a_duplicate_state_name() -> None:
    text = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}'
    problems = duplicate_key_problems(text)
    assert [(p.code, p.location) for p in problems] == [
        ("DUPLICATE_STATE_NAME", "/States/A")
    ]


def test_a_field_written_twice_is_reported_where_it_is() -> None:
    text = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"End":false}}}'
    problems = duplicate_key_problems(text)
    assert [p.location for p in problems] == ["/States/A/End"]
    assert "more than once" in problems[0].message


def test_nested_duplicates_in_arrays_are_found() -> None:
    text = '{"a":[{"x":1},{"y":1,"y":2}]}'
    assert [p.location for p in duplicate_key_problems(text)] == ["/a/1/y"]


def test_text_validation_includes_duplicates_and_bad_json_is_one_problem() -> None:
    text = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Pass","End":true}}}'
    codes = [p.code for p in validate_definition_text(text)]
    assert "DUPLICATE_STATE_NAME" in codes
    assert duplicate_key_problems("{not json") == []
