"""Task `Resource` strings.

Statum resource names are free-form (handlers, plugins), so an arbitrary string is
accepted. The AWS forms Statum also accepts are held to AWS's shapes: service
integrations (`arn:aws:states:::service:action[.sync|.sync:2|.waitForTaskToken]`),
activities and Lambda function ARNs. For the optimized integrations whose actions AWS
documents, an unknown action is refused, as AWS refuses `dynamodb:query` (that one is an
SDK integration: `arn:aws:states:::aws-sdk:dynamodb:query`).
"""

import re
from collections.abc import Mapping
from typing import Final

from statum.core.definition.validation.context import Ctx

_INTEGRATION: Final = re.compile(
    r"arn:[a-z-]+:states:::(?P<service>[a-z0-9-]+):(?P<action>[^.:\s][^\s]*?)"
    r"(?:\.(?P<suffix>sync|sync:2|waitForTaskToken))?"
)
_ACTIVITY: Final = re.compile(r"arn:[a-z-]+:states:[a-z0-9-]*:\d*:activity:[^\s:]+")
_LAMBDA_PREFIX: Final = re.compile(r"arn:[a-z-]+:lambda:")
_LAMBDA: Final = re.compile(
    r"arn:[a-z-]+:lambda:[a-z0-9-]*:\d*:function:[A-Za-z0-9_-]+(?::(?:\$LATEST|[A-Za-z0-9_-]+))?"
)
_SDK_ACTION: Final = re.compile(r"[a-z0-9-]+:[A-Za-z][A-Za-z0-9]*")

# The optimized integrations' actions, as AWS documents them. Services not listed here
# are not second-guessed.
_OPTIMIZED: Final[Mapping[str, frozenset[str]]] = {
    "lambda": frozenset({"invoke"}),
    "dynamodb": frozenset({"getItem", "putItem", "updateItem", "deleteItem"}),
    "sns": frozenset({"publish"}),
    "sqs": frozenset({"sendMessage"}),
    "states": frozenset({"startExecution"}),
    "events": frozenset({"putEvents"}),
    "batch": frozenset({"submitJob"}),
    "ecs": frozenset({"runTask"}),
    "glue": frozenset({"startJobRun"}),
    "databrew": frozenset({"startJobRun"}),
    "apigateway": frozenset({"invoke"}),
    "http": frozenset({"invoke"}),
}


def is_activity(resource: str) -> bool:
    if _ACTIVITY.fullmatch(resource):
        return True
    match = _INTEGRATION.fullmatch(resource)
    return match is not None and match["service"] == "activity"


def check_resource(ctx: Ctx, loc: str, resource: str) -> None:
    if not resource:
        ctx.report(loc, "Resource must not be empty; name the task's handler or ARN")
        return
    if "${" in resource:
        ctx.report(
            loc,
            f"Resource '{resource}' contains an unresolved template substitution "
            "'${...}'; substitute the real value before using the definition",
        )
        return
    if _LAMBDA_PREFIX.match(resource) and not _LAMBDA.fullmatch(resource):
        ctx.report(
            loc,
            f"'{resource}' is not a valid Lambda function ARN "
            "(arn:aws:lambda:REGION:ACCOUNT:function:NAME[:VERSION_OR_ALIAS])",
        )
        return
    if resource.startswith("arn:") and ":states:::" in resource:
        _check_integration(ctx, loc, resource)
    if ctx.express:
        _check_express(ctx, loc, resource)


def _check_integration(ctx: Ctx, loc: str, resource: str) -> None:
    match = _INTEGRATION.fullmatch(resource)
    if match is None:
        ctx.report(
            loc,
            f"'{resource}' is not a valid service integration ARN "
            "(arn:aws:states:::SERVICE:ACTION, optionally ending in .sync, .sync:2 or "
            ".waitForTaskToken)",
        )
        return
    service, action = match["service"], match["action"]
    if service == "aws-sdk":
        if not _SDK_ACTION.fullmatch(action):
            ctx.report(
                loc,
                f"'{resource}' is not a valid AWS SDK integration; use "
                "arn:aws:states:::aws-sdk:SERVICE:ApiAction",
            )
        return
    actions = _OPTIMIZED.get(service)
    if actions is not None and action not in actions:
        ctx.report(
            loc,
            f"The resource '{resource}' is not supported: '{service}' offers "
            f"{', '.join(sorted(actions))}; for other APIs use "
            f"arn:aws:states:::aws-sdk:{service}:{action}",
        )


def _check_express(ctx: Ctx, loc: str, resource: str) -> None:
    if is_activity(resource):
        ctx.report(
            loc,
            "Express state machine does not support Activity ARN; use a Standard "
            "workflow for activities",
        )
    elif resource.endswith(".waitForTaskToken"):
        ctx.report(
            loc,
            "Express state machine does not support '.waitForTaskToken' service "
            "integration; use a Standard workflow to wait for a task token",
        )
    elif resource.endswith((".sync", ".sync:2")):
        ctx.report(
            loc,
            "Express state machine does not support '.sync' service integration; use "
            "a Standard workflow to wait for a job",
        )
