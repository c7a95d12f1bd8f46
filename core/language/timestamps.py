"""Wait timestamps read the way AWS reads them: as an ISO-8601 offset date-time.

AWS's cause for a bad `TimestampPath` value says the value "does not reference a
valid ISO-8601 extended offset date-time format string", the description Java gives
its `DateTimeFormatter.ISO_OFFSET_DATE_TIME`, and the recorded behaviour matches that
formatter (`...:00.000000Z` and `...:00.00Z` wait, `...:00` and `...:00.000000` with no
offset fail). So the grammar here is that formatter's, with its strict resolver:

* `yyyy-MM-dd` with a four-digit year (0000 is a year; more digits need a sign);
* `T`, then `HH:mm`, optionally `:ss`, optionally a fraction of 0 to 9 digits
  (letters are matched without regard to case);
* an offset: `Z`, or `+HH:MM` / `+HH:MM:SS` up to 18 hours;
* months 1-12, days that exist in that month (29 February only in leap years),
  hours 0-23, minutes and seconds 0-59.

The result is epoch milliseconds computed with integers, so no value, however
far from today, can overflow a `datetime`. AWS documents that it truncates the
fraction ("considers the time value up to seconds"), and so does this.
"""

import re

__all__ = ["format_epoch_millis", "parse_offset_date_time"]

_GRAMMAR = re.compile(
    r"(?P<year>[0-9]{4}|[+-][0-9]{5,9})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"[Tt](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.[0-9]{0,9})?)?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<oh>[0-9]{2}):(?P<om>[0-9]{2})"
    r"(?::(?P<os>[0-9]{2}))?)",
    re.ASCII,
)

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def parse_offset_date_time(value: object) -> int | None:
    """Epoch milliseconds (whole seconds) of a valid timestamp, else None."""
    if not isinstance(value, str):
        return None
    match = _GRAMMAR.fullmatch(value)
    if match is None:
        return None
    year, month, day = (int(match[name]) for name in ("year", "month", "day"))
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if not 1 <= month <= 12:
        return None
    days_in_month = 29 if month == 2 and _leap(year) else _MONTH_DAYS[month - 1]
    if not 1 <= day <= days_in_month or hour > 23 or minute > 59 or second > 59:
        return None
    offset = 0
    if match["utc"] is None:
        oh, om, os = int(match["oh"]), int(match["om"]), int(match["os"] or 0)
        if om > 59 or os > 59:
            return None
        offset = oh * 3600 + om * 60 + os
        if offset > 18 * 3600:
            return None
        if match["sign"] == "-":
            offset = -offset
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600
    seconds += minute * 60 + second - offset
    return seconds * 1000


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """The inverse of `_days_from_civil`."""
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096
    ) // 365
    day_of_year = day_of_era - (
        365 * year_of_era + year_of_era // 4 - year_of_era // 100
    )
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


# The latest instant a wait can end: milliseconds since the epoch are a Java
# `long` (Instant.toEpochMilli overflows past it), and the journal's integers are
# 64-bit. About the year 292,278,994.
LATEST_TIMESTAMP_MS = 2**63 - 1


def format_epoch_millis(ms: int) -> str:
    """`2024-01-02T03:04:05.678Z` for any millisecond count, however far out.

    Years past 9999 carry a `+` and years before 0 a `-`, as Java's `Instant`
    prints them; a Wait may legally end in such a year (`9999-12-31T23:59:59-10:00`).
    """
    seconds, millis = divmod(ms, 1000)
    days, second_of_day = divmod(seconds, 86400)
    year, month, day = _civil_from_days(days)
    hour, rest = divmod(second_of_day, 3600)
    minute, second = divmod(rest, 60)
    if year > 9999:
        year_text = f"+{year}"
    elif year < 0:
        year_text = f"-{-year:04d}"
    else:
        year_text = f"{year:04d}"
    return (
        f"{year_text}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        f".{millis:03d}Z"
    )
