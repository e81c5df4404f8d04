"""Dates: temporal expressions, normalised to ISO 8601, with the publication and event dates.

Vietnamese dates are day-first ("30-11", "05/6/2020", "ngày 8 tháng 11 năm
2015"), often without a year, with a part of the day in front ("Chiều
30-11"). A date without a year takes it from the publication date, the page
metadata, or the year the text itself reports, never from the machine clock.
"""
from __future__ import annotations

import calendar
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
        if not is_calendar_day(year, month, day):
            return None
        if iso.group(4) and int(iso.group(4)) < 24 and int(iso.group(5)) < 60:
            return f"{year:04d}-{month:02d}-{day:02d}T{iso.group(4)}:{iso.group(5)}"
        return f"{year:04d}-{month:02d}-{day:02d}"
    for mention in finder.find(hint):
        if mention.year and mention.kind in ("date", "datetime"):
            return mention.value
    return None


class DateFinder:
    """Finds and normalises temporal expressions in a text. Pure: no Doc needed.

    Each pattern yields candidates; :meth:`_mention` turns one into a :class:`DateMention`
    unless a named check (:func:`is_calendar_day`, :func:`plausible_period`,
    :func:`ascending_days`, :func:`bare_day_month_stands`) vetoes it.
    """

    def __init__(self, rules):
        cfg = rules.settings("dates")
        self.parts_of_day = {k: v for k, v in cfg["parts_of_day"].items()}
        self.published_prefixes = alternation(cfg["published_prefixes"])
        self.publication_line_openers = alternation(cfg["publication_line_openers"])
        self.lead_re, self.pod_nay_re = _lead_patterns(cfg, alternation(self.parts_of_day))
        self.patterns = _date_patterns(cfg)
        self._fill = {"period": _fill_period, "year": _fill_year, "month": _fill_month, "fullrange": _fill_full_range,
                      "dayrange": _fill_day_range, "date": self._fill_day, "daymonth": self._fill_day,
                      "datetime": _fill_datetime}

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
                elif kind == "daymonth" and not bare_day_month_stands(text, start, end):
                    continue
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
        """The mention a candidate match stands for, or None when a check vetoes it."""
        groups = m.groupdict()
        start, end = m.span()
        if lead is not None:
            groups.update({k: v for k, v in lead.groupdict().items() if v})
            start = lead.start()
        pod = groups.get("pod")
        mention = DateMention(start=start, end=end, text=text[start:end], kind="date" if kind == "daymonth" else kind,
                              part_of_day=self.parts_of_day.get(pod.lower()) if pod else None)
        values = {k: int(groups[k]) if groups.get(k) else None for k in ("d", "m", "y", "d2", "m2", "y2")}
        values["t"] = groups.get("t")
        if not self._fill[kind](mention, values, text=text, led=lead is not None):
            return None
        return mention

    def _fill_day(self, mention: DateMention, g: dict, text: str, led: bool) -> bool:
        """A day ("30-11", "ngày 8 tháng 11 năm 2015"); "Sáng nay (15/3)" takes its part of day."""
        if not _fill_calendar_day(mention, g):
            return False
        if not led and text[mention.start - 1:mention.start] == "(":
            nay = self.pod_nay_re.search(text, max(0, mention.start - 16), mention.start)
            if nay:
                mention.part_of_day = self.parts_of_day.get(nay.group("pod").lower())
        return True


def _lead_patterns(cfg: dict, pod: str):
    """Words that may open a date ("Chiều ngày", "từ", "Thứ hai,"), matched backwards from the digits,
    and "Sáng nay (" before a date in parentheses."""
    words = cfg["date_words"]
    cue, weekday = alternation(cfg["day_cues"]), alternation(cfg["weekdays"])
    lead_re = regex.compile(
        rf"(?i)(?<![\p{{L}}\p{{M}}])(?:(?P<pod>{pod})(?:\s+{alternation(words['after_part_of_day'])})?\s+"
        rf"|(?P<cue>{cue})\s+|(?P<wd>{weekday}),?\s+)$")
    pod_nay_re = regex.compile(rf"(?i)(?P<pod>{pod})\s+{alternation(words['today'])}\s*\($")
    return lead_re, pod_nay_re


