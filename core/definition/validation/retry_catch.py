"""Retry and Catch: retriers and catchers, their error lists and their limits."""

from collections.abc import Mapping
from typing import Final

from statum.core.definition.validation.assign import check_assign
from statum.core.definition.validation.context import (
    JSONATA,
    JSONPATH,
    Ctx,
    Lang,
    pointer,
)
from statum.core.definition.validation.fields import (
    MAX_SECONDS,
    check_enum,
    check_int,
    check_number,
    check_required,
    expect,
)
from statum.core.definition.validation.query_language import wrong_language
from statum.core.definition.validation.syntax import (
    check_jsonata_template,
    check_result_path,
)
from statum.core.language.errors import ALL
from statum.core.language.json import Json

_RETRIER_FIELDS: Final = frozenset({
    "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
    "JitterStrategy", "Comment",
})  # fmt: skip
_CATCHER_FIELDS: Final = frozenset(
    {"ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"}
)
# AWS documents MaxDelaySeconds as below one year plus a second.
_MAX_DELAY_SECONDS: Final = 31_622_400


def _entries(ctx: Ctx, loc: str, value: Json) -> list[tuple[str, dict[str, Json]]]:
    if not expect(ctx, loc, value, "ARRAY") or not isinstance(value, list):
        return []
    out = []
    for index, entry in enumerate(value):
        at = pointer(loc, index)
        if expect(ctx, at, entry, "OBJECT") and isinstance(entry, dict):
            out.append((at, entry))
    return out


def _check_unknown(
    ctx: Ctx, loc: str, entry: Mapping[str, Json], allowed: frozenset[str], what: str
) -> None:
    for key in entry:
        if key not in allowed:
            ctx.report(
                pointer(loc, key),
                f"Field '{key}' is not supported in a {what}; remove it",
            )


def _check_error_equals(
    ctx: Ctx, loc: str, entry: Mapping[str, Json], is_last: bool, what: str
) -> None:
    if not check_required(ctx, loc, entry, "ErrorEquals"):
        return
    at = pointer(loc, "ErrorEquals")
    names = entry["ErrorEquals"]
    if not expect(ctx, at, names, "ARRAY") or not isinstance(names, list):
        return
    if not names:
        ctx.report(at, 'ErrorEquals must name at least one error, e.g. ["States.ALL"]')
    for index, name in enumerate(names):
        expect(ctx, pointer(at, index), name, "STRING")
    if ALL in names:
        if len(names) > 1:
            ctx.report(
                at,
                f"'{ALL}' must appear alone in ErrorEquals; move the other error names "
                f"to an earlier {what}",
            )
        if not is_last:
            ctx.report(
                at,
                f"A {what} matching '{ALL}' must be the last one; move it to the end",
            )


def check_retry(ctx: Ctx, loc: str, value: Json) -> None:
    entries = _entries(ctx, loc, value)
    for position, (at, retrier) in enumerate(entries):
        _check_unknown(ctx, at, retrier, _RETRIER_FIELDS, "retrier")
        _check_error_equals(ctx, at, retrier, position == len(entries) - 1, "retrier")
        if "IntervalSeconds" in retrier:
            check_int(
                ctx, pointer(at, "IntervalSeconds"), retrier["IntervalSeconds"], 1,
                MAX_SECONDS,
            )  # fmt: skip
        if "MaxAttempts" in retrier:
            check_int(
                ctx, pointer(at, "MaxAttempts"), retrier["MaxAttempts"], 0, MAX_SECONDS
            )
        if "BackoffRate" in retrier:
            check_number(ctx, pointer(at, "BackoffRate"), retrier["BackoffRate"], 1.0)
        if "MaxDelaySeconds" in retrier:
            check_int(
                ctx, pointer(at, "MaxDelaySeconds"), retrier["MaxDelaySeconds"], 1,
                _MAX_DELAY_SECONDS,
            )  # fmt: skip
        if "JitterStrategy" in retrier:
            check_enum(
                ctx, pointer(at, "JitterStrategy"), retrier["JitterStrategy"],
                ("FULL", "NONE"),
            )  # fmt: skip


def check_catch(
    ctx: Ctx, loc: str, value: Json, language: Lang
) -> list[tuple[str, str]]:
    """Check the catchers and return their transitions (target, pointer)."""
    edges: list[tuple[str, str]] = []
    entries = _entries(ctx, loc, value)
    for position, (at, catcher) in enumerate(entries):
        _check_unknown(ctx, at, catcher, _CATCHER_FIELDS, "catcher")
        _check_error_equals(ctx, at, catcher, position == len(entries) - 1, "catcher")
        if check_required(ctx, at, catcher, "Next"):
            target = catcher["Next"]
            if expect(ctx, pointer(at, "Next"), target, "STRING") and isinstance(
                target, str
            ):
                edges.append((target, pointer(at, "Next")))
        if "ResultPath" in catcher:
            if language == JSONPATH:
                check_result_path(
                    ctx, pointer(at, "ResultPath"), "ResultPath", catcher["ResultPath"]
                )
            else:
                wrong_language(ctx, at, "ResultPath", language)
        if "Output" in catcher:
            if language == JSONATA:
                check_jsonata_template(ctx, pointer(at, "Output"), catcher["Output"])
            else:
                wrong_language(ctx, at, "Output", language)
        if "Assign" in catcher:
            check_assign(ctx, pointer(at, "Assign"), catcher["Assign"], language)
    return edges
