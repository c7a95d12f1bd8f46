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

from statum.core.language import errors as names
from statum.core.language.errors import StatesError

_encode = msgspec.json.encode

# Measuring a small value costs less than remembering it.
_WORTH_REMEMBERING = 4096

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

    __slots__ = ("_known", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._known: dict[int, tuple[Any, int]] = {}

    def admit(self, value: Any) -> None:
        """Take `value` as within the quota without measuring it: the execution's
        input, which StartExecution refuses when it is over (the shell measures it
        before anything is recorded)."""
        self._known[id(value)] = (value, 0)

    def over(self, value: Any) -> bool:
        """Whether `value` is over the quota (a value of exactly the quota is not)."""
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1] > self.limit
        size = len(_encode(value))
        if size >= _WORTH_REMEMBERING:
            self._known[id(value)] = (value, size)
        return size > self.limit


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
