"""Facts on their way into the journal: late ones dropped, every one as a replay
will read it."""

import math

import msgspec

from statum.core.engine.errors import EngineError
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import decode_event, encode_event
from statum.core.interpreter.state import ExecutionState
from statum.core.language.errors import MAX_CAUSE_CHARS, MAX_ERROR_CHARS, capped
from statum.core.language.json import nesting_depth

# MAX_*_CHARS: AWS's limits on what a task failure carries (errors.py).
__all__ = [
    "MAX_CAUSE_CHARS",
    "MAX_ERROR_CHARS",
    "FactNotJson",
    "stale",
    "through_codec",
]

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


def through_codec(fact: ev.Event, max_depth: int) -> ev.Event:
    """The fact as a replay will read it: recorded and replayed runs cannot
    disagree (a tuple becomes a list, a date its ISO text...). A task result with
    no JSON form, or nested deeper than `max_depth`, fails the task instead."""
    if type(fact) in _PLAIN_FACTS:
        return fact
    if isinstance(fact, ev.TaskSucceeded | ev.TaskSubmitted):
        problem = _result_problem(fact.output, max_depth)
        if problem is not None:
            return _refused(fact, problem)
    if isinstance(fact, ev.TaskFailed):
        fact = _capped(fact)
    try:
        return decode_event(encode_event(fact))
    except (TypeError, ValueError, OverflowError, msgspec.MsgspecError) as exc:
        if isinstance(fact, ev.TaskSucceeded | ev.TaskSubmitted):
            return _refused(
                fact,
                f"The handler returned a value with no JSON form ({exc}); return "
                "dicts, lists, strings, numbers, booleans or None.",
            )
        raise FactNotJson(f"{type(fact).__name__} has no JSON form: {exc}") from None


def _result_problem(output: object, max_depth: int) -> str | None:
    if nesting_depth(output, max_depth) > max_depth:
        return (
            f"The handler returned a value nested more than {max_depth} arrays and "
            "objects deep; return flatter data, or raise Limits.max_data_depth."
        )
    if _non_finite(output):
        # JSON has no NaN or Infinity: recorded as null, the result would be wrong
        # data without a word; AWS's JSON parser refuses them.
        return (
            "The handler returned NaN or Infinity, which JSON cannot represent; "
            "return a finite number, or a string such as 'NaN'."
        )
    return None


def _refused(fact: ev.TaskSucceeded | ev.TaskSubmitted, cause: str) -> ev.TaskFailed:
    """A task result the journal cannot take, as the failure of its task."""
    return ev.TaskFailed(
        at_ms=fact.at_ms, task=fact.task, error="States.TaskFailed", cause=cause
    )


def _capped(fact: ev.TaskFailed) -> ev.TaskFailed:
    """A failure whose error name or cause is too long, cut to AWS's lengths (a
    handler's 10 MB message must not be journaled whole)."""
    error, cause = capped(fact.error, fact.cause)
    if error is fact.error and cause is fact.cause:
        return fact
    traceback = fact.traceback
    return msgspec.structs.replace(
        fact,
        error=error or "",
        cause=cause,
        traceback=None if traceback is None else traceback[-MAX_CAUSE_CHARS:],
    )


def _non_finite(value: object) -> bool:
    """Whether a NaN or an infinity is anywhere in `value` (without recursion:
    the value may be deeply nested)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if not isinstance(value, dict | list | tuple):
        return False
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False
