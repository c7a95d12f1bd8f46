"""Every AWS-recorded case of the pure corpus, run through the Express engine.

The bar figures (status+output rate over deterministic cases, history-match rate)
are printed at the end of the session by conftest.py; the per-case tests fail on
any mismatch unless the case is in skip.json with a reason.
"""

from collections.abc import Callable
from typing import Any

import pytest

from statum.core.engine.golden import CaseOutcome, run_case
from statum.core.engine.loading import load_program
from tests.conformance.corpus import history_known, is_jsonata, load_cases, skip_list

CASES = load_cases("pure")
SKIPS = skip_list()
HISTORY_KNOWN = history_known()
RESULTS: dict[str, tuple[dict[str, Any], CaseOutcome]] = {}


def _param(case: dict[str, Any]) -> Any:
    marks = []
    if case["id"] in SKIPS:
        marks.append(pytest.mark.skip(reason=SKIPS[case["id"]]))
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.skipif(
    not CASES, reason="the shared conformance corpus is not beside the repo"
)
@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    outcome = run_case(case, load_program)
    RESULTS[case["id"]] = (case, outcome)
    if case["nondeterministic"]:
        # Values such as UUIDs and start times differ run to run; the status must not.
        assert outcome.actual["status"] == case["expected"]["status"], outcome.problems
        return
    assert outcome.passed, outcome.problems
    if not outcome.history_checked:
        return
    if case["id"] in HISTORY_KNOWN:
        assert not outcome.history_passed, "the history matches now: update the table"
        return
    assert outcome.history_passed, outcome.problems


def test_known_history_table_names_real_cases() -> None:
    if CASES:
        assert set(HISTORY_KNOWN) <= {c["id"] for c in CASES}


def summary() -> list[str]:
    """The bar figures of this run, for the terminal summary."""
    lines = []
    groups: dict[str, Callable[[dict[str, Any]], bool]] = {
        "JSONPath": lambda c: not is_jsonata(c),
        "JSONata+Assign": is_jsonata,
        "all": lambda c: True,
    }
    det = [(c, o) for c, o in RESULTS.values() if not c["nondeterministic"]]
    for name, keep in groups.items():
        chosen = [(c, o) for c, o in det if keep(c)]
        if not chosen:
            continue
        passed = sum(o.passed for _, o in chosen)
        hist = [(c, o) for c, o in chosen if o.history_checked]
        hist_ok = sum(o.history_passed for _, o in hist)
        lines.append(
            f"conformance {name}: status+output {passed}/{len(chosen)} "
            f"({100.0 * passed / len(chosen):.1f}%), history {hist_ok}/{len(hist)} "
            f"({100.0 * hist_ok / max(len(hist), 1):.1f}%)"
        )
    return lines
