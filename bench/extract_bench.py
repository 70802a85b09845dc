"""Extraction throughput on one core: the seed articles repeated, extraction alone (no store).

    .venv/bin/python bench/extract_bench.py [--repeat 40]

Prints articles/s and words/s for the whole extractor, against a baseline measured in the same
run: tokenising and sentence-splitting the same texts (the floor any rule extractor pays).
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import date
from pathlib import Path

from kg.extract.events import EventExtractor
from kg.ingest import Pipeline
from kg.nlp.tokens import split_sentences, tokenize
from kg.sources import Article, read_paths

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="how many times to run over the seeds")
    args = parser.parse_args()
    articles = [a for a in read_paths([SEEDS]) if isinstance(a, Article)] * args.repeat
    words = sum(len(a.text.split()) for a in articles)

    started = time.perf_counter()
    pipeline = Pipeline.load()
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    for article in articles:
        for sentence in split_sentences(article.text):
            tokenize(sentence.text, sentence.start)
    baseline_s = time.perf_counter() - started

    extractor = EventExtractor(pipeline.kb, pipeline.lexicon)
    started = time.perf_counter()
    frames = sum(len(extractor(article).frames) for article in articles)
    extract_s = time.perf_counter() - started

    print(f"# extraction benchmark, {date.today()}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")
    print(f"knowledge base + lexicon load: {load_s:.2f} s")
    print(f"articles: {len(articles)} ({words:,} words), frames: {frames}")
    for name, seconds in (("tokenise + split (baseline)", baseline_s), ("full extraction", extract_s)):
        print(f"{name:28} {len(articles) / seconds:8.1f} articles/s  {words / seconds:10,.0f} words/s")
    print(f"extraction costs {extract_s / baseline_s:.1f}x the baseline")


if __name__ == "__main__":
    main()
