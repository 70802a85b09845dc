"""Readers: from files, folders and JSON Lines to Articles, with a reason for everything skipped."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.sources.article import Article, Skipped
from kg.sources.detect import detect_kind
from kg.sources.feed import read_feed
from kg.sources.html import read_html_file
from kg.sources.jsonl import read_jsonl
from kg.sources.manifest import MANIFEST_NAME, ManifestEntry, ManifestError, read_manifest
from kg.sources.text import read_text_header

__all__ = ["Article", "Skipped", "read_paths", "read_text_file"]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})


def _decode(data: bytes) -> str | None:
    """UTF-8 first (with or without BOM); cp1252 as the usual fallback of scraped pages."""
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_text_file(path: Path, manifest: ManifestEntry | None = None) -> Article | Skipped:
    """A `.txt` article: header read off the text, then the manifest's values on top."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(str(path), f"cannot read: {exc.strerror or exc}")
    text = _decode(data)
    if text is None:
        return Skipped(str(path), "binary file, not text")
    if not text.strip():
        return Skipped(str(path), "empty file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = read_text_header(text)
    article = Article(
        identifier=path.name,
        text=text[header.body_start:],
        title=header.title,
        published=header.published,
        outlet=header.outlet,
        author=header.author,
        source=str(path),
    )
    if manifest is not None:
        article.published = manifest.published or article.published
        article.outlet = manifest.outlet or article.outlet
        article.url = manifest.url or article.url
        article.title = manifest.title or article.title
        article.author = manifest.author or article.author
    return article


def _walk(folder: Path) -> Iterator[Path]:
    """Files under a folder in a stable order, following no symlinked folder twice."""
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        stat = os.stat(root)
        key = (stat.st_dev, stat.st_ino)
        if key in seen:
            dirs[:] = []
            continue
        seen.add(key)
        dirs.sort()
        for name in sorted(files):
            yield Path(root) / name


def read_paths(paths: Iterable[Path]) -> Iterator[Article | Skipped]:
    """Every article under the given files and folders, in a deterministic order."""
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    for given in paths:
        if not given.exists():
            yield Skipped(str(given), "no such file or folder")
            continue
        files = list(_walk(given)) if given.is_dir() else [given]
        for path in files:
            folder = path.parent
            if folder not in manifests:
                manifests[folder] = {}
                candidate = folder / MANIFEST_NAME
                if candidate.is_file():
                    try:
                        entries, problems = read_manifest(candidate)
                    except ManifestError as exc:
                        yield Skipped(str(candidate), str(exc).split(": ", 1)[-1])
                        entries, problems = {}, []
                    manifests[folder] = entries
                    for problem in problems:
                        where, _, reason = problem.partition(": ")
                        yield Skipped(where, reason)
            suffix = path.suffix.lower()
            if path.name == MANIFEST_NAME:
                continue
            kind = detect_kind(path)  # by content as well as extension: see kg/sources/detect.py
            if kind == "text":
                yield read_text_file(path, manifests[folder].get(path.name))
            elif kind == "html":
                yield read_html_file(path, manifests[folder].get(path.name))
            elif kind == "feed":
                yield from read_feed(path, manifests[folder].get(path.name))
            elif kind == "jsonl":
                try:
                    yield from read_jsonl(path)
                except OSError as exc:
                    yield Skipped(str(path), f"cannot read: {exc.strerror or exc}")
            else:
                yield Skipped(str(path), f"unsupported file type '{suffix or path.name}'", failed=False)
