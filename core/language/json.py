"""The JSON value type shared by the whole core."""

from typing import TypeAlias

# Decoded JSON as Python builds it: dict/list/str/int/float/bool/None.
Json: TypeAlias = dict[str, "Json"] | list["Json"] | str | int | float | bool | None
