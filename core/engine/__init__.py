"""The imperative shell: clocks, task backends, runners.

The names most programs need::

    from statum.core.engine import ExpressRunner, HandlerRegistry, load_program
"""

from statum.core.engine.clock import Clock, SystemClock, VirtualClock
from statum.core.engine.express import (
    ExecutionInputTooLarge,
    ExecutionResult,
    ExpressRunner,
)
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import InvalidDefinition, load_program
from statum.core.engine.registry import DEFAULT_HANDLERS, handler

__all__ = [
    "DEFAULT_HANDLERS",
    "Clock",
    "ExecutionInputTooLarge",
    "ExecutionResult",
    "ExpressRunner",
    "HandlerRegistry",
    "InvalidDefinition",
    "SystemClock",
    "TaskFailure",
    "VirtualClock",
    "handler",
    "load_program",
]
