"""The Python handler task backend: callables the host registered, by name.

A definition is data that may come from users, so it never chooses code to run:
`python:NAME` (or a bare NAME, or an AWS Lambda ARN registered as a name) reaches
only a handler the host registered, and `python:package.module:function` imports
only from modules the host allow-listed (`--handlers MODULE` does both).
"""

import asyncio
import importlib
import inspect
import os
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from statum.core.engine.context import TaskContext
from statum.core.engine.threads import DaemonThreadPool

Handler = Callable[..., Any]
H = TypeVar("H", bound=Handler)

PYTHON_PREFIX = "python:"
LAMBDA_PREFIX = "lambda:"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
# arn:aws:lambda:REGION:ACCOUNT:function:NAME, with an optional version or alias.
_FUNCTION_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([A-Za-z0-9_-]+)(?::[^:]+)?$"
)


class TaskFailure(Exception):
    """Raise from a handler to fail the task with an exact ASL error name and cause."""

    def __init__(self, error: str, cause: str | None = None) -> None:
        super().__init__(cause or error)
        self.error = error
        self.cause = cause


@dataclass(frozen=True, slots=True)
class _Entry:
    """A handler, and how to call it (worked out once, not on every call)."""

    func: Handler
    takes_context: bool
    is_async: bool

    @classmethod
    def of(cls, func: Handler) -> "_Entry":
        return cls(func, _takes_context(func), _is_async(func))


class HandlerRegistry:
    """Python callables that Task states reach through their `Resource`.

    A Task whose Resource is `python:NAME` (or just a registered NAME) calls the
    handler registered as NAME; `python:package.module:function` imports the
    function, if the host allow-listed its module.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, _Entry] = {}
        self._modules: set[str] = set()

    @overload
    def register(self, name: str) -> Callable[[H], H]: ...

    @overload
    def register(self, name: str, handler: H) -> H: ...

    def register(self, name: str, handler: H | None = None) -> H | Callable[[H], H]:
        """Register `handler` as `name`; without `handler`, a decorator."""
        if handler is not None:
            self._add(name, handler)
            return handler

        def decorate(func: H) -> H:
            self._add(name, func)
            return func

        return decorate

    def _add(self, name: str, handler: Handler) -> None:
        if not callable(handler):
            raise TypeError(
                f"the handler for '{name}' is not callable; register a function"
            )
        self._handlers[_name(name)] = _Entry.of(handler)

    @overload
    def register_lambda(self, name: str) -> Callable[[H], H]: ...

    @overload
    def register_lambda(self, name: str, handler: H) -> H: ...

    def register_lambda(
        self, name: str, handler: H | None = None
    ) -> H | Callable[[H], H]:
        """Register `handler` as the AWS Lambda function `name`, so definitions
        written for AWS run unchanged: a Resource
        `arn:aws:lambda:REGION:ACCOUNT:function:NAME` calls it with the state's
        input, and `arn:aws:states:::lambda:invoke` with `FunctionName` NAME (or
        its ARN) calls it with `Payload` and returns Lambda's Invoke response."""
        if handler is None:
            return self.register(LAMBDA_PREFIX + name)
        return self.register(LAMBDA_PREFIX + name, handler)

    def lambda_function(self, function_name: str) -> Handler | None:
        """The handler registered as Lambda function `function_name` (a name, a
        partial or full ARN, with or without a version)."""
        entry = self._lambda(function_name)
        return None if entry is None else entry.func

    def _lambda(self, function_name: str) -> _Entry | None:
        name = function_name.rpartition(":function:")[2] or function_name
        name = name.split(":", 1)[0]
        return self._handlers.get(LAMBDA_PREFIX + name)

    def allow_module(self, module: str) -> None:
        """Let definitions name functions of `module` as `python:module:function`."""
        self._modules.add(module)

    def update(self, other: "HandlerRegistry") -> None:
        """Take every handler and allowed module of `other` (it wins on a clash)."""
        self._handlers.update(other._handlers)
        self._modules |= other._modules

    @property
    def names(self) -> list[str]:
        return sorted(self._handlers)

    @property
    def allowed_modules(self) -> list[str]:
        return sorted(self._modules)

    def serves(self, resource: str, parameters: Any = None) -> bool:
        if self._entry(resource) is not None:
            return True
        if _is_invoke(resource):
            name = (
                parameters.get("FunctionName") if isinstance(parameters, dict) else None
            )
            if isinstance(name, str):
                return self._lambda(name) is not None
            # The name may come from the input: any registered function may serve.
            return any(k.startswith(LAMBDA_PREFIX) for k in self._handlers)
        return False

    def resolve(self, resource: str) -> Handler | None:
        """The handler for `resource`, or None when no registered handler serves it."""
        entry = self._entry(resource)
        return None if entry is None else entry.func

    def _entry(self, resource: str) -> _Entry | None:
        name = _name(resource)
        entry = self._handlers.get(name)
        if entry is not None:
            return entry
        function = _FUNCTION_ARN.match(resource)
        if function is not None:
            return self._handlers.get(LAMBDA_PREFIX + function.group(1))
        if not resource.startswith(PYTHON_PREFIX):
            return None
        module_name, colon, attr = name.partition(":")
        if not colon or module_name not in self._modules:
            return None
        try:
            found = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError):
            return None
        if not callable(found):
            return None
        entry = self._handlers[name] = _Entry.of(found)
        return entry

    def problems(self, resources: Iterable[str]) -> list[str]:
        """Why each of `resources` that no handler serves is not served."""
        out = []
        for resource in resources:
            if self.serves(resource):
                continue
            name = _name(resource)
            module_name, colon, _ = name.partition(":")
            if resource.startswith(PYTHON_PREFIX) and colon:
                if module_name not in self._modules:
                    out.append(
                        f"'{resource}' imports from module '{module_name}', which "
                        "the host has not allow-listed (name it with --handlers, "
                        "or HandlerRegistry.allow_module)"
                    )
                else:
                    out.append(
                        f"'{resource}': module '{module_name}' has no such function"
                    )
            else:
                out.append(f"no handler is registered as '{name}'")
        return out


