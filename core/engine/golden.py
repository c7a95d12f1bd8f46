"""Golden cases: run a case file and compare the result with what it expects.

A case is the JSON format of the conformance corpus: `definition`, `input`,
`expected.status`, `expected.output` or `expected.error`/`cause`, optional
`expected.events` (the flattened AWS history), `name` (the execution name) and
`placeholders` (strings that match any value).

Two dialects of comparison:

* `exact` (users' own cases): values are compared as JSON, and only the strings a
  case lists in `placeholders` match anything (a whole value, or a part of a string).
* `aws-recorded` (the conformance corpus): the recorder's conventions also hold:
  any `<word>` inside a string matches anything, `"date"` and `"timestamp"` match any
  value, an expected object may stand for a JSON text, and in cases whose Parallel
  events the recorder sorted (`id` given as a list), events are matched as a bag
  and extra ones are tolerated.

A case chooses with `"dialect"`; without it, a case with the corpus's `provenance`
field is `aws-recorded` and any other is `exact`.
"""

import itertools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExecutionResult, ExpressRunner
from statum.core.engine.handlers import HandlerRegistry
from statum.projections.history import flatten, project_history

EXACT = "exact"
AWS_RECORDED = "aws-recorded"
DIALECTS = (EXACT, AWS_RECORDED)

_GENERIC_MASKS = ("date", "timestamp")
_RECORDER_MASK = r"<[A-Za-z_:\-0-9]+>"
_MASKED_NAME = "<ArnPart_0idx>"


def _ids() -> Callable[[], str]:
    """Execution names and ids that are the same on every run of a case (UUID-shaped,
    as AWS's are), so an exact case can expect the ARNs and `$$.Execution` values."""
    count = itertools.count(1)
    return lambda: str(uuid.uuid5(uuid.NAMESPACE_URL, f"statum:golden:{next(count)}"))


def case_dialect(case: dict[str, Any]) -> str:
    """The dialect a case is compared in (see the module doc)."""
    dialect = case.get("dialect")
    if isinstance(dialect, str):
        return dialect
    return AWS_RECORDED if "provenance" in case else EXACT


