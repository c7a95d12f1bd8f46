"""Machine-level rules: required fields, scopes, names, transitions, reachability."""

from typing import Any

from statum.core.definition.problems import (
    DUPLICATE_STATE_NAME,
    INVALID_JSON_DESCRIPTION,
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
    SCHEMA_VALIDATION_FAILED,
    Problem,
    format_problem,
)
from statum.core.definition.validation import validate_definition_text
from tests.definition.helpers import PASS_END, at, machine, one, only, problems


def test_a_valid_definition_has_no_problems() -> None:
    assert problems(one(PASS_END)) == []


def test_a_definition_must_be_an_object() -> None:
    docs: list[Any] = [[], "x", 3, None, True]
    for doc in docs:
        assert only(doc) == Problem(
            "", "Definition must be a valid JSON object", SCHEMA_VALIDATION_FAILED
        )


def test_states_and_start_at_are_required_together() -> None:
    assert only({}).message == "These fields are required: [States, StartAt]"
    assert only({"States": {"A": PASS_END}}).message == (
        "These fields are required: [StartAt]"
    )


def test_unknown_top_level_fields_are_reported_where_they_are() -> None:
    problem = only(one(PASS_END, Foo=1))
    assert problem.location == "/Foo"
    assert problem.message.startswith("Field 'Foo' is not supported")


def test_top_level_timeout_must_be_a_positive_integer() -> None:
    assert only(one(PASS_END, TimeoutSeconds=0)).message == "Minimum value is 1"
    assert only(one(PASS_END, TimeoutSeconds="5")).message == (
        "Expected value of type [INTEGER]"
    )
    assert only(one(PASS_END, Version=1)).location == "/Version"


def test_start_at_must_name_a_state() -> None:
    found = problems({"StartAt": "Nope", "States": {"A": PASS_END}})
    assert [(p.code, p.location) for p in found] == [
        (MISSING_TRANSITION_TARGET, "/StartAt"),
        (MISSING_TRANSITION_TARGET, "/States/A"),
    ]
    assert found[0].message.startswith("Missing 'Next' target: Nope")
    assert found[1].message.startswith('State "A" is not reachable.')


def test_next_must_name_a_state_of_the_same_scope() -> None:
    doc = machine({"A": {"Type": "Pass", "Next": "Ghost"}, "B": PASS_END})
    found = problems(doc)
    assert found[0] == Problem(
        "/States/A/Next",
        "Missing 'Next' target: Ghost. Name a state defined in the same 'States' "
        "object",
        MISSING_TRANSITION_TARGET,
    )


def test_a_branch_cannot_transition_out_of_itself() -> None:
    branch = {"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "Out"}}}
    doc = machine(
        {
            "P": {"Type": "Parallel", "Branches": [branch], "Next": "Out"},
            "Out": PASS_END,
        }
    )
    problem = only(doc)
    assert problem.location == "/States/P/Branches/0/States/In/Next"
    assert problem.code == MISSING_TRANSITION_TARGET


def test_unreachable_states_are_reported_at_the_state() -> None:
    problem = only(machine({"A": PASS_END, "B": PASS_END}))
    assert problem.location == "/States/B"
    assert problem.code == MISSING_TRANSITION_TARGET
    assert problem.message.startswith('State "B" is not reachable.')


def test_catchers_and_defaults_make_states_reachable() -> None:
    doc = machine(
        {
            "T": {
                "Type": "Task",
                "Resource": "python:app.work",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                "Next": "C",
            },
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}],
                "Default": "Other",
            },
            "Done": {"Type": "Succeed"},
            "Other": {"Type": "Succeed"},
            "Failed": {"Type": "Fail"},
        }
    )
    assert problems(doc) == []


def test_a_machine_needs_a_terminal_state() -> None:
    doc = machine(
        {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}
    )
    assert only(doc) == Problem(
        "",
        'Workflow has no terminal state; give at least one state "End": true, or add '
        "a Succeed or Fail state",
        MISSING_END_STATE,
    )


def test_a_nested_loop_without_terminal_state_is_accepted_like_aws() -> None:
    loop = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "A"},
        },
    }
    assert problems(one({"Type": "Map", "ItemProcessor": loop, "End": True})) == []


def test_state_names_are_unique_across_the_whole_machine() -> None:
    branch = {"StartAt": "Same", "States": {"Same": PASS_END}}
    doc = machine(
        {"Same": {"Type": "Parallel", "Branches": [branch, branch], "End": True}}
    )
    found = problems(doc)
    assert [p.code for p in found] == [DUPLICATE_STATE_NAME, DUPLICATE_STATE_NAME]
    assert found[0].location == "/States/Same/Branches/0/States/Same"
    assert found[0].message.startswith("Duplicate State name: Same (also declared at ")


def test_state_names_have_at_most_80_characters() -> None:
    assert problems(machine({"x" * 80: PASS_END})) == []
    problem = only(machine({"x" * 81: PASS_END}))
    assert problem.message.startswith("State name is 81 characters long")


def test_pointers_escape_slash_and_tilde_in_names() -> None:
    doc = machine({"a/b~c": {"Type": "Pass", "Next": "zz"}})
    assert at(doc, "/States/a~1b~0c/Next")


def test_every_problem_is_reported_not_only_the_first() -> None:
    doc = machine(
        {
            "A": {"Type": "Pass", "Next": "Ghost", "Bogus": 1},
            "B": {"Type": "Wait", "End": True},
            "C": {"Type": "Task", "End": True},
        }
    )
    locations = {p.location for p in problems(doc)}
    assert {"/States/A/Next", "/States/A/Bogus", "/States/B", "/States/C"} <= locations


def test_text_that_is_not_json_is_reported_not_raised() -> None:
    (problem,) = validate_definition_text("not a definition")
    assert problem.code == INVALID_JSON_DESCRIPTION
    (blank,) = validate_definition_text("  ")
    assert blank.message == "Definition must be a valid JSON object"
    assert (
        validate_definition_text(b'{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}')
        == []
    )


def test_format_problem_reads_like_aws() -> None:
    problem = Problem("/States/A/Next", "Missing 'Next' target: B", "X")
    assert format_problem(problem) == "X: Missing 'Next' target: B at /States/A/Next"
    assert format_problem(Problem("", "m", "C")) == "C: m at /"


def test_nesting_is_bounded_instead_of_overflowing_the_stack() -> None:
    scope: dict[str, Any] = {"StartAt": "L", "States": {"L": PASS_END}}
    for depth in range(200):
        scope = {
            "StartAt": f"P{depth}",
            "States": {
                f"P{depth}": {"Type": "Parallel", "Branches": [scope], "End": True}
            },
        }
    found = problems(scope)
    assert any("nests" in p.message and "more than" in p.message for p in found)
