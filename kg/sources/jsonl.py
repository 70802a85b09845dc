"""JSON Lines: one article a line, `{"id", "text", "title", "published", "url", "outlet", "author"}`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kg.sources.article import Article, Skipped

STRING_FIELDS = ("title", "url", "outlet", "author")


def _clean(value: str) -> str:
    """A string JSON may hold but UTF-8 cannot (a lone surrogate, "\\ud800"), made writable."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def read_jsonl(path: Path, max_bytes: int | None = None) -> Iterator[Article | Skipped]:
    """Each good line as an Article; each bad line as a Skipped naming the file and line.

    A field of the wrong type (a number for `published`, a list for `outlet`) is dropped, and the
    article keeps a note saying so (printed by `kg ingest`); only a missing `text` loses the record.
    """
    with path.open("rb") as handle:
        for line_no, raw_line in enumerate(handle, start=1):
            if not raw_line.strip():
                continue
            where = f"{path}:{line_no}"
            if max_bytes is not None and len(raw_line) > max_bytes:
                yield Skipped(where, f"record of {len(raw_line):,} bytes, over the {max_bytes:,}-byte limit "
                                     "(--max-bytes); not read")
                continue
            line = raw_line.decode("utf-8", errors="replace")
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skipped(where, f"not valid JSON ({exc.msg}, column {exc.colno})")
                continue
            except (ValueError, RecursionError) as exc:  # a 5,000-digit number, arrays nested 10^5 deep
                yield Skipped(where, f"not valid JSON ({type(exc).__name__})")
                continue
            if not isinstance(record, dict):
                yield Skipped(where, "not a JSON object")
                continue
            text = record.get("text")
            if text is not None and not isinstance(text, str):
                yield Skipped(where, f"'text' is not a string ({type(text).__name__})")
                continue
            if not isinstance(text, str) or not text.strip():
                yield Skipped(where, "no 'text'")
                continue
            notes: list[str] = []
            identifier = record.get("id")
            if isinstance(identifier, bool) or not isinstance(identifier, str | int | float | None):
                notes.append(f"'id' is not a string or number ({type(identifier).__name__}); the line number is used")
                identifier = None
            identifier = _clean(str(identifier)) if identifier not in (None, "") else f"{path.name}:{line_no}"
            fields: dict[str, str | None] = {}
            for key in STRING_FIELDS:
                value = record.get(key)
                if value is not None and not isinstance(value, str):
                    notes.append(f"'{key}' is not a string ({type(value).__name__}); ignored")
                fields[key] = _clean(value.strip()) or None if isinstance(value, str) else None
            published = None
            raw = record.get("published")
            if isinstance(raw, str) and raw.strip():
                try:
                    published = date.fromisoformat(raw.strip()[:10])
                except ValueError:
                    notes.append(f"'published' is not a date ({raw.strip()[:40]!r}, want YYYY-MM-DD); ignored")
            elif raw is not None and not isinstance(raw, str):
                notes.append(f"'published' is not a YYYY-MM-DD string ({type(raw).__name__}); ignored")
            yield Article(identifier=identifier, text=_clean(text), published=published, source=where, notes=notes,
                          **fields)
