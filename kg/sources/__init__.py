"""Readers: from files, folders and JSON Lines to Articles, with a reason for everything skipped."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.sources.article import Article, Skipped
from kg.sources.detect import detect_kind
from kg.sources.encoding import decode_bytes
from kg.sources.feed import read_feed
from kg.sources.html import read_html_file
from kg.sources.jsonl import read_jsonl
from kg.sources.manifest import MANIFEST_NAME, ManifestEntry, ManifestError, read_manifest
from kg.sources.text import read_text_header

__all__ = ["DEFAULT_MAX_BYTES", "Article", "Skipped", "read_paths", "read_text_file"]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# The largest article file (or JSON Lines record) read: a bigger one is refused with a line, not
# read. Why: a 20 MB text is already some 3 million words, no news article; a 50 MB file is a
# dump or a mistake, and reading it whole would hold it, its tokens and its graph in memory.
DEFAULT_MAX_BYTES = 20_000_000


def read_text_file(path: Path, manifest: ManifestEntry | None = None) -> Article | Skipped:
    """A `.txt` article: header read off the text, then the manifest's values on top."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(str(path), f"cannot read: {exc.strerror or exc}")
    text, problem = decode_bytes(data)
    if text is None:
        return Skipped(str(path), problem or "binary file, not text")
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
        manifest.apply_to(article)
    return article


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """Files under a folder in a stable order, following no symlinked folder twice.

    A symbolic link (to a file or a folder) whose target lies outside the folder is refused with
    a line: a folder handed to `kg ingest` must not pull in files from elsewhere (`/etc`, a home
    directory) because someone left a link in it. A path the user names is read wherever it lies.
    """
    seen: set[tuple[int, int]] = set()
    top = folder.resolve()

    def outside(path: Path) -> Skipped | None:
        if not path.is_symlink():
            return None
        target = path.resolve()
        if target == top or target.is_relative_to(top):
            return None
        return Skipped(str(path), f"symbolic link to {target}, outside {folder}; not followed")

    for root, dirs, files in os.walk(folder, followlinks=True):
        try:
            stat = os.stat(root)
        except OSError as exc:
            yield Skipped(root, f"cannot read: {exc.strerror or exc}")
            dirs[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in seen:
            dirs[:] = []
            yield Skipped(root, "symbolic link to a folder already read (a loop); not read again", failed=False)
            continue
        seen.add(key)
        kept = []
        for name in sorted(dirs):
            refused = outside(Path(root) / name)
            if refused is not None:
                yield refused
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            yield outside(Path(root) / name) or Path(root) / name


def _too_big(path: Path, max_bytes: int | None) -> Skipped | None:
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the reader says why it cannot read the file
    if max_bytes is not None and size > max_bytes:
        return Skipped(str(path), f"{size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes); not read")
    return None


def read_paths(paths: Iterable[Path], max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Article | Skipped]:
    """Every article under the given files and folders, in a deterministic order.

    `max_bytes` bounds one article file, or one JSON Lines record (a JSON Lines file of many
    records may be larger); None reads anything.
    """
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    for given in paths:
        if not given.exists():
            yield Skipped(str(given), "broken symbolic link" if given.is_symlink() else "no such file or folder")
            continue
        files = list(_walk(given)) if given.is_dir() else [given]
        for path in files:
            if isinstance(path, Skipped):
                yield path
                continue
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
            if kind in ("text", "html", "feed") and (refused := _too_big(path, max_bytes)) is not None:
                yield refused
                continue
            if kind == "text":
                yield read_text_file(path, manifests[folder].get(path.name))
            elif kind == "html":
                yield read_html_file(path, manifests[folder].get(path.name))
            elif kind == "feed":
                yield from read_feed(path, manifests[folder].get(path.name))
            elif kind == "jsonl":
                try:
                    yield from read_jsonl(path, max_bytes)
                except OSError as exc:
                    yield Skipped(str(path), f"cannot read: {exc.strerror or exc}")
            else:
                yield Skipped(str(path), f"unsupported file type '{suffix or path.name}'", failed=False)
