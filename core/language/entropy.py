"""Deterministic stand-ins for randomness: `States.UUID`, `States.MathRandom`, `$random`.

Every value is derived from a seed string that the interpreter builds from the
execution id and the journal position, so replaying a journal reproduces the same
"random" values byte for byte.
"""

import hashlib


class Entropy:
    """A reproducible stream of random values for one evaluation."""

    __slots__ = ("_counter", "_seed")

    def __init__(self, seed: str) -> None:
        self._seed = seed.encode()
        self._counter = 0

    def _next_bytes(self) -> bytes:
        self._counter += 1
        return hashlib.blake2b(
            self._seed + b"#" + str(self._counter).encode(), digest_size=16
        ).digest()

    def uuid4(self) -> str:
        """A version-4, variant-1 UUID string."""
        raw = bytearray(self._next_bytes())
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def hex_bytes(self, count: int) -> str:
        """`count` bytes as hexadecimal text."""
        out = b""
        while len(out) < count:
            out += self._next_bytes()
        return out[:count].hex()

    def random_float(self) -> float:
        """A float uniformly drawn from [0, 1)."""
        return int.from_bytes(self._next_bytes()[:7], "big") / float(1 << 56)

    def random_int(self, start: int, end: int) -> int:
        """An integer uniformly drawn from [start, end)."""
        if end <= start:
            return start
        return start + int.from_bytes(self._next_bytes(), "big") % (end - start)
