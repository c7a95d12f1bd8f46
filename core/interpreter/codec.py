"""Journal encoding: one Encoder/Decoder pair shared by every adapter."""

from collections.abc import Iterable, Iterator

import msgspec
from statum.core.interpreter.events import Event

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Event)
_list_decoder = msgspec.json.Decoder(list[Event])


def encode_event(event: Event) -> bytes:
    """One event as JSON."""
    return _encoder.encode(event)


def decode_event(data: bytes | str) -> Event:
    """One event from JSON."""
    event: Event = _decoder.decode(data)
    return event


def encode_journal(events: Iterable[Event]) -> bytes:
    """A journal as JSON Lines: one event per line."""
    buffer = bytearray()
    for event in events:
        _encoder.encode_into(event, buffer, len(buffer))
        buffer.extend(b"\n")
    return bytes(buffer)


def decode_journal(data: bytes) -> Iterator[Event]:
    """Events from JSON Lines, in order."""
    for line in data.splitlines():
        if line.strip():
            yield _decoder.decode(line)


def decode_journal_list(data: bytes) -> list[Event]:
    """Events from a JSON array."""
    return _list_decoder.decode(data)
