"""Commands: the effects the shell must perform, derived from the state.

After a crash the shell folds the journal and performs `commands_for(state)` again;
every command is idempotent by its key.
"""

from typing import Any

import msgspec

from statum.core.interpreter.state import ExecutionState


class RunTask(msgspec.Struct, frozen=True, kw_only=True, tag="run_task"):
    """Run `resource` on `parameters`; report TaskStarted then TaskSucceeded/Failed."""

    task: str
    resource: str
    parameters: Any
    timeout_seconds: int | None = None
    heartbeat_seconds: int | None = None
    started: bool = False

    @property
    def idempotency_key(self) -> str:
        return self.task


class StartTimer(msgspec.Struct, frozen=True, kw_only=True, tag="start_timer"):
    """Report TimerFired for `timer` once `due_ms` has come."""

    timer: str
    due_ms: int
    purpose: str


Command = RunTask | StartTimer


def commands_for(state: ExecutionState) -> tuple[Command, ...]:
    """Everything the shell must be doing for `state` to make progress."""
    if state.finished:
        return ()
    commands: list[Command] = [
        RunTask(
            task=key,
            resource=task.resource,
            parameters=task.parameters,
            timeout_seconds=task.timeout_seconds,
            heartbeat_seconds=task.heartbeat_seconds,
            started=task.started,
        )
        for key, task in state.tasks.items()
    ]
    commands.extend(
        StartTimer(timer=key, due_ms=timer.due_ms, purpose=timer.purpose)
        for key, timer in state.timers.items()
    )
    return tuple(commands)
