"""Load a definition from JSON (text or decoded) into a runnable Program."""

from typing import Any

from statum.core.definition.loader import (
    InvalidDefinition,
    load_definition,
    parse_definition_text,
)
from statum.core.definition.problems import Problem
from statum.core.interpreter.errors import DefinitionError
from statum.core.interpreter.program import Program, compile_program

__all__ = ["InvalidDefinition", "load_program"]


def load_program(source: Any) -> Program:
    """Validate and compile a definition given as JSON text, bytes or a decoded dict."""
    doc = parse_definition_text(source) if isinstance(source, str | bytes) else source
    definition = load_definition(doc)
    try:
        return compile_program(definition)
    except DefinitionError as exc:
        raise InvalidDefinition(
            [
                Problem(location="", message=p, code="SCHEMA_VALIDATION_FAILED")
                for p in exc.problems
            ]
        ) from None
