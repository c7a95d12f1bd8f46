"""The AWS Step Functions execution history, projected from the journal.

The projection folds the journal with the interpreter's own `apply` so it sees the
same frames the interpreter saw, and asks `history_size` how many history events
each journal event stands for: the ids it assigns are the ids the interpreter
quotes in its error causes ("entered at the event id #N").
"""

import re
from collections.abc import Iterable
from typing import Any

import msgspec

from statum.core.interpreter import events as ev
from statum.core.interpreter.context import iso_timestamp
from statum.core.interpreter.errors import InterpreterError
from statum.core.interpreter.evolve import apply, history_size
from statum.core.interpreter.state import INITIAL_STATE, ExecutionState, Frame
from statum.core.interpreter.visibility import aborted_records
from statum.core.language.jsontext import to_json_text

HistoryEvent = dict[str, Any]

# AWS records a Task whose Resource is a function ARN with LambdaFunction* events.
_LAMBDA_FUNCTION = re.compile(
    r"arn:[a-z-]+:lambda:[a-z0-9-]*:\d*:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?"
)

_DETAILS_KEY = {
    "ExecutionStarted": "executionStartedEventDetails",
    "ExecutionSucceeded": "executionSucceededEventDetails",
    "ExecutionFailed": "executionFailedEventDetails",
    "ExecutionTimedOut": "executionTimedOutEventDetails",
    "ExecutionAborted": "executionAbortedEventDetails",
    "MapStateStarted": "mapStateStartedEventDetails",
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapIterationAborted": "mapIterationAbortedEventDetails",
    "MapRunStarted": "mapRunStartedEventDetails",
    "MapRunFailed": "mapRunFailedEventDetails",
    "TaskScheduled": "taskScheduledEventDetails",
    "TaskStarted": "taskStartedEventDetails",
    "TaskSubmitted": "taskSubmittedEventDetails",
    "TaskSucceeded": "taskSucceededEventDetails",
    "TaskFailed": "taskFailedEventDetails",
    "TaskTimedOut": "taskTimedOutEventDetails",
    "LambdaFunctionScheduled": "lambdaFunctionScheduledEventDetails",
    "LambdaFunctionSucceeded": "lambdaFunctionSucceededEventDetails",
    "LambdaFunctionFailed": "lambdaFunctionFailedEventDetails",
    "LambdaFunctionTimedOut": "lambdaFunctionTimedOutEventDetails",
    "EvaluationFailed": "evaluationFailedEventDetails",
}


def _details_key(event_type: str) -> str | None:
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    return _DETAILS_KEY.get(event_type)


def _text(value: Any) -> str:
    return to_json_text(value)


def _kind(kind: str) -> str:
    return "Task" if kind == "StartExecution" else kind


