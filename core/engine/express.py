"""Express mode: run an execution to completion in this process.

The runner is the imperative shell around the pure interpreter: it appends facts
(stamped with its clock), lets the interpreter decide, and performs the commands
(calls Python handlers, starts child executions, waits for timers) until the
execution ends. The journal it builds is a complete, replayable record.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from statum.core.engine.children import ChildExecutions, is_start_execution
from statum.core.engine.clock import Clock, SystemClock
from statum.core.engine.handlers import (
    HandlerNotFound,
    HandlerRegistry,
    TaskFailure,
    call_handler,
)
from statum.core.interpreter import events as ev
from statum.core.interpreter.commands import RunTask, StartTimer, commands_for
from statum.core.interpreter.decide import EXECUTION_TIMER, advance
from statum.core.interpreter.evolve import apply
from statum.core.interpreter.limits import DEFAULT_LIMITS, Limits
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import INITIAL_STATE, ExecutionState

IdSource = Callable[[], str]
Record = Callable[[ev.Event], None]


@dataclass(slots=True)
class ExecutionResult:
    """How an execution ended, its whole journal, and those of its children."""

    status: str
    output: Any
    error: str | None
    cause: str | None
    journal: list[ev.Event]
    state: ExecutionState = field(repr=False)
    children: list["ExecutionResult"] = field(default_factory=list, repr=False)

    @property
    def execution_id(self) -> str:
        return self.state.execution_id


class ExecutionInputTooLarge(ValueError):
    """The input of a new execution is over the payload limit."""


def as_json(value: Any) -> Any:
    """A handler's result as plain JSON (tuples, sets, dates... become JSON values).

    A result with no JSON form fails the task rather than the engine.
    """
    try:
        return msgspec.json.decode(msgspec.json.encode(value))
    except (TypeError, ValueError, msgspec.EncodeError) as exc:
        raise TaskFailure(
            "States.TaskFailed",
            f"The handler returned a value with no JSON form ({exc}); return "
            "dicts, lists, strings, numbers, booleans or None.",
        ) from None


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


@dataclass(slots=True)
class ExpressRunner:
    """Runs executions in-process with Python handlers for Task states.

    `state_machines` holds the definitions that StartExecution tasks may start,
    by name (`arn:...:stateMachine:NAME` resolves to NAME too).
    """

    handlers: HandlerRegistry = field(default_factory=HandlerRegistry)
    clock: Clock = field(default_factory=SystemClock)
    new_id: IdSource = _uuid
    limits: Limits = DEFAULT_LIMITS
    state_machine_name: str = "statemachine"
    execution_type: str = "STANDARD"
    account: str = "000000000000"
    region: str = "local"
    state_machines: dict[str, Program] = field(default_factory=dict)
    max_nesting: int = 8

    @property
    def arn_prefix(self) -> str:
        return f"arn:aws:states:{self.region}:{self.account}"

    def start_event(
        self, payload: Any, name: str | None, state_machine: str | None = None
    ) -> ev.ExecutionStarted:
        run_name = name or self.new_id()
        sm = state_machine or self.state_machine_name
        prefix = self.arn_prefix
        if self.execution_type == "EXPRESS":
            execution_id = f"{prefix}:express:{sm}:{run_name}:{self.new_id()}"
        else:
            execution_id = f"{prefix}:execution:{sm}:{run_name}"
        return ev.ExecutionStarted(
            at_ms=self.clock.now_ms(),
            execution_id=execution_id,
            name=run_name,
            input=payload,
            state_machine_id=f"{prefix}:stateMachine:{sm}",
            state_machine_name=sm,
            role_arn=f"arn:aws:iam::{self.account}:role/statum",
        )

    def run(
        self,
        program: Program,
        payload: Any = None,
        *,
        name: str | None = None,
        state_machine: str | None = None,
        depth: int = 0,
        observer: Record | None = None,
    ) -> ExecutionResult:
        """Run one execution to its end and return its result.

        `observer` sees every event as it is recorded, so a caller can keep the
        journal of an execution that is interrupted before it returns.
        """
        if payload is None:
            payload = {}
        size = len(msgspec.json.encode(payload))
        if size > self.limits.max_payload_bytes:
            # AWS refuses such a StartExecution: no execution, nothing recorded.
            raise ExecutionInputTooLarge(
                f"The execution input is {size} bytes, over the limit of "
                f"{self.limits.max_payload_bytes} bytes; pass a reference to the data "
                "instead, or raise Limits.max_payload_bytes"
            )
        journal: list[ev.Event] = []
        state = INITIAL_STATE.clone()
        children = ChildExecutions(self, depth, program)

        def record(event: ev.Event) -> None:
            apply(state, event)
            journal.append(event)
            if observer is not None:
                observer(event)

        record(self.start_event(payload, name, state_machine))
        while True:
            # `advance` folds its decisions into `state` as it makes them.
            decisions = advance(program, state, self.limits)
            journal.extend(decisions)
            if observer is not None:
                for decision in decisions:
                    observer(decision)
            if state.finished:
                break
            self._perform(state, record, children)
        return ExecutionResult(
            status=state.status,
            output=state.output,
            error=state.error,
            cause=state.cause,
            journal=journal,
            state=state,
            children=children.results,
        )

    def _perform(
        self, state: ExecutionState, record: Record, children: ChildExecutions
    ) -> None:
        """Perform the next command: run a task, or let the earliest timer fire."""
        tasks: list[RunTask] = []
        timers: list[StartTimer] = []
        for command in commands_for(state):
            if isinstance(command, RunTask):
                tasks.append(command)
            else:
                timers.append(command)
        earliest = min(timers, key=lambda t: t.due_ms, default=None)
        if tasks and (earliest is None or earliest.due_ms > self.clock.now_ms()):
            self._run_task(state, tasks[0], record, children)
            return
        if earliest is None:
            raise AssertionError("the execution is stuck: nothing to run and no timer")
        self.clock.sleep_until(earliest.due_ms)
        record(
            ev.TimerFired(
                at_ms=max(self.clock.now_ms(), earliest.due_ms), timer=earliest.timer
            )
        )

    def _run_task(
        self,
        state: ExecutionState,
        command: RunTask,
        record: Record,
        children: ChildExecutions,
    ) -> None:
        record(ev.TaskStarted(at_ms=self.clock.now_ms(), task=command.task))
        context: dict[str, Any] = {
            "execution_id": state.execution_id,
            "idempotency_key": f"{state.execution_id}/{command.task}",
            "resource": command.resource,
        }
        try:
            if is_start_execution(command.resource):
                output = children.start(command, record)
            else:
                handler = self.handlers.resolve(command.resource)
                if handler is None:
                    raise TaskFailure(
                        "States.TaskFailed",
                        f"No handler is registered for resource '{command.resource}'. "
                        "Register a Python callable under that name.",
                    )
                # The handler gets a copy: changing it must not rewrite the journal.
                task_input = as_json(command.parameters)
                output = as_json(call_handler(handler, task_input, context))
        except HandlerNotFound as missing:
            outcome: ev.Event = ev.TaskFailed(
                at_ms=self.clock.now_ms(),
                task=command.task,
                error="States.TaskFailed",
                cause=str(missing),
            )
        except TaskFailure as failure:
            outcome = ev.TaskFailed(
                at_ms=self.clock.now_ms(),
                task=command.task,
                error=failure.error,
                cause=failure.cause,
            )
        except Exception as exc:  # a handler's exception is the task's failure
            outcome = ev.TaskFailed(
                at_ms=self.clock.now_ms(),
                task=command.task,
                error=type(exc).__name__,
                cause=str(exc),
            )
        else:
            outcome = ev.TaskSucceeded(
                at_ms=self.clock.now_ms(), task=command.task, output=output
            )
        if not self._timed_out(state, command, record):
            record(outcome)

    def _timed_out(
        self, state: ExecutionState, command: RunTask, record: Record
    ) -> bool:
        """A task that outlived its TimeoutSeconds, or the execution's, ends as a
        timeout: its late result is not recorded."""
        now = self.clock.now_ms()
        keys = (f"timeout:{command.task}", f"heartbeat:{command.task}", EXECUTION_TIMER)
        overdue = [
            (timer.due_ms, key)
            for key in keys
            if (timer := state.timers.get(key)) is not None and timer.due_ms <= now
        ]
        if not overdue:
            return False
        due, key = min(overdue)
        record(ev.TimerFired(at_ms=due, timer=key))
        return True
