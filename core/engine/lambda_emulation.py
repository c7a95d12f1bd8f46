"""An emulation of AWS Lambda, so the corpus's Task cases run without AWS.

`statum test` uses it for every case file that describes Lambda functions
(`lambda_functions`, or child state machines calling `corpus-NAME-N` functions), and
the conformance tests use it the same way:

    emulator = LambdaEmulator.for_case(case, clock)
    run_case(prepare_case(case), load_program, emulator.registry(), clock)

It emulates only the functions the corpus recorded (`BEHAVIOURS`), not Lambda in
general: a case naming any other function is refused with a LookupError.

The `lambda/` cases of the conformance corpus were recorded on real AWS with Task
states that call small Python Lambda functions; each case's `lambda_functions`
describes every function's behaviour in words. This module reproduces those
behaviours and the part of Lambda's Invoke semantics the cases observe, as Python
handlers for the engine:

* `arn:aws:lambda:REGION:ACCOUNT:function:NAME` (a Task's Resource): the function
  gets the state's effective input; the Task's result is the function's response
  payload, decoded.
* `arn:aws:states:::lambda:invoke` (the optimised integration): `FunctionName`
  names the function, `Payload` is its event (a string is sent as raw bytes; a
  missing or null Payload sends nothing and the Python runtime sees `{}`); the result
  is the Invoke API's response: `ExecutedVersion`, `Payload`, `SdkHttpMetadata`,
  `SdkResponseMetadata`, `StatusCode`.
* A function error fails the task with the Lambda `errorType` as error name and the
  runtime's error document as cause: Python's `json.dumps` text for a direct ARN
  (AWS passes the runtime's body through), compact JSON for `lambda:invoke` (AWS
  re-serialises it); both are what the corpus recorded.
* An unknown `FunctionName` fails `lambda:invoke` with
  `Lambda.ResourceNotFoundException`; a response over 256 KiB fails with
  `States.DataLimitExceeded`.
* The 60-second sleeper advances the runner's virtual clock instead of sleeping
  (give the emulator the clock the runner uses), so a Task's TimeoutSeconds
  expires while it "runs".

The functions are written from their recorded behaviour; the texts (stack traces,
error causes) are AWS's recorded wording.
"""

import base64
import copy
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import PurePosixPath
from typing import Any

from statum.core.engine.clock import VirtualClock
from statum.core.engine.handlers import HandlerRegistry, TaskFailure

INVOKE_RESOURCE = "arn:aws:states:::lambda:invoke"
REGION = "us-east-1"
ACCOUNT = "111111111111"
PAYLOAD_LIMIT_BYTES = 256 * 1024
SLEEP_MS = 60_000

DATA_LIMIT_CAUSE = (
    "The state/task 'lambda' returned a result with a size exceeding the maximum "
    "number of bytes service limit."
)

# Headers of a masked value in the recordings whose mask the corpus's
# `placeholders` list does not name on its own (it names `RequestId`, a part).
MASKED_HEADER_KEYS = ("x-amzn-RequestId",)

Event = Any

_FUNCTION_NAME_MASK = re.compile(r"<?lambda[_-]function(?:[_-]\d+)?[_-]name>?")
# The corpus deploys each recorded handler file as `corpus-<file stem>-<n>`; a child
# state machine names its functions only by ARN, so the ARN is all there is to go by.
_CORPUS_FUNCTION_ARN = re.compile(
    r"arn:aws:lambda:[a-z0-9-]+:\d+:function:(corpus-([A-Za-z0-9_]+)-\d+)"
)


class FunctionError(Exception):
    """A Lambda function raised: what the Python runtime reports about it."""

    def __init__(self, error_type: str, message: str, stack_trace: list[str]) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace


@dataclass(slots=True)
class Raw:
    """A function's return value sent as the response body unchanged (bytes)."""

    body: bytes


# --- the recorded functions -------------------------------------------------
#
# Each takes the decoded event and the handler context and returns a JSON value
# (the Python runtime serialises it with `json.dumps`) or `Raw` bytes, or raises
# FunctionError. Stack traces are those AWS recorded for the deployed handlers.