class _Projector:
    def __init__(self) -> None:
        self.state: ExecutionState = INITIAL_STATE.clone()
        self.out: list[HistoryEvent] = []
        # AWS's previousEventId, as recorded: a frame's events chain to each other
        # (`last`); a Map or Parallel state's next start chains to the last event
        # *inside* the child that ended before it (`inner`); the StateEntered of
        # each frame's current state is remembered for EvaluationFailed (`entered`).
        self.last: dict[int, int] = {}
        self.inner: dict[int, int] = {}
        self.entered: dict[int, int] = {}

    def add(
        self,
        frame: int,
        event_type: str,
        at_ms: int,
        details: dict[str, Any],
        previous: int | None = None,
        advance: bool = True,
    ) -> None:
        event_id = len(self.out) + 1
        if previous is None:
            previous = self.last.get(frame, 0)
        record: HistoryEvent = {
            "id": event_id,
            "previousEventId": previous,
            "timestamp": iso_timestamp(at_ms),
            "type": event_type,
        }
        key = _details_key(event_type)
        if key is not None and details:
            record[key] = details
        self.out.append(record)
        if advance:
            self.last[frame] = event_id

    def _task_outcome(
        self,
        frame: int,
        task_resource: str,
        event: ev.TaskStarted | ev.TaskSubmitted | ev.TaskSucceeded | ev.TaskFailed,
    ) -> None:
        """A task's progress; a function-ARN task is AWS's LambdaFunction* events."""
        at = event.at_ms
        prefix = "LambdaFunction" if _is_lambda_function(task_resource) else "Task"
        base: dict[str, Any] = {}
        if prefix == "Task":
            resource_type, resource = _resource_parts(task_resource)
            base = {"resourceType": resource_type, "resource": resource}
        if isinstance(event, ev.TaskStarted):
            self.add(frame, f"{prefix}Started", at, base)
        elif isinstance(event, ev.TaskSubmitted | ev.TaskSucceeded):
            kind = "Submitted" if isinstance(event, ev.TaskSubmitted) else "Succeeded"
            self.add(
                frame,
                f"{prefix}{kind}",
                at,
                {
                    **base,
                    "output": _text(event.output),
                    "outputDetails": {"truncated": False},
                },
            )
        else:
            self.add(
                frame,
                f"{prefix}Failed",
                at,
                {**base, **_error_details(event.error, event.cause)},
            )

    def project(self, event: ev.Event) -> None:
        size = history_size(self.state, event)
        state = self.state
        at = event.at_ms
        if size:
            match event:
                case ev.ExecutionStarted():
                    self.add(
                        -1,
                        "ExecutionStarted",
                        at,
                        {
                            "input": _text(event.input),
                            "inputDetails": {"truncated": False},
                            "roleArn": event.role_arn,
                            "stateMachineArn": event.state_machine_id,
                        },
                    )
                case ev.StateEntered():
                    self.inner.pop(event.frame, None)
                    self.entered[event.frame] = self.last.get(event.frame, 0)
                    self.add(
                        event.frame,
                        f"{_kind(event.kind)}StateEntered",
                        at,
                        {
                            "name": event.name,
                            "input": _text(event.input),
                            "inputDetails": {"truncated": False},
                        },
                    )
                case ev.StateExited() | ev.CatchMatched():
                    details: dict[str, Any] = {
                        "name": event.name,
                        "output": _text(event.output),
                        "outputDetails": {"truncated": False},
                    }
                    if event.assigned is not None:
                        details["assignedVariables"] = {
                            k: _text(v) for k, v in event.assigned.items()
                        }
                        details["assignedVariablesDetails"] = {"truncated": False}
                    self.add(
                        event.frame, f"{_kind(event.kind)}StateExited", at, details
                    )
                case ev.TaskScheduled() if _is_lambda_function(event.resource):
                    lambda_details: dict[str, Any] = {
                        "resource": event.resource,
                        "input": _text(event.parameters),
                        "inputDetails": {"truncated": False},
                    }
                    if event.timeout_seconds is not None:
                        lambda_details["timeoutInSeconds"] = event.timeout_seconds
                    self.add(event.frame, "LambdaFunctionScheduled", at, lambda_details)
                case ev.TaskScheduled():
                    resource_type, resource = _resource_parts(event.resource)
                    task_details: dict[str, Any] = {
                        "resourceType": resource_type,
                        "resource": resource,
                        "region": "local",
                        "parameters": _text(event.parameters),
                    }
                    if event.timeout_seconds is not None:
                        task_details["timeoutInSeconds"] = event.timeout_seconds
                    if event.heartbeat_seconds is not None:
                        task_details["heartbeatInSeconds"] = event.heartbeat_seconds
                    self.add(event.frame, "TaskScheduled", at, task_details)
                case (
                    ev.TaskStarted()
                    | ev.TaskSubmitted()
                    | ev.TaskSucceeded()
                    | ev.TaskFailed()
                ):
                    task = state.tasks[event.task]
                    self._task_outcome(task.frame, task.resource, event)
                case ev.TimerFired():
                    timer = state.timers[event.timer]
                    timed = state.frames[timer.frame]
                    pending = state.tasks.get(timed.task) if timed.task else None
                    error = (
                        "States.HeartbeatTimeout"
                        if timer.purpose == "heartbeat"
                        else "States.Timeout"
                    )
                    timed_out = pending.resource if pending else ""
                    if _is_lambda_function(timed_out):
                        self.add(
                            timer.frame, "LambdaFunctionTimedOut", at, {"error": error}
                        )
                    else:
                        resource_type, resource = _resource_parts(timed_out)
                        self.add(
                            timer.frame,
                            "TaskTimedOut",
                            at,
                            {
                                "resourceType": resource_type,
                                "resource": resource,
                                "error": error,
                            },
                        )
                case ev.BranchesStarted():
                    start = self.inner.pop(event.frame, None)
                    self.add(event.frame, "ParallelStateStarted", at, {}, start)
                    for child in event.children:
                        self.last[child] = len(self.out)
                case ev.BranchesEnded():
                    kind = (
                        "ParallelStateFailed"
                        if event.failed
                        else "ParallelStateSucceeded"
                    )
                    self.add(
                        event.frame, kind, at, {}, len(self.out), advance=event.failed
                    )
                case ev.MapStarted():
                    start = self.inner.pop(event.frame, None)
                    self.add(
                        event.frame,
                        "MapStateStarted",
                        at,
                        {"length": len(event.items)},
                        start,
                    )
                    if event.map_run:
                        self.add(
                            event.frame,
                            "MapRunStarted",
                            at,
                            {"mapRunArn": event.map_run},
                        )
                case ev.IterationStarted():
                    parent = state.frames[event.frame]
                    self.add(
                        event.frame,
                        "MapIterationStarted",
                        at,
                        {"name": parent.state, "index": event.index},
                        self.inner.get(event.frame),
                        advance=False,
                    )
                    self.last[event.child] = len(self.out)
                case ev.FrameEnded():
                    ended = state.frames[event.frame]
                    parent = state.frames[ended.parent]
                    if event.aborted:
                        self._aborted(event.frame, at)
                    if ended.kind == "branch":
                        self._branch_ended(ended)
                        apply(state, event)
                        return
                    if event.aborted:
                        kind = "MapIterationAborted"
                    else:
                        kind = (
                            "MapIterationFailed"
                            if event.failed
                            else "MapIterationSucceeded"
                        )
                    inside = self.last.get(event.frame, 0)
                    self.add(
                        event.frame,
                        kind,
                        at,
                        {"name": parent.state, "index": ended.index},
                        inside,
                        advance=False,
                    )
                    self.inner[parent.id] = inside
                    self.last[parent.id] = len(self.out)
                case ev.MapEnded():
                    frame = state.frames[event.frame]
                    if frame.map is not None and frame.map.map_run:
                        run_kind = "MapRunFailed" if event.failed else "MapRunSucceeded"
                        # Since November 2024 AWS chains MapStateExited to
                        # MapRunStarted, skipping MapRunSucceeded and
                        # MapStateSucceeded; recordings made before then differ.
                        self.add(
                            event.frame, run_kind, at, {}, len(self.out), advance=False
                        )
                    if event.failed:
                        failed_inside = self.inner.pop(event.frame, len(self.out))
                        self.add(event.frame, "MapStateFailed", at, {}, failed_inside)
                    else:
                        self.add(
                            event.frame,
                            "MapStateSucceeded",
                            at,
                            {},
                            len(self.out),
                            advance=False,
                        )
                case ev.StateFailed():
                    details = {
                        "error": event.error,
                        "cause": event.cause,
                        "state": event.name,
                    }
                    if event.location is not None:
                        details["location"] = event.location
                    self.add(
                        event.frame,
                        "EvaluationFailed",
                        at,
                        details,
                        self.entered.get(event.frame, 0),
                    )
                    if size == 2:
                        self.add(event.frame, "MapStateFailed", at, {}, len(self.out))
                case ev.ExecutionSucceeded():
                    self.add(
                        0,
                        "ExecutionSucceeded",
                        at,
                        {
                            "output": _text(event.output),
                            "outputDetails": {"truncated": False},
                        },
                    )
                case (
                    ev.ExecutionFailed()
                    | ev.ExecutionTimedOut()
                    | ev.ExecutionAborted()
                ):
                    kind = {
                        ev.ExecutionFailed: "ExecutionFailed",
                        ev.ExecutionTimedOut: "ExecutionTimedOut",
                        ev.ExecutionAborted: "ExecutionAborted",
                    }[type(event)]
                    self.add(0, kind, at, _error_details(event.error, event.cause))
                case _:
                    raise InterpreterError(
                        f"{type(event).__name__} has no history event"
                    )
        elif isinstance(event, ev.FrameEnded):
            finished = state.frames.get(event.frame)
            if finished is not None and finished.kind == "branch":
                self._branch_ended(finished)
        apply(state, event)

    def _branch_ended(self, finished: Frame) -> None:
        # A Parallel branch's end is invisible but its last event is where the
        # Parallel state's next event chains to; a child execution has no events here.
        self.inner[finished.parent] = self.last.get(finished.id, 0)
        self.last[finished.parent] = self.last.get(finished.id, 0)

    def _aborted(self, frame_id: int, at: int) -> None:
        """The states (and nested iterations) a sibling's failure cut short; each
        chains to the last event of its own frame."""
        for what, frame in aborted_records(self.state, frame_id):
            if what == "state":
                self.add(frame.id, f"{_kind(frame.state_kind)}StateAborted", at, {})
            elif what == "map_run":
                self.add(frame.id, "MapRunAborted", at, {})
            else:
                parent = self.state.frames[frame.parent]
                self.add(
                    frame.id,
                    "MapIterationAborted",
                    at,
                    {"name": parent.state, "index": frame.index},
                )


