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
from pipeline.nlp.lexicon import SENTENCE_BREAKS, clause_start, lexicon_of
from pipeline.nlp.values import Cluster
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical
from pipeline.text.numbers import parse_cardinal

_SENTENCE_END = regex.compile(r"\.\s|\n")


def _tokens(name: str) -> set[str]:
    return {t for t in regex.split(r"[\s,;.()\-–/|]+", canonical(name).casefold()) if t}


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
        stops = self.stops
        admin = self.lexicon.admin_unit_pattern("province_district_and_town")
        number, year = alternation([cfg["number_word"]]), alternation([cfg["year_word"]])
        self.head_re = regex.compile(
            rf"(?i)(?<![\p{{L}}])(?P<kind>{alternation(cfg['kinds'])})(?P<rest>\s+(?:{alternation(cfg['descriptors'])})"
            rf"(?:\s+{number}\s+(?P<num>\d{{1,2}}|[IVXLC]{{1,6}})(?![\p{{L}}\d])"
            rf"|\s+(?P<num2>\d{{1,2}}|[IVXLC]{{1,6}})(?![\p{{L}}\d])(?!\s+(?!{year})(?-i:\p{{Ll}})))?|\s+(?-i:\p{{Lu}}))")
        self.tail_re = regex.compile(rf"(?:\s*[,–—\-]\s*|\s+)(?P<parent>{parents})(?![\p{{L}}])")
        self.desc_re = regex.compile(
            rf"(?:(?! (?:{stops})(?![\p{{L}}]))(?: +[\p{{L}}\p{{M}}\-]+(?:\.(?=\p{{L}})[\p{{L}}\p{{M}}]+)*|, +{admin}(?![\p{{L}}])))+")
        self.emulation_end_re = regex.compile(rf"(?i){alternation([cfg['emulation']])}$")
        self.name_extension_re = regex.compile(rf" +(?:{alternation(cfg['name_extenders'])}|\p{{Lu}})")

    def _compile_member_patterns(self, cfg) -> None:
        """Member lists: "Công an 3 tỉnh: A, B, C", "gồm các đơn vị: X; Y và Z"."""
        orgs, types = alternation(cfg["member_orgs"]), alternation(cfg["unit_types"])
        place = self.place = self._place_pattern()
        self.unit = unit = rf"(?:{orgs})\s+(?:{types})\s*{place}"
        head_unit = rf"{alternation([cfg['unit_word']])}\s+{alternation(cfg['leader_words'])}"
        self.member_list_re = regex.compile(
            rf"(?P<org>{orgs})\s+(?:(?:(?:{alternation(cfg['list_quantifiers'])}|\d+)\s+(?P<type>{types})\s*:?)"
            rf"|(?P<type2>{types})\s*:)\s+"
            rf"(?P<items>{place}(?:\s*,\s*{place})*(?:,?\s+và\s+(?:(?:{head_unit}\s+{unit})|(?!(?:{orgs})\s){place}))?)")
        self.member_split_re = regex.compile(rf"\s*,\s*|,?\s+và\s+(?:{head_unit}\s+)?")
        self.unit_list_re = regex.compile(
            rf"{alternation([cfg['list_intro']])}\s+(?:{alternation(cfg['list_quantifiers'])}\s+|\d+\s+)?"
            rf"{alternation(cfg['member_nouns'])}\s*:\s*(?P<items>(?:[^.\n]|\.(?=\p{{L}}))+)")
        self.head_in_list_re = regex.compile(rf"\s{alternation(cfg['head_verbs'])}\s")
        self.admin_start_re = regex.compile(
            rf"(?i){self.lexicon.admin_unit_pattern('province_district_and_town', abbreviations=True)}(\s|$|\.)")

    def _place_pattern(self) -> str:
        """A place name of capitalised words, maybe after "TP": "Bà Rịa - Vũng Tàu", "TP.HCM", "TP Cần Thơ"."""
        abbr = alternation(self.lexicon.rules.settings("admin_units")["abbreviations"])
        cap = rf"(?:{abbr}\s?)?\p{{Lu}}(?:[\p{{L}}\p{{M}}\-]|\.(?=\p{{L}}))*"
        return rf"{cap}(?:\s(?:-\s)?{cap})*"

    def _compile_head_patterns(self, r, cfg) -> None:
        """Head and deputy units: "X làm khối trưởng", "đơn vị cụm trưởng X", "X bàn giao cờ cụm trưởng"."""
        lw, dw = alternation(cfg["leader_words"]), alternation(cfg["deputy_words"])
        org = alternation(r.words("org_heads") + cfg["member_orgs"])
        unit_word, verbs = alternation([cfg["unit_word"]]), alternation(cfg["head_verbs"])
        stops = self.stops
        self.org_start_re = regex.compile(rf"(?<![\p{{L}}])(?:{org})(?![\p{{L}}])")
        self.head_anchor_res = {
            attr: (regex.compile(rf"(?i)\s+{verbs}\s+(?:{unit_word}\s+)?(?:{words})(?![\p{{L}}])"),
                   regex.compile(rf"(?i)(?:{unit_word}\s+)?(?:{words})(?:\s+là|\s*:)?\s+(?=(?-i:{org})(?![\p{{L}}]))"))
            for attr, words in (("leader", lw), ("deputy", dw))
        }
        self.head_cut_re = regex.compile(rf"(?<![\p{{L}}]){alternation(cfg['head_cut_words'])}\s")
        self.handover_re = regex.compile(
            rf"(?P<u>(?:{self.unit}))\s+(?:đã\s+)?{alternation(cfg['handover_verbs'])}\s+"
            rf"(?:{alternation(cfg['handover_objects'])}\s+)?(?i:{lw})")
        self.not_this_year_re = regex.compile(rf"(?i)(?<![\p{{L}}]){alternation(cfg['next_year_words'])}(?![\p{{L}}])")
        self.unit_end_re = regex.compile(
            rf"[,.;:()\n]|\s(?:{stops})(?![\p{{L}}])|\s{alternation(cfg['unit_ends'])}(?![\p{{L}}])")

    def _mentions(self, doc: Doc):
        """Every mention of a cluster: (start, end, Cluster) with its kind, number, name and parent."""
        text = doc._.match_text
        for m in self.head_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            num = m.group("num") or m.group("num2")
            number = _number(num)
            end = m.end() if num or not m.group("rest").strip()[:1].isupper() else m.start("rest")
            parent = None
            tail = self.tail_re.match(text, end)
            if number is not None and tail:
                end, parent = tail.end(), canonical(tail.group("parent"))
            elif number is None and self.named_further(text, m.start(), end):
                desc = self.desc_re.match(text, end)
                if desc:
                    end = desc.end()
                p = self.parents_re.search(text[m.start():end])
                if p:
                    parent = canonical(p.group("p"))
            name = canonical(doc._.text[m.start():end]).rstrip(",")
            name = name[0].upper() + name[1:]
            yield m.start(), end, Cluster(kind=canonical(m.group("kind")).casefold(), name=name, number=number, parent=parent)

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
        an item that names its own unit ("TP.HCM", "thị xã Ba Đồn") keeps it."""
        item = " ".join(item.split())
        if self.admin_start_re.match(item) or item.startswith("TP"):
            return f"{org} {item}"
        return f"{org} {self.unit_types.get(unit_type, unit_type)} {item}"

    def _attach_members(self, doc: Doc, clusters, seen_at) -> None:
        """Members of the cluster each list follows: "Công an 3 tỉnh: A, B, C" or "gồm các đơn vị: X; Y"."""
        if not clusters:
            return
        self._attach_listed_units(doc, clusters, seen_at)
        text = doc._.match_text
        for m in self.unit_list_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            items = regex.split(r"\s*;\s*(?:và\s+)?|\s*,\s*(?=\p{Lu})|\s+và\s+(?=(?:" + self.org_heads + r")\s)"
                                r"|\s+và\s+(?=\p{Lu}[\p{L}\p{M}]*\s+[\p{L}\p{M}])",
                                doc._.text[m.start("items"):m.end("items")])
            items = [i for i in items if not self.head_in_list_re.search(i)]  # "Thanh tra tỉnh là đơn vị Khối phó"
            items = [" ".join(i.split()).rstrip(".") for i in items if i.strip()]
            items = [regex.sub(r"^và\s+|\s*\([^()]*\)$", "", i) for i in items]  # "và X", "X (TP.HCM)" -> "X"
            if len(items) >= 2:
                target = _nearest(clusters, m.start(), seen_at)
                if not target.members:
                    target.members = items

    def _attach_listed_units(self, doc: Doc, clusters, seen_at) -> None:
        """Members named by organisation and unit type: "Công an 5 thành phố: Hà Nội, TP.HCM và Cần Thơ";
        a second list joined by "và" adds to the first ("Công an các phường A, B và Công an các xã C, D")."""
        text = doc._.match_text
        last_end = -1
        for m in self.member_list_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            items = [i for i in self.member_split_re.split(doc._.text[m.start("items"):m.end("items")]) if i.strip()]
            if len(items) < 2:
                continue
            org, unit_type = canonical(m.group("org")), canonical(m.group("type") or m.group("type2"))
            members = [" ".join(item.split()) if regex.match(rf"{self.full_members}\s", item)
                       else self._expand(org, unit_type, item) for item in items]
            target = _nearest(clusters, m.start(), seen_at)
            if not target.members:
                target.members = members
                last_end = m.end()
            elif regex.fullmatch(r",?\s+và\s+", text[last_end:m.start()]):
                target.members = target.members + members
                last_end = m.end()

    def _attach_heads(self, doc: Doc, clusters, seen_at) -> None:
        """Head (cụm/khối trưởng) and deputy units for the reported year, not the next one."""
        if not clusters:
            return
        text = doc._.match_text
        for attr, anchors in self.head_anchor_res.items():
            for start, end in self._head_units(text, *anchors):
                sentence_start = clause_start(text, start, SENTENCE_BREAKS)
                if not in_body(doc, start, end) or not self.for_this_year(text, sentence_start, _sentence_end(text, end)):
                    continue
                target = _nearest(clusters, start, seen_at)
                if getattr(target, attr) is None:
                    setattr(target, attr, " ".join(doc._.text[start:end].split()))
        for m in self.handover_re.finditer(text):  # the unit handing over led the reported year
            target = _nearest(clusters, m.start(), seen_at)
            if target.leader is None and in_body(doc, *m.span()):
                target.leader = " ".join(doc._.text[m.start("u"):m.end("u")].split())

    def _head_units(self, text: str, after_unit, before_unit) -> list[tuple[int, int]]:
        """(start, end) of each unit named as head or deputy, in order of the anchor words."""
        found = []
        for m in after_unit.finditer(text):  # "Công an huyện Quảng Ninh làm khối trưởng"
            at = clause_start(text, m.start(), self.clause_breaks, window=200)
            head = self.head_unit_in(text[at:m.start()])
            if head:
                found.append((m.start(), at + head.start(), m.start()))
        for m in before_unit.finditer(text):  # "đơn vị cụm trưởng Công an tỉnh BR-VT"
            end = self.unit_end_re.search(text, m.end())
            found.append((m.start(), m.end(), end.start() if end else len(text)))
        return [(start, end) for _, start, end in sorted(found)]

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
    requires=["doc._.match_text", "doc._.text", "doc._.body"],
    assigns=["doc.spans", "span._.value"])
def make_clusters(nlp: Language, name: str, rules_path: str | None):
    """The clusters stage: ``doc.spans["clusters"]``, one span per distinct cluster."""
    return ClusterExtractor(rules_path)
