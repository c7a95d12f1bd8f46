"""The functions Step Functions adds to JSONata, and pure stand-ins for its impure ones.

AWS extends JSONata with `$partition`, `$range`, `$hash`, `$random(seed)`, `$uuid`
and `$parse`, and removes `$eval`. jsonata-python's `$now`, `$millis`, `$random`
and `$shuffle` read the clock or `random`; the replacements here take the time of
the event being decided and the execution's `Entropy` instead.

Values are jsonata-python's: `None` is *undefined*, `Utils.NULL_VALUE` is JSON
null, a list flagged as a sequence collapses to its only item. The behaviours
below (argument checks, undefined results, truncation towards zero) are AWS's, as
measured against the service; where AWS's wording is unknown the text is ours.
"""

import json
import math
from collections.abc import Sequence
from typing import Any

from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.utils import Utils

from statum.core.language.entropy import Entropy
from statum.core.language.hashing import hex_digest
from statum.core.language.jsonata_limits import Budget

NULL: Any = Utils.NULL_VALUE


class JsonataFunctionError(JException):  # type: ignore[misc]
    """A failure in AWS's words: `code` (None for a bare message) and `message`.

    A `JException` so that jsonata-python passes it through `and`/`or` unchanged.
    """

    def __init__(self, code: str | None, message: str) -> None:
        super().__init__(message if code is None else f"{code}: {message}", -1)
        self.code = code
        self.message = message


def signature_error(name: str, index: int) -> JsonataFunctionError:
    return JsonataFunctionError(
        "T0410",
        f'Argument {index} of function "{name}" does not match function signature',
    )


def _symbol(value: Any) -> str:
    """JSONata's one-letter type of a value, as signatures spell it."""
    if value is None:
        return "m"
    if value is NULL:
        return "l"
    if isinstance(value, bool):
        return "b"
    if isinstance(value, int | float):
        return "n"
    if isinstance(value, str):
        return "s"
    if isinstance(value, list):
        return "a"
    if isinstance(value, dict):
        return "o"
    return "f"


def check_arguments(name: str, params: Sequence[str], args: Sequence[Any]) -> None:
    """Validate `args` as a JSONata signature does, naming the first bad argument.

    Each param is the type letters it accepts, `x` for any, with a trailing `?`
    when optional. Undefined matches every type, as in JSONata, which is why
    `$range(1, 5, $missing)` is undefined rather than an error.
    """
    index = 0
    for param in params:
        optional = param.endswith("?")
        accepted = param.rstrip("?")
        if index < len(args) and (
            accepted == "x" or _symbol(args[index]) in accepted + "m"
        ):
            index += 1
        elif not optional:
            raise signature_error(name, index + 1)
    if index < len(args):
        raise signature_error(name, index + 1)


def _whole(number: Any) -> int:
    """A number cut towards zero, as AWS cuts every count and seed (-1.7 is -1)."""
    return int(number)


def partition(args: Sequence[Any]) -> Any:
    """`$partition(array, size?)`: chunks of `size`; the whole array without one."""
    check_arguments("partition", ("x", "n?"), args)
    items = args[0] if args else None
    if items is None:
        return None
    if not isinstance(items, list):
        raise JsonataFunctionError(
            "T0412", 'Argument 1 of function "partition" must be an array of undefined'
        )
    size = args[1] if len(args) > 1 else None
    if size is None:
        return [list(items)]
    whole = _whole(size)
    if whole < 0:
        raise JsonataFunctionError("D3137", "Second argument must be zero or greater")
    if whole == 0 or not items:
        return None
    return [list(items[at : at + whole]) for at in range(0, len(items), whole)]


def range_(args: Sequence[Any], budget: Budget) -> Any:
    """`$range(start, end, step)`: `end` included when a step lands on it.

    A sequence, so one number comes back bare (AWS: `$range(1, 9, 9)` is `1`) and
    none is undefined; a missing step is undefined too.
    """
    check_arguments("range", ("n", "n", "n?"), args)
    if len(args) < 3 or any(arg is None for arg in args):
        return None
    start, end, step = _whole(args[0]), _whole(args[1]), _whole(args[2])
    if step == 0:
        return None
    count = (end - start) // step + 1
    if count <= 0:
        return None
    budget.check_items(count)
    return Utils.create_sequence_from_iter(range(start, start + count * step, step))