def _is_invoke(resource: str) -> bool:
    return resource in (LAMBDA_INVOKE, LAMBDA_INVOKE + ".waitForTaskToken")


def _name(resource: str) -> str:
    return (
        resource[len(PYTHON_PREFIX) :]
        if resource.startswith(PYTHON_PREFIX)
        else resource
    )


class HandlerCrashed(Exception):
    """A handler raised something other than an Exception (sys.exit, ...)."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(original)
        self.original = original


class PythonBackend:
    """Runs registered handlers: async ones on the event loop, sync ones on a
    bounded pool of threads."""

    def __init__(self, registry: HandlerRegistry, threads: DaemonThreadPool) -> None:
        self.registry = registry
        self.threads = threads

    def serves(self, resource: str, parameters: Any = None) -> bool:
        return self.registry.serves(resource, parameters)

    async def invoke(self, resource: str, payload: Any, context: TaskContext) -> Any:
        entry = self.registry._entry(resource)
        if entry is None and _is_invoke(resource):
            return await self._invoke_lambda(payload, context)
        if entry is None:
            raise TaskFailure(
                "States.Runtime",
                f"No handler is registered for resource '{resource}'.",
            )
        return await self._call(entry, payload, context)

    async def _invoke_lambda(self, parameters: Any, context: TaskContext) -> Any:
        """`lambda:invoke`, as AWS's integration answers it: the function's result
        under Payload, in Lambda's Invoke response."""
        name = parameters.get("FunctionName") if isinstance(parameters, dict) else None
        entry = self.registry._lambda(name) if isinstance(name, str) else None
        if entry is None:
            raise TaskFailure(
                "Lambda.ResourceNotFoundException",
                f"Function not found: {name} (register it with "
                "HandlerRegistry.register_lambda)",
            )
        assert isinstance(parameters, dict)  # FunctionName was read from it
        result = await self._call(entry, parameters.get("Payload", {}), context)
        return {
            "ExecutedVersion": "$LATEST",
            "Payload": result,
            "SdkHttpMetadata": {"HttpHeaders": {}, "HttpStatusCode": 200},
            "SdkResponseMetadata": {"RequestId": context.idempotency_key},
            "StatusCode": 200,
        }

    async def _call(self, entry: _Entry, payload: Any, context: TaskContext) -> Any:
        args = (payload, context) if entry.takes_context else (payload,)
        if entry.is_async:
            try:
                return await entry.func(*args)
            except (Exception, KeyboardInterrupt, asyncio.CancelledError):
                raise  # a Ctrl-C, or the engine's own cancellation, is not the handler's
            except BaseException as exc:  # sys.exit in a handler
                raise HandlerCrashed(exc) from exc
        result = await self.threads.run(lambda: _call_sync(entry.func, args))
        if inspect.isawaitable(result):  # a sync callable that returned a coroutine
            result = await result
        return result


def _call_sync(func: Handler, args: tuple[Any, ...]) -> Any:
    try:
        return func(*args)
    except Exception:
        raise
    except BaseException as exc:  # sys.exit or KeyboardInterrupt raised by the handler
        raise HandlerCrashed(exc) from exc


def failure_of(exc: BaseException) -> tuple[str, str | None, str | None]:
    """(error, cause, traceback) of a handler's exception, as AWS names them: the
    class name and the message; a crash that is not an Exception says what to do."""
    if isinstance(exc, TaskFailure):
        return exc.error, exc.cause, None
    if isinstance(exc, HandlerCrashed):
        original = exc.original
        name = type(original).__name__
        if isinstance(original, SystemExit):
            code = "" if original.code is None else repr(original.code)
            cause = (
                f"The handler called sys.exit({code}); return a value, "
                "or raise an exception to fail the task."
            )
        else:
            cause = f"The handler raised {name}, which is not an Exception: {_message(original)}"
        return name, cause, _format(original)
    return type(exc).__name__, _message(exc), _format(exc)


def _message(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # a broken __str__ must not break the engine
        return f"<{type(exc).__name__} whose message cannot be printed>"


_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))


def _format(exc: BaseException) -> str | None:
    """The traceback from the handler's own frame on: the engine's frames above
    it say nothing about the user's bug."""
    tb = exc.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(
        _ENGINE_DIR
    ):
        tb = tb.tb_next
    try:
        return "".join(
            traceback.format_exception(type(exc), exc, tb or exc.__traceback__)
        )
    except Exception:
        return None


def _takes_context(handler: Handler) -> bool:
    """Whether a handler's second positional parameter has no default:
    `def h(event, context)` gets the TaskContext."""
    try:
        parameters = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):
        return False
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    positional = [p for p in parameters if p.kind in kinds]
    return len(positional) >= 2 and positional[1].default is inspect.Parameter.empty


def _is_async(handler: Handler) -> bool:
    call = getattr(handler, "__call__", None)  # noqa: B004 - async callable objects
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(call)
