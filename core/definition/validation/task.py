"""Task states, and OSML's StartExecution state (a task that runs a child machine)."""

from collections.abc import Mapping

from statum.core.definition.problems import UNSUPPORTED_FIELD
from statum.core.definition.validation.context import JSONATA, Ctx, Lang, pointer
from statum.core.definition.validation.fields import (
    MAX_SECONDS,
    check_exclusive,
    check_int,
    check_required,
    expect,
    is_int,
)
from statum.core.definition.validation.resources import check_resource
from statum.core.definition.validation.syntax import (
    check_jsonata_template,
    check_jsonpath_template,
    check_path,
    is_expression,
)
from statum.core.language.json import Json


def check_task(ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang) -> None:
    if check_required(ctx, loc, state, "Resource"):
        at = pointer(loc, "Resource")
        resource = state["Resource"]
        if expect(ctx, at, resource, "STRING") and isinstance(resource, str):
            if language == JSONATA and is_expression(resource):
                ctx.report(
                    at, "Resource must be a constant string, not a JSONata expression"
                )
            else:
                check_resource(ctx, at, resource)
    _check_timeouts(ctx, loc, state, language, heartbeat=True)
    if "Credentials" in state:
        at = pointer(loc, "Credentials")
        _check_credentials(ctx, at, state["Credentials"], language)
        ctx.report(
            at,
            "Credentials (assuming an IAM role for the task) is not supported by "
            "Statum: handlers run with the host's own access; remove the field",
            UNSUPPORTED_FIELD,
        )


def _check_timeouts(
    ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang, *, heartbeat: bool
) -> None:
    names = ("TimeoutSeconds", "HeartbeatSeconds") if heartbeat else ("TimeoutSeconds",)
    for name in names:
        check_exclusive(ctx, loc, state, name, f"{name}Path")
        if name in state:
            check_int(
                ctx, pointer(loc, name), state[name], 1, MAX_SECONDS, language=language
            )
        path = f"{name}Path"
        if path in state and language != JSONATA:
            check_path(ctx, pointer(loc, path), path, state[path], single=True)
    timeout, beat = state.get("TimeoutSeconds"), state.get("HeartbeatSeconds")
    if heartbeat and is_int(timeout) and is_int(beat) and beat >= timeout:
        ctx.report(
            pointer(loc, "HeartbeatSeconds"),
            f"HeartbeatSeconds ({beat}) must be smaller than TimeoutSeconds "
            f"({timeout})",
        )


def _check_credentials(ctx: Ctx, loc: str, value: Json, language: Lang) -> None:
    if not expect(ctx, loc, value, "OBJECT") or not isinstance(value, dict):
        return
    for key in value:
        if key not in ("RoleArn", "RoleArn.$"):
            ctx.report(
                pointer(loc, key), f"Field '{key}' is not supported in Credentials"
            )
    if "RoleArn" not in value and "RoleArn.$" not in value:
        ctx.report(loc, "The field 'RoleArn' is required but was missing")
    if "RoleArn" in value:
        expect(ctx, pointer(loc, "RoleArn"), value["RoleArn"], "STRING")
    if language == JSONATA:
        check_jsonata_template(ctx, loc, value)
    else:
        check_jsonpath_template(ctx, loc, value)


def check_start_execution(
    ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang
) -> list[tuple[str, dict[str, Json]]]:
    """Check an OSML StartExecution state; return its inline child machine, if any."""
    machines: list[tuple[str, dict[str, Json]]] = []
    if check_required(ctx, loc, state, "StateMachine"):
        at = pointer(loc, "StateMachine")
        target = state["StateMachine"]
        if isinstance(target, dict):
            machines.append((at, target))
        elif isinstance(target, str):
            if not target:
                ctx.report(
                    at, "StateMachine must name a definition, or hold one inline"
                )
        else:
            ctx.report(at, "Expected value of type [STRING, OBJECT]")
    request = "Arguments" if language == JSONATA else "Parameters"
    check_exclusive(ctx, loc, state, "Input", request)
    if "Input" in state:
        if language == JSONATA:
            check_jsonata_template(ctx, pointer(loc, "Input"), state["Input"])
        else:
            check_jsonpath_template(ctx, pointer(loc, "Input"), state["Input"])
    if "Sync" in state:
        sync = state["Sync"]
        if expect(ctx, pointer(loc, "Sync"), sync, "BOOLEAN") and sync and ctx.express:
            ctx.report(
                pointer(loc, "Sync"),
                "Express state machine does not support '.sync' service integration; "
                "use a Standard workflow to wait for a child execution",
            )
    _check_timeouts(ctx, loc, state, language, heartbeat=False)
    return machines
