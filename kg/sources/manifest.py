"""`manifest.csv`: per-file metadata that supplies or overrides what a text shows of itself."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.sources.article import Article

MANIFEST_NAME = "manifest.csv"
FIELDS = ("file", "published", "outlet", "url", "title")


class ManifestError(ValueError):
    """The manifest cannot be used at all (unreadable, no `file` column)."""


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None

    def apply_to(self, article: Article) -> None:
        """Supply or override what the file shows of itself; an empty cell changes nothing."""
        article.published = self.published or article.published
        article.outlet = self.outlet or article.outlet
        article.url = self.url or article.url
        article.title = self.title or article.title
        article.author = self.author or article.author


def read_manifest(path: Path) -> tuple[dict[str, ManifestEntry], list[str]]:
    """Entries by file name, and one problem line per row that could not be used.

    A row naming a path outside the folder or a file not in it, or a bad date, is reported and its bad field
    ignored: one faulty row must not stop the other articles.
    """
    problems: list[str] = []
    entries: dict[str, ManifestEntry] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                raise ManifestError(f"{path}: no 'file' column in the header")
            for line_no, row in enumerate(reader, start=2):
                name = (row.get("file") or "").strip()
                if not name:
                    continue
                if Path(name).name != name or name in (".", ".."):
                    problems.append(f"{path}:{line_no}: file '{name}' is not a plain file name; row ignored")
                    continue
                if not (path.parent / name).exists():
                    # a typo or a file not copied: said, so that its metadata is not silently lost
                    problems.append(f"{path}:{line_no}: file '{name}' is not in the folder; row ignored")
                    continue
                published = None
                raw_date = (row.get("published") or "").strip()
                if raw_date:
                    try:
                        published = date.fromisoformat(raw_date)
                    except ValueError:
                        problems.append(f"{path}:{line_no}: bad date '{raw_date}' (want YYYY-MM-DD); ignored")

                def text(key: str, row: dict = row) -> str | None:
                    value = (row.get(key) or "").strip()
                    return value or None

                entries[name] = ManifestEntry(published, text("outlet"), text("url"), text("title"), text("author"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ManifestError(f"{path}: cannot read manifest: {exc}") from exc
    return entries, problems
