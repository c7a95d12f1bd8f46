"""Express mode: run executions to completion in this process.

The runner is the engine loop (engine.py) on an in-memory journal store, with
tasks performed by the host's Python handlers in this process. Its journals are
complete, replayable records, like any store's.

    result = ExpressRunner(handlers=registry).run(program, {"name": "Ada"})
    result = await runner.run_async(program, payload)   # inside asyncio programs
"""

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from statum.core.engine.blocking import run_blocking
from statum.core.engine.callbacks import TaskTokens, new_secret
from statum.core.engine.children import ChildExecutions
from statum.core.engine.clock import Clock, SystemClock
from statum.core.engine.engine import ExecutionLoop, Observer, Shared
from statum.core.engine.errors import (
    EventLoopRunning,
    ExecutionInputTooLarge,
    ExecutionNotFound,
    InvalidExecutionInput,
    InvalidOutput,
    UnknownResource,
)
from statum.core.engine.handlers import HandlerRegistry, PythonBackend
from statum.core.engine.memory_store import InMemoryJournalStore
from statum.core.engine.ports import JournalStore
from statum.core.engine.registry import DEFAULT_HANDLERS
from statum.core.engine.resources import performs
from statum.core.engine.threads import DaemonThreadPool
from statum.core.interpreter import events as ev
from statum.core.interpreter.limits import DEFAULT_LIMITS, Limits
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import ExecutionState
from statum.core.language.json import nesting_depth

__all__ = [
    "ExecutionInputTooLarge",
    "ExecutionResult",
    "ExpressRunner",
]

IdSource = Callable[[], str]


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

    @property
    def tracebacks(self) -> list[str]:
        """The tracebacks of the handlers that failed, in journal order."""
        return [str(event.traceback) for event in handler_failures(self.journal)]


def handler_failures(journal: list[ev.Event]) -> list[ev.TaskFailed]:
    """The task failures of a journal that carry a handler's traceback."""
    return [e for e in journal if isinstance(e, ev.TaskFailed) and e.traceback]


def _uuid() -> str:
    return str(uuid.uuid4())


