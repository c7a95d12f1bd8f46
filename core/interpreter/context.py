"""The context object (`$$` in JSONPath, `$states.context` in JSONata)."""

from typing import Any

from statum.core.interpreter.state import ExecutionState, Frame
from statum.core.language.timestamps import format_epoch_millis


def iso_timestamp(ms: int) -> str:
    """Milliseconds since the epoch as AWS prints times: `2024-01-02T03:04:05.678Z`."""
    return format_epoch_millis(ms)


# AWS shows $$.State.RetryCount only in states that can retry.
_RETRYABLE = frozenset({"Task", "Parallel", "Map", "StartExecution"})


def context_object(
    state: ExecutionState, frame: Frame, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The context object a state of `frame` sees."""
    context: dict[str, Any] = {
        "Execution": {
            "Id": state.execution_id,
            "Input": state.input,
            "Name": state.name,
            "RoleArn": state.role_arn,
            "StartTime": iso_timestamp(state.started_ms),
            "RedriveCount": 0,
        },
        "State": {"EnteredTime": iso_timestamp(frame.entered_ms), "Name": frame.state},
        "StateMachine": {
            "Id": state.state_machine_id,
            "Name": state.state_machine_name,
        },
    }
    if frame.state_kind in _RETRYABLE:
        context["State"]["RetryCount"] = frame.attempts
    if extra:
        context.update(extra)
    return context
