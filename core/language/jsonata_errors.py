"""AWS's wording for JSONata failures: the JSONata message and the cause around it.

AWS reports a coded JSONata error as jsonata-js words it (`T0410: Argument 1 of
function "each" does not match function signature`): inserts are JSON-rendered and
functions are called functions. jsonata-python keeps the catalogue but says
"Object" for "function" and formats inserts with `str`, so messages are rebuilt
here from its catalogue and the inserts it carries.
"""

import json
import math
import re
from typing import Any

from jsonata.jexception import JException
from jsonata.utils import Utils

from statum.core.language.errors import QUERY_EVALUATION_ERROR, StatesError
from statum.core.language.json import json_type_name
from statum.core.language.jsonata_functions import JsonataFunctionError
from statum.core.language.jsonata_limits import STACK_OVERFLOW, LimitExceeded

_PLACEHOLDER = re.compile(r"\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}")

# jsonata-js names the element type of a T0412 array in words.
_ARRAY_TYPES = {
    "a": "arrays",
    "b": "booleans",
    "f": "functions",
    "n": "numbers",
    "o": "objects",
    "s": "strings",
}

# Codes whose message AWS prints without the code (measured for $replace).
_UNCODED = frozenset({"D3010"})


def js_number(number: float) -> str:
    """A number as JavaScript prints it (3 not 3.0, 1e-7 not 1e-07)."""
    if not math.isfinite(number):
        return "null"  # JSON.stringify's rendering of NaN and Infinity
    if number == int(number) and abs(number) < 1e21:
        return str(int(number))
    text = repr(float(number))
    mantissa, _, exponent = text.partition("e")
    if not exponent:
        return mantissa
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"


def js_json(value: Any) -> str:
    """`JSON.stringify` of a jsonata-python value, `undefined` for undefined."""
    if value is None:
        return "undefined"
    if value is Utils.NULL_VALUE:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(js_json(item) for item in value) + "]"
    if isinstance(value, dict):
        members = (f"{js_json(str(k))}:{js_json(v)}" for k, v in value.items())
        return "{" + ",".join(members) + "}"
    return "undefined"  # functions and regexes: JSON.stringify drops them


def jsonata_message(error: JException) -> tuple[str | None, str]:
    """The JSONata code (None when AWS prints none) and message of a failure."""
    if isinstance(error, LimitExceeded):
        return None, error.message
    if isinstance(error, JsonataFunctionError):
        return error.code, error.message
    code = str(error.error)
    template = JException.error_codes.get(code)
    if template is None:
        # jsonata-python raises a few messages with the whole text as the code.
        return None, code
    inserts: list[Any] = [error.current, error.expected, error.extra]
    if code == "D1002":  # the port puts the operator first; jsonata-js has no slot
        inserts = [error.expected]
    elif code == "T0412":
        inserts[2] = _ARRAY_TYPES.get(str(inserts[2]))
    slots = iter(inserts)

    def fill(match: "re.Match[str]") -> str:
        value = next(slots, None)
        return str(value) if match.group(1) else js_json(value)

    message = _PLACEHOLDER.sub(fill, template.replace("Object", "function"))
    return (None if code in _UNCODED else code), message


def opening(expression: str, field: str) -> str:
    return f"The JSONata expression '{expression}' specified for the field '{field}'"


def evaluation_error(expression: str, field: str, error: BaseException) -> StatesError:
    """`States.QueryEvaluationError` for an expression that raised.

    A coded message is a sentence of its own, joined with ". "; a bare one (a bound,
    or a failure of the library itself) is joined with ": ", as AWS joins them.
    """
    if isinstance(error, JException):
        code, message = jsonata_message(error)
    elif isinstance(error, RecursionError):
        code, message = None, STACK_OVERFLOW
    else:
        code, message = None, str(error) or type(error).__name__
    head = opening(expression, field) + " threw an error during evaluation"
    cause = f"{head}. {code}: {message}" if code else f"{head}: {message}"
    return StatesError(QUERY_EVALUATION_ERROR, cause)


def undefined_error(expression: str, field: str) -> StatesError:
    return StatesError(
        QUERY_EVALUATION_ERROR,
        opening(expression, field) + " returned nothing (undefined).",
    )


def unsupported_error(expression: str, field: str) -> StatesError:
    return StatesError(
        QUERY_EVALUATION_ERROR,
        opening(expression, field) + " returned an unsupported result type.",
    )


def unexpected_type_error(
    expression: str, field: str, expected: str, value: Any
) -> StatesError:
    """The failure for a result of the wrong JSON type (e.g. `Items` not an array)."""
    rendered = js_json(Utils.NULL_VALUE if value is None else value)
    return StatesError(
        QUERY_EVALUATION_ERROR,
        opening(expression, field) + " returned an unexpected result type. "
        f"Expected '{expected}', but was '{json_type_name(value)}' "
        f"for value: {rendered}",
    )
