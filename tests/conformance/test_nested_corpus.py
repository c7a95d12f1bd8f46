"""StartExecution cases recorded on AWS (`sfn_nested`): child executions in-process.

Status must match for every case. Output (or error and cause) must match except
where AWS's answer carries API response metadata that a self-hosted engine has no
reason to invent (listed below with the reason). Histories are not compared: AWS's
TaskSubmitted event carries the same HTTP metadata.
"""

from typing import Any

import pytest

from statum.core.engine.clock import VirtualClock
from statum.core.engine.golden import run_case
from statum.core.engine.loading import load_program
from tests.conformance.corpus import load_cases
from tests.conformance.lambda_emulation import LambdaEmulator

CASES = load_cases("sfn_nested")

_HTTP_METADATA = (
    "AWS's answer includes SdkHttpMetadata/SdkResponseMetadata (HTTP headers of its "
    "own API call), which Statum does not fabricate"
)
_MOCKED_REDRIVE = (
    "recorded against a mocked service whose answer adds RedriveCount/RedriveStatus "
    "fields that AWS's own recordings of the same call do not have"
)
OUTPUT_DIFFERENCES: dict[str, str] = {
    "services/test_sfn_task_service.py::TestTaskServiceSfn::test_start_execution_input_json": _HTTP_METADATA,
    "local_mocking/test_base_callbacks.py::TestBaseScenarios::test_sfn_start_execution_sync[SFN_SYNC]": _MOCKED_REDRIVE,
    "local_mocking/test_base_callbacks.py::TestBaseScenarios::test_sfn_start_execution_sync[SFN_SYNC2]": _MOCKED_REDRIVE,
}

# Child state machines in this corpus call one Lambda function; emulate it.
_CHILD_FUNCTIONS = {
    "corpus-wait_60_seconds-0": {
        "handler_file": "templates/timeouts/lambdafunctions/wait_60_seconds.py"
    }
}


@pytest.mark.skipif(
    not CASES, reason="the shared conformance corpus is not beside the repo"
)
@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    clock = VirtualClock()
    emulated = {**case, "lambda_functions": _CHILD_FUNCTIONS}
    registry = LambdaEmulator.for_case(emulated, clock).registry()
    outcome = run_case(case, load_program, handlers=registry, clock=clock)
    assert outcome.actual["status"] == case["expected"]["status"], outcome.problems
    if case["id"] in OUTPUT_DIFFERENCES:
        assert not outcome.passed, "the output matches now: update the table"
        return
    assert outcome.passed, outcome.problems


def test_difference_table_names_real_cases() -> None:
    if CASES:
        assert set(OUTPUT_DIFFERENCES) <= {c["id"] for c in CASES}
