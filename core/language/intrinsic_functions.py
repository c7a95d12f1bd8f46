"""The AWS intrinsic functions (`States.Format`, `States.Hash`, ...), one per function.

Each takes the evaluated arguments and the scope (for `States.UUID` and
`States.MathRandom`, which draw from `scope.entropy`, never from the OS) and returns
a JSON value, or raises `StatesError("States.IntrinsicFailure", ...)`.

Where AWS documents a rule it is followed: "integer" arguments that are not
integers are rounded to the nearest integer (Java's `Math.round`, so -1.5 becomes
-1, as the corpus shows for `States.MathAdd`), strings given to Base64 and Hash
are limited to 10,000 characters, `States.ArrayRange` to 1,000 items, and
`States.JsonMerge` only merges shallowly.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

import msgspec

from statum.core.language.errors import INTRINSIC_FAILURE, StatesError
from statum.core.language.hashing import hex_digest
from statum.core.language.json import Json
from statum.core.language.jsonequality import json_equal
from statum.core.language.jsontext import java_object_text, to_json_text
from statum.core.language.scope import Scope

__all__ = ["FUNCTIONS", "FunctionSpec", "format_parts", "run_format"]

MAX_TEXT = 10_000
MAX_RANGE = 1_000
_JSON_WHITESPACE = " \t\r\n"  # RFC 8259: the only insignificant whitespace


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """An intrinsic: how many arguments it takes and what it computes."""

    min_args: int
    max_args: int | None
    run: Callable[[str, list[Json], Scope], Json]


def _fail(name: str, detail: str) -> StatesError:
    return StatesError(INTRINSIC_FAILURE, f"Invalid arguments in {name}: {detail}")


def _string(name: str, value: Json, what: str, limit: int | None = None) -> str:
    if not isinstance(value, str):
        raise _fail(name, f"the {what} must be a string, got {to_json_text(value)}")
    if limit is not None and len(value) > limit:
        raise _fail(name, f"the {what} exceeds {limit} characters")
    return value


def _array(name: str, value: Json) -> list[Json]:
    if not isinstance(value, list):
        raise _fail(name, f"expected an array, got {to_json_text(value)}")
    return value


def _integer(name: str, value: Json, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(name, f"the {what} must be a number, got {to_json_text(value)}")
    if isinstance(value, int):
        return value
    if value != value or value in (float("inf"), float("-inf")):
        raise _fail(name, f"the {what} must be a finite number")
    # Java's Math.round: floor(x + 0.5), computed exactly.
    return int((Decimal(value) + Decimal("0.5")).to_integral_value(ROUND_FLOOR))


def format_parts(template: str) -> list[str | None]:
    """Split a `States.Format` template into text and `{}` placeholders (None)."""
    parts: list[str | None] = []
    for index, chunk in enumerate(template.split("{}")):
        if index:
            parts.append(None)
        if chunk:
            parts.append(chunk)
    return parts


def run_format(name: str, parts: Sequence[str | None], values: list[Json]) -> str:
    """Fill the placeholders of a split template with the Java text of `values`."""
    if parts.count(None) != len(values):
        raise _fail(name, "the number of arguments does not match the placeholders")
    remaining = iter(values)
    return "".join(
        [java_object_text(next(remaining)) if part is None else part for part in parts]
    )


def _format(name: str, args: list[Json], scope: Scope) -> Json:
    template = _string(name, args[0], "template")
    return run_format(name, format_parts(template), args[1:])


# Deeper JSON text is refused before it is parsed: the parser recurses, and data
# that deep is an attack, not a document.
MAX_JSON_DEPTH = 512


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text, strings skipped;
    one pass, no recursion."""
    if "[" not in text and "{" not in text:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in "]}":
            depth -= 1
    return deepest


def _string_to_json(name: str, args: list[Json], scope: Scope) -> Json:
    text = _string(name, args[0], "argument")
    if not text.strip(_JSON_WHITESPACE):
        # AWS parses with Jackson's readTree, which reads a document with no
        # content (empty or only whitespace) as no value, returned as null.
        return None

    def reject(constant: str) -> Json:
        raise ValueError(constant)  # Jackson refuses NaN and Infinity

    def finite(number: str) -> float:
        value = float(number)
        if value in (float("inf"), float("-inf")):
            raise ValueError(number)  # too large for a double: no JSON value for it
        return value

    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise _fail(
            name,
            f"the string nests arrays and objects deeper than {MAX_JSON_DEPTH} levels",
        )
    try:
        parsed: Json = json.loads(text, parse_constant=reject, parse_float=finite)
    except ValueError:
        raise _fail(
            name, f"the string {to_json_text(text)} is not valid JSON"
        ) from None
    return parsed


def _array_partition(name: str, args: list[Json], scope: Scope) -> Json:
    array = _array(name, args[0])
    size = _integer(name, args[1], "chunk size")
    if size <= 0:
        raise _fail(name, "the chunk size must be a positive integer")
    return [array[i : i + size] for i in range(0, len(array), size)]


def _array_range(name: str, args: list[Json], scope: Scope) -> Json:
    start, end, step = (_integer(name, a, "argument") for a in args)
    if step == 0:
        raise _fail(name, "the step must not be zero")
    stop = end + (1 if step > 0 else -1)
    if len(range(start, stop, step)) > MAX_RANGE:
        raise _fail(name, f"the range has more than {MAX_RANGE} items")
    return list(range(start, stop, step))


def _array_get_item(name: str, args: list[Json], scope: Scope) -> Json:
    array = _array(name, args[0])
    index = _integer(name, args[1], "index")
    if not 0 <= index < len(array):
        raise _fail(name, f"the index {index} is out of bounds")
    return array[index]


