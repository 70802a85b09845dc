"""Temporal expressions in news English, normalised against the article's publication date.

News text dates events mostly relative to the day the article appeared ("yesterday", "on Tuesday",
"last month", "in July"), so every expression is resolved against an *anchor* (the publication
date). Without an anchor only complete absolute dates resolve; everything else is still tagged,
so the evidence is kept, but with ``value=None``: a guessed date is worse than no date.

Granularity is kept as written: "September 2023" is ``2023-09`` (``xsd:gYearMonth``), never the
first of the month; "mid-2023" is the year ``2023``.

Resolution rules (why: they match how reporters write and how DESIGN.md asks us to read them):

* A year-less day, month or weekday is the most recent one not after the anchor ("on Monday" in
  a Monday article is that Monday; "in December" in a January article is the previous December),
  unless its clause has a future cue ("will", "is due to", "is expected to", "upcoming", ...), in
  which case it is the nearest one on or after the anchor. "last X" is strictly before the anchor,
  "next X" strictly after. An expression after "since" is always read as past.
* Week expressions ("this week", "last week", "next week") cover a Monday-Sunday week. Their value
  is the smallest calendar unit holding the whole week: its month if the week lies in one month,
  else its year, else ``None``. The same rule gives "two weeks ago" and the vague "a few months
  ago" (a 2-5 unit window before the anchor) their value; "years ago" is ``None``.
* Windows reaching up to or from the article ("in recent months", "over the past few weeks",
  "the last year", "in the coming weeks") are ``kind="vague"`` with the *anchor's* month
  (day/week/month units) or year (year/decade units) as value: analysts want such events placed
  near the article date, and the granularity says how coarse that is.
* Decades ("the 1990s") and relative winters are tagged with ``value=None``: neither a year nor a
  month can express them.
* "this/last/next weekend" give the Saturday as value and the Sunday as ``end_value``.

Prepositions ("on", "in") are not part of an expression's text; words that change its meaning
("since", "between ... and", "from ... to", "last", "next", "early", "mid-") are.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Literal

__all__ = ["Granularity", "TimeExpression", "tag_dates", "xsd_datatype"]

Granularity = Literal["day", "month", "year"]
Kind = Literal["absolute", "relative", "span", "since", "vague"]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A temporal expression found in text, normalised against an anchor (publication) date."""

    text: str  # the surface string as in the text
    start: int  # char offset in the text passed to tag_dates
    end: int
    value: str | None  # ISO at its granularity: "2024-02-13", "2023-09", "2012"; None if unresolved
    end_value: str | None  # end of a span ("between November 24 and December 1"), else None
    granularity: Granularity | None  # of value
    kind: Kind  # "since 2012" / "since October 7": kind="since", value = the start


def xsd_datatype(granularity: Granularity) -> str:
    """The XSD datatype local name for a value of this granularity."""
    return {"day": "date", "month": "gYearMonth", "year": "gYear"}[granularity]


# --------------------------------------------------------------------------- word lists

