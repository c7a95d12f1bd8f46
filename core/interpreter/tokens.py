"""Task tokens and idempotency keys: derived, never drawn.

A task token must be unguessable to anyone who does not hold it, yet replaying the
journal must reproduce it. Both hold because it is derived from the execution's
seed, a secret the shell drew when the execution started and recorded in
ExecutionStarted.
"""

from statum.core.interpreter.events import TaskScheduled
from statum.core.interpreter.state import ExecutionState
from statum.core.language.entropy import Entropy

WAIT_FOR_TOKEN_SUFFIX = ".waitForTaskToken"


def waits_for_token(resource: str) -> bool:
    """A task that ends with a callback carrying its token, not with its result."""
    return resource.endswith(WAIT_FOR_TOKEN_SUFFIX)


def task_token(state: ExecutionState, task: str) -> str:
    """The token of task `task`: 256 bits derived from the execution's seed."""
    entropy = Entropy(f"{state.seed}:{state.execution_id}:{task}:token")
    return entropy.hex_bytes(32)


def idempotency_key(execution_id: str, scheduled: TaskScheduled) -> str:
    """The key a handler sees: the same for every delivery of one attempt of one
    state visit, different for a retry or a later visit."""
    return f"{execution_id}/{scheduled.state}/{scheduled.task}/{scheduled.attempt}"
