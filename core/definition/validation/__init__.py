"""The OSML definition validator.

`validate_definition` takes a decoded definition and returns every problem it finds,
each located by a JSON pointer; it never raises. An empty list means the definition is
valid. The rules are AWS Step Functions' (as AWS applies them, not only as the ASL
specification words them) plus OSML's extensions; see docs/validation-differences.md for
where Statum deliberately differs from the community linters.
"""

from typing import Literal

import msgspec

from statum.core.definition.problems import (
    INVALID_JSON_DESCRIPTION,
    SCHEMA_VALIDATION_FAILED,
    Problem,
)
from statum.core.definition.validation.context import Ctx
from statum.core.definition.validation.duplicates import duplicate_key_problems
from statum.core.definition.validation.size import shape_problems, text_size_problems
from statum.core.definition.validation.structure import check_machine
from statum.core.language.json import Json

__all__ = ["StateMachineType", "validate_definition", "validate_definition_text"]

StateMachineType = Literal["STANDARD", "EXPRESS"]


def validate_definition(
    doc: Json, *, state_machine_type: StateMachineType = "STANDARD"
) -> list[Problem]:
    """Every problem in the definition `doc` (decoded JSON); [] when it is valid.

    `state_machine_type` adds the rules AWS applies to EXPRESS machines only (no
    activities, no `.sync` or `.waitForTaskToken` integrations).
    """
    return shape_problems(doc) or _rule_problems(doc, state_machine_type)


def _rule_problems(doc: Json, state_machine_type: StateMachineType) -> list[Problem]:
    ctx = Ctx(problems=[], express=state_machine_type == "EXPRESS")
    check_machine(ctx, doc)
    return ctx.problems


def validate_definition_text(
    text: str | bytes, *, state_machine_type: StateMachineType = "STANDARD"
) -> list[Problem]:
    """Like `validate_definition`, for a definition still in its JSON text."""
    if not text.strip():
        return [
            Problem(
                location="",
                message="Definition must be a valid JSON object",
                code=SCHEMA_VALIDATION_FAILED,
            )
        ]
    too_big = text_size_problems(text)
    if too_big:
        return too_big
    try:
        doc: Json = msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        return [
            Problem(
                location="",
                message=f"The definition is not valid JSON: {exc}",
                code=INVALID_JSON_DESCRIPTION,
            )
        ]
    shape = shape_problems(doc, measured=True)
    if shape:
        return shape
    return duplicate_key_problems(text) + _rule_problems(doc, state_machine_type)
