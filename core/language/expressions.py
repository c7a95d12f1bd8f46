"""JSONata expressions as OSML evaluates them: AWS's dialect, deterministic, bounded.

Rule: this is the only module that touches `jsonata.Jsonata`. Everything JSONata
could take from the outside world comes from the arguments instead: `$now` and
`$millis` from `now_ms` (the time of the event being decided), `$random`, `$uuid`
and `$shuffle` from `entropy`. Those are bound per call in a fresh frame, never on
the shared compiled expression (STYLE.md §2.10(3)); the compiled expression's own
frame is filled once, at compile time, with AWS's pure extensions, corrected
library built-ins, and inert placeholders that hide the library's impure ones.

Literals and plain variable paths skip the engine (see `jsonata_fastpath`).
"""

import enum
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from jsonata import Jsonata
from jsonata.jexception import JException

from statum.core.language import jsonata_corrections as fix
from statum.core.language import jsonata_functions as aws
from statum.core.language.entropy import Entropy
from statum.core.language.errors import LanguageSyntaxError, StatesError
from statum.core.language.json import Json
from statum.core.language.jsonata_errors import (
    evaluation_error,
    jsonata_message,
    undefined_error,
    unexpected_type_error,
    unsupported_error,
)
from statum.core.language.jsonata_fastpath import (
    DEFER,
    VariableBindings,
    follow,
    is_bare,
    variable_path,
)
from statum.core.language.jsonata_limits import (
    DEFAULT_LIMITS,
    Budget,
    ExpressionLimits,
    LimitExceeded,
    StepTally,
)
from statum.core.language.jsonata_results import UnsupportedResult, to_json
from statum.core.language.regexes import UnsupportedRegex, linear_regex_engine


class Undefined(enum.Enum):
    """JSONata's *undefined*: the expression produced nothing, not even null."""

    UNDEFINED = "undefined"


UNDEFINED: Final = Undefined.UNDEFINED


class ExpressionSyntaxError(LanguageSyntaxError):
    """An expression JSONata cannot parse; the message is jsonata-js's, uncoded."""

    def __init__(self, expression: str, message: str, code: str | None) -> None:
        super().__init__(message)
        self.expression = expression
        self.code = code
        self.location = ""  # below the field, in a template: '/a/b[0]'


class _Arity:
    """The sliver of a signature jsonata-python reads from a bound function."""

    __slots__ = ("_required",)

    def __init__(self, required: int) -> None:
        self._required = required

    def set_function_name(self, name: str) -> None:
        pass

    def get_min_number_of_args(self) -> int:  # how many arguments $map passes
        return self._required


class _Extension(Jsonata.JFunction):  # type: ignore[misc]
    """One of AWS's functions; it checks its own arguments, in AWS's words."""

    def __init__(self, implementation: Callable[[Sequence[Any]], Any], required: int):
        self.function = None
        self.function_name = None
        self.signature = _Arity(required)
        self._implementation = implementation

    def call(self, input: Any, args: Any) -> Any:
        return self._implementation(args if isinstance(args, list) else [])

    def validate(self, args: Any, context: Any) -> Any:
        return args


class _Corrected(Jsonata.JFunction):  # type: ignore[misc]
    """A library built-in called through a correction (`jsonata_corrections`)."""

    def __init__(self, name: str, around: fix.Around) -> None:
        self._native = Jsonata.static_frame.lookup(name)
        self._around = around
        self.function = None
        self.function_name = name
        self.signature = self._native.signature

    def call(self, input: Any, args: Any) -> Any:
        return self._around(self._native, input, args)

    def validate(self, args: Any, context: Any) -> Any:
        return self._native.validate(args, context)


def _extension(function: Callable[..., Any], required: int, **inputs: Any) -> Any:
    return _Extension(functools.partial(function, **inputs), required)


# Bound once in every compiled expression's frame. `eval` is bound to nothing:
# AWS removes it, and a call to it fails with T1006 there as here.
_STATIC: Mapping[str, Any] = {
    "partition": _Extension(aws.partition, 1),
    "hash": _Extension(aws.hash_, 1),
    "parse": _Extension(aws.parse, 0),
    "number": _Corrected("number", fix.js_number),
    "eval": None,
    **{name: _Corrected(name, fix.null_checked(name)) for name in fix.NULL_CHECKED},
}

# Bound per call when the expression mentions them, from that call's inputs.
_PER_CALL: Mapping[str, Callable[[Budget, int, Entropy], Any]] = {
    "now": lambda budget, now_ms, entropy: _extension(aws.now, 0, now_ms=now_ms),
    "millis": lambda budget, now_ms, entropy: _extension(aws.millis, 0, now_ms=now_ms),
    "random": lambda budget, now_ms, entropy: _extension(
        aws.random_, 0, entropy=entropy
    ),
    "uuid": lambda budget, now_ms, entropy: _extension(aws.uuid, 0, entropy=entropy),
    "shuffle": lambda budget, now_ms, entropy: _extension(
        aws.shuffle, 1, entropy=entropy
    ),
    "range": lambda budget, now_ms, entropy: _extension(aws.range_, 2, budget=budget),
    "pad": lambda budget, now_ms, entropy: _Corrected("pad", fix.bounded_pad(budget)),
}
# A function can only be reached through its `$name`, so a mention in the text
# is a sound (if generous) test of which ones a call needs.
_MENTION = re.compile(r"\$(" + "|".join(_PER_CALL) + r")\b")

