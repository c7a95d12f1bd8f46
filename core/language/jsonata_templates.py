"""JSON values with `{% %}` expressions inside: `Output`, `Assign`, `Arguments`...

In a JSONata state, any string that is exactly `{% <expression> %}` (opening at
its first character, closing at its last: AWS leaves `" {% x %} "` alone) is an
expression, at any depth of objects and arrays; everything else is literal. Each
expression's failure names where it sits below the field: a `/` before every
object key and `[i]` after every array index, as AWS names it ('Output/a/b',
'Output/values[0]', 'Output/a/b[0][1]').
"""

from collections.abc import Mapping

from statum.core.language.entropy import Entropy
from statum.core.language.expressions import (
    Expression,
    ExpressionSyntaxError,
    TallySource,
    compile_expression,
)
from statum.core.language.json import Json
from statum.core.language.jsonata_limits import DEFAULT_LIMITS, ExpressionLimits

_OPEN, _CLOSE = "{%", "%}"


def is_jsonata_string(value: object) -> bool:
    """True for a string that is one whole `{% ... %}` expression."""
    return (
        isinstance(value, str)
        and len(value) >= len(_OPEN) + len(_CLOSE)
        and value.startswith(_OPEN)
        and value.endswith(_CLOSE)
    )


def expression_text(value: str) -> str:
    """The expression inside `{% ... %}`, trimmed as AWS quotes it in causes."""
    return value[len(_OPEN) : -len(_CLOSE)].strip()


class _Leaf:
    __slots__ = ("expression", "suffix")

    def __init__(self, expression: Expression, suffix: str) -> None:
        self.expression = expression
        self.suffix = suffix


class _Object:
    __slots__ = ("members",)

    def __init__(self, members: tuple[tuple[str, "_Node"], ...]) -> None:
        self.members = members


class _Array:
    __slots__ = ("items",)

    def __init__(self, items: tuple["_Node", ...]) -> None:
        self.items = items


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value: Json) -> None:
        self.value = value


_Node = _Leaf | _Object | _Array | _Constant


def _plan(value: Json, suffix: str) -> _Node:
    """The evaluation plan; subtrees without expressions become one constant."""
    if isinstance(value, str):
        if is_jsonata_string(value):
            try:
                return _Leaf(compile_expression(expression_text(value)), suffix)
            except ExpressionSyntaxError as error:
                error.location = suffix
                raise
        return _Constant(value)
    if isinstance(value, dict):
        members = tuple((k, _plan(v, f"{suffix}/{k}")) for k, v in value.items())
        if all(isinstance(node, _Constant) for _, node in members):
            return _Constant(value)
        return _Object(members)
    if isinstance(value, list):
        items = tuple(_plan(v, f"{suffix}[{i}]") for i, v in enumerate(value))
        if all(isinstance(node, _Constant) for node in items):
            return _Constant(value)
        return _Array(items)
    return _Constant(value)


class JsonataValue:
    """A compiled template; `evaluate` replaces each expression by its result.

    Every expression must produce a value: one that returns nothing fails the
    state (`States.QueryEvaluationError`), as on AWS. Constant parts of the
    result are the template's own objects: treat the result as immutable.
    """

    __slots__ = ("_root", "template")

    def __init__(self, template: Json) -> None:
        self.template = template
        self._root = _plan(template, "")

    @property
    def is_constant(self) -> bool:
        """True when the template holds no expression at all."""
        return isinstance(self._root, _Constant)

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
    ) -> Json:
        """The template's value; expressions run in document order, all of them
        within one `tally` of evaluation steps when one is given."""

        def resolve(node: _Node) -> Json:
            if isinstance(node, _Constant):
                return node.value
            if isinstance(node, _Leaf):
                return node.expression.evaluate_value(
                    variables,
                    states,
                    now_ms=now_ms,
                    entropy=entropy,
                    field=field + node.suffix,
                    limits=limits,
                    tally=tally,
                )
            if isinstance(node, _Object):
                return {key: resolve(child) for key, child in node.members}
            return [resolve(child) for child in node.items]

        return resolve(self._root)


def compile_jsonata_value(value: Json) -> JsonataValue:
    """Compile every `{% %}` string inside `value` once.

    Raises `ExpressionSyntaxError` for the first expression JSONata cannot parse.
    """
    return JsonataValue(value)
