"""The values extraction produces: one EventFrame per event a sentence reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.nlp.dates import TimeExpression
from kg.nlp.gazetteer import Actor, Place


@dataclass(slots=True)
class EventFrame:
    """One event as one sentence of one article states it (a future med:EventMention)."""

    classes: set[str]
    cameo: str
    trigger: str
    evidence: str
    start: int                      # evidence offsets in the article text
    end: int
    mediators: list[str] = field(default_factory=list)     # actor IRIs
    parties: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    time: TimeExpression | None = None
    location: Place | None = None
    status: str = "occurred"
    confidence: float = 0.5
    speakers: list[str] = field(default_factory=list)   # people the sentence reports as saying it
    ongoing: bool = False                                # told in the present ("are working")
    recent: bool = False                                 # the sentence calls it recent

    def actors(self) -> list[str]:
        return [*self.mediators, *self.parties, *self.participants]


@dataclass(slots=True)
class Extraction:
    """Everything read from one article: its events and the actors they name."""

    frames: list[EventFrame]
    actors: dict[str, Actor]
    places: dict[str, Place]
    variants: dict[str, set[str]] = field(default_factory=dict)   # actor IRI → names met in the text
