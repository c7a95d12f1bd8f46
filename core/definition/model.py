"""OSML definitions as msgspec Structs.

NOTE: these Structs mirror the Amazon States Language field names one for one
(`rename="pascal"`), so an ASL document decodes unchanged. A field that may be absent
and may also be `null` with a different meaning (ResultPath, OutputPath, InputPath)
defaults to `UNSET`, so "absent" and "null" stay distinguishable.
"""

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

Json = Any  # a decoded JSON value; kept as Any so msgspec accepts every shape


class _Node(msgspec.Struct, rename="pascal", kw_only=True, frozen=True):
    comment: str | UnsetType = UNSET


class Retrier(_Node, kw_only=True, frozen=True):
    """One element of a state's `Retry` list."""

    error_equals: list[str]
    interval_seconds: int = 1
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: int | UnsetType = UNSET
    jitter_strategy: str = "NONE"


class Catcher(_Node, kw_only=True, frozen=True):
    """One element of a state's `Catch` list."""

    error_equals: list[str]
    next: str
    result_path: str | UnsetType | None = UNSET
    output: Json = UNSET
    assign: Json = UNSET


class _State(_Node, tag_field="Type", kw_only=True, frozen=True):
    query_language: str | UnsetType = UNSET
    next: str | UnsetType = UNSET
    end: bool = False
    input_path: str | UnsetType | None = UNSET
    output_path: str | UnsetType | None = UNSET
    output: Json = UNSET
    assign: Json = UNSET


class PassState(_State, tag="Pass", kw_only=True, frozen=True):
    result: Json = UNSET
    result_path: str | UnsetType | None = UNSET
    parameters: Json = UNSET


class TaskState(_State, tag="Task", kw_only=True, frozen=True):
    resource: str
    parameters: Json = UNSET
    arguments: Json = UNSET
    result_path: str | UnsetType | None = UNSET
    result_selector: Json = UNSET
    retry: list[Retrier] = msgspec.field(default_factory=list)
    catch: list[Catcher] = msgspec.field(default_factory=list)
    timeout_seconds: int | str | UnsetType = UNSET
    timeout_seconds_path: str | UnsetType = UNSET
    heartbeat_seconds: int | str | UnsetType = UNSET
    heartbeat_seconds_path: str | UnsetType = UNSET
    credentials: Json = UNSET


class ChoiceState(_State, tag="Choice", kw_only=True, frozen=True):
    choices: list[dict[str, Json]]
    default: str | UnsetType = UNSET


class WaitState(_State, tag="Wait", kw_only=True, frozen=True):
    seconds: int | float | str | UnsetType = UNSET
    timestamp: str | UnsetType = UNSET
    seconds_path: str | UnsetType = UNSET
    timestamp_path: str | UnsetType = UNSET


class SucceedState(_State, tag="Succeed", kw_only=True, frozen=True):
    pass


class FailState(_State, tag="Fail", kw_only=True, frozen=True):
    error: str | UnsetType = UNSET
    cause: str | UnsetType = UNSET
    error_path: str | UnsetType = UNSET
    cause_path: str | UnsetType = UNSET


class StateMachine(_Node, kw_only=True, frozen=True):
    """A `States`/`StartAt` pair: the top level, a Parallel branch or a Map processor."""

    start_at: str
    states: "dict[str, State]"
    query_language: str | UnsetType = UNSET
    processor_config: dict[str, Json] | UnsetType = UNSET


class ParallelState(_State, tag="Parallel", kw_only=True, frozen=True):
    branches: list[StateMachine]
    parameters: Json = UNSET
    arguments: Json = UNSET
    result_path: str | UnsetType | None = UNSET
    result_selector: Json = UNSET
    retry: list[Retrier] = msgspec.field(default_factory=list)
    catch: list[Catcher] = msgspec.field(default_factory=list)


class MapState(_State, tag="Map", kw_only=True, frozen=True):
    item_processor: StateMachine | UnsetType = UNSET
    iterator: StateMachine | UnsetType = UNSET
    items_path: str | UnsetType | None = UNSET
    items: Json = UNSET
    item_selector: Json = UNSET
    parameters: Json = UNSET
    max_concurrency: int | str | UnsetType = UNSET
    max_concurrency_path: str | UnsetType = UNSET
    result_path: str | UnsetType | None = UNSET
    result_selector: Json = UNSET
    retry: list[Retrier] = msgspec.field(default_factory=list)
    catch: list[Catcher] = msgspec.field(default_factory=list)
    label: str | UnsetType = UNSET
    tolerated_failure_count: int | str | UnsetType = UNSET
    tolerated_failure_count_path: str | UnsetType = UNSET
    tolerated_failure_percentage: float | str | UnsetType = UNSET
    tolerated_failure_percentage_path: str | UnsetType = UNSET
    item_batcher: dict[str, Json] | UnsetType = UNSET
    item_reader: dict[str, Json] | UnsetType = UNSET
    result_writer: dict[str, Json] | UnsetType = UNSET

    @property
    def processor(self) -> StateMachine:
        """The iteration's state machine, whichever of the two ASL names holds it."""
        if isinstance(self.item_processor, StateMachine):
            return self.item_processor
        assert isinstance(self.iterator, StateMachine)
        return self.iterator

    @property
    def distributed(self) -> bool:
        config = self.processor.processor_config
        return isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"


class StartExecutionState(_State, tag="StartExecution", kw_only=True, frozen=True):
    """OSML: start a child execution of another (or an inline) state machine."""

    state_machine: Json
    input: Json = UNSET
    parameters: Json = UNSET
    arguments: Json = UNSET
    sync: bool = True
    result_path: str | UnsetType | None = UNSET
    result_selector: Json = UNSET
    retry: list[Retrier] = msgspec.field(default_factory=list)
    catch: list[Catcher] = msgspec.field(default_factory=list)
    timeout_seconds: int | str | UnsetType = UNSET
    timeout_seconds_path: str | UnsetType = UNSET


State = (
    PassState
    | TaskState
    | ChoiceState
    | WaitState
    | SucceedState
    | FailState
    | ParallelState
    | MapState
    | StartExecutionState
)


class Definition(StateMachine, kw_only=True, frozen=True):
    """A whole OSML document."""

    version: str | UnsetType = UNSET
    timeout_seconds: int | UnsetType = UNSET


_decoder = msgspec.json.Decoder(Definition)


def decode_definition(data: bytes | str) -> Definition:
    """Decode JSON text; raises `msgspec.ValidationError` on a type mismatch."""
    return _decoder.decode(data)


def convert_definition(doc: Json) -> Definition:
    """Build a `Definition` from an already decoded JSON object."""
    return msgspec.convert(doc, Definition)
