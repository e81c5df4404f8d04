"""Titles: emulation titles and awards in canonical form, with conferrer, grade, recipient and status.

"cờ thi đua xuất sắc của Chính Phủ" → ``Cờ thi đua của Chính phủ``; "danh
hiệu Đơn vị Tiên tiến" → ``Đơn vị Tiên tiến``; "Huân chương Chiến công hạng
Ba". A conferrer is taken only from the mention's own words ("của X", "X
tặng", "được X tặng"); a mention that names none stays bare.
"""
from __future__ import annotations

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import in_body, make_span, register_extensions
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical
from pipeline.nlp.values import Title

_Q = "\"“”‘’'«»"


class ConferrerGazetteer:
    """Who confers awards, by every name press text gives them, with abbreviations expanded."""

    def __init__(self, rules):
        self.abbreviations = {r["abbr"]: r["expansion"] for r in rules.records("abbreviations")}
        self.canonical: dict[str, str] = {}
        for record in rules.records("conferrers"):
            for form in [record["canonical"], *record.get("aliases", [])]:
                self.canonical[self._key(form)] = canonical(record["canonical"])
                self.canonical[self._key(self.expand(form))] = canonical(record["canonical"])
        forms = {f for r in rules.records("conferrers") for f in [r["canonical"], *r.get("aliases", [])]}
        # Which one, as written: "Tư lệnh Quân khu 4", "Bộ Chỉ huy BĐBP tỉnh", "... tỉnh Quảng Trị".
        # A number only after a numbered unit ("Quân khu 4", "Vùng 2"); all on the same line.
        numbered = r"(?<=(?i:quân\s+khu|vùng|quân\s+đoàn|sư\s+đoàn|lữ\s+đoàn|trung\s+đoàn|hải\s+đoàn|binh\s+đoàn|cụm))"
        self.qualifier = (rf"(?:{numbered}[ \t]+(?:\d{{1,2}}|[IVX]{{1,4}})(?![\p{{L}}\d])"
                          r"|[ \t]+(?-i:tỉnh|thành[ \t]+phố|huyện|quận)(?:[ \t]+(?-i:\p{Lu}[\p{L}\p{M}]*)){0,3}(?![\p{L}]))")
        self.qualifier_re = regex.compile(rf"(?P<q>{self.qualifier})$")
        self.pattern = f"{alternation(forms)}{self.qualifier}?"

    def expand(self, text: str) -> str:
        """Spell out abbreviations: "UBND tỉnh" → "Ủy ban nhân dân tỉnh"."""
        def repl(m):
            return self.abbreviations.get(m.group(0), m.group(0))
        return regex.sub(r"(?<![\p{L}])[\p{Lu}Đ]{2,}(?![\p{L}])", repl, text)

    @staticmethod
    def _key(text: str) -> str:
        return canonical(text).casefold()

    def normalise(self, written: str) -> str:
        key = self._key(written)
        known = self.canonical.get(key) or self.canonical.get(self._key(self.expand(written)))
        if known:
            return known
        qualified = self.qualifier_re.search(written)
        if qualified and qualified.start() > 0:
            base = self.normalise(written[:qualified.start()])
            qualifier = canonical(qualified.group("q"))
            return base if base.endswith(qualifier) else f"{base} {qualifier}"
        return canonical(self.expand(written))


