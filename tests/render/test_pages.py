"""The pages as an analyst opens them: real headless Chromium, no network, nothing run from text.

Each page is written to a file and opened from `file://`. Every request is routed through a
handler that records and aborts anything that is not `file:`, `data:`, `about:` or `blob:`;
console errors and page errors fail the test. A screenshot of each page is left in the test's
`tmp_path` for a person to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.render.page import fill, json_for_script, render_page

from ..conftest import run_kg
from .conftest import (
    ACTOR_VIEW,
    ARTICLES,
    DATED_EVENTS,
    EVENT_VIEW,
    EVIDENCE,
    XSS,
    graph,
)
from .conftest import fill as fill_store

LOCAL = ("file:", "data:", "about:", "blob:")


class Opened:
    """A page loaded in a fresh context, with what it logged and tried to fetch."""

    def __init__(self, browser, path: Path, *, bypass_csp: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=bypass_csp)
        self.errors: list[str] = []
        self.outside: list[str] = []

        def route(r) -> None:
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.kgPage && window.kgPage.ready", timeout=30_000)

    def kg(self, expression: str):
        return self.page.evaluate(f"() => {expression}")

    def close(self, screenshot: Path) -> None:
        self.page.screenshot(path=str(screenshot))
        assert screenshot.stat().st_size > 5_000
        self.context.close()
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside


def write(store, view: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{view}.html"
    path.write_text(render_page(store, view), encoding="utf-8")
    return path


def hover_node(opened: Opened, label: str) -> str:
    """Move the mouse onto the node with this label; the tooltip's text."""
    node = opened.kg(f"JSON.parse(document.getElementById('kg-data').textContent).nodes"
                     f".find(n => n.label === {json.dumps(label)}).id")
    point = opened.page.evaluate("id => window.kgPage.positionOf(id)", node)
    opened.page.mouse.move(point["x"] - 30, point["y"] - 30)
    opened.page.mouse.move(point["x"], point["y"], steps=3)
    opened.page.wait_for_function("() => window.kgPage.tooltipShown > 0", timeout=5_000)
    return opened.page.locator("#tooltip").text_content() or ""


@pytest.mark.parametrize(("view", "expected"), [("actors", ACTOR_VIEW), ("events", EVENT_VIEW)])
def test_network_page_draws_the_graph_offline(browser, small_store, tmp_path, view, expected):
    opened = Opened(browser, write(small_store, view, tmp_path))
    counts = opened.kg("({nodes: kgPage.nodes, edges: kgPage.edges, drawn: kgPage.drawn(), "
                       "totalNodes: kgPage.totalNodes, totalEdges: kgPage.totalEdges, stable: kgPage.stable})")
    assert counts["nodes"] == counts["totalNodes"] == expected["nodes"]
    assert counts["edges"] == counts["totalEdges"] == expected["edges"]
    assert counts["drawn"] == {"nodes": expected["nodes"], "edges": expected["edges"]}
    assert counts["stable"] and opened.kg("kgPage.network.physics.physicsEnabled") is False
    assert opened.page.locator("#legend li").count() >= 3
    opened.close(tmp_path / f"{view}.png")


def test_actor_view_filters_by_type_date_and_actor_without_reloading(browser, small_store, tmp_path):
    opened = Opened(browser, write(small_store, "actors", tmp_path))
    page = opened.page
    page.evaluate("() => { window.__marker = 42; }")
    page.select_option("#f-type", "Mediation")  # only e1: Norway, Philippines, NPA
    assert opened.kg("[kgPage.nodes, kgPage.edges, kgPage.drawn()]") == [3, 3, {"nodes": 3, "edges": 3}]
    assert sorted(opened.kg("kgPage.visibleNodeIds().map(id => kgPage.network.body.data.nodes.get(id).label)")) == [
        "New People's Army", "Norway", "Philippines"]
    page.select_option("#f-type", "")
    page.fill("#f-from", "2024-01-01")  # e3 (2024-02-12) and e5 (2024); the undated e4 goes
    page.dispatch_event("#f-from", "change")
    assert opened.kg("[kgPage.nodes, kgPage.edges]") == [4, 2]
    page.fill("#f-from", "")
    page.dispatch_event("#f-from", "change")
    page.fill("#f-actor", "Qatar")  # e2 only
    assert opened.kg("[kgPage.nodes, kgPage.edges]") == [3, 3]
    page.click("#f-reset")
    assert opened.kg("[kgPage.nodes, kgPage.edges]") == [ACTOR_VIEW["nodes"], ACTOR_VIEW["edges"]]
    assert opened.kg("window.__marker") == 42  # same document: nothing reloaded
    opened.close(tmp_path / "actors-filtered.png")


