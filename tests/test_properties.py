"""Properties that must hold for any input: date normalisation and the readers never raise, and
what they return is well formed (exact offsets, ISO values at their granularity, an Article or a
Skipped for every input)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.nlp.dates import TimeExpression, tag_dates
from kg.sources import Article, Skipped, read_paths, read_text_file
from kg.sources.encoding import decode_bytes
from kg.sources.jsonl import read_jsonl
from kg.sources.manifest import ManifestError, read_manifest
from kg.sources.text import read_text_header

# KG_HYPOTHESIS_EXAMPLES=5000 for a longer hunt than CI's
EXAMPLES = int(os.environ.get("KG_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words the date tagger reacts to, so that random text is full of near-misses and real dates.
DATE_WORDS = [
    "January", "Feb", "March", "May", "Sept.", "December", "Monday", "Friday", "Sunday", "yesterday", "today",
    "tomorrow", "last", "next", "this", "week", "weekend", "month", "year", "years", "decade", "ago", "since",
    "between", "and", "from", "to", "until", "early", "mid-", "late", "the", "beginning", "end", "of", "in",
    "on", "will", "said", "recent", "coming", "past", "few", "two", "three", "spring", "winter", "1990s",
    "2023", "2024", "1999", "2100", "1", "24", "31st", "29", "2023-09-28", "28/09/2023", "09.2023", "-", "–",
    ",", ".", ";", "“", "”", "\n", "Good", "the Sunday Times", "2", "people", "%", "$",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(DATE_WORDS), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=5)), max_size=40).map("".join),
)
anchors = st.one_of(st.none(), st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)))
ISO = {"day": re.compile(r"\d{4}-\d{2}-\d{2}"), "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
       "year": re.compile(r"\d{4}")}


def well_formed(value: str, granularity: str) -> bool:
    if not ISO[granularity].fullmatch(value):
        return False
    if granularity == "day":
        date.fromisoformat(value)  # a real calendar day, never a 30 February
    return True


def check_expressions(text: str, found: list[TimeExpression]) -> None:
    previous_end = 0
    for expr in found:
        assert 0 <= expr.start < expr.end <= len(text)
        assert text[expr.start:expr.end] == expr.text
        assert expr.start >= previous_end  # in order, never overlapping
        previous_end = expr.end
        assert expr.kind in ("absolute", "relative", "span", "since", "vague")
        assert (expr.value is None) == (expr.granularity is None)
        if expr.value is not None:
            assert well_formed(expr.value, expr.granularity), expr
        if expr.end_value is not None:
            assert any(well_formed(expr.end_value, g) for g in ISO if ISO[g].fullmatch(expr.end_value)), expr


@SETTINGS
@given(texts, anchors)
def test_tag_dates_offsets_exact_values_iso_never_raises(text, anchor):
    check_expressions(text, tag_dates(text, anchor))


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
@example(date(1, 1, 1))
@example(date(9999, 12, 31))
@example(date(9998, 12, 31))
def test_tag_dates_at_the_ends_of_the_calendar(anchor):
    """An anchor from a bad `published` field (year 1, year 9999) must not make the tagger raise."""
    text = ("Talks were held last week, next month, on Monday, in December, two years ago, this weekend, "
            "yesterday, since March, between November 24 and December 1, and in the coming weeks.")
    check_expressions(text, tag_dates(text, anchor))


@SETTINGS
@given(texts)
def test_text_header_never_raises_and_body_start_is_an_offset(text):
    header = read_text_header(text)
    assert 0 <= header.body_start <= len(text)
    for value in (header.title, header.outlet, header.author):
        assert value is None or isinstance(value, str)
    assert header.published is None or isinstance(header.published, date)


def _one_file(name: str, data: bytes) -> tuple[tempfile.TemporaryDirectory, Path]:
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name) / name
    path.write_bytes(data)
    return folder, path


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "title", "published", "url", "outlet", "author", "x"]), inner, max_size=6),
    max_leaves=12,
)
jsonl_bytes = st.one_of(
    st.binary(max_size=600),
    st.lists(json_like.map(json.dumps), max_size=6).map(lambda ls: "\n".join(ls).encode()),
    st.lists(st.text(max_size=60), max_size=6).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
)


@SETTINGS
@given(jsonl_bytes)
def test_jsonl_reader_gives_an_article_or_a_skipped_for_every_line(data):
    folder, path = _one_file("feed.jsonl", data)
    with folder:
        items = list(read_jsonl(path, max_bytes=10_000))
        assert all(isinstance(i, Article | Skipped) for i in items)
        for item in items:
            if isinstance(item, Article):
                assert item.text.strip() and item.identifier
                item.text.encode("utf-8")  # writable: no lone surrogate survives
                item.identifier.encode("utf-8")


@SETTINGS
@given(st.one_of(st.binary(max_size=800), st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_text_reader_gives_an_article_or_a_skipped(data):
    folder, path = _one_file("a.txt", data)
    with folder:
        item = read_text_file(path)
        assert isinstance(item, Article | Skipped)
        if isinstance(item, Article):
            assert item.text.strip() and (item.published is None or isinstance(item.published, date))
        text, problem = decode_bytes(data)
        assert (text is None) != (problem is None)


manifest_rows = st.lists(
    st.tuples(st.sampled_from(["a.txt", "b.txt", "../a.txt", "/etc/passwd", "", ".", "..", "a,b.txt", "sub/a.txt"])
              | st.text(max_size=12),
              st.sampled_from(["2024-01-02", "2024-02-30", "yesterday", "", "20240102"]) | st.text(max_size=12),
              st.text(max_size=10), st.text(max_size=10), st.text(max_size=10)),
    max_size=6,
)


@SETTINGS
@given(st.one_of(
    st.binary(max_size=400),
    manifest_rows.map(lambda rows: ("file,published,outlet,url,title\n" + "\n".join(
        ",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)).encode("utf-8", "surrogatepass")),
))
def test_manifest_never_raises_beyond_its_own_error_and_read_paths_never_raises(data):
    folder = tempfile.TemporaryDirectory()
    with folder:
        root = Path(folder.name)
        (root / "a.txt").write_text("Norway facilitated talks between Colombia and the FARC in Havana on Monday.\n")
        (root / "manifest.csv").write_bytes(data)
        try:
            entries, problems = read_manifest(root / "manifest.csv")
            assert all(isinstance(p, str) for p in problems)
            assert set(entries) <= {"a.txt", "manifest.csv"}  # only files that are there
        except ManifestError:
            pass
        items = list(read_paths([root]))
        assert all(isinstance(i, Article | Skipped) for i in items)
        assert [i.identifier for i in items if isinstance(i, Article)] == ["a.txt"]
