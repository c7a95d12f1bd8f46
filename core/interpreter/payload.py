"""The payload quota: how big a state's input, output or task result is, as AWS
measures it, and the failures when one is too big.

AWS counts the UTF-8 bytes of the value's JSON text ("256 KiB of data as a UTF-8
encoded string"): a non-ASCII character counts its two to four UTF-8 bytes, and an
escaped character counts its escape (a control character is six bytes, `\\u0001`).
msgspec writes exactly that text (compact, non-ASCII as raw UTF-8, control
characters escaped), so the length of its encoding is the measure.
"""

from typing import Any

import msgspec

from statum.core.interpreter.limits import DEFAULT_LIMITS
from statum.core.language import errors as names
from statum.core.language.errors import StatesError
from statum.core.language.json import nesting_depth

_encode = msgspec.json.encode

# Measuring a small value costs less than remembering it.
_WORTH_REMEMBERING = 4096
# An encoding this large is still safe to make just to measure it.
_SAFE_ENCODING = 64 * 1024 * 1024
# The size remembered for the execution's input, admitted unmeasured.
_UNMEASURED = -1

# AWS names an integration by its service (`arn:aws:states:::lambda:invoke` is
# 'lambda'); any other resource (a function or activity ARN) by the ARN itself.
_INTEGRATION_PREFIX = "arn:aws:states:::"


class PayloadMeter:
    """Checks payloads against the quota, remembering each large value it measured.

    A chain of states that passes its input on unchanged hands the very same object
    from state to state; re-encoding it at every exit made a state's cost grow with
    the payload (issue 6). Values are never changed in place in the interpreter
    (paths and templates build copies), so a value keeps its size, and the meter
    holds a reference to each value it remembers so that its id cannot be reused
    while the meter lives (one `decide` call).
    """

    __slots__ = ("_few", "_known", "_shallow", "counted", "limit", "max_depth")

    def __init__(
        self, limit: int, max_depth: int = DEFAULT_LIMITS.max_data_depth
    ) -> None:
        self.limit = limit
        self.max_depth = max_depth
        # A value built from this many values within the quota, or fewer, is
        # safe to encode just to measure it.
        self._few = _SAFE_ENCODING // max(limit, 1) - 1
        # Each level of nesting takes two bytes of text: a short text is shallow.
        self._shallow = 2 * max_depth
        # The sizes of the large payloads checked since the last `take_counted`:
        # each check is for an event that will carry the value, so this is what
        # the journal grew by (StateExited.payload_bytes records it).
        self.counted = 0
        # id -> (the value, its encoded size, its nesting depth)
        self._known: dict[int, tuple[Any, int, int]] = {}

    def admit(self, value: Any) -> None:
        """Take `value` as within the quota without measuring it: the execution's
        input, which StartExecution refuses when it is over (the shell measures it
        before anything is recorded)."""
        self._known[id(value)] = (value, _UNMEASURED, 0)

    def over(self, value: Any, name: str, references: int | None = None) -> bool:
        """Whether `value` is over the quota (a value of exactly the quota is not).

        A value nested deeper than `max_depth` fails state `name` with
        States.Runtime: deeper data is an attack, not a document, and code that
        walks it (ours, a handler's, an encoder's) may run out of stack.

        `references` bounds how many values within the quota the value was built
        from (a state's template references). Few of them cannot add up to an
        encoding worth fearing, so it is encoded without walking it first (the
        walk costs several times the encoding of a small value); None means no
        bound is known (a Map's or Parallel's results).
        """
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            if known[1] == _UNMEASURED:
                self._count_admitted(value)
                return False
            if known[1] >= _WORTH_REMEMBERING:
                self.counted += known[1]
            return known[1] > self.limit
        if references is not None and references <= self._few:
            size = len(_encode(value))
            depth = 0 if size <= self._shallow else nesting_depth(value, self.max_depth)
        else:
            floor, depth = self._walk(value, self.limit)
            if floor > self.limit:
                return True
            size = len(_encode(value))
        if depth > self.max_depth:
            raise too_deep(name, self.max_depth)
        if size >= _WORTH_REMEMBERING:
            self._known[id(value)] = (value, size, depth)
            self.counted += size
        return size > self.limit

    def _count_admitted(self, value: Any) -> None:
        # Within the quota by admission (so safe to encode), but its size counts
        # towards the journal's. Its depth was checked when it was admitted.
        size = len(_encode(value))
        self._known[id(value)] = (value, min(size, self.limit), 0)
        if size >= _WORTH_REMEMBERING:
            self.counted += size

    def recount(self, value: Any) -> None:
        """Count `value` once more, if it is a large value measured before."""
        known = self._known.get(id(value))
        if known is not None and known[0] is value and known[1] >= _WORTH_REMEMBERING:
            self.counted += known[1]

    def take_counted(self) -> int:
        counted, self.counted = self.counted, 0
        return counted

    def _walk(self, value: Any, stop_at: int) -> tuple[int, int]:
        """A lower bound of the value's encoded size, walked only until it passes
        `stop_at`, and (when it does not) the value's nesting depth.

        Values share structure: `States.Array($.s, $.s, ...)` or a template naming
        one large string 5,000 times is small in memory but gigabytes of JSON text,
        and encoding it only to measure it exhausted memory (or crashed the
        encoder). Every item adds at least one byte, so the walk stops after at
        most `limit` items; values measured before count whole.
        """
        kind = type(value)
        if kind is str:
            return len(value) + 2, 0  # a byte a character at least, and quotes
        if kind is not dict and kind is not list:
            return 1, 0
        known = self._known
        floor = deepest = 0
        stack = [(value, 1)]
        while stack:
            node, depth = stack.pop()
            remembered = known.get(id(node))
            if (
                remembered is not None
                and remembered[0] is node
                and remembered[1] != _UNMEASURED
            ):
                floor += remembered[1]
                deepest = max(deepest, depth - 1 + remembered[2])
                continue
            if depth > deepest:
                deepest = depth
            floor += 1 + max(len(node), 1)  # brackets and commas
            if type(node) is dict:
                for key in node:
                    floor += len(key) + 3  # quotes and colon
                items = node.values()
            else:
                items = node
            for item in items:
                item_kind = type(item)
                if item_kind is str:
                    floor += len(item) + 2
                elif item_kind is dict or item_kind is list:
                    stack.append((item, depth + 1))
                else:
                    floor += 1
            if floor > stop_at:
                break
        return floor, deepest


