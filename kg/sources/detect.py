"""Which reader a file needs: by its content first, by its extension as the tie-breaker.

Analysts' folders mix saved pages, feed files and text, and names lie: a "Save as text" that
kept the markup, an `.xml` that is an RSS feed, a download with no extension at all. The first
KB of the file decides where it is unambiguous (`<html` or `<!doctype html` → HTML; `<rss`,
`<feed` or `<rdf:RDF` → feed; lines opening with `{` → JSON Lines); otherwise the extension does.
A `.txt` is read as text unless its content says HTML, a feed or JSON Lines; a file with another
extension (`.xml`, `.php`, none) is read only when its content says what it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

Kind = Literal["text", "html", "feed", "jsonl"]

SNIFF_BYTES = 1024
TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".rdf"})

_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_FEED = re.compile(rb"<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]", re.IGNORECASE)
_JSON_LINE = re.compile(rb'^\s*\{\s*("|\})')


def sniff(head: bytes) -> Kind | None:
    """The kind the first bytes of a file show, or None when they show none clearly.

    Whichever marker comes first wins, so an HTML page that mentions `<feed` in a script and a
    feed whose items carry escaped `<html>` are both read as what they are.
    """
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    html, feed = _HTML.search(head), _FEED.search(head)
    if html and (not feed or html.start() < feed.start()):
        return "html"
    if feed:
        return "feed"
    if _JSON_LINE.match(head):
        lines = [line for line in head.splitlines() if line.strip()]
        # every complete line (the last may be cut at the sniff limit) opens an object
        if all(line.lstrip().startswith(b"{") for line in lines[:-1] or lines):
            return "jsonl"
    return None


def _by_suffix(suffix: str) -> Kind | None:
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    return None


def detect_kind(path: Path) -> Kind | None:
    """The reader for `path`, or None for a file no reader takes (reported as unsupported)."""
    by_suffix = _by_suffix(path.suffix.lower())
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return by_suffix  # the reader of the extension's kind reports why the file cannot be read
    if b"\x00" in head:
        return by_suffix  # binary: the reader says so, in its own terms
    found = sniff(head)
    if by_suffix == "jsonl":
        return "jsonl"  # a bad line is reported by its line number, not the whole file refused
    if by_suffix == "text":
        return found or "text"
    if by_suffix in ("html", "feed"):
        return found if found in ("html", "feed") else by_suffix
    # .xml, .php, no extension…: read only when the content says what it is
    return found
