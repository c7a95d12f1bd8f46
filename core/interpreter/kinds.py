"""The closed vocabularies of the journal, as Literal types: mypy sees a case
that is not handled, and the codec refuses a journal that names an unknown one."""

from typing import Literal, TypeAlias

StateKind: TypeAlias = Literal[
    "Task",
    "Pass",
    "Choice",
    "Wait",
    "Succeed",
    "Fail",
    "Parallel",
    "Map",
    "StartExecution",
]

# Why a timer runs: a Wait state, a retry backoff, a task's TimeoutSeconds or
# HeartbeatSeconds, or the execution's own TimeoutSeconds.
TimerPurpose: TypeAlias = Literal["wait", "retry", "timeout", "heartbeat", "execution"]

# What a frame runs: the execution itself, a Parallel branch, an inline Map
# iteration, or a distributed Map iteration (a child execution).
FrameKind: TypeAlias = Literal["", "root", "branch", "iteration", "execution"]

ExecutionStatus: TypeAlias = Literal[
    "", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"
]
