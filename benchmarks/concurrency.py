"""Concurrency benchmarks: tasks of Parallel branches and Map iterations run at
once, and a timeout interrupts a handler that hangs. Wall times, in seconds."""

import asyncio
import time
from typing import Any

from benchmarks.timing import Measurement, median_seconds
from statum.core.engine.context import TaskContext
from statum.core.engine.express import ExpressRunner
from statum.core.engine.handlers import HandlerRegistry
from statum.core.engine.loading import load_program

SECOND = 1.0


def _handlers() -> HandlerRegistry:
    registry = HandlerRegistry()

    async def nap(payload: Any) -> Any:
        await asyncio.sleep(SECOND)
        return payload

    def block(payload: Any) -> Any:
        time.sleep(SECOND)
        return payload

    def hang(payload: Any, context: TaskContext) -> Any:
        context.wait_cancelled()  # returns only once the engine gives up on it
        return "too late"

    registry.register("nap", nap)
    registry.register("block", block)
    registry.register("hang", hang)
    return registry


def _task(resource: str, **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "End": True, **fields}


PARALLEL = {
    "StartAt": "P",
    "States": {
        "P": {
            "Type": "Parallel",
            "End": True,
            "Branches": [
                {"StartAt": f"B{n}", "States": {f"B{n}": _task("python:nap")}}
                for n in range(3)
            ],
        }
    },
}
MAP = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "MaxConcurrency": 10,
            "End": True,
            "ItemProcessor": {"StartAt": "T", "States": {"T": _task("python:block")}},
        }
    },
}
HUNG = {"StartAt": "T", "States": {"T": _task("python:hang", TimeoutSeconds=1)}}


def _scenario(
    name: str,
    definition: dict[str, Any],
    payload: Any,
    want: tuple[str, Any],
    ceiling: float,
    runs: int,
) -> Measurement:
    runner = ExpressRunner(handlers=_handlers())
    program = load_program(definition)

    def work() -> None:
        result = runner.run(program, payload)
        got = (result.status, result.error if want[0] != "SUCCEEDED" else None)
        assert got == want, (result.status, result.error, result.cause)

    median, times = median_seconds(work, runs=runs)
    return Measurement(
        name,
        "s",
        median,
        times,
        target=ceiling,
        higher_is_better=False,
        detail="runs: " + ", ".join(f"{t:.3f}" for t in times),
    )


def run_concurrency(runs: int) -> list[Measurement]:
    return [
        _scenario(
            "parallel: 3 async branches of 1 s",
            PARALLEL,
            {},
            ("SUCCEEDED", None),
            1.2,
            runs,
        ),
        _scenario(
            "map: 10 sync items of 1 s, MaxConcurrency 10",
            MAP,
            list(range(10)),
            ("SUCCEEDED", None),
            1.2,
            runs,
        ),
        _scenario(
            "hung handler, TimeoutSeconds 1 -> States.Timeout",
            HUNG,
            {},
            ("FAILED", "States.Timeout"),
            1.5,
            runs,
        ),
    ]
