"""Handlers that misbehave the way real code does: non-finite numbers, huge or
broken exceptions, exceptions that are not `Exception`s, endless failures."""

import math
from typing import Any

from statum.core.engine import handler


@handler("nan")
def nan(event: Any) -> Any:
    return {"value": math.nan}


@handler("infinity")
def infinity(event: Any) -> Any:
    return [math.inf]


@handler("always-fails")
def always_fails(event: Any) -> Any:
    raise RuntimeError("down")


@handler("huge-cause")
def huge_cause(event: Any) -> Any:
    raise RuntimeError("x" * (10 * 1024 * 1024))


class _Unprintable(Exception):
    def __str__(self) -> str:
        raise ValueError("a __str__ that raises")

    def __repr__(self) -> str:
        raise ValueError("a __repr__ that raises")


@handler("unprintable")
def unprintable(event: Any) -> Any:
    raise _Unprintable()


class _Escape(BaseException):
    pass


@handler("base-exception")
def base_exception(event: Any) -> Any:
    raise _Escape("not an Exception")


@handler("system-exit")
def system_exit(event: Any) -> Any:
    raise SystemExit(3)


@handler("keyboard-interrupt")
def keyboard_interrupt(event: Any) -> Any:
    raise KeyboardInterrupt


@handler("deep-result")
def deep_result(event: Any) -> Any:
    value: Any = 1
    for _ in range(100_000):
        value = [value]
    return value


@handler("wide-result")
def wide_result(event: Any) -> Any:
    return "y" * (64 * 1024 * 1024)


@handler("echo")
def echo(event: Any) -> Any:
    return event