class TitleExtractor:
    """spaCy component: fills ``doc.spans["titles"]``, one span per title mention and recipient."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        self.cues = r.settings("title_cues")
        self.conferrers = ConferrerGazetteer(r)
        self.entries = {canonical(e["pattern"]).casefold(): e for e in r.records("titles")}
        titles = alternation(e["pattern"] for e in r.records("titles"))
        grade = r"(?:\s*[,\-–]?\s*hạng\s+(?P<grade>Nhất|Nhì|Ba|III|II|I|[123])(?![\p{L}\d]))?"
        conf = self.conferrers.pattern
        free_heads = alternation(r.words("position_heads") + r.words("org_heads"))  # "của Giám đốc Sở Công thương": a conferrer not listed
        self.title_re = regex.compile(
            rf"(?i)(?<![\p{{L}}])(?P<prefix>danh\s+hiệu\s+[{_Q}]?\s*)?(?P<title>{titles})(?![\p{{L}}])"
            rf"(?P<named>\s*[{_Q}](?P<qname>[^{_Q}\n]{{2,80}})[{_Q}]|\s+(?P<uname>(?-i:Vì(?:\s+[\p{{L}}\p{{M}}]+){{1,8}}?|(?!(?:{conf})(?![\p{{L}}]))\p{{Lu}}[\p{{L}}\p{{M}}]*(?:\s+[\p{{L}}\p{{M}}]+){{0,8}}?))(?=\s+(?:cho|tặng|của|cấp)(?![\p{{L}}])|\s*[,.;]))?{grade}"
            rf"(?P<after>(?:\s+xuất\s+sắc)?\s*(?:của\s+)?(?P<conf>{conf})(?![\p{{L}}])"
            rf"|(?:\s+xuất\s+sắc)?\s+của\s+(?P<conf_free>(?-i:(?:Phó\s+)?(?:{free_heads}))(?:\s+[\p{{L}}\p{{M}}.\-]+){{0,7}}?)"
            rf"(?=\s*[,.;:(\n]|\s*$|\s+(?:cho|tặng|trao|và(?!\s+(?-i:\p{{Lu}}))|về|năm|vì|đã|được|tại)(?![\p{{L}}])))?")
        self.start_re = regex.compile(rf"(?i)(?<![\p{{L}}])(?:danh\s+hiệu|{titles})(?![\p{{L}}])")
        self.other_medal_re = regex.compile(
            rf"(?<![\p{{L}}])(?P<title>(?:Huân|Huy)\s+chương(?:\s+\p{{Lu}}[\p{{L}}\p{{M}}]*)+){grade}")
        give = alternation(self.cues["give_verbs"])
        heads = alternation(r.words("position_heads"))
        # "Bộ trưởng Bộ Tài chính tặng", "Tổng cục trưởng Tổng cục Hải quan tặng": a person's office, as written.
        orgs = alternation(r.words("org_heads"))
        # ... or a body named by its kind and name: "Bộ Tư lệnh Quân đoàn 12 tặng", "Ban Thường vụ Thành Đoàn tặng".
        body = rf"(?-i:(?:{alternation(r.words('conferrer_bodies'))})\s+\p{{Lu}}[\p{{L}}\p{{M}}]*(?:\s+[\p{{L}}\p{{M}}\d]+){{0,5}}?)"
        office = (rf"{body}|(?-i:(?:Phó\s+)?(?:{heads}))(?:\s+(?:{conf})"
                  rf"|\s+(?-i:{orgs})(?:\s+(?:[\p{{L}}\p{{M}}\d]+|[-–]\s+[\p{{L}}\p{{M}}]+)){{0,6}}?)")
        self.conferrer_before_re = regex.compile(
            rf"(?i)(?:(?<![\p{{L}}])(?P<conf>{office}|{conf})\s+(?:đã\s+|vừa\s+)?(?:{give})"
            rf"|được\s+(?P<conf2>{office}|{conf})\s+(?:{give}))\s*(?:cho\s+[^,.;]{{0,60}}?\s+)?$")
        self.give_first_re = regex.compile(rf"(?i)^\s*(?:và\s+|đồng\s+thời\s+)?(?:{give})\s+$")
        self.sentence_subject_re = regex.compile(
            rf"(?i)\s*(?:[^,.;\n]{{0,30}},\s*)?(?P<conf>{conf})\s+(?:đã\s+|vừa\s+)?(?:{give})(?![\p{{L}}])")
        self.vague_categories = {"cờ thi đua", "huân chương", "huy chương"}
        self.person_role_re = regex.compile(rf"(?i)(?:Phó\s+)?(?:{alternation(r.words('position_heads'))})(?![\p{{L}}])")
        self.status_res = [(status, regex.compile(rf"(?i)(?<![\p{{L}}])(?:{alternation(self.cues[status])})(?![\p{{L}}])"))
                           for status in ("held", "proposed", "conferred")]
        self.not_after_re = regex.compile(rf"(?i)^\s*(?:{alternation(self.cues['not_a_title_after'])})")
        self.not_before_re = regex.compile(rf"(?i)(?:{alternation(self.cues['not_a_title_before'])})\s+(?:\S+\s+){{0,3}}$")
        self.recipient_after_re = regex.compile(r"^\s+(?:cho|tặng)\s+(?P<r>[^.;:\n(]{2,120})")
        self.recipient_before_re = regex.compile(
            rf"(?P<r>(?:{alternation(r.settings('clusters')['member_orgs'])})[^.;:\n,\d]{{0,60}}?(?:,\s*[^.;:\n,\d]{{2,30}}){{0,6}})\s+(?:đã\s+)?(?:vinh\s+dự\s+)?(?:\d+\s+lần\s+)?(?:{alternation(self.cues['receive_verbs'])})\s+$")

    def _title_matches(self, text: str):
        """``title_re.finditer(text)``, tried only where a title or "danh hiệu" starts (5 times faster)."""
        end = 0
        for candidate in self.start_re.finditer(text):
            if candidate.start() < end:
                continue
            m = self.title_re.match(text, candidate.start())
            if m:
                end = m.end()
                yield m

    def canonical_title(self, m) -> tuple[str, str, str | None, str | None]:
        """(title, category, conferrer, grade) for a title match."""
        key = canonical(m.group("title")).casefold()
        entry = self.entries.get(key)
        if entry is None:  # a medal not in the list: as written
            base, category = canonical(m.group("title")), "huân chương" if key.startswith("huân") else "huy chương"
            entry = {}
        else:
            base, category = entry["canonical"], entry["category"]
        named = m.groupdict().get("qname") or m.groupdict().get("uname")
        if entry.get("named") and named:
            base = f"{base} {canonical(named)}"
        grade = None
        if m.group("grade"):
            grade = self.cues["grades"].get(m.group("grade").casefold())
        conferrer = None
        written = m.groupdict().get("conf") or m.groupdict().get("conf_free")
        if entry.get("takes_conferrer") and written:
            conferrer = self.conferrers.normalise(written)
        return base, category, conferrer, grade

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        spans, taken = [], []
        matches = [(m, False) for m in self._title_matches(text)]
        matches += [(m, True) for m in self.other_medal_re.finditer(text)]
        for m, is_other in sorted(matches, key=lambda x: (x[0].start(), -x[0].end())):
            start, end = m.span()
            if not in_body(doc, start, end) or any(s < end and start < e for s, e in taken):
                continue
            if is_other:
                key = canonical(m.group("title")).casefold()
                if any(key.startswith(k) for k in self.entries):
                    continue
            entry = self.entries.get(canonical(m.group("title")).casefold(), {})
            written = m.group("title")
            prefix = bool(m.groupdict().get("prefix"))
            if entry.get("category") == "danh hiệu" and not (prefix or written[0].isupper()):
                continue
            if entry.get("needs_cue") and not prefix:
                continue
            line_before = text[max(0, start - 60):start]
            if self.not_after_re.match(text[end:end + 20]) or self.not_before_re.search(line_before):
                continue
            title, category, conferrer, grade = self.canonical_title(m)
            clause_start = max(text.rfind(ch, 0, start) for ch in ".;:\n") + 1
            clause = text[clause_start:start]
            if entry.get("takes_conferrer") and conferrer is None:
                before = self.conferrer_before_re.search(clause)
                if before and not self._presenter(before):
                    conferrer = self.conferrers.normalise(before.group("conf") or before.group("conf2"))
                elif self.give_first_re.match(clause):
                    conferrer = self._sentence_subject(text, clause_start)
            if conferrer:
                title = f"{title} của {conferrer}"
            if grade:
                title = f"{title} {grade}"
            status = "other"
            for name, pattern in self.status_res:
                if pattern.search(clause[-80:]):
                    status = name
                    break
            recipients = self._recipients(doc, text, clause_start, start, end)
            taken.append((start, end))
            for recipient in recipients or [None]:
                value = Title(title=title, category=category, conferrer=conferrer, grade=grade,
                              recipient=recipient, status=status)
                span = make_span(doc, start, end, "TITLE", value)
                if span is not None:
                    spans.append(span)
        doc.spans["titles"] = self._drop_vague(spans)
        return doc

    def _sentence_subject(self, text: str, clause_start: int) -> str | None:
        """The conferrer a sentence opens with, for a later clause that only says "tặng ...".

        "UBND tỉnh đã tặng Cờ thi đua cho 45 tập thể; tặng Bằng khen cho 320 tập thể": the
        second award is the UBND's too.
        """
        sentence_start = max(text.rfind(". ", 0, clause_start), text.rfind("\n", 0, clause_start)) + 1
        m = self.sentence_subject_re.match(text, sentence_start, clause_start)
        if m and not self._presenter(m):
            return self.conferrers.normalise(m.group("conf"))
        return None

    def _drop_vague(self, spans):
        """A flag or medal named without conferrer or grade, where the article names it fully elsewhere, is that one."""
        full = {(s._.value.category, s._.value.title.split(" của ")[0].split(" hạng ")[0])
                for s in spans if s._.value.conferrer or s._.value.grade}
        return [s for s in spans
                if not (s._.value.category in self.vague_categories and not s._.value.conferrer and not s._.value.grade
                        and (s._.value.category, s._.value.title) in full)]

    def _presenter(self, before) -> bool:
        """A person who hands an award over ("Chủ tịch UBND tỉnh trao Cờ thi đua") is not its conferrer."""
        if before.groupdict().get("conf2"):
            return False  # "được Thủ tướng Chính phủ tặng": the giver
        verb = before.group(0)[before.end("conf") - before.start():]
        return self.person_role_re.match(before.group("conf")) is not None and regex.match(r"(?i)\s+(?:đã\s+|vừa\s+)?trao(?!\s+tặng)", verb) is not None

    def _recipients(self, doc, text, clause_start, start, end) -> list[str]:
        after = self.recipient_after_re.match(text[end:])
        if after:
            return [" ".join(after.group("r").split()).rstrip(", ")]
        before = self.recipient_before_re.search(text[clause_start:start])
        if before:
            written = " ".join(doc._.text[clause_start + before.start("r"):clause_start + before.end("r")].split())
            parts = regex.split(r"\s*,\s*|\s+và\s+", written)
            head = regex.match(r"^(.*?(?:tỉnh|thành phố|TP\.?|huyện|quận))\s", parts[0])
            out = [parts[0]]
            for p in parts[1:]:
                out.append(p if not head or regex.match(r"(?:Công an|BĐBP|Bộ)", p) else f"{head.group(1)} {p}")
            return out
        return []


@Language.factory("vnie_titles", default_config={"rules_path": None})
def make_titles(nlp: Language, name: str, rules_path: str | None):
    return TitleExtractor(rules_path)
