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
    """A journal as JSON Lines: one event per line, numbered from 1 (`"seq"`), so
    that a deleted or repeated line is seen (`sequence_problem`)."""
    buffer = bytearray()
    for number, event in enumerate(events, start=1):
        _encoder.encode_into(event, buffer, len(buffer))
        buffer[-1:] = b',"seq":%d}\n' % number  # every event is a non-empty object
    return bytes(buffer)


class _Numbered(msgspec.Struct):
    seq: int = 0


_numbers = msgspec.json.Decoder(_Numbered)


def sequence_problem(data: bytes) -> str | None:
    """What is wrong with the numbering of a JSON Lines journal, or None.

    Journals written before events were numbered carry no numbers at all, and
    pass; a journal with numbers must number every event 1, 2, 3... in order.
    """
    try:
        numbers = [line.seq for line in _numbers.decode_lines(data)]
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None  # not JSON Lines of objects: decoding the events says why
    if not any(numbers):
        return None
    for line, number in enumerate(numbers, start=1):
        if number != line:
            return (
                f"line {line} is event {number}, where event {line} was expected: "
                "an event was removed, repeated or moved"
            )
    return None


# The decoder recurses: data this deep is no journal.
_TOO_DEEP = "its data nests arrays and objects too deeply to decode"


def decode_journal(data: bytes) -> list[Event]:
    """Events from JSON Lines, in order; a bad line is named in the error."""
    try:
        return _decoder.decode_lines(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    except RecursionError:
        raise msgspec.DecodeError(_TOO_DEEP) from None
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
    try:
        return _list_decoder.decode(data)
    except RecursionError:
        raise msgspec.DecodeError(_TOO_DEEP) from None
