"""AWS-recorded cases that are JSONPath Pass chains, run with paths + templates only.

A case qualifies when every state is a JSONPath `Pass` using only InputPath,
Parameters, Result, ResultPath and OutputPath. The chain is run here with the
language modules alone (no interpreter), so a failure points at paths, templates,
intrinsics or JSON rendering. Values the recorder masked (`placeholders`) match
anything; causes are compared without the "An error occurred while executing the
state ..." prefix that the interpreter adds.
"""

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import RUNTIME, StatesError
from statum.core.language.jsontext import to_json_text
from statum.core.language.paths import (
    PathNotFound,
    compile_path,
    compile_reference_path,
)
from statum.core.language.scope import Scope
from statum.core.language.templates import compile_template

_SHARED = Path(
    os.environ.get("STATUM_SHARED", Path(__file__).resolve().parents[3] / "shared")
)
_CORPUS = _SHARED / "conformance" / "localstack"
_PASS_FIELDS = {
    "Type", "Parameters", "InputPath", "ResultPath", "OutputPath", "Result",
    "Next", "End", "Comment", "QueryLanguage",
}  # fmt: skip
_TOP_FIELDS = {
    "StartAt",
    "States",
    "Comment",
    "QueryLanguage",
    "TimeoutSeconds",
    "Version",
}
_PREFIX = re.compile(
    r"^An error occurred while executing the state '[^']*' "
    r"\(entered at the event id #\d+\)\. "
)
# An interpreter rule, not a language one, simulated so the one case that needs it
# can be compared: a state's output is limited to 256 KiB.
_MAX_PAYLOAD = 262_144


def _qualifies(case: dict[str, Any]) -> bool:
    definition = case["definition"]
    if definition.get("QueryLanguage", "JSONPath") != "JSONPath":
        return False
    if not set(definition) <= _TOP_FIELDS:
        return False
    return all(
        state.get("Type") == "Pass"
        and set(state) <= _PASS_FIELDS
        and state.get("QueryLanguage", "JSONPath") == "JSONPath"
        for state in definition["States"].values()
    )


def _cases() -> list[dict[str, Any]]:
    cases = []
    for category in ("pure", "lambda", "sfn_nested"):
        for file in sorted((_CORPUS / category).glob("*.json")):
            case = json.loads(file.read_text())
            if _qualifies(case):
                cases.append(case)
    return cases


CASES = _cases() if _CORPUS.is_dir() else []


def _context(case: dict[str, Any], state_name: str) -> dict[str, Any]:
    execution: dict[str, Any] = {
        "Id": "arn:aws:states:us-east-1:111111111111:execution:machine-name:run-name",
        "Input": case["input"],
        "StartTime": "2026-01-01T00:00:00.000Z",
        "Name": "run-name",
        "RoleArn": "arn:aws:iam::111111111111:role/role",
    }
    if "StartSyncExecution" not in case["tags"]:
        # Only synchronous Express executions lack a redrive count.
        execution["RedriveCount"] = 0
    return {
        "Execution": execution,
        "StateMachine": {
            "Id": "arn:aws:states:us-east-1:111111111111:stateMachine:machine-name",
            "Name": "machine-name",
        },
        "State": {"Name": state_name, "EnteredTime": "2026-01-01T00:00:00.000Z"},
    }


def run_chain(case: dict[str, Any]) -> tuple[str, Any, str | None, str | None]:
    """Run the Pass chain: (status, output, error, cause)."""
    definition, value = case["definition"], case["input"]
    name: str | None = definition["StartAt"]
    while name is not None:
        state = definition["States"][name]

        def scope_of(data: Any, state_name: str = name) -> Scope:
            return Scope(data, _context(case, state_name), {}, Entropy(case["id"]))

        try:
            effective = value
            if "InputPath" in state:
                path = state["InputPath"]
                effective = {} if path is None else _select(path, scope_of(value))
            if "Parameters" in state:
                effective = compile_template(state["Parameters"]).evaluate(
                    scope_of(effective), "Parameters"
                )
            result = state.get("Result", effective)
            if "ResultPath" in state:
                path = state["ResultPath"]
                output = (
                    value
                    if path is None
                    else compile_reference_path(path).assign(value, result)
                )
            else:
                output = result
            if "OutputPath" in state:
                path = state["OutputPath"]
                output = {} if path is None else _select(path, scope_of(output))
            if len(to_json_text(output).encode()) > _MAX_PAYLOAD:
                raise StatesError(
                    "States.DataLimitExceeded",
                    f"The state/task '{name}' returned a result with a size exceeding "
                    "the maximum number of bytes service limit.",
                )
        except StatesError as error:
            return "FAILED", None, error.error, error.cause
        value = output
        name = None if state.get("End") else state.get("Next")
    return "SUCCEEDED", value, None, None


def _select(text: str, scope: Scope) -> Any:
    try:
        return compile_path(text).evaluate(scope)
    except PathNotFound as missing:
        raise StatesError(RUNTIME, missing.invalid_path_cause()) from None


def _matches(expected: Any, actual: Any, masks: list[str]) -> bool:
    if isinstance(expected, str) and any(mask in expected for mask in masks):
        return True
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(_matches(v, actual[k], masks) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(
                _matches(e, a, masks) for e, a in zip(expected, actual, strict=True)
            )
        )
    return type(expected) is type(actual) and expected == actual


def _cause_matches(expected: str, actual: str, masks: list[str]) -> bool:
    pattern = re.escape(_PREFIX.sub("", expected))
    for mask in masks:
        pattern = pattern.replace(re.escape(mask), ".*")
    return re.fullmatch(pattern, actual, re.DOTALL) is not None


def check(case: dict[str, Any]) -> list[str]:
    """The differences between the recorded outcome and ours (empty: a pass)."""
    expected = case["expected"]
    # The recorder's masks, plus two that the original tests applied themselves.
    masks = [*case.get("placeholders", []), "RandomNumberGenerated", "generated-uuid"]
    status, output, error, cause = run_chain(case)
    problems = []
    if status != expected["status"]:
        problems.append(
            f"status {status} ({error}: {cause}), expected {expected['status']}"
        )
    elif status == "SUCCEEDED" and not _matches(expected.get("output"), output, masks):
        problems.append(f"output {output!r}, expected {expected.get('output')!r}")
    elif status == "FAILED":
        if error != expected.get("error"):
            problems.append(f"error {error}, expected {expected.get('error')}")
        if not _cause_matches(expected.get("cause") or "", cause or "", masks):
            problems.append(f"cause {cause!r}, expected {expected.get('cause')!r}")
    return problems


@pytest.mark.skipif(
    not CASES, reason="the shared conformance corpus is not beside the repo"
)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_pass_chain_case(case: dict[str, Any]) -> None:
    assert check(case) == []


def main() -> None:  # pragma: no cover - run by hand for the figures
    failed = [(c["id"], p) for c in CASES if (p := check(c))]
    print(f"{len(CASES) - len(failed)}/{len(CASES)} JSONPath Pass-chain cases pass")
    for case_id, problems in failed:
        print(case_id, problems)


if __name__ == "__main__":  # pragma: no cover
    main()
