"""A definition compiled for running: every path, template and expression parsed once.

`compile_program` walks the OSML model and builds one `CompiledState` per state, keyed
by machine (the top level is "", a Parallel branch "parent/State/i", a Map processor
"parent/State"). Syntax errors surface here, before anything runs.
"""

from dataclasses import dataclass, field
from typing import Any, cast, get_args

import msgspec
from msgspec import UNSET

from statum.core.definition import model as m
from statum.core.interpreter.choice import ChoiceRule, compile_choice_rule
from statum.core.interpreter.errors import DefinitionError
from statum.core.interpreter.kinds import StateKind
from statum.core.language.errors import LanguageSyntaxError
from statum.core.language.intrinsics import compile_intrinsic
from statum.core.language.jsonata_templates import JsonataValue, compile_jsonata_value
from statum.core.language.paths import (
    JsonPath,
    ReferencePath,
    compile_path,
    compile_reference_path,
)
from statum.core.language.templates import Template, compile_template

JSONPATH = "JSONPath"
JSONATA = "JSONata"

# A path field is absent (identity), `null` (AWS: an empty object / discard), or a path.
IDENTITY = "identity"
DISCARD = "discard"
PathField = JsonPath | str
ResultPathField = ReferencePath | str


@dataclass(slots=True)
class CompiledRetrier:
    error_equals: tuple[str, ...]
    interval_ms: int
    max_attempts: int
    backoff_rate: float
    max_delay_ms: int | None
    full_jitter: bool


@dataclass(slots=True)
class CompiledCatcher:
    error_equals: tuple[str, ...]
    next: str
    result_path: ResultPathField
    output: JsonataValue | None
    assign: "Template | JsonataValue | None"


@dataclass(slots=True)
class CompiledState:
    """One state, with everything it evaluates compiled."""

    name: str
    kind: StateKind
    spec: Any
    jsonata: bool
    next: str | None
    input_path: PathField = IDENTITY
    output_path: PathField = IDENTITY
    result_path: ResultPathField = IDENTITY
    parameters: Template | None = None
    result_selector: Template | None = None
    assign: "Template | JsonataValue | None" = None
    output: JsonataValue | None = None
    arguments: JsonataValue | None = None
    retriers: list[CompiledRetrier] = field(default_factory=list)
    catchers: list[CompiledCatcher] = field(default_factory=list)
    choices: list[ChoiceRule] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # An upper bound on the values the state's templates and expressions refer to
    # (each reference names one with a `$`): how many times over its output can
    # repeat one large value (payload.py). None for a Map or Parallel, whose
    # results are as many as its items.
    references: int | None = 0


@dataclass(slots=True)
class Machine:
    key: str
    start_at: str
    states: dict[str, CompiledState]


@dataclass(slots=True)
class Program:
    """A runnable definition: its machines by key, and the model it came from."""

    definition: m.Definition
    machines: dict[str, Machine]
    timeout_seconds: int | None
    # A content hash of `definition`, worked out once by the shell that records it.
    digest: str = ""
    _subprograms: dict[str, "Program"] = field(default_factory=dict)
    _resources: tuple[tuple[str, str], ...] | None = None

    def task_resources(self) -> tuple[tuple[str, str], ...]:
        """(state name, resource) of every task a run may perform: Task states,
        nested ones included, and Map ItemReaders and ResultWriters."""
        if self._resources is None:
            found: list[tuple[str, str]] = []
            for machine in self.machines.values():
                for name, state in machine.states.items():
                    if state.kind == "Task":
                        found.append((name, str(state.spec.resource)))
                    elif state.kind == "Map":
                        # A distributed Map's ItemReader and ResultWriter are tasks.
                        for key in ("item_reader", "result_writer"):
                            io = getattr(state.spec, key, None)
                            if isinstance(io, dict) and isinstance(
                                io.get("Resource"), str
                            ):
                                found.append((name, io["Resource"]))
            self._resources = tuple(found)
        return self._resources

    def subprogram(self, key: str) -> "Program":
        """The machine at `key` (and the machines nested in it) as a program of its
        own: what a distributed Map's child executions run."""
        found = self._subprograms.get(key)
        if found is None:
            if key not in self.machines:
                raise KeyError(f"no state machine at '{key}'")
            machines = {
                k[len(key) :]: Machine(
                    key=k[len(key) :], start_at=machine.start_at, states=machine.states
                )
                for k, machine in self.machines.items()
                if k == key or k.startswith(key + "/")
            }
            found = Program(
                definition=self.definition, machines=machines, timeout_seconds=None
            )
            self._subprograms[key] = found
        return found


