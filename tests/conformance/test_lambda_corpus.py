"""Every AWS-recorded case of the lambda corpus, run through the Express engine.

The Lambda functions the cases call are emulated (statum.core.engine.lambda_emulation,
which `statum test` uses too), on the runner's virtual clock, and two recorder
conventions are undone before comparing (`prepare_case`).

Every case must match status, output or error and cause, and its history, unless
the known-differences list (statum.adapters.cli.known) says why not. `summary()` gives the figures for the
terminal summary.
"""

from typing import Any

import pytest

from statum.adapters.cli.known import of_kind
from statum.core.engine.clock import VirtualClock
from statum.core.engine.golden import CaseOutcome, run_case
from statum.core.engine.lambda_emulation import LambdaEmulator, prepare_case
from statum.core.engine.loading import load_program
from tests.conformance.corpus import load_cases

CASES = load_cases("lambda")
RESULTS: dict[str, tuple[dict[str, Any], CaseOutcome]] = {}

# Cases that need an engine change (strict xfail): case id -> the change.
NEEDS_ENGINE = of_kind("engine", "lambda")

# Cases whose status and output match but whose history cannot: case id -> why.
HISTORY_UNMATCHED = of_kind("history", "lambda")


def run(case: dict[str, Any]) -> CaseOutcome:
    """Run one case with its Lambda functions emulated on the runner's clock."""
    clock = VirtualClock()
    emulator = LambdaEmulator.for_case(case, clock)
    return run_case(
        prepare_case(case), load_program, handlers=emulator.registry(), clock=clock
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
