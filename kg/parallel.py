"""Extraction fanned out over processes, results handed back in input order.

Extraction (`Pipeline.graph_of`) is a pure function of one article, its twins and its
signature, and it is where an ingest spends its time; everything that depends on the order of
the input (signatures, the twin lookup, metadata shared between twins, writing) stays in the
main process. So the store is the same whatever the number of workers: the workers only turn
jobs into graphs, and the main process consumes the graphs in the order it planned them.

Memory stays flat on a large corpus because jobs are submitted a few chunks ahead of the
writer, never all at once (`Executor.map` would read the whole input before the first result).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kg.sources import Article
from kg.store import ArticleGraph

if TYPE_CHECKING:
    from kg.ingest import Pipeline

T = TypeVar("T")
Result = tuple[ArticleGraph, int] | str   # a graph and its number of event frames, or why it failed

_PIPELINE: Pipeline | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """One call of `Pipeline.graph_of`: the article as the main process prepared it."""

    article: Article
    twins: list[str]
    signature: str


def default_workers() -> int:
    """All the cores this process may use (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract(pipeline: Pipeline, job: Job) -> Result:
    """The job's graph, or a one-line reason: one article's failure must not stop the batch,
    and an exception object may not survive the trip back from a worker."""
    try:
        return pipeline.graph_of(job.article, job.twins, job.signature)
    except Exception as exc:  # noqa: BLE001
        return f"extraction failed ({type(exc).__name__}: {' '.join(str(exc).split())})"


def _init_worker(pipeline: Pipeline) -> None:
    """Runs once per worker: the pipeline (knowledge base, lexicon) is received once, not per job.
    Ctrl-C is the main process's to handle: a worker printing its own traceback would only be noise."""
    global _PIPELINE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _PIPELINE = pipeline


def _extract_chunk(chunk: list[list[Job]]) -> list[list[Result]]:
    assert _PIPELINE is not None, "worker started without its pipeline"
    return [[extract(_PIPELINE, job) for job in jobs] for jobs in chunk]


class Extractor:
    """An ordered map from (tag, jobs) to (tag, results), in this process or over a pool.

    `workers=1` runs every job here, at once, with no pool: the same code path the pool's
    results go through, so one worker and many give the same store.
    """

    def __init__(self, pipeline: Pipeline, workers: int = 1, chunksize: int = 8, ahead: int = 4) -> None:
        self.pipeline = pipeline
        self.workers = max(1, workers)
        self.chunksize = max(1, chunksize)
        self.ahead = max(1, ahead)

    def map(self, items: Iterable[tuple[T, Sequence[Job]]]) -> Iterator[tuple[T, list[Result]]]:
        if self.workers == 1:
            for tag, jobs in items:
                yield tag, [extract(self.pipeline, job) for job in jobs]
            return
        yield from self._map_pool(items)

    def _map_pool(self, items: Iterable[tuple[T, Sequence[Job]]]) -> Iterator[tuple[T, list[Result]]]:
        # fork where there is one: the pipeline is inherited, not pickled, and workers start at once
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        in_flight: deque[tuple[list[T], Future[list[list[Result]]]]] = deque()
        limit = self.workers * self.ahead
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                 initargs=(self.pipeline,)) as pool:
            try:
                tags: list[T] = []
                chunk: list[list[Job]] = []
                for tag, jobs in items:
                    tags.append(tag)
                    chunk.append(list(jobs))
                    if len(chunk) >= self.chunksize:
                        in_flight.append((tags, pool.submit(_extract_chunk, chunk)))
                        tags, chunk = [], []
                        while len(in_flight) >= limit:
                            yield from _done(in_flight.popleft())
                if chunk:
                    in_flight.append((tags, pool.submit(_extract_chunk, chunk)))
                while in_flight:
                    yield from _done(in_flight.popleft())
            finally:
                for _, future in in_flight:
                    future.cancel()


def _done(entry: tuple[list[T], Future[list[list[Result]]]]) -> Iterator[tuple[T, list[Result]]]:
    tags, future = entry
    yield from zip(tags, future.result(), strict=True)


def count_inputs(paths: Iterable[Path]) -> int:
    """About how many articles the paths hold (a JSONL line or a text file each), for a progress
    bar's total and ETA: one quick pass over the bytes, nothing parsed."""
    from kg.sources import JSONL_SUFFIXES, TEXT_SUFFIXES

    def one(path: Path) -> int:
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            return 1
        if suffix in JSONL_SUFFIXES:
            try:
                with path.open("rb") as handle:
                    return sum(1 for line in handle if line.strip())
            except OSError:
                return 0
        return 0

    total = 0
    for path in paths:
        if path.is_dir():
            for root, _dirs, files in os.walk(path):  # no symlinks: an estimate, and no cycles
                total += sum(one(Path(root) / name) for name in files)
        elif path.exists():
            total += one(path)
    return total