def _array_unique(name: str, args: list[Json], scope: Scope) -> Json:
    # One hash lookup per item, not a comparison with every item kept so far
    # (quadratic: 40,000 numbers took minutes).
    unique: list[Json] = []
    seen: set[object] = set()
    for item in _array(name, args[0]):
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _identity(value: Json) -> object:
    """A hashable key equal for two values exactly when `json_equal` says so:
    the type counts (true is not 1, 1 is not 1.0), an object's key order does not."""
    if isinstance(value, dict | list):
        return (list, msgspec.json.encode(value, order="sorted"))
    return (type(value), value)


def _base64_decode(name: str, args: list[Json], scope: Scope) -> Json:
    text = _string(name, args[0], "argument", MAX_TEXT)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _fail(name, "the argument is not valid base64") from None
    return raw.decode("utf-8", errors="replace")


def _hash(name: str, args: list[Json], scope: Scope) -> Json:
    data = _string(name, args[0], "data", MAX_TEXT)
    algorithm = _string(name, args[1], "algorithm")
    digest = hex_digest(data, algorithm)
    if digest is None:
        raise _fail(name, f"the algorithm {algorithm} is not supported")
    return digest


def _json_merge(name: str, args: list[Json], scope: Scope) -> Json:
    first, second, deep = args
    if not isinstance(first, dict) or not isinstance(second, dict):
        raise _fail(name, "the first two arguments must be JSON objects")
    if deep is not False:
        raise _fail(name, "only a shallow merge (false) is supported")
    merged = dict(first)
    merged.update(second)
    return {key: merged[key] for key in _java_hash_map_order(list(merged))}


def _java_hash_map_order(keys: list[str]) -> list[str]:
    # AWS builds the merged object in a java.util.HashMap, so the keys come out in
    # bucket order (the corpus's merge output shows it); reproduce that order.
    capacity = 16
    while len(keys) > capacity * 3 // 4:
        capacity *= 2

    def bucket(key: str) -> int:
        units = key.encode("utf-16-be")
        code = 0
        for i in range(0, len(units), 2):
            code = (31 * code + int.from_bytes(units[i : i + 2], "big")) & 0xFFFFFFFF
        return (code ^ (code >> 16)) & (capacity - 1)

    return sorted(keys, key=bucket)


def _math_random(name: str, args: list[Json], scope: Scope) -> Json:
    start = _integer(name, args[0], "start")
    end = _integer(name, args[1], "end")
    if end <= start:
        raise _fail(name, "the end must be greater than the start")
    if len(args) == 3:
        seed = _integer(name, args[2], "seed")
        return start + _java_random_int(seed, end - start)
    return scope.entropy.random_int(start, end)


def _java_random_int(seed: int, bound: int) -> int:
    # java.util.Random(seed).nextInt(bound): a fixed seed must give AWS's number.
    mask = (1 << 48) - 1
    state = (seed ^ 0x5DEECE66D) & mask

    def next31() -> int:
        nonlocal state
        state = (state * 0x5DEECE66D + 0xB) & mask
        return state >> 17

    value = next31()
    if bound & (bound - 1) == 0:
        return (bound * value) >> 31
    result = value % bound
    while value - result + bound - 1 >= 1 << 31:
        value = next31()
        result = value % bound
    return result


def _math_add(name: str, args: list[Json], scope: Scope) -> Json:
    first, second = (_integer(name, a, "argument") for a in args)
    for value in (first, second):
        if not -(2**31) <= value < 2**31:
            raise _fail(
                name, "the arguments must be between -2147483648 and 2147483647"
            )
    return first + second


def _string_split(name: str, args: list[Json], scope: Scope) -> Json:
    text = _string(name, args[0], "string")
    delimiters = _string(name, args[1], "delimiter")
    # Like Java's StringTokenizer: every delimiter character splits, empty
    # tokens are dropped (",,a," gives ["a"]).
    tokens: list[str] = []
    current: list[str] = []
    for char in text:
        if char in delimiters:
            if current:
                tokens.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        tokens.append("".join(current))
    return list[Json](tokens)


def _spec(
    arity: int | tuple[int, int | None], run: Callable[..., Json]
) -> FunctionSpec:
    low, high = (arity, arity) if isinstance(arity, int) else arity
    return FunctionSpec(low, high, run)


FUNCTIONS: dict[str, FunctionSpec] = {
    "States.Format": _spec((1, None), _format),
    "States.StringToJson": _spec(1, _string_to_json),
    "States.JsonToString": _spec(1, lambda n, a, s: to_json_text(a[0])),
    "States.Array": _spec((0, None), lambda n, a, s: list(a)),
    "States.ArrayPartition": _spec(2, _array_partition),
    "States.ArrayContains": _spec(
        2, lambda n, a, s: any(json_equal(i, a[1]) for i in _array(n, a[0]))
    ),
    "States.ArrayRange": _spec(3, _array_range),
    "States.ArrayGetItem": _spec(2, _array_get_item),
    "States.ArrayLength": _spec(1, lambda n, a, s: len(_array(n, a[0]))),
    "States.ArrayUnique": _spec(1, _array_unique),
    "States.Base64Encode": _spec(
        1,
        lambda n, a, s: base64.b64encode(
            _string(n, a[0], "argument", MAX_TEXT).encode()
        ).decode(),
    ),
    "States.Base64Decode": _spec(1, _base64_decode),
    "States.Hash": _spec(2, _hash),
    "States.JsonMerge": _spec(3, _json_merge),
    "States.MathRandom": _spec((2, 3), _math_random),
    "States.MathAdd": _spec(2, _math_add),
    "States.StringSplit": _spec(2, _string_split),
    "States.UUID": _spec(0, lambda n, a, s: s.entropy.uuid4()),
}