def json_text(value: Any, limit: int = 300) -> str:
    """A value as compact JSON for a problem message (never a Python repr)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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

    def __init__(self, placeholders: list[str], dialect: str = EXACT) -> None:
        if dialect not in DIALECTS:
            raise ValueError(
                f"unknown dialect {json_text(dialect)}; use one of "
                + ", ".join(DIALECTS)
            )
        tokens = sorted({p for p in placeholders if p}, key=len, reverse=True)
        self._tokens = tokens
        self.recorded = dialect == AWS_RECORDED
        self._masks = [re.escape(t) for t in tokens]
        if self.recorded:
            self._masks.append(_RECORDER_MASK)
        self._regex_cache: dict[str, re.Pattern[str] | None] = {}

    def _pattern(self, expected: str) -> re.Pattern[str] | None:
        if expected in self._regex_cache:
            return self._regex_cache[expected]
        pattern: re.Pattern[str] | None = None
        if any(t in expected for t in self._tokens) or (
            self.recorded and re.search(_RECORDER_MASK, expected)
        ):
            parts = re.split("(" + "|".join(self._masks) + ")", expected)
            regex = "".join(
                ".*?" if (i % 2 == 1) else re.escape(part)
                for i, part in enumerate(parts)
            )
            pattern = re.compile(regex, re.DOTALL)
        self._regex_cache[expected] = pattern
        return pattern

    def equal(self, expected: Any, actual: Any) -> bool:
        if isinstance(expected, str):
            if expected in self._tokens or (
                self.recorded and expected in _GENERIC_MASKS
            ):
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
        if (
            self.recorded
            and isinstance(expected, dict | list)
            and isinstance(actual, str)
        ):
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
    normalised = matcher.recorded and any(
        isinstance(e.get("id"), list) for e in expected
    )
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
        if key == "assignedVariables" and isinstance(value, dict) and matcher.recorded:
            # The recorder decoded the JSON texts AWS gives as variable values.
            actual_vars = got.get(key)
            if not isinstance(actual_vars, dict) or actual_vars.keys() != value.keys():
                return (
                    f"event {want.get('id')}: {key} is {json_text(actual_vars)}, "
                    f"expected {json_text(value)}"
                )
            for name, text in value.items():
                got_text = actual_vars[name]
                if isinstance(text, str) and matcher.equal(text, got_text):
                    continue
                if not matcher.equal(text, json.loads(got_text)):
                    return (
                        f"event {want.get('id')}: variable {name} is "
                        f"{json_text(got_text)}, expected {json_text(text)}"
                    )
            continue
        if key not in got:
            return f"event {want.get('id')} ({want.get('type')}): missing {key}"
        if not matcher.equal(value, got[key]):
            return (
                f"event {want.get('id')} ({want.get('type')}): {key} is "
                f"{json_text(got[key])}, expected {json_text(value)}"
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
            return [f"no event matches {json_text(want)}"]
    return []


def execute_case(
    case: dict[str, Any],
    load_program: Callable[[Any], Any],
    handlers: HandlerRegistry | None = None,
    clock: VirtualClock | None = None,
) -> ExecutionResult:
    """Run a case's execution as `run_case` does, without comparing; raises on a
    definition that does not load.

    `child_state_machines` (ARN -> {"definition": ...}) become the state machines
    that StartExecution tasks can start, by the name in their ARN; in a recorded
    case with exactly one, it also answers to the recorder's mask for a state
    machine name.
    """
    program = load_program(case["definition"])
    children = {
        arn.rsplit(":stateMachine:", 1)[-1]: load_program(spec["definition"])
        for arn, spec in (case.get("child_state_machines") or {}).items()
    }
    if len(children) == 1 and case_dialect(case) == AWS_RECORDED:
        children[_MASKED_NAME] = next(iter(children.values()))
    runner = ExpressRunner(
        handlers=handlers or HandlerRegistry(),
        clock=clock or VirtualClock(),
        new_id=_ids(),
        state_machines=children,
        state_machine_name="statemachine",
        execution_type=str(case.get("state_machine_type", "STANDARD")),
        # One task at a time, in the order they were scheduled: a golden case's
        # history must not depend on which thread finished first.
        max_running=1,
        new_seed=lambda: "golden",
    )
    return runner.run(program, case.get("input", {}), name=case.get("name"))


def run_case(
    case: dict[str, Any],
    load_program: Callable[[Any], Any],
    handlers: HandlerRegistry | None = None,
    clock: VirtualClock | None = None,
    dialect: str | None = None,
) -> CaseOutcome:
    """Run one case and compare; never raises for a failing case.

    `dialect` overrides the case's own (`case_dialect`).
    """
    expected = case.get("expected", {})
    case_id = str(case.get("id", "?"))
    try:
        matcher = Matcher(
            list(case.get("placeholders", [])), dialect or case_dialect(case)
        )
        result = execute_case(case, load_program, handlers, clock)
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


def expected_of(result: ExecutionResult) -> dict[str, Any]:
    """What a case expects of an execution that ends as `result` did: the
    `expected` object `statum test --record` writes."""
    expected: dict[str, Any] = {"status": result.status}
    if result.status == "SUCCEEDED":
        expected["output"] = result.output
    else:
        # Both keys, null where a Fail state gives none, so a later run that
        # gains an error or a cause no longer matches.
        expected["error"] = result.error
        expected["cause"] = result.cause
    expected["events"] = flatten(project_history(result.journal))
    return expected


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
                f"output {json_text(result.output)}, "
                f"expected {json_text(expected['output'])}"
            )
    else:
        problems.extend(
            f"{key} {json_text(getattr(result, key))}, expected {json_text(expected[key])}"
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
