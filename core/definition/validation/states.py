"""One state: its Type, which fields that Type allows, Next/End, and the shared fields.

Each state check returns a `StateInfo` instead of recursing itself: the transitions it
declares, whether it can end its scope, and the nested scopes (branches, item
processors) and inline child machines it contains. `structure` walks those, so the
rule modules never import each other in a circle.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from statum.core.definition.validation import basic_states, choice, map_state, task
from statum.core.definition.validation.assign import check_assign
from statum.core.definition.validation.context import (
    JSONPATH,
    Ctx,
    Lang,
    pointer,
)
from statum.core.definition.validation.fields import check_required, expect
from statum.core.definition.validation.query_language import (
    JSONATA_ONLY,
    JSONPATH_ONLY,
    state_language,
    wrong_language,
)
from statum.core.definition.validation.retry_catch import check_catch, check_retry
from statum.core.definition.validation.syntax import (
    check_jsonata_template,
    check_jsonpath_template,
    check_path,
    check_result_path,
)
from statum.core.language.json import Json

Edge = tuple[str, str]
"""A transition: the target state's name, and the pointer of the field naming it."""


@dataclass
class StateInfo:
    edges: list[Edge] = field(default_factory=list)
    terminal: bool = False
    scopes: list[tuple[str, dict[str, Json]]] = field(default_factory=list)
    machines: list[tuple[str, dict[str, Json]]] = field(default_factory=list)


_COMMON: Final = frozenset({"Type", "Comment", "QueryLanguage"})
_FLOW: Final = frozenset({"Next", "End"})
_IO: Final = frozenset({"InputPath", "OutputPath"})
_RESULT: Final = frozenset({"ResultPath", "ResultSelector", "Retry", "Catch"})
_VARS: Final = frozenset({"Assign", "Output"})

ALLOWED: Final[Mapping[str, frozenset[str]]] = {
    "Task": _COMMON | _FLOW | _IO | _RESULT | _VARS | {
        "Resource", "Parameters", "Arguments", "Credentials", "TimeoutSeconds",
        "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath",
    },
    "Choice": _COMMON | _IO | _VARS | {"Choices", "Default"},
    "Parallel": _COMMON | _FLOW | _IO | _RESULT | _VARS | {
        "Branches", "Parameters", "Arguments",
    },
    "Map": _COMMON | _FLOW | _IO | _RESULT | _VARS | {
        "ItemProcessor", "Iterator", "ItemsPath", "Items", "ItemSelector", "Parameters",
        "ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency",
        "MaxConcurrencyPath", "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath", "ToleratedFailureCount",
        "ToleratedFailureCountPath", "Label",
    },
    "Wait": _COMMON | _FLOW | _IO | _VARS | {
        "Seconds", "Timestamp", "SecondsPath", "TimestampPath",
    },
    "Pass": _COMMON | _FLOW | _IO | _VARS | {"Parameters", "Result", "ResultPath"},
    "Succeed": _COMMON | _IO | {"Output"},
    "Fail": _COMMON | {"Error", "ErrorPath", "Cause", "CausePath"},
    # OSML: starts a child execution; `Sync` waits for it, like startExecution.sync.
    "StartExecution": _COMMON | _FLOW | _IO | _RESULT | _VARS | {
        "StateMachine", "Input", "Parameters", "Arguments", "Sync",
        "TimeoutSeconds", "TimeoutSecondsPath",
    },
}  # fmt: skip
STATE_TYPES: Final = (
    "Task", "Choice", "Parallel", "Map", "Wait", "Pass", "Succeed", "Fail",
    "StartExecution",
)  # fmt: skip
_ANY_TYPE: Final = frozenset().union(*ALLOWED.values())
_TERMINAL_TYPES: Final = frozenset({"Succeed", "Fail"})
_NO_FLOW_TYPES: Final = _TERMINAL_TYPES | {"Choice"}


