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
from pipeline.text.numbers import parse_cardinal
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical
from pipeline.nlp.values import Cluster

_CAP = r"(?:TP\.?\s?)?\p{Lu}(?:[\p{L}\p{M}\-]|\.(?=\p{L}))*"
_PLACE = rf"{_CAP}(?:\s(?:-\s)?{_CAP})*"


def _tokens(name: str) -> set[str]:
    return {t for t in regex.split(r"[\s,;.()\-–/|]+", canonical(name).casefold()) if t}


class ClusterExtractor:
    """spaCy component: fills ``doc.spans["clusters"]``, one span per distinct cluster."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        cfg = r.settings("clusters")
        kinds = alternation(cfg["kinds"])
        parents = alternation(r.words("cluster_parents"))
        self.parents_re = regex.compile(rf"(?:^|\s)(?P<p>{parents})$")
        stops = alternation(cfg["name_stops"] + r.words("position_stops"))
        admin = alternation(cfg["admin_list_words"])
        self.unit_types = cfg["unit_types"]
        self.head_re = regex.compile(
            rf"(?i)(?<![\p{{L}}])(?P<kind>{kinds})(?P<rest>\s+(?:{alternation(cfg['descriptors'])})(?:\s+số\s+(?P<num>\d{{1,2}}|[IVXLC]{{1,6}})(?![\p{{L}}\d])|\s+(?P<num2>\d{{1,2}}|[IVXLC]{{1,6}})(?![\p{{L}}\d])(?!\s+(?!năm)(?-i:\p{{Ll}})))?|\s+(?-i:\p{{Lu}}))")
        self.tail_re = regex.compile(
            rf"(?:\s*[,–—\-]\s*|\s+)(?P<parent>{parents})(?![\p{{L}}])")
        self.desc_re = regex.compile(
            rf"(?:(?! (?:{stops})(?![\p{{L}}]))(?: +[\p{{L}}\p{{M}}\-]+(?:\.(?=\p{{L}})[\p{{L}}\p{{M}}]+)*|, +{admin}(?![\p{{L}}])))+")
        self.thi_dua_ext_re = regex.compile(r" +(?:các|\p{Lu})")
        orgs = alternation(cfg["member_orgs"])
        types = alternation(cfg["unit_types"])
        unit = rf"(?:{orgs})\s+(?:{types})\s*{_PLACE}"
        self.member_list_re = regex.compile(
            rf"(?P<org>{orgs})\s+(?:(?:(?:các|\d+)\s+(?P<type>{types})\s*:?)|(?P<type2>{types})\s*:)\s+"
            rf"(?P<items>{_PLACE}(?:\s*,\s*{_PLACE})*(?:,?\s+và\s+(?:(?:đơn\s+vị\s+(?:cụm|khối)\s+trưởng\s+{unit})|(?!(?:{orgs})\s){_PLACE}))?)")
        self.unit_list_re = regex.compile(
            r"gồm\s+(?:các\s+|\d+\s+)?(?:đơn\s+vị|thành\s+viên|cơ\s+quan)\s*:\s*(?P<items>(?:[^.\n]|\.(?=\p{L}))+)")
        lw, dw = alternation(cfg["leader_words"]), alternation(cfg["deputy_words"])
        org = alternation(r.words("org_heads") + cfg["member_orgs"])
        self.org_heads = alternation(r.words("org_heads"))
        self.org_start_re = regex.compile(rf"(?<![\p{{L}}])(?:{org})(?![\p{{L}}])")
        self.head_anchor_res = {
            attr: (regex.compile(rf"(?i)\s+(?:là|làm)\s+(?:đơn\s+vị\s+)?(?:{words})(?![\p{{L}}])"),
                   regex.compile(rf"(?i)(?:đơn\s+vị\s+)?(?:{words})(?:\s+là|\s*:)?\s+(?=(?-i:{org})(?![\p{{L}}]))"))
            for attr, words in (("leader", lw), ("deputy", dw))
        }
        self.handover_re = regex.compile(
            rf"(?P<u>(?:{unit}))\s+(?:đã\s+)?bàn\s+giao\s+(?:(?:đơn\s+vị|nhiệm\s+vụ|cờ)\s+)?(?i:{lw})")
        self.not_this_year_re = regex.compile(r"(?i)(?<![\p{L}])(?:bầu|năm\s+tới|năm\s+sau|tiếp\s+nhận|nhận\s+bàn\s+giao)(?![\p{L}])")
        self.unit_end_re = regex.compile(
            rf"[,.;:()\n]|\s(?:{stops})(?![\p{{L}}])|\s(?:năm|và|được|cùng)(?![\p{{L}}])")

    def _mentions(self, doc: Doc):
        text = doc._.match_text
        for m in self.head_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            kind = canonical(m.group("kind")).casefold()
            number = None
            num = m.group("num") or m.group("num2")
            if num:
                try:
                    number = parse_cardinal(num)
                except ValueError:
                    number = None
            end = m.end() if num or not m.group("rest").strip()[:1].isupper() else m.start("rest")
            parent = None
            tail = self.tail_re.match(text, end)
            if number is not None and tail:
                end, parent = tail.end(), canonical(tail.group("parent"))
            elif number is None and (not regex.search(r"(?i)thi\s+đua$", text[m.start():end])
                                     or self.thi_dua_ext_re.match(text, end)):
                desc = self.desc_re.match(text, end)
                if desc:
                    end = desc.end()
                name_so_far = text[m.start():end]
                p = self.parents_re.search(name_so_far)
                if p:
                    parent = canonical(p.group("p"))
            name = canonical(doc._.text[m.start():end]).rstrip(",")
            name = name[0].upper() + name[1:]
            yield m.start(), end, Cluster(kind=kind, name=name, number=number, parent=parent)

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, Cluster]] = list(self._mentions(doc))
        clusters: list[tuple[int, int, Cluster]] = []
        self._seen_at: dict[int, list[int]] = {}  # id(cluster) -> where each of its mentions starts
        for start, end, c in found:
            same = self._same(clusters, c)
            if same is None:
                clusters.append((start, end, c))
                self._seen_at[id(c)] = [start]
            else:
                self._seen_at[id(same[2])].append(start)
                kept = same[2]
                if len(c.name) > len(kept.name) and (c.number is not None or _tokens(kept.name) <= _tokens(c.name)):
                    kept.name = c.name
                kept.parent = kept.parent or c.parent
        # A bare "Cụm thi đua"/"Khối" is a reference back, not a cluster of its own.
        named = [x for x in clusters if x[2].number is not None or len(_tokens(x[2].name) - {"cụm", "khối", "thi", "đua"}) > 0]
        self._attach_members(doc, named)
        self._attach_heads(doc, named)
        spans = []
        for start, end, c in named:
            span = make_span(doc, start, end, "CLUSTER", c)
            if span is not None:
                spans.append(span)
        doc.spans["clusters"] = spans
        return doc

    def _same(self, clusters, c):
        for item in clusters:
            k = item[2]
            if k.kind != c.kind:
                continue
            if k.number is not None or c.number is not None:
                if k.number == c.number:
                    return item
                continue
            a, b = _tokens(k.name) - {"thi", "đua"}, _tokens(c.name) - {"thi", "đua"}
            if a <= b or b <= a:
                return item
        return None

    def _expand(self, org: str, unit_type: str, item: str) -> str:
        item = " ".join(item.split())
        if regex.match(r"(?i)(TP\.?|thành phố|tỉnh|huyện|quận|thị xã)(\s|$|\.)", item) or item.startswith("TP"):
            return f"{org} {item}"
        return f"{org} {self.unit_types.get(unit_type, unit_type)} {item}"

    def _attach_members(self, doc: Doc, clusters) -> None:
        if not clusters:
            return
        text = doc._.match_text
        last_end = -1
        for m in self.member_list_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            items = regex.split(r"\s*,\s*|,?\s+và\s+(?:đơn\s+vị\s+(?:cụm|khối)\s+trưởng\s+)?", doc._.text[m.start("items"):m.end("items")])
            items = [i for i in items if i.strip()]
            if len(items) < 2:
                continue
            org, unit_type = canonical(m.group("org")), canonical(m.group("type") or m.group("type2"))
            members = []
            for item in items:
                if regex.match(rf"(?:{alternation(['Công an', 'BĐBP'])})\s", item):
                    members.append(" ".join(item.split()))
                else:
                    members.append(self._expand(org, unit_type, item))
            target = self._nearest(clusters, m.start())
            if not target.members:
                target.members = members
                last_end = m.end()
            elif regex.fullmatch(r",?\s+và\s+", text[last_end:m.start()]):
                target.members = target.members + members  # "Công an các phường A, B và Công an các xã C, D"
                last_end = m.end()
        for m in self.unit_list_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            items = regex.split(r"\s*;\s*(?:và\s+)?|\s*,\s*(?=\p{Lu})|\s+và\s+(?=(?:" + self.org_heads + r")\s)"
                                r"|\s+và\s+(?=\p{Lu}[\p{L}\p{M}]*\s+[\p{L}\p{M}])",
                                doc._.text[m.start("items"):m.end("items")])
            items = [i for i in items if not regex.search(r"\s(?:là|làm)\s", i)]  # "Thanh tra tỉnh là đơn vị Khối phó"
            items = [" ".join(i.split()).rstrip(".") for i in items if i.strip()]
            items = [regex.sub(r"^và\s+|\s*\([^()]*\)$", "", i) for i in items]  # "và X", "X (TP.HCM)" -> "X"
            if len(items) >= 2:
                target = self._nearest(clusters, m.start())
                if not target.members:
                    target.members = items

    def _nearest(self, clusters, at: int) -> Cluster:
        """The cluster last mentioned before ``at`` ("Khối A ... Khối B ... Khối A gồm: ..." is A's list)."""
        def last_before(item):
            starts = [s for s in self._seen_at.get(id(item[2]), [item[0]]) if s <= at]
            return max(starts) if starts else -1
        best = max(clusters, key=last_before)
        return best[2] if last_before(best) >= 0 else clusters[0][2]

    def _attach_heads(self, doc: Doc, clusters) -> None:
        """Head (cụm/khối trưởng) and deputy units for the reported year, not the next one."""
        if not clusters:
            return
        text = doc._.match_text
        for attr, (after_unit, before_unit) in self.head_anchor_res.items():
            found = []
            for m in after_unit.finditer(text):  # "Công an huyện Quảng Ninh làm khối trưởng"
                clause_start = _clause_start(text, m.start())
                clause = text[clause_start:m.start()]
                cut = max((x.end() for x in regex.finditer(r"(?<![\p{L}])(?:do|bởi|và|để)\s", clause)), default=0)
                head = self.org_start_re.search(clause, cut)
                if head:
                    found.append((m.start(), clause_start + head.start(), m.start()))
            for m in before_unit.finditer(text):  # "đơn vị cụm trưởng Công an tỉnh BR-VT"
                end = self.unit_end_re.search(text, m.end())
                found.append((m.start(), m.end(), end.start() if end else len(text)))
            for _, start, end in sorted(found):
                sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
                sentence_end = _sentence_end(text, end)
                if not in_body(doc, start, end) or self.not_this_year_re.search(text, sentence_start, sentence_end):
                    continue
                target = self._nearest(clusters, start)
                if getattr(target, attr) is None:
                    setattr(target, attr, " ".join(doc._.text[start:end].split()))
        for m in self.handover_re.finditer(text):  # the unit handing over led the reported year
            target = self._nearest(clusters, m.start())
            if target.leader is None and in_body(doc, *m.span()):
                target.leader = " ".join(doc._.text[m.start("u"):m.end("u")].split())


_CLAUSE_BREAK = regex.compile(r"[,;:()\n]|(?<!\bTP|\bTp|\bTX|\bTT)\.(?=\s|$)")


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding position ``at`` starts ("TP. Đồng Hới" does not break a clause)."""
    window_start = max(0, at - 200)
    last = None
    for last in _CLAUSE_BREAK.finditer(text, window_start, at):
        pass
    return last.end() if last else window_start


def _sentence_end(text: str, at: int) -> int:
    m = regex.compile(r"\.\s|\n").search(text, at)
    return m.start() if m else len(text)


@Language.factory("vnie_clusters", default_config={"rules_path": None})
def make_clusters(nlp: Language, name: str, rules_path: str | None):
    return ClusterExtractor(rules_path)
