"""The calendar days an ISO value covers: "2020-11" → 2020-11-01 to 2020-11-30."""
from __future__ import annotations

import calendar
import re

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")


def day_range(value: str | None) -> tuple[str | None, str | None]:
    """The first and last day (``YYYY-MM-DD``) of a date value of dates.csv; (None, None) when the year is unknown.

    A datetime or a day is that day; a month its first and last day; a year 1 January to 31 December;
    a period "2015/2020" or a day range "2024-12-26/2024-12-27" the first day of its start to the last of its end.
    """
    if not value:
        return None, None
    start, _, end = value.partition("/")
    first = _bounds(start)
    last = _bounds(end or start)
    if first is None or last is None:
        return None, None
    return first[0], last[1]


def _bounds(value: str) -> tuple[str, str] | None:
    match = _PART.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def whole_day(value: str | None) -> str | None:
    """``value`` when it is one whole day (``YYYY-MM-DD``), or the day of a datetime; else None."""
    match = _PART.match(value or "")
    if not match or not match.group(3):
        return None
    return value[:10]
