"""Deciding which frames are the same real-world event, within and across articles.

The rule is a key, so that resolution needs no global pass and ingest order cannot change the
result. What goes into the key is data, `ontology/resolution.toml`, explained there and in the
README: the family of the event's classes, its core actors, and its date at the precision the
family is reported at (or the publication month of an undated mention).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from types import MappingProxyType

from kg.extract.frames import EventFrame
from kg.resources import ontology_file
from kg.sources.article import Article


@cache
def _rules() -> tuple[MappingProxyType, tuple[str, ...], frozenset[str]]:
    data = tomllib.loads(ontology_file("resolution.toml").read_text(encoding="utf-8"))
    return (MappingProxyType(dict(data["families"])), tuple(data["rules"]["family_order"]),
            frozenset(data["rules"]["month_families"]))


def event_family(classes: set[str]) -> str:
    """The family deciding identity for a mention carrying these classes."""
    families, order, _ = _rules()
    present = {families[c] for c in classes}
    return next(f for f in order if f in present)


def event_key(frame: EventFrame, article: Article, state_of: Callable[[str], str] = lambda iri: iri) -> str:
    """The identity of the real-world event a frame describes."""
    _, _, month_families = _rules()
    core = sorted(set(frame.mediators) | set(frame.parties)) or sorted({state_of(a) for a in frame.participants})
    family = event_family(frame.classes)
    if frame.time is not None and frame.time.value:
        when = frame.time.value[:7] if family in month_families else frame.time.value
    elif article.published is not None:
        when = article.published.isoformat()[:7]
    else:
        when = f"article:{article.identifier}"
    return "|".join([family, ",".join(core), when])
