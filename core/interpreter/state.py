"""Execution state: what folding a journal yields.

NOTE: the fold mutates a private copy (see evolve.py): `clone()` copies every
container that the fold changes in place, so a state handed out is never changed by
a later event.
"""

from enum import IntEnum
from typing import TYPE_CHECKING, Any, Final, Literal

import msgspec

from statum.core.interpreter.events import TaskScheduled
from statum.core.interpreter.kinds import (
    ExecutionStatus,
    FrameKind,
    StateKind,
    TimerPurpose,
)
from statum.core.interpreter.limits import Limits

if TYPE_CHECKING:
    from statum.core.language.json import Json
else:  # msgspec cannot decode a recursive alias; any JSON value is what it reads
    Json = Any


class Phase(IntEnum):
    """Where a frame is in its current state's life."""

    ENTER = 0  # about to enter `state` (or StartAt when `state` is "") with `input`
    RUN = 1  # entered (or retrying): the state's body runs next
    WAIT = 2  # waiting for a fact: a task result or a timer
    RESUME = 3  # a task result or timer arrived: the state finishes next
    CHILDREN = 4  # a Map or Parallel state runs child frames
    FAILED = 5  # the state failed: retry, catch, or propagate next
    END = 6  # the frame's state machine ended with `value`


# Plain ints for the hot paths: an IntEnum member lookup costs ~100 ns each.
ENTER, RUN, WAIT, RESUME, CHILDREN, FAILED, END = (int(p) for p in Phase)


class Status:
    """Execution status names, as AWS spells them."""

    RUNNING: Final = "RUNNING"
    SUCCEEDED: Final = "SUCCEEDED"
    FAILED: Final = "FAILED"
    TIMED_OUT: Final = "TIMED_OUT"
    ABORTED: Final = "ABORTED"


class MapProgress(msgspec.Struct, kw_only=True, gc=False):
    """The iterations of one Map run (one attempt of a Map state)."""

    items: list[Json]
    next_index: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0
    max_concurrency: int = 0
    tolerated_count: int = -1
    tolerated_percentage: float = -1.0
    results: list[Json] = msgspec.field(default_factory=list)
    first_error: str | None = None
    first_cause: str | None = None
    failing: bool = False
    map_run: str = ""
    # Worked out once per Map run rather than once per iteration.
    child_program: str = ""
    child_hidden: bool = False


class BranchProgress(msgspec.Struct, kw_only=True):
    """The branches of one Parallel run."""

    children: list[int]
    results: list[Json]
    done: int = 0
    failing: bool = False
    first_error: str | None = None
    first_cause: str | None = None


class Frame(msgspec.Struct, kw_only=True, gc=False):
    """One thread of control: the top level, a Parallel branch or a Map iteration."""

    id: int
    parent: int
    program: str
    index: int = 0
    state: str = ""
    state_kind: StateKind | Literal[""] = ""
    kind: FrameKind = ""
    phase: int = ENTER
    input: Json = None
    value: Json = None
    error: str | None = None
    cause: str | None = None
    evaluation: bool = False
    entered_id: int = 0
    entered_ms: int = 0
    retry_counts: tuple[int, ...] = ()
    attempts: int = 0
    task: str | None = None
    timer: str | None = None
    # The timeout and heartbeat timers started for the frame's tasks, so that a
    # task's outcome drops them without scanning every pending timer.
    timeouts: tuple[str, ...] = ()
    variables: dict[str, Json] = msgspec.field(default_factory=dict)
    map: MapProgress | None = None
    branches: BranchProgress | None = None
    hidden: bool = False
    # A Map state's own tasks (item_io.py): which one it scheduled last, and the
    # map run its writer reports.
    stage: int = 0
    map_run: str = ""

    def clone(self) -> "Frame":
        copy = msgspec.structs.replace(self)
        if self.map is not None:
            m = msgspec.structs.replace(self.map)
            m.results = list(self.map.results)
            copy.map = m
        if self.branches is not None:
            b = msgspec.structs.replace(self.branches)
            b.results = list(self.branches.results)
            copy.branches = b
        return copy


class PendingTask(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A scheduled task whose result has not arrived: its TaskScheduled record,
    and whether a worker reported that it started."""

    scheduled: TaskScheduled
    started: bool = False

    @property
    def frame(self) -> int:
        return self.scheduled.frame

    @property
    def resource(self) -> str:
        return self.scheduled.resource


class PendingTimer(msgspec.Struct, kw_only=True):
    """A timer that has not fired."""

    frame: int
    due_ms: int
    purpose: TimerPurpose


class ExecutionState(msgspec.Struct, kw_only=True):
    """Everything the interpreter knows about one execution."""

    execution_id: str = ""
    name: str = ""
    input: Json = None
    started_ms: int = 0
    state_machine_id: str = ""
    state_machine_name: str = ""
    role_arn: str = ""
    status: ExecutionStatus = ""
    output: Json = None
    error: str | None = None
    cause: str | None = None
    frames: dict[int, Frame] = msgspec.field(default_factory=dict)
    # The frames that can take a step, as a stack (the last one on top) that is
    # also a set: an ordered dict whose values mean nothing. A list made every
    # wake and unready scan it, quadratic once thousands of frames are ready.
    ready: dict[int, None] = msgspec.field(default_factory=dict)
    next_frame: int = 1
    tasks: dict[str, PendingTask] = msgspec.field(default_factory=dict)
    timers: dict[str, PendingTimer] = msgspec.field(default_factory=dict)
    stopping: bool = False
    timing_out: bool = False
    # Numbers the keys of tasks and timers: work-item keys must not depend on the
    # AWS history's event numbering, which is a projection.
    work_serial: int = 0
    seed: str = ""
    limits: Limits | None = None
    now_ms: int = 0
    position: int = 0
    history_len: int = 0
    # Bytes of the large payloads recorded so far (StateExited.payload_bytes):
    # what the journal's size grows with (limits.py, max_journal_bytes).
    payload_bytes: int = 0

    def clone(self) -> "ExecutionState":
        copy = msgspec.structs.replace(self)
        copy.frames = {k: f.clone() for k, f in self.frames.items()}
        copy.ready = dict(self.ready)
        copy.tasks = dict(self.tasks)
        copy.timers = dict(self.timers)
        return copy

    @property
    def finished(self) -> bool:
        return self.status not in ("", Status.RUNNING)


INITIAL_STATE = ExecutionState()
