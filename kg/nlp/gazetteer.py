"""The actor knowledge base, compiled into a phrase index for finding names in text.

The knowledge lives in RDF under `ontology/` (`actors.ttl`, `places.ttl`; format described in
`ontology/README.md`) and users add their own files with `--kb FILE`. Every label, variant,
demonym, capital and metonym becomes a token-sequence key, so look-up is one dictionary probe
per position and scales with the text, not with the size of the knowledge base.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.nlp.tokens import Token, tokenize
from kg.resources import ontology_file
from kg.vocab import MED

ActorKind = Literal["State", "Organization", "Person"]
EntryKind = Literal["name", "demonym", "capital", "metonym", "place"]
MAX_PHRASE_TOKENS = 10
DEFAULT_KB_FILES = ("actors.ttl", "places.ttl")
CONFLICTS_FILE = "conflicts.toml"


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by '-': the local part of instance IRIs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@dataclass(frozen=True, slots=True)
class Position:
    role: str
    of: str
    start: str | None = None
    end: str | None = None

    def held_on(self, day: date | None) -> bool:
        """Whether the tenure covers `day` (ISO prefixes compare at their own granularity)."""
        if day is None:
            return self.end is None
        iso = day.isoformat()
        return (self.start is None or self.start[: len(iso)] <= iso) and (
            self.end is None or iso <= self.end + "-99"[: max(0, 10 - len(self.end))]
        )


@dataclass(slots=True)
class Actor:
    iri: str
    label: str
    kind: ActorKind
    wikidata: str | None = None
    represents: str | None = None
    positions: tuple[Position, ...] = ()
    variants: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Place:
    iri: str
    label: str
    country: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    """A conflict's sides, places and span: the sides of a truce "in Gaza" are read from here."""

    name: str
    parties: tuple[str, ...]
    places: frozenset[str]
    start: str | None = None
    end: str | None = None

    def covers(self, when: str | None) -> bool:
        """Whether an ISO date or prefix can fall within the conflict (unknown dates can)."""
        if not when:
            return True
        return (self.start is None or when >= self.start[: len(when)]) and (
            self.end is None or when[: len(self.end)] <= self.end)


@dataclass(frozen=True, slots=True)
class Entry:
    """One way of naming something: the phrase points at an actor, a place, or both (a capital)."""

    kind: EntryKind
    actor: str | None
    place: str | None


@dataclass(frozen=True, slots=True)
class NameMatch:
    entries: tuple[Entry, ...]
    start: int          # token index
    end: int            # token index, exclusive
    char_start: int
    char_end: int
    text: str


def fold(key: str) -> str:
    """A key without accents, so that "Türkiye" and "Turkiye", "Erdoğan" and "Erdogan" meet.
    ASCII is its own decomposition: most keys skip the Unicode tables (every token is folded)."""
    if key.isascii():
        return key
    return unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode() or key


def phrase_key(text: str) -> tuple[str, ...]:
    return tuple(fold(token.key) for token in tokenize(text))


def token_keys(tokens: list[Token]) -> tuple[str, ...]:
    """The look-up keys of a token sequence, as `phrase_key` builds them for names."""
    return tuple(fold(t.key) for t in tokens)


