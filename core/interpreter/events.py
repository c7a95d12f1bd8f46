"""Journal events: the source of truth of an execution.

NOTE: these Structs are a storage format. Tags are stable and never renamed; new
fields get defaults; unknown fields are ignored so older readers accept newer
journals. Facts come from outside the interpreter (something happened); decisions are
written by it (it chose to do something). Every event carries `at_ms`, the only clock
the interpreter ever sees.

Frames: an execution runs as a tree of frames (threads of control). Frame 0 is the
top-level state machine; each Parallel branch and Map iteration runs in a child frame
with a number allocated in journal order.
"""

from typing import TYPE_CHECKING, Any, get_args

import msgspec

from statum.core.interpreter.kinds import StateKind, TimerPurpose
from statum.core.interpreter.limits import Limits

if TYPE_CHECKING:
    from statum.core.language.json import Json
else:  # msgspec cannot decode a recursive alias; any JSON value is what it reads
    Json = Any


class _Event(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="t",
    omit_defaults=True,
    gc=False,  # events hold plain JSON and never take part in reference cycles
):
    at_ms: int


# --- facts -----------------------------------------------------------------


class ExecutionStarted(_Event, tag="execution.started", frozen=True):
    """A new execution: the first event of every journal."""

    execution_id: str
    name: str
    input: Json
    state_machine_id: str = ""
    state_machine_name: str = ""
    role_arn: str = ""
    parent_execution_id: str = ""
    # What decisions depend on besides the journal: the definition (its id and a
    # content hash, so a resumed execution can refuse another one), the limits in
    # force, and the seed that task tokens are derived from (chosen by the shell:
    # the core makes no random numbers).
    definition_id: str = ""
    definition_hash: str = ""
    limits: Limits | None = None
    seed: str = ""


class TaskStarted(_Event, tag="task.started", frozen=True):
    """A worker picked up the scheduled task `task`."""

    task: str


class TaskSubmitted(_Event, tag="task.submitted", frozen=True):
    """A `.sync` integration accepted the task (AWS: TaskSubmitted); it still runs."""

    task: str
    output: Json = None


class TaskSucceeded(_Event, tag="task.succeeded", frozen=True):
    """The task `task` returned `output`."""

    task: str
    output: Json


class TaskFailed(_Event, tag="task.failed", frozen=True):
    """The task `task` failed with an ASL error name and cause.

    `traceback` is the handler's formatted traceback, for debugging: it is not
    part of the AWS history.
    """

    task: str
    error: str
    cause: str | None = None
    traceback: str | None = None


class TaskHeartbeat(_Event, tag="task.heartbeat", frozen=True):
    """The task `task` reported that it is alive: its heartbeat timeout restarts."""

    task: str


class TimerFired(_Event, tag="timer.fired", frozen=True):
    """The timer `timer` reached its due time."""

    timer: str


class ExecutionStopRequested(_Event, tag="execution.stop_requested", frozen=True):
    """Someone asked to stop the execution."""

    error: str | None = None
    cause: str | None = None


# --- decisions -------------------------------------------------------------


class StateEntered(_Event, tag="state.entered", frozen=True):
    """Frame `frame` entered state `name` with `input`."""

    frame: int
    name: str
    kind: StateKind
    input: Json


class StateExited(_Event, tag="state.exited", frozen=True):
    """Frame `frame` left state `name` with `output` (and went to `next`)."""

    frame: int
    name: str
    kind: StateKind
    output: Json
    next: str | None = None
    assigned: dict[str, Json] | None = None
    # The bytes of the large payloads (4 KiB or more) this state's step checked
    # against the quota, its output included: the journal's growth, counted where
    # it was measured so that a fold counts the same (Limits.max_journal_bytes).
    payload_bytes: int = 0


class TaskScheduled(_Event, tag="task.scheduled", frozen=True):
    """Frame `frame` asked for the task `task` to run `resource` on `parameters`.

    The one record of a task: the state holds it while the task is pending and the
    shell's commands carry it. `state` and `attempt` make the idempotency key;
    `token` is set when the task waits for a callback (`.waitForTaskToken`).
    """

    frame: int
    task: str
    resource: str
    parameters: Json
    timeout_seconds: int | None = None
    heartbeat_seconds: int | None = None
    state: str = ""
    attempt: int = 0
    token: str | None = None


