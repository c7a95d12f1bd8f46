"""Exceptions of the interpreter: broken invariants, never workflow outcomes."""

from statum.core.errors import StatumError


class InterpreterError(StatumError):
    """A bug or a corrupt journal; a workflow's own failure is data, not this."""


class DefinitionError(InterpreterError):
    """The definition cannot be run; `problems` lists every reason."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class JournalMismatchError(InterpreterError):
    """The journal holds an event the fold cannot accept at its position."""


def unknown_frame(event: object, frame: int) -> JournalMismatchError:
    """An event names a frame (a branch, an iteration) that is not running there."""
    return JournalMismatchError(
        f"{type(event).__name__} names frame {frame}, which is not running at this "
        "point of the journal"
    )
