"""Dates: temporal expressions, normalised to ISO 8601, with the publication and event dates.

Vietnamese dates are day-first ("30-11", "05/6/2020", "ngày 8 tháng 11 năm
2015"), often without a year, with a part of the day in front ("Chiều
30-11"). A date without a year takes it from the publication date, the page
metadata, or the year the text itself reports, never from the machine clock.
"""
from __future__ import annotations

from collections import Counter

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import in_body, make_span, register_extensions
from pipeline.nlp.values import DateMention
from pipeline.rules import alternation, load_rules

_D = r"(?:0?[1-9]|[12]\d|3[01])"
_M = r"(?:0?[1-9]|1[0-2])"
_Y = r"(?:19\d\d|20\d\d)"
_SEP = r"[/\-.]"
_TIME = r"(?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?|h(?:[0-5]\d)?(?:'|p)?)"
_NB = r"(?<![\d/.,\-])"  # not inside a longer number
_NA = r"(?![\d/]|[.,\-]\d|-[\p{L}]|/[\p{L}])"  # not followed by more digits or a document-number suffix


def _time(text: str) -> str:
    """"17:25" -> "17:25", "8h30" -> "08:30", "18:22:20" -> "18:22:20"."""
    text = text.rstrip("'p")
    if "h" in text:
        hour, _, minute = text.partition("h")
        return f"{int(hour):02d}:{int(minute or 0):02d}"
    parts = text.split(":")
    return ":".join(f"{int(p):02d}" for p in parts)


def _valid(year, month, day) -> bool:
    import calendar

    if not (1 <= month <= 12):
        return False
    y = year or 2000  # a leap year, so 29/2 without a year stands
    return 1 <= day <= calendar.monthrange(y, month)[1]


_ISO_HINT_RE = regex.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def published_from_hint(hint: str | None, finder: "DateFinder") -> str | None:
    """The ISO value of a publication date given by the container (a JSONL field, HTML metadata).

    ISO strings keep their date and minute ("2020-12-06T17:25:00+07:00" -> "2020-12-06T17:25");
    anything else is read as Vietnamese text ("17:25 06/12/2020"). A hint with no full year is ignored.
    """
    if not hint or not isinstance(hint, str):
        return None
    iso = _ISO_HINT_RE.match(hint)
    if iso:
        year, month, day = (int(g) for g in iso.group(1, 2, 3))
        if not _valid(year, month, day):
            return None
        if iso.group(4) and int(iso.group(4)) < 24 and int(iso.group(5)) < 60:
            return f"{year:04d}-{month:02d}-{day:02d}T{iso.group(4)}:{iso.group(5)}"
        return f"{year:04d}-{month:02d}-{day:02d}"
    for mention in finder.find(hint):
        if mention.year and mention.kind in ("date", "datetime"):
            return mention.value
    return None


class DateFinder:
    """Finds and normalises temporal expressions in a text. Pure: no Doc needed."""

    def __init__(self, rules):
        cfg = rules.settings("dates")
        self.parts_of_day = {k: v for k, v in cfg["parts_of_day"].items()}
        pod = alternation(self.parts_of_day)
        cue = alternation(cfg["day_cues"])
        weekday = alternation(cfg["weekdays"])
        blockers = alternation(cfg["year_blockers"])
        not_after = alternation(cfg["not_after_number"])
        # Words that may open a date ("Chiều ngày", "từ", "Thứ hai,") are matched backwards from the
        # digits, so the patterns themselves only start at digits: scanning stays fast.
        self.lead_re = regex.compile(
            rf"(?i)(?<![\p{{L}}\p{{M}}])(?:(?P<pod>{pod})(?:\s+(?:ngày|hôm))?\s+|(?P<cue>{cue})\s+|(?P<wd>{weekday}),?\s+)$")
        self.pod_nay_re = regex.compile(rf"(?i)(?P<pod>{pod})\s+(?:nay|qua)\s*\($")
        self.patterns = [
            ("datetime", regex.compile(
                rf"(?<![\d/.\-])(?P<y>{_Y})-(?P<m>(?:0[1-9]|1[0-2]))-(?P<d>(?:0[1-9]|[12]\d|3[01]))[T ](?P<t>(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)(?![\d/])")),
            ("date", regex.compile(rf"(?<![\d/.\-])(?P<y>{_Y})-(?P<m>(?:0[1-9]|1[0-2]))-(?P<d>(?:0[1-9]|[12]\d|3[01]))(?![\d/])")),
            ("month", regex.compile(rf"(?<=^\s*date\s+)(?P<y>{_Y})-(?P<m>(?:0[1-9]|1[0-2]))(?![\d/\-])")),
            ("datetime", regex.compile(
                rf"(?i){_NB}(?:(?:lúc\s+)?(?P<t>{_TIME})\s*[,|\-–]?\s*(?:(?:{weekday}),?\s*)?(?:ngày\s+)?)(?P<d>{_D}){_SEP}(?P<m>{_M}){_SEP}(?P<y>{_Y}){_NA}")),
            ("datetime", regex.compile(
                rf"(?i){_NB}(?P<d>{_D})(?P<s>{_SEP})(?P<m>{_M})(?P=s)(?P<y>{_Y})\s*[,|\-–]?\s*(?:lúc\s+)?(?P<t>{_TIME}){_NA}")),
            ("fullrange", regex.compile(
                rf"(?i){_NB}(?P<d>{_D}){_SEP}(?P<m>{_M}){_SEP}(?P<y>{_Y})\s*[\-–—]\s*(?P<d2>{_D}){_SEP}(?P<m2>{_M}){_SEP}(?P<y2>{_Y}){_NA}")),
            ("dayrange", regex.compile(
                rf"(?i)(?:ngày\s+)?{_NB}(?P<d>{_D})\s*(?:[\-–—]|và|đến|tới)\s*(?:ngày\s+)?(?P<d2>{_D})(?P<s>[/\-.])(?P<m>{_M})(?:(?P=s)(?P<y>{_Y}))?{_NA}(?!\s*{not_after})")),
            ("date", regex.compile(
                rf"(?i){_NB}(?P<d>{_D})(?P<s>{_SEP})(?P<m>{_M})(?P=s)(?P<y>{_Y}){_NA}")),
            ("date", regex.compile(
                rf"(?i)ngày\s+(?P<d>{_D})\s+tháng\s+(?P<m>{_M})(?:\s*(?:năm|,)\s*(?P<y>{_Y}))?(?!\d)")),
            ("daymonth", regex.compile(
                rf"(?i){_NB}(?P<d>{_D})(?P<s>[/\-])(?P<m>{_M}){_NA}(?!\s*{not_after})")),
            ("month", regex.compile(
                rf"(?i)(?<!\d\s)tháng\s+(?P<m>{_M})(?:\s*(?:/|\-|năm|,)\s*(?P<y>{_Y}))?(?![\d/])")),
            ("period", regex.compile(
                rf"(?i)(?:(?:{alternation(cfg['period_cues'])})\s+|từ\s+năm\s+|năm\s+)?(?<![\d/])(?P<y>{_Y})\s*(?:[\-–—]|đến(?:\s+năm)?|tới(?:\s+năm)?)\s*(?P<y2>{_Y})(?![\d/])")),
            ("year", regex.compile(rf"(?i)(?<=\bnăm\s+)(?P<y>{_Y})(?![\d/]|[.,]\d)")),
            ("year", regex.compile(
                rf"(?i)(?<!\b{blockers}\s+)(?<![\d/.,\-]|[\d/.,\-]\s)(?P<y>(?:19[3-9]\d|20\d\d))(?![\d/%]|[.,]\d|\s+\p{{Ll}}|\s*[\-–]\s*\d)")),
        ]

    def find(self, text: str, allowed=lambda s, e: True) -> list[DateMention]:
        """Every date in ``text``, longest match first, no two overlapping."""
        taken: list[tuple[int, int]] = []
        found: list[DateMention] = []
        windows = _digit_windows(text)
        for kind, pattern in self.patterns:
            for m in (m for a, b in windows for m in pattern.finditer(text, a, b)):
                start, end = m.span()
                lead = self.lead_re.search(text, max(0, start - 24), start) if kind in _LED else None
                if lead is not None:
                    start = lead.start()
                elif kind == "daymonth" and not (text[start - 1:start] == "(" and text[end:end + 1] == ")"):
                    continue  # "6/8 đơn vị" is a fraction: a bare day/month needs "ngày", "sáng", "(…)"
                if any(s < end and start < e for s, e in taken) or not allowed(start, end):
                    continue
                mention = self._mention(kind, m, text, lead)
                if mention is None:
                    continue
                taken.append((start, end))
                found.append(mention)
        found.sort(key=lambda d: d.start)
        return found

    def _mention(self, kind, m, text, lead=None) -> DateMention | None:
        g = m.groupdict()
        start, end = m.span()
        if lead is not None:
            g.update({k: v for k, v in lead.groupdict().items() if v})
            start = lead.start()
        if kind == "daymonth":
            kind = "date"
        as_int = lambda k: int(g[k]) if g.get(k) else None
        pod = g.get("pod")
        mention = DateMention(start=start, end=end, text=text[start:end], kind=kind,
                              part_of_day=self.parts_of_day.get(pod.lower()) if pod else None)
        if kind == "period":
            y, y2 = as_int("y"), as_int("y2")
            if not (y < y2 <= y + 50):
                return None
            mention.year, mention.end_year = y, y2
            return mention
        if kind == "year":
            mention.year = as_int("y")
            return mention
        if kind == "month":
            mention.month, mention.year = as_int("m"), as_int("y")
            return mention
        d, mo, y = as_int("d"), as_int("m"), as_int("y")
        if kind == "fullrange":
            d2, m2, y2 = as_int("d2"), as_int("m2"), as_int("y2")
            if not (_valid(y, mo, d) and _valid(y2, m2, d2)):
                return None
            mention.kind = "daterange"
            mention.day, mention.month, mention.year = d, mo, y
            mention.end_day, mention.end_month, mention.end_year = d2, m2, y2
            mention.anniversary = y2 - y >= 1
            return mention
        if kind == "dayrange":
            d2 = as_int("d2")
            if not (d < d2 and _valid(y, mo, d) and _valid(y, mo, d2)):
                return None
            mention.kind = "daterange"
            mention.day, mention.month, mention.year = d, mo, y
            mention.end_day, mention.end_month, mention.end_year = d2, mo, y
            return mention
        if not _valid(y, mo, d):
            return None
        mention.day, mention.month, mention.year = d, mo, y
        if kind == "datetime":
            mention.time = _time(g["t"])
        elif lead is None and text[start - 1:start] == "(":
            nay = self.pod_nay_re.search(text, max(0, start - 16), start)
            if nay:  # "Sáng nay (15/3)"
                mention.part_of_day = self.parts_of_day.get(nay.group("pod").lower())
        return mention


