"""What a task handler is told about the task it performs, and how it answers.

A handler that takes a second parameter gets a TaskContext. It reads like the
dict earlier versions passed (`context["idempotency_key"]`), and it is how a
long-running handler reports heartbeats and learns that it was cancelled (its
task timed out, or the execution ended): an async handler is cancelled outright,
a sync one should poll `cancelled` and return.
"""

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any


class TaskContext(Mapping[str, Any]):
    """One attempt of one task, as its handler sees it."""

    __slots__ = ("_beat", "_cancelled", "_fields")

    def __init__(
        self,
        *,
        execution_id: str,
        state: str,
        attempt: int,
        idempotency_key: str,
        resource: str,
        task_token: str | None = None,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        self._fields: dict[str, Any] = {
            "execution_id": execution_id,
            "state": state,
            "attempt": attempt,
            "idempotency_key": idempotency_key,
            "resource": resource,
            "task_token": task_token,
        }
        self._beat = heartbeat
        self._cancelled = threading.Event()

    @property
    def execution_id(self) -> str:
        return str(self._fields["execution_id"])

    @property
    def state(self) -> str:
        """The name of the Task state."""
        return str(self._fields["state"])

    @property
    def attempt(self) -> int:
        """0 for the first attempt, 1 for the first retry, ..."""
        return int(self._fields["attempt"])

    @property
    def idempotency_key(self) -> str:
        """The same for every delivery of this attempt; new for a retry."""
        return str(self._fields["idempotency_key"])

    @property
    def resource(self) -> str:
        return str(self._fields["resource"])

    @property
    def task_token(self) -> str | None:
        """The token to send back when the resource waits for a callback."""
        token = self._fields["task_token"]
        return None if token is None else str(token)

    @property
    def cancelled(self) -> bool:
        """True once the task's result is no longer wanted: stop working."""
        return self._cancelled.is_set()

    def wait_cancelled(self, seconds: float | None = None) -> bool:
        """Sleep up to `seconds` (for ever with None), waking early on cancellation;
        whether the task was cancelled. For sync handlers that poll or back off."""
        return self._cancelled.wait(seconds)

    def heartbeat(self) -> None:
        """Tell the engine the task is alive: its HeartbeatSeconds timer restarts.
        Safe to call from any thread."""
        if self._beat is not None and not self.cancelled:
            self._beat()

    def cancel(self) -> None:
        """Called by the engine when the task's result is no longer wanted."""
        self._cancelled.set()

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"TaskContext({self._fields!r})"
