"""Whether a journal tells the truth about its definition: re-deciding it, fact by
fact as the engine did, must make exactly the decisions it records.

A journal is the source of truth only if nobody edited it: an event deleted, a
decision altered, or the events of another definition spliced in all replay to
*some* state. Folding cannot tell; deciding again can.
"""

from collections import deque
from dataclasses import dataclass

from statum.core.interpreter import events as ev
from statum.core.interpreter.decide import advance
from statum.core.interpreter.evolve import apply
from statum.core.interpreter.limits import DEFAULT_LIMITS, Limits
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import INITIAL_STATE

_FACTS = frozenset(ev.FACT_TYPES)


@dataclass(frozen=True, slots=True)
class Difference:
    """The first event where the journal and the definition part ways.

    `index` is the event's place in the journal (0 for the first); `recorded` is
    None when the journal ends before the decisions do, `decided` None when the
    journal records a decision the definition does not make (or a fact where it
    still decides).
    """

    index: int
    recorded: ev.Event | None
    decided: ev.Event | None


def first_difference(
    program: Program, events: list[ev.Event], limits: Limits = DEFAULT_LIMITS
) -> Difference | None:
    """None when `program` decides exactly the decisions `events` record.

    Facts are folded as they were recorded (they come from outside: results,
    timers, requests); after each, the decisions are made afresh and compared
    with the recorded ones that follow it. Raises JournalMismatchError when a
    fact cannot be folded at all.
    """
    state = INITIAL_STATE.clone()
    expected: deque[ev.Event] = deque()
    for index, event in enumerate(events):
        if type(event) in _FACTS:
            if expected:
                return Difference(index, event, expected[0])
            apply(state, event)
            expected.extend(advance(program, state, limits))
        elif not expected:
            return Difference(index, event, None)
        else:
            decided = expected.popleft()
            if decided != event:
                return Difference(index, event, decided)
    if expected:
        return Difference(len(events), None, expected[0])
    return None
