"""Wait timestamps: Java's ISO_OFFSET_DATE_TIME grammar, read without datetime.

Recorded: base/test_wait.py::TestSfnWait::test_wait_timestamppath[.000000Z|.00Z|Z]
wait, [.000000] and [] (no offset) fail; test_wait_timestamp[NANOSECONDS] accepts
nine fractional digits.
"""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statum.core.language.timestamps import format_epoch_millis, parse_offset_date_time

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def ms(text: str) -> int:
    moment = datetime.fromisoformat(text)
    return (moment - EPOCH) // timedelta(milliseconds=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-03-14T01:59:00Z", ms("2016-03-14T01:59:00+00:00")),
        ("2016-03-14T01:59:00.000000Z", ms("2016-03-14T01:59:00+00:00")),
        ("2016-03-14T01:59:00.00Z", ms("2016-03-14T01:59:00+00:00")),
        # The fraction is truncated, as AWS documents.
        ("2016-03-05T21:29:29.243167252Z", ms("2016-03-05T21:29:29+00:00")),
        ("2016-03-14T01:59Z", ms("2016-03-14T01:59:00+00:00")),
        ("2016-03-14t01:59:00z", ms("2016-03-14T01:59:00+00:00")),
        ("2016-03-14T01:59:00+02:30", ms("2016-03-14T01:59:00+02:30")),
        ("2016-03-14T01:59:00-18:00", ms("2016-03-14T01:59:00-18:00")),
        ("2016-02-29T00:00:00Z", ms("2016-02-29T00:00:00+00:00")),
        ("2000-02-29T00:00:00Z", ms("2000-02-29T00:00:00+00:00")),
        ("0000-01-01T00:00:00Z", -62167219200000),
    ],
)
def test_valid_timestamps(text: str, expected: int) -> None:
    assert parse_offset_date_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2016-03-14T01:59:00",  # no offset
        "2016-03-14T01:59:00.000000",
        "2016-03-14 01:59:00Z",  # no T
        "2016-13-05T21:29:29Z",  # month 13
        "2016-00-05T21:29:29Z",
        "2016-04-31T21:29:29Z",  # no 31 April
        "2015-02-29T00:00:00Z",  # not a leap year
        "1900-02-29T00:00:00Z",
        "2016-12-00T21:29:29Z",
        "2016-12-05T24:00:00Z",
        "2016-12-05T23:60:00Z",
        "2016-12-05T23:59:60Z",  # no leap seconds in the ISO formatter
        "05-12-2016T21:29:29Z",
        "2016-03-14T01:59:00.1234567890Z",  # ten fractional digits
        "2016-03-14T01:59:00+19:00",  # offsets stop at 18 hours
        "2016-03-14T01:59:00+01",
        "2016-03-14T01:59:00+01:60",
        "16-03-14T01:59:00Z",
        "2016-03-14T01:59:00Z ",
    ],
)
def test_invalid_timestamps(text: str) -> None:
    assert parse_offset_date_time(text) is None


@pytest.mark.parametrize("value", [None, 1, 1.5, True, [], {}])
def test_non_strings_are_not_timestamps(value: object) -> None:
    assert parse_offset_date_time(value) is None


def test_the_far_future_is_a_number_not_an_overflow() -> None:
    due = parse_offset_date_time("9999-12-31T23:59:59-10:00")
    assert due == 253402336799000
    assert format_epoch_millis(due) == "+10000-01-01T09:59:59.000Z"


@given(st.text(max_size=40))
def test_any_text_parses_or_is_refused(text: str) -> None:
    result = parse_offset_date_time(text)
    assert result is None or isinstance(result, int)


@given(st.datetimes(timezones=st.just(UTC)))
def test_agrees_with_datetime_over_its_range(moment: datetime) -> None:
    text = f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.%fZ")
    whole = moment.replace(microsecond=0)
    assert parse_offset_date_time(text) == ms(whole.isoformat())
    exact = ms(moment.isoformat())
    assert format_epoch_millis(exact) == (
        f"{moment.year:04d}"
        + moment.strftime("-%m-%dT%H:%M:%S.")
        + f"{moment.microsecond // 1000:03d}Z"
    )
