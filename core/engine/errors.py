"""What the engine refuses. Every store raises these same types."""

from statum.core.errors import StatumError


class EngineError(StatumError):
    """The engine cannot do what it was asked; the message says what to do."""


class JournalConflict(EngineError):
    """Another writer appended to the journal first: reload and decide again."""

    def __init__(self, execution_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"the journal of '{execution_id}' has {actual} events, not the "
            f"{expected} this append expected"
        )
        self.execution_id = execution_id
        self.expected = expected
        self.actual = actual


class ExecutionAlreadyExists(EngineError):
    """An execution with this id was already started."""


class ExecutionNotFound(EngineError, LookupError):
    """No journal is stored under this execution id."""


class InvalidExecutionInput(EngineError, ValueError):
    """The input of a new execution cannot be recorded: nothing was started."""


class ExecutionInputTooLarge(InvalidExecutionInput):
    """The input of a new execution is over the payload limit."""


class UnknownResource(EngineError, LookupError):
    """A Task names a resource that no handler or backend of this host serves."""

    def __init__(self, missing: list[tuple[str, str]]) -> None:
        lines = "; ".join(f"state '{state}': '{res}'" for state, res in missing)
        s3 = any(res.startswith("arn:aws:states:::s3:") for _, res in missing)
        super().__init__(
            f"no handler serves {lines}. Register a handler under that name "
            "(@handler(NAME), HandlerRegistry.register, or --handlers MODULE); "
            "a 'python:module:function' resource needs its module allow-listed"
            + (
                ". Amazon S3 is not available in Statum: for a local folder, use "
                "statum.core.engine.files.register_file_backend(registry, root, "
                "as_s3=True)"
                if s3
                else ""
            )
        )
        self.missing = missing


class EventLoopRunning(EngineError, RuntimeError):
    """A blocking call was made from inside a running event loop."""


class TaskTokenError(EngineError):
    """A task-token callback that cannot be accepted; `code` is AWS's error name."""

    code = "InvalidToken"


class InvalidToken(TaskTokenError):
    code = "InvalidToken"


class TaskDoesNotExist(TaskTokenError, LookupError):
    code = "TaskDoesNotExist"


class TaskTimedOut(TaskTokenError):
    code = "TaskTimedOut"


class InvalidOutput(TaskTokenError, ValueError):
    code = "InvalidOutput"