_DIGITS = regex.compile(r"\d+")
_LED = {"datetime", "dayrange", "date", "daymonth"}  # kinds a lead word may open


def _digit_windows(text: str, before: int = 60, after: int = 40) -> list[tuple[int, int]]:
    """Stretches of text around digits: every date has a digit, and scanning only these is fast."""
    windows: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        a, b = max(0, m.start() - before), min(len(text), m.end() + after)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


def reported_year(mentions: list[DateMention]) -> int | None:
    """The year the text reports on: the one it names most often (the later on a tie)."""
    counts = Counter()
    for d in mentions:
        if d.anniversary:
            counts[d.end_year] += 1
        elif d.kind == "period":
            counts[d.end_year] += 1
        elif d.year and d.kind in ("year", "date", "datetime", "month", "daterange"):
            counts[d.year] += 1
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def resolve_years(mentions: list[DateMention], published: DateMention | None, meta_date: str | None,
                  summary_year: bool = False) -> int | None:
    """Give a year to every date without one. Returns the reference year used."""
    ref_year, source = None, "unknown"
    ref_month = None
    if published is not None:
        ref_year, ref_month, source = published.year, published.month, "published"
    elif meta_date:
        ref_year, ref_month, source = int(meta_date[:4]), int(meta_date[5:7]), "meta"
    else:
        ref_year = reported_year(mentions)
        source = "text" if ref_year else "unknown"
    for d in mentions:
        if d.year is not None or d.kind in ("year", "period"):
            continue
        if ref_year is None:
            d.year_from = "unknown"
            continue
        year = ref_year
        if source in ("published", "meta") and ref_month and d.month - ref_month > 2:
            year -= 1  # "30-12" in an article published in January
        elif source == "text" and summary_year and d.month <= 2:
            year += 1  # a January summary of the year before
        d.year = year
        if d.kind == "daterange":
            d.end_year = year
        d.year_from = source
    return ref_year


