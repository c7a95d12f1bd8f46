"""The ports of the engine: what it needs from storage and from task backends.

The engine talks to nothing else. Adapters implement these Protocols: the
in-memory journal store here in the engine (Express needs it with no
configuration), the durable stores in statum.adapters. Every store raises the
same errors (statum.core.engine.errors) and is held to one conformance suite.
"""

from collections.abc import Sequence
from typing import Any, Protocol

from statum.core.engine.clock import Clock
from statum.core.engine.context import TaskContext
from statum.core.interpreter.events import Event

__all__ = ["Clock", "JournalStore", "TaskBackend", "TaskContext", "WorkQueue"]


class JournalStore(Protocol):
    """Append-only journals, one per execution, with optimistic concurrency."""

    async def load(self, execution_id: str) -> Sequence[Event]:
        """Every event of the execution, in order; ExecutionNotFound if none."""
        ...

    async def append(
        self, execution_id: str, events: Sequence[Event], expected_version: int
    ) -> int:
        """Append `events` after exactly `expected_version` events and return the
        new version. Version 0 creates the journal (ExecutionAlreadyExists if it
        exists); any other mismatch raises JournalConflict and appends nothing."""
        ...


class TaskBackend(Protocol):
    """Performs the Task states whose resources it serves."""

    def serves(self, resource: str, parameters: Any = None) -> bool:
        """Whether this backend performs `resource` (with these parameters)."""
        ...

    async def invoke(self, resource: str, payload: Any, context: TaskContext) -> Any:
        """The task's result as JSON; raise TaskFailure (or any exception) to fail
        it. Runs until done or cancelled: a timeout cancels it."""
        ...


class WorkQueue(Protocol):
    """Work items that fall due at a time: timers (Waits, retry backoffs, task and
    execution timeouts), earliest first.

    Items are never removed when their work is cancelled: the engine checks each
    against the folded state when it comes up, and drops or re-times it there. So a
    queue needs no cancel, and a durable one can be an append-mostly table.
    """

    def push(self, due_ms: int, key: str) -> None:
        """Add item `key`, due at `due_ms`."""
        ...

    def earliest(self) -> tuple[int, str] | None:
        """The item due first, left in the queue; None when it is empty."""
        ...

    def pop(self) -> tuple[int, str]:
        """Take the item due first."""
        ...

    def retime(self, due_ms: int) -> None:
        """Move the item due first to `due_ms` (a heartbeat pushed it back)."""
        ...
