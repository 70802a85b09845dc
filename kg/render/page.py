"""Writing a page: our template, the page data as inert JSON, the vendored library inlined.

Templates are plain HTML files under `templates/` with `<!--KG:NAME-->` markers, filled in one
pass (`re.sub` with a function), so text inserted for one marker is never searched for another
and no templating engine is needed. Data goes into `<script type="application/json">` with
`<`, `>`, `&`, U+2028 and U+2029 escaped, so no string from an article can close the block or
open a tag; the page reads it with `JSON.parse(textContent)` and builds every label and tooltip
with `textContent`. A Content-Security-Policy allows only the page's own inline scripts (by
hash), inline styles and data: images, and `connect-src 'none'`: even a bug elsewhere could
neither load nor send anything, and an injected `onerror=` attribute would not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from kg.render.data import GraphData, load
from kg.store import Store

VIEWS = ("actors", "events", "timeline")
VENDOR = {"network": "vis-network.min.js", "timeline": "vis-timeline-graph2d.min.js"}
_MARKER = re.compile(r"<!--KG:([A-Z_]+)-->")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S*\s*$")


def json_for_script(value: Any) -> str:
    """JSON that is inert inside an HTML `<script>` element whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


@cache
def vendor_script(name: str) -> str:
    """A vendored library's text, ready to inline: without its source-map comment (no fetch)."""
    text = (resources.files("kg.render") / "vendor" / name).read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("\n", text)
    if "</script" in text.lower() or "<!--" in text:
        raise RuntimeError(f"{name} cannot be inlined in a <script> element")
    return text


@cache
def template(name: str) -> str:
    return (resources.files("kg.render") / "templates" / name).read_text(encoding="utf-8")


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def fill(page: str, values: dict[str, str]) -> str:
    """Replace each `<!--KG:NAME-->` once, in one pass; an unknown or missing marker is a bug."""
    found = set(_MARKER.findall(page))
    if found != set(values):
        raise KeyError(f"template markers {sorted(found)} do not match values {sorted(values)}")
    return _MARKER.sub(lambda m: values[m.group(1)], page)


def build_page(payload: dict[str, Any], kind: str) -> str:
    """The HTML of one page from its payload; `kind` is `network` or `timeline`."""
    library = vendor_script(VENDOR[kind])
    app = template("common.js") + template(f"{kind}.js")  # one script: the CSP hashes it whole
    csp = ("default-src 'none'; "
           f"script-src {_sha256(library)} {_sha256(app)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")
    return fill(template(f"{kind}.html"), {
        "STYLE": template("common.css").rstrip("\n"),  # the rules both pages share
        "CSP": csp,
        "TITLE": payload["title"],  # a constant of ours, never article text
        "DATA": json_for_script(payload),
        "LIBRARY": library,
        "APP": app,
    })


def page_payload(data: GraphData, view: str, *, only_events: set[str] | None = None) -> dict[str, Any]:
    """The JSON a view's page is drawn from."""
    if view == "timeline":
        from kg.render.timeline import timeline_payload

        return timeline_payload(data, only_events)
    if view in ("actors", "events"):
        from kg.render.network import network_payload

        if only_events is not None:
            data = GraphData({k: v for k, v in data.events.items() if k in only_events}, data.actors)
        return network_payload(data, view)
    raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")


def render_page(store: Store, view: str = "actors", *, only_events: set[str] | None = None) -> str:
    """A self-contained interactive page of the store: `actors`, `events` or `timeline`.

    `only_events` (event IRIs) restricts the page, e.g. to the rows `kg timeline` selected.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    payload = page_payload(load(store), view, only_events=only_events)
    return build_page(payload, "timeline" if view == "timeline" else "network")
