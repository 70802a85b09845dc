"""How the network page scales: synthetic graphs of 500, 2,000 and 5,000 nodes, in real Chromium.

For each size, a synthetic store (one actor for every nine events; each event has a mediator
and two or three parties, a date and one to three sources) is rendered as the `events` view,
and the page is opened in headless Chromium. Printed per size:

- gen: page generation in Python (SPARQL → data → layout → HTML), seconds
- ready: navigation start → the network laid out, physics off, first frame drawn, seconds
- frame: one redraw after a zoom, once ready (what "interactive" feels like), ms
- filter: applying a type filter and redrawing, ms
- ratios against the 500-node baseline measured in the same run

The goal is 5,000 nodes settled and interactive within 10 s. Not a test: no assertion, run by
hand: `.venv/bin/python bench/render_bench.py [SIZES...]`.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from kg.render.page import render_page
from kg.store import OxigraphStore, Store
from kg.vocab import EVENT_CLASSES

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BASE = "https://w3id.org/mediation-kg/id/"
MED = "https://w3id.org/mediation-kg/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def synthetic_store(nodes: int, seed: int = 1) -> tuple[Store, int]:
    """A memory store whose events view has `nodes` nodes; returns it and the number of edges."""
    rng = random.Random(seed)
    actors = max(3, nodes // 10)
    events = nodes - actors
    kinds = ("State", "Organization", "Person")
    lines = []
    for a in range(actors):
        lines.append(f"<{BASE}actor/a{a}> {RDF_TYPE} <{MED}{kinds[a % 3]}> .")
        lines.append(f'<{BASE}actor/a{a}> <http://www.w3.org/2000/01/rdf-schema#label> "Actor {a}" .')
    articles = max(1, events // 3)
    for art in range(articles):
        lines.append(f"<{BASE}article/r{art}> <https://schema.org/publisher> <{BASE}outlet/o{art % 40}> .")
        lines.append(f'<{BASE}outlet/o{art % 40}> <https://schema.org/name> "Outlet {art % 40}" .')
    edges = 0
    # A few actors take part in most events, as in real news: a skewed choice.
    weights = [1.0 / (1 + i) ** 0.8 for i in range(actors)]
    for e in range(events):
        iri = f"<{BASE}event/e{e}>"
        lines.append(f"{iri} {RDF_TYPE} <{MED}{EVENT_CLASSES[e % len(EVENT_CLASSES)]}> .")
        who = set()
        while len(who) < 3 + (e % 2):
            who.add(rng.choices(range(actors), weights)[0])
        mediator, *parties = sorted(who)
        lines.append(f"{iri} <{MED}mediator> <{BASE}actor/a{mediator}> .")
        for p in parties:
            lines.append(f"{iri} <{MED}party> <{BASE}actor/a{p}> .")
        edges += len(who)
        day = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(f'{iri} <{MED}date> "{day}"^^<http://www.w3.org/2001/XMLSchema#date> .')
        lines.append(f'{iri} <{MED}evidence> "Actor {mediator} mediated between the sides, sentence {e}." .')
        for s in rng.sample(range(articles), min(articles, rng.randint(1, 3))):
            lines.append(f"{iri} <http://www.w3.org/ns/prov#wasDerivedFrom> <{BASE}article/r{s}> .")
    store = OxigraphStore("memory:")
    store.replace_graphs({f"{BASE}graph/bench": "\n".join(lines)})
    return store, edges


def measure_browser(browser, path: Path) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgPage && window.kgPage.ready", timeout=300_000, polling=100)
    ready = page.evaluate("() => kgPage.readyMs") / 1000
    frame = page.evaluate("""() => new Promise(done => {
        const net = kgPage.network, t = performance.now();
        net.once('afterDrawing', () => done(performance.now() - t));
        net.moveTo({scale: net.getScale() * 1.3});
    })""")
    filtered = page.evaluate("""() => new Promise(done => {
        const t = performance.now();
        kgPage.setFilter({type: 'Mediation'});
        kgPage.network.once('afterDrawing', () => done(performance.now() - t));
        kgPage.network.redraw();
    })""")
    counts = page.evaluate("() => [kgPage.totalNodes, kgPage.totalEdges, kgPage.layout]")
    page.close()
    if errors:
        raise RuntimeError(f"{path}: {errors}")
    return {"ready": ready, "frame": frame, "filter": filtered, "nodes": counts[0], "edges": counts[1],
            "layout": counts[2]}


def main(sizes: list[int]) -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size in sizes:
            store, _ = synthetic_store(size)
            start = time.perf_counter()
            html = render_page(store, "events")
            gen = time.perf_counter() - start
            store.close()
            path = Path(tmp) / f"bench-{size}.html"
            path.write_text(html, encoding="utf-8")
            result = measure_browser(browser, path)
            result.update(gen=gen, size=len(html) / 1e6, total=gen + result["ready"])
            rows.append(result)
        browser.close()
    base = rows[0]
    print(f"{'nodes':>6} {'edges':>6} {'layout':>7} {'MB':>5} {'gen s':>6} {'ready s':>8} {'total s':>8} "
          f"{'frame ms':>9} {'filter ms':>10} {'gen x':>6} {'ready x':>8}")
    for r in rows:
        print(f"{r['nodes']:>6} {r['edges']:>6} {r['layout']:>7} {r['size']:>5.1f} {r['gen']:>6.2f} "
              f"{r['ready']:>8.2f} {r['total']:>8.2f} {r['frame']:>9.0f} {r['filter']:>10.0f} "
              f"{r['gen'] / base['gen']:>6.1f} {r['ready'] / base['ready']:>8.1f}")
    last = rows[-1]
    verdict = "meets" if last["total"] <= 10 else "misses"
    print(f"{last['nodes']} nodes: usable after {last['total']:.1f} s (goal 10 s: {verdict})")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 2000, 5000])
