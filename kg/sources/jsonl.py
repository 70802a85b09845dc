"""JSON Lines: one article a line, `{"id", "text", "title", "published", "url", "outlet", "author"}`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kg.sources.article import Article, Skipped

STRING_FIELDS = ("title", "url", "outlet", "author")


def read_jsonl(path: Path) -> Iterator[Article | Skipped]:
    """Each good line as an Article; each bad line as a Skipped naming the file and line."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skipped(where, f"not valid JSON ({exc.msg})")
                continue
            if not isinstance(record, dict):
                yield Skipped(where, "not a JSON object")
                continue
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield Skipped(where, "no 'text'")
                continue
            identifier = record.get("id")
            identifier = str(identifier) if identifier not in (None, "") else f"{path.name}:{line_no}"
            fields: dict[str, str | None] = {}
            for key in STRING_FIELDS:
                value = record.get(key)
                fields[key] = value.strip() or None if isinstance(value, str) else None
            published = None
            raw = record.get("published")
            if isinstance(raw, str) and raw.strip():
                try:
                    published = date.fromisoformat(raw.strip()[:10])
                except ValueError:
                    published = None
            yield Article(identifier=identifier, text=text, published=published, source=where, **fields)