def _identity(event: Event, context: dict[str, Any]) -> Event:
    return event


def _raise_exception(event: Event, context: dict[str, Any]) -> Event:
    raise FunctionError(
        "Exception",
        "Some exception was raised.",
        [
            '  File "/var/task/handler.py", line 2, in handler\n'
            '    raise Exception("Some exception was raised.")\n'
        ],
    )


def _raise_custom_exception(event: Event, context: dict[str, Any]) -> Event:
    raise FunctionError(
        "CustomException",
        "",
        [
            '  File "/var/task/handler.py", line 9, in handler\n'
            "    raise CustomException()\n"
        ],
    )


def _wait_60_seconds(event: Event, context: dict[str, Any]) -> Event:
    clock = context.get("clock")
    if clock is not None and hasattr(clock, "advance"):
        clock.advance(SLEEP_MS)
    return event


def _large_output_string(event: Event, context: dict[str, Any]) -> Event:
    return Raw(b"a" * (257 * 1024))


def _return_bytes_str(event: Event, context: dict[str, Any]) -> Event:
    return Raw(b'"HelloWorld!"')


def _return_decorated_input(event: Event, context: dict[str, Any]) -> Event:
    return "input-event-" + str(event)


def _echo(event: Event, context: dict[str, Any]) -> Event:
    return {"Return": "HelloWorld"}


Behaviour = Callable[[Event, dict[str, Any]], Event]

# The corpus names each function's code by its handler file; the stem picks it.
BEHAVIOURS: dict[str, Behaviour] = {
    "id_function": _identity,
    "raise_exception": _raise_exception,
    "raise_custom_exception": _raise_custom_exception,
    "wait_60_seconds": _wait_60_seconds,
    "large_output_string": _large_output_string,
    "return_bytes_str": _return_bytes_str,
    "return_decorated_input": _return_decorated_input,
    "echo_function": _echo,
}


# --- Lambda Invoke ----------------------------------------------------------


@dataclass(slots=True)
class Response:
    """What Lambda's Invoke returns: the body, and the error document if any."""

    body: bytes
    request_id: str
    error: dict[str, Any] | None = None


def _python_json(value: Any) -> str:
    """The Python runtime's serialisation (`json.dumps` with its defaults)."""
    return json.dumps(value)


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _decode_body(body: bytes) -> Any:
    text = body.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass
class LambdaEmulator:
    """The functions of one case, and a handler registry that reaches them."""

    functions: dict[str, Behaviour] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    clock: VirtualClock | None = None
    region: str = REGION
    account: str = ACCOUNT
    invocations: int = 0

    @classmethod
    def for_case(
        cls, case: dict[str, Any], clock: VirtualClock | None = None
    ) -> "LambdaEmulator":
        """The emulator for a corpus case's `lambda_functions`."""
        emulator = cls(clock=clock)
        for name, stem in _child_functions(case).items():
            if stem in BEHAVIOURS:
                emulator.functions[name] = BEHAVIOURS[stem]
        for name, spec in (case.get("lambda_functions") or {}).items():
            stem = PurePosixPath(spec["handler_file"]).stem
            if stem not in BEHAVIOURS:
                raise LookupError(
                    f"no emulation for Lambda handler {spec['handler_file']!r} "
                    f"({spec.get('behaviour', '')})"
                )
            emulator.functions[name] = BEHAVIOURS[stem]
        if len(case.get("lambda_functions") or {}) == 1:
            # A recorded input may hold the recorder's mask for the function name
            # (the name was generated when the test ran): with one function, the
            # mask can only mean it.
            only = next(iter(case["lambda_functions"]))
            emulator.aliases = {
                mask: only
                for mask in case.get("placeholders", [])
                if _FUNCTION_NAME_MASK.fullmatch(mask)
            }
        return emulator

    def registry(self) -> HandlerRegistry:
        """Handlers for every function ARN and for `lambda:invoke`."""
        registry = HandlerRegistry()
        for name in self.functions:
            arn = self.function_arn(name)
            registry.register(arn, self.call_function_arn)
            registry.register(f"{arn}:$LATEST", self.call_function_arn)
        registry.register(INVOKE_RESOURCE, self.call_invoke)
        return registry

    def function_arn(self, name: str) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{name}"

    def _new_request_id(self) -> str:
        self.invocations += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"statum:lambda:{self.invocations}"))

    def _resolve(self, function_name: str) -> Behaviour | None:
        """The function a FunctionName (name, ARN or partial ARN) designates."""
        name = function_name
        if ":function:" in name:
            name = name.split(":function:", 1)[1]
        base, _, qualifier = name.partition(":")
        base = self.aliases.get(base, base)
        if qualifier and qualifier != "$LATEST":
            return None
        return self.functions.get(base)

    def invoke(
        self, behaviour: Behaviour, body: bytes | None, context: dict[str, Any]
    ) -> Response:
        """Run a function as the Python runtime does: decode, call, encode."""
        request_id = self._new_request_id()
        try:
            event = json.loads(body) if body else {}
        except ValueError:
            # AWS's own message is longer; no recorded case shows it.
            raise TaskFailure(
                "Lambda.InvalidRequestContentException",
                "Could not parse request body into json",
            ) from None
        if self.clock is not None:
            context = {"clock": self.clock, **context}
        try:
            result = behaviour(event, context)
        except FunctionError as exc:
            document = {
                "errorMessage": exc.message,
                "errorType": exc.error_type,
                "requestId": request_id,
                "stackTrace": exc.stack_trace,
            }
            return Response(_python_json(document).encode(), request_id, document)
        out = result.body if isinstance(result, Raw) else _python_json(result).encode()
        return Response(out, request_id)

    # --- the two resources ----------------------------------------------------

    def call_function_arn(self, parameters: Any, context: dict[str, Any]) -> Any:
        """A Task whose Resource is the function's ARN."""
        resource = str(context.get("resource", ""))
        behaviour = self._resolve(resource)
        if behaviour is None:
            raise TaskFailure(
                "Lambda.ResourceNotFoundException", f"Function not found: {resource}"
            )
        response = self.invoke(behaviour, _python_json(parameters).encode(), context)
        if response.error is not None:
            raise TaskFailure(
                str(response.error.get("errorType", "Lambda.Unknown")),
                response.body.decode(),
            )
        if len(response.body) > PAYLOAD_LIMIT_BYTES:
            raise TaskFailure("States.DataLimitExceeded", DATA_LIMIT_CAUSE)
        return _decode_body(response.body)

    def call_invoke(self, parameters: Any, context: dict[str, Any]) -> Any:
        """`arn:aws:states:::lambda:invoke`: Lambda's Invoke API response."""
        if not isinstance(parameters, dict) or "FunctionName" not in parameters:
            # AWS rejects such a definition; the emulation just refuses the call.
            raise TaskFailure("States.TaskFailed", "lambda:invoke needs a FunctionName")
        function_name = str(parameters["FunctionName"])
        behaviour = self._resolve(function_name)
        if behaviour is None:
            arn = function_name
            if ":function:" not in arn:
                arn = self.function_arn(arn)
            if arn.count(":") == 6:
                arn += ":$LATEST"
            raise TaskFailure(
                "Lambda.ResourceNotFoundException",
                f"Function not found: {arn} (Service: AWSLambda; Status Code: 404; "
                "Error Code: ResourceNotFoundException; "
                f"Request ID: {self._new_request_id()}; Proxy: null)",
            )
        payload = parameters.get("Payload")
        if payload is None:
            body = None
        elif isinstance(payload, str):
            body = payload.encode()
        else:
            body = _python_json(payload).encode()
        response = self.invoke(behaviour, body, context)
        if response.error is not None:
            raise TaskFailure(
                str(response.error.get("errorType", "Lambda.Unknown")),
                _compact_json(response.error),
            )
        if len(response.body) > PAYLOAD_LIMIT_BYTES:
            raise TaskFailure("States.DataLimitExceeded", DATA_LIMIT_CAUSE)
        log_result = (
            _log_tail(response.request_id)
            if parameters.get("LogType") == "Tail"
            else None
        )
        result = {
            "ExecutedVersion": "$LATEST",
            "Payload": _decode_body(response.body),
            "SdkHttpMetadata": _http_metadata(response, self.clock, log_result),
            "SdkResponseMetadata": {"RequestId": response.request_id},
            "StatusCode": 200,
        }
        if log_result is not None:
            result["LogResult"] = log_result
        return result


