"""RSS and Atom feeds: one article per item with text, the same events as the text twin."""

from __future__ import annotations

from datetime import date

import pytest

from kg.ingest import Pipeline
from kg.sources import Article, Skipped, read_paths
from kg.sources.feed import html_to_text

from .test_html import FORMATS, TWIN, events_of


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


@pytest.mark.parametrize("name", ["world.rss", "world.atom"])
def test_feed_item_gives_the_same_events_as_its_text_twin(pipeline, name):
    assert events_of(FORMATS / name, pipeline) == events_of(TWIN, pipeline)


def test_rss_items_identity_metadata_and_items_without_text():
    items = list(read_paths([FORMATS / "world.rss"]))
    (article,) = [i for i in items if isinstance(i, Article)]
    assert article.identifier == "world.rss#herald-2024-0314-norway-talks"
    assert article.published == date(2024, 3, 14)
    assert article.outlet == "The Invented Herald - World"
    assert article.author == "Kari Nordmann"
    assert article.url == "https://herald.example.org/2024/03/14/norway-talks"
    assert article.title == "Norway hosts new round of talks between Armenia and Azerbaijan"
    # content:encoded is fuller than the one-line description, and its markup is gone
    assert "Switzerland offered" in article.text and "<p>" not in article.text
    (skipped,) = [i for i in items if isinstance(i, Skipped)]
    assert skipped.source.endswith("world.rss#herald-2024-0314-empty") and not skipped.failed


def test_atom_entry_summary_is_read_as_text():
    (article,) = read_paths([FORMATS / "world.atom"])
    assert isinstance(article, Article)
    assert article.identifier == "world.atom#tag:herald.example.org,2024-03-14:norway-talks"
    assert article.published == date(2024, 3, 14)  # <published>, not <updated>
    assert article.outlet == "The Invented Herald"
    assert article.text.splitlines()[0].startswith("Norway hosted indirect talks")


def test_item_without_id_or_link_is_named_by_position(tmp_path):
    feed = tmp_path / "plain.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                    "<item><description>Egypt brokered a truce between the two sides on Monday.</description></item>"
                    "</channel></rss>")
    (article,) = read_paths([feed])
    assert isinstance(article, Article) and article.identifier == "plain.xml#1"


def test_manifest_sets_outlet_of_every_item(tmp_path):
    feed = tmp_path / "world.rss"
    feed.write_bytes((FORMATS / "world.rss").read_bytes())
    (tmp_path / "manifest.csv").write_text("file,published,outlet,url,title\nworld.rss,,Herald Wire,,\n")
    (article,) = [i for i in read_paths([feed]) if isinstance(i, Article)]
    assert article.outlet == "Herald Wire" and article.published == date(2024, 3, 14)


def test_broken_feed_is_skipped_with_a_reason(tmp_path):
    (item,) = read_paths([FORMATS / "bad" / "broken.rss"])
    assert isinstance(item, Skipped) and item.failed and "not a readable feed" in item.reason
    empty = tmp_path / "empty.rss"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>')
    (item,) = read_paths([empty])
    assert isinstance(item, Skipped) and not item.failed and "no items" in item.reason


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    text = html_to_text("<p>One&nbsp;sentence.</p><script>alert(1)</script><p>Two <b>bold</b> words.</p>")
    assert text == "One sentence.\nTwo bold words."
