"""Assign fields: their variable names, and their values in either query language."""

from typing import Final

from statum.core.definition.validation.context import JSONATA, Ctx, Lang, pointer
from statum.core.definition.validation.fields import expect
from statum.core.definition.validation.syntax import (
    check_jsonata_template,
    check_jsonpath_template,
)
from statum.core.language.json import Json

_MAX_VARIABLE_NAME: Final = 80


def check_variable_names(
    ctx: Ctx, loc: str, value: dict[str, Json], language: Lang
) -> None:
    """Assign's keys are variable names: `$name` must be able to refer to them."""
    for key in value:
        name = key[:-2] if language != JSONATA and key.endswith(".$") else key
        at = pointer(loc, key)
        if name == "states":
            ctx.report(
                at, "'states' is reserved for $states; choose another variable name"
            )
        elif len(name) > _MAX_VARIABLE_NAME:
            ctx.report(
                at,
                f"The variable name '{name[:20]}...' is longer than "
                f"{_MAX_VARIABLE_NAME} characters; shorten it",
            )
        elif not name.isidentifier():
            # AWS: Unicode identifiers (UAX #31: ID_Start, then ID_Continue).
            ctx.report(
                at,
                f"'{name}' is not a valid variable name: start with a letter or '_' "
                "and use only letters, digits and '_'",
            )


def check_assign(ctx: Ctx, loc: str, value: Json, language: Lang) -> None:
    if not expect(ctx, loc, value, "OBJECT"):
        return
    assert isinstance(value, dict)
    check_variable_names(ctx, loc, value, language)
    if language == JSONATA:
        check_jsonata_template(ctx, loc, value)
    else:
        check_jsonpath_template(ctx, loc, value)