_MONTH_NUM = MappingProxyType(
    {
        name[:3].lower(): i
        for i, name in enumerate(
            "January February March April May June July August September October November December".split(),
            start=1,
        )
    }
)
_WEEKDAY_NUM = MappingProxyType(
    {name.lower(): i for i, name in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())}
)
_NUMBER_WORDS = MappingProxyType(
    {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
    | {"a": 1, "an": 1}
)
# (first month, last month) of seasons that lie inside one calendar year (northern hemisphere).
_SEASONS = MappingProxyType({"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)})

# Words after which a bare four-digit number reads as a year.
_YEAR_PREV = frozenset(
    "in since by until till from during before after of through throughout between and or to "
    "year years early mid late summer winter spring autumn fall circa c around".split()
)
# Words before a number that make it a count, an identifier or an amount, not a year.
_NUMBER_PREV = frozenset(
    "resolution resolutions section article no nos number flight route highway room page pages "
    "paragraph chapter code unit about nearly almost approximately roughly some over than least "
    "additional extra another id model version gmt utc km".split()
)
# Words after a number that make it a count or a measure.
_COUNT_WORDS = frozenset(
    "people persons person men women children kids babies troops soldiers fighters militants "
    "civilians refugees migrants prisoners detainees hostages captives casualties deaths dead "
    "killed wounded injured victims rockets missiles drones shells bombs rounds tanks vehicles "
    "trucks lorries aircraft planes jets ships boats homes houses buildings families households "
    "residents workers members delegates students tonnes tons km kilometres kilometers miles "
    "metres meters feet ft kg acres hectares barrels dollars euros pounds usd eur times votes "
    "cases sites targets units positions attacks strikes airstrikes words copies others more "
    "new other years days hours minutes months weeks seconds million billion trillion thousand "
    "hundred percent mw gw kw bpd officers police policemen protesters demonstrators arrests "
    "animals heads settlers settlements patients doctors nurses jobs pupils tents meals".split()
)
# Function words and verbs that may follow a year ("in 2012 the group ...", "2012 was ...").
_YEAR_FOLLOW = frozenset(
    "and or to when while after before as at in on for with by from the a an that which who "
    "he she it they we i but until since was were is are will would has had have saw marked "
    "brought began ended elections election war agreement deal accord accords talks summit "
    "ceasefire truce protests uprising revolution invasion coup crisis census budget".split()
)
_DETERMINERS = frozenset("the a an its their his her our this that these those whose".split())
# Words before "May" that make it the month rather than the modal verb.
_MAY_PREV = frozenset(
    "in since by until till through to from during before after of and between early mid late "
    "last next this throughout around".split()
)
# Capitalised words that turn a weekday into the name of a feast or an event.
_NAMED_DAY_PREV = frozenset("good black bloody super ash palm easter holy cyber maundy".split())

# --------------------------------------------------------------------------- regex fragments

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = rf"(?:(?:{_MONTH_FULL})\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[.,:/]\d)"
_YEAR_RAW = r"(?:19\d\d|20\d\d|2100)"
_YEAR = rf"{_YEAR_RAW}(?![\w%]|[.,:/]\d|-\d)"
_NUM_BEFORE = r"(?<![\w$€£#@])(?<!\d[.,/:-])"  # not inside a larger number or an amount
_QUAL = (
    r"(?i:(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|turn|close|first\s+half|second\s+half"
    r"|(?:first|second|third|fourth|final|last)\s+quarter)\s+of\s+|(?:early|mid|late)(?:-|\s+))"
)
_REL = r"(?i:this\s+past|this\s+coming|this|last|next)"
_RANGE_SEP = r"\s*(?P<c>-|–|—|(?i:to|and|until|till|through|thru))\s*"
_SPAN_PRE = r"(?:(?P<pre>(?i:between|from))\s+)?"

_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won['’]t|going\s+to|(?:is|are|['’]s|['’]re)\s+(?:due|expected|set|scheduled|slated"
    r"|poised|planned|planning|likely|going|to)\b|(?:plans?|planning|intends?|hopes?|aims?)\s+to"
    r"|scheduled\s+(?:to|for)|upcoming|forthcoming|looming|approaching|beyond)\b|['’]ll\b",
    re.IGNORECASE,
)
# Where one clause's tense stops applying: sentence ends, quotes, reporting verbs, "that".
_CLAUSE_BOUNDARY = re.compile(
    r"[.!?;:]\s|[“”\"]|\b(?:said|says|say|told|tells|announced|added|stated|noted|reported|that)\b",
    re.IGNORECASE,
)
_SINCE_BEFORE = re.compile(r"(?i:\b(?:ever\s+)?since)\s+$")
_SPAN_PREFIX_BEFORE = re.compile(r"(?i:\b(?P<pre>between|from))\s+$")
_SPAN_CONNECTOR = re.compile(r"\s*(?P<c>-|–|—|(?i:to|and|until|till|through|thru))\s*")
_PREV_WORD = re.compile(r"([A-Za-z]+)\.?\s+$")
_CAPITAL_NEXT = re.compile(r"\s+[A-Z]")
# How far before an expression "since", "between" or "from" is looked for, and how far around it
# a future cue: every candidate looks, so looking from the start of the text made one long
# sentence quadratic (a 20,000-word sentence took minutes; tests/test_fuzz.py guards this).
_LOOKBACK = 100
_CUE_WINDOW = 1000


def _just_before(rx: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """`rx` (anchored with `$`) matching text that ends at `pos`, searched in a bounded window."""
    return rx.search(text, max(0, pos - _LOOKBACK), pos)
_NEXT_WORDS = re.compile(r"\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?")


# --------------------------------------------------------------------------- internal types


@dataclass(frozen=True, slots=True)
class _Point:
    """What a calendar expression states, before resolution, so spans can share a missing year."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int
    end: int
    kind: Kind
    value: str | None
    granularity: Granularity | None
    end_value: str | None = None
    point: _Point | None = None


@dataclass(frozen=True, slots=True)
class _Ctx:
    text: str
    anchor: date | None
    folded: str = ""  # `_fold(text)`, for the patterns' cheap pre-checks (`_Needs`)
    # (starts, ends) of the clause boundaries, found once per text rather than once per candidate,
    # and only for a text where some expression asks for its tense (most never do)
    _bounds: tuple[list[int], list[int]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def bounds(self) -> tuple[list[int], list[int]]:
        bounds = self._bounds
        if bounds is None:
            found = list(_CLAUSE_BOUNDARY.finditer(self.text))
            bounds = ([m.start() for m in found], [m.end() for m in found])
            object.__setattr__(self, "_bounds", bounds)
        return bounds

    def future(self, start: int, end: int) -> bool:
        """Whether the clause around text[start:end] speaks of the future ("talks will resume ...")."""
        if _just_before(_SINCE_BEFORE, self.text, start):
            return False  # "since October 7" is always in the past
        starts, ends = self.bounds
        before = bisect_right(ends, start)  # the last boundary ending before the expression
        after = bisect_left(starts, end)  # the first one starting after it
        seg_start = ends[before - 1] if before else 0
        seg_end = starts[after] if after < len(starts) else len(self.text)
        seg_start, seg_end = max(seg_start, start - _CUE_WINDOW), min(seg_end, end + _CUE_WINDOW)
        window = self.text[seg_start:start] + " " + self.text[end:seg_end]
        return _FUTURE_CUE.search(window) is not None

    def prev_word(self, start: int) -> str:
        m = _PREV_WORD.search(self.text[max(0, start - 40) : start])
        return m.group(1).lower() if m else ""


# --------------------------------------------------------------------------- date arithmetic


def _fmt(year: int, month: int | None = None, day: int | None = None) -> tuple[str, Granularity]:
    if month is None:
        return f"{year:04d}", "year"
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    return date(year, month, day).isoformat(), "day"


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def _month_year(month: int, anchor: date, mode: str) -> int:
    """Year of the month `month` as read from `anchor`: past/future/last/next/this."""
    y = anchor.year
    if mode == "past":
        return y if month <= anchor.month else y - 1
    if mode == "future":
        return y if month >= anchor.month else y + 1
    if mode == "last":
        return y if month < anchor.month else y - 1
    if mode == "next":
        return y if month > anchor.month else y + 1
    return y


def _day_occurrence(month: int, day: int, anchor: date, future: bool) -> date | None:
    """Most recent (or next, if `future`) valid month/day not after (before) the anchor."""
    step = 1 if future else -1
    for k in range(9):  # 9 years always includes a 29 February
        try:
            d = date(anchor.year + step * k, month, day)
        except ValueError:
            continue
        if (d >= anchor) if future else (d <= anchor):
            return d
    return None


def _weekday_occurrence(weekday: int, anchor: date, mode: str) -> date:
    if mode in ("future", "next"):
        delta = (weekday - anchor.weekday()) % 7
        if delta == 0 and mode == "next":
            delta = 7
        return anchor + timedelta(days=delta)
    delta = (anchor.weekday() - weekday) % 7
    if delta == 0 and mode == "last":
        delta = 7
    return anchor - timedelta(days=delta)


def _common_unit(lo: date, hi: date) -> tuple[str | None, Granularity | None]:
    """The smallest calendar unit (month, year) holding the whole window, or None."""
    if (lo.year, lo.month) == (hi.year, hi.month):
        return _fmt(lo.year, lo.month)
    if lo.year == hi.year:
        return _fmt(lo.year)
    return None, None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _mode_for(rel: str | None, ctx: _Ctx, start: int, end: int) -> str:
    rel = " ".join(rel.lower().split()) if rel else None
    if rel in ("last", "this past"):
        return "last"
    if rel in ("next", "this coming"):
        return "next"
    return "future" if ctx.future(start, end) else "past"


def _month_num(name: str) -> int:
    return _MONTH_NUM[name[:3].lower()]


def _day_num(s: str) -> int:
    return int(re.match(r"\d+", s).group())  # type: ignore[union-attr]


def _resolve_point(p: _Point, ctx: _Ctx, start: int, end: int, rel: str | None = None) -> _Cand | None:
    """A candidate for a calendar point, resolving a missing year against the anchor."""
    kind: Kind = "absolute" if p.year is not None else "relative"
    value: str | None = None
    gran: Granularity | None = None
    if p.year is not None:
        try:
            value, gran = _fmt(p.year, p.month, p.day)
        except ValueError:
            return None
    elif p.month is not None and p.day is not None:
        try:
            date(2000, p.month, p.day)  # leap year: rejects 31 April, allows 29 February
        except ValueError:
            return None
        if ctx.anchor is not None:
            mode = _mode_for(rel, ctx, start, end)
            d = _day_occurrence(p.month, p.day, ctx.anchor, mode in ("future", "next"))
            if d is not None:
                value, gran = _fmt(d.year, d.month, d.day)
    elif p.month is not None:
        if ctx.anchor is not None:
            mode = _mode_for(rel, ctx, start, end)
            if rel and rel.lower() == "this":
                mode = "this"
            value, gran = _fmt(_month_year(p.month, ctx.anchor, mode), p.month)
    return _Cand(start, end, kind, value, gran, point=p)


# --------------------------------------------------------------------------- handlers

Handler = Callable[[re.Match[str], _Ctx], "_Cand | None"]


def _h_iso(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    p = _Point(int(m["y"]), int(m["m"]), int(m["d"]))
    return _resolve_point(p, ctx, m.start(), m.end())


def _h_numeric(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """D/M/YYYY or M/D/YYYY: only when the numbers themselves decide which is the month."""
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if a == b or (a > 12 >= b):
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:
        return None
    return _resolve_point(_Point(y, month, day), ctx, m.start(), m.end())


def _h_day_month(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    y = int(m["y"]) if m["y"] else None
    p = _Point(y, _month_num(m["m"]), _day_num(m["d"]))
    return _resolve_point(p, ctx, m.start(), m.end())


def _h_month_year(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _resolve_point(_Point(int(m["y"]), _month_num(m["m"])), ctx, m.start(), m.end())


def _h_bare_month(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "in July", "last March", "mid-October": a month without a year, resolved from the anchor."""
    if m["m"] == "May" and not m["rel"] and not m["q"] and ctx.prev_word(m.start()) not in _MAY_PREV:
        return None  # "May I ...", "May God ..."
    return _resolve_point(_Point(None, _month_num(m["m"])), ctx, m.start(), m.end(), rel=m["rel"])


def _h_qual_year(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _resolve_point(_Point(int(m["y"])), ctx, m.start(), m.end())


def _plausible_year(text: str, start: int, end: int, ctx: _Ctx) -> bool:
    """Whether a bare number 1900-2100 is a year rather than a count, amount or identifier."""
    after = text[end:]
    if re.match(r"\s*(?:%|(?i:per\s*cent|percent)\b)", after):
        return False
    prev = ctx.prev_word(start)
    if prev in _NUMBER_PREV:
        return False
    nxt = _NEXT_WORDS.match(after)
    n1 = nxt.group(1) if nxt else ""
    n2 = (nxt.group(2) or "") if nxt else ""
    if n1.lower() in _COUNT_WORDS or (n1[:1].isupper() and n2.lower() in _COUNT_WORDS):
        return False
    rng = re.match(r"\s*(?:-|–|to|and|or)\s*[\d,]+\s+([A-Za-z]+)", after)
    if rng and rng.group(1).lower() in _COUNT_WORDS:
        return False  # "1950 to 2000 people"
    if prev in _YEAR_PREV:
        return True
    if re.match(r"\s*(?:$|[.,;:!?)\]”\"'’—–])", after):
        return True
    if n1.lower() in _YEAR_FOLLOW:
        return True
    return prev in _DETERMINERS and n1[:1].islower()  # "the 2012 constitution"


def _h_year(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if not _plausible_year(ctx.text, m.start(), m.end(), ctx):
        return None
    return _resolve_point(_Point(int(m["y"])), ctx, m.start(), m.end())


def _h_decade(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _Cand(m.start(), m.end(), "vague", None, None)


def _span_connector_ok(pre: str | None, c: str) -> bool:
    c = c.lower()
    pre = pre.lower() if pre else None
    if c == "and":
        return pre == "between"
    return pre != "between" or c in "-–—"


def _h_year_span(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "2019-2021", "2023-24", "from 2019–2021"."""
    y1 = int(m["y1"])
    y2 = int(m["y2"]) if len(m["y2"]) == 4 else (y1 // 100) * 100 + int(m["y2"])
    if not y1 < y2 <= 2100:
        return None
    if ctx.prev_word(m.start()) in _NUMBER_PREV or not _plausible_year(ctx.text, m.start(), m.end(), ctx):
        if not m["pre"]:
            return None
    return _Cand(m.start(), m.end(), "span", f"{y1:04d}", "year", end_value=f"{y2:04d}")


def _h_day_range(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "24-30 November", "November 24 to 30, 2023", "between 5 and 9 May"."""
    if not _span_connector_ok(m["pre"], m["c"]):
        return None
    d1, d2, month = _day_num(m["d1"]), _day_num(m["d2"]), _month_num(m["m"])
    if d1 >= d2:
        return None
    y = int(m["y"]) if m["y"] else None
    first = _resolve_point(_Point(y, month, d1), ctx, m.start(), m.end())
    if first is None:
        return None
    end_value = None
    if first.value is not None:
        try:
            end_value = date(int(first.value[:4]), month, d2).isoformat()
        except ValueError:
            return None
    return _Cand(m.start(), m.end(), "span", first.value, first.granularity, end_value=end_value)


def _h_relative_day(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    words = " ".join(m.group().lower().split())
    if "before yesterday" in words:
        offset = -2
    elif "after tomorrow" in words:
        offset = 2
    elif "yesterday" in words or words == "last night":
        offset = -1
    elif "tomorrow" in words:
        offset = 1
    else:
        offset = 0
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "relative", None, None)
    d = ctx.anchor + timedelta(days=offset)
    return _Cand(m.start(), m.end(), "relative", *_fmt(d.year, d.month, d.day))


def _h_weekday(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    prev = ctx.prev_word(m.start())
    if prev in _NAMED_DAY_PREV:
        return None  # "Good Friday", "Super Tuesday": named days, not this week's
    if prev == "the" and not m["rel"] and _CAPITAL_NEXT.match(ctx.text, m.end()):
        return None  # "the Sunday Times"
    wd = _WEEKDAY_NUM[m["wd"].lower()]
    p = _Point(weekday=wd)
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "relative", None, None, point=p)
    d = _weekday_occurrence(wd, ctx.anchor, _mode_for(m["rel"], ctx, m.start(), m.end()))
    return _Cand(m.start(), m.end(), "relative", *_fmt(d.year, d.month, d.day), point=p)


def _h_this_last_next(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "this week", "last month", "late last year", "earlier this year", "the end of the month"."""
    rel = " ".join((m["rel"] or "this").lower().split())
    rel = {"this past": "last", "the": "this", "this coming": "next"}.get(rel, rel)
    unit = m["unit"].lower()
    q = (m["q"] or "").lower().strip()
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "relative", None, None)
    a = ctx.anchor
    k = {"last": -1, "this": 0, "next": 1}[rel]
    if unit == "year":
        return _Cand(m.start(), m.end(), "relative", *_fmt(a.year + k))
    if unit == "month":
        return _Cand(m.start(), m.end(), "relative", *_fmt(*_add_months(a.year, a.month, k)))
    monday = _monday(a) + timedelta(days=7 * k)
    if unit == "weekend":
        sat = monday + timedelta(days=5)
        sun = sat + timedelta(days=1)
        return _Cand(m.start(), m.end(), "relative", *_fmt(sat.year, sat.month, sat.day), end_value=sun.isoformat())
    lo, hi = monday, monday + timedelta(days=6)
    if k == 0 and q.startswith("earlier"):
        hi = a
    elif k == 0 and q.startswith("later"):
        lo = a
    return _Cand(m.start(), m.end(), "relative", *_common_unit(lo, hi))


def _h_the_weekend(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "over the weekend": the one just past, or the coming one if the clause is in the future."""
    if ctx.prev_word(m.start()) not in {"over", "at", "during", "on", "this", "since", "until", "by", "throughout",
                                        "across", "through"}:
        return None
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "relative", None, None)
    a = ctx.anchor
    monday = _monday(a)
    if a.weekday() < 5 and not ctx.future(m.start(), m.end()):
        monday -= timedelta(days=7)
    sat = monday + timedelta(days=5)
    return _Cand(
        m.start(),
        m.end(),
        "relative",
        *_fmt(sat.year, sat.month, sat.day),
        end_value=(sat + timedelta(days=1)).isoformat(),
    )


def _h_ago(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "three days ago" is exact; "a few months ago" is a window (see module docstring)."""
    n_raw = " ".join((m["n"] or "").lower().split())
    unit = m["unit"].lower()
    exact = n_raw.isdigit() or n_raw in _NUMBER_WORDS
    kind: Kind = "relative" if exact and unit != "decade" else "vague"
    a = ctx.anchor
    if a is None or unit == "decade":
        return _Cand(m.start(), m.end(), kind, None, None)
    if exact:
        n = int(n_raw) if n_raw.isdigit() else _NUMBER_WORDS[n_raw]
        if unit == "day":
            d = a - timedelta(days=n)
            return _Cand(m.start(), m.end(), kind, *_fmt(d.year, d.month, d.day))
        if unit == "week":
            d = a - timedelta(days=7 * n)
            return _Cand(m.start(), m.end(), kind, *_common_unit(d - timedelta(days=3), d + timedelta(days=3)))
        if unit == "month":
            return _Cand(m.start(), m.end(), kind, *_fmt(*_add_months(a.year, a.month, -n)))
        return _Cand(m.start(), m.end(), kind, *_fmt(a.year - n))
    lo_n, hi_n = (1, 3) if "couple" in n_raw else (2, 5)
    if unit == "day":
        return _Cand(m.start(), m.end(), kind, *_common_unit(a - timedelta(days=hi_n), a - timedelta(days=lo_n)))
    if unit == "week":
        return _Cand(m.start(), m.end(), kind, *_common_unit(a - timedelta(weeks=hi_n), a - timedelta(weeks=lo_n)))
    if unit == "month":
        lo, hi = _add_months(a.year, a.month, -hi_n), _add_months(a.year, a.month, -lo_n)
        return _Cand(m.start(), m.end(), kind, *_common_unit(date(*lo, 1), date(*hi, 1)))
    return _Cand(m.start(), m.end(), kind, None, None)


def _h_recent(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "in recent months", "in the coming weeks": placed at the anchor (see module docstring)."""
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "vague", None, None)
    unit = (m["unit"] or m.groupdict().get("unit2") or "").lower()
    a = ctx.anchor
    if unit.startswith(("year", "decade")):
        return _Cand(m.start(), m.end(), "vague", *_fmt(a.year))
    return _Cand(m.start(), m.end(), "vague", *_fmt(a.year, a.month))


def _h_season(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if not m["rel"] and not m["y"]:
        return None  # "spring", "fall", "the summer" alone are too often not this year's season
    season = m["s"].lower()
    if m["y"]:
        return _Cand(m.start(), m.end(), "absolute", *_fmt(int(m["y"])))
    if ctx.anchor is None or season == "winter":
        return _Cand(m.start(), m.end(), "relative", None, None)  # a winter straddles two years
    first, last = _SEASONS[season]
    a = ctx.anchor
    rel = " ".join(m["rel"].lower().split())
    if rel in ("last", "this past"):
        y = a.year if a.month > last else a.year - 1
    elif rel in ("next", "this coming"):
        y = a.year if a.month < first else a.year + 1
    else:
        y = a.year
    return _Cand(m.start(), m.end(), "relative", *_fmt(y))


# --------------------------------------------------------------------------- pre-checks

# The only characters that match an ASCII letter under `re.IGNORECASE` but do not lower-case to
# it (checked over all of Unicode, Python 3.11): İ and ı match "i", ſ matches "s".
_CASE_TRAPS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_ASCII_DIGIT = re.compile(r"[0-9]")
# Every month name and abbreviation the patterns know starts with one of these, as written.
_MONTH_STEMS = tuple(name[:3] for name in _MONTH_FULL.split("|"))


def _fold(text: str) -> str:
    """The text as `re.IGNORECASE` sees it for ASCII words: an ASCII letter matches a character
    of `text` case-insensitively exactly when it equals that character of the result, which has
    the same length and the same word characters and digits at the same places. So a lower-case
    word is in the result exactly when `(?i:word)` matches `text`, and `in` is far cheaper."""
    if not text.isascii():
        text = text.translate(_CASE_TRAPS)
    return text.lower()


@dataclass(frozen=True, slots=True)
class _Needs:
    """What every match of a pattern contains, so a sentence without it skips the pattern.

    Why: trying each of the twenty patterns at every position of every sentence was most of the
    time of reading an article; a few `in` tests tell which patterns cannot match at all. Each
    field only states what the pattern itself requires, so skipping never changes the result;
    a pattern edited to match without one of them must have its needs edited with it.
    """

    digit: bool = False     # an ASCII digit (a day or a year)
    month: bool = False     # a month name or abbreviation (the patterns write them capitalised)
    cased: tuple[tuple[str, ...], ...] = ()  # one string of each group, as written
    words: tuple[tuple[str, ...], ...] = ()  # one word of each group in any case: looked for in `_fold(text)`

    def met(self, text: str, folded: str, digit: bool, month: bool) -> bool:
        if (self.digit and not digit) or (self.month and not month):
            return False
        for group in self.cased:
            if not _holds_one(text, group):
                return False
        for group in self.words:
            if not _holds_one(folded, group):
                return False
        return True


def _holds_one(text: str, group: tuple[str, ...]) -> bool:
    for part in group:
        if part in text:
            return True
    return False


_YEAR_DIGITS = ("19", "20", "21")  # how every year the patterns read (1900-2100) starts
_UNITS = ("day", "week", "month", "year")
_QUAL_WORDS = ("beginning", "start", "end", "middle", "turn", "close", "half", "quarter", "early", "mid", "late")


# --------------------------------------------------------------------------- patterns

_NUMBER_WORD_RE = r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_VAGUE_COUNT_RE = r"a\s+few|few|several|some|many|a\s+couple\s+of|a\s+couple|couple\s+of"

_PATTERNS: tuple[tuple[re.Pattern[str], Handler, _Needs], ...] = (
    (
        re.compile(
            r"(?<![\d/.-])(?P<y>19\d\d|20\d\d)(?P<s>[-/])(?P<m>0[1-9]|1[0-2])(?P=s)(?P<d>0[1-9]|[12]\d|3[01])"
            r"(?![\d]|[-/.]\d)"
        ),
        _h_iso,
        _Needs(cased=(("19", "20"), ("-", "/"))),
    ),
    (
        re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<y>19\d\d|20\d\d)(?![\d]|[-/.]\d)"),
        _h_numeric,
        _Needs(cased=(("19", "20"), ("/", ".", "-"))),
    ),
    (
        re.compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?:(?i:the)\s+)?{_NUM_BEFORE}(?P<d>{_DAY})(?:\s+(?i:of))?\s+(?P<m>{_MONTH})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?"
        ),
        _h_day_month,
        _Needs(digit=True, month=True),
    ),
    (
        re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"),
        _h_day_month,
        _Needs(digit=True, month=True),
    ),
    (
        re.compile(rf"\b(?P<q>{_QUAL})?(?P<m>{_MONTH}),?\s+(?:(?i:of)\s+)?(?P<y>{_YEAR})"),
        _h_month_year,
        _Needs(month=True, cased=(_YEAR_DIGITS,)),
    ),
    (
        re.compile(rf"\b(?:(?P<rel>{_REL})\s+)?(?P<q>{_QUAL})?(?P<m>{_MONTH_FULL})\b"),
        _h_bare_month,
        _Needs(month=True),
    ),
    (
        re.compile(rf"\b(?P<q>{_QUAL}){_NUM_BEFORE}(?P<y>{_YEAR})"),
        _h_qual_year,
        _Needs(cased=(_YEAR_DIGITS,), words=(_QUAL_WORDS,)),
    ),
    (re.compile(rf"{_NUM_BEFORE}(?P<y>{_YEAR})"), _h_year, _Needs(cased=(_YEAR_DIGITS,))),
    (
        re.compile(r"(?<![\w$])(?:(?i:the)\s+)?(?:(?i:early|mid|late)[-\s]+)?(?:(?:19|20)\d0s|['’]\d0s)(?!\w)"),
        _h_decade,
        _Needs(cased=(("0s",),)),
    ),
    (
        re.compile(
            rf"{_SPAN_PRE}{_NUM_BEFORE}(?P<y1>{_YEAR_RAW})\s*[-–—/]\s*(?P<y2>\d{{4}}|\d{{2}})(?![\w%]|[.,:/]\d|-\d)"
        ),
        _h_year_span,
        _Needs(cased=(_YEAR_DIGITS, ("-", "–", "—", "/"))),
    ),
    (
        re.compile(
            rf"{_SPAN_PRE}(?:(?i:the)\s+)?{_NUM_BEFORE}(?P<d1>{_DAY}){_RANGE_SEP}(?P<d2>{_DAY})"
            rf"(?:\s+(?i:of))?\s+(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"
        ),
        _h_day_range,
        _Needs(digit=True, month=True),
    ),
    (
        re.compile(rf"\b{_SPAN_PRE}(?P<m>{_MONTH})\s+(?P<d1>{_DAY}){_RANGE_SEP}(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"),
        _h_day_range,
        _Needs(digit=True, month=True),
    ),
    (
        re.compile(
            r"(?i:\b(?:the\s+day\s+(?:before|after)\s+)?(?:yesterday|today|tomorrow)\b|\btonight\b"
            r"|\blast\s+night\b|\bthis\s+(?:morning|afternoon|evening)\b|\b(?:earlier|later)\s+today\b)"
        ),
        _h_relative_day,
        _Needs(words=(("yesterday", "today", "tomorrow", "night", "morning", "afternoon", "evening"),)),
    ),
    (
        re.compile(rf"\b(?:(?P<rel>{_REL})\s+)?(?P<wd>{_WEEKDAY})(?:\s+(?i:morning|afternoon|evening|night)\b)?"),
        _h_weekday,
        _Needs(cased=(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),)),
    ),
    (
        re.compile(
            rf"\b(?:(?P<q>{_QUAL}|(?i:earlier|later)\s+))?\b(?P<rel>{_REL})\s+(?P<unit>(?i:week|month|year|weekend))\b(?!\s+(?i:of)\b)"
        ),
        _h_this_last_next,
        _Needs(words=(("this", "last", "next"), ("week", "month", "year"))),
    ),
    (
        re.compile(rf"\b(?P<q>{_QUAL})(?P<rel>(?i:the))\s+(?P<unit>(?i:week|month|year))\b"),
        _h_this_last_next,
        _Needs(words=(_QUAL_WORDS, ("the",), ("week", "month", "year"))),
    ),
    (re.compile(r"\b(?i:the\s+weekend)\b"), _h_the_weekend, _Needs(words=(("the",), ("weekend",)))),
    (
        re.compile(
            rf"\b(?<![\d,.])(?i:(?:(?P<n>{_NUMBER_WORD_RE}|{_VAGUE_COUNT_RE})\s+)?(?P<unit>day|week|month|year|decade)s?\s+ago)\b"
        ),
        _h_ago,
        _Needs(words=(("ago",),)),
    ),
    (
        re.compile(
            rf"\b(?i:(?:the\s+(?:past|last|previous)\s+(?:(?:{_VAGUE_COUNT_RE}|{_NUMBER_WORD_RE})\s+)?"
            rf"|(?:past|last|previous)\s+(?:{_VAGUE_COUNT_RE}|{_NUMBER_WORD_RE})\s+|past\s+|recent\s+)"
            r"(?P<unit>days?|weeks?|months?|years?|decades?))\b(?!\s+(?i:of)\b)"
        ),
        _h_recent,
        _Needs(words=(("past", "last", "previous", "recent"), (*_UNITS, "decade"))),
    ),
    (
        re.compile(
            rf"\b(?i:the\s+(?:coming\s+(?:(?:{_VAGUE_COUNT_RE}|{_NUMBER_WORD_RE})\s+)?(?P<unit>days?|weeks?|months?|years?)"
            rf"|next\s+(?:(?:{_VAGUE_COUNT_RE}|{_NUMBER_WORD_RE})\s+)?(?P<unit2>days|weeks|months|years)))\b"
            r"(?!\s+(?i:of)\b)"
        ),
        _h_recent,
        _Needs(words=(("the",), ("coming", "next"), _UNITS)),
    ),
    (
        re.compile(
            rf"\b(?:(?P<rel>{_REL})\s+)?(?:(?i:the)\s+)?\b(?P<s>(?i:summer|winter|spring|autumn|fall))\b"
            rf"(?:\s+(?:(?i:of)\s+)?(?P<y>{_YEAR}))?"
        ),
        _h_season,
        _Needs(words=(("summer", "winter", "spring", "autumn", "fall"),)),
    ),
)


# --------------------------------------------------------------------------- assembly


def _longest_first(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, longest winning, then earliest; returned in text order."""
    chosen: list[_Cand] = []  # kept in text order, so only the two neighbours can overlap
    starts: list[int] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        i = bisect_right(starts, c.start)
        if i and c.start < chosen[i - 1].end and c.end > chosen[i - 1].start:
            continue
        if i < len(chosen) and c.end > chosen[i].start:
            continue
        chosen.insert(i, c)
        starts.insert(i, c.start)
    return chosen


def _base_candidates(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    text, folded = ctx.text, ctx.folded or _fold(ctx.text)
    digit = _ASCII_DIGIT.search(text) is not None
    month = any(stem in text for stem in _MONTH_STEMS)
    for rx, handler, needs in _PATTERNS:
        if not needs.met(text, folded, digit, month):
            continue
        for m in rx.finditer(text):
            c = handler(m, ctx)
            if c is not None and c.end > c.start:
                out.append(c)
    return out


def _key(p: _Point) -> tuple[int, int]:
    return (p.month or 0, p.day or 0)


def _pair_span(a: _Cand, b: _Cand, start: int, ctx: _Ctx) -> _Cand | None:
    """A span from two adjacent points, sharing a year written only once ("from March to May 2024")."""
    pa, pb = a.point, b.point
    if pa is None or pb is None:
        if a.value is None or b.value is None:
            return None
        return _Cand(start, b.end, "span", a.value, a.granularity, end_value=b.value)
    if pa.weekday is not None or pb.weekday is not None:
        if pa.weekday is None or pb.weekday is None:
            return None
        if a.value is None:
            return _Cand(start, b.end, "span", None, None)
        da = date.fromisoformat(a.value)
        db = da + timedelta(days=(pb.weekday - pa.weekday) % 7)
        return _Cand(start, b.end, "span", a.value, "day", end_value=db.isoformat())
    ya, yb = pa.year, pb.year
    if ya is None and yb is not None:
        ya = yb - 1 if pa.month is not None and _key(pa) > _key(pb) else yb
    elif ya is None:
        if a.value is None:
            return _Cand(start, b.end, "span", None, None)
        ya = int(a.value[:4])
    if yb is None:
        yb = ya + 1 if pb.month is not None and _key(pb) < _key(pa) else ya
    if pa.month is None and pb.month is not None:
        return None  # "2023 to May": not a span we can read
    if (yb, pb.month or 12, pb.day or 31) < (ya, pa.month or 1, pa.day or 1):
        return None  # "won 2010 to 2008": a score, not a period
    try:
        va, ga = _fmt(ya, pa.month, pa.day)
        vb, _ = _fmt(yb, pb.month, pb.day)
    except ValueError:
        return None
    return _Cand(start, b.end, "span", va, ga, end_value=vb)


def _composites(base: list[_Cand], ctx: _Ctx) -> list[_Cand]:
    """Spans built from two adjacent expressions, and "since X"."""
    text = ctx.text
    out: list[_Cand] = []
    for a, b in zip(base, base[1:], strict=False):
        if a.kind not in ("absolute", "relative") or b.kind not in ("absolute", "relative"):
            continue
        conn = _SPAN_CONNECTOR.fullmatch(text, a.end, b.start)
        if conn is None:
            continue
        pre = _just_before(_SPAN_PREFIX_BEFORE, text, a.start)
        pre_word = pre["pre"] if pre else None
        if not pre_word and conn["c"].lower() == "and":
            continue
        if not _span_connector_ok(pre_word, conn["c"]):
            continue
        span = _pair_span(a, b, pre.start() if pre else a.start, ctx)
        if span is not None:
            out.append(span)
    for c in base:
        since = _just_before(_SINCE_BEFORE, text, c.start)
        if since is not None and c.kind in ("absolute", "relative", "vague"):
            out.append(_Cand(since.start(), c.end, "since", c.value, c.granularity))
    return out


# Every expression the tagger knows has a digit or one of these words; a sentence with none is
# skipped without running the full set of patterns (most sentences of a news article). Searched in
# `_fold(text)`, where it matches exactly where it would match the text case-insensitively, at a
# third of the cost.
_MAY_HOLD_A_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)|yesterday|today|"
    r"tomorrow|tonight|week|month|year|decade|centur|spring|summer|autumn|fall|winter|day|night|morning|"
    r"evening|afternoon|recent|ago|since|earlier|later|past|coming"
)
_REL_YEAR = re.compile(r"\s+(last|this|next)\s+year\b", re.IGNORECASE)


def _month_of_relative_year(chosen: list[_Cand], text: str) -> list[_Cand]:
    """"August last year", "March this year", "January next year": a month whose year is given
    relative to the anchor. The month alone was resolved against the anchor and the year phrase
    on its own; together they name one month, so the two become one expression."""
    out: list[_Cand] = []
    i = 0
    while i < len(chosen):
        c = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        m = _REL_YEAR.match(text, c.end)
        if (nxt is not None and m is not None and nxt.end == m.end() and c.granularity == "month"
                and c.value is not None and nxt.value is not None and nxt.granularity == "year"):
            value = f"{nxt.value}-{c.value[5:7]}"
            out.append(replace(c, end=nxt.end, value=value, kind=c.kind if c.kind == "since" else "relative"))
            i += 2
            continue
        out.append(c)
        i += 1
    return out


def _chosen(text: str, anchor: date | None, folded: str = "") -> list[_Cand]:
    ctx = _Ctx(text, anchor, folded)
    base = _longest_first(_base_candidates(ctx))
    return _month_of_relative_year(_longest_first(base + _composites(base, ctx)), text)


def tag_dates(text: str, anchor: date | None) -> list[TimeExpression]:
    """All temporal expressions in `text`, in order, non-overlapping (longest wins).

    `anchor` is the publication date; ``None`` leaves anchor-dependent expressions unresolved.
    """
    folded = _fold(text)
    if not _MAY_HOLD_A_DATE.search(folded):
        return []
    try:
        chosen = _chosen(text, anchor, folded)
    except (OverflowError, ValueError):
        if anchor is None:
            raise
        # an anchor at the calendar's ends (a bad `published`, year 1 or 9999): "yesterday" has no
        # date to land on, so the anchor-dependent expressions stay unresolved (tests/test_properties.py)
        chosen = _chosen(text, None, folded)
    out = []
    for c in chosen:
        # arithmetic on an anchor near the calendar's ends ("two years ago" in year 1) can leave
        # it; such a value is no date at all, so the expression stays unresolved
        value = c.value if _in_calendar(c.value) else None
        out.append(TimeExpression(
            text=text[c.start : c.end],
            start=c.start,
            end=c.end,
            value=value,
            end_value=c.end_value if value is not None and _in_calendar(c.end_value) else None,
            granularity=c.granularity if value is not None else None,
            kind=c.kind,
        ))
    return out


def _in_calendar(value: str | None) -> bool:
    """An ISO year between 0001 and 9999, as xsd:gYear, gYearMonth and date can be written here."""
    return value is not None and len(value) >= 4 and value[:4].isdigit() and value[:4] != "0000"
