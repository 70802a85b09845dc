"""Bad input: every broken file is one line on stderr naming it, the rest of the batch is stored,
and the exit status says how it went (0 all good, 1 some input failed, 2 nothing could be done).

The committed cases live in `tests/data/bad/` (see its README); the 50 MB text and the symlink
loop are made here in `tmp_path`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kg.sources import Article, Skipped, read_paths

from .conftest import DATA, run_kg

BAD = DATA / "bad"
GOOD = "Qatar mediated talks between the United States and Iran in Doha on Monday, officials said.\n"

# file (relative to BAD) -> the words its one stderr line must hold
EXPECTED_LINES = {
    "empty.txt": "empty file",
    "binary.txt": "binary file, not text",
    "malformed.html": "malformed HTML or no article text found",
    "records.jsonl:2": "not valid JSON",
    "records.jsonl:3": "no 'text'",
    "records.jsonl:4": "'text' is not a string (int)",
    "records.jsonl:6": "not a JSON object",
    "records.jsonl:7": "not valid JSON (RecursionError)",
    "manifest/manifest.csv:2": "bad date '2024-02-30'",
    "manifest/manifest.csv:3": "file 'missing.txt' is not in the folder",
    "manifest/manifest.csv:4": "file '../x.txt' is not a plain file name",
    "manifest/manifest.csv:5": "file '/etc/passwd' is not a plain file name",
}
# stored, with a note per unusable field (a warning: these do not fail the run)
EXPECTED_NOTES = {
    "records.jsonl:5": ["'id' is not a string or number (dict)", "'title' is not a string (int)",
                        "'outlet' is not a string (list)", "'published' is not a YYYY-MM-DD string (int)"],
    "records.jsonl:8": ["'published' is not a date ('2024-13-45'"],
}


def stderr_lines(proc) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.strip()]


def ingest(store: Path, *paths: Path | str, extra: tuple[str, ...] = ()):
    return run_kg("--store", str(store), "ingest", *extra, *map(str, paths), check=False)


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory):
    store = tmp_path_factory.mktemp("bad") / "store"
    return ingest(store, BAD), store


def test_the_bad_corpus_is_reported_line_by_line_and_the_rest_is_stored(bad_run):
    proc, store = bad_run
    assert proc.returncode == 1, proc.stderr  # some input failed, others were stored
    assert "Traceback" not in proc.stderr
    lines = stderr_lines(proc)
    for where, words in EXPECTED_LINES.items():
        mine = [line for line in lines if line.startswith(f"kg: {BAD / where}: ")]
        assert len(mine) == 1 and words in mine[0], (where, mine)
    for where, notes in EXPECTED_NOTES.items():
        mine = [line for line in lines if line.startswith(f"kg: {BAD / where}: ")]
        assert len(mine) == len(notes) and all(any(n in line for line in mine) for n in notes), (where, mine)
    # nothing else on stderr but the README, which is not an article
    others = [line for line in lines if not any(line.startswith(f"kg: {BAD / w}: ")
                                                for w in (*EXPECTED_LINES, *EXPECTED_NOTES))]
    assert others == [f"kg: {BAD / 'README.md'}: unsupported file type '.md' (skipped)"]
    read = {line.removeprefix("read ") for line in proc.stdout.splitlines() if line.startswith("read ")}
    assert read == {str(BAD / p) for p in ("arabic_cp1256.txt", "latin1.txt", "records.jsonl:1", "records.jsonl:5",
                                           "records.jsonl:8", "manifest/a.txt")}
    count = run_kg("--store", str(store), "query", "PREFIX schema: <https://schema.org/> "
                   "SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }", "-f", "json")
    assert json.loads(count.stdout) == [{"n": "6"}]


def test_cp1256_decodes_to_arabic_and_latin1_to_accented_latin():
    arabic = next(read_paths([BAD / "arabic_cp1256.txt"]))
    assert isinstance(arabic, Article)
    assert "توسطت قطر في محادثات غير مباشرة" in arabic.text and arabic.title == "قطر تتوسط بين الولايات المتحدة وإيران"
    latin = next(read_paths([BAD / "latin1.txt"]))
    assert isinstance(latin, Article)
    assert "Zürich on Monday, the Département fédéral" in latin.text and latin.title == "Talks resume in Zürich"
    # and the latin-1 one still gives its event, with the place read from the accented name
    proc = run_kg("--store", "memory:", "ingest", str(BAD / "latin1.txt"))
    assert "1 event mention(s)" in proc.stdout


def test_wrong_types_are_dropped_but_the_record_is_kept():
    items = {i.source: i for i in read_paths([BAD / "records.jsonl"])}
    record = items[f"{BAD / 'records.jsonl'}:5"]
    assert isinstance(record, Article)
    assert record.identifier == "records.jsonl:5" and record.published is None and record.outlet is None
    lone = items[f"{BAD / 'records.jsonl'}:8"]
    assert isinstance(lone, Article)
    lone.text.encode("utf-8")  # the lone surrogate was made writable


def test_a_50_mb_text_is_refused_quickly_above_the_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        line = ("Qatar mediated talks between the United States and Iran in Doha on Monday. " * 20 + "\n").encode()
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    (tmp_path / "good.txt").write_text(GOOD)
    started = time.perf_counter()
    proc = ingest(tmp_path / "store", big, tmp_path / "good.txt")
    assert time.perf_counter() - started < 30  # refused from its size, never read
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    (line,) = stderr_lines(proc)
    assert line.startswith(f"kg: {big}: ") and "over the 20,000,000-byte limit (--max-bytes)" in line
    assert "1 article(s) read" in proc.stdout
    # a lower limit applies to each JSON Lines record, not to the file
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"id": "small", "text": GOOD}) + "\n"
                       + json.dumps({"id": "large", "text": GOOD * 50}) + "\n")
    proc = ingest(tmp_path / "store2", records, extra=("--max-bytes", "1000"))
    assert proc.returncode == 1
    (line,) = stderr_lines(proc)
    assert line.startswith(f"kg: {records}:2: record of ") and "1,000-byte limit" in line


def test_nothing_readable_is_exit_2_and_all_good_is_exit_0(tmp_path):
    proc = ingest(tmp_path / "store", BAD / "empty.txt", BAD / "binary.txt")
    assert proc.returncode == 2 and len(stderr_lines(proc)) == 2
    (tmp_path / "good.txt").write_text(GOOD)
    proc = ingest(tmp_path / "store", tmp_path / "good.txt")
    assert proc.returncode == 0 and stderr_lines(proc) == []
    usage = run_kg("--store", str(tmp_path / "store"), "ingest", "--max-bytes", "-5", str(tmp_path), check=False)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_a_symlink_loop_is_read_once_and_said(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(GOOD)
    (folder / "sub" / "back").symlink_to(folder)  # corpus/sub/back -> corpus: a loop
    (folder / "self").symlink_to(".")
    items = list(read_paths([folder]))
    assert [i.identifier for i in items if isinstance(i, Article)] == ["a.txt"]
    loops = [i for i in items if isinstance(i, Skipped)]
    assert loops and all(not i.failed and "loop" in i.reason for i in loops)
    proc = ingest(tmp_path / "store", folder)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert all("loop" in line and line.endswith("(skipped)") for line in stderr_lines(proc))


def test_unreadable_and_vanished_paths_are_one_line_each(tmp_path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    proc = ingest(tmp_path / "store", tmp_path / "dangling.txt", tmp_path / "nowhere")
    assert proc.returncode == 2
    assert stderr_lines(proc) == [f"kg: {tmp_path / 'dangling.txt'}: broken symbolic link",
                                  f"kg: {tmp_path / 'nowhere'}: no such file or folder"]
