"""Secrets and task tokens of the executions a runner is performing.

The seed of an execution is drawn here (the core draws no random numbers) and
recorded in its ExecutionStarted; tokens are derived from it by the core. This
book maps each live token to the execution that waits for it, so a callback from
any thread reaches the right one.
"""

import secrets
import threading
from collections.abc import Callable
from typing import Any

from statum.core.engine.errors import InvalidToken, TaskDoesNotExist, TaskTimedOut
from statum.core.interpreter import events as ev

_TIMED_OUT_KEPT = 10_000


class _Seeds:
    """128-bit secrets from the OS's CSPRNG, drawn a page at a time: one system
    call per execution would cost more than a short execution itself."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool = b""
        self._next = 0

    def __call__(self) -> str:
        with self._lock:
            if self._next >= len(self._pool):
                self._pool, self._next = secrets.token_bytes(4096), 0
            start = self._next
            self._next = start + 16
        return self._pool[start : start + 16].hex()


new_secret = _Seeds()


class TaskTokens:
    """The task tokens of running executions, for callbacks from any thread."""

    def __init__(self) -> None:
        self._open: dict[str, tuple[Callable[[ev.Event], None], str]] = {}
        self._timed_out: dict[str, None] = {}
        self._lock = threading.Lock()

    def issue(self, token: str, deliver: Callable[[ev.Event], None], task: str) -> None:
        with self._lock:
            self._open[token] = (deliver, task)

    def revoke(self, token: str, timed_out: bool = False) -> None:
        with self._lock:
            self._open.pop(token, None)
            if timed_out:
                # Remembered a while, so that a late callback hears why.
                self._timed_out[token] = None
                if len(self._timed_out) > _TIMED_OUT_KEPT:
                    del self._timed_out[next(iter(self._timed_out))]

    def take(self, token: Any, final: bool) -> tuple[Callable[[ev.Event], None], str]:
        if not isinstance(token, str) or not 1 <= len(token) <= 1024:
            raise InvalidToken(
                "Invalid Token: a task token is a string of 1 to 1024 characters"
            )
        with self._lock:
            found = self._open.pop(token, None) if final else self._open.get(token)
            timed_out = token in self._timed_out
        if found is None and timed_out:
            raise TaskTimedOut(
                "Task Timed Out: the task waiting with this token ran past its "
                "TimeoutSeconds or HeartbeatSeconds"
            )
        if found is None:
            raise TaskDoesNotExist(
                "Task Timed Out or Does Not Exist: no running task has this token "
                "(it completed, timed out, or its execution ended)"
            )
        return found
