"""Facts on their way into the journal: late ones dropped, every one as a replay
will read it."""

import msgspec

from statum.core.engine.errors import EngineError
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import decode_event, encode_event
from statum.core.interpreter.state import ExecutionState

_TASK_FACTS = frozenset(
    {
        ev.TaskStarted,
        ev.TaskSucceeded,
        ev.TaskFailed,
        ev.TaskHeartbeat,
        ev.TaskSubmitted,
    }
)


def stale(state: ExecutionState, fact: ev.Event) -> bool:
    """A result for a task that is over (it timed out, or its branch was cut
    short): nothing to record."""
    return type(fact) in _TASK_FACTS and fact.task not in state.tasks  # type: ignore[union-attr]


class FactNotJson(EngineError, ValueError):
    """A fact whose values have no JSON form."""


# Facts with nothing but strings and ints, or (ExecutionStarted) checked by the
# runner that made them, before anything was recorded.
_PLAIN_FACTS = frozenset(
    {ev.TimerFired, ev.TaskStarted, ev.TaskHeartbeat, ev.ExecutionStarted}
)


def through_codec(fact: ev.Event) -> ev.Event:
    """The fact as a replay will read it: recorded and replayed runs cannot
    disagree (a tuple becomes a list, a date its ISO text...). A task result with
    no JSON form fails the task instead."""
    if type(fact) in _PLAIN_FACTS:
        return fact
    try:
        return decode_event(encode_event(fact))
    except (TypeError, ValueError, OverflowError, msgspec.MsgspecError) as exc:
        if isinstance(fact, ev.TaskSucceeded | ev.TaskSubmitted):
            return ev.TaskFailed(
                at_ms=fact.at_ms,
                task=fact.task,
                error="States.TaskFailed",
                cause=f"The handler returned a value with no JSON form ({exc}); "
                "return dicts, lists, strings, numbers, booleans or None.",
            )
        raise FactNotJson(f"{type(fact).__name__} has no JSON form: {exc}") from None
