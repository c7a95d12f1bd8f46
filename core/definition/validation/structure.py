"""The shape of a machine: top-level fields, scopes (StartAt + States), state names,
transitions, reachability and the terminal state.

Each branch and item processor is a scope of its own: its states may only transition
to each other. State names, however, must be unique across the whole machine.
"""

from collections import deque
from collections.abc import Mapping
from typing import Final

from statum.core.definition.problems import (
    DUPLICATE_STATE_NAME,
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
)
from statum.core.definition.validation.context import MAX_DEPTH, Ctx, pointer
from statum.core.definition.validation.fields import (
    MAX_SECONDS,
    as_object,
    check_int,
    expect,
)
from statum.core.definition.validation.query_language import machine_language
from statum.core.definition.validation.states import StateInfo, check_state
from statum.core.language.json import Json

_TOP_LEVEL_FIELDS: Final = frozenset(
    {"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"}
)
MAX_STATE_NAME: Final = 80


def check_machine(ctx: Ctx, doc: Json, loc: str = "") -> None:
    """A whole state machine: the document root, or an inline child definition."""
    if not isinstance(doc, dict):
        ctx.report(loc, "Definition must be a valid JSON object")
        return
    ctx.language = machine_language(ctx, doc, loc)
    for key in doc:
        if key not in _TOP_LEVEL_FIELDS:
            ctx.report(pointer(loc, key), f"Field '{key}' is not supported; remove it")
    for key in ("Comment", "Version"):
        if key in doc:
            expect(ctx, pointer(loc, key), doc[key], "STRING")
    if "TimeoutSeconds" in doc:
        check_int(
            ctx, pointer(loc, "TimeoutSeconds"), doc["TimeoutSeconds"], 1, MAX_SECONDS
        )
    check_scope(ctx, loc, doc, top_level=True)


def check_scope(
    ctx: Ctx, loc: str, scope: Mapping[str, Json], *, top_level: bool
) -> None:
    """StartAt and States of a machine, a Parallel branch or a Map item processor."""
    missing = [name for name in ("States", "StartAt") if name not in scope]
    if missing:
        ctx.report(loc, f"These fields are required: [{', '.join(missing)}]")
    start = scope.get("StartAt")
    if "StartAt" in scope:
        expect(ctx, pointer(loc, "StartAt"), start, "STRING")
    if "States" not in scope:
        return
    if (states := as_object(ctx, pointer(loc, "States"), scope["States"])) is None:
        return
    if ctx.depth > MAX_DEPTH:
        ctx.report(loc, f"The definition nests more than {MAX_DEPTH} levels deep")
        return
    infos: dict[str, StateInfo] = {}
    for name, state in states.items():
        at = pointer(loc, "States", name)
        _check_name(ctx, at, name)
        infos[name] = info = check_state(ctx, at, state)
        for scope_at, nested in info.scopes:
            check_scope(ctx.deeper(), scope_at, nested, top_level=False)
        for machine_at, machine in info.machines:
            check_machine(ctx.child_machine(ctx.language), machine, machine_at)
    for info in infos.values():
        for target, at in info.edges:
            if target not in states:
                ctx.report(at, _missing_target(target), MISSING_TRANSITION_TARGET)
    if isinstance(start, str) and start not in states:
        ctx.report(
            pointer(loc, "StartAt"), _missing_target(start), MISSING_TRANSITION_TARGET
        )
    if isinstance(start, str):
        reachable = _reachable(start, infos)
        for name in states:
            if name not in reachable:
                ctx.report(
                    pointer(loc, "States", name),
                    f'State "{name}" is not reachable. Make another state transition '
                    "to it (Next, Default or a catcher's Next), or remove it",
                    MISSING_TRANSITION_TARGET,
                )
    # AWS requires a way out of the top level only: a branch or item processor that
    # loops forever is accepted (it can still end through a Fail or a caught error).
    if top_level and infos and not any(info.terminal for info in infos.values()):
        ctx.report(
            loc,
            'Workflow has no terminal state; give at least one state "End": true, or '
            "add a Succeed or Fail state",
            MISSING_END_STATE,
        )


def _missing_target(target: str) -> str:
    return (
        f"Missing 'Next' target: {target}. Name a state defined in the same 'States' "
        "object"
    )


def _check_name(ctx: Ctx, loc: str, name: str) -> None:
    if len(name) > MAX_STATE_NAME:
        ctx.report(
            loc,
            f"State name is {len(name)} characters long; state names can have at most "
            f"{MAX_STATE_NAME}",
        )
    first = ctx.names.setdefault(name, loc)
    if first != loc:
        ctx.report(
            loc,
            f"Duplicate State name: {name} (also declared at {first or '/'}); state "
            "names must be unique across the whole state machine",
            DUPLICATE_STATE_NAME,
        )


def _reachable(start: str, infos: Mapping[str, StateInfo]) -> set[str]:
    seen = {start} if start in infos else set()
    queue = deque(seen)
    while queue:
        for target, _ in infos[queue.popleft()].edges:
            if target in infos and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen
