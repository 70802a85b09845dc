"""The event lexicon (`ontology/lexicon.toml`) compiled into token-sequence look-ups."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from kg.nlp.tokens import tokenize
from kg.resources import ontology_file


def phrase(text: str) -> tuple[str, ...]:
    """A phrase as the lower-cased token keys it is matched on."""
    return tuple(t.key.lower() for t in tokenize(text))


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    cameo: str
    strength: float


@dataclass(frozen=True, slots=True)
class StatusRule:
    value: str
    factor: float
    cues: frozenset[tuple[str, ...]]

    @property
    def lengths(self) -> frozenset[int]:
        return frozenset(len(c) for c in self.cues)


class PhraseSet:
    """Phrases (token tuples) with a longest-match scan over a sentence's keys."""

    def __init__(self, phrases: dict[tuple[str, ...], str]) -> None:
        self.phrases = phrases
        self.max_len = max((len(p) for p in phrases), default=1)
        # lengths of the phrases starting / ending with each word: most words start none
        self.by_first: dict[str, tuple[int, ...]] = {}
        self.by_last: dict[str, tuple[int, ...]] = {}
        for p in phrases:
            self.by_first[p[0]] = tuple(sorted({*self.by_first.get(p[0], ()), len(p)}, reverse=True))
            self.by_last[p[-1]] = tuple(sorted({*self.by_last.get(p[-1], ()), len(p)}, reverse=True))

    def scan(self, keys: list[str]) -> list[tuple[int, int, str]]:
        """(start, end, value) of non-overlapping longest matches, left to right."""
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(keys):
            for length in self.by_first.get(keys[i], ()):
                if i + length > len(keys):
                    continue
                value = self.phrases.get(tuple(keys[i:i + length]))
                if value is not None:
                    found.append((i, i + length, value))
                    i += length
                    break
            else:
                i += 1
        return found

    def ends_at(self, keys: list[str], end: int) -> int | None:
        """Start of the longest phrase ending just before token `end`, if any."""
        if end < 1:
            return None
        for length in self.by_last.get(keys[end - 1], ()):
            if length <= end and tuple(keys[end - length:end]) in self.phrases:
                return end - length
        return None

    def starts_at(self, keys: list[str], start: int) -> int | None:
        """End of the longest phrase starting at token `start`, if any."""
        if start >= len(keys):
            return None
        for length in self.by_first.get(keys[start], ()):
            if start + length <= len(keys) and tuple(keys[start:start + length]) in self.phrases:
                return start + length
        return None


def _set(words: list[str]) -> PhraseSet:
    return PhraseSet({phrase(w): w for w in words})


class Lexicon:
    """Triggers, role cues, status cues and titles, as read from the lexicon file."""

    def __init__(self, data: dict) -> None:
        self.types = {e["class"]: EventType(e["class"], e["cameo"], float(e["strength"])) for e in data["event"]}
        self.triggers = PhraseSet({phrase(t): e["class"] for e in data["event"] for t in e["triggers"]})
        self.compounds = {k: frozenset(v) for k, v in data.get("compounds", {}).items()}
        self.absorbs = [(row[0], frozenset(row[1:])) for row in data["precedence"]["absorbs"]]
        self.weak = frozenset(data["precedence"]["weak"])
        self.goal_window = int(data["goal"]["window"])
        self.goal_cues = _set(data["goal"]["cues"])
        self.status_before = int(data["status_window"]["before"])
        self.status_after = int(data["status_window"]["after"])
        self.fronting = frozenset(data["roles"]["fronting"])
        context = data["context"]
        self.reporting_verbs = frozenset(context["reporting_verbs"])
        self.present_auxiliaries = frozenset(context["present_auxiliaries"])
        self.recency = frozenset(context["recency"])
        self.status = [StatusRule(s["value"], float(s["factor"]), frozenset(phrase(c) for c in s["cues"]))
                       for s in data["status"]]
        roles = data["roles"]
        self.mediator_after = _set(roles["mediator_after"])
        self.mediator_before = _set(roles["mediator_before"])
        self.parties_between = frozenset(roles["parties_between"])
        self.parties_with = frozenset(roles["parties_with"])
        self.parties_anaphora = _set(roles["parties_anaphora"])
        self.conflict_anaphora = _set(roles["conflict_anaphora"])
        self.anaphoric = frozenset(roles["anaphoric"])
        self.role_nouns = frozenset(phrase(w) for w in roles["role_nouns"])
        self.actor_heads = frozenset(roles["actor_heads"])
        self.demonym_compounds = frozenset(roles["demonym_compounds"])
        self.home_forces = frozenset(roles["home_forces"])
        self.person_pronouns = frozenset(roles["person_pronouns"])
        self.locative = _set(roles["locative"])
        self.titles = PhraseSet({phrase(k): v for k, v in data["titles"].items()})
        self.honorifics = _set(data["honorifics"]["words"])
        self.not_person_heads = frozenset(data["honorifics"]["not_person_heads"])

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        if path is None:
            text = ontology_file("lexicon.toml").read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        return cls(tomllib.loads(text))
