"""Event frames from annotated sentences: what happened, who mediated between whom, when, where.

One pass over each sentence: triggers from the lexicon name candidate events; goals ("talks
aimed at brokering a ceasefire") and weaker readings absorbed by stronger ones are dropped;
roles come from how news states them ("between A and B", "mediated by A", "A's mediation",
"A-B talks"), with the sentence's subject as mediator of a mediation whose cue names none;
the date is the temporal expression nearest the trigger, the place the nearest locative name.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.frames import EventFrame, Extraction
from kg.extract.lexicon import Lexicon
from kg.nlp.dates import TimeExpression, tag_dates
from kg.nlp.gazetteer import Actor, KnowledgeBase, Place
from kg.nlp.mentions import ArticleContext, Mention, MentionFinder
from kg.nlp.tokens import Sentence, Token, split_sentences, tokenize
from kg.sources.article import Article

MEDIATION_CLASSES = frozenset({"Mediation", "MediationOffer"})
DYAD_CLASSES = frozenset({"Mediation", "MediationOffer", "Negotiation", "Agreement", "Ceasefire",
                          "PrisonerExchange"})
_AUX = frozenset({"has", "have", "had", "is", "are", "was", "were", "been", "be", "also", "successfully",
                  "already", "repeatedly", "long", "will", "would", "could", "the", "successful", "and"})


@dataclass(slots=True)
class _Trigger:
    cls: str
    start: int
    end: int
    text: str


class EventExtractor:
    """Turns an Article into an Extraction; holds only read-only knowledge, so it is reusable."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.kb = kb
        self.lex = lexicon
        self.finder = MentionFinder(kb, lexicon)

    def __call__(self, article: Article) -> Extraction:
        ctx = ArticleContext()
        frames: list[EventFrame] = []
        actors: dict[str, Actor] = {}
        places: dict[str, Place] = {}
        for sentence in split_sentences(article.text):
            tokens = tokenize(sentence.text, sentence.start)
            mentions = self.finder.find(tokens, article.text, 0, ctx, article.published)
            times = tag_dates(sentence.text, article.published)
            for frame in self._frames(sentence, tokens, mentions, times, ctx):
                frames.append(frame)
            for m in mentions:
                if m.actor:
                    actor = self.kb.actors.get(m.actor) or ctx.persons.get(m.actor)
                    if actor is not None:
                        actors[actor.iri] = actor
        for frame in frames:
            for iri in frame.actors():
                if iri not in actors:
                    actor = self.kb.actors.get(iri) or ctx.persons.get(iri)
                    if actor is not None:
                        actors[iri] = actor
            if frame.location is not None:
                places[frame.location.iri] = frame.location
        for actor in list(actors.values()):
            if actor.represents and actor.represents not in actors and actor.represents in self.kb.actors:
                actors[actor.represents] = self.kb.actors[actor.represents]
        return Extraction(frames, actors, places)

    # ------------------------------------------------------------------ triggers

    def _triggers(self, keys: list[str], tokens: list[Token]) -> list[_Trigger]:
        found = []
        for start, end, cls in self.lex.triggers.scan(keys):
            window = keys[max(0, start - self.lex.goal_window):start]
            if any(self.lex.goal_cues.ends_at(window, k) is not None for k in range(len(window), 0, -1)):
                continue
            found.append(_Trigger(cls, start, end, " ".join(t.text for t in tokens[start:end])))
        return found

    def _select(self, triggers: list[_Trigger]) -> list[list[_Trigger]]:
        """Group the sentence's triggers into events: stronger classes absorb what they cover."""
        classes = {t.cls for t in triggers}
        absorbed: set[str] = set()
        for head, covered in self.lex.absorbs:
            if head in classes and head not in absorbed:
                absorbed |= covered & classes - {head}
        kept = classes - absorbed
        if kept - self.lex.weak:
            kept -= self.lex.weak
        groups: dict[str, list[_Trigger]] = {}
        for t in triggers:
            if t.cls in kept:
                groups.setdefault(t.cls, []).append(t)
        # compounds: an Agreement named together with the exchange it concluded is one event
        for head, parts in self.lex.compounds.items():
            if head in groups and parts & groups.keys():
                target = sorted(parts & groups.keys())[0]
                groups[target].extend(groups.pop(head))
        return list(groups.values())

    # ------------------------------------------------------------------ frames

    def _frames(self, sentence: Sentence, tokens: list[Token], mentions: list[Mention],
                times: list[TimeExpression], ctx: ArticleContext) -> list[EventFrame]:
        keys = [t.key.lower() for t in tokens]
        triggers = self._triggers(keys, tokens)
        actor_mentions = [m for m in mentions if m.actor]
        place_mentions = [m for m in mentions if m.place]
        dyad = self._dyad(keys, actor_mentions)
        if dyad:
            ctx.last_dyad = (dyad[0], dyad[1])
        if not triggers:
            return []
        status, factor = self._status(keys)
        frames = []
        for group in self._select(triggers):
            classes = {t.cls for t in group}
            if any(t.cls in self.lex.compounds for t in triggers) and classes & set().union(
                    *self.lex.compounds.values()):
                classes |= {h for h, parts in self.lex.compounds.items()
                            if parts & classes and any(t.cls == h for t in triggers)}
            head = min(group, key=lambda t: t.start)
            primary = sorted(classes, key=lambda c: -self.lex.types[c].strength)[0]
            if "Visit" in classes:
                frames.extend(self._visits(sentence, tokens, keys, head, actor_mentions, place_mentions, times,
                                           status, factor, ctx))
                continue
            frame = EventFrame(classes=classes, cameo=self.lex.types[primary].cameo,
                               trigger=head.text, evidence=sentence.text, start=sentence.start, end=sentence.end)
            self._roles(frame, keys, head, actor_mentions, dyad, ctx)
            frame.time = _nearest(times, tokens, head)
            frame.location = self._location(place_mentions, head)
            frame.status = "planned" if classes == {"MediationOffer"} else status
            frame.confidence = self._confidence(frame, primary, factor)
            if not frame.actors():
                continue
            frames.append(frame)
        return frames

    def _status(self, keys: list[str]) -> tuple[str, float]:
        for rule in self.lex.status:
            for cue in rule.cues:
                n = len(cue)
                if any(tuple(keys[i:i + n]) == cue for i in range(len(keys) - n + 1)):
                    return rule.value, rule.factor
        return "occurred", 1.0

    def _confidence(self, frame: EventFrame, primary: str, factor: float) -> float:
        score = self.lex.types[primary].strength * factor
        if primary in MEDIATION_CLASSES and not (frame.mediators and frame.parties):
            score *= 0.8
        if frame.time is None:
            score *= 0.95
        return round(min(max(score, 0.05), 0.99), 2)

    # ------------------------------------------------------------------ roles

    def _dyad(self, keys: list[str], actors: list[Mention]) -> list[str]:
        """Parties named as "between A and B" or "A-B": the actors, in order."""
        by_start = {m.start: m for m in actors}
        for i, key in enumerate(keys):
            if key in self.lex.parties_between:
                found = self._list_after(i + 1, keys, by_start)
                if len(found) >= 2:
                    return found
        for m in actors:
            if m.end + 1 < len(keys) and keys[m.end] == "-" and (other := by_start.get(m.end + 1)):
                if other.actor != m.actor:
                    return [m.actor, other.actor]
        return []

    def _list_after(self, i: int, keys: list[str], by_start: dict[int, Mention]) -> list[str]:
        found: list[str] = []
        while i < len(keys):
            if keys[i] in ("the", "both", "and", ",", "(", "also"):
                i += 1
                continue
            m = by_start.get(i)
            if m is None or m.actor is None:
                break
            if m.actor not in found:
                found.append(m.actor)
            i = m.end
            if m.via == "demonym" and i < len(keys) and keys[i] not in ("and", ","):
                i += 1  # "Egyptian officials and ..."
        return found

    def _roles(self, frame: EventFrame, keys: list[str], head: _Trigger, actors: list[Mention],
               dyad: list[str], ctx: ArticleContext) -> None:
        mediation = bool(frame.classes & MEDIATION_CLASSES)
        mediators: list[str] = []
        for m in actors:
            state = self._state_of(m.actor)
            if mediation or frame.classes & DYAD_CLASSES:
                j = m.end
                while j < len(keys) and keys[j] in _AUX:
                    j += 1
                after = self.lex.mediator_after.starts_at(keys, j) if j < len(keys) else None
                before = self._mediator_cue_before(keys, m.start)
                if after is not None or (before is not None and mediation):
                    if state not in mediators:
                        mediators.append(state)
        parties = [self._state_of(a) for a in dyad]
        if not parties and frame.classes & DYAD_CLASSES and ctx.last_dyad:
            if any(self.lex.parties_anaphora.starts_at(keys, i) for i in range(len(keys))):
                parties = [self._state_of(a) for a in ctx.last_dyad]
        if mediation and not mediators:
            subject = next((m for m in actors if m.start < head.start
                            and self._state_of(m.actor) not in parties), None)
            if subject is not None:
                mediators.append(self._state_of(subject.actor))
        mediators = [m for m in mediators if m not in parties]
        if not mediation and mediators and not parties:
            # a cue without a dyad: the actors are taking part, not mediating
            mediators = []
        if not mediation and frame.classes & {"Negotiation"} and not parties:
            with_idx = next((i for i, k in enumerate(keys) if k in self.lex.parties_with and i > head.start), None)
            if with_idx is not None:
                after = [m for m in actors if m.start > with_idx]
                before = [m for m in actors if m.start < head.start]
                if after and before:
                    parties = [self._state_of(before[0].actor), self._state_of(after[0].actor)]
        frame.mediators = _unique(mediators)
        frame.parties = _unique(p for p in parties if p not in frame.mediators)
        taken = set(frame.mediators) | set(frame.parties)
        participants = []
        for m in actors:
            if m.actor not in taken and self._state_of(m.actor) not in taken:
                participants.append(m.actor)
        frame.participants = _unique(participants)

    def _mediator_cue_before(self, keys: list[str], start: int) -> int | None:
        j = start
        while j > 0 and keys[j - 1] in ("the", "of", "both"):
            j -= 1
        return self.lex.mediator_before.ends_at(keys, j)

    def _state_of(self, iri: str | None) -> str:
        """Persons stand in dyads and mediator roles for what they represent."""
        actor = self.kb.actors.get(iri or "")
        if actor is not None and actor.kind == "Person" and actor.represents:
            return actor.represents
        return iri or ""

    # ------------------------------------------------------------------ visits

    def _visits(self, sentence, tokens, keys, head, actors, places, times, status, factor,
                ctx) -> list[EventFrame]:
        """One visit per destination: "visits to Lebanon and Syria" are two visits."""
        destinations = [p for p in places if p.start > head.start] or [p for p in places]
        visitor = next((m for m in actors if m.start < head.start), None)
        frames = []
        for index, place_mention in enumerate(destinations or [None]):
            place = self._place(place_mention.place) if place_mention else None
            frame = EventFrame(classes={"Visit"}, cameo=self.lex.types["Visit"].cameo, trigger=head.text,
                               evidence=sentence.text, start=sentence.start, end=sentence.end)
            participants = []
            if visitor is not None:
                participants.append(visitor.actor)
            if place is not None and place.country:
                participants.append(place.country)
            participants += [m.actor for m in actors if m is not visitor and m.start < (
                place_mention.start if place_mention else len(keys))]
            frame.participants = _unique(participants)
            frame.location = place
            anchor = _Trigger("Visit", place_mention.start, place_mention.end, "") if place_mention else head
            frame.time = _nearest(times, tokens, head if index == 0 else anchor)
            frame.status = status
            frame.confidence = self._confidence(frame, "Visit", factor)
            if frame.participants:
                frames.append(frame)
        return frames

    def _place(self, iri: str | None) -> Place | None:
        if not iri:
            return None
        if iri in self.kb.places:
            return self.kb.places[iri]
        state_iri = iri.replace("/place/", "/actor/")
        if state_iri in self.kb.actors:
            return self.kb.state_place(state_iri)
        return None

    def _location(self, places: list[Mention], head: _Trigger) -> Place | None:
        if not places:
            return None
        nearest = min(places, key=lambda p: abs(p.start - head.start))
        return self._place(nearest.place)


def _nearest(times: list[TimeExpression], tokens: list[Token], head: _Trigger) -> TimeExpression | None:
    usable = [t for t in times if t.value]
    if not usable or not tokens:
        return None
    base = tokens[0].start
    anchor = tokens[min(head.start, len(tokens) - 1)].start - base
    return min(usable, key=lambda t: min(abs(t.start - anchor), abs(t.end - anchor)))


def _unique(items) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen
