"""The imperative shell: the engine loop behind its ports, task backends, runners.

The names most programs need::

    from statum.core.engine import ExpressRunner, HandlerRegistry, load_program
"""

from statum.core.engine.clock import Clock, SystemClock, VirtualClock
from statum.core.engine.context import TaskContext
from statum.core.engine.errors import (
    EngineError,
    EventLoopRunning,
    ExecutionAlreadyExists,
    ExecutionInputTooLarge,
    ExecutionNotFound,
    InvalidExecutionInput,
    InvalidOutput,
    InvalidToken,
    JournalConflict,
    TaskDoesNotExist,
    TaskTimedOut,
    TaskTokenError,
    UnknownResource,
)
from statum.core.engine.express import ExecutionResult, ExpressRunner
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import InvalidDefinition, load_program
from statum.core.engine.memory_store import HeapWorkQueue, InMemoryJournalStore
from statum.core.engine.ports import JournalStore, TaskBackend, WorkQueue
from statum.core.engine.registry import DEFAULT_HANDLERS, handler
from statum.core.errors import StatumError

__all__ = [
    "DEFAULT_HANDLERS",
    "Clock",
    "EngineError",
    "EventLoopRunning",
    "ExecutionAlreadyExists",
    "ExecutionInputTooLarge",
    "ExecutionNotFound",
    "ExecutionResult",
    "ExpressRunner",
    "HandlerRegistry",
    "HeapWorkQueue",
    "InMemoryJournalStore",
    "InvalidDefinition",
    "InvalidExecutionInput",
    "InvalidOutput",
    "InvalidToken",
    "JournalConflict",
    "JournalStore",
    "StatumError",
    "SystemClock",
    "TaskBackend",
    "TaskContext",
    "TaskDoesNotExist",
    "TaskFailure",
    "TaskTimedOut",
    "TaskTokenError",
    "UnknownResource",
    "VirtualClock",
    "WorkQueue",
    "handler",
    "load_program",
]
