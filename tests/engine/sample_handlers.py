"""Handlers reached by `python:tests.engine.sample_handlers:NAME` resources."""

from typing import Any

NOT_CALLABLE = {"a": "dict"}


def double(payload: Any) -> Any:
    return {"doubled": payload["n"] * 2}


def with_context(payload: Any, context: dict[str, Any]) -> Any:
    return {"key": context["idempotency_key"], "input": payload}