_NO_VALUE: Any = object()

# Where an evaluation gets the step tally it shares with the state's other
# expressions: called only when JSONata actually runs (not for a constant or a
# plain path), so that the tally can be made lazily.
TallySource = Callable[[], StepTally | None]


class Expression:
    """One compiled JSONata expression: immutable after construction, shareable."""

    __slots__ = ("_constant", "_engine", "_path", "_per_call", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self._engine = Jsonata(text, linear_regex_engine)
        except JException as error:
            code, message = jsonata_message(error)
            raise ExpressionSyntaxError(text, message, code) from None
        except UnsupportedRegex as error:
            raise ExpressionSyntaxError(text, str(error), None) from None
        except RecursionError:
            message = "Expression is nested too deeply"
            raise ExpressionSyntaxError(text, message, None) from None
        environment = self._engine.environment  # this expression's alone
        for name, function in _STATIC.items():
            environment.bind(name, function)
        for name in _PER_CALL:
            environment.bind(name, None)
        self._per_call = tuple(sorted(set(_MENTION.findall(text))))
        self._path = variable_path(text, self._engine.ast)
        self._constant: Any = _NO_VALUE
        ast = self._engine.ast
        if ast.type in ("string", "number", "value") and is_bare(ast):
            self._constant = self._run({}, {}, 0, Entropy(text), "", DEFAULT_LIMITS)

    def evaluate(
        self,
        variables: Mapping[str, Json],
        states: Json,
        *,
        now_ms: int,
        entropy: Entropy,
        field: str,
        limits: ExpressionLimits = DEFAULT_LIMITS,
        tally: TallySource | None = None,
    ) -> Json | Undefined:
        """The result as plain JSON, or `UNDEFINED`; failures raise `StatesError`.

        `states` is bound to `$states` and each variable to `$name`; `field` names
        the definition field in causes ('Output/result', 'Items', 'Condition'...).
        The result may share structure with the inputs: treat JSON as immutable.
        """
        if self._constant is not _NO_VALUE:
            constant: Json | Undefined = self._constant
            return constant
        if self._path is not None:
            found = follow(self._path, variables, states, UNDEFINED)
            if found is not DEFER:
                return self._finish(found, field, limits)
        return self._run(variables, states, now_ms, entropy, field, limits, tally)

    def evaluate_value(
        self,
        variables: Mapping[str, Json],
        states: Json,
        *,
        now_ms: int,
        entropy: Entropy,
        field: str,
        limits: ExpressionLimits = DEFAULT_LIMITS,
        tally: TallySource | None = None,
    ) -> Json:
        """`evaluate`, failing as AWS does when the expression returns nothing."""
        result = self.evaluate(
            variables,
            states,
            now_ms=now_ms,
            entropy=entropy,
            field=field,
            limits=limits,
            tally=tally,
        )
        if result is UNDEFINED:
            raise undefined_error(self.text, field)
        return result

    def unexpected_type(self, field: str, expected: str, value: Json) -> StatesError:
        """AWS's failure for a result of the wrong type (`Items` not an array...)."""
        return unexpected_type_error(self.text, field, expected, value)

    def _run(
        self,
        variables: Mapping[str, Json],
        states: Json,
        now_ms: int,
        entropy: Entropy,
        field: str,
        limits: ExpressionLimits,
        tally: TallySource | None = None,
    ) -> Json | Undefined:
        # Frames, innermost first: $states and the budget's callbacks; the
        # variables (which shadow functions, as JSONata bindings do); the per-call
        # functions; the compiled expression's frame; the library's built-ins.
        budget = Budget(limits, None if tally is None else tally())
        parent = self._engine.environment
        if self._per_call:
            parent = Jsonata.Frame(parent)
            for name in self._per_call:
                parent.bind(name, _PER_CALL[name](budget, now_ms, entropy))
        scope = Jsonata.Frame(parent)
        scope.bindings = VariableBindings(variables)
        frame = Jsonata.Frame(scope)
        frame.bindings = {
            "states": states,
            "__evaluate_entry": budget.enter,
            "__evaluate_exit": budget.leave,
        }
        try:
            # `eval`, not `evaluate`: the latter reads the wall clock (for the
            # library's $now), copies every binding into a new frame and walks the
            # input to validate it, on every call.
            raw = self._engine.eval(self._engine.ast, None, frame)
            # What the expression built goes into the state's value: the state's
            # expressions together may build only so much (a thousand fields of
            # `[1..300000]` each are within the bound of one).
            budget.charge_result(raw)
        except Exception as error:  # any failure of an expression is the state's
            raise evaluation_error(self.text, field, error) from None
        return self._finish(raw, field, limits)

    def _finish(
        self, raw: Any, field: str, limits: ExpressionLimits
    ) -> Json | Undefined:
        if raw is None or raw is UNDEFINED:
            return UNDEFINED
        try:
            return to_json(raw, limits.max_memory_bytes)
        except UnsupportedResult:
            raise unsupported_error(self.text, field) from None
        except (LimitExceeded, RecursionError) as error:  # nested beyond the stack
            raise evaluation_error(self.text, field, error) from None


@functools.lru_cache(maxsize=4096)
def compile_expression(text: str) -> Expression:
    """The compiled form of `text` (without `{% %}`), parsed once per text.

    Raises `ExpressionSyntaxError` when JSONata cannot parse it.
    """
    return Expression(text.strip())
