"""Clusters: emulation clusters (Cụm thi đua) and blocs (Khối thi đua), their members and heads.

"Cụm thi đua số 8, Bộ Công an", "Cụm thi đua số III", "Khối thi đua các đơn
vị An ninh nhân dân Công an tỉnh"; members listed as "Công an 8 tỉnh: A, B
và C" are expanded one per unit; the head unit is the one leading the
reported year, not the one the leadership is handed to.
"""
from __future__ import annotations


import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import in_body, make_span, register_extensions
from pipeline.nlp.lexicon import SENTENCE_BREAKS, abbreviations, clause_start, expand, lexicon_of, org_heads
from pipeline.nlp.scanning import finditer_at, word_starts, word_starts_ignoring_case
from pipeline.nlp.values import Cluster
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical, fold_tones
from pipeline.text.numbers import parse_cardinal

_SENTENCE_END = regex.compile(r"\.\s|\n")
_TOKEN_BREAK = regex.compile(r"[\s,;.()\-–/|]+")
_LEADING_VA = regex.compile(r"^và\s+")
_AND = regex.compile(r",?\s+và\s+")
_TRAILING_PARENS = regex.compile(r"\s*\([^()]*\)$")
_OUTSIDE_RUN = regex.compile(r"[^\s\p{L}\p{M}()]")  # not a letter, a space or a parenthesis
_OUTSIDE_RUN_BACKWARDS = regex.compile(rf"(?r){_OUTSIDE_RUN.pattern}")


def _openers(words, ignoring_case: bool = False) -> list[str]:
    """The first word of each of ``words`` as a pattern of them spells it (:func:`alternation`): a match
    of them starts where one of these does; case-folded for a pattern that ignores case."""
    firsts = {fold_tones(w).split()[0] for w in words}
    return sorted({w.casefold() for w in firsts} if ignoring_case else firsts)


def _matches_in_runs(pattern, text: str, cues: list[int] | None):
    """The matches of ``pattern.finditer(text)`` for a pattern whose matches hold only letters, white space
    and parentheses, and a cue (``cues``: in order, every place one may start; None: any place):
    ``pattern`` is scanned only in the stretches of such characters that hold a cue."""
    if cues is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for at in cues:
        if at < end:
            continue
        before, after = _OUTSIDE_RUN_BACKWARDS.search(text, 0, at), _OUTSIDE_RUN.search(text, at)
        start, end = before.end() if before else 0, after.start() if after else len(text)
        yield from pattern.finditer(text, start, end)


def _tokens(name: str) -> set[str]:
    return {t for t in _TOKEN_BREAK.split(canonical(name).casefold()) if t}


