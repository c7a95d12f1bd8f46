"""Choice states: the Choices array, Default, and the rule language in both modes.

A JSONPath rule is a comparison (`Variable` plus exactly one operator) or a boolean
combination (`And`, `Or`, `Not`); only the top-level rules carry `Next`. A JSONata rule
is a `Condition` expression with a `Next`.
"""

from collections.abc import Mapping
from typing import Final

from statum.core.definition.validation.assign import check_assign
from statum.core.definition.validation.context import (
    JSONATA,
    JSONPATH,
    MAX_DEPTH,
    Ctx,
    Lang,
    pointer,
)
from statum.core.definition.validation.fields import (
    check_required,
    check_timestamp,
    expect,
)
from statum.core.definition.validation.query_language import wrong_language
from statum.core.definition.validation.syntax import (
    check_jsonata_string,
    check_jsonata_template,
    check_path,
)
from statum.core.language.json import Json

_COMPARED: Final = {
    "String": "STRING",
    "Numeric": "NUMBER",
    "Boolean": "BOOLEAN",
    "Timestamp": "TIMESTAMP",
}
_RELATIONS: Final = (
    "Equals",
    "LessThan",
    "GreaterThan",
    "LessThanEquals",
    "GreaterThanEquals",
)

# Operator name -> the JSON type its operand must have ("PATH" for the *Path variants).
OPERATORS: Final[Mapping[str, str]] = {
    **{
        f"{kind}{relation}": json_type
        for kind, json_type in _COMPARED.items()
        for relation in _RELATIONS
        if kind != "Boolean" or relation == "Equals"
    },
    **{
        f"{kind}{relation}Path": "PATH"
        for kind in _COMPARED
        for relation in _RELATIONS
        if kind != "Boolean" or relation == "Equals"
    },
    "StringMatches": "STRING",
    **{
        f"Is{kind}": "BOOLEAN"
        for kind in ("Null", "Present", "Numeric", "String", "Boolean", "Timestamp")
    },
}
_COMBINATORS: Final = ("And", "Or", "Not")
_JSONATA_RULE_FIELDS: Final = frozenset(
    {"Condition", "Next", "Assign", "Output", "Comment"}
)
_JSONPATH_EXTRA: Final = frozenset({"Variable", *_COMBINATORS, *OPERATORS})


def check_choice(
    ctx: Ctx, loc: str, state: Mapping[str, Json], language: Lang
) -> list[tuple[str, str]]:
    """Check a Choice state; return its transitions (target, pointer)."""
    edges: list[tuple[str, str]] = []
    if "Default" in state:
        at = pointer(loc, "Default")
        default = state["Default"]
        if expect(ctx, at, default, "STRING") and isinstance(default, str):
            edges.append((default, at))
    if not check_required(ctx, loc, state, "Choices"):
        return edges
    at = pointer(loc, "Choices")
    rules = state["Choices"]
    if not expect(ctx, at, rules, "ARRAY") or not isinstance(rules, list):
        return edges
    if not rules:
        ctx.report(at, "'Choices' must hold at least one choice rule")
    for index, rule in enumerate(rules):
        rule_at = pointer(at, index)
        if not expect(ctx, rule_at, rule, "OBJECT") or not isinstance(rule, dict):
            continue
        if check_required(ctx, rule_at, rule, "Next"):
            target = rule["Next"]
            if expect(ctx, pointer(rule_at, "Next"), target, "STRING") and isinstance(
                target, str
            ):
                edges.append((target, pointer(rule_at, "Next")))
        if "Assign" in rule:
            check_assign(ctx, pointer(rule_at, "Assign"), rule["Assign"], language)
        if language == JSONATA:
            _check_jsonata_rule(ctx, rule_at, rule)
        else:
            if "Output" in rule:
                wrong_language(ctx, rule_at, "Output", language)
            _check_jsonpath_rule(ctx, rule_at, rule, top_level=True, depth=0)
    return edges


