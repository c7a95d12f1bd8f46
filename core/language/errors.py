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
