"""Deterministic bounds on one JSONata evaluation: steps, nesting depth, memory.

AWS bounds JSONata evaluation too, and fails the state with
`States.QueryEvaluationError` when a bound trips. Its depth bound (100 nested
evaluations) and memory bound are reproduced exactly where they were measured; its
time bound is replaced by a count of evaluation steps, so that replaying a journal
fails the same expression at the same point on any machine (ADR 0003).
"""

from dataclasses import dataclass
from typing import Any

from jsonata.jexception import JException
from jsonata.utils import Utils

# AWS's own sentences for its three bounds. They carry no JSONata code, so the
# cause joins them to its opening sentence with ": " rather than ". ".
STACK_OVERFLOW = (
    "Stack overflow error: Check for non-terminating recursive function. "
    "Consider rewriting as tail-recursive"
)
TIMEOUT = "Expression evaluation timeout: Check for infinite loop"
MEMORY_LIMIT = (
    "Expression evaluation memory limit exceeded: Check for excessive memory usage"
)


def state_budget_spent(steps: int) -> str:
    return (
        f"The state's expressions took more than {steps:,} evaluation steps "
        "together: Check for excessive work across its fields, or raise "
        "Limits.max_state_expression_steps"
    )


def state_results_too_large(result_bytes: int) -> str:
    return (
        f"The state's expressions built more than {result_bytes:,} bytes of results "
        "together: Check for excessive memory usage across its fields"
    )


# A list item or object entry counts as 8 bytes (a double), a character as 1 byte.
_SLOT_BYTES = 8

# Results of these nodes are references into values that already exist (the
# bindings or an earlier result), so measuring them again would only cost time.
_REFERENCE_NODES = frozenset(
    {"variable", "path", "name", "string", "number", "value", "regex", "lambda"}
)


@dataclass(frozen=True, slots=True)
class ExpressionLimits:
    """Bounds applied to every evaluation of one expression.

    `max_depth` and `max_memory_bytes` reproduce AWS: it accepts `1+1+…` with 100
    terms and `[1..873782]`, a 2**22-character string, and `$range` up to 360,145
    items, and refuses one more of each. `max_steps` stands in for AWS's time
    bound: about three seconds of evaluation on current hardware.
    """

    max_steps: int = 1_000_000
    max_depth: int = 100
    max_memory_bytes: int = 6_990_256
    max_range_items: int = 360_145


DEFAULT_LIMITS = ExpressionLimits()


class LimitExceeded(JException):  # type: ignore[misc]
    """One of the bounds tripped; `message` is AWS's sentence for it.

    A `JException` so that jsonata-python re-raises it unchanged: it wraps any
    other exception raised inside `and`/`or` into a generic one.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, -1)
        self.message = message


def _length(value: list[Any]) -> int:
    # jsonata-python builds `a..b` as RangeList(a, b + 1), whose len() counts one
    # item too many; its iterator (range(a, b + 1)) is right.
    if isinstance(value, Utils.RangeList):
        return max(0, int(value.b) - int(value.a))
    return len(value)


def memory_size(value: Any, budget: int, seen: dict[int, tuple[Any, int]]) -> int:
    """The bytes `value` holds by the measure above, raising past `budget`.

    `seen` memoises containers by identity (holding a reference so that no id is
    reused), so a value shared many times, which JSONata builds cheaply, is
    measured once per evaluation but counted every time it appears.
    """
    kind = type(value)
    if kind is str:
        size = len(value)
    elif isinstance(value, list):
        known = seen.get(id(value))
        if known is not None:
            return known[1]
        size = _SLOT_BYTES * _length(value)
        if size > budget:
            raise LimitExceeded(MEMORY_LIMIT)
        if not isinstance(value, Utils.RangeList):  # lazy integers: nothing inside
            for item in value:
                if type(item) is str or isinstance(item, (list, dict)):
                    size += memory_size(item, budget - size, seen)
        seen[id(value)] = (value, size)
    elif isinstance(value, dict):
        known = seen.get(id(value))
        if known is not None:
            return known[1]
        size = 0
        for key, item in value.items():
            size += _SLOT_BYTES + len(key)
            if type(item) is str or isinstance(item, (list, dict)):
                size += memory_size(item, budget - size, seen)
            if size > budget:
                break
        seen[id(value)] = (value, size)
    else:
        return 0
    if size > budget:
        raise LimitExceeded(MEMORY_LIMIT)
    return size


class StepTally:
    """The evaluation steps one state may still take, over all its expressions.

    AWS bounds each expression's time on its own, so a state with ten fields of
    three seconds each ran thirty; this bounds their sum (issue 7).
    """

    __slots__ = ("bytes_left", "left", "result_bytes", "steps")

    def __init__(
        self, steps: int, result_bytes: int = 8 * DEFAULT_LIMITS.max_memory_bytes
    ) -> None:
        self.steps = steps
        self.left = steps
        # What the expressions' results may hold together, measured as a single
        # expression's memory bound is (eight of those by default).
        self.result_bytes = result_bytes
        self.bytes_left = result_bytes


class Budget:
    """The counters of one evaluation, driven by jsonata-python's callbacks.

    Bound per call in the evaluation frame (never on the shared compiled
    expression), so an evaluation that raises leaves nothing behind.
    """

    __slots__ = ("_limits", "_seen", "_tally", "depth", "steps")

    def __init__(self, limits: ExpressionLimits, tally: StepTally | None) -> None:
        self._limits = limits
        self._seen: dict[int, tuple[Any, int]] = {}
        self._tally = tally
        self.depth = 0
        self.steps = 0

    def enter(self, expr: Any, input: Any, environment: Any) -> None:
        self.steps += 1
        self.depth += 1
        if self.depth > self._limits.max_depth:
            raise LimitExceeded(STACK_OVERFLOW)
        if self.steps > self._limits.max_steps:
            raise LimitExceeded(TIMEOUT)
        tally = self._tally
        if tally is not None:
            tally.left -= 1
            if tally.left < 0:
                raise LimitExceeded(state_budget_spent(tally.steps))

    def leave(self, expr: Any, input: Any, environment: Any, result: Any) -> None:
        self.depth -= 1
        if result is not None and getattr(expr, "type", None) not in _REFERENCE_NODES:
            self.check_memory(result)

    def check_memory(self, value: Any) -> None:
        memory_size(value, self._limits.max_memory_bytes, self._seen)

    def charge_result(self, value: Any) -> None:
        """Count the expression's result against the state's tally, if any."""
        tally = self._tally
        if tally is None or value is None:
            return
        if type(value) is not str and not isinstance(value, list | dict):
            return
        tally.bytes_left -= memory_size(
            value, self._limits.max_memory_bytes, self._seen
        )
        if tally.bytes_left < 0:
            raise LimitExceeded(state_results_too_large(tally.result_bytes))

    def check_items(self, count: int) -> None:
        """Refuse to build a `$range` longer than AWS builds, before building it."""
        if count > self._limits.max_range_items:
            raise LimitExceeded(MEMORY_LIMIT)

    def check_length(self, length: int) -> None:
        """Refuse to build a string of `length` characters past the memory bound."""
        if length > self._limits.max_memory_bytes:
            raise LimitExceeded(MEMORY_LIMIT)
