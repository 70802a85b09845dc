"""Across sentences of one article: what refers back to what, and what the article as a whole
supplies to events a sentence tells only in part (their date, their mediators).

These passes run after every sentence has been read into frames (see `kg.extract.events`).
"""

from __future__ import annotations

from kg.extract.frames import EventFrame
from kg.nlp.dates import TimeExpression
from kg.nlp.mentions import ArticleContext
from kg.resolve import event_family
from kg.sources.article import Article

MEDIATION_CLASSES = frozenset({"Mediation", "MediationOffer"})
DYAD_CLASSES = frozenset({"Mediation", "MediationOffer", "Negotiation", "Agreement", "Ceasefire",
                          "PrisonerExchange"})
SPECIFICITY = {"day": 0, "month": 1, "year": 2}


def find_antecedent(earlier: list[EventFrame], classes: set[str]) -> EventFrame | None:
    """The latest event of the same family told before, for a trigger that refers back."""
    family = event_family(classes)
    for frame in reversed(earlier):
        if event_family(frame.classes) == family:
            return frame
    return None


def inherit(frame: EventFrame, antecedent: EventFrame) -> None:
    """Take from the event referred back to whatever roles, date and place this frame lacks."""
    frame.parties = frame.parties or list(antecedent.parties)
    frame.mediators = [m for m in frame.mediators or antecedent.mediators if m not in frame.parties]
    if not frame.mediators and not frame.parties:
        frame.participants = unique([*antecedent.participants, *frame.participants])
    frame.time = frame.time or antecedent.time
    frame.location = frame.location or antecedent.location


def share_dates(frames: list[EventFrame], state_of) -> None:
    """An undated frame takes the date of a dated frame of the same article with the same family
    and actors: it is the same event told again ("the visit" after "landed in Iran on Monday")."""
    def key(frame: EventFrame) -> tuple:
        core = frame.mediators + frame.parties or frame.participants
        family = event_family(frame.classes)
        return ("diplomacy" if family == "visit" else family), frozenset(state_of(a) for a in core)

    dated: dict[tuple, EventFrame] = {}
    for frame in frames:
        if event_family(frame.classes) == "statement":
            continue  # statements are dated one by one: a speaker says many things on many days
        if frame.time is not None and frame.time.value and frame.time.kind != "since":
            best = dated.get(key(frame))
            if best is None or SPECIFICITY.get(frame.time.granularity or "", 3) < SPECIFICITY.get(
                    best.time.granularity or "", 3):
                dated[key(frame)] = frame
    for frame in frames:
        if frame.time is None and event_family(frame.classes) != "statement" and (
                source := dated.get(key(frame))) is not None:
            frame.time = source.time


def mediators_of_process(frames: list[EventFrame], ctx: ArticleContext) -> None:
    """Talks, deals and truces between two sides take the mediators the article names for those
    sides elsewhere: an article on a mediated process names its mediators once or twice, not in
    every sentence."""
    for frame in frames:
        if frame.mediators or len(frame.parties) < 2 or not frame.classes & (DYAD_CLASSES - MEDIATION_CLASSES):
            continue
        if frame.status in ("denied", "reported"):
            continue
        # mediators named for the same sides at another time mediated another round
        month = frame.time.value[:7] if frame.time is not None and frame.time.value else None
        known = ctx.mediators_of.get(frozenset(frame.parties), [])
        frame.mediators = unique(m for m, when in known if m not in frame.parties
                                  and (when is None or month is None or when == month))


def date_from_context(frames: list[EventFrame], article: Article) -> None:
    """Dates the text gives only through context, each at the precision that context supports:

    - an ongoing mediation told in a speaker's words takes the day of that speaker's dated
      statement in the article ("X said at yesterday's briefing that all are working to …");
    - an undated visit or meeting told in the same sentence as a dated one took place near it:
      it takes that month ("arrived on Monday, concluding a tour that included visits to …");
    - an undated event the sentence calls recent takes the publication month.
    """
    statements = [f for f in frames if "Statement" in f.classes and f.time is not None and f.time.value]
    for frame in frames:
        if frame.time is not None:
            continue
        family = event_family(frame.classes)
        if frame.ongoing and family in ("mediation", "offer") and frame.speakers:
            said = next((s for s in statements if set(s.participants) & set(frame.speakers)), None)
            if said is not None:
                frame.time = said.time
                continue
        if family in ("visit", "diplomacy"):
            near = next((f for f in frames if f.start == frame.start and f is not frame and f.time is not None
                         and f.time.value and f.time.granularity == "day"), None)
            if near is not None:
                frame.time = month_of(near.time, near.time.value[:7])
                continue
        if frame.recent and article.published is not None and family != "statement":
            frame.time = month_of(None, article.published.isoformat()[:7])


def month_of(source: TimeExpression | None, month: str) -> TimeExpression:
    return TimeExpression(text=source.text if source else "recent", start=source.start if source else 0,
                          end=source.end if source else 0, value=month, end_value=None, granularity="month",
                          kind="vague")


def unique(items) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen
