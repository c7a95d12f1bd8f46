"""What the validator reports: one `Problem` per thing wrong with a definition.

The codes are AWS's where AWS reports one (`SCHEMA_VALIDATION_FAILED`,
`MISSING_TRANSITION_TARGET`, `MISSING_END_STATE`, `DUPLICATE_STATE_NAME`,
`INVALID_JSON_DESCRIPTION`, ...), so a user who knows Step Functions recognises them and
tooling written against `ValidateStateMachineDefinition` keeps working.
"""

import msgspec

SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET"
MISSING_END_STATE = "MISSING_END_STATE"
DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME"
INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION"
INVALID_JSONATA_EXPRESSION = "INVALID_JSONATA_EXPRESSION"
# Statum's own: a field ASL defines that this engine does not run. Refused rather
# than ignored, so that nothing is accepted that would silently do nothing.
UNSUPPORTED_FIELD = "UNSUPPORTED_FIELD"


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with a definition.

    `location` is a JSON pointer (RFC 6901) into the definition; "" is the whole
    document. `message` is plain English and says what to change. `code` is a stable
    machine-readable category.
    """

    location: str
    message: str
    code: str


def format_problem(p: Problem) -> str:
    """One line in AWS's `CODE: message at /pointer` shape."""
    return f"{p.code}: {p.message} at {p.location or '/'}"
