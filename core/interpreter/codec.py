"""Journal encoding: one Encoder/Decoder pair shared by every adapter."""

from collections.abc import Iterable

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


def decode_journal(data: bytes) -> list[Event]:
    """Events from JSON Lines, in order; a bad line is named in the error."""
    try:
        return _decoder.decode_lines(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    # Find the first bad line, so the error can say where it is.
    events: list[Event] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            events.append(_decoder.decode(line))
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise type(exc)(f"line {number}: {exc}") from None
    return events


def decode_journal_list(data: bytes) -> list[Event]:
    """Events from a JSON array."""
    return _list_decoder.decode(data)
