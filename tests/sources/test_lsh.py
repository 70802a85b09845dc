"""The on-disk near-duplicate index finds what datasketch's in-memory LSH finds, and cleans up."""

import random
from pathlib import Path

from datasketch import MinHashLSH

from kg.sources.dedup import NUM_PERM, THRESHOLD, signature
from kg.sources.lsh import DiskLSH

WORDS = ("talks ceasefire mediator delegation hostages release agreement officials said minister "
         "capital border truce envoy proposal statement week round sides guarantees aid").split()


def _texts(seed: int, n: int) -> dict[str, str]:
    """Stories, and for some of them copies with a word or a sentence changed."""
    rng = random.Random(seed)
    texts: dict[str, str] = {}
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 120))]
        texts[f"a{i}"] = " ".join(words)
        if rng.random() < 0.4:
            copy = words[:]
            for _ in range(rng.randint(0, 6)):
                copy[rng.randrange(len(copy))] = rng.choice(WORDS)
            texts[f"a{i}-copy"] = " ".join(copy + ["Reuters"] * rng.randint(0, 3))
    return texts


def test_the_same_candidates_as_datasketch():
    texts = _texts(1, 150)
    reference = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    index = DiskLSH(THRESHOLD, NUM_PERM)
    try:
        found_pairs = 0
        for name, text in texts.items():
            sig = signature(text)
            expected = set(reference.query(sig))
            found = {other for other, _ in index.candidates(sig.hashvalues)}
            assert found == expected, name
            found_pairs += len(found)
            reference.insert(name, sig)
            index.insert(name, sig.hashvalues, {"title": name})
        assert found_pairs > 20  # the copies were found
        assert index.meta("a0") == {"title": "a0"} and index.meta("nowhere") is None
        assert (index.signature("a0") == signature(texts["a0"]).hashvalues).all()
    finally:
        index.close()


def test_reindexing_replaces_and_close_removes_the_file():
    index = DiskLSH(THRESHOLD, NUM_PERM)
    first, second = signature("one two three four five six seven"), signature("eight nine ten eleven twelve x y")
    index.insert("a", first.hashvalues)
    index.insert("a", second.hashvalues, {"n": 2})
    assert len(index) == 1 and index.meta("a") == {"n": 2}
    assert [name for name, _ in index.candidates(first.hashvalues)] == []
    assert [name for name, _ in index.candidates(second.hashvalues)] == ["a"]
    folder = Path(index._folder)
    index.close()
    assert not folder.exists()
