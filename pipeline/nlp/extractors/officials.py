"""Officials: people taking part in what is reported, with their rank and positions.

A person is found by what stands around a name: a rank ("Trung tá Mai Thế
Quang"), a position before it ("Bộ trưởng Tô Lâm") or after it ("Đoàn Thị
Hậu, Phó Chủ tịch ..."), a form of address ("đồng chí", "ông"), a list of
awardees, or the statistical name tagger. Later mentions by full name or by
rank/position and given name ("Trung tướng Xô") are merged into one row.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import unicodedata

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import char_range, in_body, make_span, register_extensions
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical
from pipeline.nlp.values import Official

_SYL = r"\p{Lu}(?:['’]\p{Lu})?[\p{Ll}\p{M}]*"  # one capitalised syllable: "Quang", "Thị", Ê Đê "H'Lim"
_SENTENCE_END = regex.compile(r"[.!?\n]\s|[.!?]$|\n")


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    rank: str | None = None
    positions: list[str] = field(default_factory=list)
    promoted_to: str | None = None
    evidence: str = ""


class OfficialExtractor:
    """spaCy component: fills ``doc.spans["officials"]`` (one span per person) and the mention spans."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        self.rank_order = {rank: i for i, rank in enumerate(r.words("ranks"))}
        rank = alternation(r.words("ranks"))
        surname = alternation(r.words("surnames"))
        heads = alternation(r.words("position_heads"))
        self.model_name_re = regex.compile(rf"{_SYL}(?:\s{_SYL}){{1,3}}")
        self.name_re = regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{surname})(?:\s{_SYL}){{1,3}}(?![\p{{L}}\p{{M}}]|\s{_SYL})")
        academic = rf"(?:,?\s*(?:{alternation(r.words('academic_titles'))})(?:\s*,)?)*"  # "Đại tá, TS. Nguyễn Văn A"
        self.rank_before_re = regex.compile(rf"(?i)(?:^|[^\p{{L}}])(?P<rank>{rank}){academic}\s+$")
        self.context_before_re = regex.compile(
            rf"(?i)(?:^|[^\p{{L}}])(?:{alternation(r.words('name_contexts'))})\s+(?:(?P<rank>{rank}){academic}\s+)?$")
        self.position_start_re = regex.compile(rf"(?:Phó\s+|phó\s+)?(?:{heads})(?![\p{{L}}\p{{M}}])", regex.IGNORECASE)
        self.position_head_re = regex.compile(rf"^(?:Phó\s+)?(?:{heads})(?![\p{{L}}\p{{M}}])", regex.IGNORECASE)
        self.stop_re = regex.compile(rf"\s(?:{alternation(r.words('position_stops'))})(?![\p{{L}}\p{{M}}])")
        # "Trưởng phòng PC06 và Trung tá Trần Văn B": the position ends where the next person starts.
        self.next_person_re = regex.compile(
            rf"\s+và\s+(?=(?:{rank}|(?i:đồng\s+chí|ông|bà))\s|(?:{surname})(?:\s{_SYL}){{1,3}}(?![\p{{L}}\p{{M}}]))")
        self.org_start_re = regex.compile(rf"^(?:{alternation(r.words('org_heads'))})(?![\p{{L}}\p{{M}}])")
        self.list_intro_re = regex.compile(rf"(?i)(?:{alternation(r.words('list_intros'))})\s*:")
        self.promotion_re = regex.compile(
            rf"(?i)thăng\s+(?:quân\s+hàm|cấp\s+bậc\s+hàm|hàm|cấp\s+hàm)?\s*(?:từ\s+(?P<old>{rank})\s+lên\s+)?(?P<new>{rank})"
            rf"(?:\s+cho\s+(?:(?:đồng\s+chí|ông|bà)\s+)?(?:(?P<was>{rank})\s+)?(?P<name>{surname}(?:\s{_SYL}){{1,3}}))?")
        self.later_re = regex.compile(
            rf"(?:(?P<rank>{rank})|(?P<pos>(?:Phó\s+)?(?:{heads}))|(?i:(?<![\p{{L}}])(?:ông|bà|đồng\s+chí)))\s+(?P<given>{_SYL})(?!\s*{_SYL})")
        self.address_words = {w.casefold() for w in r.words("name_contexts") if " " not in w}
        self.stoplist = {canonical(n).casefold() for n in r.words("name_stoplist")}
        places = set()
        for p in r.records("provinces"):
            places.add(p["name"])
            places.update(p.get("aliases", []))
        places.update(r.words("cities"))
        self.places = {canonical(p).casefold() for p in places}
        self.place_cue_re = regex.compile(r"(?i)(?:tỉnh|thành\s+phố|TP\.?|huyện|quận|xã|phường|thị\s+xã|thị\s+trấn|tại|đường|phố|sông|núi)\s*$")
        self.place_list_re = regex.compile(
            r"(?:các|\d+)\s+(?:tỉnh|thành\s+phố|huyện|quận|xã|phường|thị\s+xã|thị\s+trấn)\s*:?\s+"
            r"(?:\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*)*\s*,\s*)+(?:và\s+)?$")
        self.excluded_before_re = regex.compile(
            rf"(?i)(?:ảnh|photo|nguồn|theo|tác\s+giả|bài|clip|video)\s*[:\-–]\s*(?:[\p{{L}}\s]*,\s*)?$|(?:{alternation(r.words('named_after'))})\s+$"
            rf"|(?:{alternation(r.words('not_participants'))})\s+$")
        # "đối tượng Nguyễn Văn B (SN 1990)": someone a report is about, not an official taking part.
        self.suspect_after_re = regex.compile(r"^\s*\((?:SN|sinh\s+năm|\d{4}|trú|ở|quê)", regex.IGNORECASE)

    # -- mentions ---------------------------------------------------------------------------------
    def _clause_before(self, text: str, start: int) -> str:
        """The text from the last clause break before ``start`` up to it."""
        window = text[max(0, start - 160):start]
        cut = max(window.rfind(ch) for ch in ",.;:(\n–—“\"")
        return window[cut + 1:] if cut >= 0 else window

    def _positions_after(self, text: str, end: int) -> list[str]:
        """Positions following a name: ", Phó Giám đốc Công an tỉnh, ..." up to the clause's end."""
        m = regex.match(r"\s*(?:,|–|—|-|\()\s*", text[end:end + 4])
        if not m:
            return []
        pos = end + m.end()
        limit = len(text)
        for pattern in (r"[.;:!?\n(]", r"\s[\-–—]\s(?![\p{Lu}][\p{Ll}]*\s[\p{Ll}])"):
            hit = regex.compile(pattern).search(text, pos)
            if hit:
                limit = min(limit, hit.start())
        stretch = text[pos:limit]
        chunks = regex.split(r",\s*", stretch)
        positions: list[str] = []
        for chunk in chunks:
            chunk = chunk.strip()
            if not chunk:
                break
            stop = self.stop_re.search(" " + chunk) or self.next_person_re.search(" " + chunk)
            if stop:
                chunk = chunk[:max(0, stop.start())].strip()
            if not chunk:
                break
            if self.position_head_re.match(chunk):
                positions.append(chunk)
            elif positions and self.org_start_re.match(chunk):
                positions[-1] = f"{positions[-1]}, {chunk}"  # "..., Bộ Công an": the same position's unit
            else:
                break
            if stop:
                break
        return positions

    def _position_before(self, clause: str) -> str | None:
        """A position right before a name: "Bộ trưởng ", "Thủ tướng Chính phủ "."""
        m = self.position_start_re.search(clause)
        if not m:
            return None
        text = clause[m.start():].strip()
        if not text or not text[0].isupper() or len(text) > 80:
            return None
        if self.stop_re.search(" " + text) or self.name_re.search(text):
            return None  # a verb or another person between the position and the name
        return text

    def find_mentions(self, doc: Doc) -> list[_Mention]:
        text = doc._.match_text
        author = doc.spans.get("author", [])
        author_ranges = [char_range(s) for s in author]
        mentions: list[_Mention] = []
        list_zones = self._list_zones(text)
        tagged = {char_range(s) for s in doc.spans.get("person_names", [])}
        candidates = [(m.start(), m.end(), False) for m in self.name_re.finditer(text)]
        # Names whose surname the gazetteer does not know ("H'Lim Niê", "Ksor Phước"): the name model's,
        # when a rank, a form of address or a position vouches for them too.
        candidates += [(s, e, True) for s, e in tagged
                       if self.model_name_re.fullmatch(text, s, e)
                       and not any(cs < e and s < ce for cs, ce, _ in candidates)]
        for start, end, model_only in sorted(candidates):
            if not in_body(doc, start, end) or any(a <= start < b for a, b in author_ranges):
                continue
            name = " ".join(text[start:end].split())
            first, _, rest = name.partition(" ")
            if first.casefold() in self.address_words and self.name_re.fullmatch(rest):
                start += len(first) + 1  # "Ông Tô Ân Xô": a form of address, then the name
                name = rest
            shift = self._place_overlap(text, start, name)
            if shift:
                start += shift  # "tỉnh Lạng Sơn Hoàng Văn Dũng": "Sơn" ends the place, the name follows
                name = text[start:end]
            key = canonical(name).casefold()
            if key in self.stoplist or key in self.places:
                continue
            before = text[max(0, start - 80):start]
            if self.excluded_before_re.search(before):
                continue
            if self.place_cue_re.search(before) and not self._position_before(self._clause_before(text, start).rstrip()):
                continue  # "tỉnh Hà Nam" is a place; "Chủ tịch UBND tỉnh Nguyễn Đức Trung" is a person
            if self.place_list_re.search(before):
                continue  # "các huyện Đồng Văn, Mèo Vạc, Yên Minh": the places of a list go on

            if self._inside_quotes(text, start) or self.suspect_after_re.match(text[end:end + 16]):
                continue
            mention = _Mention(start, end, name)
            rank_m = self.rank_before_re.search(before)
            ctx_m = self.context_before_re.search(before)
            if not (rank_m or ctx_m) and self._ends_inside_a_word(doc, text, start, end):
                continue  # "Đoàn Thanh|niên" is the youth union; "Trung tá Lê Thị Thu|nhận" stays a person
            if rank_m:
                mention.rank = canonical(rank_m.group("rank"))
                mention.evidence = "rank"
            elif ctx_m:
                mention.evidence = "address"
                if ctx_m.group("rank"):
                    mention.rank = canonical(ctx_m.group("rank"))
            clause = self._clause_before(text, start)
            if mention.rank:
                clause = clause[:clause.rfind(rank_m.group("rank") if rank_m else ctx_m.group("rank"))] if (rank_m or ctx_m) else clause
            before_position = None if mention.evidence == "address" else self._position_before(clause.rstrip())
            after = self._positions_after(text, end)
            if after:
                mention.positions = after
                mention.evidence = mention.evidence or "position"
            elif before_position:
                mention.positions = [before_position]
                mention.evidence = mention.evidence or "position"
            if model_only and mention.evidence not in ("rank", "address", "position"):
                continue
            standalone = regex.match(r"\s*(?:[,;.:)(…]|và\s|$)", text[end:end + 4]) is not None
            if not mention.evidence and standalone and any(a <= start < b for a, b in list_zones):
                mention.evidence = "list"
            if not mention.evidence and (standalone or len(name.split()) >= 3) and (start, end) in tagged:
                mention.evidence = "model"
            if mention.evidence:
                mentions.append(mention)
        return mentions

    def _ends_inside_a_word(self, doc: Doc, text: str, start: int, end: int) -> bool:
        """Whether segmentation joined the name's last syllable to the next one, and the two make a
        dictionary word ("Thanh niên"); a segmentation slip such as "Hiệp dự" does not count."""
        from pipeline.nlp.word_crf import load_dictionary

        last_token = doc.char_span(end - 1, end, alignment_mode="expand")
        if last_token is None or last_token.end_char <= end:
            return False
        following = regex.match(r" (\p{Ll}[\p{L}\p{M}]*)", text[end:end + 12])
        if following is None:
            return False
        last = text[start:end].split()[-1]
        return f"{last} {following.group(1)}".lower() in load_dictionary()

    def _place_overlap(self, text: str, start: int, name: str) -> int:
        """Characters at the start of ``name`` that finish a place named just before it."""
        before = text[max(0, start - 40):start].split()
        syllables = name.split()
        for k in range(1, len(syllables) - 1):
            head = " ".join(syllables[:k])
            for n in (1, 2, 3):
                if len(before) >= n and canonical(" ".join(before[-n:] + [head])).casefold() in self.places:
                    return len(" ".join(syllables[:k])) + 1
        return 0

    def _inside_quotes(self, text: str, start: int) -> bool:
        line_start = text.rfind("\n", 0, start) + 1
        before = text[line_start:start]
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1

    def _list_zones(self, text: str) -> list[tuple[int, int]]:
        zones = []
        for m in self.list_intro_re.finditer(text):
            end = _SENTENCE_END.search(text, m.end())
            zones.append((m.end(), end.start() if end else len(text)))
        return zones

    # -- people -----------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        mentions = self.find_mentions(doc)
        people: dict[str, Official] = {}
        best_positions: dict[str, list[str]] = {}
        ranks: dict[str, list[str]] = {}
        mention_spans, rank_spans, position_spans = [], [], []
        for m in mentions:
            key = canonical(m.name).casefold()
            person = people.get(key)
            if person is None:
                person = people[key] = Official(name=canonical(doc._.text[m.start:m.end]), start=m.start, end=m.end,
                                                mentions=0)
            if m.rank:
                ranks.setdefault(key, []).append(m.rank)
            if len(" ".join(m.positions)) > len(" ".join(best_positions.get(key, []))):
                best_positions[key] = m.positions
        # Every mention of a known full name counts, with or without context.
        by_name = {canonical(p.name): p for p in people.values()}
        for start, end, name in find_names(text, list(by_name)):
            person = by_name[name]
            if in_body(doc, start, end):
                person.mentions += 1
                span = make_span(doc, start, end, "OFFICIAL", person.name)
                if span is not None:
                    mention_spans.append(span)
        # Later mentions by rank or position and given name: "Trung tướng Xô".
        given = {}
        for key, person in people.items():
            given.setdefault(person.name.split()[-1], []).append(key)
        for m in self.later_re.finditer(text):
            keys = given.get(m.group("given"), [])
            if len(keys) == 1 and in_body(doc, *m.span()):
                people[keys[0]].mentions += 1
                if m.group("rank"):
                    ranks.setdefault(keys[0], []).append(canonical(m.group("rank")))
        # Promotions: the new rank is the rank.
        for m in self.promotion_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            listed = self._listed_after(text, m.end(), mentions)
            if listed and not m.group("name"):  # "thăng cấp bậc hàm từ Thượng tá lên Đại tá gồm: A, ...; B, ..."
                for key in listed:
                    ranks.setdefault(key, []).append(canonical(m.group("new")))
                continue
            key = canonical(m.group("name")).casefold() if m.group("name") else self._subject_before(text, m.start(), people)
            if key in people:
                ranks.setdefault(key, []).append(canonical(m.group("new")))
        for key, person in people.items():
            person.positions = best_positions.get(key, [])
            if ranks.get(key):
                person.rank = min(ranks[key], key=lambda r: self.rank_order.get(r, 99))
        spans = []
        for person in sorted(people.values(), key=lambda p: p.start):
            span = make_span(doc, person.start, person.end, "OFFICIAL", person)
            if span is not None:
                spans.append(span)
        doc.spans["officials"] = spans
        doc.spans["official_mentions"] = mention_spans
        return doc

    def _listed_after(self, text: str, at: int, mentions) -> list[str]:
        """The people of a list that a promotion introduces ("... lên Đại tá gồm: A, ...; B, ...")."""
        intro = self.list_intro_re.search(text, at, min(len(text), at + 40))
        if intro is None or regex.search(r"[.;\n]", text[at:intro.start()]):
            return []
        end = _SENTENCE_END.search(text, intro.end())
        end = end.start() if end else len(text)
        return [canonical(m.name).casefold() for m in mentions if intro.end() <= m.start < end]

    def _subject_before(self, text: str, at: int, people: dict) -> str | None:
        """The person a promotion in this sentence is about ("Ông X, ..., được thăng quân hàm ...")."""
        sentence_start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
        best = None
        for key, person in people.items():
            pattern = regex.compile(regex.escape(person.name).replace(r"\ ", r"\s+"))
            if pattern.search(text, sentence_start, at):
                best = key
        return best


def _word_char(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch).startswith("M")


def find_names(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """Every whole-word occurrence of each name (any white space between its syllables), leftmost
    first and the longest at a position, none overlapping: what an alternation regex finds, without
    compiling one per document."""
    found = []
    for name in names:
        first, *rest = name.split()
        at = text.find(first)
        while at >= 0:
            end = at + len(first)
            if at == 0 or not _word_char(text[at - 1]):
                for syllable in rest:
                    gap = end
                    while gap < len(text) and text[gap].isspace():
                        gap += 1
                    if gap == end or not text.startswith(syllable, gap):
                        end = -1
                        break
                    end = gap + len(syllable)
                if end > 0 and (end == len(text) or not _word_char(text[end])):
                    found.append((at, end, name))
            at = text.find(first, at + 1)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept, last_end = [], 0
    for start, end, name in found:
        if start >= last_end:
            kept.append((start, end, name))
            last_end = end
    return kept


@Language.factory("vnie_officials", default_config={"rules_path": None})
def make_officials(nlp: Language, name: str, rules_path: str | None):
    return OfficialExtractor(rules_path)
