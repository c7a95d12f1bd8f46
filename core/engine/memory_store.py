"""The in-memory adapters of the engine's ports: the journal store (Express mode's,
and the model the durable stores are tested against: the same conflict semantics,
the same errors) and the work queue."""

import heapq
from collections.abc import Sequence

from statum.core.engine.errors import (
    ExecutionAlreadyExists,
    ExecutionNotFound,
    JournalConflict,
)
from statum.core.interpreter.events import Event


class InMemoryJournalStore:
    """Journals held in this process, for as long as the store lives."""

    def __init__(self) -> None:
        self._journals: dict[str, list[Event]] = {}

    async def load(self, execution_id: str) -> Sequence[Event]:
        journal = self._journals.get(execution_id)
        if journal is None:
            raise ExecutionNotFound(f"no execution '{execution_id}' in this store")
        return tuple(journal)

    async def append(
        self, execution_id: str, events: Sequence[Event], expected_version: int
    ) -> int:
        journal = self._journals.get(execution_id)
        if journal is None:
            if expected_version != 0:
                raise JournalConflict(execution_id, expected_version, 0)
            journal = self._journals[execution_id] = []
        elif expected_version == 0:
            raise ExecutionAlreadyExists(
                f"an execution '{execution_id}' already exists; start it under "
                "another name"
            )
        elif len(journal) != expected_version:
            raise JournalConflict(execution_id, expected_version, len(journal))
        journal.extend(events)
        return len(journal)

    def executions(self) -> list[str]:
        """The ids of every stored execution, in the order they started."""
        return list(self._journals)


class HeapWorkQueue:
    """Work items in a binary heap: O(log n) to add or take one."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, str]] = []

    def push(self, due_ms: int, key: str) -> None:
        heapq.heappush(self._heap, (due_ms, key))

    def earliest(self) -> tuple[int, str] | None:
        return self._heap[0] if self._heap else None

    def pop(self) -> tuple[int, str]:
        return heapq.heappop(self._heap)

    def retime(self, due_ms: int) -> None:
        heapq.heapreplace(self._heap, (due_ms, self._heap[0][1]))