def _http_metadata(
    response: Response, clock: VirtualClock | None, log_result: str | None
) -> dict[str, Any]:
    now_s = clock.now_ms() / 1000 if clock is not None else 1_700_000_000.0
    headers = {
        "Connection": "keep-alive",
        "Content-Length": str(len(response.body)),
        "Content-Type": "application/json",
        "Date": formatdate(now_s, usegmt=True),
        "X-Amz-Executed-Version": "$LATEST",
        "x-amzn-Remapped-Content-Length": "0",
        "x-amzn-RequestId": response.request_id,
        "X-Amzn-Trace-Id": f"root=1-{int(now_s):08x}-{response.request_id[:24]}",
    }
    if log_result is not None:
        headers["X-Amz-Log-Result"] = log_result
    return {
        "AllHttpHeaders": {key: [value] for key, value in headers.items()},
        "HttpHeaders": headers,
        "HttpStatusCode": 200,
    }


def _log_tail(request_id: str) -> str:
    """The base64 tail of the invocation's log, as `LogType: Tail` returns it."""
    lines = (
        f"START RequestId: {request_id} Version: $LATEST\n"
        f"END RequestId: {request_id}\n"
        f"REPORT RequestId: {request_id}\tDuration: 1.00 ms\n"
    )
    return base64.b64encode(lines.encode()).decode()


def _child_functions(case: dict[str, Any]) -> dict[str, str]:
    """Function name -> handler file stem, for the corpus functions that the case's
    child state machines call by ARN."""
    children = case.get("child_state_machines") or {}
    text = json.dumps([spec.get("definition") for spec in children.values()])
    return {m.group(1): m.group(2) for m in _CORPUS_FUNCTION_ARN.finditer(text)}


def emulates(case: dict[str, Any]) -> bool:
    """Whether a case calls Lambda functions this module can stand in for (a
    `lambda` case with none still gets Lambda's answer to an unknown function)."""
    return (
        case.get("category") == "lambda"
        or bool(case.get("lambda_functions"))
        or bool(_child_functions(case))
    )


# The event types whose recorded causes came from the Python runtime's `json.dumps`
# (a direct function ARN) rather than from Step Functions' compact re-encoding.
_FAILED_EVENTS = {"LambdaFunctionFailed": True, "TaskFailed": False}


def _cause_text(cause: Any, python_runtime: bool) -> str:
    if python_runtime:
        return json.dumps(cause)
    return json.dumps(cause, separators=(",", ":"), ensure_ascii=False)


def prepare_case(case: dict[str, Any]) -> dict[str, Any]:
    """A copy of a corpus case with two recorder conventions undone.

    * The recorder stored error causes that are JSON documents as decoded objects;
      they become the text AWS records again: the Python runtime's `json.dumps`
      text for a direct function-ARN task (LambdaFunctionFailed), compact JSON for
      `lambda:invoke` (TaskFailed); the Cause strings the same recordings keep
      inside state outputs show both forms.
    * A masked header (`x-amzn-RequestId`) is missing from a case's `placeholders`.
    """
    case = copy.deepcopy(case)
    expected = case["expected"]
    python_runtime = False
    for event in expected.get("events", []):
        if event.get("type") in _FAILED_EVENTS:
            python_runtime = _FAILED_EVENTS[event["type"]]
        if isinstance(event.get("cause"), dict | list):
            event["cause"] = _cause_text(event["cause"], python_runtime)
    if isinstance(expected.get("cause"), dict | list):
        expected["cause"] = _cause_text(expected["cause"], python_runtime)
    text = json.dumps(expected)
    placeholders = list(case.get("placeholders", []))
    placeholders.extend(
        key for key in MASKED_HEADER_KEYS if f'"{key}": "{key}"' in text
    )
    case["placeholders"] = placeholders
    return case