class TimerStarted(_Event, tag="timer.started", frozen=True):
    """A timer for a Wait, a retry backoff or a timeout, due at `due_ms`."""

    frame: int
    timer: str
    due_ms: int
    purpose: TimerPurpose


class BranchesStarted(_Event, tag="parallel.started", frozen=True):
    """A Parallel state started one child frame per branch."""

    frame: int
    children: list[int]
    input: Json = None


class BranchesEnded(_Event, tag="parallel.ended", frozen=True):
    """A Parallel state's branches finished: `failed` tells whether one failed."""

    frame: int
    failed: bool


class MapStarted(_Event, tag="map.started", frozen=True):
    """A Map state resolved its items; iterations start next."""

    frame: int
    items: list[Json]
    max_concurrency: int = 0
    tolerated_count: int = -1
    tolerated_percentage: float = -1.0
    map_run: str = ""


class IterationStarted(_Event, tag="map.iteration_started", frozen=True):
    """A Map state started item `index` in child frame `child`."""

    frame: int
    child: int
    index: int
    input: Json = None


class MapEnded(_Event, tag="map.ended", frozen=True):
    """A Map state's iterations finished; `failed` means the Map state failed.

    `error`/`cause` override the first failed iteration's (a tolerance threshold).
    """

    frame: int
    failed: bool
    error: str | None = None
    cause: str | None = None


class StateFailed(_Event, tag="state.failed", frozen=True):
    """The state the frame is in failed with `error`/`cause` (data, not an exception).

    `evaluation` marks a failure of the state's own expressions (AWS records an
    EvaluationFailed event for those), `location` names the field. `in_catch`
    marks a failure of the catcher that took an earlier one on (its ResultPath or
    Output): no retrier or catcher of the state takes it again, or a catcher that
    always fails would catch its own failure for ever.
    """

    frame: int
    name: str
    error: str | None = None
    cause: str | None = None
    evaluation: bool = False
    location: str | None = None
    in_catch: bool = False


class RetryScheduled(_Event, tag="state.retry_scheduled", frozen=True):
    """A retrier matched: the state runs again after `delay_ms`."""

    frame: int
    retrier: int
    delay_ms: int


class CatchMatched(_Event, tag="state.catch_matched", frozen=True):
    """A catcher matched: the frame continues at `next` with `output`."""

    frame: int
    name: str
    kind: StateKind
    next: str
    output: Json
    assigned: dict[str, Json] | None = None


class FrameEnded(_Event, tag="frame.ended", frozen=True):
    """A child frame (branch or iteration) finished with `output`, or failed.

    `aborted` marks a frame cut short because a sibling failed its parent.
    """

    frame: int
    output: Json = None
    error: str | None = None
    cause: str | None = None
    failed: bool = False
    aborted: bool = False


class ExecutionSucceeded(_Event, tag="execution.succeeded", frozen=True):
    """The execution finished with `output`."""

    output: Json


class ExecutionFailed(_Event, tag="execution.failed", frozen=True):
    """The execution failed."""

    error: str | None = None
    cause: str | None = None


class ExecutionTimedOut(_Event, tag="execution.timed_out", frozen=True):
    """The execution ran past its TimeoutSeconds."""

    error: str | None = None
    cause: str | None = None


class ExecutionAborted(_Event, tag="execution.aborted", frozen=True):
    """The execution was stopped on request."""

    error: str | None = None
    cause: str | None = None


Fact = (
    ExecutionStarted
    | TaskStarted
    | TaskSubmitted
    | TaskSucceeded
    | TaskFailed
    | TaskHeartbeat
    | TimerFired
    | ExecutionStopRequested
)

Decision = (
    StateEntered
    | StateExited
    | TaskScheduled
    | TimerStarted
    | BranchesStarted
    | BranchesEnded
    | MapStarted
    | IterationStarted
    | MapEnded
    | StateFailed
    | RetryScheduled
    | CatchMatched
    | FrameEnded
    | ExecutionSucceeded
    | ExecutionFailed
    | ExecutionTimedOut
    | ExecutionAborted
)

Event = Fact | Decision

# The fact types as a tuple, for isinstance checks: what the shell may append.
FACT_TYPES: tuple[type, ...] = get_args(Fact)
