"""Normalised values that extractors put on spans (``span._.value``).

Each is computed once, by the extractor that finds it; the tables only copy
the fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Official:
    """A person taking part in what is reported (one per distinct person per document)."""

    name: str
    rank: str | None = None
    positions: list[str] = field(default_factory=list)
    mentions: int = 1
    start: int = 0
    end: int = 0

    @property
    def position(self) -> str | None:
        return "; ".join(self.positions) or None


@dataclass
class Cluster:
    """An emulation cluster (cụm thi đua) or bloc (khối thi đua)."""

    kind: str  # "cụm" or "khối"
    name: str
    number: int | None = None
    parent: str | None = None
    members: list[str] = field(default_factory=list)
    leader: str | None = None
    deputy: str | None = None


@dataclass
class Title:
    """An emulation title or award, canonical, with who gives it and who gets it."""

    title: str
    category: str
    conferrer: str | None = None
    grade: str | None = None
    recipient: str | None = None
    status: str = "other"


@dataclass
class AwardCount:
    """A counted award statement: "6/8 đơn vị được suy tôn danh hiệu Đơn vị Tiên tiến"."""

    count: int
    unit: str
    total: int | None = None
    qualifier: str | None = None
    title: str = "khen thưởng"


@dataclass
class DateMention:
    """One temporal expression and what it means."""

    start: int
    end: int
    text: str
    kind: str  # datetime, date, daterange, month, year, period
    day: int | None = None
    month: int | None = None
    year: int | None = None
    end_day: int | None = None
    end_month: int | None = None
    end_year: int | None = None
    time: str | None = None
    part_of_day: str | None = None
    role: str = "other"
    anniversary: bool = False
    year_from: str = "text"  # text, published, meta, inferred, unknown

    @property
    def granularity(self) -> str:
        return {"daterange": "period"}.get(self.kind, self.kind)

    @property
    def value(self) -> str:
        """The ISO 8601 value: ``2020-11-30``, ``2020-12-06T17:25``, ``--11-16``, ``2015/2020``."""
        if self.kind == "period":
            return f"{self.year:04d}/{self.end_year:04d}"
        if self.kind == "year":
            return f"{self.year:04d}"
        if self.kind == "month":
            return f"{self.year:04d}-{self.month:02d}" if self.year else f"--{self.month:02d}"
        first = _iso_day(self.year, self.month, self.day)
        if self.kind == "daterange":
            return f"{first}/{_iso_day(self.end_year, self.end_month, self.end_day)}"
        if self.kind == "datetime" and self.time:
            return f"{first}T{self.time}"
        return first

    @property
    def first_day(self) -> str | None:
        """The first day, ``YYYY-MM-DD``, when the year is known."""
        if self.kind in ("date", "datetime", "daterange") and self.year:
            return _iso_day(self.year, self.month, self.day)
        return None


def _iso_day(year, month, day) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