def test_event_view_filter_and_search(browser, small_store, tmp_path):
    opened = Opened(browser, write(small_store, "events", tmp_path))
    assert opened.page.evaluate("() => kgPage.setFilter({actor: 'Qatar'})") == {"nodes": 4, "edges": 3}
    opened.page.evaluate("() => kgPage.setFilter({actor: ''})")
    opened.page.fill("#search", "switz")
    opened.page.press("#search", "Enter")
    assert opened.page.locator("#matches").text_content() == "1 match"
    assert opened.kg("kgPage.network.getSelectedNodes().map(id => kgPage.network.body.data.nodes.get(id).label)") == [
        "Switzerland"]
    opened.close(tmp_path / "events-search.png")


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_article_markup_in_tooltips_is_text_and_runs_nothing(browser, small_store, tmp_path, bypass_csp):
    """Without the page's CSP too: textContent alone must keep the markup inert."""
    opened = Opened(browser, write(small_store, "actors", tmp_path), bypass_csp=bypass_csp)
    text = hover_node(opened, "Norway")
    assert XSS in text and "The <b>Evening</b> Post" in text
    assert opened.page.locator("#tooltip script, #tooltip img, #tooltip b").count() == 0
    assert opened.kg("typeof window.__pwned") == "undefined"
    opened.close(tmp_path / f"tooltip-{bypass_csp}.png")


def test_event_node_tooltip_shows_evidence_date_and_outlet(browser, small_store, tmp_path):
    opened = Opened(browser, write(small_store, "events", tmp_path), bypass_csp=True)
    text = hover_node(opened, "Mediation 2023-09")
    assert EVIDENCE in text and "2023-09" in text
    assert ARTICLES["a1"][0] in text and ARTICLES["a2"][0] in text and "2 sources" in text
    assert opened.kg("typeof window.__pwned") == "undefined"
    opened.close(tmp_path / "event-tooltip.png")


def test_timeline_page_one_item_per_dated_event(browser, small_store, tmp_path):
    opened = Opened(browser, write(small_store, "timeline", tmp_path), bypass_csp=True)
    page = opened.page
    assert opened.kg("[kgPage.items, kgPage.totalItems, kgPage.undated]") == [DATED_EVENTS, DATED_EVENTS, 1]
    assert opened.kg("kgPage.renderedItems()") == DATED_EVENTS  # box and range elements, not their lines/dots
    assert page.locator(".vis-item.vis-range").count() == 1  # e2 has an end date
    lanes = [t.strip() for t in page.locator(".vis-label .lane").all_text_contents()]
    assert "Norway (mediator)" in lanes and "Iran – United States" in lanes
    # Tooltip: evidence and outlet as text, nothing run.
    page.locator(".vis-item.vis-box", has_text="Mediation").first.hover()
    page.wait_for_function("() => window.kgPage.tooltipShown > 0", timeout=5_000)
    text = page.locator("#tooltip").text_content() or ""
    assert EVIDENCE in text and ARTICLES["a1"][0] in text
    assert page.locator("#tooltip script, #tooltip img").count() == 0
    assert opened.kg("typeof window.__pwned") == "undefined"
    # Date filter and zoom, without reloading.
    page.fill("#f-from", "2024-01-01")
    page.dispatch_event("#f-from", "change")
    assert opened.kg("kgPage.items") == 2
    page.wait_for_function("() => kgPage.renderedItems() === 2")
    before = opened.kg("kgPage.timeline.getWindow().end - kgPage.timeline.getWindow().start")
    page.click("#z-in")
    page.wait_for_timeout(600)
    assert opened.kg("kgPage.timeline.getWindow().end - kgPage.timeline.getWindow().start") < before
    opened.close(tmp_path / "timeline.png")


def test_json_block_cannot_be_closed_by_article_text():
    text = json_for_script({"s": "</script><script>alert(1)</script> & \u2028 <!--"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><script>alert(1)</script> & \u2028 <!--"}


def test_template_markers_are_filled_once_and_never_rescanned():
    page = fill("<a><!--KG:ONE--></a><b><!--KG:TWO--></b>", {"ONE": "<!--KG:TWO-->", "TWO": "x"})
    assert page == "<a><!--KG:TWO--></a><b>x</b>"
    with pytest.raises(KeyError):
        fill("<!--KG:ONE-->", {})


def test_page_is_self_contained(small_store):
    html = render_page(small_store, "actors")
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=", html, re.IGNORECASE)
    assert "Content-Security-Policy" in html and "connect-src 'none'" in html
    assert "sourceMappingURL" not in html and "<script>window.__pwned" not in html


def test_cli_render_views_and_timeline_html(tmp_path):
    from kg.store import OxigraphStore

    location = tmp_path / "store"
    fill_store(OxigraphStore(str(location))).close()
    run_kg("--store", str(location), "render", "--view", "timeline", cwd=tmp_path)
    run_kg("--store", str(location), "render", cwd=tmp_path)
    run_kg("--store", str(location), "render", "--view", "events", "-o", str(tmp_path / "ev.html"))
    assert {"timeline.html", "graph.html", "ev.html"} <= {p.name for p in tmp_path.iterdir()}
    assert '"view":"timeline"' in (tmp_path / "timeline.html").read_text()
    run_kg("--store", str(location), "timeline", "--type", "Visit", "--html", str(tmp_path / "visits.html"),
           "-f", "json")
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                     (tmp_path / "visits.html").read_text(), re.S)
    assert data and len(json.loads(data.group(1))["items"]) == 1
    assert len(graph()) > 0
