"""Definition and input fuzzing over the whole language: random workflows, and the
AWS corpus's definitions and inputs mutated with hostile values. Whatever comes in,
what comes out is typed: validation problems, an execution that ends with an ASL
error, or a refusal the API documents; never another exception.

`python -m tests.attacks.fuzz [--examples N]` runs it under the attack suite's
memory cap (test_fuzz.py does so with a small budget; `pytest --stress` with a
large one).
"""

import argparse
import resource
import sys
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statum.core.definition.loader import InvalidDefinition
from statum.core.definition.validation import validate_definition
from statum.core.engine.clock import VirtualClock
from statum.core.engine.errors import EngineError
from statum.core.engine.express import ExpressRunner
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import load_program
from tests.conformance.corpus import load_cases
from tests.strategies import workflows

# One example may take this long at most: a hang detector, not a benchmark.
SLOW_SECONDS = 20.0
MEMORY_CAP_BYTES = 4 * 1024**3

_BIG = "h" * 100_000
HOSTILE: list[Any] = [
    None, True, 0, -1, 1e308, -1e308, 10**30, 99_999_999, 2**63, 1.5,
    "", "$", "$$", "$.a", "$..*..*..*", "$[?(@.a > 1)]", "States.ALL",
    "States.Array(" + ", ".join(["$"] * 500) + ")", "States.ArrayRange(0, 100000, 1)",
    "States.StringToJson($)", "States.Format('{}{}', $, $)", "{% $ %}",
    "{% $match($states.input, /(a+)+$/) %}", "{% [1..1000000] %}",
    "{% $string($states.input) & $string($states.input) %}",
    "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "*a*a*a*a*a*a*b",
    _BIG, [], {}, [[[[[[[[[[]]]]]]]]]], {"a": {"b": {"c": None}}},
]  # fmt: skip
HOSTILE_INPUTS: list[Any] = [
    {}, [], "x", 0, None, {"a": _BIG}, list(range(5_000)), {"items": list(range(5_000))},
    {"s": "a" * 50_000 + "!"}, {"n": 10**17}, {"t": "9999-12-31T23:59:59Z"},
]  # fmt: skip

_CORPUS = [case["definition"] for case in load_cases("pure")]


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in `doc` a value can be put (a key of an object, an index)."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _put(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[path[0]] = _put(copy[path[0]], path[1:], value)
    return copy


def _value_at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


# Names that make the shape of a machine: replacing them mostly makes it invalid.
_STRUCTURE = frozenset(
    {"Type", "Next", "StartAt", "Default", "QueryLanguage", "Mode", "ExecutionType"}
)
_NUMBERS = [value for value in HOSTILE if isinstance(value, int | float)]
_STRINGS = [value for value in HOSTILE if isinstance(value, str)]


@st.composite
def mutated_corpus_definitions(draw: st.DrawFn) -> Any:
    """A corpus definition with one to three values replaced: mostly a number by
    a hostile number and a string by a hostile string (so that the result often
    stays valid and runs), sometimes anything by anything."""
    doc = draw(st.sampled_from(_CORPUS))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        leaves = [
            p
            for p in paths
            if p
            and p[-1] not in _STRUCTURE
            and isinstance(_value_at(doc, p), int | float | str)
            and not isinstance(_value_at(doc, p), bool)
        ]
        if leaves and draw(st.integers(0, 9)) < 7:
            path = draw(st.sampled_from(leaves))
            old = _value_at(doc, path)
            pool = _STRINGS if isinstance(old, str) else _NUMBERS
            value: Any = draw(st.sampled_from(pool))
        else:
            path = draw(st.sampled_from(paths))
            value = draw(st.sampled_from(HOSTILE))
        doc = _put(doc, path, value)
    return doc


def _handlers() -> HandlerRegistry:
    handlers = HandlerRegistry()
    calls = iter(range(10**9))

    def maybe_fail(value: Any) -> Any:
        if next(calls) % 3:
            return {"ok": value}
        raise TaskFailure("Custom.Error", "drawn to fail")

    handlers.register("maybe-fail", maybe_fail)
    return handlers


# One runner for every example: each runner keeps a pool of handler threads, and
# each thread may reserve a malloc arena of 64 MiB of address space (RLIMIT_AS).
# Corpus resources (Lambda ARNs) are served by no handler: a typed refusal.
_RUNNER = ExpressRunner(clock=VirtualClock(), handlers=_handlers(), max_threads=4)


def check_typed(definition: Any, payload: Any) -> None:
    """Validate, then run if valid; anything but a typed outcome fails."""
    started = time.monotonic()
    problems = validate_definition(definition)
    if problems:
        return
    try:
        program = load_program(definition)
        result = _RUNNER.run(program, payload)
    except (InvalidDefinition, EngineError):
        return  # a typed refusal: unknown resource, bad input, ...
    assert result.status in ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")
    if result.status == "FAILED":
        assert isinstance(result.error, str)
        assert result.error
    assert result.state.finished
    elapsed = time.monotonic() - started
    assert elapsed < SLOW_SECONDS, f"one example ran {elapsed:.1f} s"


def fuzz(examples: int) -> None:
    common = settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )

    @common
    @given(mutated_corpus_definitions(), st.sampled_from(HOSTILE_INPUTS))
    def corpus_mutations(definition: Any, payload: Any) -> None:
        check_typed(definition, payload)

    @common
    @given(workflows(), st.sampled_from(HOSTILE_INPUTS))
    def random_workflows(definition: Any, payload: Any) -> None:
        check_typed(definition, payload)

    corpus_mutations()
    random_workflows()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.attacks.fuzz")
    parser.add_argument("--examples", type=int, default=200)
    args = parser.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))
    fuzz(args.examples)
    print(f"fuzzed {args.examples} examples of each kind")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
