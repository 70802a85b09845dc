"""Near-duplicate articles: the same story republished by another outlet.

MinHash signatures over word 5-gram shingles, indexed by locality-sensitive hashing
(datasketch), so finding an article's twins costs one LSH query, not a comparison with every
stored article. A Jaccard similarity of 0.7 on shingles keeps republished copies with a
different header, byline or last paragraph together, and keeps apart two stories on the same
talks that share phrases but not sentences.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from typing import Any

import numpy as np
from datasketch import MinHash

from kg.sources.lsh import DiskLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.7
SCHEME = "affine32"  # datasketch 2's default; named so stored signatures stay comparable
_WORD = re.compile(r"\w+")


@cache
def _permutations() -> np.ndarray:
    """The hash permutations, the same for every signature (seed 1): computed once, read-only.
    Drawing them anew for each article cost more than hashing the article itself."""
    permutations = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations
    permutations.flags.writeable = False
    return permutations


def signature(text: str) -> MinHash:
    """The MinHash of the text's word 5-grams (lower-cased, punctuation ignored)."""
    words = _WORD.findall(text.lower())
    sig = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations())
    grams = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    sig.update_batch([g.encode("utf-8") for g in grams])
    return sig


def encode_signature(sig: MinHash) -> str:
    """A compact literal to keep the signature in the store, for twins ingested later."""
    return base64.b64encode(sig.hashvalues.astype("<u4").tobytes()).decode("ascii")


def decode_signature(text: str) -> MinHash:
    values = np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)
    return MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=SCHEME, permutations=_permutations())


class DuplicateIndex:
    """Articles seen so far (stored or in this run), by identifier, each with a little metadata.

    Kept on disk (`kg.sources.lsh`): it is the one part of an ingest that grows with the
    corpus, so memory stays flat however many articles were seen. `close()` removes it.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = DiskLSH(threshold, NUM_PERM)

    def twins(self, identifier: str, sig: MinHash) -> list[str]:
        """Identifiers of earlier articles whose estimated similarity reaches the threshold."""
        return sorted(
            other for other, values in self._lsh.candidates(sig.hashvalues)
            if other != identifier and np.count_nonzero(values == sig.hashvalues) / NUM_PERM >= self.threshold
        )

    def signature_of(self, identifier: str) -> MinHash:
        """The stored signature of an article seen before, as a MinHash."""
        return MinHash(num_perm=NUM_PERM, hashvalues=self._lsh.signature(identifier), scheme=SCHEME,
                       permutations=_permutations())

    def add(self, identifier: str, sig: MinHash, meta: Any = None) -> None:
        """Index an article (again: its previous signature is replaced), with JSON metadata."""
        self._lsh.insert(identifier, sig.hashvalues, meta)

    def meta(self, identifier: str) -> Any:
        """The metadata an article was added with; None for one never added."""
        return self._lsh.meta(identifier)

    def set_meta(self, identifier: str, meta: Any) -> None:
        self._lsh.set_meta(identifier, meta)

    def close(self) -> None:
        self._lsh.close()
