"""Map states: the item processor, where items come from, concurrency and tolerance,
and the Distributed Map sub-objects (ItemReader, ItemBatcher, ResultWriter, Label)."""

import re
from collections.abc import Mapping
from typing import Final

from statum.core.definition.validation import distributed_map
from statum.core.definition.validation.basic_states import (
    SCOPE_FIELDS,
    check_scope_fields,
)
from statum.core.definition.validation.context import (
    JSONATA,
    JSONPATH,
    Ctx,
    Lang,
    pointer,
)
from statum.core.definition.validation.fields import (
    as_object,
    check_enum,
    check_exclusive,
    check_int,
    check_number,
    expect,
)
from statum.core.definition.validation.syntax import (
    check_jsonata_string,
    check_jsonata_template,
    check_jsonpath_template,
    check_path,
)
from statum.core.language.json import Json

_PROCESSOR_FIELDS: Final = SCOPE_FIELDS | {"ProcessorConfig"}
# Features of the Distributed Map; AWS accepts them when no Mode is given, so only an
# explicit INLINE is refused.
_DISTRIBUTED_ONLY: Final = (
    "ItemReader", "ItemBatcher", "ResultWriter", "Label",
    "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
    "ToleratedFailureCount", "ToleratedFailureCountPath",
)  # fmt: skip
# AWS: at most 40 characters, none of them whitespace, brackets, wildcards, the
# punctuation below, or control characters.
_LABEL_FORBIDDEN: Final = re.compile(
    r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]"
)
_LABEL_MAX: Final = 40

Scope = tuple[str, dict[str, Json]]


def check_map(
    ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang
) -> list[Scope]:
    scopes: list[Scope] = []
    check_exclusive(ctx, loc, state, "ItemProcessor", "Iterator")
    name = "ItemProcessor" if "ItemProcessor" in state else "Iterator"
    mode = None
    if name not in state:
        ctx.report(loc, "The field 'ItemProcessor' is required but was missing")
    elif (processor := as_object(ctx, pointer(loc, name), state[name])) is not None:
        at = pointer(loc, name)
        check_scope_fields(ctx, at, processor, _PROCESSOR_FIELDS)
        mode = _check_processor_config(ctx, at, processor)
        scopes.append((at, processor))
    if mode == "INLINE":
        for field in _DISTRIBUTED_ONLY:
            if field in state:
                ctx.report(
                    pointer(loc, field),
                    f"Field '{field}' is only supported by a Map state in DISTRIBUTED "
                    "mode; set ProcessorConfig Mode to DISTRIBUTED or remove it",
                )
    _check_items(ctx, loc, state, language)
    _check_limits(ctx, loc, state, language)
    if "Label" in state:
        _check_label(ctx, pointer(loc, "Label"), state["Label"])
    if "ItemBatcher" in state:
        distributed_map.check_batcher(
            ctx, pointer(loc, "ItemBatcher"), state["ItemBatcher"], language
        )
    if "ItemReader" in state:
        # The reader's items are the Map's items: an ItemsPath or Items beside it
        # would never be read.
        check_exclusive(ctx, loc, state, "ItemReader", "ItemsPath", "Items")
        distributed_map.check_reader(
            ctx, pointer(loc, "ItemReader"), state["ItemReader"], language
        )
    if "ResultWriter" in state:
        distributed_map.check_writer(
            ctx, pointer(loc, "ResultWriter"), state["ResultWriter"], language
        )
    return scopes


def _check_processor_config(
    ctx: Ctx, loc: str, processor: Mapping[str, Json]
) -> str | None:
    if "ProcessorConfig" not in processor:
        return None
    at = pointer(loc, "ProcessorConfig")
    if (config := as_object(ctx, at, processor["ProcessorConfig"])) is None:
        return None
    for key in config:
        if key not in ("Mode", "ExecutionType"):
            ctx.report(
                pointer(at, key), f"Field '{key}' is not supported in ProcessorConfig"
            )
    mode = config.get("Mode")
    if "Mode" in config:
        check_enum(ctx, pointer(at, "Mode"), mode, ("INLINE", "DISTRIBUTED"))
    if "ExecutionType" in config:
        check_enum(
            ctx,
            pointer(at, "ExecutionType"),
            config["ExecutionType"],
            ("STANDARD", "EXPRESS"),
        )
    elif mode == "DISTRIBUTED":
        ctx.report(
            at,
            "The field 'ExecutionType' is required but was missing; a DISTRIBUTED Map "
            "runs its items as STANDARD or EXPRESS child workflows",
        )
    return mode if isinstance(mode, str) else None


def _check_items(ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang) -> None:
    if "ItemsPath" in state and language == JSONPATH:
        check_path(
            ctx, pointer(loc, "ItemsPath"), "ItemsPath", state["ItemsPath"], single=True
        )
    if "Items" in state and language == JSONATA:
        items, at = state["Items"], pointer(loc, "Items")
        if isinstance(items, str):
            check_jsonata_string(ctx, at, items, whole=True)
        elif expect(ctx, at, items, "ARRAY"):
            check_jsonata_template(ctx, at, items)
    check_exclusive(ctx, loc, state, "ItemSelector", "Parameters")
    if "ItemSelector" in state:
        if language == JSONATA:
            check_jsonata_template(
                ctx, pointer(loc, "ItemSelector"), state["ItemSelector"]
            )
        else:
            check_jsonpath_template(
                ctx, pointer(loc, "ItemSelector"), state["ItemSelector"]
            )


def _check_limits(
    ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang
) -> None:
    for name in (
        "MaxConcurrency",
        "ToleratedFailureCount",
        "ToleratedFailurePercentage",
    ):
        path = f"{name}Path"
        check_exclusive(ctx, loc, state, name, path)
        if path in state and language == JSONPATH:
            check_path(ctx, pointer(loc, path), path, state[path], single=True)
        if name not in state:
            continue
        if name == "ToleratedFailurePercentage":
            check_number(
                ctx, pointer(loc, name), state[name], 0, 100, language=language
            )
        else:
            check_int(ctx, pointer(loc, name), state[name], 0, language=language)


def _check_label(ctx: Ctx, loc: str, label: Json) -> None:
    if not isinstance(label, str):
        ctx.report(loc, "Expected value of type [STRING]")
    elif not label:
        ctx.report(loc, "Label must not be empty")
    elif len(label) > _LABEL_MAX:
        ctx.report(
            loc, f"Label is {len(label)} characters long; the maximum is {_LABEL_MAX}"
        )
    elif (bad := _LABEL_FORBIDDEN.search(label)) is not None:
        ctx.report(
            loc,
            f"Label contains the character {bad.group()!r}, which is not allowed: "
            "no whitespace, brackets, wildcards, control characters or any of "
            '" # % \\ ^ | ~ ` $ & , ; : /',
        )
