"""The engine loop: one execution, from its first event to its last.

load (or start) -> fold -> decide -> append facts and decisions together, with
the expected version -> perform the work the step started -> wait for the next
facts -> again. A conflicting append (another writer was first) reloads the
journal, folds it afresh and decides again: never a blind merge.

Work runs concurrently: every task the interpreter has scheduled (the Parallel
branches, the Map iterations it let start under MaxConcurrency) runs at once, up
to the engine's global cap. Timers interrupt: a task whose TimeoutSeconds or
HeartbeatSeconds expires fails at that moment and its handler is cancelled.
"""

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec

from statum.core.engine.blocking import LOOP_NEEDED
from statum.core.engine.clock import Clock
from statum.core.engine.context import TaskContext
from statum.core.engine.errors import EngineError, JournalConflict
from statum.core.engine.facts import stale, through_codec
from statum.core.engine.handlers import failure_of
from statum.core.engine.memory_store import HeapWorkQueue
from statum.core.engine.ports import JournalStore, TaskBackend, WorkQueue
from statum.core.interpreter import events as ev
from statum.core.interpreter.commands import (
    Command,
    RunTask,
    StartChild,
    StartTimer,
    TaskCommand,
    commands_for,
    work_delta,
)
from statum.core.interpreter.decide import advance
from statum.core.interpreter.evolve import apply, fold
from statum.core.interpreter.limits import Limits
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import INITIAL_STATE, ExecutionState
from statum.core.interpreter.tokens import waits_for_token

Observer = Callable[[ev.Event], None]

# Appends retried after conflicts before the engine gives up on a step.
MAX_CONFLICT_RETRIES = 20


class ChildStarter(Protocol):
    """Runs the child execution a StartChild command stands for; returns the
    task's output or raises TaskFailure. `report` records a fact (TaskSubmitted)."""

    async def __call__(
        self, command: StartChild, report: Callable[[ev.Event], None]
    ) -> Any: ...


class TokenBook(Protocol):
    """Where the engine lists the task tokens that callbacks may answer."""

    def issue(
        self, token: str, deliver: Callable[[ev.Event], None], task: str
    ) -> None: ...

    def revoke(self, token: str, timed_out: bool = False) -> None: ...


@dataclass(slots=True)
class _Running:
    """A task being performed (or, for a token task, waiting for its callback)."""

    context: TaskContext | None = None
    job: "asyncio.Task[None] | None" = None
    token: str | None = None


@dataclass(slots=True)
class Shared:
    """What every execution of one run shares: its journal store and the global
    cap on running tasks."""

    store: JournalStore
    max_running: int = 0
    cap: asyncio.Semaphore | None = None
    # Child executions the tree has started (Limits.max_child_executions).
    children_started: int = 0

    def semaphore(self) -> asyncio.Semaphore | None:
        if self.max_running > 0 and self.cap is None:
            self.cap = asyncio.Semaphore(self.max_running)
        return self.cap