def _check_jsonata_rule(ctx: Ctx, loc: str, rule: Mapping[str, Json]) -> None:
    for key in rule:
        if key in _JSONPATH_EXTRA:
            wrong_language(ctx, loc, key, JSONATA)
        elif key not in _JSONATA_RULE_FIELDS:
            ctx.report(
                pointer(loc, key), f"Field '{key}' is not supported in a choice rule"
            )
    if check_required(ctx, loc, rule, "Condition"):
        condition = rule["Condition"]
        at = pointer(loc, "Condition")
        if isinstance(condition, str):
            check_jsonata_string(ctx, at, condition, whole=True)
        else:
            expect(ctx, at, condition, "BOOLEAN")
    if "Output" in rule:
        check_jsonata_template(ctx, pointer(loc, "Output"), rule["Output"])


def _check_jsonpath_rule(
    ctx: Ctx, loc: str, rule: Mapping[str, Json], *, top_level: bool, depth: int
) -> None:
    if depth > MAX_DEPTH:
        ctx.report(loc, f"Choice rules are nested more than {MAX_DEPTH} levels deep")
        return
    allowed = _JSONPATH_EXTRA | {"Comment"}
    if top_level:
        allowed |= {"Next", "Assign", "Output"}
    for key in rule:
        if key == "Condition":
            wrong_language(ctx, loc, key, JSONPATH)
        elif key not in allowed:
            if key in ("Next", "Assign", "Output"):
                message = (
                    f"Field '{key}' is not supported in a nested choice rule; only the "
                    "top-level rules in 'Choices' can have it"
                )
            else:
                message = f"Field '{key}' is not supported in a choice rule; remove it"
            ctx.report(pointer(loc, key), message)
    operators = [key for key in rule if key in OPERATORS]
    combinators = [key for key in rule if key in _COMBINATORS]
    if combinators and (operators or "Variable" in rule):
        ctx.report(
            loc,
            "A choice rule is either a comparison ('Variable' with one operator) or "
            "one of 'And', 'Or', 'Not', not both; split it into separate rules",
        )
    elif len(combinators) > 1:
        ctx.report(
            loc, "A choice rule may use only one of 'And', 'Or', 'Not'; nest them"
        )
    elif not combinators and not ("Condition" in rule and not operators):
        # A rule holding only a Condition is a JSONata rule in the wrong state: the
        # language problem above says all there is to say about it.
        _check_comparison(ctx, loc, rule, operators)
    for name in combinators:
        _check_combinator(ctx, pointer(loc, name), name, rule[name], depth)
    for name in operators:
        _check_operand(ctx, pointer(loc, name), name, rule[name])


def _check_comparison(
    ctx: Ctx, loc: str, rule: Mapping[str, Json], operators: list[str]
) -> None:
    if "Variable" not in rule:
        ctx.report(
            loc,
            "The field 'Variable' is required but was missing; a choice rule compares "
            "'Variable' with one operator, or combines rules with 'And', 'Or', 'Not'",
        )
    else:
        check_path(ctx, pointer(loc, "Variable"), "Variable", rule["Variable"])
    if not operators:
        ctx.report(
            loc,
            "A choice rule needs exactly one comparison operator, such as "
            "'StringEquals', 'NumericLessThan' or 'IsPresent'",
        )
    elif len(operators) > 1:
        ctx.report(
            loc,
            f"A choice rule may have only one comparison operator, found "
            f"{', '.join(operators)}; combine comparisons with 'And' or 'Or'",
        )


def _check_combinator(ctx: Ctx, loc: str, name: str, value: Json, depth: int) -> None:
    if name == "Not":
        if expect(ctx, loc, value, "OBJECT") and isinstance(value, dict):
            _check_jsonpath_rule(ctx, loc, value, top_level=False, depth=depth + 1)
        return
    if not expect(ctx, loc, value, "ARRAY") or not isinstance(value, list):
        return
    if not value:
        ctx.report(loc, f"'{name}' needs at least one choice rule")
    for index, item in enumerate(value):
        at = pointer(loc, index)
        if expect(ctx, at, item, "OBJECT") and isinstance(item, dict):
            _check_jsonpath_rule(ctx, at, item, top_level=False, depth=depth + 1)


def _check_operand(ctx: Ctx, loc: str, name: str, value: Json) -> None:
    wanted = OPERATORS[name]
    if wanted == "PATH":
        check_path(ctx, loc, name, value)
    elif wanted == "TIMESTAMP":
        check_timestamp(ctx, loc, value)
    else:
        expect(ctx, loc, value, wanted)
