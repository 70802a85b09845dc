"""Deciding which frames are the same real-world event, within and across articles.

The rule is a key, so that resolution needs no global pass and ingest order cannot change the
result: two frames are one event when they share the event family (mediation, diplomacy,
outcome, statement, conflict: see `FAMILIES`), the same core actors (mediators and parties, or
the participants where no dyad is named) and the same month — the month of their date, or,
for an undated frame, the month of the article that tells it (an undated report is taken to
be about recent events).
"""

from __future__ import annotations

from kg.extract.frames import EventFrame
from kg.sources.article import Article

FAMILIES = {
    "Mediation": "mediation", "MediationOffer": "offer", "Negotiation": "mediation",
    "Meeting": "diplomacy", "Visit": "visit", "Consultation": "diplomacy",
    "Agreement": "outcome", "Ceasefire": "ceasefire", "PrisonerExchange": "outcome", "Release": "outcome",
    "Statement": "statement", "Attack": "conflict",
}
MONTH_FAMILIES = frozenset({"outcome", "ceasefire"})


# For an event carrying several classes, the family of its most specific reading: a mediated
# truce is a ceasefire, a meeting between two sides is talks.
FAMILY_ORDER = ("ceasefire", "outcome", "offer", "mediation", "visit", "diplomacy", "conflict", "statement")


def event_family(classes: set[str]) -> str:
    families = {FAMILIES[c] for c in classes}
    return next(f for f in FAMILY_ORDER if f in families)


def event_key(frame: EventFrame, article: Article, state_of=lambda iri: iri) -> str:
    """The identity of the real-world event a frame describes."""
    core = sorted(set(frame.mediators) | set(frame.parties)) or sorted(
        {state_of(a) for a in frame.participants})
    family = event_family(frame.classes)
    if frame.time is not None and frame.time.value:
        # Deals and truces are reported at every precision ("in September", "this month", a
        # day), so they meet at the month; other events keep the precision the text gives.
        when = frame.time.value[:7] if family in MONTH_FAMILIES else frame.time.value
    elif article.published is not None:
        when = article.published.isoformat()[:7]
    else:
        when = f"article:{article.identifier}"
    return "|".join([family, ",".join(core), when])