def check_state(ctx: Ctx, loc: str, state: Json) -> StateInfo:
    info = StateInfo()
    if not expect(ctx, loc, state, "OBJECT") or not isinstance(state, dict):
        return info
    type_ = state.get("Type")
    if not isinstance(type_, str) or type_ not in ALLOWED:
        if check_required(ctx, loc, state, "Type"):
            ctx.report(
                pointer(loc, "Type"),
                f"Value should be one of the following: [{', '.join(STATE_TYPES)}]",
            )
        # Without a known Type only the fields no state type accepts are certain errors.
        for key in state:
            if key not in _ANY_TYPE:
                ctx.report(
                    pointer(loc, key), f"Field '{key}' is not supported; remove it"
                )
        return info
    language, check_fields = state_language(ctx, loc, state)
    _check_field_names(ctx, loc, state, type_, language, check_fields)
    if "Comment" in state:
        expect(ctx, pointer(loc, "Comment"), state["Comment"], "STRING")
    if type_ in _TERMINAL_TYPES:
        info.terminal = True
    elif type_ != "Choice":
        _check_next_end(ctx, loc, state, info)
    _check_common(ctx, loc, state, language)
    _check_by_type(ctx, loc, state, type_, language, info)
    return info


def _check_field_names(
    ctx: Ctx,
    loc: str,
    state: Mapping[str, Json],
    type_: str,
    language: Lang,
    check_language: bool,
) -> None:
    other_language = JSONATA_ONLY if language == JSONPATH else JSONPATH_ONLY
    for key in state:
        if key not in ALLOWED[type_]:
            hint = "remove it"
            if key in _FLOW and type_ in _NO_FLOW_TYPES:
                hint = f"a {type_} state cannot have '{key}'; remove it"
            ctx.report(
                pointer(loc, key),
                f"Field '{key}' is not supported by {type_} states; {hint}",
            )
        elif check_language and key in other_language:
            wrong_language(ctx, loc, key, language)


def _check_next_end(
    ctx: Ctx, loc: str, state: Mapping[str, Json], info: StateInfo
) -> None:
    has_next = "Next" in state
    end = state.get("End")
    if "End" in state and not isinstance(end, bool):
        ctx.report(pointer(loc, "End"), "Expected value of type [BOOLEAN]")
    if has_next:
        target = state["Next"]
        if expect(ctx, pointer(loc, "Next"), target, "STRING") and isinstance(
            target, str
        ):
            info.edges.append((target, pointer(loc, "Next")))
        if end is True:
            ctx.report(
                pointer(loc, "End"),
                "Only one of 'Next', 'End' may be given; keep 'Next' to continue, "
                "or 'End': true to finish here",
            )
    elif end is not True:
        ctx.report(
            loc,
            "Either 'Next' or 'End' is required; add \"Next\" naming the state to run "
            'after this one, or "End": true',
        )
    info.terminal = end is True and not has_next


def _check_common(
    ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang
) -> None:
    """The data-flow fields every state type shares, in whichever language applies."""
    if language == JSONPATH:
        for name in ("InputPath", "OutputPath"):
            if name in state and state[name] is not None:
                check_path(ctx, pointer(loc, name), name, state[name])
        if "ResultPath" in state:
            check_result_path(
                ctx, pointer(loc, "ResultPath"), "ResultPath", state["ResultPath"]
            )
        for name in ("Parameters", "ResultSelector"):
            if name in state:
                check_jsonpath_template(ctx, pointer(loc, name), state[name])
    else:
        for name in ("Output", "Arguments"):
            if name in state:
                check_jsonata_template(ctx, pointer(loc, name), state[name])
    if "Assign" in state:
        check_assign(ctx, pointer(loc, "Assign"), state["Assign"], language)


def _check_by_type(
    ctx: Ctx,
    loc: str,
    state: dict[str, Json],
    type_: str,
    language: Lang,
    info: StateInfo,
) -> None:
    if "Retry" in state and "Retry" in ALLOWED[type_]:
        check_retry(ctx, pointer(loc, "Retry"), state["Retry"])
    if "Catch" in state and "Catch" in ALLOWED[type_]:
        for target, at in check_catch(
            ctx, pointer(loc, "Catch"), state["Catch"], language
        ):
            info.edges.append((target, at))
    if type_ == "Choice":
        info.edges.extend(choice.check_choice(ctx, loc, state, language))
    elif type_ == "Task":
        task.check_task(ctx, loc, state, language)
    elif type_ == "StartExecution":
        info.machines.extend(task.check_start_execution(ctx, loc, state, language))
    elif type_ == "Map":
        info.scopes.extend(map_state.check_map(ctx, loc, state, language))
    elif type_ == "Parallel":
        info.scopes.extend(basic_states.check_parallel(ctx, loc, state))
    elif type_ == "Wait":
        basic_states.check_wait(ctx, loc, state, language)
    elif type_ == "Fail":
        basic_states.check_fail(ctx, loc, state, language)
