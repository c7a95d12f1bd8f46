"""JSON values rendered as text the way AWS Step Functions (Java, Jackson) renders them.

Cause texts quote the state input, `States.JsonToString` returns JSON text and
`States.Format` interpolates values; AWS produces all three with Java libraries, so
the bytes differ from Python's defaults in a few places that users can see:

* compact separators, non-ASCII characters left as they are;
* control characters escaped as `\\u00XX` with upper-case hex (Python writes
  lower case);
* floats printed like Java's `Double.toString`: `1.0E7`, `1.0E-4`, `-0.0`
  (Python writes `10000000.0`, `0.0001`);
* `States.Format` prints objects and arrays the way Java's `Map.toString` and
  `List.toString` do: `{a=1, b=[x, y]}`.
"""

import re
from decimal import Decimal
from json.encoder import encode_basestring

from statum.core.language.json import Json

__all__ = ["java_double_text", "java_object_text", "java_scalar_text", "to_json_text"]

_LOWER_HEX_ESCAPE = re.compile(r"\\\\|\\u00[0-9a-f]{2}")


def _upper_hex(match: re.Match[str]) -> str:
    text = match.group(0)
    # An escaped backslash is matched too so that "\\u00ab" (a backslash followed by
    # the letters u00ab) is never mistaken for an escape sequence.
    return text if text == "\\\\" else text[:4] + text[4:].upper()


def _string_text(text: str) -> str:
    encoded: str = encode_basestring(text)
    if "\\u00" in encoded:
        encoded = _LOWER_HEX_ESCAPE.sub(_upper_hex, encoded)
    return encoded


def java_double_text(number: float) -> str:
    """`Double.toString(number)`: shortest digits, scientific outside [1e-3, 1e7)."""
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "-0.0" if str(number).startswith("-") else "0.0"
    magnitude = abs(number)
    if 1e-3 <= magnitude < 1e7:
        # Python's repr already uses plain notation with a ".0" in this range.
        return repr(number)
    # Python's repr gives the same shortest round-trip digits as Java's; only the
    # layout of the exponent differs.
    sign, digits, exponent = Decimal(repr(number)).as_tuple()
    assert isinstance(exponent, int)
    significant = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) + exponent - 1
    mantissa = significant[0] + "." + (significant[1:] or "0")
    return ("-" if sign else "") + mantissa + "E" + str(power)


def to_json_text(value: Json) -> str:
    """Compact JSON text, byte for byte as Jackson writes it."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Json, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_string_text(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        separator = "{"
        for key, item in value.items():
            parts.append(separator)
            parts.append(_string_text(key))
            parts.append(":")
            _write(item, parts)
            separator = ","
        parts.append("}")
    elif isinstance(value, list):
        if not value:
            parts.append("[]")
            return
        separator = "["
        for item in value:
            parts.append(separator)
            _write(item, parts)
            separator = ","
        parts.append("]")
    else:
        parts.append(java_scalar_text(value))


def java_scalar_text(value: Json) -> str:
    """A non-string scalar as both Jackson and Java's `toString` print it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return java_double_text(value)
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"not a JSON scalar: {type(value).__name__}")


def java_object_text(value: Json) -> str:
    """`String.valueOf` of the Java object a JSON value decodes to.

    This is what `States.Format` interpolates: strings unquoted, objects as
    `{key=value, ...}`, arrays as `[a, b]`.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        inner = ", ".join(f"{k}={java_object_text(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(java_object_text(v) for v in value) + "]"
    return java_scalar_text(value)
