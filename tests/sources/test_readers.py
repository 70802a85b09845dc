"""Folders, manifests and JSON Lines: everything read, everything skipped said why."""

import json
from datetime import date

from kg.sources import Article, Skipped, read_paths

from ..conftest import SEEDS


def test_seed_folder_reads_five_articles_with_manifest_metadata():
    items = list(read_paths([SEEDS]))
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 5
    assert not [i for i in items if isinstance(i, Skipped) and i.failed]
    by_id = {a.identifier: a for a in articles}
    first = by_id["000_6a858b7882350935.txt"]
    assert first.published == date(2026, 2, 4)
    assert first.outlet == "The Peninsula"


def test_single_file_of_a_folder_still_takes_its_manifest_row():
    (article,) = read_paths([SEEDS / "004_cc5ebd9c11aac7c0.txt"])
    assert article.url and article.url.startswith("https://")
    assert article.published == date(2023, 9, 28)


def test_jsonl_records_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "Qatar mediated between the US and Iran.", "published": "2024-01-02",
                    "outlet": "Wire", "title": "T", "url": "https://example.org/1", "author": "X"}),
        "{broken",
        json.dumps({"id": "a2", "title": "no text"}),
        json.dumps({"id": "a3", "text": "Egypt brokered a truce.", "published": 20240102, "outlet": ["bad"]}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = list(read_paths([path]))
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, Skipped)]
    assert [a.identifier for a in good] == ["a1", "a3"]
    assert good[0].published == date(2024, 1, 2) and good[0].outlet == "Wire"
    assert good[1].published is None and good[1].outlet is None  # wrong types are dropped, not fatal
    assert [b.source for b in bad] == [f"{path}:2", f"{path}:3"]


def test_missing_path_and_manifest_problems_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Norway facilitated talks between the two sides on Monday.\n")
    (tmp_path / "manifest.csv").write_text("file,published,outlet,url,title\n"
                                           "a.txt,not-a-date,Wire,,\n../escape.txt,2024-01-01,,,\n")
    items = list(read_paths([tmp_path, tmp_path / "nope.txt"]))
    reasons = [i.reason for i in items if isinstance(i, Skipped)]
    assert any("bad date" in r for r in reasons)
    assert any("not a plain file name" in r for r in reasons)
    assert "no such file or folder" in reasons
    (article,) = [i for i in items if isinstance(i, Article)]
    assert article.outlet == "Wire" and article.published is None


def test_symlink_loop_is_walked_once(tmp_path):
    (tmp_path / "a.txt").write_text("Norway facilitated talks on Monday.\n")
    (tmp_path / "loop").symlink_to(tmp_path)
    articles = [i for i in read_paths([tmp_path]) if isinstance(i, Article)]
    assert len(articles) == 1
