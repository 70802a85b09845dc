"""RSS and Atom feed files: one article per item that carries text.

feedparser reads RSS 0.9x–2.0, RSS 1.0 (RDF) and Atom alike, and tolerates the broken XML that
real feeds serve. An item's text is its full content where the feed gives it, else its summary,
with the markup turned into text (paragraphs kept as lines, so sentences do not run together).

Identity: an item's `identifier` (its `schema:identifier`) is the feed file's name, `#`, and the
item's id (Atom `<id>`, RSS `<guid>`), else its link, else its position in the file from 1 —
`world.rss#https://example.org/2024/talks`. It is stable as long as the feed keeps the item, so
re-ingesting a refreshed copy of the feed replaces each item's graph rather than adding one.

A `manifest.csv` row for the feed file supplies or overrides the outlet and author of every item
(the other columns describe one article, and a feed holds many).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from kg.sources.article import Article, Skipped
from kg.sources.manifest import ManifestEntry

_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                     "tr", "table", "section", "article", "pre", "hr", "figure", "figcaption", "dd", "dt"})
_SKIP = frozenset({"script", "style", "template", "noscript"})
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


class _TextOf(HTMLParser):
    """Visible text of an HTML fragment, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: paragraphs as lines, runs of spaces as one."""
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _item_text(entry) -> str:
    """The item's fullest text: the longest content block, else the summary, as plain text."""
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []]
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], detail.get("type") or "text/html"))
    texts = []
    for value, kind in candidates:
        text = value.strip() if kind == "text/plain" else html_to_text(value)
        if text:
            texts.append(text)
    return max(texts, key=len) if texts else ""


def _date_of(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except (AttributeError, ValueError):
                continue
    return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(html_to_text(value).split())
    return value or None


def read_feed(path: Path, manifest: ManifestEntry | None = None) -> Iterator[Article | Skipped]:
    """Each item with text as an Article; an item without text, or a feed that cannot be read at
    all, as a Skipped naming it."""
    import feedparser

    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(str(path), f"cannot read: {exc.strerror or exc}")
        return
    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser is lenient, but a parser bug must not stop a batch
        yield Skipped(str(path), f"not a readable feed ({type(exc).__name__})")
        return
    if not parsed.entries:
        if parsed.get("bozo"):
            problem = " ".join(str(parsed.get("bozo_exception") or "malformed XML").split())[:120]
            yield Skipped(str(path), f"not a readable feed ({problem})")
        else:
            yield Skipped(str(path), "feed has no items", failed=False)
        return
    outlet = _clean(parsed.feed.get("title"))
    for position, entry in enumerate(parsed.entries, start=1):
        item_id = (entry.get("id") or entry.get("link") or str(position)).strip()
        identifier = f"{path.name}#{item_id}"
        source = f"{path}#{item_id}"
        text = _item_text(entry)
        if not text:
            yield Skipped(source, "feed item has no text (no content or summary)", failed=False)
            continue
        author = _clean(entry.get("author"))
        yield Article(
            identifier=identifier,
            text=text,
            title=_clean(entry.get("title")),
            published=_date_of(entry),
            outlet=(manifest.outlet if manifest else None) or outlet,
            author=(manifest.author if manifest else None) or author,
            url=_clean(entry.get("link")),
            source=source,
        )
