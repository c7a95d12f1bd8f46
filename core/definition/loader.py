"""From JSON text to a runnable program: decode, validate, compile."""

from typing import Any

import msgspec

from statum.core.definition.model import Definition, convert_definition
from statum.core.definition.problems import Problem, format_problem
from statum.core.definition.validation import validate_definition
from statum.core.definition.validation.duplicates import duplicate_key_problems
from statum.core.definition.validation.size import shape_problems, text_size_problems
from statum.core.errors import StatumError


class InvalidDefinition(StatumError, ValueError):
    """The definition has problems; `problems` lists every one with its location."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {format_problem(p)}" for p in problems)
        super().__init__(
            f"the definition is invalid ({len(problems)} problem(s)):\n{lines}"
        )


def parse_definition_text(text: str | bytes) -> Any:
    """Decode JSON text; raises InvalidDefinition naming the position of bad JSON."""
    too_big = text_size_problems(text)
    if too_big:
        raise InvalidDefinition(too_big)
    try:
        doc = msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        raise InvalidDefinition(
            [
                Problem(
                    location="", message=f"not valid JSON: {exc}", code="INVALID_JSON"
                )
            ]
        ) from None
    duplicates = shape_problems(doc, measured=True) or duplicate_key_problems(text)
    if duplicates:
        raise InvalidDefinition(duplicates)
    return doc


def load_definition(doc: Any) -> Definition:
    """Validate a decoded definition and build its model."""
    problems = validate_definition(doc)
    if problems:
        raise InvalidDefinition(problems)
    try:
        return convert_definition(doc)
    except msgspec.ValidationError as exc:
        raise InvalidDefinition(
            [Problem(location="", message=str(exc), code="SCHEMA_VALIDATION_FAILED")]
        ) from None
