"""What a handler returns or raises can be hostile too: non-finite numbers, huge
error texts. Each becomes a clear task failure, and the journal stays bounded."""

import math
from typing import Any

import msgspec
import pytest

from statum.core.engine.facts import MAX_CAUSE_CHARS, MAX_ERROR_CHARS
from statum.core.interpreter import events as ev
from statum.core.interpreter.errors import JournalMismatchError
from statum.core.interpreter.evolve import fold
from tests.engine.helpers import machine, of_type, run, task

ONE = machine({"T": task("python:h")})


@pytest.mark.parametrize(
    "value",
    [math.nan, math.inf, -math.inf, {"a": [1, {"b": math.nan}]}, [[[[math.inf]]]]],
)
def test_a_non_finite_result_fails_the_task_instead_of_becoming_null(
    value: Any,
) -> None:
    result = run(ONE, {}, {"h": lambda p: value})
    assert (result.status, result.error) == ("FAILED", "States.TaskFailed")
    assert "NaN or Infinity" in (result.cause or "")
    assert of_type(result, ev.TaskSucceeded) == []


def test_a_deeply_nested_finite_value_is_checked_without_recursion() -> None:
    from statum.core.engine.facts import _non_finite

    deep: Any = 1.5
    for _ in range(100_000):
        deep = [deep]
    assert _non_finite(deep) is False
    assert _non_finite([deep, math.nan]) is True


def test_huge_error_names_and_causes_are_cut_to_aws_lengths() -> None:
    class Loud(Exception):
        pass

    def handler(payload: Any) -> Any:
        raise Loud("x" * 10_000_000)

    result = run(ONE, {}, {"h": handler})
    failed = of_type(result, ev.TaskFailed)[0]
    assert failed.error == "Loud"
    assert failed.cause is not None
    assert len(failed.cause) == MAX_CAUSE_CHARS
    assert len(msgspec.json.encode(failed)) < 3 * MAX_CAUSE_CHARS

    from statum.core.engine.handlers import TaskFailure

    def named(payload: Any) -> Any:
        raise TaskFailure("E" * 1000, "c")

    result = run(ONE, {}, {"h": named})
    assert result.error == "E" * MAX_ERROR_CHARS


def test_a_journal_with_a_second_end_is_refused() -> None:
    result = run(ONE, {}, {"h": lambda p: 1})
    tampered = [*result.journal, result.journal[-1]]
    with pytest.raises(JournalMismatchError, match="ends SUCCEEDED"):
        fold(tampered)
