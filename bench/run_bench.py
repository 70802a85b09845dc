"""Ingest, query and export at scale, measured on this machine and appended to bench/RESULTS.md.

What is measured, in one run:

- ingest: `kg ingest` of a synthetic corpus (bench/generate_corpus.py, deterministic by seed)
  into a fresh embedded store, with 1 and with 2 workers: articles/s, and the peak resident
  memory of the whole process tree (the main process and its workers, summed, sampled every
  0.1 s from /proc), at 10,000 articles and, with --large, 100,000 (2 workers), which shows
  whether memory stays flat while the input grows tenfold;
- queries: every ```sparql block of README.md on the 10,000-article store (about a million
  triples in its default graph), on the embedded store and on rdflib's memory store loaded
  from the same triples, median of 5 runs (rdflib: 3), and the ratio;
- export: `kg export` as Turtle (the resolved graph) and N-Quads (the whole dataset).

Each figure is printed next to the previous row of RESULTS.md. Targets from issue #7: ingest
≥ 200 articles/s with 2 workers; README queries each < 50 ms embedded and ≥ 20× faster than
rdflib. Not a test: no assertion, run by hand:

    .venv/bin/python bench/run_bench.py [--articles 10000] [--large] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SPARQL_BLOCK = re.compile(r"```sparql\n(.*?)```", re.DOTALL)
COLUMNS = ["date", "machine", "articles", "ingest 1w (art/s)", "ingest 2w (art/s)", "peak RSS 1w/2w (MB)",
           "100k ingest 2w (art/s, peak MB)", "triples (default graph)", "README queries embedded (ms)",
           "rdflib (ms)", "speed-up", "export ttl / nq (s)"]


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Seconds, peak tree RSS (MB) and stdout of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {err.strip()[-500:]}")
    return seconds, peak // 1024, out


def ingest(corpus: Path, store: Path, workers: int) -> tuple[float, int, int]:
    """(articles/s, peak MB, articles read) of `kg ingest` into a fresh store."""
    shutil.rmtree(store, ignore_errors=True)  # a store left by an earlier run would skip every article
    seconds, peak, out = run_measured([sys.executable, "-m", "kg", "--store", str(store), "ingest", str(corpus),
                                       "-q", "--workers", str(workers)])
    read = int(re.search(r"(\d+) article\(s\) read", out).group(1))  # type: ignore[union-attr]
    print(f"  ingest {read:,} articles, {workers} worker(s): {seconds:.1f} s, {read / seconds:.1f} articles/s, "
          f"peak {peak} MB ({out.strip().splitlines()[-1]})")
    return read / seconds, peak, read


def timed(function, runs: int, enough_ms: float = 10_000) -> float:
    """Median wall time of `runs` calls, in ms; a call slower than `enough_ms` is not repeated
    (rdflib takes about a minute on the first README query)."""
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
        if times[-1] > enough_ms:
            break
    return statistics.median(times)


def queries_and_export(store_dir: Path) -> dict[str, object]:
    from rdflib import Dataset

    from kg.export import export_graph
    from kg.store import OxigraphStore

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    queries = SPARQL_BLOCK.findall(readme)
    store = OxigraphStore(str(store_dir))
    try:
        triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
        started = time.perf_counter()
        turtle = export_graph(store, "turtle")
        export_ttl = time.perf_counter() - started
        started = time.perf_counter()
        export_graph(store, "nquads")
        export_nq = time.perf_counter() - started
        ntriples = export_graph(store, "ntriples")
        embedded = [timed(lambda q=q: list(store.query(q)), 5) for q in queries]
        rows = [len(list(store.query(q))) for q in queries]  # a query that finds nothing measures little
    finally:
        store.close()
    print(f"  {triples:,} triples in the default graph; export Turtle {export_ttl:.1f} s "
          f"({len(turtle) / 1e6:.0f} MB), N-Quads {export_nq:.1f} s")
    started = time.perf_counter()
    dataset = Dataset()  # the default graph only: the README queries read nothing else
    dataset.parse(data=ntriples, format="nt")
    print(f"  rdflib: loaded {len(dataset):,} triples in {time.perf_counter() - started:.0f} s")
    memory = [timed(lambda q=q: list(dataset.query(q)), 3) for q in queries]
    for i, (a, b) in enumerate(zip(embedded, memory, strict=True), start=1):
        print(f"  README query {i} ({rows[i - 1]} rows): embedded {a:.1f} ms, rdflib {b:.0f} ms, {b / a:.0f}x")
    return {"triples": triples, "embedded": embedded, "rdflib": memory, "export": (export_ttl, export_nq)}


def machine() -> str:
    return (f"{os.cpu_count()} CPU, Python {platform.python_version()}, pyoxigraph {ox.__version__}, "
            f"{platform.machine()}")


def previous_row() -> dict[str, str] | None:
    if not RESULTS.exists():
        return None
    rows = [line for line in RESULTS.read_text(encoding="utf-8").splitlines()
            if line.startswith("| 20")]
    if not rows:
        return None
    cells = [c.strip() for c in rows[-1].strip("|").split("|")]
    return dict(zip(COLUMNS, cells, strict=False))


def append_row(cells: list[str]) -> None:
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by `bench/run_bench.py`, one row a run.\n\n", "utf-8")
    text = RESULTS.read_text(encoding="utf-8")
    header = "| " + " | ".join(COLUMNS) + " |"
    if header not in text:
        text += "\n" + header + "\n|" + "---|" * len(COLUMNS) + "\n"
    RESULTS.write_text(text + "| " + " | ".join(cells) + " |\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--large", action="store_true", help="also ingest 100,000 articles (2 workers)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="folder for corpora and stores (default: a temp)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from generate_corpus import main as generate

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{dt.date.today()} on {machine()}; work in {work}")
    corpus = work / f"corpus-{args.articles}.jsonl"
    if not corpus.exists():
        generate(["-n", str(args.articles), "--seed", str(args.seed), "-o", str(corpus)])
    rate1, peak1, _ = ingest(corpus, work / "store-1w", 1)
    rate2, peak2, _ = ingest(corpus, work / "store-2w", 2)
    large = "not run"
    if args.large:
        big = work / "corpus-100000.jsonl"
        if not big.exists():
            generate(["-n", "100000", "--seed", str(args.seed), "-o", str(big)])
        rate_big, peak_big, _ = ingest(big, work / "store-100k", 2)
        large = f"{rate_big:.0f}, {peak_big}"
    figures = queries_and_export(work / "store-2w")
    embedded, memory = figures["embedded"], figures["rdflib"]
    ratios = [b / a for a, b in zip(embedded, memory, strict=True)]  # type: ignore[call-overload]
    cells = [
        dt.datetime.now().strftime("%Y-%m-%d %H:%M"), machine(), f"{args.articles:,}",
        f"{rate1:.0f}", f"{rate2:.0f}", f"{peak1} / {peak2}", large, f"{figures['triples']:,}",
        " / ".join(f"{t:.0f}" for t in embedded), " / ".join(f"{t:.0f}" for t in memory),  # type: ignore[attr-defined]
        " / ".join(f"{r:.0f}x" for r in ratios), " / ".join(f"{t:.1f}" for t in figures["export"]),  # type: ignore[attr-defined]
    ]
    before = previous_row()
    print("\nfigure: this run (previous row)")
    for name, value in zip(COLUMNS, cells, strict=True):
        print(f"  {name}: {value}" + (f"   ({before.get(name, '-')})" if before else ""))
    append_row(cells)
    print(f"\nappended to {RESULTS.relative_to(ROOT)}")
    print(json.dumps({"targets": {"ingest 2w >= 200 art/s": rate2 >= 200,
                                  "README queries < 50 ms": all(t < 50 for t in embedded),  # type: ignore[attr-defined]
                                  "speed-up >= 20x": all(r >= 20 for r in ratios)}}))


if __name__ == "__main__":
    main()