def compile_program(definition: m.Definition) -> Program:
    """Compile `definition`; raises DefinitionError listing every syntax problem."""
    problems: list[str] = []
    machines: dict[str, Machine] = {}
    top_language = definition.query_language or JSONPATH
    _compile_machine(definition, "", str(top_language), machines, problems)
    if problems:
        raise DefinitionError("the definition cannot be compiled", problems)
    timeout = definition.timeout_seconds
    return Program(
        definition=definition,
        machines=machines,
        timeout_seconds=timeout if isinstance(timeout, int) else None,
    )


def _compile_machine(
    machine: m.StateMachine,
    key: str,
    language: str,
    machines: dict[str, Machine],
    problems: list[str],
) -> None:
    states: dict[str, CompiledState] = {}
    machines[key] = Machine(key=key, start_at=machine.start_at, states=states)
    for name, spec in machine.states.items():
        where = f"{key}/{name}" if key else name
        try:
            states[name] = _compile_state(name, spec, language)
        except LanguageSyntaxError as exc:
            problems.append(f"state '{where}': {exc}")
            continue
        if isinstance(spec, m.ParallelState):
            for index, branch in enumerate(spec.branches):
                _compile_machine(
                    branch, f"{key}/{name}/{index}", language, machines, problems
                )
        elif isinstance(spec, m.MapState):
            _compile_machine(
                spec.processor, f"{key}/{name}", language, machines, problems
            )


# A JSONata expression may build as much as its memory bound (about 6.7 MB, ADR
# 0003) without naming any value: some 27 payloads of 256 KiB, counted as 28.
_EXPRESSION_REFERENCES = 28


def _references(spec: m.State) -> int:
    """An upper bound on how many payloads' worth the state's templates and
    expressions can put into one value: each `$` names one value, each JSONata
    expression can build its memory bound."""
    text = msgspec.json.encode(spec)
    return text.count(b"$") + _EXPRESSION_REFERENCES * text.count(b"{%")


def _compile_state(name: str, spec: m.State, top_language: str) -> CompiledState:
    language = (
        spec.query_language if isinstance(spec.query_language, str) else top_language
    )
    jsonata = language == JSONATA
    kind = type(spec).__struct_config__.tag
    if kind not in get_args(StateKind):
        raise DefinitionError(f"state '{name}' has an unknown type {kind!r}")
    state = CompiledState(
        name=name,
        kind=cast(StateKind, kind),
        spec=spec,
        jsonata=jsonata,
        next=spec.next if isinstance(spec.next, str) else None,
        references=None if kind in ("Map", "Parallel") else _references(spec),
    )
    if jsonata:
        state.output = _jsonata(spec.output)
        state.assign = _jsonata(spec.assign)
        if hasattr(spec, "arguments"):
            state.arguments = _jsonata(spec.arguments)
    else:
        state.input_path = _path(spec.input_path)
        state.output_path = _path(spec.output_path)
        if spec.assign is not UNSET:
            state.assign = compile_template(spec.assign)
        if hasattr(spec, "parameters") and spec.parameters is not UNSET:
            state.parameters = compile_template(spec.parameters)
        if hasattr(spec, "result_selector") and spec.result_selector is not UNSET:
            state.result_selector = compile_template(spec.result_selector)
        if hasattr(spec, "result_path"):
            state.result_path = _reference(spec.result_path)
    for retrier in getattr(spec, "retry", ()):
        state.retriers.append(_retrier(retrier))
    for catcher in getattr(spec, "catch", ()):
        state.catchers.append(_catcher(catcher, jsonata))
    if isinstance(spec, m.ChoiceState):
        state.choices = [compile_choice_rule(rule, jsonata) for rule in spec.choices]
    _compile_extras(state, spec)
    return state


