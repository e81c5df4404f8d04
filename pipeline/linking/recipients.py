"""A title's recipient, cut from the rest of its sentence and split into one item per recipient.

"Công an các tỉnh Yên Bái, Phú Thọ" → two units; "3 tập thể và 7 cá nhân" → two groups;
"Đại tá Phan Văn Thư, Phó Cục trưởng ..." → one person; "Quân đoàn 12 vì đã có thành tích ..." → one unit.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from pipeline.nlp.lexicon import org_heads
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical

UNIT, PERSON, GROUP = "unit", "person", "group"


@dataclass(frozen=True)
class Recipient:
    """One recipient: its text (as written, or expanded from a shared head) and its kind."""

    text: str
    kind: str


class RecipientSplitter:
    """Cuts and splits recipients with the lists of rules/linking.json, ranks and organisation heads."""

    def __init__(self, rules_path: str | None = None):
        rules = load_rules(rules_path)
        settings = rules.settings("linking")
        cuts = alternation(settings["recipient_cuts"]).replace(r"\s+", r"\s+")
        awards = alternation(settings["recipient_awards"])
        self.cut_re = regex.compile(rf"(?:{cuts}|\s+và\s+(?={awards})|\s+cho\s+(?={awards}))")
        groups = alternation(settings["recipient_groups"])
        self.group_re = regex.compile(rf"(?i)^(?:các|những|\d+|\d+[.,]\d+)\s+(?:{groups})\b")
        person_cues = alternation(rules.words("ranks") + rules.words("academic_titles") + settings["person_cues"])
        self.person_re = regex.compile(rf"^(?:{person_cues})\.?,?\s+\p{{Lu}}")
        heads = alternation(org_heads(rules) + settings["recipient_local_heads"])
        # A list goes on at a comma or "và" only where a new unit or person starts: "Phòng Giáo dục và Đào tạo" is one.
        self.split_re = regex.compile(rf"\s*(?:,|\s+và|;)\s+(?=(?:{heads}|\d+\s+(?:{groups})|các\s+(?:{groups}))\b"
                                      rf"|{person_cues}\.?,?\s+\p{{Lu}})")
        named = alternation(settings["recipient_named_after"]).replace(r"\ ", r"\s+")
        # "02 đơn vị là Phòng A và Phòng B": the units the count names.
        self.named_re = regex.compile(rf"^(?P<group>\S+\s+(?:{groups}))(?:{named})(?P<names>.+)$")
        self.shared_re = regex.compile(rf"^(?P<head>.+?)\s+các\s+(?P<kind>{alternation(settings['recipient_shared_kinds'])})"
                                       r"\s+(?P<places>.+)$")

    def split(self, written: str | None) -> list[Recipient]:
        """Every recipient in ``written``, in order; none for an empty one."""
        text = canonical(written or "").strip(" ,.;:")
        if not text:
            return []
        named = self.named_re.match(text)
        if named:
            return self.split(named.group("names"))
        return [r for part in self.split_re.split(self._cut(text)) for r in self._items(part.strip(" ,.;:"))]

    def _cut(self, text: str) -> str:
        match = self.cut_re.search(text)
        return (text[:match.start()] if match else text).strip(" ,.;:")

    def _items(self, part: str) -> list[Recipient]:
        if not part:
            return []
        if self.group_re.match(part):
            return [Recipient(part, GROUP)]
        if self.person_re.match(part):
            return [Recipient(part, PERSON)]
        shared = self.shared_re.match(part)
        if shared:
            places = regex.split(r"\s*,\s*|\s+và\s+", shared.group("places"))
            return [Recipient(f"{shared.group('head')} {shared.group('kind')} {p}", UNIT) for p in places if p]
        return [Recipient(part, UNIT)]


@lru_cache(maxsize=4)
def load_splitter(rules_path: str | None = None) -> RecipientSplitter:
    """The :class:`RecipientSplitter` of ``rules_path`` (default rules), built once per process."""
    return RecipientSplitter(rules_path)
