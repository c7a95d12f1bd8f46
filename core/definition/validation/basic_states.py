"""Rules specific to Parallel, Wait and Fail states."""

from collections.abc import Mapping

from statum.core.definition.validation.context import JSONATA, Ctx, Lang, pointer
from statum.core.definition.validation.fields import (
    MAX_SECONDS,
    as_string,
    check_exclusive,
    check_int,
    check_timestamp,
    expect,
)
from statum.core.definition.validation.syntax import (
    check_jsonata_string,
    check_path,
    is_expression,
)
from statum.core.language.intrinsics import compile_intrinsic
from statum.core.language.json import Json

# A branch or an item processor is a scope, not a state: it takes no QueryLanguage.
SCOPE_FIELDS = frozenset({"StartAt", "States", "Comment"})


def check_scope_fields(
    ctx: Ctx, loc: str, scope: Mapping[str, Json], allowed: frozenset[str]
) -> None:
    for key in scope:
        if key not in allowed:
            ctx.report(pointer(loc, key), f"Field '{key}' is not supported; remove it")


def check_parallel(
    ctx: Ctx, loc: str, state: Mapping[str, Json]
) -> list[tuple[str, dict[str, Json]]]:
    scopes: list[tuple[str, dict[str, Json]]] = []
    at = pointer(loc, "Branches")
    if "Branches" not in state:
        ctx.report(loc, "The field 'Branches' is required but was missing")
        return scopes
    branches = state["Branches"]
    if not expect(ctx, at, branches, "ARRAY") or not isinstance(branches, list):
        return scopes
    if not branches:
        ctx.report(at, "A Parallel state needs at least one branch in 'Branches'")
    for index, branch in enumerate(branches):
        branch_at = pointer(at, index)
        if expect(ctx, branch_at, branch, "OBJECT") and isinstance(branch, dict):
            check_scope_fields(ctx, branch_at, branch, SCOPE_FIELDS)
            scopes.append((branch_at, branch))
    return scopes


_WAIT_FIELDS = ("Seconds", "Timestamp", "SecondsPath", "TimestampPath")


def check_wait(ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang) -> None:
    present = [name for name in _WAIT_FIELDS if name in state]
    if not present:
        ctx.report(
            loc,
            "A Wait state needs exactly one of 'Seconds', 'Timestamp', 'SecondsPath', "
            "'TimestampPath'; add one",
        )
    elif len(present) > 1:
        check_exclusive(ctx, loc, state, *_WAIT_FIELDS)
    if "Seconds" in state:
        check_int(
            ctx, pointer(loc, "Seconds"), state["Seconds"], 0, MAX_SECONDS,
            language=language,
        )  # fmt: skip
    if "Timestamp" in state:
        value = state["Timestamp"]
        at = pointer(loc, "Timestamp")
        if language == JSONATA and isinstance(value, str) and is_expression(value):
            check_jsonata_string(ctx, at, value)
        else:
            check_timestamp(ctx, at, value)
    for name in ("SecondsPath", "TimestampPath"):
        if name in state and language != JSONATA:
            check_path(ctx, pointer(loc, name), name, state[name], single=True)


def check_fail(ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang) -> None:
    for static, dynamic in (("Error", "ErrorPath"), ("Cause", "CausePath")):
        check_exclusive(ctx, loc, state, static, dynamic)
        if static in state:
            at = pointer(loc, static)
            value = as_string(ctx, at, state[static])
            if value is not None and language == JSONATA:
                check_jsonata_string(ctx, at, value)
        if dynamic in state and language != JSONATA:
            at = pointer(loc, dynamic)
            selector = state[dynamic]
            if check_path(ctx, at, dynamic, selector, intrinsic=True):
                _check_fail_intrinsic(ctx, at, dynamic, selector)


# AWS documents which intrinsics an ErrorPath or CausePath may call: the ones that
# return a string (state-fail.html).
FAIL_PATH_INTRINSICS = (
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
)


def _check_fail_intrinsic(ctx: Ctx, at: str, field: str, value: Json) -> None:
    if not isinstance(value, str) or not value.startswith("States."):
        return
    name = compile_intrinsic(value).name
    if name not in FAIL_PATH_INTRINSICS:
        ctx.report(
            at,
            f"The intrinsic function {name} cannot be used in '{field}': it must "
            f"return a string; use one of {', '.join(FAIL_PATH_INTRINSICS)}",
        )
