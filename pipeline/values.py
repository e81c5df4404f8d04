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
