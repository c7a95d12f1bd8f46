"""Repeat a measurement and report its median."""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    name: str
    unit: str
    median: float
    runs: list[float]
    target: float | None = None
    detail: str = ""
    # Rates are better high; ratios of costs (the scaling shapes) are better low.
    higher_is_better: bool = True

    @property
    def meets_target(self) -> bool | None:
        if self.target is None:
            return None
        if self.higher_is_better:
            return self.median >= self.target
        return self.median <= self.target


def median_seconds(work: Callable[[], None], *, runs: int) -> tuple[float, list[float]]:
    """Run `work` `runs` times and return the median wall time in seconds."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def median_rate(
    work: Callable[[], int], *, runs: int, warmup: int = 1
) -> tuple[float, list[float]]:
    """Run `work` (which returns how many things it did) and return the median rate/s."""
    for _ in range(warmup):
        work()
    rates = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        done = work()
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates), rates
