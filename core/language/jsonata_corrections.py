"""Where jsonata-python's built-ins part from jsonata-js (and so from AWS), corrected.

Each correction is an `around(native, input, args)` call wrapper; `expressions`
binds it over the library's function of the same name, whose own signature still
validates the arguments first.
"""

import json
import math
import re
from collections.abc import Callable
from typing import Any

from jsonata.utils import Utils

from statum.core.language.jsonata_functions import JsonataFunctionError, signature_error
from statum.core.language.jsonata_limits import Budget

Around = Callable[[Any, Any, Any], Any]

_NULL: Any = Utils.NULL_VALUE
_JSON_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?")

# Functions that let JSON null past their signature and then fail without naming
# it: an anonymous T0410, or a bare Python TypeError. jsonata-js (and AWS) answer
# `T0410: Argument 1 of function "uppercase" does not match function signature`.
NULL_CHECKED = (
    "contains",
    "floor",
    "ceil",
    "round",
    "abs",
    "sqrt",
    "power",
    "formatNumber",
    "formatBase",
    "formatInteger",
    "parseInteger",
    "substring",
    "substringBefore",
    "substringAfter",
    "lowercase",
    "uppercase",
    "length",
    "trim",
    "match",
    "replace",
    "split",
    "base64encode",
    "base64decode",
    "encodeUrlComponent",
    "encodeUrl",
    "decodeUrlComponent",
    "decodeUrl",
)


def refuse_null(name: str, args: Any) -> None:
    if isinstance(args, list):
        for index, arg in enumerate(args):
            if arg is _NULL:
                raise signature_error(name, index + 1)


def null_checked(name: str) -> Around:
    def around(native: Any, input: Any, args: Any) -> Any:
        refuse_null(name, args)
        return native.call(input, args)

    return around


def bounded_pad(budget: Budget) -> Around:
    """`$pad`, refusing a width that would allocate past the memory bound.

    The library would build the whole string in one call, out of reach of the
    per-node checks, and `$pad('x', 1e10)` takes the process down.
    """

    def around(native: Any, input: Any, args: Any) -> Any:
        refuse_null("pad", args)
        width = args[1] if isinstance(args, list) and len(args) > 1 else None
        if isinstance(width, int | float) and not isinstance(width, bool):
            budget.check_length(abs(int(width)))
        return native.call(input, args)

    return around


def to_number(text: str) -> Any:
    """`$number` of a string: a JSON number, as jsonata-js accepts, else D3030."""
    if _JSON_NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return Utils.convert_number(number)
    raise JsonataFunctionError(
        "D3030",
        f"Unable to cast value to a number: {json.dumps(text, ensure_ascii=False)}",
    )


def js_number(native: Any, input: Any, args: Any) -> Any:
    """`$number` reading strings as jsonata-js does.

    The library hands any string to Python's `float`, which raises a bare
    ValueError for "abc" and accepts "inf" or "1_000".
    """
    refuse_null("number", args)
    text = args[0] if isinstance(args, list) and args else None
    if isinstance(text, str) and not text.startswith(("0x", "0B", "0O")):
        return to_number(text)
    return native.call(input, args)
