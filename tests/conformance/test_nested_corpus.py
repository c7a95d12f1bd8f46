"""StartExecution cases recorded on AWS (`sfn_nested`): child executions in-process.

Status must match for every case. Output (or error and cause) must match except
where AWS's answer carries API response metadata that a self-hosted engine has no
reason to invent (listed with the reason in statum.adapters.cli.known); the
same goes for histories, whose TaskSubmitted event carries that metadata.
"""

from typing import Any

import pytest

from statum.adapters.cli.known import of_kind
from statum.core.engine.clock import VirtualClock
from statum.core.engine.golden import run_case
from statum.core.engine.lambda_emulation import LambdaEmulator
from statum.core.engine.loading import load_program
from tests.conformance.corpus import load_cases

CASES = load_cases("sfn_nested")

OUTPUT_DIFFERENCES = of_kind("output", "sfn_nested")
HISTORY_DIFFERENCES = of_kind("history", "sfn_nested")


@pytest.mark.skipif(
    not CASES, reason="the shared conformance corpus is not beside the repo"
)
@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    clock = VirtualClock()
    # The child state machines' Lambda functions are emulated too.
    registry = LambdaEmulator.for_case(case, clock).registry()
    outcome = run_case(case, load_program, handlers=registry, clock=clock)
    assert outcome.actual["status"] == case["expected"]["status"], outcome.problems
    if case["id"] in OUTPUT_DIFFERENCES:
        assert not outcome.passed, "the output matches now: update the table"
        return
    assert outcome.passed, outcome.problems
    if case["id"] in HISTORY_DIFFERENCES:
        assert not outcome.history_passed, "the history matches now: update the list"
        return
    assert outcome.history_passed, outcome.problems


def test_difference_table_names_real_cases() -> None:
    if CASES:
        known = {c["id"] for c in CASES}
        assert set(OUTPUT_DIFFERENCES) <= known
        assert set(HISTORY_DIFFERENCES) <= known