def find_published(mentions: list[DateMention], text: str, meta_date: str | None,
                   prefixes: str = r"(?:cập\s+nhật|đăng\s+lúc|ngày\s+đăng|xuất\s+bản)") -> DateMention | None:
    """The publication date: page metadata, or a bare date opening one of the first lines."""
    if meta_date and len(meta_date) == 10:
        for d in mentions:
            if d.start < 20 and d.text.strip() == meta_date:
                return d
    head_limit = _offset_of_line(text, 6)
    for d in mentions:
        if d.start > head_limit:
            break
        if d.kind not in ("date", "datetime") or d.year is None or d.part_of_day:
            continue
        line_start = text.rfind("\n", 0, d.start) + 1
        before = text[line_start:d.start]
        opener = rf"(?i)\s*(?:date\s+)?(?:[^\d|\n]{{2,40}}\|\s*)?(?:{prefixes}\s*:?\s*)?(?:[\p{{L}} ]{{3,12}},\s*)?"
        # A bare date or a weekday opens a publication line; "Ngày 5/6", "Từ ngày 1/7/2025, ..." open prose.
        if regex.fullmatch(opener, before) and regex.match(r"(?i)\s*(?:\d|thứ|chủ\s+nhật)", d.text):
            return d
    return None


def find_published_at_end(finder: "DateFinder", text: str, prefixes: str) -> DateMention | None:
    """A publication line among the last lines: "Cập nhật lúc 19:40 ngày 03/10/2021" (the prefix is required)."""
    tail = text[_offset_of_last_lines(text, 3):]
    for d in finder.find(tail):  # offsets within ``tail``: the value is what is kept, not the span
        if d.kind not in ("date", "datetime") or d.year is None:
            continue
        before = tail[tail.rfind("\n", 0, d.start) + 1:d.start]
        if regex.fullmatch(rf"(?i)\s*\(?(?:{prefixes})\s*:?\s*", before):
            return d
    return None


def _offset_of_last_lines(text: str, n: int) -> int:
    """Where the last ``n`` non-empty lines of ``text`` start."""
    at = len(text.rstrip())
    for _ in range(n):
        at = text.rfind("\n", 0, at)
        if at < 0:
            return 0
        while at > 0 and text[at - 1] == "\n":
            at -= 1
    return at


def _offset_of_line(text: str, n: int) -> int:
    pos = 0
    for _ in range(n):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
        while pos < len(text) and text[pos] == "\n":
            pos += 1
    return pos


class DateExtractor:
    """spaCy component: fills ``doc.spans["dates"]`` and the document's published and event dates."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        rules = load_rules(rules_path)
        self.finder = DateFinder(rules)
        self.published_prefixes = alternation(rules.settings("dates")["published_prefixes"])
        self.summary_re = regex.compile(rf"(?i){alternation(rules.settings('dates')['summary_words'])}")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        mentions = self.finder.find(text, allowed=lambda s, e: in_body(doc, s, e))
        meta = doc._.meta_date
        published = find_published(mentions, text, meta, self.published_prefixes)
        if published is None and not meta:
            published = find_published_at_end(self.finder, text, self.published_prefixes)
        hint = published_from_hint(doc._.published_hint, self.finder)
        if published is None and hint:
            doc._.reference_year = int(hint[:4])
        summary = bool(self.summary_re.search(doc._.title or "")) or bool(self.summary_re.search(text[:600]))
        ref = resolve_years(mentions, published, meta, summary_year=summary)
        doc._.reference_year = doc._.reference_year or ref
        if published is not None:
            published.role = "published"
            doc._.published = published.value
        elif hint:
            doc._.published = hint
        elif meta and len(meta) == 10:
            doc._.published = meta
        for d in mentions:
            if d.role == "other" and d.first_day and not d.anniversary and d.kind != "month":
                d.role = "event"
                doc._.event_date = d.first_day
                break
        spans = []
        for d in mentions:
            span = make_span(doc, d.start, d.end, "DATE", d)
            if span is not None:
                spans.append(span)
        doc.spans["dates"] = spans
        return doc


@Language.factory("vnie_dates", default_config={"rules_path": None})
def make_dates(nlp: Language, name: str, rules_path: str | None):
    return DateExtractor(rules_path)
