"""Evaluation is deterministic and bounded: a runaway expression fails its state.

The depth and memory boundaries are AWS's, measured on the service: it accepts
the first expression of each pair and refuses the second.
"""

import time
from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import QUERY_EVALUATION_ERROR, StatesError
from statum.core.language.expressions import compile_expression
from statum.core.language.jsonata_limits import DEFAULT_LIMITS, ExpressionLimits

STACK = (
    ": Stack overflow error: Check for non-terminating recursive function. "
    "Consider rewriting as tail-recursive"
)
MEMORY = (
    ": Expression evaluation memory limit exceeded: Check for excessive memory usage"
)
TIMEOUT = ": Expression evaluation timeout: Check for infinite loop"
RECURSION = "($f := function($x){ $x <= 0 ? 0 : 1 + $f($x-1) }; $f(%d))"
DOUBLING = (
    "($f := function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) };"
    " $length($f('x', %d)))"
)


def evaluate(
    text: str,
    seed: str = "seed",
    now_ms: int = 0,
    limits: ExpressionLimits = DEFAULT_LIMITS,
) -> Any:
    return compile_expression(text).evaluate(
        {},
        {"input": {}},
        now_ms=now_ms,
        entropy=Entropy(seed),
        field="Output/r",
        limits=limits,
    )


def failure(text: str, **limits: int) -> str:
    with pytest.raises(StatesError) as raised:
        evaluate(text, limits=ExpressionLimits(**limits))
    assert raised.value.error == QUERY_EVALUATION_ERROR
    head = f"The JSONata expression '{text}' specified for the field 'Output/r' threw"
    assert raised.value.cause.startswith(head + " an error during evaluation")
    return raised.value.cause.removeprefix(head + " an error during evaluation")


@pytest.mark.parametrize(
    ("accepted", "refused"),
    [
        ("1" + "+1" * 99, "1" + "+1" * 100),
        ("(" * 99 + "1" + ")" * 99, "(" * 100 + "1" + ")" * 100),
        ("[" * 99 + "1" + "]" * 99, "[" * 100 + "1" + "]" * 100),
        ("1" + "~>$string" * 99, "1" + "~>$string" * 100),
        (RECURSION % 31, RECURSION % 32),
    ],
)
def test_depth_bound_is_aws_s(accepted: str, refused: str) -> None:
    evaluate(accepted)
    assert failure(refused) == STACK


def test_infinite_recursion_fails_on_the_depth_bound() -> None:
    text = RECURSION % 1_000_000
    assert failure(text) == STACK


def test_an_infinite_loop_fails_on_the_step_budget() -> None:
    # Tail calls are trampolined: this loops without nesting, so only steps end it.
    text = "($f := function($x){ $f($x+1) }; $f(1))"
    started = time.perf_counter()
    assert failure(text, max_steps=20_000) == TIMEOUT
    assert time.perf_counter() - started < 5
    assert failure(text) == TIMEOUT  # the default budget ends it too


def test_memory_bound_is_aws_s() -> None:
    assert evaluate("[1..873782] ~> $count()") == 873782
    assert failure("[1..873783] ~> $count()") == MEMORY
    assert failure("$sum([1..900000])") == MEMORY
    assert evaluate(DOUBLING % 22) == 4_194_304
    assert failure(DOUBLING % 23) == MEMORY


def test_huge_range_fails_before_it_is_built() -> None:
    assert evaluate("$count($range(1, 360145, 1))") == 360145
    assert failure("$range(1, 360146, 1)") == MEMORY
    started = time.perf_counter()
    assert failure("$range(1, 1000000000000, 1)") == MEMORY
    assert time.perf_counter() - started < 1


def test_shared_values_cannot_explode() -> None:
    # Each level doubles a shared list: 2**40 items as JSON, a few objects in memory.
    text = "($f := function($x, $n){ $n = 0 ? $x : $f([$x, $x], $n - 1) }; $f([1], 40))"
    assert failure(text) == MEMORY
    assert failure("$pad('x', 1e10)") == MEMORY


def test_limits_are_configurable() -> None:
    assert failure("[1..100]", max_memory_bytes=100) == MEMORY
    assert failure("1+1+1", max_depth=2) == STACK


def test_same_inputs_same_results() -> None:
    text = (
        "{'now': $now(), 'millis': $millis(), 'random': $random(), 'uuid': $uuid(),"
        " 'shuffled': $shuffle([1..20]), 'seeded': $random(5)}"
    )
    first = evaluate(text, seed="exec-1#7", now_ms=1_700_000_000_000)
    again = evaluate(text, seed="exec-1#7", now_ms=1_700_000_000_000)
    other = evaluate(text, seed="exec-1#8", now_ms=1_700_000_000_000)
    assert first == again
    for drawn in ("random", "uuid", "shuffled"):
        assert first[drawn] != other[drawn]
    assert first["seeded"] == other["seeded"]  # a seeded $random depends on the seed


def test_now_never_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    before = evaluate("[$now(), $millis()]", now_ms=86_400_000)
    monkeypatch.setattr(time, "time", lambda: 4_102_444_800.0)  # 2100-01-01
    monkeypatch.setattr(time, "time_ns", lambda: 4_102_444_800 * 10**9)
    after = evaluate("[$now(), $millis()]", now_ms=86_400_000)
    assert before == after == ["1970-01-02T00:00:00.000Z", 86_400_000]


def test_a_failed_evaluation_leaves_nothing_behind() -> None:
    # The budget lives in the call's frame: a failure must not tax the next call.
    for _ in range(3):
        assert failure(RECURSION % 40) == STACK
    assert evaluate(RECURSION % 31) == 31


def test_the_expressions_of_one_state_share_one_step_tally() -> None:
    from statum.core.language.jsonata_limits import StepTally

    limits = ExpressionLimits(max_steps=1_000)
    work = compile_expression("$count([1..100].($ * 2))")

    def evaluate(tally: StepTally | None) -> Any:
        return work.evaluate(
            {},
            {},
            now_ms=0,
            entropy=Entropy("t"),
            field="F",
            limits=limits,
            tally=None if tally is None else lambda: tally,
        )

    assert evaluate(None) == 100  # well within one expression's own bound
    tally = StepTally(1_000)
    evaluate(tally)
    spent = tally.steps - tally.left
    assert 0 < spent < 1_000
    rounds = 1
    while tally.left >= spent:  # as many more as fit, then one that does not
        evaluate(tally)
        rounds += 1
    assert rounds < 10
    with pytest.raises(StatesError) as failed:
        evaluate(tally)
    assert failed.value.error == QUERY_EVALUATION_ERROR
    assert "Limits.max_state_expression_steps" in (failed.value.cause or "")
