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
DAY_FAMILIES = frozenset({"statement", "visit", "diplomacy", "conflict"})


def event_family(classes: set[str]) -> str:
    return min(FAMILIES[c] for c in classes)


def event_key(frame: EventFrame, article: Article, state_of=lambda iri: iri) -> str:
    """The identity of the real-world event a frame describes."""
    core = sorted(set(frame.mediators) | set(frame.parties)) or sorted(
        {state_of(a) for a in frame.participants})
    family = event_family(frame.classes)
    if frame.time is not None and frame.time.value:
        # Short-lived happenings (a briefing, a visit) are told to the day; negotiations and
        # deals are reported at every precision, so they meet at the month.
        when = frame.time.value if family in DAY_FAMILIES else frame.time.value[:7]
    elif article.published is not None:
        when = article.published.isoformat()[:7]
    else:
        when = f"article:{article.identifier}"
    return "|".join([family, ",".join(core), when])
