"""A bounded pool of daemon threads for sync handlers.

Not concurrent.futures.ThreadPoolExecutor: its threads are joined when the
interpreter exits, so one handler that never returns would keep the process from
ever ending. A timed-out sync handler cannot be killed; here it is abandoned (its
context says it was cancelled) and the process can still exit.
"""

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any

_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, asyncio.Future[Any]]


class DaemonThreadPool:
    """Runs callables on at most `size` daemon threads, started as needed."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a thread pool needs at least one thread")
        self.size = size
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._threads = 0
        self._idle = 0
        self._lock = threading.Lock()

    def run(self, func: Callable[[], Any]) -> "asyncio.Future[Any]":
        """Start `func` on a pool thread; the future (of the running loop) gets its
        result or exception."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        with self._lock:
            if self._idle == 0 and self._threads < self.size:
                self._threads += 1
                threading.Thread(
                    target=self._work, name="statum-handler", daemon=True
                ).start()
            else:
                self._idle -= 1 if self._idle else 0
        self._jobs.put((func, loop, future))
        return future

    def _work(self) -> None:
        while True:
            func, loop, future = self._jobs.get()
            try:
                result = func()
            except BaseException as exc:  # handed to the engine, which decides
                _settle(loop, future, None, exc)
            else:
                _settle(loop, future, result, None)
            with self._lock:
                self._idle += 1


def _settle(
    loop: asyncio.AbstractEventLoop,
    future: "asyncio.Future[Any]",
    result: Any,
    error: BaseException | None,
) -> None:
    def settle() -> None:
        if future.done():
            return  # cancelled meanwhile: the late result is dropped
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    # A closed loop: nobody waits for this result any more.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(settle)
