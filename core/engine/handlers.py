"""The Python handler task backend: callables registered by name or `module:function`."""

import asyncio
import concurrent.futures
import importlib
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, overload

Handler = Callable[..., Any]
H = TypeVar("H", bound=Handler)

PYTHON_PREFIX = "python:"


class TaskFailure(Exception):
    """Raise from a handler to fail the task with an exact ASL error name and cause."""

    def __init__(self, error: str, cause: str | None = None) -> None:
        super().__init__(cause or error)
        self.error = error
        self.cause = cause


class HandlerNotFound(LookupError):
    """No handler answers to a Task's resource."""


class HandlerRegistry:
    """Python callables that Task states reach through their `Resource`.

    A Task whose Resource is `python:NAME` (or just a registered NAME) calls the
    handler registered as NAME; `python:package.module:function` imports it.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    @overload
    def register(self, name: str) -> Callable[[H], H]: ...

    @overload
    def register(self, name: str, handler: H) -> H: ...

    def register(self, name: str, handler: H | None = None) -> H | Callable[[H], H]:
        """Register `handler` as `name`; without `handler`, a decorator."""
        if handler is not None:
            self._handlers[name] = handler
            return handler

        def decorate(func: H) -> H:
            self._handlers[name] = func
            return func

        return decorate

    def resolve(self, resource: str) -> Handler | None:
        """The handler for `resource`, or None when this backend does not serve it."""
        name = (
            resource[len(PYTHON_PREFIX) :]
            if resource.startswith(PYTHON_PREFIX)
            else resource
        )
        handler = self._handlers.get(name)
        if handler is not None:
            return handler
        if resource.startswith(PYTHON_PREFIX) and ":" in name:
            module_name, _, attr = name.partition(":")
            try:
                module = importlib.import_module(module_name)
                found = getattr(module, attr)
            except (ImportError, AttributeError) as exc:
                raise HandlerNotFound(f"cannot import handler '{name}': {exc}") from exc
            if not callable(found):
                raise HandlerNotFound(f"'{name}' is not callable")
            self._handlers[name] = found
            resolved: Handler = found
            return resolved
        return None


def call_handler(handler: Handler, parameters: Any, context: dict[str, Any]) -> Any:
    """Call a sync or async handler with the task input, and the context if its
    second positional parameter has no default (`def h(event, context)`)."""
    if _takes_context(handler):
        result = handler(parameters, context)
    else:
        result = handler(parameters)
    if inspect.isawaitable(result):
        result = _wait_for(result)
    return result


def _takes_context(handler: Handler) -> bool:
    try:
        parameters = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):
        return False
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    positional = [p for p in parameters if p.kind in kinds]
    return len(positional) >= 2 and positional[1].default is inspect.Parameter.empty


def _wait_for(awaitable: Any) -> Any:
    """Run an async handler to its end, even when called from inside an event loop
    (then on a thread of its own, since that loop is busy running us)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_await(awaitable))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _await(awaitable)).result()


async def _await(awaitable: Any) -> Any:
    return await awaitable