def hash_(args: Sequence[Any]) -> Any:
    """`$hash(text, algorithm)`: lowercase hex digest of the UTF-8 bytes."""
    check_arguments("hash", ("s", "s?"), args)
    if len(args) < 2 or args[0] is None or args[1] is None:
        return None
    digest = hex_digest(args[0], args[1])
    if digest is None:
        raise JsonataFunctionError(
            "D3137",
            f"Unsupported hash algorithm {json.dumps(args[1], ensure_ascii=False)}: "
            "use MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
        )
    return digest


def _refuse_constant(token: str) -> Any:
    raise ValueError(token)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400: a double cannot hold it, AWS refuses it
        raise ValueError(text)
    return number


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


_STRICT_JSON = json.JSONDecoder(
    object_pairs_hook=_unique_keys,
    parse_float=_finite_float,
    parse_constant=_refuse_constant,
)


def parse(args: Sequence[Any]) -> Any:
    """`$parse(text)`: strict JSON (one document, unique keys, finite numbers)."""
    check_arguments("parse", ("s?",), args)
    if not args or args[0] is None:
        return None
    try:
        value = _STRICT_JSON.decode(args[0])
    except ValueError:
        raise JsonataFunctionError("D3137", "Invalid JSON") from None
    return NULL if value is None else value


_JAVA_MULTIPLIER = 0x5DEECE66D
_JAVA_MASK = (1 << 48) - 1
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1


def java_random_double(seed: int) -> float:
    """`new java.util.Random(seed).nextDouble()`, which AWS's `$random(seed)` is.

    The generator is the 48-bit linear congruential one Java specifies, so the
    value is the same bit for bit (seed 42 gives 0.7275636800328681).
    """
    state = (max(_LONG_MIN, min(_LONG_MAX, seed)) ^ _JAVA_MULTIPLIER) & _JAVA_MASK
    state = (state * _JAVA_MULTIPLIER + 0xB) & _JAVA_MASK
    high = state >> (48 - 26)
    state = (state * _JAVA_MULTIPLIER + 0xB) & _JAVA_MASK
    low = state >> (48 - 27)
    return ((high << 27) + low) / float(1 << 53)


def random_(args: Sequence[Any], entropy: Entropy) -> Any:
    """`$random(seed?)`: seeded as AWS seeds it, else drawn from the execution."""
    check_arguments("random", ("n?",), args)
    if not args or args[0] is None:
        return entropy.random_float()
    return java_random_double(_whole(args[0]))


def uuid(args: Sequence[Any], entropy: Entropy) -> Any:
    """`$uuid()`: a version-4 UUID drawn from the execution's entropy."""
    check_arguments("uuid", (), args)
    return entropy.uuid4()


def now(args: Sequence[Any], now_ms: int) -> Any:
    """`$now(picture?, timezone?)`: the time of the event being decided."""
    check_arguments("now", ("s?", "s?"), args)
    picture = args[0] if args else None
    timezone = args[1] if len(args) > 1 else None
    return Functions.datetime_from_millis(now_ms, picture, timezone)


def millis(args: Sequence[Any], now_ms: int) -> Any:
    """`$millis()`: the time of the event being decided, in epoch milliseconds."""
    check_arguments("millis", (), args)
    return now_ms


def shuffle(args: Sequence[Any], entropy: Entropy) -> Any:
    """`$shuffle(array)`: a Fisher-Yates shuffle driven by the execution's entropy."""
    check_arguments("shuffle", ("x",), args)
    value = args[0] if args else None
    if value is None:
        return None
    items = list(value) if isinstance(value, list) else [value]
    for last in range(len(items) - 1, 0, -1):
        other = entropy.random_int(0, last + 1)
        items[last], items[other] = items[other], items[last]
    return items
