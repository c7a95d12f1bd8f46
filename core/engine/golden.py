"""Golden cases: run a case file and compare the result with what it expects.

A case is the JSON format of the conformance corpus: `definition`, `input`,
`expected.status`, `expected.output` or `expected.error`/`cause`, optional
`expected.events` (the flattened AWS history) and `placeholders` (recorder masks
that match anything).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExecutionResult, ExpressRunner
from statum.core.engine.handlers import HandlerRegistry
from statum.projections.history import flatten, project_history

_GENERIC_MASKS = ("date", "timestamp")
_MASKED_NAME = "<ArnPart_0idx>"


@dataclass(slots=True)
class CaseOutcome:
    """How one case went."""

    id: str
    passed: bool
    history_checked: bool
    history_passed: bool
    actual: dict[str, Any]
    problems: list[str] = field(default_factory=list)


class Matcher:
    """Compares an actual JSON value with an expected one that may hold masks."""

    def __init__(self, placeholders: list[str]) -> None:
        tokens = sorted({p for p in placeholders if p}, key=len, reverse=True)
        self._tokens = tokens
        self._regex_cache: dict[str, re.Pattern[str] | None] = {}

    def _pattern(self, expected: str) -> re.Pattern[str] | None:
        if expected in self._regex_cache:
            return self._regex_cache[expected]
        pattern: re.Pattern[str] | None = None
        if any(t in expected for t in self._tokens) or re.search(
            r"<[A-Za-z_:\-0-9]+>", expected
        ):
            parts = re.split(
                "("
                + "|".join(
                    [re.escape(t) for t in self._tokens] + [r"<[A-Za-z_:\-0-9]+>"]
                )
                + ")",
                expected,
            )
            regex = "".join(
                ".*?" if (i % 2 == 1) else re.escape(part)
                for i, part in enumerate(parts)
            )
            pattern = re.compile(regex, re.DOTALL)
        self._regex_cache[expected] = pattern
        return pattern

    def equal(self, expected: Any, actual: Any) -> bool:
        if isinstance(expected, str):
            if expected in _GENERIC_MASKS or expected in self._tokens:
                return True
            if isinstance(actual, str):
                if expected == actual:
                    return True
                pattern = self._pattern(expected)
                return pattern is not None and pattern.fullmatch(actual) is not None
            return False
        if isinstance(expected, bool) or isinstance(actual, bool):
            return type(expected) is type(actual) and expected == actual
        if isinstance(expected, int | float) and isinstance(actual, int | float):
            return float(expected) == float(actual)
        if isinstance(expected, dict | list) and isinstance(actual, str):
            # The recorder decoded JSON texts (a cause holding a JSON document).
            try:
                actual = json.loads(actual)
            except ValueError:
                return False
        if isinstance(expected, dict):
            if not isinstance(actual, dict) or expected.keys() != actual.keys():
                return False
            return all(self.equal(v, actual[k]) for k, v in expected.items())
        if isinstance(expected, list):
            if not isinstance(actual, list) or len(expected) != len(actual):
                return False
            return all(self.equal(e, a) for e, a in zip(expected, actual, strict=True))
        return bool(expected == actual)


def _compare_events(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]], matcher: Matcher
) -> list[str]:
    normalised = any(isinstance(e.get("id"), list) for e in expected)
    if normalised and not any(
        e.get("type") == "ParallelStateSucceeded" for e in expected
    ):
        # The recorder that sorted Parallel branches dropped ParallelStateSucceeded.
        actual = [e for e in actual if e.get("type") != "ParallelStateSucceeded"]
    if normalised:
        # That recorder also lost some events of nested Parallel states: every
        # recorded event must be found, extra ones are tolerated.
        return _compare_normalised(expected, actual, matcher)
    if len(expected) != len(actual):
        return [f"history has {len(actual)} events, expected {len(expected)}"]
    problems: list[str] = []
    for want, got in zip(expected, actual, strict=True):
        problem = _event_problem(want, got, matcher)
        if problem:
            problems.append(problem)
            break
    return problems


def _event_problem(
    want: dict[str, Any], got: dict[str, Any], matcher: Matcher
) -> str | None:
    for key, value in want.items():
        if key == "assignedVariables" and isinstance(value, dict):
            actual_vars = got.get(key)
            if not isinstance(actual_vars, dict) or actual_vars.keys() != value.keys():
                return f"event {want.get('id')}: {key} differs: {actual_vars!r} != {value!r}"
            for name, text in value.items():
                got_text = actual_vars[name]
                if isinstance(text, str) and matcher.equal(text, got_text):
                    continue
                if not matcher.equal(text, json.loads(got_text)):
                    return f"event {want.get('id')}: variable {name}: {got_text!r} != {text!r}"
            continue
        if key not in got:
            return f"event {want.get('id')} ({want.get('type')}): missing {key}"
        if not matcher.equal(value, got[key]):
            return (
                f"event {want.get('id')} ({want.get('type')}): {key} is {got[key]!r}, "
                f"expected {value!r}"
            )
    return None


def _compare_normalised(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]], matcher: Matcher
) -> list[str]:
    """Events inside Parallel branches were sorted by the recorder; match as a bag."""
    remaining = list(actual)
    for want in expected:
        check = {
            k: v
            for k, v in want.items()
            if not isinstance(want.get("id"), list)
            or k not in ("id", "previousEventId")
        }
        for i, got in enumerate(remaining):
            if _event_problem(check, got, matcher) is None:
                del remaining[i]
                break
        else:
            return [f"no event matches {want}"]
    return []


def run_case(
    case: dict[str, Any],
    load_program: Callable[[Any], Any],
    handlers: HandlerRegistry | None = None,
    clock: VirtualClock | None = None,
) -> CaseOutcome:
    """Run one case and compare; never raises for a failing case.

    `child_state_machines` (ARN -> {"definition": ...}) become the state machines
    that StartExecution tasks can start, by the name in their ARN; where there is
    exactly one, it also answers to the recorder's mask for a state machine name.
    """
    expected = case.get("expected", {})
    matcher = Matcher(list(case.get("placeholders", [])))
    case_id = str(case.get("id", "?"))
    try:
        program = load_program(case["definition"])
        children = {
            arn.rsplit(":stateMachine:", 1)[-1]: load_program(spec["definition"])
            for arn, spec in (case.get("child_state_machines") or {}).items()
        }
        if len(children) == 1:
            children[_MASKED_NAME] = next(iter(children.values()))
        runner = ExpressRunner(
            handlers=handlers or HandlerRegistry(),
            clock=clock or VirtualClock(),
            state_machines=children,
            state_machine_name="statemachine",
            execution_type=str(case.get("state_machine_type", "STANDARD")),
            # One task at a time, in the order they were scheduled: a golden
            # case's history must not depend on which thread finished first.
            max_running=1,
        )
        result = runner.run(program, case.get("input", {}), name=case.get("name"))
    except Exception as exc:  # a crash is a failed case, reported with its reason
        return CaseOutcome(
            id=case_id,
            passed=False,
            history_checked="events" in expected,
            history_passed=False,
            actual={"status": "ERROR", "error": type(exc).__name__, "cause": str(exc)},
            problems=[f"{type(exc).__name__}: {exc}"],
        )
    return compare(case_id, expected, result, matcher)


def compare(
    case_id: str, expected: dict[str, Any], result: ExecutionResult, matcher: Matcher
) -> CaseOutcome:
    history = flatten(project_history(result.journal))
    actual = {
        "status": result.status,
        "output": result.output,
        "error": result.error,
        "cause": result.cause,
        "history": history,
    }
    problems: list[str] = []
    if expected.get("status") != result.status:
        problems.append(f"status {result.status}, expected {expected.get('status')}")
    elif result.status == "SUCCEEDED":
        if "output" in expected and not matcher.equal(
            expected["output"], result.output
        ):
            problems.append(
                f"output {result.output!r}, expected {expected['output']!r}"
            )
    else:
        problems.extend(
            f"{key} {getattr(result, key)!r}, expected {expected[key]!r}"
            for key in ("error", "cause")
            if key in expected
            and not matcher.equal(expected[key], getattr(result, key))
        )
    passed = not problems
    checked = "events" in expected
    history_problems = (
        _compare_events(expected["events"], history, matcher) if checked else []
    )
    return CaseOutcome(
        id=case_id,
        passed=passed,
        history_checked=checked,
        history_passed=checked and not history_problems,
        actual=actual,
        problems=problems + history_problems,
    )
