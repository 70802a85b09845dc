"""Event frames from annotated sentences: what happened, who mediated between whom, when, where.

One pass over each sentence: triggers from the lexicon name candidate events; goals ("talks
aimed at brokering a ceasefire") and weaker readings absorbed by stronger ones are dropped;
roles come from how news states them ("between A and B", "mediated by A", "A's mediation",
"A-B talks", "bring A and B to the table"), with the sentence's subject as mediator of a
mediation whose cue names none. Sides left unnamed are read from the conflict the sentence or
article is about (`ontology/conflicts.toml`). A trigger that refers back ("the pause", "this
mediation") takes the roles of the event it refers to. The date is the most precise temporal
expression of the trigger's clause; the place, the nearest place named as a place.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace

from kg.extract.coref import (
    DYAD_CLASSES,
    MEDIATION_CLASSES,
    SPECIFICITY,
    date_from_context,
    find_antecedent,
    inherit,
    mediators_of_process,
    share_dates,
    unique,
)
from kg.extract.frames import EventFrame, Extraction
from kg.extract.lexicon import Lexicon
from kg.nlp.dates import TimeExpression, tag_dates
from kg.nlp.gazetteer import Actor, Conflict, KnowledgeBase, Place
from kg.nlp.mentions import ArticleContext, Mention, MentionFinder
from kg.nlp.tokens import Sentence, Token, split_sentences, tokenize
from kg.resolve import event_family
from kg.sources.article import Article

CONFLICT_OUTCOMES = frozenset({"Mediation", "MediationOffer", "Ceasefire", "PrisonerExchange", "Negotiation",
                               "Agreement"})
_AUX = frozenset({"has", "have", "had", "is", "are", "was", "were", "been", "be", "also", "successfully",
                  "already", "repeatedly", "long", "will", "would", "could", "the", "successful", "and"})
# "Switzerland's minister, whose government mediated", "Cuba and Norway, which acted as guarantors"
_RELATIVE = frozenset({",", "whose", "which", "who", "government", "that"})
_NOT_MODIFIERS = frozenset({"of", "in", "to", "for", "on", "at", "with", "by", "from", "and", "or", "that", "which",
                            "has", "have", "had", "is", "are", "was", "were", "will", "would", "be", "been"})
TALKS = frozenset({"Negotiation", "Mediation", "Meeting", "Consultation"})
SIDED_FAMILIES = frozenset({"ceasefire", "outcome", "mediation", "offer"})
# A "sentence" longer than this is a list, a table or text that lost its full stops, not prose; it
# is read in pieces cut at a space. Why: the rules look across the whole sentence once per clause
# and per event, so an unbounded sentence costs its length squared (a 20,000-word one took
# minutes; tests/test_fuzz.py). The longest sentence in seeds/ and tests/data/ has 420 characters.
MAX_SENTENCE_CHARS = 2000


@dataclass(slots=True)
class _Trigger:
    cls: str
    start: int
    end: int
    text: str
    anaphoric: bool = False


class EventExtractor:
    """Turns an Article into an Extraction; holds only read-only knowledge, so it is reusable."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.kb = kb
        self.lex = lexicon
        self.finder = MentionFinder(kb, lexicon)
        self._ctx = ArticleContext()
        self._tokens: list[Token] = []
        self._scanned: tuple[list[str] | None, list[tuple[int, int, str]], list[int]] = (None, [], [])

    def __call__(self, article: Article) -> Extraction:
        ctx = ArticleContext()
        self._ctx = ctx
        frames: list[EventFrame] = []
        actors: dict[str, Actor] = {}
        variants: dict[str, set[str]] = {}
        when = article.published.isoformat() if article.published else None
        for index, sentence in enumerate(_bounded(split_sentences(article.text))):
            tokens = tokenize(sentence.text, sentence.start)
            if index == 0:
                self._read_dateline(tokens, article.text, ctx)
            mentions = self.finder.find(tokens, article.text, 0, ctx, article.published)
            self._count_states(mentions, ctx)
            keys = [t.key.lower() for t in tokens]
            conflict = self._sentence_conflict(keys, mentions, when)
            if conflict is not None:
                ctx.conflict = conflict
            times = tag_dates(sentence.text, article.published)
            for lo, hi in _clauses(tokens):
                clause_mentions = [m for m in mentions if lo <= m.start and m.end <= hi]
                base = tokens[lo].start - sentence.start
                clause_times = [t for t in times if base <= t.start and t.end <= tokens[hi - 1].end - sentence.start]
                new = self._frames(sentence, tokens, keys, clause_mentions, clause_times, ctx, conflict,
                                   frames, (lo, hi))
                self._mark_reporting(new, keys, mentions, ctx)
                frames.extend(new)
            for m in mentions:
                if m.actor:
                    actor = self.kb.actors.get(m.actor) or ctx.persons.get(m.actor)
                    if actor is not None:
                        actors[actor.iri] = actor
                        if m.via in ("name", "alias", "person", "capital", "metonym") and m.text != actor.label:
                            variants.setdefault(actor.iri, set()).add(m.text)
        mediators_of_process(frames, ctx)
        share_dates(frames, self._state_of)
        date_from_context(frames, article)
        places: dict[str, Place] = {}
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
        return Extraction(frames, actors, places, {k: v for k, v in variants.items() if k in actors})

    # ------------------------------------------------------------------ article context

    def _mark_reporting(self, frames: list[EventFrame], keys: list[str], mentions: list[Mention],
                        ctx: ArticleContext) -> None:
        """Who the sentence quotes, whether it speaks in the present, whether it says "recent"."""
        if not frames:
            return  # most clauses: and looking over the whole sentence once per clause is quadratic
        reporting = any(k in self.lex.reporting_verbs for k in keys)
        speakers = [m.actor for m in mentions if m.actor and m.actor in ctx.persons] if reporting else []
        ongoing = any(a in self.lex.present_auxiliaries and b.endswith("ing") for a, b in zip(keys, keys[1:],
                                                                                                  strict=False))
        recent = any(k in self.lex.recency for k in keys)
        for frame in frames:
            frame.speakers, frame.ongoing, frame.recent = speakers, ongoing, recent

    def _read_dateline(self, tokens: list[Token], text: str, ctx: ArticleContext) -> None:
        """"Doha, Qatar: …" or "CAIRO — …": the article's home state, for unqualified titles."""
        keys = [t.key for t in tokens[:8]]
        for stop in (":", "—", "–", "-"):
            if stop in keys:
                head = tokens[: keys.index(stop)]
                for match in self.kb.find_names(head, text):
                    for entry in match.entries:
                        state = entry.actor if entry.kind in ("capital", "name") else None
                        if entry.kind == "place" and entry.place in self.kb.places:
                            state = self.kb.places[entry.place].country
                        if state and self.kb.actors.get(state) and self.kb.actors[state].kind == "State":
                            ctx.home_state = state
                            ctx.dateline = True
                            return
                return

    def _count_states(self, mentions: list[Mention], ctx: ArticleContext) -> None:
        for m in mentions:
            actor = self.kb.actors.get(m.actor or "")
            if actor is not None and actor.kind == "State":
                ctx.state_counts[actor.iri] = ctx.state_counts.get(actor.iri, 0) + 1
        if not ctx.dateline and ctx.state_counts:
            ctx.home_state = max(sorted(ctx.state_counts), key=lambda s: ctx.state_counts[s])

    def _sentence_conflict(self, keys: list[str], mentions: list[Mention], when: str | None) -> Conflict | None:
        for m in mentions:
            if m.place and (conflict := self.kb.conflict_at(m.place, when)):
                return conflict
        firsts = self.kb.conflict_firsts()
        for i, key in enumerate(keys):
            if key not in firsts:
                continue
            for length in range(min(6, len(keys) - i), 0, -1):
                for conflict in self.kb.conflict_names.get(tuple(keys[i:i + length]), ()):
                    if conflict.covers(when):
                        return conflict
        return None

    # ------------------------------------------------------------------ triggers

    def _triggers(self, keys: list[str], tokens: list[Token], mentions: list[Mention],
                  span: tuple[int, int] | None = None) -> list[_Trigger]:
        """The triggers lying within `span` (a clause). The sentence is scanned once, not once per
        clause: a sentence of thousands of quoted clauses made that quadratic (tests/test_fuzz.py)."""
        if self._scanned[0] is not keys:
            matches = self.lex.triggers.scan(keys)
            self._scanned = (keys, matches, [m[0] for m in matches])
        _, matches, starts = self._scanned
        lo, hi = span or (0, len(keys))
        in_span = matches[bisect_left(starts, lo):bisect_left(starts, hi)]
        if not in_span:
            return []  # a clause without a trigger (about half of them)
        found = []
        actor_tokens = {i for m in mentions if m.actor for i in range(m.start, m.end)}
        for start, end, cls in in_span:
            if end > hi:
                continue
            window = keys[max(0, start - self.lex.goal_window):start]
            if any(self.lex.goal_cues.ends_at(window, k) is not None for k in range(len(window), 0, -1)):
                continue
            specified = end < len(keys) and keys[end] in (*self.lex.parties_between, "of")  # "the release of"
            anaphoric = (self._refers_back(keys, start, actor_tokens) and not specified
                         and "of" not in keys[start:end] and tuple(keys[start:end]) not in self.lex.role_nouns)
            found.append(_Trigger(cls, start, end, " ".join(t.key for t in tokens[start:end]), anaphoric))
        return found

    def _refers_back(self, keys: list[str], start: int, actor_tokens: set[int]) -> bool:
        """A determiner before the trigger, with at most two modifiers between ("the recent
        agreement", "this mediation"), and no name or preposition in the way."""
        j = start - 1
        for _ in range(3):
            if j < 0 or j in actor_tokens or keys[j] in _NOT_MODIFIERS or not keys[j].isalpha():
                return False
            if keys[j] in self.lex.anaphoric:
                return True
            j -= 1
        return False

    def _select(self, triggers: list[_Trigger]) -> tuple[list[list[_Trigger]], dict[int, int]]:
        """Group the sentence's triggers into events: stronger classes absorb what they cover;
        a trigger that refers back to an event already told absorbs nothing.

        Returns the groups, and for every trigger (absorbed ones too) the group it belongs to.
        """
        classes = {t.cls for t in triggers}
        heads = {t.cls for t in triggers if not t.anaphoric}
        absorbed_by: dict[str, str] = {}
        for head, covered in self.lex.absorbs:
            if head in heads and head not in absorbed_by:
                for cls in covered & classes - {head}:
                    absorbed_by.setdefault(cls, head)
        kept = classes - absorbed_by.keys()
        if heads & kept - self.lex.weak:
            for cls in kept & self.lex.weak:
                absorbed_by[cls] = ""
            kept -= self.lex.weak
        groups: dict[str, list[_Trigger]] = {}
        for t in triggers:
            if t.cls in kept:
                groups.setdefault(t.cls, []).append(t)
        merged_into: dict[str, str] = {}
        for head, parts in self.lex.compounds.items():
            if head in groups and parts & groups.keys():
                target = sorted(parts & groups.keys())[0]
                groups[target].extend(groups.pop(head))
                merged_into[head] = target
        order = list(groups)
        owner: dict[int, int] = {}
        for t in triggers:
            cls = t.cls
            for _ in range(4):
                cls = merged_into.get(cls, cls)
                if cls in groups:
                    break
                cls = absorbed_by.get(cls, "")
            if cls in groups:
                owner[t.start] = order.index(cls)
        return [groups[c] for c in order], owner

    # ------------------------------------------------------------------ frames

    def _frames(self, sentence: Sentence, tokens: list[Token], keys: list[str], mentions: list[Mention],
                times: list[TimeExpression], ctx: ArticleContext, conflict: Conflict | None,
                earlier: list[EventFrame], span: tuple[int, int]) -> list[EventFrame]:
        lo, hi = span
        self._tokens = tokens
        triggers = [t for t in self._triggers(keys, tokens, mentions, span) if lo <= t.start and t.end <= hi]
        if not triggers:
            return []
        actor_mentions = [m for m in mentions if m.actor]
        place_mentions = [m for m in mentions if m.place]
        frames: list[EventFrame] = []
        frame_explicit: dict[int, bool] = {}
        antecedent: EventFrame | None = None
        groups, owner = self._select(triggers)
        dyad, dyad_at = self._dyad(keys, actor_mentions)
        # a "between A and B" belongs to the trigger just before it ("phone calls between …")
        dyad_owner = next((owner.get(t.start) for t in sorted(triggers, key=lambda t: -t.start)
                           if t.start < dyad_at), None) if dyad else None
        for index, group in enumerate(groups):
            classes = {t.cls for t in group}
            head = min(group, key=lambda t: t.start)
            status, factor = self._status(keys, head)
            # ties broken by name: a set's order changes with the process's hash seed, and the same
            # article must give the same graph in every run (a mediation and a swap are both 0.85)
            primary = sorted(classes, key=lambda c: (-self.lex.types[c].strength, c))[0]
            own_dyad = dyad if dyad_owner in (None, index) else []
            members = [t for t in triggers if owner.get(t.start) == index]
            if all(tuple(keys[t.start:t.end]) in self.lex.role_nouns for t in members) and not own_dyad:
                continue  # "Egyptian and Qatari mediators": a role named, not an event reported
            others = [t for t in triggers if owner.get(t.start) not in (index, None) and not t.anaphoric]
            if classes & {"Meeting", "Consultation"} and len(self._states(own_dyad)) == 2 and not any(
                    self.kb.actors.get(a) is None or self.kb.actors[a].kind == "Person" for a in own_dyad):
                # "the meeting between the US and Iran": states or groups meeting as sides are talks
                classes = classes | {"Negotiation"}
            if "Visit" in classes:
                frames.extend(self._visits(sentence, tokens, keys, group, actor_mentions, place_mentions, times,
                                           others, status, factor))
                continue
            frame = EventFrame(classes=classes, cameo=self.lex.types[primary].cameo,
                               trigger=head.text, evidence=sentence.text, start=sentence.start, end=sentence.end)
            explicit = self._roles(frame, keys, head, actor_mentions, own_dyad, ctx, conflict)
            frame_explicit[id(frame)] = explicit
            frame.time = _pick_time(times, tokens, head, others)
            if frame.time is not None and frame.time.kind == "since":
                after = sentence.text[frame.time.end:frame.time.end + 8].lower()
                if after.lstrip(" ,").startswith("when") and head.start > 0:
                    # "the worst since August last year, when a truce ended …": the event is at that date
                    frame.time = replace(frame.time, kind="absolute")
                elif event_family(classes) in SIDED_FAMILIES - {"mediation", "offer"}:
                    frame.time = None  # a deal or truce happens at a point; "since" dates something else
            frame.location = self._location(place_mentions, head)
            frame.status = "planned" if classes == {"MediationOffer"} else status
            self._host_mediates(frame)
            if not frame.parties and frame.classes & DYAD_CLASSES and any(t.anaphoric for t in members):
                # "The talks … were facilitated by Norway": the sides of the talks told before
                if (earlier_talks := find_antecedent(earlier, {"Negotiation"})) is not None:
                    frame.parties = [p for p in earlier_talks.parties if p not in frame.mediators]
                    frame.time = frame.time or earlier_talks.time
            if all(t.anaphoric for t in group) and not explicit:
                antecedent = find_antecedent(earlier, classes)
                if antecedent is not None and antecedent.parties:
                    # the event referred back to knows its sides better than the conflict does
                    frame.parties, frame.mediators = [], [m for m in frame.mediators if m not in antecedent.parties]
                if antecedent is None and len(self._states(frame.actors())) < 2:
                    continue
                if antecedent is not None:
                    inherit(frame, antecedent)
            frame.confidence = self._confidence(frame, primary, factor)
            frames.append(frame)
        if antecedent is not None and event_family(antecedent.classes) in SIDED_FAMILIES:
            # "The pause saw the release of …": what the sentence adds belongs to the event it refers to.
            for frame in frames:
                if not frame_explicit.get(id(frame)) and event_family(frame.classes) in SIDED_FAMILIES:
                    inherit(frame, antecedent)
        for frame in frames:
            if frame.classes & DYAD_CLASSES and len(frame.parties) < 2 and not frame_explicit.get(id(frame)):
                # "a prisoner swap deal this month" naming one side: the deal with that side told before
                known = set(frame.parties) | self._states(frame.participants)
                partner = next((f for f in reversed(earlier) if event_family(f.classes) == event_family(
                    frame.classes) and len(f.parties) >= 2 and known and known <= set(f.parties) | set(
                    f.mediators)), None)
                if partner is not None:
                    frame.parties = []
                    inherit(frame, partner)
                    frame.participants = [p for p in frame.participants
                                          if self._state_of(p) not in set(frame.parties) | set(frame.mediators)]
        for frame in frames:
            if frame.mediators and len(frame.parties) >= 2:
                month = frame.time.value[:7] if frame.time is not None and frame.time.value else None
                known = ctx.mediators_of.setdefault(frozenset(frame.parties), [])
                known.extend((m, month) for m in frame.mediators if (m, month) not in known)
        return [f for f in frames if self._enough_actors(f)]

    def _enough_actors(self, frame: EventFrame) -> bool:
        """Talks, deals and mediations have two sides; meetings two actors; a statement one."""
        if frame.classes & DYAD_CLASSES and "MediationOffer" not in frame.classes:
            return len(frame.parties) >= 2
        states = self._states(frame.actors())
        if frame.classes & {"Meeting", "Consultation"}:
            return len(states) >= 2 or len(set(frame.actors())) >= 2
        return bool(states)

    def _states(self, iris: list[str]) -> set[str]:
        return {self._state_of(i) for i in iris if i}

    def _status(self, keys: list[str], head: _Trigger) -> tuple[str, float]:
        """Denied, planned or reported when a cue stands near the trigger (the window is data)."""
        lo = max(0, head.start - self.lex.status_before)
        hi = min(len(keys), head.end + self.lex.status_after)
        window = keys[lo:hi]
        for rule in self.lex.status:
            for n in rule.lengths:
                if any(tuple(window[i:i + n]) in rule.cues for i in range(len(window) - n + 1)):
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

    def _dyad(self, keys: list[str], actors: list[Mention]) -> tuple[list[str], int]:
        """Parties named as "between A and B" or "A-B": the actors in order, and where."""
        by_start = {m.start: m for m in actors}
        for i, key in enumerate(keys):
            if key in self.lex.parties_between:
                found = self._list_after(i + 1, keys, by_start)
                if len(found) >= 2:
                    return found, i
        for m in actors:
            if m.end + 1 < len(keys) and keys[m.end] == "-" and (other := by_start.get(m.end + 1)):
                if other.actor != m.actor:
                    return [m.actor, other.actor], m.start
        return [], -1

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

    def _coordinated_pair(self, actors: list[Mention], keys: list[str], exclude: set[str]) -> list[str]:
        """Two actors joined by "and" ("bring the US and Iran to the table", "Sudan's army and the
        RSF signed"), each perhaps with a possessive and a head ("Colombia's government and …")."""
        for a, b in zip(actors, actors[1:], strict=False):
            between = keys[a.end:b.start]
            if "and" not in between or not a.actor or not b.actor:
                continue
            i = between.index("and")
            left, right = between[:i], between[i + 1:]
            if all(k in self.lex.actor_heads or k in ("'", "s") for k in left) and all(
                    k in ("the", "its", "their") or k in self.lex.actor_heads or k.isalpha() and len(right) <= 2
                    for k in right):
                pair = [self._state_of(a.actor), self._state_of(b.actor)]
                if pair[0] != pair[1] and not set(pair) & exclude:
                    return pair
        return []

    def _roles(self, frame: EventFrame, keys: list[str], head: _Trigger, actors: list[Mention],
               dyad: list[str], ctx: ArticleContext, conflict: Conflict | None) -> bool:
        """Fill the frame's roles; True when its sides were named in the sentence itself."""
        mediation = bool(frame.classes & MEDIATION_CLASSES)
        dyadic = bool(frame.classes & DYAD_CLASSES)
        mediators: list[str] = []
        for m in actors:
            if not dyadic:
                break
            j = m.end
            after = self.lex.mediator_after.starts_at(keys, j)  # "Qatari mediation", "Egypt-brokered"
            while after is None and j < len(keys) and (keys[j] in _AUX or keys[j] in _RELATIVE or (
                    m.via == "demonym" and keys[j] in self.lex.actor_heads)):
                j += 1
                after = self.lex.mediator_after.starts_at(keys, j)
            before = self._mediator_cue_before(keys, m.start, self._tokens)
            if after is not None or (before is not None and mediation):
                mediators.append(self._state_of(m.actor))
        # "brokered by Egypt and Qatar", "Qatar, Egypt and the US mediated": actors coordinated
        # with a mediator mediate too (in both directions, until nothing changes)
        changed = bool(mediators)
        while changed:
            changed = False
            for a, b in zip(actors, actors[1:], strict=False):
                between = keys[a.end:b.start]
                if not between or not all(k in ("and", ",", "the") for k in between):
                    continue
                sa, sb = self._state_of(a.actor), self._state_of(b.actor)
                if (sa in mediators) != (sb in mediators):
                    mediators.append(sb if sa in mediators else sa)
                    changed = True
        parties = [self._state_of(a) for a in dyad] if dyadic else []
        if dyadic and not parties and ctx.last_dyad and _contains(self.lex.parties_anaphora, keys):
            parties = list(ctx.last_dyad)
        if dyadic and not parties and not head.anaphoric and not mediation:
            parties = self._coordinated_pair(actors, keys, set(mediators))
        if mediation and not head.anaphoric and (not mediators or "MediationOffer" in frame.classes):
            subjects = self._subjects(keys, head, actors, parties)
            if subjects:
                mediators[:0] = [self._state_of(m.actor) for m in subjects]
            elif self._role_noun_subject(keys, head, actors):
                mediators.extend(ctx.last_mediators)  # "The powerful Gulf mediator has …"
        if dyadic and not parties and not head.anaphoric and mediation:
            parties = self._coordinated_pair([m for m in actors if self._state_of(m.actor) not in mediators],
                                             keys, set(mediators))
        if dyadic and not parties and frame.classes & {"Negotiation"} and not mediation:
            with_idx = next((i for i, k in enumerate(keys) if k in self.lex.parties_with and i > head.start), None)
            if with_idx is not None:
                after = [m for m in actors if m.start > with_idx]
                before = [m for m in actors if m.start < head.start]
                if after and before:
                    parties = [self._state_of(before[0].actor), self._state_of(after[0].actor)]
        explicit = bool(parties)
        others = {self._state_of(m.actor) for m in actors} - set(mediators)
        if dyadic and not parties and mediators and not others and ctx.last_dyad and not head.anaphoric and \
                not set(ctx.last_dyad) & set(mediators) and conflict is None:
            parties = list(ctx.last_dyad)  # "Norway said it was ready to host the next round"
        if dyadic and not parties and frame.classes & CONFLICT_OUTCOMES:
            # the sides of the conflict this sentence (or, failing that, the article) is about
            source = conflict
            if source is None and (_contains(self.lex.conflict_anaphora, keys) or not others):
                source = ctx.conflict  # type: ignore[assignment]
            if source is not None and not set(source.parties) & set(mediators):
                parties = list(source.parties)
                if not mediators and not others and frame.classes & {"Negotiation"}:
                    mediators = unique(m for m, _ in ctx.mediators_of.get(frozenset(parties), []))
        mediators = [m for m in unique(mediators) if m not in parties]
        if not mediation and mediators and not parties:
            mediators = []  # a cue without sides: the actors take part, they do not mediate
        if dyadic and len(parties) >= 2:
            ctx.last_dyad = (parties[0], parties[1])
        if mediators:
            ctx.last_mediators = unique(mediators)
        frame.mediators = mediators
        frame.parties = unique(p for p in parties if p not in mediators)
        taken = set(frame.mediators) | set(frame.parties)
        participants = [a for a in dyad if not dyadic]
        participants += [m.actor for m in actors if m.actor not in taken and self._state_of(m.actor) not in taken]
        frame.participants = unique(participants)
        return explicit

    def _role_noun_subject(self, keys: list[str], head: _Trigger, actors: list[Mention]) -> bool:
        """Whether the sentence's subject is a role noun with a determiner ("the mediator")."""
        first_actor = min((m.start for m in actors), default=len(keys))
        for i in range(min(head.end, first_actor)):
            if (keys[i],) in self.lex.role_nouns and self._refers_back(keys, i, set()):
                return True
        return False

    def _subjects(self, keys: list[str], head: _Trigger, actors: list[Mention], parties: list[str]
                  ) -> list[Mention]:
        """The actors the trigger is said of: the first actor before it and those coordinated
        with it ("Cuba and Norway, which acted as guarantors"), or, after a fronted phrase ("As
        one of the key mediators in the talks, Qatar …"), the first after the comma."""
        usable = [m for m in actors if self._state_of(m.actor) not in parties]
        first = next((m for m in usable if m.start < head.start), None)
        if first is None and keys and keys[0] in self.lex.fronting:
            comma = next((i for i in range(head.end, len(keys)) if keys[i] == ","), None)
            if comma is not None:
                first = next((m for m in usable if m.start > comma), None)
        if first is None:
            return []
        chosen = [first]
        for m in usable:
            if m.start > chosen[-1].end and all(k in ("and", ",", "the") for k in keys[chosen[-1].end:m.start]) \
                    and "and" in keys[chosen[-1].end:m.start] and m.end <= max(head.start, m.end):
                chosen.append(m)
        return chosen

    def _host_mediates(self, frame: EventFrame) -> None:
        """Talks between two sides held in a third state: the host is a mediator of them (CAMEO
        043/045). Only for talks the text says took place, not reported or planned ones."""
        if not frame.classes & {"Negotiation", "Mediation"} or frame.classes - TALKS or len(frame.parties) < 2 \
                or frame.status != "occurred" or frame.location is None:
            return
        if self.kb.conflict_at(frame.location.iri, frame.time.value if frame.time else None):
            return  # where the war is fought, not where the talks are hosted
        host = frame.location.country
        if host and host not in frame.parties and host not in frame.mediators:
            frame.mediators.append(host)
            frame.participants = [p for p in frame.participants if self._state_of(p) != host]

    def _mediator_cue_before(self, keys: list[str], start: int, tokens: list[Token] | None = None) -> int | None:
        """A cue ending just before the actor, across "the", "both" and up to two capitalised
        words ("facilitated by the Royal Norwegian Government")."""
        j, skipped = start, 0
        while j > 0 and (keys[j - 1] in ("the", "of", "both") or (
                tokens is not None and skipped < 2 and tokens[j - 1].text[:1].isupper() and keys[j - 1].isalpha())):
            skipped += keys[j - 1] not in ("the", "of", "both")
            j -= 1
            if (cue := self.lex.mediator_before.ends_at(keys, j)) is not None:
                return cue
        return self.lex.mediator_before.ends_at(keys, j)

    def _state_of(self, iri: str | None) -> str:
        """Persons stand in dyads and mediator roles for what they represent."""
        actor = self.kb.actors.get(iri or "") or self._ctx.persons.get(iri or "")
        if actor is not None and actor.kind == "Person" and actor.represents:
            return actor.represents
        return iri or ""

    # ------------------------------------------------------------------ visits

    def _visits(self, sentence, tokens, keys, group, actors, places, times, others, status,
                factor) -> list[EventFrame]:
        """One visit per destination: "visits to Lebanon and Syria" are two visits."""
        seen: set[str] = set()
        frames = []
        first = min(t.start for t in group)
        visitor = next((m for m in reversed(actors) if m.start < first), None)
        for trigger in sorted(group, key=lambda t: t.start):
            for place_mention in self._destinations(trigger, keys, places, [*group, *others]):
                place = self._place(place_mention.place)
                if place is None or place.iri in seen:
                    continue
                seen.add(place.iri)
                frame = EventFrame(classes={"Visit"}, cameo=self.lex.types["Visit"].cameo, trigger=trigger.text,
                                   evidence=sentence.text, start=sentence.start, end=sentence.end)
                who = visitor or next((m for m in actors if trigger.end <= m.start < place_mention.start), None)
                participants = [who.actor] if who is not None else []
                if place.country:
                    participants.append(place.country)
                participants += [m.actor for m in actors if m is not who]
                frame.participants = unique(participants)
                frame.location = place
                frame.time = _pick_time(times, tokens, trigger, [*others, *(t for t in group if t is not trigger)])
                frame.status = status
                frame.confidence = self._confidence(frame, "Visit", factor)
                frames.append(frame)
        return frames

    def _destinations(self, trigger: _Trigger, keys: list[str], places: list[Mention],
                      triggers: list[_Trigger]) -> list[Mention]:
        """The place list a visit trigger points at: the first place after it in its clause,
        and the places coordinated with that one."""
        later = [t.start for t in triggers if t.start > trigger.start and t.cls == "Visit"]
        limit = min(later) if later else len(keys)
        after = [p for p in places if trigger.start < p.start < limit]
        if not after:
            return []
        chosen = [after[0]]
        for p in after[1:]:
            if all(k in ("and", ",", "the") for k in keys[chosen[-1].end:p.start]):
                chosen.append(p)
            else:
                break
        return chosen

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


