"""Faults: a SIGKILL mid-ingest, a read-only store, a full disk, two processes on one store.

What must hold: the store opens after a kill, every article graph in it is whole (the batch it
came in was one transaction), and ingesting again gives exactly the store an uninterrupted run
gives; every refusal is one line on stderr and a non-zero exit, never a traceback.

Tests run as root here, and root ignores file modes. The read-only case therefore runs `kg` with
the capabilities that let root do so (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) dropped
from its bounding set (prctl, before exec), so a 0o555 folder is read-only to it as to any user.
The full disk is a file-size limit (RLIMIT_FSIZE): Python ignores SIGXFSZ, so RocksDB's write
fails with EFBIG exactly where ENOSPC would fail it.
"""

from __future__ import annotations

import ctypes
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.sources import Article, read_paths
from kg.store import OxigraphStore, StoreError

from .conftest import DATA, KG, SEEDS, run_kg

N_ARTICLES = 40
MED = "https://w3id.org/mediation-kg/ontology#"
SCHEMA = "https://schema.org/"


def make_corpus(folder: Path, n: int = N_ARTICLES) -> Path:
    """`n` distinct articles of twelve sentences drawn from the seeds and the dev set, dated by a
    manifest: different enough never to be near-duplicates of each other."""
    pool = sorted({s.strip() for item in read_paths([SEEDS, DATA / "dev"]) if isinstance(item, Article)
                   for s in item.text.split("\n") if len(s.split()) >= 8})
    folder.mkdir(parents=True)
    rows = ["file,published,outlet,url,title"]
    for i in range(n):
        rnd = random.Random(i)
        name = f"article{i:03d}.txt"
        (folder / name).write_text("\n\n".join(rnd.sample(pool, 12)) + "\n", encoding="utf-8")
        rows.append(f"{name},2024-{1 + i % 12:02d}-{1 + i % 28:02d},Outlet {i % 5},,Headline {i}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n")
    return folder


def nquads(store: Path) -> set[str]:
    proc = run_kg("--store", str(store), "export", "-f", "nquads")
    return {line for line in proc.stdout.splitlines() if line.strip()}


def by_graph(quads: set[str]) -> dict[str, set[str]]:
    graphs: dict[str, set[str]] = {}
    for quad in quads:
        body = quad.rstrip(" .")
        graph = body.rsplit(" ", 1)[-1] if body.endswith(">") and body.count("> <") >= 2 else ""
        graphs.setdefault(graph if "/graph/" in graph else "", set()).add(quad)
    return graphs


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("faults")
    corpus = make_corpus(root / "corpus")
    reference = root / "reference"
    run_kg("--store", str(reference), "ingest", "-q", str(corpus), "--workers", "1")
    return corpus, nquads(reference)


