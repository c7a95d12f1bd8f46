"""Clocks: the only place the shell reads or waits for time."""

import time
from typing import Protocol


class Clock(Protocol):
    """Where time comes from for an engine."""

    def now_ms(self) -> int:
        """Milliseconds since the Unix epoch."""
        ...

    def sleep_until(self, due_ms: int) -> None:
        """Return once `now_ms()` has reached `due_ms`."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def sleep_until(self, due_ms: int) -> None:
        delay = due_ms - self.now_ms()
        if delay > 0:
            time.sleep(delay / 1000)


class VirtualClock:
    """A clock that jumps instead of sleeping: tests with waits finish at once."""

    def __init__(self, start_ms: int = 1_700_000_000_000) -> None:
        self._now = start_ms

    def now_ms(self) -> int:
        return self._now

    def sleep_until(self, due_ms: int) -> None:
        self._now = max(self._now, due_ms)

    def advance(self, ms: int) -> None:
        self._now += ms
