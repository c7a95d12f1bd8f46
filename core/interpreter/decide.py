"""decide(program, state) -> decision events.

Rule: decisions are a pure function of the program and the folded state. The loop
picks the ready frame on top of the ready stack (depth first: a Map iteration runs
until it blocks before the next one starts, as AWS records with MaxConcurrency 1),
lets it take one step, and folds each decision into a private copy at once, so the
next step sees it. Decisions are stamped with the time of the last event: replaying
a journal re-derives them byte for byte.
"""

import re

from statum.core.interpreter import catching, fanout
from statum.core.interpreter import events as ev
from statum.core.interpreter.errors import InterpreterError, JournalMismatchError
from statum.core.interpreter.evolve import apply
from statum.core.interpreter.limits import DEFAULT_LIMITS, Limits
from statum.core.interpreter.program import CompiledState, Program
from statum.core.interpreter.retry import error_matches, retry_delay_ms
from statum.core.interpreter.state import (
    CHILDREN,
    END,
    ENTER,
    FAILED,
    RESUME,
    RUN,
    ExecutionState,
    Frame,
)
from statum.core.interpreter.steps import StepRunner
from statum.core.language import errors as names
from statum.core.language.entropy import Entropy
from statum.core.language.errors import StatesError, capped

# The timer of the execution's own TimeoutSeconds.
EXECUTION_TIMER = "execution-timeout"

# The resource of the task that runs one distributed Map iteration as a child
# execution; the shell answers it (statum.core.engine.children).
MAP_ITERATION_RESOURCE = "statum:mapIteration"

_FIELD = re.compile(r"specified for the field '([^']*)'")


def decide(
    program: Program, state: ExecutionState, limits: Limits = DEFAULT_LIMITS
) -> tuple[ev.Event, ...]:
    """The decisions the interpreter makes next, given everything folded so far."""
    return advance(program, state.clone(), limits)


def advance(
    program: Program, state: ExecutionState, limits: Limits = DEFAULT_LIMITS
) -> tuple[ev.Event, ...]:
    """`decide`, folding each decision into `state` itself as it is made.

    For a shell that owns its state and would otherwise fold every decision a
    second time; `state` must not be shared with anyone who expects it unchanged.
    """
    if not state.status or state.finished:
        return ()
    # An execution decides under the limits it started with, whoever replays it.
    decider = _Decider(program, state, state.limits or limits)
    decider.run()
    return tuple(decider.out)