class KnowledgeBase:
    """Actors, places and the phrase index over their names."""

    def __init__(self, graph: Graph) -> None:
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, Place] = {}
        self.index: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        self.capitals: dict[str, str] = {}
        self._by_first: dict[str, tuple[int, ...]] | None = None
        self.conflicts: list[Conflict] = []
        self.conflict_names: dict[tuple[str, ...], list[Conflict]] = defaultdict(list)
        self._conflict_firsts: frozenset[str] | None = None
        self._holders: dict[tuple[str, str], list[tuple[Position, str]]] = defaultdict(list)
        self._compile(graph)

    @classmethod
    def load(cls, extra_files: Iterable[Path] = (), *, packaged: bool = True) -> KnowledgeBase:
        """The packaged knowledge base plus the user's files (later files add to earlier ones)."""
        graph = Graph()
        for name in DEFAULT_KB_FILES if packaged else ():
            resource = ontology_file(name)
            if resource.is_file():
                graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
        for path in extra_files:
            graph.parse(path)
        kb = cls(graph)
        conflicts = ontology_file(CONFLICTS_FILE)
        if packaged and conflicts.is_file():
            kb.add_conflicts(tomllib.loads(conflicts.read_text(encoding="utf-8")))
        return kb

    def add_conflicts(self, data: dict) -> None:
        """Conflicts from the `conflicts.toml` format; parties by label, places by local name."""
        self._conflict_firsts = None
        by_label = {a.label: a.iri for a in self.actors.values()}
        by_local = {iri.rsplit("/", 1)[-1]: iri for iri in self.places}
        for row in data.get("conflict", []):
            parties = tuple(by_label[p] for p in row["parties"] if p in by_label)
            if len(parties) < 2:
                continue
            places = frozenset(by_local[p] for p in row.get("places", []) if p in by_local)
            conflict = Conflict(row["name"], parties, places, row.get("start"), row.get("end"))
            self.conflicts.append(conflict)
            for name in row.get("names", []):
                self.conflict_names[tuple(t.key.lower() for t in tokenize(name))].append(conflict)

    def conflict_firsts(self) -> frozenset[str]:
        """First words of the conflicts' names, to skip the rest of a sentence quickly (built on
        first use, after `add_conflicts`: it is asked for once a sentence)."""
        if self._conflict_firsts is None:
            self._conflict_firsts = frozenset(key[0] for key in self.conflict_names)
        return self._conflict_firsts

    def conflict_at(self, place_iri: str, when: str | None) -> Conflict | None:
        """The conflict being fought at a place at a date, if the knowledge base has one."""
        for conflict in self.conflicts:
            if place_iri in conflict.places and conflict.covers(when):
                return conflict
        return None

    def _compile(self, g: Graph) -> None:
        def one(node: URIRef, prop: URIRef) -> str | None:
            value = g.value(node, prop)
            return str(value) if value is not None else None

        def wikidata(node: URIRef) -> str | None:
            for same in g.objects(node, OWL.sameAs):
                if "wikidata.org" in str(same):
                    return str(same)
            return None

        for kind in ("State", "Organization", "Person"):
            for node in g.subjects(RDF.type, MED[kind]):
                label = one(node, RDFS.label)
                if label is None:
                    continue
                positions = []
                for pos in g.objects(node, MED.position):
                    role, of = one(pos, MED.role), one(pos, MED.of)
                    if role and of:
                        positions.append(Position(role, of, one(pos, MED.start), one(pos, MED.end)))
                represents = one(node, MED.represents) or (positions[0].of if positions else None)
                actor = Actor(str(node), label, kind, wikidata(node), represents, tuple(positions))
                self.actors[actor.iri] = actor
                for name in [label, *map(str, g.objects(node, SKOS.altLabel))]:
                    self._add(name, Entry("name", actor.iri, None))
                for demonym in g.objects(node, MED.demonym):
                    self._add(str(demonym), Entry("demonym", actor.iri, None))
                for metonym in g.objects(node, MED.metonym):
                    self._add(str(metonym), Entry("metonym", actor.iri, None))
                for position in positions:
                    self._holders[(position.role.lower(), position.of)].append((position, actor.iri))
        for node in g.subjects(RDF.type, MED.Place):
            label = one(node, RDFS.label)
            if label is None:
                continue
            place = Place(str(node), label, one(node, MED.country), wikidata(node))
            self.places[place.iri] = place
            capital_of = next((str(s) for s in g.subjects(MED.capital, node)), None)
            if capital_of:
                self.capitals[capital_of] = place.iri
            for name in [label, *map(str, g.objects(node, SKOS.altLabel))]:
                self._add(name, Entry("capital" if capital_of else "place", capital_of, place.iri))

    def _add(self, name: str, entry: Entry) -> None:
        key = phrase_key(name)
        if key and entry not in self.index[key]:
            self.index[key].append(entry)

    def _first_lengths(self) -> dict[str, tuple[int, ...]]:
        """Lengths of the names starting with each word, longest first (built once, on first use)."""
        if self._by_first is None:
            lengths: dict[str, set[int]] = defaultdict(set)
            for key in self.index:
                lengths[key[0]].add(len(key))
            self._by_first = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
        return self._by_first

    def holder(self, role: str, of: str, on: date | None) -> str | None:
        """The person who held `role` for actor `of` on the day given, if the KB knows."""
        holders = {person for position, person in self._holders.get((role.lower(), of), []) if position.held_on(on)}
        # "the UN envoy" when the UN has several envoys names none of them
        return next(iter(holders)) if len(holders) == 1 else None

    def state_place(self, actor_iri: str) -> Place:
        """A state named as a place ("talks in Qatar"): the place labelled like the state."""
        actor = self.actors[actor_iri]
        return Place(actor_iri.replace("/actor/", "/place/"), actor.label, actor_iri, actor.wikidata)

    def find_names(self, tokens: list[Token], text: str, offset: int = 0) -> list[NameMatch]:
        """Longest matches of known names, left to right, non-overlapping.

        `text` is the string the tokens' offsets point into, shifted by `offset`.
        """
        matches: list[NameMatch] = []
        i = 0
        keys = list(token_keys(tokens))
        first_lengths = self._first_lengths()
        while i < len(tokens):
            found = None
            for length in first_lengths.get(keys[i], ()):
                if i + length > len(tokens):
                    continue
                entries = self.index.get(tuple(keys[i:i + length]))
                if entries:
                    found = (length, entries)
                    break
            if found is None:
                i += 1
                continue
            length, entries = found
            first, last = tokens[i], tokens[i + length - 1]
            end_char = last.end - (1 if last.text.endswith(".") and "." not in last.key else 0)
            matches.append(NameMatch(tuple(entries), i, i + length, first.start, end_char,
                                     text[first.start - offset:end_char - offset]))
            i += length
        return matches
