"""QueryLanguage: which language a state uses, and which fields each language allows.

AWS's resolution, as measured with ValidateStateMachineDefinition:

* a state without `QueryLanguage` uses the machine's top-level language, even inside a
  Map or Parallel that declares its own (the container's choice is not inherited);
* only the exact string "JSONPath" selects JSONPath; any other value is reported
  against the enum but the state is then treated as JSONata;
* a JSONata machine cannot switch a state back to JSONPath, and when a state tries,
  that is the only language problem reported for it.
"""

from collections.abc import Mapping
from typing import Final

from statum.core.definition.validation.context import (
    JSONATA,
    JSONPATH,
    Ctx,
    Lang,
    pointer,
)
from statum.core.language.json import Json

# Fields a state may only carry in one of the two languages. Everything with a `Path`
# suffix is JSONPath's way of reading a value; JSONata reads it with an expression.
JSONPATH_ONLY: Final = (
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Result",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
)
JSONATA_ONLY: Final = ("Output", "Arguments", "Items")

_LANGUAGES = f"[{JSONPATH}, {JSONATA}]"


def _declared(ctx: Ctx, loc: str, value: Json) -> Lang:
    if not isinstance(value, str):
        ctx.report(loc, "Expected value of type [STRING]")
    elif value not in (JSONPATH, JSONATA):
        ctx.report(loc, f"Value should be one of the following: {_LANGUAGES}")
    return JSONPATH if value == JSONPATH else JSONATA


def machine_language(ctx: Ctx, root: Mapping[str, Json], loc: str) -> Lang:
    """The top-level language of a machine (JSONPath unless it says otherwise)."""
    if "QueryLanguage" not in root:
        return JSONPATH
    return _declared(ctx, pointer(loc, "QueryLanguage"), root["QueryLanguage"])


def state_language(ctx: Ctx, loc: str, state: Mapping[str, Json]) -> tuple[Lang, bool]:
    """The state's effective language, and whether its field check should run."""
    if "QueryLanguage" not in state:
        return ctx.language, True
    declared = _declared(ctx, pointer(loc, "QueryLanguage"), state["QueryLanguage"])
    if declared == JSONPATH and ctx.language == JSONATA:
        ctx.report(
            pointer(loc, "QueryLanguage"),
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state "
            "machine; remove it or rewrite the state in JSONata",
        )
        return JSONPATH, False
    return declared, True


def wrong_language(ctx: Ctx, loc: str, field: str, language: Lang) -> None:
    other = JSONATA if language == JSONPATH else JSONPATH
    ctx.report(
        pointer(loc, field),
        f"The QueryLanguage is set to '{language}', but field '{field}' is only "
        f"supported for the '{other}' QueryLanguage",
    )


def check_language_fields(
    ctx: Ctx, loc: str, node: Mapping[str, Json], language: Lang
) -> None:
    """Report each field that belongs to the other language."""
    forbidden = JSONATA_ONLY if language == JSONPATH else JSONPATH_ONLY
    for field in forbidden:
        if field in node:
            wrong_language(ctx, loc, field, language)