def too_deep(name: str, max_depth: int) -> StatesError:
    return StatesError(
        names.RUNTIME,
        f"The state/task '{name}' produced a value nested more than {max_depth} "
        "arrays and objects deep; flatten the data, or raise Limits.max_data_depth",
    )


def output_too_large(name: str) -> StatesError:
    """A state's output, or a task's result, over the quota.

    `name` is the state's name, or for a task result the resource's (see
    `task_result_name`). States.DataLimitExceeded is terminal: States.ALL and
    States.TaskFailed do not catch it, only a catcher that names it (retry.py).
    """
    return StatesError(
        names.DATA_LIMIT_EXCEEDED,
        f"The state/task '{name}' returned a result with a size exceeding the "
        "maximum number of bytes service limit.",
    )


def input_too_large(name: str) -> StatesError:
    """A state's input, after Parameters or Arguments, over the quota."""
    return StatesError(
        names.DATA_LIMIT_EXCEEDED,
        f"The state/task '{name}' has an input with a size exceeding the maximum "
        "number of bytes service limit.",
    )


def task_result_name(resource: str) -> str:
    """How AWS names the task in the cause when its result is over the quota:
    'lambda' for `arn:aws:states:::lambda:invoke`, the ARN itself for
    `arn:aws:lambda:...:function:NAME` (and any other resource as written)."""
    if resource.startswith(_INTEGRATION_PREFIX):
        service = resource[len(_INTEGRATION_PREFIX) :].partition(":")[0]
        if service:
            return service
    return resource