def _is_lambda_function(resource: str) -> bool:
    """A Lambda function's ARN as a Task's Resource (not `lambda:invoke`)."""
    return _LAMBDA_FUNCTION.fullmatch(resource) is not None


def _error_details(error: str | None, cause: str | None) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if error is not None:
        details["error"] = error
    if cause is not None:
        details["cause"] = cause
    return details


def _resource_parts(resource: str) -> tuple[str, str]:
    """AWS splits `arn:aws:states:::lambda:invoke` into type `lambda`, resource `invoke`."""
    if resource.startswith("arn:aws:states:::"):
        rest = resource[len("arn:aws:states:::") :]
        kind, _, name = rest.partition(":")
        return kind, name
    if resource.startswith("python:"):
        return "python", resource[len("python:") :]
    kind, _, name = resource.partition(":")
    return (kind, name) if name else ("python", resource)


def project_history(journal: Iterable[ev.Event]) -> list[HistoryEvent]:
    """The AWS-shaped history of a journal."""
    projector = _Projector()
    for event in journal:
        projector.project(event)
    return projector.out


def flatten(history: list[HistoryEvent]) -> list[dict[str, Any]]:
    """History events in the flattened shape of the golden cases' `expected.events`:
    the details object merged into the event, JSON texts decoded, bookkeeping
    (`timestamp`, `*Details.truncated`) dropped."""
    flat: list[dict[str, Any]] = []
    for event in history:
        item: dict[str, Any] = {
            "id": event["id"],
            "previousEventId": event["previousEventId"],
            "type": event["type"],
        }
        key = _details_key(event["type"])
        details = event.get(key, {}) if key else {}
        for name, value in details.items():
            if name.endswith("Details") or name in ("roleArn", "stateMachineArn"):
                continue
            if name in ("input", "output", "parameters") and isinstance(value, str):
                value = msgspec.json.decode(value)
            item[name] = value
        flat.append(item)
    return flat
