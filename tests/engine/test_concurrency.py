"""The engine runs tasks at once, up to the limits, and timeouts interrupt them.

No assertion here is about speed (the benchmarks are: `python -m benchmarks
concurrency`). Concurrency is shown by barriers that only open when every party
is inside its handler at the same time: a sequential engine would never get past
them.
"""

import asyncio
import threading
import time
from typing import Any

import pytest

from statum.core.engine.context import TaskContext
from statum.core.interpreter import events as ev
from tests.engine.helpers import Engine, branch, machine, of_type, task


def parallel(*resources: str) -> dict[str, Any]:
    return machine(
        {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    branch({f"B{n}": task(resource)})
                    for n, resource in enumerate(resources)
                ],
            }
        }
    )


def mapped(resource: str, **fields: Any) -> dict[str, Any]:
    return machine(
        {
            "M": {
                "Type": "Map",
                "End": True,
                "ItemProcessor": branch({"T": task(resource)}),
                **fields,
            }
        }
    )


def test_async_branches_run_at_the_same_time() -> None:
    barrier = asyncio.Barrier(3)

    async def meet(payload: Any) -> Any:
        await asyncio.wait_for(barrier.wait(), 10)
        return "met"

    result = Engine({"meet": meet}, max_running=0).run(
        parallel(*["python:meet"] * 3), {}
    )
    assert (result.status, result.output) == ("SUCCEEDED", ["met", "met", "met"])


def test_sync_map_items_run_at_the_same_time_on_threads() -> None:
    barrier = threading.Barrier(5, timeout=10)

    def meet(item: Any) -> Any:
        barrier.wait()
        return item * 2

    result = Engine({"meet": meet}, max_running=0).run(
        mapped("python:meet"), [1, 2, 3, 4, 5]
    )
    assert (result.status, result.output) == ("SUCCEEDED", [2, 4, 6, 8, 10])


class Gauge:
    """Counts the handlers running at once."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.lock = threading.Lock()

    def handler(self, item: Any) -> Any:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.05)
        with self.lock:
            self.now -= 1
        return item


def test_max_concurrency_bounds_the_items_running_at_once() -> None:
    gauge = Gauge()
    result = Engine({"g": gauge.handler}, max_running=0).run(
        mapped("python:g", MaxConcurrency=2), list(range(8))
    )
    assert (result.status, result.output) == ("SUCCEEDED", list(range(8)))
    assert 1 <= gauge.most <= 2


def test_the_global_cap_bounds_tasks_over_the_whole_run() -> None:
    gauge = Gauge()
    result = Engine({"g": gauge.handler}, max_running=3).run(
        mapped("python:g"), list(range(12))
    )
    assert result.status == "SUCCEEDED"
    assert 1 <= gauge.most <= 3


def test_a_hung_async_handler_is_cancelled_when_its_task_times_out() -> None:
    seen: list[str] = []

    async def hang(payload: Any) -> Any:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise
        return "never"

    engine = Engine({"hang": hang})
    result = engine.run(machine({"T": task("python:hang", TimeoutSeconds=1)}), {})
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert seen == ["cancelled"]
    assert of_type(result, ev.TaskSucceeded) == []


def test_a_hung_sync_handler_is_told_to_stop_and_its_late_result_dropped() -> None:
    told: list[bool] = []

    def hang(payload: Any, context: TaskContext) -> Any:
        told.append(context.wait_cancelled(30))
        return "late"

    result = Engine({"hang": hang}).run(
        machine({"T": task("python:hang", TimeoutSeconds=1)}), {}
    )
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    deadline = time.monotonic() + 10
    while not told and time.monotonic() < deadline:
        time.sleep(0.01)
    assert told == [True]
    assert of_type(result, ev.TaskSucceeded) == []


def test_a_timeout_can_be_retried_and_the_retry_succeeds() -> None:
    attempts: list[int] = []

    async def slow_once(payload: Any, context: TaskContext) -> Any:
        attempts.append(context.attempt)
        if context.attempt == 0:
            await asyncio.sleep(3600)
        return "second time"

    definition = machine(
        {
            "T": task(
                "python:slow",
                TimeoutSeconds=1,
                Retry=[{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1}],
            )
        }
    )
    result = Engine({"slow": slow_once}).run(definition, {})
    assert (result.status, result.output) == ("SUCCEEDED", "second time")
    assert attempts == [0, 1]


def test_heartbeats_keep_a_long_task_alive() -> None:
    def beating(payload: Any, context: TaskContext) -> Any:
        for _ in range(5):
            time.sleep(0.25)
            context.heartbeat()
        return "alive"

    definition = machine({"T": task("python:h", HeartbeatSeconds=1)})
    result = Engine({"h": beating}).run(definition, {})
    assert (result.status, result.output) == ("SUCCEEDED", "alive")
    assert len(of_type(result, ev.TaskHeartbeat)) == 5


def test_a_task_that_stops_beating_fails_with_states_heartbeat_timeout() -> None:
    def silent(payload: Any, context: TaskContext) -> Any:
        context.wait_cancelled(30)
        return "late"

    definition = machine({"T": task("python:h", HeartbeatSeconds=1)})
    result = Engine({"h": silent}).run(definition, {})
    assert (result.status, result.error) == ("FAILED", "States.HeartbeatTimeout")


def test_the_execution_timeout_interrupts_a_running_task() -> None:
    async def hang(payload: Any) -> Any:
        await asyncio.sleep(3600)

    definition = machine({"T": task("python:hang")}, TimeoutSeconds=1)
    result = Engine({"hang": hang}).run(definition, {})
    assert result.status == "TIMED_OUT"
    assert isinstance(result.journal[-1], ev.ExecutionTimedOut)


def test_a_failing_branch_cancels_its_running_sibling() -> None:
    cancelled: list[bool] = []

    async def hang(payload: Any) -> Any:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    def boom(payload: Any) -> Any:
        raise ValueError("branch 0 broke")

    result = Engine({"hang": hang, "boom": boom}, max_running=0).run(
        parallel("python:boom", "python:hang"), {}
    )
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "ValueError",
        "branch 0 broke",
    )
    assert cancelled == [True]


def test_stop_ends_a_running_execution_as_aborted() -> None:
    async def main() -> Any:
        started = asyncio.Event()

        async def hang(payload: Any) -> Any:
            started.set()
            await asyncio.sleep(3600)

        engine = Engine({"hang": hang})
        from statum.core.engine.loading import load_program

        program = load_program(machine({"T": task("python:hang")}))
        running = asyncio.create_task(engine.runner.run_async(program, {}, name="s"))
        await asyncio.wait_for(started.wait(), 10)
        execution_id = next(iter(engine.runner._loops))
        engine.runner.stop(execution_id, error="Halt", cause="by test")
        return await asyncio.wait_for(running, 10)

    result = asyncio.run(main())
    assert (result.status, result.error, result.cause) == ("ABORTED", "Halt", "by test")


@pytest.mark.parametrize("max_running", [0, 1, 4])
def test_results_come_back_in_item_order_whatever_the_finishing_order(
    max_running: int,
) -> None:
    async def reverse(item: Any) -> Any:
        await asyncio.sleep((10 - item) / 1000)
        return item * item

    result = Engine({"r": reverse}, max_running=max_running).run(
        mapped("python:r"), list(range(10))
    )
    assert result.output == [i * i for i in range(10)]
