"""Running the async engine from synchronous code, without a loop while it can.

A run that needs no task, timer or callback (Pass, Choice, ... states only) is
decided and recorded in one go; an event loop costs more than such a run. So
`run_blocking` drives the coroutine by hand, and only when it reaches its first
real wait (`await LOOP_NEEDED`) hands the half-run coroutine to `asyncio.run`.
"""

import asyncio
import types
from collections.abc import Generator
from typing import Any

from statum.core.engine.errors import EngineError


class _LoopNeeded:
    """Awaited before the first real wait. Inside an event loop it is nothing; in
    `run_blocking` it hands the half-run coroutine to a new loop, so a run that
    never waits (only Pass, Choice, ... states) costs no event loop at all."""

    def __await__(self) -> Generator[Any, None, None]:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            yield self


LOOP_NEEDED = _LoopNeeded()


@types.coroutine
def _resume(coro: Any) -> Generator[Any, Any, Any]:
    return (yield from coro)


def run_blocking(coro: Any) -> Any:
    """Run `coro` to its end from synchronous code: without an event loop while it
    does not need one, then on a fresh loop."""
    try:
        yielded = coro.send(None)
    except StopIteration as done:
        return done.value
    if yielded is not LOOP_NEEDED:
        coro.close()
        raise EngineError(
            "the engine awaited something outside an event loop; this is a bug in "
            "Statum, please report it"
        )

    async def finish() -> Any:
        return await _resume(coro)

    return asyncio.run(finish())