@dataclass(slots=True)
class ExecutionLoop:
    """Drives one execution to its end (or to an interruption)."""

    execution_id: str
    program: Program
    store: JournalStore
    backend: TaskBackend
    clock: Clock
    limits: Limits
    start_child: ChildStarter
    tokens: TokenBook
    shared: Shared
    observer: Observer | None = None
    state: ExecutionState = field(default_factory=INITIAL_STATE.clone)
    journal: list[ev.Event] = field(default_factory=list)
    _running: dict[str, _Running] = field(default_factory=dict)
    timers: WorkQueue = field(default_factory=HeapWorkQueue)
    _arrivals: list[ev.Event] = field(default_factory=list)
    _arrived: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    # --- the loop -----------------------------------------------------------------

    async def run(self, started: ev.ExecutionStarted | None) -> ExecutionState:
        """Start the execution with `started`, or resume it from its journal."""
        start: Sequence[Command] = ()
        if started is not None:
            batch = await self._record([started], creating=True)
            if not self.state.finished:
                start = work_delta(self.state, batch, ()).start
        else:
            await self._reload()
            # Whatever the journal's last facts call for that no one decided yet.
            await self._record([], catch_up=True)
            start = commands_for(self.state)
        try:
            while not self.state.finished:
                await LOOP_NEEDED
                self._perform(start)
                facts = await self._next_facts()
                batch = await self._record(facts)
                for event in batch:
                    if isinstance(event, ev.TaskSucceeded | ev.TaskFailed):
                        self._forget(event.task)
                delta = work_delta(self.state, batch, self._running)
                timed_out = delta.timed_out
                for key in delta.cancel:
                    self._cancel(key, timed_out=key in timed_out)
                start = delta.start
        finally:
            for key in list(self._running):
                self._cancel(key)
        return self.state

    def deliver(self, fact: ev.Event) -> None:
        """A fact from outside (a callback, a stop request); thread-safe."""
        loop = self._loop
        try:
            if loop is None:
                raise RuntimeError("not started")
            loop.call_soon_threadsafe(self._arrive, fact)
        except RuntimeError:  # no loop yet, or closed: the execution is not running
            raise EngineError("the execution is not running here") from None

    def _beat(self, key: str) -> None:
        # A heartbeat that races the end of its execution is simply too late.
        with contextlib.suppress(EngineError):
            self.deliver(ev.TaskHeartbeat(at_ms=self.clock.now_ms(), task=key))

    # --- recording ----------------------------------------------------------------

    async def _record(
        self, facts: list[ev.Event], *, creating: bool = False, catch_up: bool = False
    ) -> list[ev.Event]:
        """Fold `facts` one at a time, deciding after each, and append the lot."""
        reloaded = catch_up
        for _ in range(MAX_CONFLICT_RETRIES):
            version = len(self.journal)
            work = self.state
            # After a reload, first what the other writer's facts call for (a
            # writer that appends a fact need not decide on it).
            batch: list[ev.Event] = (
                list(advance(self.program, work, self.limits)) if reloaded else []
            )
            for fact in facts:
                if work.finished:
                    break
                if stale(work, fact):
                    continue
                if fact.at_ms < work.now_ms:  # journal time never runs backwards
                    fact = msgspec.structs.replace(fact, at_ms=work.now_ms)
                fact = through_codec(fact, self.limits.max_data_depth)
                apply(work, fact)
                batch.append(fact)
                batch.extend(advance(self.program, work, self.limits))
                if work.finished:
                    break
            if not batch:
                return batch
            try:
                await self.store.append(self.execution_id, batch, version)
            except JournalConflict:
                if creating:
                    raise
                await self._reload()
                reloaded = True
                continue
            self.journal.extend(batch)
            if self.observer is not None:
                for event in batch:
                    self.observer(event)
            return batch
        raise EngineError(
            f"gave up appending to '{self.execution_id}' after "
            f"{MAX_CONFLICT_RETRIES} conflicts in a row; too many writers contend "
            "for this execution"
        )

    async def _reload(self) -> None:
        seen = len(self.journal)
        events = list(await self.store.load(self.execution_id))
        self.journal = events
        self.state = fold(events)
        if self.observer is not None:
            for event in events[seen:]:  # what the other writers recorded
                self.observer(event)

    # --- performing ---------------------------------------------------------------

    def _perform(self, commands: Sequence[Command]) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._arrived = asyncio.Event()
        for command in commands:
            if isinstance(command, StartTimer):
                self.timers.push(command.due_ms, command.timer)
            elif command.key not in self._running:
                self._launch(command)

    def _launch(self, command: TaskCommand) -> None:
        scheduled = command.task
        token = scheduled.token
        running = _Running(token=token)
        self._running[command.key] = running
        if token is not None:
            self.tokens.issue(token, self.deliver, command.key)
        if isinstance(command, StartChild):
            running.job = asyncio.create_task(self._child(command))
            return
        context = TaskContext(
            execution_id=self.state.execution_id,
            state=scheduled.state,
            attempt=scheduled.attempt,
            idempotency_key=command.idempotency_key,
            resource=scheduled.resource,
            task_token=token,
            heartbeat=lambda: self._beat(command.key),
        )
        running.context = context
        running.job = asyncio.create_task(self._task(command, context))

    async def _task(self, command: RunTask, context: TaskContext) -> None:
        cap = self.shared.semaphore()
        if cap is not None:
            await cap.acquire()
        try:
            await self._perform_task(
                command,
                self.backend.invoke(
                    command.resource, _copy(command.parameters), context
                ),
                reports_result=not waits_for_token(command.resource),
            )
        finally:
            if cap is not None:
                cap.release()

    async def _child(self, command: StartChild) -> None:
        # Not under the cap: a child's own tasks take its places, and a parent
        # holding one while it waits for them could starve them.
        await self._perform_task(command, self.start_child(command, self._arrive))

    async def _perform_task(
        self,
        command: TaskCommand,
        work: Coroutine[Any, Any, Any],
        *,
        reports_result: bool = True,
    ) -> None:
        """Report TaskStarted, run `work`, and report how it ended: TaskSucceeded
        with its result, or TaskFailed with the exception's ASL error and cause.
        A token task's result comes with its callback instead."""
        key = command.key
        if not command.started:
            self._arrive(ev.TaskStarted(at_ms=self.clock.now_ms(), task=key))
        try:
            output = await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            error, cause, trace = failure_of(exc)
            self._arrive(
                ev.TaskFailed(
                    at_ms=self.clock.now_ms(),
                    task=key,
                    error=error,
                    cause=cause,
                    traceback=trace,
                )
            )
            return
        if reports_result:
            self._arrive(
                ev.TaskSucceeded(at_ms=self.clock.now_ms(), task=key, output=output)
            )

    def _forget(self, key: str) -> None:
        running = self._running.pop(key, None)
        if running is not None and running.token is not None:
            self.tokens.revoke(running.token)

    def _cancel(self, key: str, *, timed_out: bool = False) -> None:
        running = self._running.pop(key, None)
        if running is None:
            return
        if running.token is not None:
            self.tokens.revoke(running.token, timed_out)
        if running.context is not None:
            running.context.cancel()
        if running.job is not None and not running.job.done():
            running.job.cancel()

    # --- waiting ------------------------------------------------------------------

    def _arrive(self, fact: ev.Event) -> None:
        self._arrivals.append(fact)
        if self._arrived is not None:
            self._arrived.set()

    def _next_due(self) -> tuple[int, str] | None:
        """The earliest live timer; timers that are gone (or were pushed back by a
        heartbeat) are dropped or moved here, lazily."""
        timers = self.timers
        while (item := timers.earliest()) is not None:
            due, key = item
            pending = self.state.timers.get(key)
            if pending is None:
                timers.pop()
            elif pending.due_ms != due:
                timers.retime(pending.due_ms)
            else:
                return due, key
        return None

    async def _next_facts(self) -> list[ev.Event]:
        """What happened next: results that arrived, timers that fell due (in the
        order of their times: a timeout that expired before a late result wins)."""
        arrived = self._arrived
        assert arrived is not None  # set by _perform, which always runs first
        while True:
            now = self.clock.now_ms()
            due = self._next_due()
            if self._arrivals or (due is not None and due[0] <= now):
                break
            busy = bool(self._running)
            if not busy and due is None:
                raise EngineError(
                    f"execution '{self.execution_id}' has nothing to run and no "
                    "timer; this is a bug in Statum, please report it"
                )
            arrived.clear()
            await self.clock.wait(None if due is None else due[0], arrived, busy)
        arrivals, self._arrivals = self._arrivals, []
        horizon = max((f.at_ms for f in arrivals), default=now)
        fired: list[ev.Event] = []
        while (due := self._next_due()) is not None and due[0] <= max(horizon, now):
            self.timers.pop()
            at = max(due[0], self.state.now_ms)
            fired.append(ev.TimerFired(at_ms=at, timer=due[1]))
        facts = fired + arrivals
        facts.sort(key=lambda f: f.at_ms)  # stable: a timer first on a tie
        return facts


def _copy(value: Any) -> Any:
    """A handler's own copy of its input: changing it must not rewrite the
    journal."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return msgspec.json.decode(msgspec.json.encode(value))