def test_sigkill_during_ingest_leaves_a_consistent_store_and_a_rerun_completes_it(corpus_and_reference, tmp_path):
    corpus, reference = corpus_and_reference
    store = tmp_path / "store"
    proc = subprocess.Popen([*KG, "--store", str(store), "ingest", str(corpus), "--workers", "1", "--batch", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    read = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        read += line.startswith("read ")
        if read >= 5:  # two batches of two are written, the third is being built or written
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # (a) it opens
    OxigraphStore(str(store)).close()
    # (b) every article graph present is whole: exactly what the uninterrupted run wrote for it,
    # with its article node, and every mention's event in the resolved view
    after_kill = nquads(store)
    graphs, expected = by_graph(after_kill), by_graph(reference)
    articles = [g for g in graphs if g]
    assert 4 <= len(articles) < N_ARTICLES, len(articles)
    for graph in articles:
        assert graphs[graph] == expected[graph], graph
        assert any(f"<{SCHEMA}NewsArticle> {graph}" in q for q in graphs[graph])
    mentioned = run_kg("--store", str(store), "query", f"""
        SELECT ?m WHERE {{ GRAPH ?g {{ ?m <{MED}mentionOf> ?e }}
                           FILTER NOT EXISTS {{ ?e a ?class }} }}""", "-f", "json")
    assert mentioned.stdout.strip() == "[]"
    # (c) ingesting again completes it: the same store as an uninterrupted run
    run_kg("--store", str(store), "ingest", "-q", str(corpus), "--workers", "1")
    assert nquads(store) == reference


def _drop_file_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_restricted(*args: str, preexec=_drop_file_capabilities) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=120, preexec_fn=preexec)


def test_a_read_only_store_folder_is_one_clear_line(tmp_path):
    if sys.platform != "linux":
        pytest.skip("prctl is Linux")
    good = tmp_path / "good.txt"
    good.write_text("Qatar mediated talks between the United States and Iran in Doha on Monday.\n")
    existing = tmp_path / "existing"
    run_kg("--store", str(existing), "ingest", str(good))
    locked = tmp_path / "locked"
    locked.mkdir()
    for folder in (existing, locked):
        folder.chmod(0o555)
    try:
        probe = subprocess.run([sys.executable, "-c", f"open({str(locked / 'probe')!r}, 'w')"],
                               capture_output=True, preexec_fn=_drop_file_capabilities)
        if probe.returncode == 0:
            pytest.skip("file modes do not bind this process even without CAP_DAC_OVERRIDE")
        for store in (existing, locked / "store"):
            proc = run_restricted("--store", str(store), "ingest", str(good))
            assert proc.returncode == 2, proc.stderr
            (line,) = proc.stderr.strip().splitlines()
            assert line.startswith(f"kg: {store}: cannot open the store for writing: permission denied"), line
    finally:
        for folder in (existing, locked):
            folder.chmod(0o755)


def test_a_file_in_the_way_of_the_store_is_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    for store in (blocker, blocker / "store"):
        proc = run_kg("--store", str(store), "query", "ASK { ?s ?p ?o }", check=False)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        (line,) = proc.stderr.strip().splitlines()
        assert line.startswith(f"kg: {store}: cannot open the store"), line


def test_a_full_disk_stops_the_ingest_with_one_line(corpus_and_reference, tmp_path):
    corpus, _ = corpus_and_reference
    store = tmp_path / "store"
    OxigraphStore(str(store)).close()  # created before the limit: the limit bites the writes

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    proc = run_restricted("--store", str(store), "ingest", "-q", str(corpus), "--workers", "1", "--batch", "4",
                          preexec=limit)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"kg: {store}: cannot write: ") and "File too large" in line and "ingest stopped" in line
    OxigraphStore(str(store)).close()  # and the store still opens


@pytest.mark.parametrize("command", [["ingest", "{good}"], ["query", "ASK { ?s ?p ?o }"], ["export"]])
def test_a_store_held_by_another_process_is_busy(tmp_path, command):
    store = tmp_path / "store"
    good = tmp_path / "good.txt"
    good.write_text("Qatar mediated talks between the United States and Iran in Doha on Monday.\n")
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom kg.store import OxigraphStore\n"
                               f"s = OxigraphStore({str(store)!r})\nprint('open', flush=True)\ntime.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        started = time.perf_counter()
        proc = run_kg("--store", str(store), *[a.replace("{good}", str(good)) for a in command], check=False)
        assert time.perf_counter() - started < 60  # told at once, not left waiting
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines() == [
            f"kg: {store}: the store is busy (another kg process has it open)"]
    finally:
        holder.kill()
        holder.wait()
    run_kg("--store", str(store), *[a.replace("{good}", str(good)) for a in command])  # free again: works


def test_a_busy_store_in_this_process_is_a_store_error(tmp_path):
    first = OxigraphStore(str(tmp_path / "store"))
    try:
        with pytest.raises(StoreError, match="busy"):
            OxigraphStore(str(tmp_path / "store"))
    finally:
        first.close()