def _date_patterns(cfg: dict) -> list[tuple[str, regex.Pattern]]:
    """(kind, pattern) pairs, tried in this order; the patterns start at digits, so scanning stays fast."""
    words = cfg["date_words"]
    day, month, year, at = (alternation([words[k]]) for k in ("day", "month", "year", "time"))
    weekday, blockers = alternation(cfg["weekdays"]), alternation(cfg["year_blockers"])
    not_after = alternation(cfg["not_after_number"])
    day_to, year_to = alternation(words["day_range_joiners"]), alternation(words["year_range_joiners"])
    iso_date = r"(?P<y>{Y})-(?P<m>(?:0[1-9]|1[0-2]))-(?P<d>(?:0[1-9]|[12]\d|3[01]))".replace("{Y}", _Y)
    return [
        ("datetime", regex.compile(
            rf"(?<![\d/.\-]){iso_date}[T ](?P<t>(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)(?![\d/])")),
        ("date", regex.compile(rf"(?<![\d/.\-]){iso_date}(?![\d/])")),
        ("month", regex.compile(rf"(?<=^\s*date\s+)(?P<y>{_Y})-(?P<m>(?:0[1-9]|1[0-2]))(?![\d/\-])")),
        ("datetime", regex.compile(
            rf"(?i){_NB}(?:(?:{at}\s+)?(?P<t>{_TIME})\s*[,|\-–]?\s*(?:(?:{weekday}),?\s*)?(?:{day}\s+)?)"
            rf"(?P<d>{_D}){_SEP}(?P<m>{_M}){_SEP}(?P<y>{_Y}){_NA}")),
        ("datetime", regex.compile(
            rf"(?i){_NB}(?P<d>{_D})(?P<s>{_SEP})(?P<m>{_M})(?P=s)(?P<y>{_Y})\s*[,|\-–]?\s*(?:{at}\s+)?(?P<t>{_TIME}){_NA}")),
        ("fullrange", regex.compile(
            rf"(?i){_NB}(?P<d>{_D}){_SEP}(?P<m>{_M}){_SEP}(?P<y>{_Y})\s*[\-–—]\s*"
            rf"(?P<d2>{_D}){_SEP}(?P<m2>{_M}){_SEP}(?P<y2>{_Y}){_NA}")),
        ("dayrange", regex.compile(
            rf"(?i)(?:{day}\s+)?{_NB}(?P<d>{_D})\s*(?:[\-–—]|{day_to})\s*(?:{day}\s+)?(?P<d2>{_D})(?P<s>[/\-.])(?P<m>{_M})"
            rf"(?:(?P=s)(?P<y>{_Y}))?{_NA}(?!\s*{not_after})")),
        ("date", regex.compile(
            rf"(?i){_NB}(?P<d>{_D})(?P<s>{_SEP})(?P<m>{_M})(?P=s)(?P<y>{_Y}){_NA}")),
        ("date", regex.compile(
            rf"(?i){day}\s+(?P<d>{_D})\s+{month}\s+(?P<m>{_M})(?:\s*(?:{year}|,)\s*(?P<y>{_Y}))?(?!\d)")),
        ("daymonth", regex.compile(
            rf"(?i){_NB}(?P<d>{_D})(?P<s>[/\-])(?P<m>{_M}){_NA}(?!\s*{not_after})")),
        ("month", regex.compile(
            rf"(?i)(?<!\d\s){month}\s+(?P<m>{_M})(?:\s*(?:/|\-|{year}|,)\s*(?P<y>{_Y}))?(?![\d/])")),
        ("period", regex.compile(
            rf"(?i)(?:{alternation(cfg['period_cues'])}\s+)?(?<![\d/])(?P<y>{_Y})\s*(?:[\-–—]|{year_to}(?:\s+{year})?)\s*"
            rf"(?P<y2>{_Y})(?![\d/])")),
        ("year", regex.compile(rf"(?i)(?<=\b{year}\s+)(?P<y>{_Y})(?![\d/]|[.,]\d)")),
        ("year", regex.compile(
            rf"(?i)(?<!\b{blockers}\s+)(?<![\d/.,\-]|[\d/.,\-]\s)(?P<y>(?:19[3-9]\d|20\d\d))"
            rf"(?![\d/%]|[.,]\d|\s+\p{{Ll}}|\s*[\-–]\s*\d)")),
    ]


def is_calendar_day(year: int | None, month: int, day: int) -> bool:
    """A day that exists: "29/2" without a year and "31/12/2020" pass; "31/4", "29/2/2023", "0/5" do not."""
    if not (1 <= month <= 12):
        return False
    y = year or 2000  # a leap year, so 29/2 without a year stands
    return 1 <= day <= calendar.monthrange(y, month)[1]


def plausible_period(year: int, end_year: int) -> bool:
    """A period runs forward over at most 50 years: "giai đoạn 2015 - 2020" passes;
    "2020 - 2015" (backwards) and "1945 - 2025" (two years, not a period) do not."""
    return year < end_year <= year + 50


def ascending_days(day: int, end_day: int) -> bool:
    """A day range runs forward: "26 - 27/12", "3 và 4/4" pass; "27 - 26/12", "5 - 5/6" do not."""
    return day < end_day


def bare_day_month_stands(text: str, start: int, end: int) -> bool:
    """A day/month with no word before it is a date only in parentheses: "Sáng nay (15/3)" passes;
    "6/8 đơn vị" (a fraction) and "tỷ số 2/1" do not. ("ngày 6/8", "Sáng 6/8" are led, not bare.)"""
    return text[start - 1:start] == "(" and text[end:end + 1] == ")"


def _fill_period(mention: DateMention, g: dict, **_) -> bool:
    """Years of a period ("giai đoạn 2015 - 2020"), if :func:`plausible_period`."""
    if not plausible_period(g["y"], g["y2"]):
        return False
    mention.year, mention.end_year = g["y"], g["y2"]
    return True