def _bounded(sentences: list[Sentence], limit: int = MAX_SENTENCE_CHARS) -> Iterator[Sentence]:
    """The sentences, any longer than `limit` cut at spaces into pieces no longer than it."""
    for sentence in sentences:
        text, lo = sentence.text, 0
        while lo < len(text):
            cut = len(text) if len(text) - lo <= limit else text.rfind(" ", lo + 1, lo + limit)
            cut = cut if cut > lo else lo + limit
            piece = text[lo:cut]
            stripped = piece.strip()
            if stripped:
                begin = sentence.start + lo + len(piece) - len(piece.lstrip())
                yield Sentence(stripped, begin, begin + len(stripped))
            lo = cut


def _clauses(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token spans of a sentence's clauses: quoted speech and ';' start a new one, so that a
    trigger in the reporting clause does not absorb one in the quote."""
    bounds = [0]
    for i, token in enumerate(tokens):
        if i and (token.text in ("“", "‘") or token.text == ";"):
            bounds.append(i + (1 if token.text == ";" else 0))
    bounds.append(len(tokens))
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _contains(phrases, keys: list[str]) -> bool:
    return any(phrases.starts_at(keys, i) is not None for i in range(len(keys)))


def _pick_time(times: list[TimeExpression], tokens: list[Token], head: _Trigger,
               triggers: list[_Trigger]) -> TimeExpression | None:
    """The most precise dated expression that belongs to this trigger: none of the other
    events' triggers (`triggers`) lies nearer to it."""
    usable = [t for t in times if t.value]
    if not usable or not tokens:
        return None
    base = tokens[0].start

    def token_at(char: int) -> int:
        return next((i for i, tok in enumerate(tokens) if tok.end - base > char), len(tokens) - 1)

    commas = [i for i, tok in enumerate(tokens) if tok.text in (",", ";", "(", ")")]

    def distance(a: int, b: int) -> int:
        """Tokens apart, a comma counting as a clause boundary (four tokens more)."""
        low, high = min(a, b), max(a, b)
        return high - low + 4 * sum(1 for c in commas if low < c < high)

    own = []
    for expr in usable:
        position = token_at(expr.start)
        mine = distance(position, head.start)
        if any(distance(position, t.start) < mine for t in triggers):
            continue
        own.append((expr, mine))
    if not own:
        return None
    # a point in time beats a vague one and a "since" (which often dates a state, "held since 2009")
    return min(own, key=lambda pair: (SPECIFICITY.get(pair[0].granularity or "", 3) + (
        2 if pair[0].kind == "vague" else 3 if pair[0].kind == "since" else 0), pair[1]))[0]