@dataclass(slots=True)
class ExpressRunner:
    """Runs executions in-process with Python handlers for Task states.

    `handlers` defaults to the process-wide registry that the `@handler` decorator
    fills. `state_machines` holds the definitions that StartExecution tasks may
    start, by name (`arn:...:stateMachine:NAME` resolves to NAME too).
    `max_running` caps the tasks running at once over all executions of a run
    (0: no cap); `max_threads` bounds the threads that run sync handlers.
    """

    handlers: HandlerRegistry = field(default_factory=lambda: DEFAULT_HANDLERS)
    clock: Clock = field(default_factory=SystemClock)
    new_id: IdSource = _uuid
    new_seed: IdSource = new_secret
    limits: Limits = DEFAULT_LIMITS
    state_machine_name: str = "statemachine"
    execution_type: str = "STANDARD"
    account: str = "000000000000"
    region: str = "local"
    state_machines: dict[str, Program] = field(default_factory=dict)
    max_nesting: int = 8
    max_running: int = 256
    max_threads: int = 64
    # None: each run keeps its journals (its own and its children's) in a store of
    # its own, which goes away with the result; a long-lived service keeps
    # nothing it did not ask for.
    store: JournalStore | None = None
    _backend: PythonBackend | None = None
    _tokens: TaskTokens = field(default_factory=TaskTokens)
    _loops: dict[str, ExecutionLoop] = field(default_factory=dict)

    @property
    def arn_prefix(self) -> str:
        return f"arn:aws:states:{self.region}:{self.account}"

    def start_event(
        self,
        payload: Any,
        name: str | None,
        state_machine: str | None = None,
        program: Program | None = None,
        parent_id: str = "",
    ) -> ev.ExecutionStarted:
        run_name = name or self.new_id()
        sm = state_machine or self.state_machine_name
        prefix = self.arn_prefix
        if self.execution_type == "EXPRESS":
            execution_id = f"{prefix}:express:{sm}:{run_name}:{self.new_id()}"
        else:
            execution_id = f"{prefix}:execution:{sm}:{run_name}"
        state_machine_id = prefix + ":stateMachine:" + sm
        return ev.ExecutionStarted(
            at_ms=self.clock.now_ms(),
            execution_id=execution_id,
            name=run_name,
            input=payload,
            state_machine_id=state_machine_id,
            state_machine_name=sm,
            role_arn="arn:aws:iam::" + self.account + ":role/statum",
            parent_execution_id=parent_id,
            definition_id=state_machine_id,
            definition_hash="" if program is None else definition_hash(program),
            limits=self.limits,
            seed=self.new_seed(),
        )

    # --- running --------------------------------------------------------------------

    def run(
        self,
        program: Program,
        payload: Any = None,
        *,
        name: str | None = None,
        state_machine: str | None = None,
        observer: Observer | None = None,
    ) -> ExecutionResult:
        """Run one execution to its end and return its result (blocking).

        `observer` sees every event as it is recorded, so a caller can keep the
        journal of an execution that is interrupted before it returns. From
        inside a running event loop, use `await run_async(...)` instead.
        """
        _refuse_running_loop("run")
        result: ExecutionResult = run_blocking(
            self.run_async(
                program,
                payload,
                name=name,
                state_machine=state_machine,
                observer=observer,
            )
        )
        return result

    async def run_async(
        self,
        program: Program,
        payload: Any = None,
        *,
        name: str | None = None,
        state_machine: str | None = None,
        observer: Observer | None = None,
    ) -> ExecutionResult:
        """Run one execution to its end on the running event loop."""
        self.check_resources(program)
        return await self.execute(
            program,
            payload,
            name=name,
            state_machine=state_machine,
            observer=observer,
            shared=Shared(
                max_running=self.max_running,
                store=self.store or InMemoryJournalStore(),
            ),
        )

    def resume(
        self, program: Program, execution_id: str, *, observer: Observer | None = None
    ) -> ExecutionResult:
        """Carry on an execution from its journal in `store` (after a crash, or on
        another process): what it recorded is not done again."""
        _refuse_running_loop("resume")
        result: ExecutionResult = run_blocking(
            self.resume_async(program, execution_id, observer=observer)
        )
        return result

    async def resume_async(
        self, program: Program, execution_id: str, *, observer: Observer | None = None
    ) -> ExecutionResult:
        """`resume` on the running event loop."""
        if self.store is None:
            raise ExecutionNotFound(
                "this runner keeps no journals between runs: give it a store "
                "(ExpressRunner(store=InMemoryJournalStore())) to resume executions"
            )
        self.check_resources(program)
        shared = Shared(max_running=self.max_running, store=self.store)
        return await self._drive(program, execution_id, None, shared, 0, observer)

    async def execute(
        self,
        program: Program,
        payload: Any,
        *,
        name: str | None,
        state_machine: str | None,
        shared: Shared,
        depth: int = 0,
        parent_id: str = "",
        observer: Observer | None = None,
    ) -> ExecutionResult:
        """One execution, top-level or a child, on the loop of its run."""
        started = self._checked_start(
            self.start_event(
                {} if payload is None else payload,
                name,
                state_machine,
                program,
                parent_id,
            )
        )
        return await self._drive(
            program, started.execution_id, started, shared, depth, observer
        )

    async def _drive(
        self,
        program: Program,
        execution_id: str,
        started: ev.ExecutionStarted | None,
        shared: Shared,
        depth: int,
        observer: Observer | None,
    ) -> ExecutionResult:
        children = ChildExecutions(self, depth, program, shared, execution_id)
        loop = ExecutionLoop(
            execution_id=execution_id,
            program=program,
            store=shared.store,
            backend=self._python_backend(),
            clock=self.clock,
            limits=self.limits,
            start_child=children,
            tokens=self._tokens,
            shared=shared,
            observer=observer,
        )
        self._loops[execution_id] = loop
        try:
            state = await loop.run(started)
        finally:
            del self._loops[execution_id]
        return ExecutionResult(
            status=state.status,
            output=state.output,
            error=state.error,
            cause=state.cause,
            journal=loop.journal,
            state=state,
            children=children.results,
        )

    def _checked_start(self, started: ev.ExecutionStarted) -> ev.ExecutionStarted:
        """The start event as the journal will hold it (its input as a replay will
        read it); bad input is refused before anything is recorded."""
        max_depth = self.limits.max_data_depth
        if nesting_depth(started.input, max_depth) > max_depth:
            raise InvalidExecutionInput(
                f"The execution input nests arrays and objects more than {max_depth} "
                "deep; pass flatter data, or raise Limits.max_data_depth"
            )
        try:
            data = msgspec.json.encode(started.input)
        except (TypeError, ValueError, OverflowError, msgspec.MsgspecError) as exc:
            raise InvalidExecutionInput(
                f"The execution input has no JSON form ({exc}); pass dicts, lists, "
                "strings, numbers, booleans or None"
            ) from None
        if len(data) > self.limits.max_payload_bytes:
            # AWS refuses such a StartExecution: no execution, nothing recorded.
            raise ExecutionInputTooLarge(
                f"The execution input is {len(data)} bytes, over the limit of "
                f"{self.limits.max_payload_bytes} bytes; pass a reference to the data "
                "instead, or raise Limits.max_payload_bytes"
            )
        return msgspec.structs.replace(started, input=msgspec.json.decode(data))

    def check_resources(self, program: Program) -> None:
        """Refuse, before anything runs, a program whose Tasks name resources no
        handler serves (a typo must not become a task failure a Catch swallows)."""
        missing = [
            (state, resource)
            for state, resource in program.task_resources()
            if not performs(self.handlers, resource)
        ]
        if missing:
            raise UnknownResource(missing)

    def _python_backend(self) -> PythonBackend:
        backend = self._backend
        if backend is None or backend.registry is not self.handlers:
            backend = self._backend = PythonBackend(
                self.handlers, DaemonThreadPool(self.max_threads)
            )
        return backend

    # --- callbacks ------------------------------------------------------------------

    def send_task_success(self, token: str, output: Any) -> None:
        """Complete the task waiting with `token` (`.waitForTaskToken`) with `output`."""
        try:
            msgspec.json.encode(output)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidOutput(f"The task output has no JSON form: {exc}") from None
        deliver, task = self._tokens.take(token, final=True)
        deliver(ev.TaskSucceeded(at_ms=self.clock.now_ms(), task=task, output=output))

    def send_task_failure(
        self, token: str, error: str | None = None, cause: str | None = None
    ) -> None:
        """Fail the task waiting with `token` with an ASL error name and cause."""
        deliver, task = self._tokens.take(token, final=True)
        deliver(
            ev.TaskFailed(
                at_ms=self.clock.now_ms(), task=task, error=error or "", cause=cause
            )
        )

    def send_task_heartbeat(self, token: str) -> None:
        """Restart the HeartbeatSeconds timer of the task waiting with `token`."""
        deliver, task = self._tokens.take(token, final=False)
        deliver(ev.TaskHeartbeat(at_ms=self.clock.now_ms(), task=task))

    def stop(
        self, execution_id: str, error: str | None = None, cause: str | None = None
    ) -> None:
        """Ask a running execution to stop (it ends ABORTED); from any thread."""
        loop = self._loops.get(execution_id)
        if loop is None:
            raise ExecutionNotFound(f"no execution '{execution_id}' is running here")
        loop.deliver(
            ev.ExecutionStopRequested(
                at_ms=self.clock.now_ms(), error=error, cause=cause
            )
        )


def _refuse_running_loop(method: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise EventLoopRunning(
        f"ExpressRunner.{method}() blocks, and an event loop is running in this "
        f"thread: use `await runner.{method}_async(...)` instead"
    )


def definition_hash(program: Program) -> str:
    """A content hash of the definition a program was compiled from."""
    if program.digest:
        return program.digest
    text = msgspec.json.encode(msgspec.to_builtins(program.definition), order="sorted")
    digest = "sha256:" + hashlib.sha256(text).hexdigest()
    program.digest = digest
    return digest
