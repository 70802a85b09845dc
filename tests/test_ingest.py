"""Ingest's memory: what a batch frees goes back to the system."""

import os

from kg.ingest import release_freed_memory


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def test_freed_batch_text_is_given_back():
    """Megabytes of text built and dropped, as a batch's N-Triples are, with a few blocks still
    alive between them: without the trim glibc keeps the freed pages in the process."""
    kept, dropped = [], []
    for i in range(200_000):
        (kept if i % 500 == 0 else dropped).append(("x" * 1000) + str(i))
    del dropped
    before = _rss_mb()
    release_freed_memory()
    assert before - _rss_mb() > 100, (before, _rss_mb())
    assert len(kept) == 400
