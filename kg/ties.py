"""Mediation ties: the who-mediated-between-whom summary the store keeps beside the events.

Why: "who mediated between whom, and how often" is the question analysts ask first. Answered
from the events, it is a join and a GROUP BY over every mediator–party pair of the corpus:
75,000 rows at a million triples, 250–450 ms on the embedded store, whose joins are index
lookups. Kept as one `med:MediationTie` node per pair with its `med:eventCount`, it is read in
a few milliseconds. The count must always be what that GROUP BY gives, so the store updates it
in the same transaction as the events it counts, from the difference the write makes: the pairs
each touched event had in the resolved view before, against the pairs it has after. It is never
recounted from scratch, which would cost a scan of a pair's events on every batch.

Only IRIs make ties: an event whose mediator or party is a blank node (never written by the
extractor) has no tie for that actor.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping

from kg.vocab import MED

MEDIATOR = str(MED.mediator)
PARTY = str(MED.party)
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
_ROLE_PREDICATES = (f"<{MEDIATOR}>", f"<{PARTY}>")

Pair = tuple[str, str]  # (mediator IRI, party IRI)
Roles = dict[str, tuple[set[str], set[str]]]  # event IRI → (its mediators, its parties)


def add_role(roles: Roles, event: str, predicate: str, actor: str) -> None:
    """Record that `actor` is the mediator or the party (by predicate IRI) of `event`."""
    which = 0 if predicate == MEDIATOR else 1 if predicate == PARTY else None
    if which is not None:
        roles.setdefault(event, (set(), set()))[which].add(actor)


def roles_in(ntriples: str, roles: Roles) -> None:
    """Add the mediator and party triples among plain N-Triples lines to `roles`."""
    for line in ntriples.splitlines():
        subject, _, rest = line.partition(" ")
        predicate, _, obj = rest.partition(" ")
        if predicate not in _ROLE_PREDICATES:
            continue
        obj = obj.rstrip().removesuffix(".").rstrip()
        if subject.startswith("<") and obj.startswith("<") and obj.endswith(">"):
            add_role(roles, subject[1:-1], predicate[1:-1], obj[1:-1])


def _pairs(roles: tuple[set[str], set[str]] | None) -> set[Pair]:
    if roles is None:
        return set()
    mediators, parties = roles
    return {(m, p) for m in mediators for p in parties}


def count_changes(before: Roles, after: Roles) -> Counter[Pair]:
    """How many events each pair gains (positive) or loses (negative) between two views of the
    same events; pairs that do not change are left out."""
    changes: Counter[Pair] = Counter()
    for event in before.keys() | after.keys():
        old, new = _pairs(before.get(event)), _pairs(after.get(event))
        changes.update(new - old)
        changes.subtract(old - new)
    return Counter({pair: n for pair, n in changes.items() if n})


def tie_iri(base: str, pair: Pair) -> str:
    """A tie's IRI: deterministic from its two actors, so every writer names it alike."""
    digest = hashlib.sha1(f"{pair[0]} {pair[1]}".encode()).hexdigest()[:16]
    return f"{base}tie/{digest}"


def tie_lines(base: str, changes: Mapping[Pair, int], stored: Mapping[str, int]
              ) -> tuple[list[str], list[str]]:
    """The N-Triples lines to delete and to insert so that each changed tie holds its new count.

    `stored` maps tie IRIs to the count the store holds now (absent: no tie yet). A tie whose
    count falls to zero is removed whole.
    """
    delete: list[str] = []
    insert: list[str] = []
    for pair, change in sorted(changes.items()):
        iri = tie_iri(base, pair)
        old = stored.get(iri, 0)
        new = old + change
        node = f"<{iri}>"
        whole = [f"{node} {_TYPE} <{MED.MediationTie}> .",
                 f"{node} <{MED.tieMediator}> <{pair[0]}> .",
                 f"{node} <{MED.tieParty}> <{pair[1]}> ."]
        if old:
            delete.append(f'{node} <{MED.eventCount}> "{old}"^^{_INTEGER} .')
        if new > 0:
            if not old:
                insert += whole
            insert.append(f'{node} <{MED.eventCount}> "{new}"^^{_INTEGER} .')
        elif old:
            delete += whole
    return delete, insert


def values(iris: Iterable[str]) -> str:
    """IRIs as the body of a SPARQL VALUES block."""
    return " ".join(f"<{iri}>" for iri in iris)
