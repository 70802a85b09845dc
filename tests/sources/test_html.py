"""Saved HTML pages: main text and metadata read from the page, the same events as the text twin."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.ingest import Pipeline, ingest
from kg.sources import Article, Skipped, read_paths
from kg.sources.detect import detect_kind, sniff
from kg.store import StoreConfig, open_store

from ..conftest import DATA

FORMATS = DATA / "formats"
TWIN = FORMATS / "talks.txt"

EVENTS = """
PREFIX med: <https://w3id.org/mediation-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event (GROUP_CONCAT(DISTINCT STRAFTER(STR(?class), "#"); SEPARATOR="+") AS ?types)
       (GROUP_CONCAT(DISTINCT ?m; SEPARATOR="+") AS ?mediators)
       (GROUP_CONCAT(DISTINCT ?p; SEPARATOR="+") AS ?parties)
       (SAMPLE(STR(?d)) AS ?date)
WHERE {
  ?event a ?class ; med:evidence ?evidence .
  FILTER (STRSTARTS(STR(?class), STR(med:)) && ?class != med:EventMention)
  OPTIONAL { ?event med:mediator/rdfs:label ?m }
  OPTIONAL { ?event med:party/rdfs:label ?p }
  OPTIONAL { ?event med:date ?d }
}
GROUP BY ?event
"""


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


def events_of(path: Path, pipeline: Pipeline) -> set[tuple[str, ...]]:
    """The resolved events one file gives, ingested alone into a fresh memory store, as
    (types, mediators, parties, date) with names sorted so that row order does not matter."""
    store = open_store(StoreConfig("memory:"))
    report = ingest([path], store, pipeline)
    assert report.read and not report.failed, report.skipped
    result = store.query(EVENTS)
    rows = set()
    for row in result:  # type: ignore[union-attr]
        cells = [row[name].value if row[name] is not None else "" for name in ("types", "mediators", "parties", "date")]
        rows.add(tuple("+".join(sorted(c.split("+"))) if c else "" for c in cells))
    return rows


def test_page_gives_the_same_events_as_its_text_twin(pipeline):
    expected = events_of(TWIN, pipeline)
    assert any("Mediation" in types and "Norway" in mediators for types, mediators, _, _ in expected)
    assert events_of(FORMATS / "talks.html", pipeline) == expected


def test_txt_that_is_really_html_is_read_as_html(pipeline):
    assert detect_kind(FORMATS / "saved_page.txt") == "html"
    (article,) = read_paths([FORMATS / "saved_page.txt"])
    assert isinstance(article, Article) and "<p>" not in article.text and "Copyright" not in article.text
    assert events_of(FORMATS / "saved_page.txt", pipeline) == events_of(TWIN, pipeline)


def test_page_metadata_and_body():
    (article,) = read_paths([FORMATS / "talks.html"])
    assert isinstance(article, Article)
    assert article.identifier == "talks.html"
    assert article.title == "Norway hosts new round of talks between Armenia and Azerbaijan"
    assert article.published == date(2024, 3, 14)
    assert article.outlet == "The Invented Herald"
    assert article.author == "Kari Nordmann"
    assert article.url == "https://herald.example.org/2024/03/14/norway-talks"
    # the headline is metadata, not a sentence; menus, asides and footers are not text
    assert article.text.startswith("Norway hosted indirect talks")
    assert "Most read" not in article.text and "Sport" not in article.text


def test_manifest_overrides_page_metadata(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes((FORMATS / "talks.html").read_bytes())
    (tmp_path / "manifest.csv").write_text("file,published,outlet,url,title\npage.html,2024-03-15,Wire,,Other\n")
    (article,) = read_paths([page])
    assert isinstance(article, Article)
    assert (article.published, article.outlet, article.title) == (date(2024, 3, 15), "Wire", "Other")
    assert article.author == "Kari Nordmann"  # what the manifest does not say, the page still does


@pytest.mark.parametrize("content", [
    b'<html><head><title>x</title></head><body><div><span>\x01 <<<< >>>> </span></body></html',
    b"<!doctype html><html><body></body></html>",
    b"<html>\x00\x01\x02\xff binary",
    b"   ",
])
def test_bad_html_is_skipped_with_a_reason_not_a_crash(tmp_path, content):
    page = tmp_path / "bad.html"
    page.write_bytes(content)
    (item,) = read_paths([page])
    assert isinstance(item, Skipped) and item.failed and item.source == str(page) and item.reason


def test_shipped_bad_page_is_reported():
    items = list(read_paths([FORMATS / "bad" / "broken.html"]))
    assert [type(i) for i in items] == [Skipped]
    assert "no article text" in items[0].reason


def test_detection_by_content_and_extension(tmp_path):
    assert sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>") == "html"
    assert sniff(b'<?xml version="1.0"?>\n<rss version="2.0">') == "feed"
    assert sniff(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">') == "feed"
    assert sniff(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">') == "feed"
    assert sniff(b'{"id": "a", "text": "x"}\n{"id": "b"') == "jsonl"
    assert sniff(b"Qatar mediated between the two sides.\n") is None
    cases = {"a.xml": b'<?xml version="1.0"?><rss>', "noext": b"<html><body>", "b.php": b"<!doctype html>",
             "c.txt": b"Plain words.", "d.jsonl": b"not json", "e.htm": b"<p>fragment</p>",
             "f.xml": b"<config/>", "g.pdf": b"%PDF-1.4", "h.txt": b'{"id": "1", "text": "t"}\n'}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    kinds = {name: detect_kind(tmp_path / name) for name in cases}
    assert kinds == {"a.xml": "feed", "noext": "html", "b.php": "html", "c.txt": "text", "d.jsonl": "jsonl",
                     "e.htm": "html", "f.xml": None, "g.pdf": None, "h.txt": "jsonl"}


def test_mixed_folder_reads_every_format():
    items = list(read_paths([FORMATS]))
    ids = sorted(i.identifier for i in items if isinstance(i, Article))
    assert ids == ["herald-2024-0314-norway-talks", "saved_page.txt", "talks.html", "talks.txt",
                   "world.atom#tag:herald.example.org,2024-03-14:norway-talks",
                   "world.rss#herald-2024-0314-norway-talks"]
    failed = sorted(Path(i.source).name for i in items if isinstance(i, Skipped) and i.failed)
    assert failed == ["broken.html", "broken.rss"]  # only the two broken files of bad/


def test_jsonl_twin_gives_the_same_events(pipeline):
    assert events_of(FORMATS / "talks.jsonl", pipeline) == events_of(TWIN, pipeline)
