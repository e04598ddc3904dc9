"""Dates as users type them and as documents write them, turned into ISO days (YYYY-MM-DD).

A filter names a period (``2022``, ``2022-12``, ``2022-12-02``, day-first ``2/12/2022``): ``--since``
starts at its first day and ``--until`` ends at its last, so ``--until 2022-12`` keeps 31
December. Web pages give times with a zone; a Vietnamese reader dates them in UTC+7, so a page
published at 20:30 UTC on 5 February belongs to 6 February.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))

_ISO_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DAY_FIRST_RE = re.compile(r"(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})")


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def period(text: str) -> tuple[date, date] | None:
    """The first and last day of the period text names, or None when it names none.

    ``2022`` → 1 Jan..31 Dec; ``2022-12`` and ``12/2022`` → the month; ``2022-12-02`` and
    ``2/12/2022`` → that day.
    """
    text = text.strip()
    m = _ISO_RE.fullmatch(text)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if y >= 1 and mo is None:
            return date(y, 1, 1), date(y, 12, 31)
        return _span(y, mo, d)
    m = _DAY_FIRST_RE.fullmatch(text)
    if m:
        return _span(int(m.group(3)), m.group(2), m.group(1))
    return None


def _span(y: int, mo: str | None, d: str | None) -> tuple[date, date] | None:
    """The first and last day of a month (d None) or a day; None when it names no such day."""
    if y < 1 or mo is None:
        return None
    mo = int(mo)
    if d is None:
        if not 1 <= mo <= 12:
            return None
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    day = _day(y, mo, int(d))
    return (day, day) if day else None


def iso_day(value: str | None) -> str | None:
    """A date or date-time a document gives (ISO, possibly zoned) as its day in UTC+7, or None.

    A time without a zone is taken as written (local time); an unreadable value gives None.
    """
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    day = _day(*(int(x) for x in m.groups()))
    if day is None:
        return None
    rest = value[10:]
    if rest[:1] in ("T", " ") and len(rest) > 1:
        stamp = value.replace(" ", "T", 1)
        if stamp.endswith("Z"):
            stamp = stamp[:-1] + "+00:00"
        stamp = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", stamp)  # +0700 -> +07:00
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return day.isoformat()
        if when.tzinfo is not None:
            try:
                return when.astimezone(VIETNAM).date().isoformat()
            except OverflowError:  # 0001-01-01T00:00+07:00, a "no date" some sites write
                return None
    return day.isoformat()