class ClusterExtractor:
    """spaCy component: fills ``doc.spans["clusters"]``, one span per distinct cluster."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        self.cfg = cfg = r.settings("clusters")
        self.lexicon = lexicon_of(r)
        self.unit_types = cfg["unit_types"]
        self.emulation = set(cfg["emulation"].split())  # "thi", "đua": not what tells two clusters apart
        self.bare = self.emulation | set(cfg["kinds"])
        self.org_heads = alternation(r.words("org_heads"))
        self.full_members = alternation(cfg["members_written_in_full"])
        # The organisation of a member is written out ("BĐBP" → "Bộ đội Biên phòng"); other short forms
        # ("BR-VT", "PCCC") stay as written.
        self.member_abbreviations = {k: v for k, v in abbreviations(rules_path).items()
                                     if k in cfg["member_abbreviations_expanded"]}
        self.province_kinds = {p["name"]: p["kind"] for p in r.records("provinces")}
        self.stops = alternation(cfg["name_stops"] + r.words("position_stops"))  # where a name or a unit ends
        # A "." ends a clause, except after an abbreviation: "Công an TP. Đồng Hới".
        self.clause_breaks = regex.compile(
            rf"[,;:()\n]|(?<!\b{alternation(r.words('dotted_abbreviations'))})\.(?=\s|$)")
        self._compile_name_patterns(r, cfg)
        self._compile_member_patterns(cfg)
        self._compile_head_patterns(r, cfg)

    def _compile_name_patterns(self, r, cfg) -> None:
        """A cluster's head words, number, descriptive name and parent body."""
        parents = alternation(r.words("cluster_parents"))
        self.parents_re = regex.compile(rf"(?:^|\s)(?P<p>{parents})$")
        stops, kinds = self.stops, alternation(cfg["kinds"])
        admin = self.lexicon.admin_unit_pattern()
        number, year = alternation([cfg["number_word"]]), alternation([cfg["year_word"]])
        # "Cụm Thi đua 5 LĐLĐ thành phố": a number before a unit counts the members, it names nothing.
        counted = rf"(?!{parents}(?![\p{{L}}])){alternation(cfg['counted_orgs'])}\s+(?:các\s+)?{alternation(cfg['unit_types'])}"
        self.head_re = regex.compile(
            rf"(?i)(?<![\p{{L}}])(?P<kind>{kinds})(?P<rest>\s+(?:{alternation(cfg['descriptors'])})"
            rf"(?:\s+{number}\s+(?P<num>\d{{1,2}}|[IVXLC]{{1,6}})(?![\p{{L}}\d])"
            rf"|\s+(?P<num2>\d{{1,2}}|[IVXLC]{{1,6}})(?![\p{{L}}\d])(?!\s+(?!{year})(?-i:\p{{Ll}}))(?!\s+{counted}))?"
            rf"|\s+(?-i:\p{{Lu}}))")
        self.head_openers = _openers(cfg["kinds"], ignoring_case=True)
        place = self._place_pattern()
        self.tail_re = regex.compile(
            rf"(?:\s*[,–—\-]\s*|\s+)(?:của\s+)?(?P<parent>{parents})(?![\p{{L}}])"
            rf"(?:\s*\((?-i:\p{{Lu}}+)\))?(?:\s+(?:{self.lexicon.admin_unit_pattern('province_and_district')})\s+{place})?")
        # Words of a name: any word up to a stop, a spaced dash ("Mặt trận – Đoàn thể"), ", thị trấn", and the
        # commas of a capitalised series closed by "và" ("Sở Văn hóa, Thể thao và Du lịch").
        series = r"(?=(?: +[\p{L}\p{M}]+|, +\p{Lu}[\p{L}\p{M}]*)* +và +\p{Lu})"
        self.desc_re = regex.compile(
            rf"(?:(?! (?:{stops})(?![\p{{L}}]))(?: +[\p{{L}}\p{{M}}\d\-]+(?:\.(?=\p{{L}})[\p{{L}}\p{{M}}]+)*"
            rf"| +[–—\-](?= +\p{{L}})|, +(?:{admin})(?![\p{{L}}])|, +\p{{Lu}}[\p{{L}}\p{{M}}]*{series}))+")
        self.emulation_end_re = regex.compile(rf"(?i){alternation([cfg['emulation']])}$")
        self.name_extension_re = regex.compile(
            rf" +(?:{alternation(cfg['name_extenders'])}(?![\p{{L}}])|\p{{Lu}}|(?P<count>\d+ ))")
        # "Cụm thi đua các tỉnh miền Đông Nam Bộ (Cụm số 4)": the number given aside.
        self.number_aside_re = regex.compile(
            rf"(?i)\s*\(\s*(?:{kinds})(?:\s+{alternation([cfg['emulation']])})?\s+(?:{number}\s+)?"
            rf"(?P<num>\d{{1,2}}|[IVXLC]{{1,6}})\s*\)")

    def _compile_member_patterns(self, cfg) -> None:
        """Member lists: "Công an 3 tỉnh: A, B, C", "gồm các đơn vị: X; Y và Z", "Cụm gồm: X (Cụm trưởng), Y"."""
        orgs, types = alternation(cfg["member_orgs"]), alternation(cfg["unit_types"])
        place = self.place = self._place_pattern()
        self.unit = unit = rf"(?:{orgs})\s+(?:{types})\s*{place}"
        lw, dw = alternation(cfg["leader_words"]), alternation(cfg["deputy_words"])
        head_unit = rf"{alternation([cfg['unit_word']])}\s+{lw}"
        marked = rf"{place}(?:\s*\((?i:{lw}|{dw})\))?"  # "Lạng Sơn (Cụm trưởng)"
        self.member_list_re = regex.compile(
            rf"(?<![\p{{L}}])(?P<org>(?i:{orgs}))\s+(?:(?:(?:{alternation(cfg['list_quantifiers'])}|\d+)\s+"
            rf"(?P<type>{types}(?:\s*,\s*{types})*)\s*:?)|(?P<type2>{types})\s*:)\s+"
            rf"(?P<items>{marked}(?:\s*,\s*{marked})*(?:,?\s+và\s+(?:(?:{head_unit}\s+{unit})|(?!(?:{orgs})\s){marked}))?)")
        self.member_list_openers = _openers(cfg["member_orgs"], ignoring_case=True)
        self.member_split_re = regex.compile(rf"\s*,\s*|,?\s+và\s+(?:{head_unit}\s+)?")
        self.marker_re = regex.compile(rf"(?i)\s*\(\s*(?:(?P<leader>{lw})|(?P<deputy>{dw}))\s*\)")
        self.unit_list_re = self._unit_list_pattern(cfg)
        self.list_split_re = regex.compile(r"\s*;\s*(?:và\s+)?|\s*,\s*(?=\p{Lu})|\s+và\s+(?=(?:" + self.org_heads + r")\s)"
                                           r"|\s+và\s+(?=\p{Lu}[\p{L}\p{M}]*\s+[\p{L}\p{M}])")
        self.full_member_re = regex.compile(rf"{self.full_members}\s")
        self.unit_list_openers = _openers([cfg["list_intro"], *cfg["member_nouns"], *cfg["attending_intros"]])
        self.leading_re = regex.compile(rf"\s*[-–,]?\s+{alternation(cfg['leading_words'])}\s+")
        self.list_subject_re = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{alternation(cfg['kinds'])})(?![\p{{L}}])[^.\n:;]*$")
        self.last_item_end_re = regex.compile(
            rf"\s(?:{self.stops}|{alternation(cfg['last_item_ends'])})(?![\p{{L}}])")
        self.head_in_list_re = regex.compile(rf"\s{alternation(cfg['head_verbs'])}\s")
        self.admin_start_re = regex.compile(
            rf"(?i){self.lexicon.admin_unit_pattern('province_district_and_town', abbreviations=True)}(\s|$|\.)")

    @staticmethod
    def _unit_list_pattern(cfg):
        """A list of units after "gồm các đơn vị:", "gồm:", "6 đơn vị, gồm:", "7 đơn vị thành viên gồm:",
        or the units attending: "lãnh đạo các đơn vị:"."""
        intro, quant = alternation([cfg["list_intro"]]), alternation(cfg["list_quantifiers"])
        nouns, ext = alternation(cfg["member_nouns"]), alternation([cfg["member_noun_extension"]])
        return regex.compile(
            rf"(?:(?P<items_named>{intro}\s+(?:{quant}\s+|\d+\s+)?{nouns}(?:\s+{ext})?\s*:)"
            rf"|(?P<bare>{intro}\s*:|{nouns}(?:\s+{ext})?\s*,?\s+{intro}\s*:)"
            rf"|(?P<attending>(?<![\p{{L}}])(?:{alternation(cfg['attending_intros'])})\s+{quant}\s+{nouns}\s*:))"
            rf"\s*(?P<items>(?:[^.\n]|\.(?=\p{{L}}))+)")

    def _place_pattern(self) -> str:
        """A place name of capitalised words, maybe after "TP": "Bà Rịa - Vũng Tàu", "TP.HCM", "TP Cần Thơ"."""
        abbr = alternation(self.lexicon.rules.settings("admin_units")["abbreviations"])
        cap = rf"(?:{abbr}\s?)?\p{{Lu}}(?:[\p{{L}}\p{{M}}\-]|\.(?=\p{{L}}))*"
        return rf"{cap}(?:\s(?:-\s)?{cap})*"

    def _compile_head_patterns(self, r, cfg) -> None:
        """Head and deputy units: "X làm khối trưởng", "X (đơn vị Trưởng khối)", "đơn vị cụm trưởng X",
        "X bàn giao cờ cụm trưởng"."""
        lw, dw = alternation(cfg["leader_words"]), alternation(cfg["deputy_words"])
        org = alternation(org_heads(r) + cfg["member_orgs"] + cfg["head_orgs"])
        unit_word, verbs = alternation([cfg["unit_word"]]), alternation(cfg["head_verbs"])
        stops = self.stops
        self.org_start_re = regex.compile(rf"(?<![\p{{L}}])(?:{org})(?![\p{{L}}])")
        self.head_anchor_res = {
            attr: (regex.compile(rf"(?i)\s+{verbs}\s+(?:{unit_word}\s+)?(?:{words})(?![\p{{L}}])"
                                 rf"|\s*\(\s*(?:{unit_word}\s+)?(?:{words})\s*\)"),
                   regex.compile(rf"(?i)(?:{unit_word}\s+)?(?:{words})(?:\s+là|\s*:)?\s+(?=(?-i:{org})(?![\p{{L}}]))"))
            for attr, words in (("leader", lw), ("deputy", dw))
        }
        # The words of the first pattern of each, which all its matches hold, and where the second may start.
        self.head_anchor_openers = {attr: (_openers(cfg[key], True), _openers([cfg["unit_word"], *cfg[key]], True))
                                    for attr, key in (("leader", "leader_words"), ("deputy", "deputy_words"))}
        anchor_words = [*cfg["head_verbs"], cfg["unit_word"], *cfg["leader_words"], *cfg["deputy_words"]]
        if not all(regex.fullmatch(r"[\p{L}\p{M} ]+", w) for w in anchor_words):
            raise ValueError("head verbs and words must hold only letters and spaces (see _matches_in_runs)")
        self.head_cut_re = regex.compile(rf"(?<![\p{{L}}]){alternation(cfg['head_cut_words'])}\s")
        self.handover_re = regex.compile(
            rf"(?P<u>(?:{self.unit}))\s+(?:đã\s+)?{alternation(cfg['handover_verbs'])}\s+"
            rf"(?:{alternation(cfg['handover_objects'])}\s+)?(?i:{lw})")
        self.not_this_year_re = regex.compile(rf"(?i)(?<![\p{{L}}]){alternation(cfg['next_year_words'])}(?![\p{{L}}])")
        self.unit_end_re = regex.compile(
            rf"{self.clause_breaks.pattern}|\s(?:{stops})(?![\p{{L}}])|\s{alternation(cfg['unit_ends'])}(?![\p{{L}}])")

    def _mentions(self, doc: Doc):
        """Every mention of a cluster: (start, end, Cluster) with its kind, number, name and parent."""
        text = doc._.match_text
        for m in finditer_at(self.head_re, text, word_starts_ignoring_case(text, self.head_openers)):
            if not in_body(doc, *m.span()):
                continue
            number = _number(m.group("num") or m.group("num2"))
            end = m.end() if number is not None or not m.group("rest").strip()[:1].isupper() else m.start("rest")
            end, number, parent = self._extent(text, m.start(), end, number)
            name = canonical(doc._.text[m.start():end]).rstrip(",")
            name = name[0].upper() + name[1:]
            yield m.start(), end, Cluster(kind=canonical(m.group("kind")).casefold(), name=name, number=number, parent=parent)

    def _extent(self, text: str, start: int, end: int, number: int | None) -> tuple[int, int | None, str | None]:
        """Where a cluster's name ends, with its number and parent: after a number, the body it belongs
        to ("số 2 Bộ đội Biên phòng (BĐBP) tỉnh Thanh Hóa"); without one, the words that name it and
        a number given aside ("... miền Đông Nam Bộ (Cụm số 4)")."""
        parent = None
        if number is not None:
            tail = self.tail_re.match(text, end)
            if tail:
                end, parent = tail.end(), canonical(tail.group("parent"))
            return end, number, parent
        if self.named_further(text, start, end):
            desc = self.desc_re.match(text, end)
            if desc and self.names_by_count(text[end:desc.end()]):
                end = desc.end()
            p = self.parents_re.search(text[start:end])
            parent = canonical(p.group("p")) if p else None
        aside = self.number_aside_re.match(text, end)
        if aside:
            end, number = aside.end(), _number(aside.group("num"))
        return end, number, parent

    @staticmethod
    def names_by_count(words: str) -> bool:
        """Words that start with a count name a cluster only with a proper noun among them ("5 thành
        phố trực thuộc Trung ương", "5 LĐLĐ tỉnh"); "5 tỉnh" alone is a count, not a name."""
        return not words.strip()[:1].isdigit() or any(c.isupper() for c in words)

    def named_further(self, text: str, start: int, end: int) -> bool:
        """A cluster without a number is named by the words after its head: "Cụm biên phòng tuyến biển",
        "Khối thi đua các đơn vị An ninh", "Khối ANND Công an tỉnh"; a bare "Khối thi đua" followed by
        lower-case words ("Khối thi đua đã ký") is not."""
        return not self.emulation_end_re.search(text, start, end) or self.name_extension_re.match(text, end) is not None

    def __call__(self, doc: Doc) -> Doc:
        clusters: list[tuple[int, int, Cluster]] = []
        seen_at: dict[int, list[int]] = {}  # id(cluster) -> where each of its mentions starts, for this Doc only
        for start, end, c in self._mentions(doc):
            same = self._same(clusters, c)
            if same is None:
                clusters.append((start, end, c))
                seen_at[id(c)] = [start]
            else:
                seen_at[id(same[2])].append(start)
                _merge(same[2], c)
        named = [x for x in clusters if self.is_named(x[2])]
        self._attach_members(doc, named, seen_at)
        self._attach_heads(doc, named, seen_at)
        spans = []
        for start, end, c in named:
            span = make_span(doc, start, end, "CLUSTER", c)
            if span is not None:
                spans.append(span)
        doc.spans["clusters"] = spans
        return doc

    def is_named(self, c: Cluster) -> bool:
        """A cluster of its own has a number or a name: "Cụm thi đua số 5", "Khối ANND"; a bare "Cụm thi
        đua" or "Khối" is a reference back to one."""
        return c.number is not None or len(_tokens(c.name) - self.bare) > 0

    def _same(self, clusters, c):
        """The cluster already found that ``c`` names again: same kind, and the same number or, with no
        number, one name's words within the other's ("Khối thi đua huyện, thị xã" in "Khối thi đua Công
        an các huyện, thị xã")."""
        for item in clusters:
            k = item[2]
            if k.kind != c.kind:
                continue
            if k.number is not None or c.number is not None:
                if k.number == c.number:
                    return item
                continue
            a, b = _tokens(k.name) - self.emulation, _tokens(c.name) - self.emulation
            if a <= b or b <= a:
                return item
        return None

    def _expand(self, org: str, unit_type: str, item: str) -> str:
        """A listed member in full: ("Công an", "tỉnh", "Bến Tre") → "Công an tỉnh Bến Tre";
        an item that names its own unit ("TP.HCM", "thị xã Ba Đồn") keeps it; of "tỉnh, thành phố",
        the one the place is ("Hải Phòng" → thành phố); the organisation written out ("BĐBP" →
        "Bộ đội Biên phòng")."""
        item = " ".join(item.split())
        org = self._in_full(org)
        org = org[0].upper() + org[1:]
        if self.admin_start_re.match(item) or item.startswith("TP"):
            return f"{org} {item}"
        choices = [t.strip() for t in unit_type.split(",")]
        kind = self.province_kinds.get(item)
        unit_type = kind if kind in choices else choices[0]
        return f"{org} {self.unit_types.get(unit_type, unit_type)} {item}"

    def _in_full(self, unit: str) -> str:
        """A unit's name with its abbreviations written out, as the rules ask ("Ủy ban MTTQ" →
        "Ủy ban Mặt trận Tổ quốc"); place names and other short forms are kept."""
        return expand(" ".join(unit.split()), self.member_abbreviations)

    def _marked(self, items: list[str]) -> list[tuple[str, str | None]]:
        """Each listed item without its "(Cụm trưởng)" / "(Khối phó)" mark, and the role the mark gives."""
        out = []
        for item in items:
            mark = self.marker_re.search(item)
            role = None if mark is None else "leader" if mark.group("leader") else "deputy"
            out.append((self.marker_re.sub("", item).strip(), role))
        return out

    def _attach_members(self, doc: Doc, clusters, seen_at) -> None:
        """Members of the cluster each list follows: "Công an 3 tỉnh: A, B, C" or "gồm các đơn vị: X; Y"."""
        if not clusters:
            return
        self._attach_listed_units(doc, clusters, seen_at)
        text = doc._.match_text
        for m in finditer_at(self.unit_list_re, text, word_starts(text, self.unit_list_openers)):
            if not in_body(doc, *m.span()) or not self.list_of_cluster(text, m, clusters, seen_at):
                continue
            items = self._marked(self._list_items(doc._.text[m.start("items"):m.end("items")]))
            if len(items) >= 2 and (m.group("items_named") or self.units_listed(text, [i for i, _ in items])):
                target = _nearest(clusters, m.start(), seen_at)
                if not target.members:
                    target.members = [self._in_full(i) for i, _ in items]
                    _mark_heads(target, [(self._in_full(i), role) for i, role in items])
        self._attach_leading_units(doc, clusters, seen_at)

    def _attach_leading_units(self, doc: Doc, clusters, seen_at) -> None:
        """A unit "dẫn đầu" a cluster named right after is one of its members ("LĐLĐ tỉnh Thanh Hóa -
        dẫn đầu Cụm Thi đua 6 LĐLĐ tỉnh"), when no list gives them."""
        text = doc._.match_text
        listed = {id(c) for _, _, c in clusters if c.members}
        for m in self.leading_re.finditer(text):
            target = _named_at(clusters, m.end(), seen_at)
            at = clause_start(text, m.start(), self.clause_breaks, window=200)
            head = self.head_unit_in(text[at:m.start()])
            if target is None or id(target) in listed or head is None or not in_body(doc, *m.span()):
                continue
            if self.unit_end_re.search(text, at + head.start() + 1, m.start()):  # "tặng Sở Tư pháp vì đã ... dẫn đầu"
                continue
            unit = self._in_full(doc._.text[at + head.start():m.start()])
            if unit not in target.members:
                target.members = target.members + [unit]

    def _list_items(self, written: str) -> list[str]:
        """The units of a written list, split at ";", ", X", "và X"; the last one ends at the unit
        ("..., Hải đội 413 tiếp tục dẫn đầu" → "Hải đội 413")."""
        items = self.list_split_re.split(written)
        items = [i for i in items if not self.head_in_list_re.search(i)]  # "Thanh tra tỉnh là đơn vị Khối phó"
        items = [" ".join(i.split()).rstrip(".") for i in items if i.strip()]
        if items:
            cut = self.last_item_end_re.search(items[-1])
            items[-1] = items[-1][:cut.start()] if cut else items[-1]
        items = [_LEADING_VA.sub("", i) for i in items]
        return [i if self.marker_re.search(i) else _TRAILING_PARENS.sub("", i) for i in items]  # "X (TP.HCM)"

    def units_listed(self, text: str, items: list[str]) -> bool:
        """A list not introduced as units ("gồm:") holds units only when each item starts as one does
        ("Lữ đoàn 172, Hải đội 411"), not the points of an agreement ("Quán triệt ..., Chỉ thị ...")."""
        return all(self.org_start_re.match(fold_tones(i)) for i in items)

    def list_of_cluster(self, text: str, m, clusters, seen_at) -> bool:
        """A list without "đơn vị" before its colon is a cluster's own only when a cluster is its subject
        ("Cụm gồm: ...", not "thống nhất các nội dung, gồm: ..."); the units attending are its members
        when the sentence before names it."""
        if m.group("bare"):
            return self.list_subject_re.search(text, clause_start(text, m.start(), SENTENCE_BREAKS), m.start()) is not None
        if m.group("attending"):
            return any(m.start() - 400 < s < m.start() for starts in seen_at.values() for s in starts)
        return True

    def _attach_listed_units(self, doc: Doc, clusters, seen_at) -> None:
        """Members named by organisation and unit type: "Công an 5 thành phố: Hà Nội, TP.HCM và Cần Thơ";
        a second list joined by "và" adds to the first ("Công an các phường A, B và Công an các xã C, D")."""
        text = doc._.match_text
        last_end = -1
        for m in finditer_at(self.member_list_re, text, word_starts_ignoring_case(text, self.member_list_openers)):
            if not in_body(doc, *m.span()):
                continue
            items = self._marked([i for i in self.member_split_re.split(doc._.text[m.start("items"):m.end("items")])
                                  if i.strip()])
            if len(items) < 2:
                continue
            org, unit_type = canonical(doc._.text[m.start("org"):m.end("org")]), canonical(m.group("type") or m.group("type2"))
            members = [(self._in_full(" ".join(item.split())) if self.full_member_re.match(item)
                        else self._expand(org, unit_type, item), role) for item, role in items]
            target = _nearest(clusters, m.start(), seen_at)
            if not target.members:
                target.members = [u for u, _ in members]
                last_end = m.end()
            elif _AND.fullmatch(text[last_end:m.start()]):
                target.members = target.members + [u for u, _ in members]
                last_end = m.end()
            else:
                continue
            _mark_heads(target, members)

    def _attach_heads(self, doc: Doc, clusters, seen_at) -> None:
        """Head (cụm/khối trưởng) and deputy units for the reported year, not the next one; the cluster
        named right after the head word is the one headed ("làm Cụm trưởng Cụm thi đua số 4")."""
        if not clusters:
            return
        text = doc._.match_text
        for attr, anchors in self.head_anchor_res.items():
            for start, end, after in self._head_units(text, *anchors, *self.head_anchor_openers[attr]):
                sentence_start = clause_start(text, start, SENTENCE_BREAKS)
                if not in_body(doc, start, end) or not self.for_this_year(text, sentence_start, _sentence_end(text, end)):
                    continue
                target = _named_at(clusters, after, seen_at) or _nearest(clusters, start, seen_at)
                if getattr(target, attr) is None:
                    setattr(target, attr, " ".join(doc._.text[start:end].split()))
        for m in self.handover_re.finditer(text):  # the unit handing over led the reported year
            target = _nearest(clusters, m.start(), seen_at)
            if target.leader is None and in_body(doc, *m.span()):
                target.leader = " ".join(doc._.text[m.start("u"):m.end("u")].split())

    def _head_units(self, text: str, after_unit, before_unit, words, before_openers) -> list[tuple[int, int, int]]:
        """(start, end) of each unit named as head or deputy, in order of the anchor words, with where
        the anchor words end. A match of ``after_unit`` holds one of ``words`` (the first words of its
        head words); one of ``before_unit`` starts at one of ``before_openers``."""
        found = []
        cues = word_starts_ignoring_case(text, words)
        for m in _matches_in_runs(after_unit, text, cues):  # "Công an huyện Quảng Ninh làm khối trưởng", "Bảo tàng tỉnh (Khối trưởng)"
            at = clause_start(text, m.start(), self.clause_breaks, window=200)
            head = self.head_unit_in(text[at:m.start()])
            if head:
                start = at + head.start()
                end = self.unit_end_re.search(text, start + 1, m.start())  # "... Quảng Trị được Bộ Công an phân công"
                found.append((m.start(), start, end.start() if end else m.start(), m.end()))
        for m in finditer_at(before_unit, text, word_starts_ignoring_case(text, before_openers)):
            # "đơn vị cụm trưởng Công an tỉnh BR-VT"
            end = self.unit_end_re.search(text, m.end())
            found.append((m.start(), m.end(), end.start() if end else len(text), m.start()))
        return [(start, end, after) for _, start, end, after in sorted(found)]

    def head_unit_in(self, clause: str):
        """The unit a clause names before "làm/là khối trưởng", after "do/bởi/và/để" if any:
        "do Công an huyện Quảng Ninh" → "Công an huyện Quảng Ninh"; "Hội nghị thống nhất" → None."""
        cut = max((x.end() for x in self.head_cut_re.finditer(clause)), default=0)
        return self.org_start_re.search(clause, cut)

    def for_this_year(self, text: str, start: int, end: int) -> bool:
        """The sentence is about the reported year, not the next: "Công an tỉnh A là khối trưởng" is;
        "bầu Công an tỉnh B làm khối trưởng năm 2023", "nhận bàn giao cụm trưởng" are not."""
        return self.not_this_year_re.search(text, start, end) is None


