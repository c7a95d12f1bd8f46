"""The validator against every verdict in the shared conformance corpus.

* localstack_aws: AWS's own verdicts (CreateStateMachine and
  ValidateStateMachineDefinition). Every verdict must match; where the recorded
  message is AWS's (not `suspect`), our problem must carry AWS's code, wording and
  location.
* asl-validator, statelint: community linters. Their verdicts must match except where
  AWS behaves otherwise; each such case is listed in LINTER_DIFFERENCES with the reason
  (docs/validation-differences.md explains them at length).
* every definition of an execution recorded on real AWS must be valid.
"""

import re
from typing import Any

import pytest

from statum.core.definition.problems import UNSUPPORTED_FIELD, Problem, format_problem
from statum.core.definition.validation import (
    validate_definition,
    validate_definition_text,
)
from tests.definition.cases import (
    execution_definitions,
    resolve_placeholders,
    validation_cases,
)

AWS_CASES = validation_cases("localstack_aws")
LINTER_CASES = validation_cases("asl-validator") + validation_cases("statelint")
EXECUTIONS = execution_definitions()

# Case id -> why Statum's verdict differs from the linter's on purpose.
LINTER_DIFFERENCES: dict[str, str] = {
    "asl-validator/valid-assign.asl.json": (
        "'top-level' is not a variable name: AWS requires Unicode identifiers "
        "(ID_Start, then ID_Continue characters), so $top-level could never be read"
    ),
    "asl-validator/invalid-json-surround-syntax-extra-spaces.json": (
        "whitespace (a newline too) between '{%' and '%}' is part of the JSONata text; "
        "AWS only requires the string to start with '{%' and end with '%}'"
    ),
    "asl-validator/invalid-jsonata-surround-syntax-no-spaces.json": (
        "'{%10%}' starts with '{%' and ends with '%}'; spaces inside are optional"
    ),
    "asl-validator/invalid-math-add.json": (
        "intrinsic argument types are checked when the call runs "
        "(States.IntrinsicFailure); names and argument counts are checked on load"
    ),
    "asl-validator/valid-cfn-definition-substitutions.json": (
        "an unsubstituted CloudFormation '${...}' is not a resource; AWS refuses it too"
    ),
    "asl-validator/valid-current-value-predicate.json": (
        "an unquoted word as a filter operand is not JSONPath; Jayway (AWS's path "
        "engine) refuses it"
    ),
    "asl-validator/valid-map-with-item-batcher-jsonata.json": (
        "a JSONata machine cannot hold a JSONPath state; AWS reports \"'QueryLanguage' "
        "can not be 'JSONPath' if set to 'JSONata' for whole state machine\""
    ),
    "asl-validator/valid-path-array-context.json": (
        "script expressions ('[(@.length-1)]') are not supported by Jayway, so not "
        "by AWS"
    ),
    "asl-validator/valid-task-credentials.json": (
        "AWS requires Credentials.RoleArn (\"The field 'RoleArn' is required but was "
        'missing", recorded in localstack_aws)'
    ),
    "asl-validator/valid-task-intrisic-function.json": (
        "CloudFormation intrinsics (Fn::GetAtt, Ref) must be resolved before the "
        "definition is used: AWS requires Resource to be a string"
    ),
    "statelint/task-with-credentials.json": (
        "field names are case-sensitive: AWS requires 'RoleArn', not 'roleArn'"
    ),
}

# The linters' wording -> the words our message uses for the same problem.
FRAGMENT_MEANINGS = {
    "allowed minimum is 1": "Minimum value is 1",
    "allowed floor is 0": "Minimum value is",
    "non-empty required": "at least one",
    'not one of the allowed values ["FULL", "NONE"]': (
        "Value should be one of the following: [FULL, NONE]"
    ),
    "not a JSONPath or intrinsic function expression": (
        "must be a valid JSONPath or a valid intrinsic function call"
    ),
}


def problems_of(case: dict[str, Any]) -> list[Problem]:
    """The problems AWS and the linters judge: whether the ASL is valid.

    UNSUPPORTED_FIELD problems are Statum's own further refusal of valid ASL that
    this engine cannot run (Credentials, MANIFEST readers); they are tested in
    tests/definition/test_rules_unsupported.py, not against these verdicts.
    """
    machine_type = case.get("state_machine_type", "STANDARD")
    if "definition" in case:
        found = validate_definition(
            resolve_placeholders(case), state_machine_type=machine_type
        )
    else:
        found = validate_definition_text(
            case["definition_text"], state_machine_type=machine_type
        )
    return [p for p in found if p.code != UNSUPPORTED_FIELD]


def ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["id"] for case in cases]


def show(problems: list[Problem]) -> str:
    return "\n".join(format_problem(p) for p in problems) or "(no problems)"


# -- (a) AWS's verdicts ---------------------------------------------------------------


@pytest.mark.parametrize("case", AWS_CASES, ids=ids(AWS_CASES))
def test_aws_verdict(case: dict[str, Any]) -> None:
    problems = problems_of(case)
    assert (not problems) == case["valid"], show(problems)


_CREATE_MESSAGE = re.compile(r"'([A-Z_]+): (.*?)\s* at (/[^']*)'$")


def aws_diagnostics(case: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(code, message, location) AWS reported, where its text is trustworthy."""
    if case.get("suspect"):
        return []
    if "expected_diagnostics" in case:
        return [
            (d["code"], d["message"].strip(), d.get("location"))
            for d in case["expected_diagnostics"]
        ]
    message = (case.get("expected_error") or {}).get("message") or ""
    match = _CREATE_MESSAGE.search(message)
    return [match.groups()] if match else []  # type: ignore[list-item]


WORDED = [case for case in AWS_CASES if aws_diagnostics(case)]


@pytest.mark.parametrize("case", WORDED, ids=ids(WORDED))
def test_aws_wording(case: dict[str, Any]) -> None:
    problems = problems_of(case)
    for code, message, location in aws_diagnostics(case):
        if code == "INVALID_JSON_DESCRIPTION":
            # The detail is Jackson's parser message; only the code is comparable.
            assert any(p.code == code for p in problems), show(problems)
            continue
        where = "" if location in (None, "/") else location
        assert any(
            p.code == code and message in p.message and p.location.startswith(where)
            for p in problems
        ), f"AWS: {code}: {message} at {location}\nours:\n{show(problems)}"


# -- (b) the linters' verdicts --------------------------------------------------------


@pytest.mark.parametrize("case", LINTER_CASES, ids=ids(LINTER_CASES))
def test_linter_verdict(case: dict[str, Any]) -> None:
    problems = problems_of(case)
    if case["id"] in LINTER_DIFFERENCES:
        # A listed difference that stops being one must leave the table.
        assert (not problems) != case["valid"], LINTER_DIFFERENCES[case["id"]]
    else:
        assert (not problems) == case["valid"], show(problems)


def test_linter_differences_are_real_cases() -> None:
    assert set(LINTER_DIFFERENCES) <= set(ids(LINTER_CASES))


def fragment_found(fragment: str, problems: list[Problem]) -> bool:
    located = re.match(r"(/.*?) is invalid\.", fragment)
    if located:
        where = located.group(1).replace("~", "~0")
        return any(p.location.startswith(where) for p in problems)
    only_one = re.match(r"may have only one of \[(.*)\]", fragment)
    if only_one:
        words = "Only one of " + only_one.group(1).replace('"', "'")
    else:
        words = FRAGMENT_MEANINGS.get(fragment, fragment.replace('"', "'"))
    return any(words in f"{p.location} {p.message}" for p in problems)


FRAGMENTED = [
    case
    for case in LINTER_CASES
    if case.get("expected_error_fragments") and case["id"] not in LINTER_DIFFERENCES
]


@pytest.mark.parametrize("case", FRAGMENTED, ids=ids(FRAGMENTED))
def test_linter_fragments(case: dict[str, Any]) -> None:
    problems = problems_of(case)
    for fragment in case["expected_error_fragments"]:
        assert fragment_found(fragment, problems), f"{fragment!r}\n{show(problems)}"


COUNTED = [
    case
    for case in LINTER_CASES
    if case.get("expected_problem_count") is not None
    and case["id"] not in LINTER_DIFFERENCES
]


@pytest.mark.parametrize("case", COUNTED, ids=ids(COUNTED))
def test_linter_problem_count(case: dict[str, Any]) -> None:
    problems = problems_of(case)
    assert len(problems) == case["expected_problem_count"], show(problems)


# -- (c) what really ran on AWS is valid ----------------------------------------------


@pytest.mark.parametrize(
    "definition", [d for _, d in EXECUTIONS], ids=[i for i, _ in EXECUTIONS]
)
def test_executed_definition_is_valid(definition: Any) -> None:
    problems = validate_definition(definition)
    assert not problems, show(problems)


def test_corpus_is_present() -> None:
    if not (AWS_CASES and LINTER_CASES and EXECUTIONS):
        pytest.skip("the shared conformance corpus is not available")
    assert len(AWS_CASES) >= 100
    assert len(EXECUTIONS) >= 700
