"""The digests AWS offers as `States.Hash` and JSONata's `$hash`."""

import hashlib

# AWS's algorithm names, and hashlib's for them.
ALGORITHMS = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}


def hex_digest(text: str, algorithm: str) -> str | None:
    """The lowercase hex digest of `text`'s UTF-8 bytes; None for an unknown name."""
    name = ALGORITHMS.get(algorithm)
    if name is None:
        return None
    return hashlib.new(name, text.encode("utf-8"), usedforsecurity=False).hexdigest()