def _number(written: str | None) -> int | None:
    """A cluster's number: "8" → 8, "III" → 3; None when absent or unreadable."""
    if not written:
        return None
    try:
        return parse_cardinal(written)
    except ValueError:
        return None


def _merge(kept: Cluster, again: Cluster) -> None:
    """Keep the longer name (when it names the same cluster) and the first parent known."""
    if len(again.name) > len(kept.name) and (again.number is not None or _tokens(kept.name) <= _tokens(again.name)):
        kept.name = again.name
    kept.parent = kept.parent or again.parent


def _mark_heads(cluster: Cluster, members: list[tuple[str, str | None]]) -> None:
    """The head and deputy a list marks ("Lạng Sơn (Cụm trưởng)"), unless already known."""
    for unit, role in members:
        if role and getattr(cluster, role) is None:
            setattr(cluster, role, unit)


def _named_at(clusters, at: int, seen_at: dict[int, list[int]]) -> Cluster | None:
    """The cluster a mention of which starts at ``at``, after white space, or None."""
    for start, _, c in clusters:
        if any(at <= s <= at + 2 for s in seen_at.get(id(c), [start])):
            return c
    return None


def _nearest(clusters, at: int, seen_at: dict[int, list[int]]) -> Cluster:
    """The cluster last mentioned before ``at`` ("Khối A ... Khối B ... Khối A gồm: ..." is A's list)."""
    def last_before(item):
        starts = [s for s in seen_at.get(id(item[2]), [item[0]]) if s <= at]
        return max(starts) if starts else -1
    best = max(clusters, key=last_before)
    return best[2] if last_before(best) >= 0 else clusters[0][2]


def _sentence_end(text: str, at: int) -> int:
    m = _SENTENCE_END.search(text, at)
    return m.start() if m else len(text)


@Language.factory(
    "vnie_clusters", default_config={"rules_path": None},
    requires=["doc._.match_text", "doc._.text", "doc._.body", "doc.spans"],  # doc.spans["orgs"], ["positions"]
    assigns=["doc.spans", "span._.value"])
def make_clusters(nlp: Language, name: str, rules_path: str | None):
    """The clusters stage: ``doc.spans["clusters"]``, one span per distinct cluster."""
    return ClusterExtractor(rules_path)