class _Decider:
    __slots__ = (
        "limits",
        "max_history_events",
        "max_journal_bytes",
        "max_journal_events",
        "out",
        "program",
        "steps",
        "work",
    )

    def __init__(self, program: Program, work: ExecutionState, limits: Limits) -> None:
        self.program = program
        self.work = work
        self.limits = limits
        # Read on every step: attributes of the decider, not of the limits.
        self.max_history_events = limits.max_history_events
        self.max_journal_bytes = limits.max_journal_bytes
        self.max_journal_events = 10 * limits.max_history_events
        self.out: list[ev.Event] = []
        self.steps = StepRunner(program, work, self.emit, limits)

    def emit(self, event: ev.Event) -> None:
        apply(self.work, event)
        self.out.append(event)

    def run(self) -> None:
        work = self.work
        while True:
            if work.finished:
                return
            if work.stopping:
                self.emit(
                    ev.ExecutionAborted(
                        at_ms=work.now_ms, error=work.error, cause=work.cause
                    )
                )
                return
            if work.timing_out:
                self.emit(ev.ExecutionTimedOut(at_ms=work.now_ms))
                return
            over = self._over_a_limit()
            if over is not None:
                self.emit(
                    ev.ExecutionFailed(
                        at_ms=work.now_ms, error=names.RUNTIME, cause=over
                    )
                )
                return
            frame = self._pick()
            if frame is None:
                return
            made = len(self.out)
            self._step(frame)
            if len(self.out) == made:  # a bug in a step, never a workflow outcome
                raise InterpreterError(
                    f"frame {frame.id} took a step without a decision"
                )

    def _over_a_limit(self) -> str | None:
        """The cause to fail the execution with, if it is over a limit."""
        work = self.work
        if work.history_len >= self.max_history_events:
            return (
                "The execution reached the maximum number of history events "
                f"({self.max_history_events})."
            )
        if work.position > self.max_journal_events:
            # A backstop: no loop may make events for ever, even events that the
            # history does not show (a catcher failing, say).
            return (
                f"The execution recorded more than {self.max_journal_events:,} "
                "journal events, ten for each history event it may have "
                "(Limits.max_history_events)."
            )
        if work.payload_bytes > self.max_journal_bytes:
            return (
                f"The execution's journal grew past {self.max_journal_bytes:,} bytes "
                "of payloads (Limits.max_journal_bytes); pass references to large "
                "data between states instead of the data, or raise the limit."
            )
        return None

    def _pick(self) -> Frame | None:
        work = self.work
        for frame_id in reversed(work.ready):
            frame = work.frames[frame_id]
            if frame.phase != CHILDREN or fanout.children_actionable(frame):
                return frame
        return None

    def _step(self, frame: Frame) -> None:
        phase = frame.phase
        if frame.kind == "execution":
            self._child_execution(frame)
        elif phase == ENTER:
            self._enter(frame)
        elif phase == END:
            self._end(frame)
        elif phase == FAILED:
            self._failure(frame)
        else:
            state = self.program.machines[frame.program].states[frame.state]
            try:
                if phase == RUN:
                    self.steps.run(frame, state)
                elif phase == RESUME:
                    self.steps.resume(frame, state)
                elif phase == CHILDREN:
                    fanout.children(self.steps, frame, state, self._retry)
                else:
                    raise JournalMismatchError(
                        f"frame {frame.id} is waiting but was picked"
                    )
            except StatesError as exc:
                self._state_error(frame, state, exc)

    def _child_execution(self, frame: Frame) -> None:
        """A distributed Map iteration: one task that runs a child execution."""
        now = self.work.now_ms
        if frame.phase == ENTER:
            parent = self.work.frames[frame.parent]
            if parent.map is None:
                raise JournalMismatchError(
                    f"iteration frame {frame.id} has no running Map above it"
                )
            self.emit(
                ev.TaskScheduled(
                    at_ms=now,
                    frame=frame.id,
                    task=f"{frame.id}.iteration",
                    resource=MAP_ITERATION_RESOURCE,
                    state=parent.state,
                    attempt=parent.attempts,
                    parameters={
                        "MapRun": parent.map.map_run,
                        "Processor": frame.program,
                        "Index": frame.index,
                        "Input": frame.input,
                    },
                )
            )
        elif frame.phase == RESUME:
            self.emit(ev.FrameEnded(at_ms=now, frame=frame.id, output=frame.value))
        elif frame.phase == FAILED:
            self._propagate(frame)
        else:
            raise JournalMismatchError(
                f"child execution frame {frame.id} in phase {frame.phase}"
            )

    def _enter(self, frame: Frame) -> None:
        machine = self.program.machines[frame.program]
        name = frame.state or machine.start_at
        work = self.work
        if frame.id == 0 and not frame.state and self.program.timeout_seconds:
            self.emit(
                ev.TimerStarted(
                    at_ms=work.now_ms,
                    frame=0,
                    timer=EXECUTION_TIMER,
                    due_ms=work.started_ms + self.program.timeout_seconds * 1000,
                    purpose="execution",
                )
            )
        state = machine.states[name]
        self.emit(
            ev.StateEntered(
                at_ms=work.now_ms,
                frame=frame.id,
                name=name,
                kind=state.kind,
                input=frame.input,
            )
        )

    def _end(self, frame: Frame) -> None:
        now = self.work.now_ms
        if frame.parent < 0:
            self.emit(ev.ExecutionSucceeded(at_ms=now, output=frame.value))
        else:
            self.emit(ev.FrameEnded(at_ms=now, frame=frame.id, output=frame.value))

    def _state_error(
        self,
        frame: Frame,
        state: CompiledState,
        exc: StatesError,
        *,
        in_catch: bool = False,
    ) -> None:
        cause: str | None = exc.cause
        if exc.error != names.DATA_LIMIT_EXCEEDED:
            cause = (
                f"An error occurred while executing the state '{state.name}' "
                f"(entered at the event id #{frame.entered_id}). {cause}"
            )
        evaluation = exc.error == names.QUERY_EVALUATION_ERROR
        match = _FIELD.search(exc.cause) if evaluation else None
        # A cause may quote a whole input (ReferencePath conflicts do).
        error, cause = capped(exc.error, cause)
        self.emit(
            ev.StateFailed(
                at_ms=self.work.now_ms,
                frame=frame.id,
                name=state.name,
                error=error,
                cause=cause,
                evaluation=evaluation,
                location=match.group(1) if match else exc.location,
                in_catch=in_catch,
            )
        )

    def _failure(self, frame: Frame) -> None:
        state = self.program.machines[frame.program].states[frame.state]
        error = frame.error or ""
        if state.kind != "Fail" and not frame.evaluation:
            if self._retry(frame, state, error):
                return
            try:
                if catching.catch(self.steps, frame, state, error):
                    return
            except StatesError as exc:
                self._state_error(frame, state, exc, in_catch=True)
                return
        self._propagate(frame)

    def _propagate(self, frame: Frame) -> None:
        """A failure nobody caught: the execution fails, or the frame's parent
        learns that its branch or iteration failed."""
        now = self.work.now_ms
        if frame.parent < 0:
            self.emit(
                ev.ExecutionFailed(at_ms=now, error=frame.error, cause=frame.cause)
            )
            return
        self.emit(
            ev.FrameEnded(
                at_ms=now,
                frame=frame.id,
                failed=True,
                error=frame.error,
                cause=frame.cause,
            )
        )

    def _retry(self, frame: Frame, state: CompiledState, error: str) -> bool:
        """Schedule a retry if a retrier matches `error` and has attempts left."""
        for index, retrier in enumerate(state.retriers):
            if not error_matches(retrier.error_equals, error):
                continue
            done = frame.retry_counts[index] if index < len(frame.retry_counts) else 0
            if done >= retrier.max_attempts:
                return False
            delay_ms = retry_delay_ms(retrier.interval_ms, retrier.backoff_rate, done)
            if retrier.max_delay_ms is not None:
                delay_ms = min(delay_ms, retrier.max_delay_ms)
            if retrier.full_jitter:
                entropy = Entropy(
                    f"{self.work.execution_id}:{self.work.position}:jitter"
                )
                delay_ms = entropy.random_int(0, delay_ms + 1)
            now = self.work.now_ms
            self.emit(
                ev.RetryScheduled(
                    at_ms=now, frame=frame.id, retrier=index, delay_ms=delay_ms
                )
            )
            self.emit(
                ev.TimerStarted(
                    at_ms=now,
                    frame=frame.id,
                    timer=f"retry:{frame.id}.{self.work.work_serial}",
                    due_ms=now + delay_ms,
                    purpose="retry",
                )
            )
            return True
        return False
