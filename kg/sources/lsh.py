"""The near-duplicate index on disk: MinHash signatures banded for LSH, in a temporary SQLite file.

Why: the index of every article seen is the one part of an ingest that grows with the corpus.
datasketch's `MinHashLSH` keeps a Python set for each band bucket, and so an article cost about
5 kB of memory (14 sets, their keys, and the signature): 500 MB at 100,000 articles, measured.
Here the buckets are rows of an indexed SQLite table in a file that lives as long as the
ingest, so what stays in memory is SQLite's page cache, whose size is fixed. A lookup is one
indexed query; candidates are then checked against their stored signatures, as datasketch does.

The banding (14 bands of 9 values for a threshold of 0.7 over 128 values) is the one datasketch
computes for the same threshold, so the same pairs are found. Each band's values hash to one
64-bit key (BLAKE2b); a collision only adds a candidate, which the signature check removes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHashLSH

_SCHEMA = """
CREATE TABLE article (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, signature BLOB NOT NULL, meta TEXT);
CREATE TABLE bucket (key INTEGER NOT NULL, article INTEGER NOT NULL);
CREATE INDEX bucket_key ON bucket (key);
CREATE INDEX bucket_article ON bucket (article);
"""
CACHE_KIB = 16 * 1024  # SQLite's page cache: all the memory the index takes, whatever its size


class DiskLSH:
    """Signatures by article name, each with a little JSON metadata, found by LSH band."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        banding = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.bands, self.rows = banding.b, banding.r
        self._folder = tempfile.mkdtemp(prefix="kg-near-duplicates-")
        self._db = sqlite3.connect(Path(self._folder) / "index.sqlite", isolation_level=None)
        # a scratch file rebuilt by every ingest: no journal, no sync, nothing to recover
        self._db.executescript(f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                               f"PRAGMA cache_size = -{CACHE_KIB}; PRAGMA temp_store = FILE; {_SCHEMA}")
        self._db.execute("BEGIN")  # one transaction for the file's whole life: no commit per insert

    def _keys(self, values: np.ndarray) -> list[int]:
        banded = np.ascontiguousarray(values[: self.bands * self.rows], dtype="<u8").reshape(self.bands, self.rows)
        return [int.from_bytes(hashlib.blake2b(band.tobytes(), digest_size=8).digest(), "little", signed=True)
                for band in banded]

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM article").fetchone()[0]

    def insert(self, name: str, values: np.ndarray, meta: Any = None) -> None:
        """Index (or re-index) an article's signature, with metadata kept beside it."""
        self.remove(name)
        cursor = self._db.execute("INSERT INTO article (name, signature, meta) VALUES (?, ?, ?)",
                                  (name, values.astype("<u4").tobytes(), json.dumps(meta)))
        row = cursor.lastrowid
        self._db.executemany("INSERT INTO bucket (key, article) VALUES (?, ?)",
                             [(key, row) for key in self._keys(values)])

    def remove(self, name: str) -> None:
        found = self._db.execute("SELECT id FROM article WHERE name = ?", (name,)).fetchone()
        if found is not None:
            self._db.execute("DELETE FROM bucket WHERE article = ?", found)
            self._db.execute("DELETE FROM article WHERE id = ?", found)

    def candidates(self, values: np.ndarray) -> Iterable[tuple[str, np.ndarray]]:
        """Articles sharing at least one band with the signature, with their signatures."""
        keys = self._keys(values)
        rows = self._db.execute(
            f"SELECT name, signature FROM article WHERE id IN "
            f"(SELECT article FROM bucket WHERE key IN ({', '.join('?' * len(keys))}))", keys)
        for name, blob in rows:
            yield name, np.frombuffer(blob, dtype="<u4").astype(np.uint64)

    def signature(self, name: str) -> np.ndarray:
        (blob,) = self._db.execute("SELECT signature FROM article WHERE name = ?", (name,)).fetchone()
        return np.frombuffer(blob, dtype="<u4").astype(np.uint64)

    def meta(self, name: str) -> Any:
        """The metadata kept with an article, or None for an article never indexed."""
        found = self._db.execute("SELECT meta FROM article WHERE name = ?", (name,)).fetchone()
        return None if found is None else json.loads(found[0])

    def set_meta(self, name: str, meta: Any) -> None:
        self._db.execute("UPDATE article SET meta = ? WHERE name = ?", (json.dumps(meta), name))

    def close(self) -> None:
        """Drop the index and its file."""
        try:
            self._db.close()
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)
