"""Small builders for definition tests."""

from typing import Any

from statum.core.definition.problems import Problem, format_problem
from statum.core.definition.validation import validate_definition


def machine(states: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A definition starting at the first of `states`."""
    return {"StartAt": next(iter(states)), "States": states, **top}


def one(state: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A definition holding the single state `S`."""
    return machine({"S": state}, **top)


def problems(doc: Any, **options: Any) -> list[Problem]:
    return validate_definition(doc, **options)


def only(doc: Any, **options: Any) -> Problem:
    """The one problem `doc` has (fails the test if it has another number)."""
    found = validate_definition(doc, **options)
    assert len(found) == 1, "\n".join(format_problem(p) for p in found)
    return found[0]


def at(doc: Any, location: str, **options: Any) -> list[Problem]:
    """The problems located exactly at `location`."""
    return [p for p in validate_definition(doc, **options) if p.location == location]


def messages(doc: Any, **options: Any) -> list[str]:
    return [format_problem(p) for p in validate_definition(doc, **options)]


PASS_END = {"Type": "Pass", "End": True}
