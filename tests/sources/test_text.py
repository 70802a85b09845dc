"""Plain-text articles: the header is read off, the body keeps exact offsets."""

from datetime import date

from kg.sources import read_text_file
from kg.sources.article import Article, Skipped
from kg.sources.manifest import ManifestEntry

from ..conftest import DATA

ARTICLES = DATA / "articles"


def test_masthead_breadcrumb_title_published_and_byline_are_read():
    article = read_text_file(ARTICLES / "header_masthead.txt")
    assert isinstance(article, Article)
    assert article.title == "Envoys meet to calm the border"
    assert article.published == date(2025, 3, 12)
    assert article.author == "Anna Writer"
    assert article.outlet == "The Daily Ledger"
    assert article.text.startswith("Oslo, Norway: Norway facilitated talks")
    assert "EDITOR" not in article.text


def test_leading_date_glued_to_first_sentence():
    article = read_text_file(ARTICLES / "leading_date.txt")
    assert article.published == date(2024, 5, 20)
    assert article.text.startswith("Egypt brokered a truce")


def test_aggregator_prefix_gives_outlet_and_byline():
    article = read_text_file(ARTICLES / "aggregator.txt")
    assert article.outlet == "The Evening Post"
    assert article.author == "Maria Reporter"
    assert article.text.startswith("Switzerland hosted talks")


def test_manifest_overrides_what_the_text_shows():
    entry = ManifestEntry(published=date(2025, 3, 13), outlet="Other Outlet", url="https://example.org/a",
                          title="Manifest title")
    article = read_text_file(ARTICLES / "header_masthead.txt", entry)
    assert (article.published, article.outlet, article.url, article.title) == (
        date(2025, 3, 13), "Other Outlet", "https://example.org/a", "Manifest title")
    assert article.author == "Anna Writer"  # not in the manifest: kept from the text


def test_empty_and_binary_files_are_skipped_with_a_reason(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02PNG")
    assert read_text_file(empty) == Skipped(str(empty), "empty file")
    assert read_text_file(binary) == Skipped(str(binary), "binary file, not text")


def test_cp1252_text_is_decoded(tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes("Qatar’s mediation between the two sides continued on Monday.".encode("cp1252"))
    article = read_text_file(path)
    assert "Qatar’s mediation" in article.text