def _fill_year(mention: DateMention, g: dict, **_) -> bool:
    """A year alone ("năm 2020")."""
    mention.year = g["y"]
    return True


def _fill_month(mention: DateMention, g: dict, **_) -> bool:
    """A month, with its year if written ("tháng 11/2023", "tháng 11")."""
    mention.month, mention.year = g["m"], g.get("y")
    return True


def _fill_full_range(mention: DateMention, g: dict, **_) -> bool:
    """Two full dates ("19/8/1945-19/8/2025"): a range, an anniversary when the years differ."""
    if not (is_calendar_day(g["y"], g["m"], g["d"]) and is_calendar_day(g["y2"], g["m2"], g["d2"])):
        return False
    mention.kind = "daterange"
    mention.day, mention.month, mention.year = g["d"], g["m"], g["y"]
    mention.end_day, mention.end_month, mention.end_year = g["d2"], g["m2"], g["y2"]
    mention.anniversary = g["y2"] - g["y"] >= 1
    return True


def _fill_day_range(mention: DateMention, g: dict, **_) -> bool:
    """Days of one month ("26 - 27/12", "3 và 4/4"), if :func:`ascending_days` and both exist."""
    d, d2, mo, y = g["d"], g["d2"], g["m"], g.get("y")
    if not (ascending_days(d, d2) and is_calendar_day(y, mo, d) and is_calendar_day(y, mo, d2)):
        return False
    mention.kind = "daterange"
    mention.day, mention.month, mention.year = d, mo, y
    mention.end_day, mention.end_month, mention.end_year = d2, mo, y
    return True


def _fill_calendar_day(mention: DateMention, g: dict) -> bool:
    """Day, month and year of a day that :func:`is_calendar_day`."""
    if not is_calendar_day(g.get("y"), g["m"], g["d"]):
        return False
    mention.day, mention.month, mention.year = g["d"], g["m"], g.get("y")
    return True


def _fill_datetime(mention: DateMention, g: dict, **_) -> bool:
    """A day with its time ("17:25 06/12/2020", "15/11/2024, 18:22:20")."""
    if not _fill_calendar_day(mention, g):
        return False
    mention.time = _time(g["t"])
    return True


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
                   finder: DateFinder) -> DateMention | None:
    """The publication date: page metadata, or a bare date opening one of the first lines.

    A bare date or a weekday opens a publication line ("Phan Tân| 18/12/2020 08:54", "Cập nhật: 08:30 |
    19/08/2019", "Thứ sáu, 22/12/2023"); "Ngày 5/6", "Từ ngày 1/7/2025, ..." open prose.
    """
    if meta_date and len(meta_date) == 10:
        for d in mentions:
            if d.start < 20 and d.text.strip() == meta_date:
                return d
    head_limit = _offset_of_line(text, 6)
    opener = (rf"(?i)\s*(?:date\s+)?(?:[^\d|\n]{{2,40}}\|\s*)?(?:{finder.published_prefixes}\s*:?\s*)?"
              r"(?:[\p{L} ]{3,12},\s*)?")
    first_word = rf"(?i)\s*(?:\d|{finder.publication_line_openers})"
    for d in mentions:
        if d.start > head_limit:
            break
        if d.kind not in ("date", "datetime") or d.year is None or d.part_of_day:
            continue
        before = text[text.rfind("\n", 0, d.start) + 1:d.start]
        if regex.fullmatch(opener, before) and regex.match(first_word, d.text):
            return d
    return None


def find_published_at_end(finder: DateFinder, text: str) -> DateMention | None:
    """A publication line among the last lines: "Cập nhật lúc 19:40 ngày 03/10/2021" (the prefix is required)."""
    tail = text[_offset_of_last_lines(text, 3):]
    for d in finder.find(tail):  # offsets within ``tail``: the value is what is kept, not the span
        if d.kind not in ("date", "datetime") or d.year is None:
            continue
        before = tail[tail.rfind("\n", 0, d.start) + 1:d.start]
        if regex.fullmatch(rf"(?i)\s*\(?(?:{finder.published_prefixes})\s*:?\s*", before):
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
        self.summary_re = regex.compile(rf"(?i){alternation(rules.settings('dates')['summary_words'])}")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        mentions = self.finder.find(text, allowed=lambda s, e: in_body(doc, s, e))
        self._set_published(doc, text, mentions)
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

    def _set_published(self, doc: Doc, text: str, mentions: list[DateMention]) -> None:
        """The publication date and reference year, and a year for every date written without one."""
        meta = doc._.meta_date
        published = find_published(mentions, text, meta, self.finder)
        if published is None and not meta:
            published = find_published_at_end(self.finder, text)
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


@Language.factory(
    "vnie_dates", default_config={"rules_path": None},
    requires=["doc._.match_text", "doc._.body", "doc._.meta_date", "doc._.published_hint", "doc._.title"],
    assigns=["doc.spans", "doc._.published", "doc._.event_date", "doc._.reference_year"])
def make_dates(nlp: Language, name: str, rules_path: str | None):
    """The dates stage: ``doc.spans["dates"]``, the publication and event dates, the reference year."""
    return DateExtractor(rules_path)
