"""Equality of JSON values as AWS's Jackson nodes define it.

Python's `==` says `True == 1` and `1 == 1.0`; Jackson says neither (a boolean is
not a number, an integer node is not a double node), and `States.ArrayContains`,
`States.ArrayUnique` and JSONPath filters over arrays follow Jackson.
"""

from statum.core.language.json import Json

__all__ = ["json_equal"]


def json_equal(left: Json, right: Json) -> bool:
    """Structural equality where the JSON type (bool/int/float/...) must match too."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        assert isinstance(right, dict)
        return left.keys() == right.keys() and all(
            json_equal(value, right[key]) for key, value in left.items()
        )
    if isinstance(left, list):
        assert isinstance(right, list)
        return len(left) == len(right) and all(
            json_equal(a, b) for a, b in zip(left, right, strict=True)
        )
    return left == right
