"""Saved HTML pages: the article's main text and metadata, without menus, footers or comments.

trafilatura finds the main text and reads the page's metadata (title, site name, author,
canonical URL); htmldate reads the publication date from the page's markup only
(`extensive_search=False`): its extensive search guesses from any date in the text, and a wrong
publication date would shift every "yesterday" and "in July" the article holds. The extracted
text then goes through the same header rules as a `.txt` article, so a headline or a
"Published: …" line that trafilatura kept is read off rather than becoming evidence, and a page
and its plain-text twin give the same events. The manifest of the page's folder still has the
last word.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

from kg.sources.article import Article, Skipped
from kg.sources.encoding import decode_bytes
from kg.sources.manifest import ManifestEntry
from kg.sources.text import read_text_header

# trafilatura and htmldate log their doubts about a page; with no handler of their own Python
# would print those on stderr between the command's lines. The reader reports what matters.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


MIN_WORDS = 5  # fewer words than this is a broken page or an empty shell, not an article
_WORD = re.compile(r"[^\W\d_]{2,}")


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _published(page: str) -> date | None:
    """The publication date the page's markup states, or None: never one guessed from the text."""
    from htmldate import find_date

    try:
        found = find_date(page, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - htmldate fails in many ways on broken pages; no date then
        return None
    if not found:
        return None
    try:
        return date.fromisoformat(found[:10])
    except ValueError:
        return None


def read_html(page: str, identifier: str, source: str) -> Article | Skipped:
    """An Article from the HTML text of one page; Skipped with the reason when none can be read."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                          include_tables=False)
    except Exception as exc:  # noqa: BLE001 - lxml and trafilatura raise many types on bad markup
        return Skipped(source, f"malformed HTML ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})")
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(_WORD.findall(text)) < MIN_WORDS:
        return Skipped(source, "malformed HTML or no article text found in the page")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = read_text_header(text)
    return Article(
        identifier=identifier,
        text=text[header.body_start:],
        title=_clean(doc.title) or header.title,
        published=_published(page) or header.published,
        outlet=_clean(doc.sitename) or header.outlet,
        author=_clean(doc.author) or header.author,
        url=_clean(doc.url),
        source=source,
    )


def read_html_file(path: Path, manifest: ManifestEntry | None = None) -> Article | Skipped:
    """A saved page as an Article named by its file name, the manifest's values on top."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(str(path), f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return Skipped(str(path), "empty file")
    if b"\x00" in data[:4096]:
        return Skipped(str(path), "binary file, not HTML")
    page, problem = decode_bytes(data)  # UTF-8, cp1252, or charset-normalizer's guess (kg/sources/encoding.py)
    if page is None:
        return Skipped(str(path), f"{problem or 'not text'}, not HTML")
    article = read_html(page, path.name, str(path))
    if isinstance(article, Article) and manifest is not None:
        manifest.apply_to(article)
    return article
