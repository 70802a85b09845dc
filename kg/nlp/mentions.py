"""Actor, person and place mentions in a sentence, read against the knowledge base.

The same word names a government or a place depending on how it is used: "Tehran said" is
Iran's government, "talks in Tehran" is a city. Demonyms name an actor only before a head such
as "officials" or "mediation". People are found in the knowledge base, from how news introduces
them ("Iranian President Masoud Pezeshkian", "Majed Al-Ansari, Qatar’s spokesman"), and again
later in the article by surname or by honorific and first name ("Mr Pezeshkian", "Sheikh
Mohammed").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.lexicon import Lexicon
from kg.nlp.gazetteer import Actor, KnowledgeBase, Place, slugify, token_keys
from kg.nlp.tokens import Token, tokenize

PERSON_BASE = "https://w3id.org/mediation-kg/id/actor/"
HONORIFIC = "\x00honorific"
_NAME_TOKEN = re.compile(r"^[A-Z][\w.]*$")
_NAME_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "de", "da", "van", "von", "der", "abu", "-"})
_NOT_NAME = frozenset({"The", "A", "An", "In", "On", "At", "As", "He", "She", "It", "They", "We", "His", "Her",
                       "This", "That", "Tuesday", "Monday", "Wednesday", "Thursday", "Friday", "Saturday",
                       "Sunday"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A span naming an actor (`actor`) or a place (`place`), in token and character offsets."""

    start: int
    end: int
    char_start: int
    char_end: int
    text: str
    actor: str | None = None
    place: str | None = None
    via: str = "name"          # name | demonym | capital | metonym | place | person | alias


@dataclass(slots=True)
class ArticleContext:
    """What earlier sentences of one article taught: people met, and how to find them again."""

    persons: dict[str, Actor] = field(default_factory=dict)
    aliases: dict[tuple[str, ...], str] = field(default_factory=dict)
    last_dyad: tuple[str, str] | None = None
    last_mediators: list[str] = field(default_factory=list)
    last_person: str | None = None
    home_state: str | None = None        # the dateline's state, else the state named most
    dateline: bool = False
    state_counts: dict[str, int] = field(default_factory=dict)
    conflict: object | None = None       # the conflict the article last named (a Conflict)
    # mediators the article has named for a pair of sides, for talks it mentions without them
    mediators_of: dict[frozenset, list[tuple[str, str | None]]] = field(default_factory=dict)  # (mediator, month)


def _name_span(tokens: list[Token], i: int, not_person: frozenset[str] = frozenset()) -> int:
    """End of a personal name starting at token i (2 or more name tokens), or i if none."""
    j = i
    while j < len(tokens) and j - i < 8:
        text = tokens[j].text
        if _NAME_TOKEN.match(text) and text not in _NOT_NAME:
            j += 1
        elif text.lower() in _NAME_PARTICLES and j > i and j + 1 < len(tokens) and _NAME_TOKEN.match(
                tokens[j + 1].text):
            j += 1
        else:
            break
    # a trailing particle is not part of the name
    while j > i and tokens[j - 1].text.lower() in _NAME_PARTICLES:
        j -= 1
    if j > i and tokens[j - 1].key in not_person:
        return i  # "Dolmabahce Palace", "Columbia University": a place or body, not a person
    return j if j - i >= 2 else i


def _name_end(token: Token) -> int:
    """Where a name ends: a sentence's full stop after "Castro." is not part of it."""
    return token.end - 1 if token.text.endswith(".") and len(token.text) > 2 and "." not in token.text[:-1] \
        else token.end


