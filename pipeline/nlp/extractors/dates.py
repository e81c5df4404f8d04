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
from pipeline.nlp.intervals import Disjoint
from pipeline.nlp.values import DateMention
from pipeline.rules import alternation, first_letters, load_rules

_D = r"(?:0?[1-9]|[12]\d|3[01])"
_M = r"(?:0?[1-9]|1[0-2])"
_Y = r"(?:19\d\d|20\d\d)"
_SEP = r"[/\-.]"
_TIME = r"(?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?|h(?:[0-5]\d)?(?:'|p)?)"
_NB = r"(?<![\d/.,\-])"  # not inside a longer number
_NA = r"(?![\d/]|[.,\-]\d|-[\p{L}]|/[\p{L}])"  # not followed by more digits or a document-number suffix
_SP = r"[^\S\n]*"  # spaces within one line: a time on the next line belongs to something else
_AT_DIGIT = r"(?=\d)"  # put first in a pattern that starts at a digit: other positions are rejected fast
_FULL_DATE = regex.compile(r"\d\d?[/\-.]\d\d?[/\-.]\d{4}")  # in every day written with its year: "5/6/2020"
_DAY_MONTH = regex.compile(r"\d\d?[/\-.]\d")  # in every day written in digits: "5/6", "26 - 27/12", "18.8"


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
        self.published_prefix_re = regex.compile(rf"(?i){self.published_prefixes}")
        self.published_line_re = regex.compile(rf"(?i)\s*\(?(?:{self.published_prefixes})\s*:?\s*")
        self.publication_line_openers = alternation(cfg["publication_line_openers"])
        self.publication_opener_re = regex.compile(
            rf"(?i)\s*\(?\s*(?:date\s+)?(?:[^\d|\n]{{2,40}}\|\s*)?(?:{self.published_prefixes}\s*:?\s*)?"
            r"(?:[\p{L} ]{3,12},\s*)?")
        self.publication_first_word_re = regex.compile(rf"(?i)\s*(?:\d|{self.publication_line_openers})")
        self.lead_re, self.pod_nay_re = _lead_patterns(cfg, alternation(self.parts_of_day))
        self.day_nouns = {w.lower() for w in cfg["date_words"]["after_part_of_day"]}
        self.bare_holiday_re, self.bare_not_after_re = _bare_day_month_patterns(cfg["bare_day_month"])
        self.patterns = _date_patterns(cfg)
        self.cues = {cue for _, _, cue in self.patterns}
        self._fill = {"period": _fill_period, "year": _fill_year, "month": _fill_month, "fullrange": _fill_full_range,
                      "dayrange": _fill_day_range, "date": self._fill_day, "daymonth": self._fill_day,
                      "dotday": self._fill_day, "datetime": _fill_datetime}

    def find(self, text: str, allowed=lambda s, e: True) -> list[DateMention]:
        """Every date in ``text``, longest match first, no two overlapping."""
        taken = Disjoint()
        found: list[DateMention] = []
        windows = _digit_windows(text)
        cued = {cue: [w for w in windows if cue is None or cue.search(text, *w)] for cue in self.cues}
        for kind, pattern, cue in self.patterns:
            for m in (m for a, b in cued[cue] for m in pattern.finditer(text, a, b)):
                lead, stands = self._lead_of(kind, text, *m.span())
                if not stands:
                    continue
                start, end = (lead.start() if lead else m.start()), m.end()
                if taken.overlaps(start, end) or not allowed(start, end):
                    continue
                mention = self._mention(kind, m, text, lead)
                if mention is None:
                    continue
                mention.anniversary = mention.anniversary or stands == "holiday"
                taken.add(start, end)
                found.append(mention)
        found.sort(key=lambda d: d.start)
        return found

    def _lead_of(self, kind: str, text: str, start: int, end: int):
        """The words opening a candidate ("Sáng", "ngày", "Thứ hai,"), and whether the candidate stands:
        True, False, or "holiday" for a bare day after a holiday's name ("Quốc khánh 2/9")."""
        lead = self.lead_re.search(text, max(0, start - 24), start) if kind in _LED else None
        if kind == "dotday":
            return lead, lead is not None and strong_lead(lead, self.day_nouns)
        if kind == "daymonth" and lead is None:
            if self.bare_holiday_re.search(text, max(0, start - 40), start):
                return None, "holiday"
            return None, bare_day_month_stands(text, start, end, self.bare_not_after_re)
        return lead, True

    def _mention(self, kind, m, text, lead=None) -> DateMention | None:
        """The mention a candidate match stands for, or None when a check vetoes it."""
        groups = m.groupdict()
        start, end = m.span()
        if lead is not None:
            groups.update({k: v for k, v in lead.groupdict().items() if v})
            start = lead.start()
        pod = groups.get("pod")
        mention = DateMention(start=start, end=end, text=text[start:end], kind=_KIND.get(kind, kind),
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
    ("Sáng nay, 12-11", "Sáng nay 7/6"), and "Sáng nay (" before a date in parentheses."""
    words = cfg["date_words"]
    cue, weekday = alternation(cfg["day_cues"]), alternation(cfg["weekdays"])
    after_pod = rf"(?:\s+(?:{alternation(words['after_part_of_day'])}|{alternation(words['today'])},?))?"
    lead_re = regex.compile(
        rf"(?i)(?<![\p{{L}}\p{{M}}])(?:(?P<pod>{pod}){after_pod}\s+"
        rf"|(?P<cue>{cue})\s+|(?P<wd>{weekday}),?\s+)$")
    pod_nay_re = regex.compile(rf"(?i)(?P<pod>{pod})\s+{alternation(words['today'])}\s*\($")
    return lead_re, pod_nay_re


def _date_patterns(cfg: dict) -> list[tuple[str, "regex.Pattern | _LedPattern", regex.Pattern | None]]:
    """(kind, pattern, cue) triples, tried in this order; a pattern that starts at digits (or at the few
    words that may open it) says so first, and one with a cue (:data:`_FULL_DATE`, :data:`_DAY_MONTH`)
    is scanned only where it occurs, so scanning stays fast."""
    words = cfg["date_words"]
    day, month, year, at = (alternation([words[k]]) for k in ("day", "month", "year", "time"))
    weekday, blockers = alternation(cfg["weekdays"]), alternation(cfg["year_blockers"])
    not_after = alternation(cfg["not_after_number"])
    day_to, year_to = alternation(words["day_range_joiners"]), alternation(words["year_range_joiners"])
    iso_date = r"(?P<y>{Y})-(?P<m>(?:0[1-9]|1[0-2]))-(?P<d>(?:0[1-9]|[12]\d|3[01]))".replace("{Y}", _Y)
    return [
        ("datetime", regex.compile(
            rf"{_AT_DIGIT}(?<![\d/.\-]){iso_date}[T ](?P<t>(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)(?![\d/])"), None),
        ("date", regex.compile(rf"{_AT_DIGIT}(?<![\d/.\-]){iso_date}(?![\d/])"), None),
        ("month", regex.compile(rf"{_AT_DIGIT}(?<=^\s*date\s+)(?P<y>{_Y})-(?P<m>(?:0[1-9]|1[0-2]))(?![\d/\-])"), None),
        ("datetime", regex.compile(
            rf"(?i){_at_digit_or([words['time']])}{_NB}"
            rf"(?:(?:{at}\s+)?(?P<t>{_TIME}){_SP}[,|\-–]?{_SP}(?:(?:{weekday}),?{_SP})?(?:{day}\s+)?)"
            rf"(?P<d>{_D}){_SEP}(?P<m>{_M}){_SEP}(?P<y>{_Y}){_NA}"), _FULL_DATE),
        ("datetime", regex.compile(
            rf"(?i){_AT_DIGIT}{_NB}(?P<d>{_D})(?P<s>{_SEP})(?P<m>{_M})(?P=s)(?P<y>{_Y})"
            rf"{_SP}[,|\-–]?{_SP}(?:{at}\s+)?(?P<t>{_TIME}){_NA}"), _FULL_DATE),
        ("fullrange", regex.compile(
            rf"(?i){_AT_DIGIT}{_NB}(?P<d>{_D}){_SEP}(?P<m>{_M}){_SEP}(?P<y>{_Y})\s*[\-–—/]\s*"
            rf"(?P<d2>{_D}){_SEP}(?P<m2>{_M}){_SEP}(?P<y2>{_Y}){_NA}"), _FULL_DATE),
        ("dayrange", _LedPattern([words["day"]],
            rf"{_NB}(?P<d>{_D})\s*(?:[\-–—]|{day_to})\s*(?:{day}\s+)?(?P<d2>{_D})(?P<s>[/\-.])(?P<m>{_M})"
            rf"(?:(?P=s)(?P<y>{_Y}))?{_NA}(?!\s*{not_after})"), _DAY_MONTH),
        ("date", regex.compile(
            rf"(?i){_AT_DIGIT}{_NB}(?P<d>{_D})(?P<s>{_SEP})(?P<m>{_M})(?P=s)(?P<y>{_Y}){_NA}"), _FULL_DATE),
        ("date", regex.compile(
            rf"(?i){day}\s+(?P<d>{_D})\s+{month}\s+(?P<m>{_M})(?:\s*(?:{year}|,)\s*(?P<y>{_Y}))?(?!\d)"), None),
        ("daymonth", regex.compile(
            rf"(?i){_AT_DIGIT}{_NB}(?P<d>{_D})(?P<s>[/\-])(?P<m>{_M}){_NA}(?!\s*{not_after})"), _DAY_MONTH),
        ("dotday", regex.compile(rf"(?i){_AT_DIGIT}{_NB}(?P<d>{_D})\.(?P<m>{_M}){_NA}(?!\s*{not_after})"), _DAY_MONTH),
        ("month", regex.compile(
            rf"(?i)(?<!\d\s){month}\s+(?P<m>{_M})(?:\s*(?:/|\-|{year}|,)\s*(?P<y>{_Y}))?(?![\d/])"), None),
        ("period", _LedPattern(cfg["period_cues"],
            rf"(?<![\d/])(?P<y>{_Y})\s*(?:[\-–—]|{year_to}(?:\s+{year})?)\s*(?P<y2>{_Y})(?![\d/])"), None),
        ("year", regex.compile(rf"(?i){_AT_DIGIT}(?<=\b{year}\s+)(?P<y>{_Y})(?![\d/]|[.,]\d)"), None),
        ("year", regex.compile(
            rf"(?i){_AT_DIGIT}(?<!\b{blockers}\s+)(?<![\d/.,\-]|[\d/.,\-]\s)(?P<y>(?:19[3-9]\d|20\d\d))"
            rf"(?![\d/%]|[.,]\d|\s+\p{{Ll}}|\s*[\-–]\s*\d)"), None),
    ]


class _LedPattern:
    """A pattern of optional lead words, then a ``core`` that starts at a digit (its look-behinds after
    the words), scanned fast: :meth:`finditer` finds the core with a pattern that starts at a digit, then
    the lead words that end right before it."""

    def __init__(self, words: list[str], core: str):
        if any(c.isdigit() for w in words for c in w):
            raise ValueError(f"lead words must hold no digit (see {type(self).__name__}.finditer): {words}")
        lead = alternation(words)
        self.pattern = regex.compile(rf"(?i)(?:{lead}\s+)?{core}")
        self.core = regex.compile(rf"(?i){_AT_DIGIT}{core}")
        self.lead = regex.compile(rf"(?i)(?:{lead})\s+\Z")  # ending where the core starts

    def finditer(self, text: str, pos: int, endpos: int):
        """The matches of ``self.pattern.finditer(text, pos, endpos)``: a match starts at the first core
        found, or at the leftmost lead words that end where it starts (the words hold no digit, so no
        match starts at lead words before another core)."""
        while (core := self.core.search(text, pos, endpos)) is not None:
            words = self.lead.search(text, pos, core.start())
            m = self.pattern.match(text, words.start() if words else core.start(), endpos)
            yield m
            pos = m.end()


def _at_digit_or(words: list[str]) -> str:
    """The first check of a pattern that starts at a digit or at one of ``words``."""
    return rf"(?:{_AT_DIGIT}|{first_letters(words)})"


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


def bare_day_month_stands(text: str, start: int, end: int, not_after_re=None) -> bool:
    """A day/month with no word before it is a date in parentheses ("Sáng nay (15/3)"), or closing a
    sentence after a common noun ("ngày thế giới tôn vinh người hiến máu 14-6."); "6/8 đơn vị" (a fraction),
    "tỷ số 2/1", "đánh bại Thể Công Viettel 2-1." (a score after a name) and, with ``not_after_re``,
    "thắng 3-1." do not. ("ngày 6/8", "Sáng 6/8" are led, not bare.)"""
    if text[start - 1:start] == "(" and text[end:end + 1] == ")":
        return True
    closes = text[end:end + 1] == "." and (end + 1 == len(text) or text[end + 1].isspace())
    after_word = _WORD_BEFORE.search(text[max(0, start - 20):start]) is not None
    if not (closes and after_word):
        return False
    return not_after_re is None or not_after_re.search(text, max(0, start - 16), start) is None


def strong_lead(lead, day_nouns) -> bool:
    """Whether a lead may open a day written with a dot ("Sáng 18.8", "Ngày 17.1", "17 giờ ngày 22.2"): a part
    of the day, a weekday or a cue ending in a day noun; "và 2.5", "từ 3.5" (numbers) are not."""
    if lead.group("pod") or lead.group("wd"):
        return True
    return lead.group("cue").lower().split()[-1] in day_nouns


def _bare_day_month_patterns(cfg: dict):
    """A holiday's name just before a bare day ("Quốc khánh 2/9"), and the words that make a sentence-final
    day/month a score or a fraction ("thắng 3-1.")."""
    holiday = regex.compile(rf"(?i)(?<![\p{{L}}\p{{M}}]){alternation(cfg['holidays'])}\s+$")
    not_after = regex.compile(rf"(?i)(?<![\p{{L}}\p{{M}}]){alternation(cfg['not_after'])}\s+$")
    return holiday, not_after


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
_WORD_BEFORE = regex.compile(r"(?<![\p{L}\p{M}])\p{Ll}[\p{L}\p{M}]*\s$")  # a lower-case word, then the candidate
_LED = {"datetime", "dayrange", "date", "daymonth", "dotday"}  # kinds a lead word may open
_KIND = {"daymonth": "date", "dotday": "date"}  # candidate kinds that name a day
_DAY_KINDS = ("date", "datetime", "daterange")  # mention kinds that name a day


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


def reported_year(mentions: list[DateMention], opens_term=lambda d: False) -> int | None:
    """The year the text reports on: the one its dates name most often (the later on a tie).

    An anniversary ("19/8/1945-19/8/2025") names its last year; a period its last year ("giai đoạn 2015-2020",
    a summary), unless ``opens_term`` says it is a term, opened by its first year ("nhiệm kỳ 2016-2021")."""
    counts = Counter()
    for d in mentions:
        if d.kind == "period" or d.anniversary:
            counts[d.year if d.kind == "period" and opens_term(d) else d.end_year] += 1
        elif d.year and d.kind in ("year", "date", "datetime", "month", "daterange"):
            counts[d.year] += 1
    counts.pop(None, None)
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


class YearEvidence:
    """Which dates show the year a text reports on (rules/dates.json "year_evidence").

    In the headline and lead (:func:`lead_end`) every date counts; after it, only :meth:`is_precise`
    ones. Named checks veto a date anywhere: :meth:`is_birth_year`, :meth:`is_founding_date`,
    :meth:`is_in_a_name`.
    """

    def __init__(self, cfg: dict):
        words, summary = cfg["year_evidence"], alternation(cfg["summary_words"])
        not_after_letter = r"(?<![\p{L}\p{M}])"
        self.birth_re = regex.compile(rf"(?i){not_after_letter}{alternation(words['birth_cues'])}\s*:?\s*$")
        self.founding_re = regex.compile(
            rf"(?i){not_after_letter}{alternation(words['founding_cues'])}[^\d.;!?\n]{{0,25}}$")
        self.name_re = regex.compile(rf"(?i){not_after_letter}{alternation(words['name_words'])}[^\d.,;:!?()\n]{{0,50}}$")
        self.opening_re = regex.compile(rf"(?i)^{alternation(words['opening_period_cues'])}")
        self.precise_period_re = regex.compile(rf"(?i)^{alternation(words['period_cues_after_lead'])}")
        self.summary_re = regex.compile(rf"(?i){summary}[^.;!?\n]{{0,200}}$")

    def is_birth_year(self, text: str, d: DateMention) -> bool:
        """"(SN 1991)", "sinh năm 1989": a person's birth, not the year reported."""
        return self.birth_re.search(text, max(0, d.start - 16), d.start) is not None

    def is_founding_date(self, text: str, d: DateMention) -> bool:
        """"thành lập ngày 1-4-1992", "tái lập tỉnh (1-4-1992)": a founding, not the year reported.
        (A whole anniversary "(19/8/1945-19/8/2025)" does name the year: its last.)"""
        return d.kind != "daterange" and self.founding_re.search(text, max(0, d.start - 40), d.start) is not None

    def is_in_a_name(self, text: str, d: DateMention) -> bool:
        """A year that ends a name: "World Cup 2022", "SEA Games 2019", "Luật Công an nhân dân 2018"."""
        return d.kind == "year" and self.name_re.search(text, max(0, d.start - 70), d.start) is not None

    def is_precise(self, d: DateMention) -> bool:
        """A date that shows the year even after the lead: a day written with its year ("ngày 17/3/2025"),
        an anniversary, a summary period or term ("giai đoạn 2015-2020"); not "năm 2018" or "từ năm 2014
        đến năm 2018", which tell the past."""
        if d.kind == "period":
            return self.precise_period_re.search(d.text) is not None
        return d.anniversary or (d.kind in _DAY_KINDS and d.year is not None)

    def opens_term(self, d: DateMention) -> bool:
        """A term ("nhiệm kỳ 2016 - 2021") is opened by its first year."""
        return self.opening_re.search(d.text) is not None

    def select(self, text: str, mentions: list[DateMention]) -> list[DateMention]:
        """The dates that show the reported year: those of the headline and lead, else the precise ones."""
        usable = [d for d in mentions if d.year and d.role != "published" and not self.is_in_a_name(text, d)
                  and not self.is_birth_year(text, d) and not self.is_founding_date(text, d)]
        end = lead_end(text, mentions)
        return [d for d in usable if d.start < end] or [d for d in usable if self.is_precise(d)]

    def summarised(self, text: str, evidence: list[DateMention]) -> DateMention | None:
        """The year a summary reports on: "tổng kết công tác thuế năm 2019" -> the mention of 2019."""
        for d in evidence:
            if d.kind == "year" and self.summary_re.search(text, max(0, d.start - 220), d.start):
                return d
        return None


def lead_end(text: str, mentions: list[DateMention]) -> int:
    """Where the lead ends: the end of the paragraph holding the first day (the whole text without one)."""
    first = next((d for d in mentions if d.kind in _DAY_KINDS and d.role != "published"), None)
    if first is None:
        return len(text)
    end = text.find("\n", first.end)
    return len(text) if end < 0 else end


def resolve_years(mentions: list[DateMention], published: DateMention | None, meta_date: str | None,
                  summary_year: bool = False, text_year: int | None = None) -> int | None:
    """Give a year to every date without one. Returns the reference year used.

    The reference is the publication date, else the page metadata, else ``text_year`` (the year the
    text reports on, see :class:`YearEvidence`); without any, the year stays unknown ("--11-16")."""
    ref_year, ref_month, source = text_year, None, "text" if text_year else "unknown"
    if published is not None:
        ref_year, ref_month, source = published.year, published.month, "published"
    elif meta_date:
        ref_year, ref_month, source = int(meta_date[:4]), int(meta_date[5:7]), "meta"
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
    """The publication date: page metadata (or a datetime of the same day below it), or a date opening
    one of the first lines (:func:`opens_publication_line`), or a datetime in parentheses closing one
    (:func:`closes_line_in_parentheses`: "Đại hội Thi đua Sư đoàn 304 (10/10/2018 15:30)")."""
    head_limit = _offset_of_line(text, 6)
    head = [d for d in mentions if d.start <= head_limit and d.kind in ("date", "datetime") and d.year]
    if meta_date and len(meta_date) == 10:
        meta = next((d for d in head if d.start < 20 and d.text.strip() == meta_date), None)
        if meta is not None:
            return next((d for d in head if d.kind == "datetime" and d.value[:10] == meta_date), meta)
    for d in head:
        if d.part_of_day is None and (opens_publication_line(text, d, finder) or closes_line_in_parentheses(text, d)):
            return d
    return None


def opens_publication_line(text: str, d: DateMention, finder: DateFinder) -> bool:
    """A bare date or a weekday opens a publication line ("Phan Tân| 18/12/2020 08:54", "Cập nhật: 08:30 |
    19/08/2019", "Thứ sáu, 22/12/2023", "Đã đăng vào 16/02/2022 lúc 10:44"); "Ngày 5/6", "Từ ngày 1/7/2025,
    ..." open prose."""
    core = d.start
    if not finder.publication_first_word_re.match(d.text):
        core += regex.search(r"\d", d.text).start()  # "vào 16/02/2022": the lead word after a prefix
    before = text[text.rfind("\n", 0, d.start) + 1:core]
    return finder.publication_opener_re.fullmatch(before) is not None


def closes_line_in_parentheses(text: str, d: DateMention) -> bool:
    """A datetime in parentheses at the end of a line ("... Sư đoàn 304 (10/10/2018 15:30)"): the page's
    time stamp. A date alone ("(19/8)") or one inside a sentence is not."""
    after = text[d.end:d.end + 4]
    return d.kind == "datetime" and text[d.start - 1:d.start] == "(" and regex.match(r"\)[^\S\n]*(?:\n|$)", after) is not None


def find_published_at_end(finder: DateFinder, text: str) -> DateMention | None:
    """A publication line among the last lines: "Cập nhật lúc 19:40 ngày 03/10/2021" (the prefix is required)."""
    tail = text[_offset_of_last_lines(text, 3):]
    if finder.published_prefix_re.search(tail) is None:  # no prefix, no publication line
        return None
    for d in finder.find(tail):  # offsets within ``tail``: the value is what is kept, not the span
        if d.kind not in ("date", "datetime") or d.year is None:
            continue
        before = tail[tail.rfind("\n", 0, d.start) + 1:d.start]
        if finder.published_line_re.fullmatch(before):
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
        cfg = rules.settings("dates")
        self.finder = DateFinder(rules)
        self.evidence = YearEvidence(cfg)
        self.summary_re = regex.compile(rf"(?i){alternation(cfg['summary_words'])}")
        self.reporting_re = regex.compile(rf"(?i){alternation(cfg['reporting_verbs'])}")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        mentions = self.finder.find(text, allowed=lambda s, e: in_body(doc, s, e))
        self._set_published(doc, text, mentions)
        event = find_event(mentions, text, self.reporting_re, doc._.meta_date)
        if event is not None:
            event.role = "event"
            doc._.event_date = event_day(event)
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
        if published is not None:
            published.role = "published"
        hint = published_from_hint(doc._.published_hint, self.finder)
        if published is None and hint:
            doc._.reference_year = int(hint[:4])
        evidence = self.evidence.select(text, mentions)
        summarised = self.evidence.summarised(text, evidence)
        text_year = reported_year([summarised] if summarised else evidence, self.evidence.opens_term)
        summary = summarised is not None or bool(self.summary_re.search(doc._.title or "")) \
            or bool(self.summary_re.search(text[:600]))
        ref = resolve_years(mentions, published, meta, summary_year=summary, text_year=text_year)
        doc._.reference_year = doc._.reference_year or ref
        if published is not None:
            doc._.published = published.value
        elif hint:
            doc._.published = hint
        elif meta and len(meta) == 10:
            doc._.published = meta


_DOCUMENT_NUMBER_BEFORE = regex.compile(r"\d+\s*[/\-]\s*\p{Lu}[\p{Lu}\d\-/&]*\s*,?\s*$")


def dates_a_document(text: str, d: DateMention) -> bool:
    """A date right after a document number ("Chỉ thị số 34-CT/TW, ngày 07/4/2014", "Quyết định số
    123/QĐ-UBND ngày 5/6/2020") dates the document: a date, never the event."""
    return _DOCUMENT_NUMBER_BEFORE.search(text, max(0, d.start - 40), d.start) is not None


def reported_later(text: str, first: DateMention, later: DateMention, reporting_re) -> bool:
    """"Sáng 5-11, thông tin từ Quân khu 5 cho biết chiều 4-11, ... đã tổ chức": the first date is when it
    was told, the later one in the same paragraph, after the reporting verb, is when it happened."""
    between = text[first.end:later.start]
    return "\n" not in between and len(between) < 200 and reporting_re.search(between) is not None


def find_event(mentions: list[DateMention], text: str, reporting_re, meta_date: str | None = None) -> DateMention | None:
    """The event: the first day of the lead (:func:`in_lead`) that is not the publication date or page
    metadata, an anniversary or a document's date (:func:`dates_a_document`), or the day it reports
    (:func:`reported_later`)."""
    days = [d for d in mentions if d.role == "other" and d.kind in _DAY_KINDS and not d.anniversary
            and not (meta_date and d.start < 20 and d.text.strip() == meta_date)
            and not dates_a_document(text, d)]
    if not days or not in_lead(text, days[0]):
        return None
    if len(days) > 1 and reported_later(text, days[0], days[1], reporting_re):
        return days[1]
    return days[0]


def in_lead(text: str, d: DateMention, paragraphs: int = 3) -> bool:
    """Whether ``d`` lies in the lead: within the first ``paragraphs`` distinct prose paragraphs after
    the headline (a caption, a repeated sapo or a menu line is not prose). A day first named after three
    paragraphs of prose is what the article goes on to tell, not its event."""
    lines = text[:d.start].split("\n")[1:-1]  # after the headline, before the line holding ``d``
    prose = {line.strip() for line in lines if is_prose_paragraph(line)}
    return len(prose) < paragraphs


def is_prose_paragraph(line: str, min_words: int = 15) -> bool:
    """A paragraph of running text: at least ``min_words`` words, ending a sentence ("... của trường.");
    "Ảnh: TTXVN", "(Ảnh: Tường Vi - TTXVN)" and menu lines are not."""
    line = line.strip()
    return line[-1:] in ".!?…" and len(line.split()) >= min_words


def event_day(d: DateMention) -> str:
    """The event's day, ``YYYY-MM-DD``, or ``--MM-DD`` when the year cannot be known."""
    return d.first_day or f"--{d.month:02d}-{d.day:02d}"


@Language.factory(
    "vnie_dates", default_config={"rules_path": None},
    requires=["doc._.match_text", "doc._.body", "doc._.meta_date", "doc._.published_hint", "doc._.title"],
    assigns=["doc.spans", "doc._.published", "doc._.event_date", "doc._.reference_year"])
def make_dates(nlp: Language, name: str, rules_path: str | None):
    """The dates stage: ``doc.spans["dates"]``, the publication and event dates, the reference year."""
    return DateExtractor(rules_path)