def _compile_extras(state: CompiledState, spec: m.State) -> None:
    """Fields particular to one state type that hold paths or expressions."""
    extra = state.extra
    names: tuple[str, ...] = ()
    if isinstance(spec, m.WaitState):
        names = ("seconds", "timestamp", "seconds_path", "timestamp_path")
    elif isinstance(spec, m.FailState):
        names = ("error", "cause", "error_path", "cause_path")
    elif isinstance(spec, m.StartExecutionState):
        names = ("timeout_seconds", "timeout_seconds_path")
    elif isinstance(spec, m.TaskState):
        names = (
            "timeout_seconds",
            "timeout_seconds_path",
            "heartbeat_seconds",
            "heartbeat_seconds_path",
        )
    elif isinstance(spec, m.MapState):
        names = (
            "items_path",
            "items",
            "item_selector",
            "max_concurrency",
            "max_concurrency_path",
            "tolerated_failure_count",
            "tolerated_failure_count_path",
            "tolerated_failure_percentage",
            "tolerated_failure_percentage_path",
        )
    for name in names:
        value = getattr(spec, name)
        if value is UNSET:
            continue
        if name in ("error_path", "cause_path") and _is_intrinsic(value):
            # AWS lets a Fail state's ErrorPath and CausePath be an intrinsic call.
            extra[name] = compile_intrinsic(value)
        elif name.endswith("_path"):
            extra[name] = compile_path(value) if isinstance(value, str) else value
        elif name == "item_selector":
            extra[name] = (
                compile_jsonata_value(value)
                if state.jsonata
                else compile_template(value)
            )
        elif state.jsonata and (isinstance(value, str) or name == "items"):
            extra[name] = compile_jsonata_value(value)
        else:
            extra[name] = value
    if isinstance(spec, m.StartExecutionState) and spec.input is not UNSET:
        # OSML: the child's input; a template (JSONPath) or an expression (JSONata).
        if state.jsonata:
            state.arguments = compile_jsonata_value(spec.input)
        else:
            state.parameters = compile_template(spec.input)
    if (
        isinstance(spec, m.MapState)
        and not state.jsonata
        and spec.parameters is not UNSET
    ):
        # Legacy Map: Parameters plays the part of ItemSelector.
        extra.setdefault("item_selector", compile_template(spec.parameters))
        state.parameters = None


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("States.")


def _jsonata(value: Any) -> JsonataValue | None:
    return None if value is UNSET else compile_jsonata_value(value)


def _path(value: Any) -> PathField:
    if value is UNSET:
        return IDENTITY
    if value is None:
        return DISCARD
    return compile_path(value)


def _reference(value: Any) -> ResultPathField:
    if value is UNSET:
        return IDENTITY
    if value is None:
        return DISCARD
    return compile_reference_path(value)


def _retrier(retrier: m.Retrier) -> CompiledRetrier:
    max_delay = retrier.max_delay_seconds
    return CompiledRetrier(
        error_equals=tuple(retrier.error_equals),
        interval_ms=retrier.interval_seconds * 1000,
        max_attempts=retrier.max_attempts,
        backoff_rate=retrier.backoff_rate,
        max_delay_ms=max_delay * 1000 if isinstance(max_delay, int) else None,
        full_jitter=retrier.jitter_strategy == "FULL",
    )


def _catcher(catcher: m.Catcher, jsonata: bool) -> CompiledCatcher:
    assign: Template | JsonataValue | None = None
    if catcher.assign is not UNSET:
        assign = (
            compile_jsonata_value(catcher.assign)
            if jsonata
            else compile_template(catcher.assign)
        )
    return CompiledCatcher(
        error_equals=tuple(catcher.error_equals),
        next=catcher.next,
        result_path=IDENTITY if jsonata else _reference(catcher.result_path),
        output=_jsonata(catcher.output) if jsonata else None,
        assign=assign,
    )