class MentionFinder:
    """Finds mentions in one sentence at a time, carrying article context between sentences."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.kb = kb
        self.lex = lexicon

    def find(self, tokens: list[Token], text: str, offset: int, ctx: ArticleContext,
             when=None) -> list[Mention]:
        keys = [t.key.lower() for t in tokens]
        mentions: list[Mention] = []
        for match in self.kb.find_names(tokens, text, offset):
            mention = self._read_match(match, tokens, keys)
            if mention is not None:
                mentions.append(mention)
        mentions = self._read_places_in_lists(mentions, keys)
        mentions += self._home_forces(tokens, keys, text, offset, mentions, ctx)
        mentions = self._find_persons(tokens, keys, text, offset, mentions, ctx, when)
        mentions += self._pronouns(tokens, keys, mentions, ctx)
        people = [m for m in mentions if m.actor in ctx.persons and m.via != "pronoun"]
        if people:
            ctx.last_person = max(people, key=lambda m: m.start).actor
        return sorted(mentions, key=lambda m: m.start)

    def _pronouns(self, tokens: list[Token], keys: list[str], mentions: list[Mention],
                  ctx: ArticleContext) -> list[Mention]:
        """"he"/"she" for the person last named, when the sentence names no person before it."""
        if ctx.last_person is None:
            return []
        found = []
        for i, key in enumerate(keys):
            if key in self.lex.person_pronouns:
                if any(m.actor in ctx.persons and m.start < i for m in mentions):
                    break  # a person named earlier in this sentence is the likelier antecedent
                found.append(Mention(i, i + 1, tokens[i].start, tokens[i].end, tokens[i].text,
                                     actor=ctx.last_person, via="pronoun"))
                break
        return found

    def _read_places_in_lists(self, mentions: list[Mention], keys: list[str]) -> list[Mention]:
        """"visits to Egypt and Turkey": a state coordinated with a place is a place too."""
        out: list[Mention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if (prev is not None and prev.place and not prev.actor and m.actor and m.place is None
                    and all(k in ("and", ",", "the") for k in keys[prev.end:m.start]) and m.start > prev.end):
                actor = self.kb.actors.get(m.actor)
                if actor is not None and actor.kind == "State":
                    m = Mention(m.start, m.end, m.char_start, m.char_end, m.text,
                                place=self.kb.state_place(actor.iri).iri, via="place")
                elif m.via == "capital":
                    m = Mention(m.start, m.end, m.char_start, m.char_end, m.text,
                                place=self.kb.capitals.get(m.actor), via="place")
            out.append(m)
        return out

    def _home_forces(self, tokens: list[Token], keys: list[str], text: str, offset: int,
                     mentions: list[Mention], ctx: ArticleContext) -> list[Mention]:
        """"the army", "the military" in an article about one country: that country's forces,
        when the knowledge base names them ("Sudan's army" → Sudanese Armed Forces)."""
        if ctx.home_state is None or ctx.home_state not in self.kb.actors:
            return []
        taken = {i for m in mentions for i in range(m.start, m.end)}
        home = self.kb.actors[ctx.home_state].label
        found = []
        for i, key in enumerate(keys):
            if key in self.lex.home_forces and i > 0 and keys[i - 1] == "the" and i not in taken:
                entries = self.kb.index.get(token_keys(tokenize(f"{home}'s {key}")), [])
                actor = next((e.actor for e in entries if e.actor), None)
                if actor is not None:
                    found.append(Mention(i, i + 1, tokens[i].start, tokens[i].end,
                                         text[tokens[i].start - offset:tokens[i].end - offset], actor=actor,
                                         via="home"))
        return found

    def _is_locative(self, keys: list[str], start: int) -> bool:
        j = start
        if j > 0 and keys[j - 1] == "the":
            j -= 1
        begin = self.lex.locative.ends_at(keys, j)
        if begin is None:
            return False
        # "mediators from Qatar", "envoys in Egypt": the preposition names who they are, not where
        return not (begin > 0 and (keys[begin - 1],) in self.lex.role_nouns)

    def _read_match(self, match, tokens: list[Token], keys: list[str]) -> Mention | None:
        """The first reading of a name that fits its context ("Vatican" is a demonym only
        before a head noun, and otherwise the Holy See)."""
        for entry in sorted(match.entries, key=lambda e: e.kind == "demonym", reverse=True):
            mention = self._read_entry(match, entry, tokens, keys)
            if mention is not None:
                return mention
        return None

    def _read_entry(self, match, entry, tokens: list[Token], keys: list[str]) -> Mention | None:
        base = dict(start=match.start, end=match.end, char_start=match.char_start, char_end=match.char_end,
                    text=match.text)
        nxt = keys[match.end] if match.end < len(keys) else ""
        if entry.kind == "demonym":
            if nxt == "capital" and entry.actor:
                capital = self._capital(entry.actor)
                if capital is not None:
                    end_tok = tokens[match.end]
                    return Mention(match.start, match.end + 1, match.char_start, end_tok.end,
                                   match.text + " capital", place=capital.iri, via="capital")
            if self._demonym_heads_at(match.end, tokens, keys):
                return Mention(**base, actor=entry.actor, via="demonym")
            return None
        locative = self._is_locative(keys, match.start)
        if entry.kind == "place":
            return Mention(**base, place=entry.place, via="place")
        if entry.kind == "capital":
            if locative or (nxt == "," and match.start == 0):
                return Mention(**base, place=entry.place, via="place")
            return Mention(**base, actor=entry.actor, via="capital")
        actor = self.kb.actors.get(entry.actor or "")
        if actor is not None and actor.kind == "State" and locative:
            return Mention(**base, place=self.kb.state_place(actor.iri).iri, actor=None, via="place")
        return Mention(**base, actor=entry.actor, via=entry.kind)

    def _demonym_heads_at(self, j: int, tokens: list[Token], keys: list[str]) -> bool:
        """Whether a demonym at j's left names an actor: a head follows, possibly after a list
        of further demonyms ("Egyptian, Qatari and Jordanian officials")."""
        while j < len(keys):
            if keys[j] in self.lex.actor_heads:
                return True
            if keys[j] == "-" and j + 1 < len(keys) and keys[j + 1] in self.lex.demonym_compounds:
                return True  # "Egyptian-brokered", "Qatari-mediated"
            if keys[j] not in (",", "and"):
                return False
            j += 1
            if j < len(keys) and keys[j] == "and":
                j += 1
            entries = self.kb.index.get(token_keys(tokens[j:j + 1]), ()) if j < len(keys) else ()
            if not any(e.kind in ("demonym", "name") for e in entries):
                return False
            j += 1
        return False

    def _capital(self, state_iri: str) -> Place | None:
        place_iri = self.kb.capitals.get(state_iri)
        return self.kb.places.get(place_iri) if place_iri else None

    # ------------------------------------------------------------------ people

    def _find_persons(self, tokens, keys, text, offset, mentions, ctx: ArticleContext, when) -> list[Mention]:
        taken = {i for m in mentions for i in range(m.start, m.end)}
        result = list(mentions)
        by_start = {m.start: m for m in mentions}
        i = 0
        while i < len(tokens):
            if i in taken or (not tokens[i].text[:1].isupper() and keys[i] not in self.lex.titles.by_first
                              and keys[i] not in self.lex.honorifics.by_first):
                i += 1  # people start with a capital, a title or an honorific
                continue
            # Title-introduced name: [Demonym|State 's] title [honorific] Name Name
            title_end = self.lex.titles.starts_at(keys, i)
            if title_end is not None:
                role = self.lex.titles.phrases[tuple(keys[i:title_end])]
                j = title_end
                # "Qatari Prime Minister and Foreign Minister Sheikh ..." chains titles
                while j < len(keys) and keys[j] == "and" and self.lex.titles.starts_at(keys, j + 1):
                    j = self.lex.titles.starts_at(keys, j + 1) or j
                # "counterpart, Ayman Safadi", "spokesman at the Ministry of Foreign Affairs, Majed …":
                # the name may follow the title after a comma, or after its office and a comma
                j = self._past_office(keys, tokens, j)
                hon = self.lex.honorifics.starts_at(keys, j)
                k = hon if hon is not None else j
                end = _name_span(tokens, k, self.lex.not_person_heads)
                if end > k and not any(t in taken for t in range(k, end)):
                    state = self._owner_before(i, keys, by_start)
                    person = self._person(tokens, k, end, text, offset, role, state, ctx, when)
                    result.append(self._person_mention(tokens, k, end, text, offset, person))
                    taken.update(range(k, end))
                    i = end
                    continue
                if end == k and i > 0 and keys[i - 1] != "a":
                    # A title with no name: the office holder of the state named before it, or
                    # of the article's home state ("the Prime Minister", "Iran's foreign minister").
                    state = self._owner_before(i, keys, by_start) or ctx.home_state
                    holder = self.kb.holder(role, state, when) if state else None
                    if holder is not None and not any(t in taken for t in range(i, title_end)):
                        person = self.kb.actors[holder]
                        self._register(person, ctx)
                        result.append(self._person_mention(tokens, i, title_end, text, offset, person,
                                                           via="title"))
                        taken.update(range(i, title_end))
                        i = title_end
                        continue
            # Appositive: Name Name , [the] [Demonym|State 's] title
            end = _name_span(tokens, i, self.lex.not_person_heads)
            if end > i and not any(t in taken for t in range(i, end)) and end < len(keys) and keys[end] == ",":
                j = end + 1 + (1 if end + 1 < len(keys) and keys[end + 1] in ("the", "his", "her") else 0)
                owner = by_start.get(j)
                if owner is not None and owner.actor:
                    j = owner.end + (2 if j < len(keys) - 2 and keys[owner.end] == "'" else 0)
                title_end = self.lex.titles.starts_at(keys, j)
                if title_end is not None:
                    role = self.lex.titles.phrases[tuple(keys[j:title_end])]
                    state = owner.actor if owner is not None else None
                    person = self._person(tokens, i, end, text, offset, role, state, ctx, when)
                    result.append(self._person_mention(tokens, i, end, text, offset, person))
                    taken.update(range(i, end))
                    i = end
                    continue
            # A person met earlier: "Mr Pezeshkian", "Al Ansari", "Sheikh Mohammed"
            hon = self.lex.honorifics.starts_at(keys, i)
            if hon is not None and hon < len(tokens) and (iri := ctx.aliases.get((HONORIFIC, tokens[hon].key))) \
                    and hon not in taken and tokens[hon].text[:1].isupper() and _name_span(tokens, hon) <= hon + 1:
                result.append(self._person_mention(tokens, i, hon + 1, text, offset, ctx.persons[iri], via="alias"))
                taken.update(range(i, hon + 1))
                i = hon + 1
                continue
            for start in ([hon] if hon is not None else []) + [i]:
                for length in (3, 2, 1):
                    if start + length > len(tokens):
                        continue
                    key = tuple(t.key for t in tokens[start:start + length])
                    iri = ctx.aliases.get(key)
                    if iri and (length > 1 or hon is not None or tokens[start].text[:1].isupper()):
                        if not any(t in taken for t in range(start, start + length)):
                            result.append(self._person_mention(tokens, start, start + length, text, offset,
                                                               ctx.persons[iri], via="alias"))
                            taken.update(range(i, start + length))
                            i = start + length
                            break
                else:
                    continue
                break
            else:
                i += 1
        # Persons known to the knowledge base are registered for later look-ups too.
        for m in result:
            if m.actor and m.actor in self.kb.actors and self.kb.actors[m.actor].kind == "Person":
                self._register(self.kb.actors[m.actor], ctx)
        return result

    def _past_office(self, keys: list[str], tokens: list[Token], j: int) -> int:
        """Where the name starts after a title: right there, or after ", " or after an office
        phrase of at most eight words ending in a comma ("at the Ministry of Foreign Affairs,")."""
        if j < len(keys) and keys[j] == "," and j + 1 < len(tokens) and tokens[j + 1].text[:1].isupper():
            return j + 1
        if j < len(keys) and keys[j] in ("at", "of", "for", "to"):
            for k in range(j + 1, min(len(keys), j + 9)):
                if keys[k] == ",":
                    return k + 1 if k + 1 < len(tokens) and tokens[k + 1].text[:1].isupper() else j
                if keys[k] in (".", ";", "said", "says"):
                    break
        return j

    def _owner_before(self, i: int, keys: list[str], by_start: dict[int, Mention]) -> str | None:
        for m in by_start.values():
            if m.actor and (m.end == i or (m.end + 2 == i and keys[m.end] == "'" and keys[m.end + 1] == "s")):
                return m.actor
        return None

    def _person_mention(self, tokens, start, end, text, offset, person: Actor, via: str = "person") -> Mention:
        cs, ce = tokens[start].start, _name_end(tokens[end - 1])
        return Mention(start, end, cs, ce, text[cs - offset:ce - offset], actor=person.iri, via=via)

    def _person(self, tokens, start, end, text, offset, role, state, ctx: ArticleContext, when) -> Actor:
        name = text[tokens[start].start - offset:_name_end(tokens[end - 1]) - offset]
        state = state or ctx.home_state  # "President X" in an article about one country
        entries = self.kb.index.get(token_keys(tokens[start:end]), [])
        for entry in entries:
            known = self.kb.actors.get(entry.actor or "")
            if known is not None and known.kind == "Person":
                self._register(known, ctx)
                return known
        for known in ctx.persons.values():
            if tuple(t.key for t in tokens[start:end])[-1:] == tuple(known.label.split())[-1:] and \
                    known.label.replace("-", " ").split()[-1] == name.replace("-", " ").split()[-1]:
                return known
        person = Actor(PERSON_BASE + slugify(name), name, "Person", represents=state)
        if role and role not in ("Counterpart", "Diplomat", "Leader", "Commander"):
            person.variants.add(f"role:{role}")
        self._register(person, ctx)
        return person

    def _register(self, person: Actor, ctx: ArticleContext) -> None:
        if person.iri in ctx.persons:
            return
        ctx.persons[person.iri] = person
        names = [person.label, *[v for v in person.variants if not v.startswith("role:")]]
        for name in names:
            keys = [t.key for t in tokenize(name)]
            if len(keys) < 2:
                continue
            ctx.aliases.setdefault(tuple(keys), person.iri)
            # surname: the last word, with its particle ("Al Ansari", "Al-Ansari")
            if len(keys) >= 3 and keys[-2] == "-" and keys[-3].lower() in ("al", "el"):
                ctx.aliases.setdefault(tuple(keys[-3:]), person.iri)
                ctx.aliases.setdefault((keys[-3], keys[-1]), person.iri)
            elif len(keys) >= 2 and keys[-2].lower() in ("al", "el"):
                ctx.aliases.setdefault(tuple(keys[-2:]), person.iri)
                ctx.aliases.setdefault((keys[-2], "-", keys[-1]), person.iri)
            # hyphenated surnames ("Amir-Abdollahian")
            if len(keys) >= 3 and keys[-2] == "-" and keys[-3].lower() not in ("al", "el"):
                ctx.aliases.setdefault(tuple(keys[-3:]), person.iri)
            if keys[-1][:1].isupper() and keys[-2] != "-":
                ctx.aliases.setdefault((keys[-1],), person.iri)
            # honorific + first name ("Sheikh Mohammed"): only ever looked up after an honorific
            ctx.aliases.setdefault((HONORIFIC, keys[0]), person.iri)
