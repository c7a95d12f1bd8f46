"""Clocks: the only place the shell reads or waits for time."""

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """Where time comes from for an engine."""

    def now_ms(self) -> int:
        """Milliseconds since the Unix epoch."""
        ...

    async def wait(
        self, due_ms: int | None, arrived: asyncio.Event, busy: bool
    ) -> None:
        """Return once `arrived` is set or `now_ms()` has reached `due_ms`.

        `busy` says that work is running which may set `arrived`; `due_ms` None
        means no timer is pending.
        """
        ...


async def _wait_for(arrived: asyncio.Event, seconds: float | None) -> bool:
    """Whether `arrived` was set within `seconds` (None: however long it takes)."""
    if arrived.is_set():
        return True
    try:
        await asyncio.wait_for(arrived.wait(), seconds)
    except TimeoutError:
        return False
    return True


class SystemClock:
    """Wall-clock time."""

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    async def wait(
        self, due_ms: int | None, arrived: asyncio.Event, busy: bool
    ) -> None:
        if due_ms is None:
            await _wait_for(arrived, None)
            return
        # A millisecond of slack: waking a hair early would spin once more.
        await _wait_for(arrived, max(0, due_ms - self.now_ms() + 1) / 1000)


class VirtualClock:
    """A clock that jumps over idle time: tests and dry runs with long Waits and
    retry backoffs finish at once.

    Time stands still while handlers run, and jumps to the next timer once nothing
    is running. A timer that falls due while a handler runs (a task's
    TimeoutSeconds) still interrupts it, after that many real seconds: a hung
    handler fails with States.Timeout instead of hanging the run. A handler may
    call `advance` to model work that takes time.
    """

    def __init__(self, start_ms: int = 1_700_000_000_000) -> None:
        self._now = start_ms

    def now_ms(self) -> int:
        return self._now

    async def wait(
        self, due_ms: int | None, arrived: asyncio.Event, busy: bool
    ) -> None:
        if not busy:
            if due_ms is not None:
                self._now = max(self._now, due_ms)
            return
        seconds = None if due_ms is None else max(0, due_ms - self._now) / 1000
        if not await _wait_for(arrived, seconds) and due_ms is not None:
            self._now = max(self._now, due_ms)

    def advance(self, ms: int) -> None:
        self._now += ms
