"""How the CLI prints results."""

import sys
from typing import Any, TextIO

import msgspec
from statum.core.engine.express import ExecutionResult
from statum.core.engine.golden import CaseOutcome


def print_json(value: Any) -> None:
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value), indent=2).decode())
    sys.stdout.write("\n")


def print_result(
    result: ExecutionResult, history: list[dict[str, Any]], *, as_json: bool
) -> None:
    if as_json:
        print_json(
            {
                "status": result.status,
                "output": result.output,
                "error": result.error,
                "cause": result.cause,
                "history": history,
            }
        )
        return
    print(f"status: {result.status}")
    if result.status == "SUCCEEDED":
        print("output: " + msgspec.json.encode(result.output).decode())
    else:
        print(f"error:  {result.error}")
        print(f"cause:  {result.cause}")
    print(
        f"events: {len(history)} history events, {len(result.journal)} journal events"
    )


def print_test_table(
    outcomes: list[CaseOutcome], *, quiet: bool, stream: TextIO
) -> None:
    width = min(max((len(o.id) for o in outcomes), default=10), 100)
    for outcome in outcomes:
        if quiet and outcome.passed:
            continue
        history = (
            "-"
            if not outcome.history_checked
            else ("ok" if outcome.history_passed else "DIFF")
        )
        mark = "PASS" if outcome.passed else "FAIL"
        print(f"{mark}  history:{history:<4}  {outcome.id[:width]}", file=stream)
        if not outcome.passed:
            for problem in outcome.problems[:3]:
                print(f"      {problem[:300]}", file=stream)
    passed = sum(o.passed for o in outcomes)
    checked = [o for o in outcomes if o.history_checked]
    matched = sum(o.history_passed for o in checked)
    print(
        f"{passed} passed, {len(outcomes) - passed} failed; "
        f"history matched {matched}/{len(checked)}",
        file=stream,
    )
