"""interpret(program, journal): fold, decide, fold the decisions, derive commands."""

from collections.abc import Sequence

import msgspec

from statum.core.interpreter.commands import Command, commands_for
from statum.core.interpreter.decide import decide
from statum.core.interpreter.events import Event
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.limits import DEFAULT_LIMITS, Limits
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import ExecutionState


class Interpretation(msgspec.Struct, frozen=True, kw_only=True):
    """What the shell must append (`decisions`) and perform (`commands`)."""

    state: ExecutionState
    decisions: tuple[Event, ...]
    commands: tuple[Command, ...]


def interpret(
    program: Program, journal: Sequence[Event], limits: Limits = DEFAULT_LIMITS
) -> Interpretation:
    """Everything the interpreter has to say about `journal`."""
    before = fold(journal)
    decisions = decide(program, before, limits)
    after = fold(decisions, before)
    return Interpretation(
        state=after, decisions=decisions, commands=commands_for(after)
    )
