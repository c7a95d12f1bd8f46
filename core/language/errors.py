"""ASL error names, and the one exception that carries them through evaluation.

Evaluation code raises `StatesError`; the interpreter turns it into a failure event
at the state boundary, so a workflow failure is data by the time it is recorded.
"""


class StatesError(Exception):
    """An ASL runtime error: `error` is the ASL name, `cause` AWS's text.

    `location` names the field an evaluation failure is about when the cause does
    not say "specified for the field '...'" itself.
    """

    def __init__(self, error: str, cause: str, location: str | None = None) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause
        self.location = location


# AWS's limits on what a failure carries (an execution's or a task's error and
# cause); longer ones are cut to these lengths.
MAX_ERROR_CHARS = 256
MAX_CAUSE_CHARS = 32_768


def capped(error: str | None, cause: str | None) -> tuple[str | None, str | None]:
    """`error` and `cause` cut to AWS's lengths."""
    if error is not None and len(error) > MAX_ERROR_CHARS:
        error = error[:MAX_ERROR_CHARS]
    if cause is not None and len(cause) > MAX_CAUSE_CHARS:
        cause = cause[:MAX_CAUSE_CHARS]
    return error, cause


ALL = "States.ALL"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
TIMEOUT = "States.Timeout"
TASK_FAILED = "States.TaskFailed"
PERMISSIONS = "States.Permissions"
RUNTIME = "States.Runtime"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
BRANCH_FAILED = "States.BranchFailed"
EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
ITEM_READER_FAILED = "States.ItemReaderFailed"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"


class LanguageSyntaxError(ValueError):
    """A path, intrinsic call or expression that cannot be compiled.

    Raised while a definition is loaded, never while it runs: the validator turns it
    into a problem with a location.
    """
