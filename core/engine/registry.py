"""The process-wide handler registry, and the `handler` decorator that fills it."""

from statum.core.engine.handlers import HandlerRegistry

DEFAULT_HANDLERS = HandlerRegistry()

handler = DEFAULT_HANDLERS.register
