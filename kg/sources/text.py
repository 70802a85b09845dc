"""Plain-text articles: the body, and the headline, outlet, byline and date their header shows.

Scraped text keeps the top of the page: a masthead of editor names, a section breadcrumb, the
headline (sometimes twice), "Published: 04 Feb 2026 - 09:05 am", "Name | Outlet" bylines, an
aggregator prefix such as "MENAFN - The Peninsula)", or a bare "date 2024-02-14" glued to the
first sentence. The rules below read these shapes off the first lines and stop at the first
line that reads like prose, so the body offsets stay exact and no header line becomes evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.nlp.dates import tag_dates

HEADER_SCAN_LINES = 15
# A line that reads like prose: long, or a sentence ending in a full stop.
_PROSE = re.compile(r"^(?=.{0,}\S)(?:.{160,}|.*\w.*[.!?][\"”’]?\s*$)")
_MASTHEAD = re.compile(r"^[A-Z][A-Z .&'-]{2,40}:\s*[A-Z][A-Z .,'-]+$")
_PUBLISHED = re.compile(
    r"^\s*(?:published|posted|updated|last updated|date)\s*:?\s*(?P<rest>.*)$", re.IGNORECASE
)
_AGGREGATOR = re.compile(r"^\s*(?P<agg>[A-Z][A-Za-z]{1,20})\s+-\s+(?P<outlet>[^)]{2,60})\)\s*(?P<rest>.*)$")
_BYLINE = re.compile(r"^\s*(?:By\s+)?(?P<author>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,4})\s*\|\s*(?P<outlet>.+?)\s*$")
_BY = re.compile(r"^\s*By\s+(?P<author>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,4})\s*$")
_BREADCRUMB = re.compile(r"^\s*(?:Home\b|\S+(?:\s\S+)?\s/\s)")
_DATELINE = re.compile(r"^[A-Z][A-Za-z .'/-]{1,40},\s+.{4,30}\d{4}\s*[-–—:]?\s*$")
_LEADING_DATE = re.compile(r"^\s*date\s+(?P<iso>\d{4}-\d{2}-\d{2})\s+")


@dataclass(slots=True)
class TextHeader:
    """What the top of a plain-text article says about it."""

    body_start: int = 0
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None


def _first_day(text: str) -> date | None:
    for expr in tag_dates(text, None):
        if expr.granularity == "day" and expr.value:
            return date.fromisoformat(expr.value)
    return None


def read_text_header(text: str) -> TextHeader:
    """Read headline, outlet, byline and date off the first lines; say where the body starts."""
    header = TextHeader()
    pos = 0
    lines = text.splitlines(keepends=True)
    for index, raw in enumerate(lines[:HEADER_SCAN_LINES]):
        line = raw.strip()
        line_start = pos
        pos += len(raw)
        if not line:
            header.body_start = pos
            continue
        if agg := _AGGREGATOR.match(line):
            header.outlet = header.outlet or agg["outlet"].strip()
            line = agg["rest"].strip()
            if not line:
                header.body_start = pos
                continue
        if lead := _LEADING_DATE.match(raw):
            header.published = header.published or date.fromisoformat(lead["iso"])
            header.body_start = line_start + lead.end()
            break
        if _MASTHEAD.match(line):
            header.body_start = pos
            continue
        if pub := _PUBLISHED.match(line):
            if (day := _first_day(pub["rest"])) is not None:
                header.published = header.published or day
                header.body_start = pos
                continue
        if by := _BYLINE.match(line):
            header.author = header.author or by["author"].strip()
            header.outlet = header.outlet or by["outlet"].strip()
            header.body_start = pos
            continue
        if by := _BY.match(line):
            header.author = header.author or by["author"].strip()
            header.body_start = pos
            continue
        if _PROSE.match(line) and len(line.split()) >= 8:
            break
        if _DATELINE.match(line) and (day := _first_day(line)) is not None:
            # "ZURICH, October 10, 2009 –": a dateline on its own line
            header.published = header.published or day
            header.body_start = pos
            continue
        if _BREADCRUMB.match(line):
            # "Home section Headline words": the headline usually follows on its own line.
            header.body_start = pos
            continue
        words = line.split()
        if header.title is None and 3 <= len(words) <= 30:
            header.title = line.strip("‘’'\"“” ") if line[:1] in "‘'\"“" and line[-1:] in "’'\"”" else line
        elif header.title is not None and line.strip("‘’'\"“” ") == header.title.strip("‘’'\"“” "):
            pass  # the headline repeated
        elif len(words) > 30:
            break
        header.body_start = pos
        if index == len(lines) - 1:
            break
    if header.body_start >= len(text.rstrip()):
        # Nothing but header-like lines: keep everything as body rather than lose the text.
        header.body_start = 0
    return header
