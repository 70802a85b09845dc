"""The article: the one value that flows from the readers into the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Article:
    """One news article, its text and what is known of where and when it appeared.

    `identifier` is what CONTRACT.md calls `schema:identifier`: the file name for a file, the
    `id` for a JSON Lines record. Offsets of evidence sentences refer to `text`, the body after
    any header lines (masthead, byline, dateline of the page) were read off.
    """

    identifier: str
    text: str
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was not read, and why: reported to the user, never silently dropped."""

    source: str
    reason: str
    failed: bool = True
