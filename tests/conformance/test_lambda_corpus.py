"""Every AWS-recorded case of the lambda corpus, run through the Express engine.

The Lambda functions the cases call are emulated (lambda_emulation.py), on the
runner's virtual clock. Two recorder conventions are undone before comparing, both
facts of the recordings:

* The recorder stored error causes that are JSON documents as decoded objects.
  They are turned back into the text AWS records: the Python runtime's
  `json.dumps` text for a direct function-ARN task (LambdaFunctionFailed), compact
  JSON for `lambda:invoke` (TaskFailed) - the Cause strings the same recordings
  keep inside state outputs show both forms.
* A masked header (`x-amzn-RequestId`) is missing from a case's `placeholders`.

Every case must match status, output or error and cause, and its history, unless
one of the tables below says why not. `summary()` gives the figures for the
terminal summary.
"""

import copy
import json
from typing import Any

import pytest

from statum.core.engine.clock import VirtualClock
from statum.core.engine.golden import CaseOutcome, run_case
from statum.core.engine.loading import load_program
from tests.conformance.corpus import load_cases
from tests.conformance.lambda_emulation import MASKED_HEADER_KEYS, LambdaEmulator

CASES = load_cases("lambda")
RESULTS: dict[str, tuple[dict[str, Any], CaseOutcome]] = {}

_MAP_RUN_CHAIN = (
    "history: recorded before November 2024, when AWS chained MapStateExited to "
    "MapRunSucceeded; today's AWS (and Statum) chains it to MapRunStarted"
)
_NO_REDRIVE_COUNT = (
    "history: recorded 2023-10-24, before AWS added Execution.RedriveCount to the "
    "context object; the Lambda input built from $$ lacks it"
)

# Cases that need an engine change (strict xfail): case id -> the change.
NEEDS_ENGINE: dict[str, str] = {}

# Cases whose status and output match but whose history cannot: case id -> why.
HISTORY_UNMATCHED: dict[str, str] = {
    "scenarios/test_base_scenarios.py::TestBaseScenarios::test_map_state_config_distributed_reentrant_lambda": _MAP_RUN_CHAIN,
    "scenarios/test_base_scenarios.py::TestBaseScenarios::test_lambda_invoke_with_retry_extended_input": _NO_REDRIVE_COUNT,
    "scenarios/test_base_scenarios.py::TestBaseScenarios::test_lambda_service_invoke_with_retry_extended_input": _NO_REDRIVE_COUNT,
}

_FAILED_EVENTS = {"LambdaFunctionFailed": True, "TaskFailed": False}


def _cause_text(cause: Any, python_runtime: bool) -> str:
    if python_runtime:
        return json.dumps(cause)
    return json.dumps(cause, separators=(",", ":"), ensure_ascii=False)


def prepare(case: dict[str, Any]) -> dict[str, Any]:
    """The case with the recorder's conventions undone (see the module doc)."""
    case = copy.deepcopy(case)
    expected = case["expected"]
    python_runtime = False
    for event in expected.get("events", []):
        if event["type"] in _FAILED_EVENTS:
            python_runtime = _FAILED_EVENTS[event["type"]]
        if isinstance(event.get("cause"), dict | list):
            event["cause"] = _cause_text(event["cause"], python_runtime)
    if isinstance(expected.get("cause"), dict | list):
        expected["cause"] = _cause_text(expected["cause"], python_runtime)
    text = json.dumps(expected)
    placeholders = list(case.get("placeholders", []))
    placeholders.extend(
        key for key in MASKED_HEADER_KEYS if f'"{key}": "{key}"' in text
    )
    case["placeholders"] = placeholders
    return case


def run(case: dict[str, Any]) -> CaseOutcome:
    """Run one case with its Lambda functions emulated on the runner's clock."""
    clock = VirtualClock()
    emulator = LambdaEmulator.for_case(case, clock)
    return run_case(
        prepare(case), load_program, handlers=emulator.registry(), clock=clock
    )


def _param(case: dict[str, Any]) -> Any:
    marks = []
    if case["id"] in NEEDS_ENGINE:
        reason = f"needs engine change: {NEEDS_ENGINE[case['id']]}"
        marks.append(pytest.mark.xfail(reason=reason, strict=True))
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.skipif(
    not CASES, reason="the shared conformance corpus is not beside the repo"
)
@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    outcome = run(case)
    RESULTS[case["id"]] = (case, outcome)
    assert outcome.passed, outcome.problems
    if not outcome.history_checked:
        return
    if case["id"] in HISTORY_UNMATCHED:
        assert not outcome.history_passed, "history matches now: update the table"
        pytest.xfail(HISTORY_UNMATCHED[case["id"]])
    assert outcome.history_passed, outcome.problems


def test_tables_name_real_cases() -> None:
    known = {c["id"] for c in CASES}
    if known:
        assert set(NEEDS_ENGINE) <= known
        assert set(HISTORY_UNMATCHED) <= known


def summary() -> list[str]:
    """The figures of this run, for the terminal summary."""
    if not RESULTS:
        return []
    ran = list(RESULTS.values())
    passed = sum(o.passed for _, o in ran)
    hist = [(c, o) for c, o in ran if o.history_checked]
    hist_ok = sum(o.history_passed for _, o in hist)
    lines = [
        f"lambda cases run {len(ran)}: status+output {passed}/{len(ran)} "
        f"({100.0 * passed / len(ran):.1f}%), history {hist_ok}/{len(hist)} "
        f"({100.0 * hist_ok / max(len(hist), 1):.1f}%)"
    ]
    reasons: dict[str, list[str]] = {}
    for case, outcome in ran:
        if outcome.passed and (outcome.history_passed or not outcome.history_checked):
            continue
        reason = NEEDS_ENGINE.get(case["id"]) or HISTORY_UNMATCHED.get(
            case["id"], "unexplained: " + "; ".join(outcome.problems)[:200]
        )
        if case["id"] in NEEDS_ENGINE:
            reason = f"needs engine change: {reason}"
        reasons.setdefault(reason, []).append(case["id"])
    for reason, ids in reasons.items():
        lines.append(f"  {len(ids)} not matched - {reason}")
        lines.extend(f"      {case_id}" for case_id in ids)
    return lines
