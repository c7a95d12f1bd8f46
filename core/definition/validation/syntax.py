"""Syntax of the strings a definition embeds: paths, intrinsic calls, JSONata.

The parsing itself belongs to `statum.core.language`; this module only decides which
compiler a string goes to, walks payload templates to find those strings, and turns a
`LanguageSyntaxError` into a problem located at the offending field.
"""

from collections.abc import Callable

from statum.core.definition.problems import INVALID_JSONATA_EXPRESSION
from statum.core.definition.validation.context import Ctx, pointer
from statum.core.language.errors import LanguageSyntaxError
from statum.core.language.expressions import compile_expression
from statum.core.language.intrinsics import compile_intrinsic
from statum.core.language.json import Json
from statum.core.language.paths import compile_path, compile_reference_path

INTRINSIC_PREFIX = "States."


def _compile_error(compile_: Callable[[str], object], text: str) -> str | None:
    """None if `text` compiles, else the compiler's message."""
    try:
        compile_(text)
    except LanguageSyntaxError as exc:
        return str(exc).strip() or "syntax error"
    except RecursionError:
        # A pathologically nested expression exhausts a recursive parser; that is a
        # property of the input, so it is reported like any other syntax error.
        return "the expression is nested too deeply"
    except Exception as exc:
        # The validator must answer every input with problems, never a traceback.
        # jsonata-python's parser still lets some malformed text escape as KeyError,
        # IndexError or re.error (e.g. "!", "/", "~)"): that is the user's syntax
        # error, reported badly, so it is reported here as one.
        return f"it cannot be parsed ({type(exc).__name__}: {exc})"
    return None


def _single_value_error(text: str) -> str | None:
    """A path that must select one value: no wildcards, slices, filters or scans."""
    error = _compile_error(compile_path, text)
    if error is None and not compile_path(text).is_definite:
        return "it must select a single value: no wildcards, slices, filters or scans"
    return error


def check_path(
    ctx: Ctx,
    loc: str,
    field: str,
    value: Json,
    *,
    single: bool = False,
    intrinsic: bool = False,
) -> bool:
    """A JSONPath (or, where `intrinsic`, an intrinsic call) in a `*Path` or `.$` field.

    `single` is for the fields AWS calls reference paths (ItemsPath, SecondsPath, ...):
    they read one value, so the path must be definite.
    """
    wanted = (
        "a valid JSONPath or a valid intrinsic function call"
        if intrinsic
        else ("a valid JSONPath")
    )
    if not isinstance(value, str):
        ctx.report(loc, f"The value for the field '{field}' must be {wanted}")
        return False
    if intrinsic and value.startswith(INTRINSIC_PREFIX):
        error = _compile_error(compile_intrinsic, value)
    elif single:
        error = _single_value_error(value)
    else:
        error = _compile_error(compile_path, value)
    if error is not None:
        ctx.report(loc, f"The value for the field '{field}' must be {wanted} ({error})")
        return False
    return True


def check_result_path(ctx: Ctx, loc: str, field: str, value: Json) -> None:
    """ResultPath: null, or a reference path into the input (never `$$` or `$var`)."""
    if value is None:
        return
    if not isinstance(value, str):
        ctx.report(loc, f"The value for the field '{field}' must be a valid JSONPath")
        return
    error = _compile_error(compile_reference_path, value)
    if error is not None:
        ctx.report(
            loc,
            f"The value for the field '{field}' must be a valid reference path such as "
            f"'$.result' ({error})",
        )


def is_expression(text: str) -> bool:
    return len(text) >= 4 and text.startswith("{%") and text.endswith("%}")


def check_jsonata_string(ctx: Ctx, loc: str, text: str, *, whole: bool = False) -> bool:
    """A string in a JSONata state: an expression, or (unless `whole`) a literal.

    A string that opens with `{%` but does not close with `%}` (or the reverse) is
    almost certainly a broken expression, so it is reported rather than taken as text.
    """
    if is_expression(text):
        error = _compile_error(compile_expression, text[2:-2])
        if error is not None:
            ctx.report(
                loc,
                f"{error} (fix the JSONata expression between '{{%' and '%}}')",
                INVALID_JSONATA_EXPRESSION,
            )
            return False
        return True
    if text.startswith("{%") or text.endswith("%}"):
        ctx.report(
            loc,
            "A JSONata expression must start with '{%' and end with '%}'; "
            "complete the delimiters",
            INVALID_JSONATA_EXPRESSION,
        )
        return False
    if whole:
        ctx.report(loc, "Expected a JSONata expression of the form '{% ... %}'")
        return False
    return True


def check_jsonata_template(ctx: Ctx, loc: str, value: Json) -> None:
    """Every `{% %}` string anywhere inside `value` must compile."""
    # An explicit stack: templates can be nested deeper than Python's recursion limit.
    stack: list[tuple[str, Json]] = [(loc, value)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str):
            check_jsonata_string(ctx, here, node)
        elif isinstance(node, dict):
            stack.extend((pointer(here, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(
                (pointer(here, i), v) for i, v in reversed(list(enumerate(node)))
            )


def check_jsonpath_template(ctx: Ctx, loc: str, value: Json) -> None:
    """A JSONPath payload template: every `key.$` holds a path or an intrinsic call."""
    stack: list[tuple[str, Json]] = [(loc, value)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, list):
            stack.extend(
                (pointer(here, i), v) for i, v in reversed(list(enumerate(node)))
            )
            continue
        if not isinstance(node, dict):
            continue
        pending: list[tuple[str, Json]] = []
        for key, item in node.items():
            at = pointer(here, key)
            if not key.endswith(".$"):
                pending.append((at, item))
                continue
            check_path(ctx, at, key, item, intrinsic=True)
            if key[:-2] in node:
                ctx.report(
                    at,
                    f"The field '{key[:-2]}' is given twice, as '{key[:-2]}' and as "
                    f"'{key}'; keep only one",
                )
        stack.extend(reversed(pending))
