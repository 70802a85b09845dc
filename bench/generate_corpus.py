"""A synthetic news corpus for benchmarks: realistic in shape, deterministic by seed, streamed.

Why synthetic: the seeds are five articles, and a benchmark of 10^4–10^5 articles needs text
whose cost to read is that of news: sentences of many shapes (mediation, talks, visits, offers,
agreements, ceasefires, prisoner swaps, denials, statements, and plain background that holds no
event), actors drawn from `ontology/actors.ttl` (states, organisations, persons with the state
they represent), places from `ontology/places.ttl`, dates written as news writes them
(relative days, months, full dates, spans), outlets and headlines, and a few near-duplicates
(the same wire story under another outlet). Articles are written one JSON line at a time, so
a 100,000-article corpus never sits in memory.

News is skewed, and the generator is too: a dozen mediators make most of it; six articles in
ten are about a conflict of `ontology/conflicts.toml` (its parties as the sides, the conflicts
weighted 1, 1/2, 1/3, … in a shuffled order), the rest about two sides drawn from fifty; and
talks are held where news says they are, mostly in a place of the mediator's country, else of
a side's, rarely anywhere else.

    .venv/bin/python bench/generate_corpus.py -n 10000 --seed 1 -o /tmp/corpus-10k.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
MED = "https://w3id.org/mediation-kg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

OUTLETS = ["Reuters", "Associated Press", "Agence France-Presse", "Al Jazeera", "The National", "Gulf Times",
           "The Peninsula", "Asharq Al-Awsat", "Middle East Eye", "Anadolu Agency", "Daily Sabah", "Ahram Online",
           "Tehran Times", "Times of Israel", "Arab News", "MENAFN", "Xinhua", "Kyodo News", "BBC News",
           "Deutsche Welle", "Africanews", "The East African", "Dawn", "The Hindu", "Kyiv Independent"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

EVENT_SENTENCES = [
    "{M} mediated between {A} and {B} {when}, officials said.",
    "Talks between {A} and {B} brokered by {M} resumed {when} in {P}.",
    "{M} hosted indirect talks between {A} and {B} {when}.",
    "With {m_adj} mediation, {A} and {B} agreed {when} to a prisoner exchange.",
    "{A} and {B} reached a ceasefire agreement {when} after weeks of {m_adj} mediation.",
    "{M} offered to mediate between {A} and {B}, according to a statement released {when}.",
    "{PERSON} travelled to {P} {when} to meet officials from {A}.",
    "{PERSON} visited {P} {when} and held talks with his counterpart from {A}.",
    "Delegations from {A} and {B} met in {P} {when} under the auspices of {M}.",
    "{A} dismissed reports of direct negotiations with {B} {when}.",
    "{M} and {M2} have been mediating between {A} and {B} since {month_year}.",
    "{A} released {n} prisoners {when} under a deal mediated by {M}.",
    "{PERSON} said {when} that {M} was ready to facilitate dialogue between {A} and {B}.",
    "The foreign ministers of {A} and {B} spoke by phone {when}, the ministry in {P} said.",
    "{A} accused {B} of violating the truce {when}.",
    "Negotiators from {A} and {B} will meet in {P} between {span}.",
]
BACKGROUND = [
    "The region has seen repeated rounds of escalation over the past decade.",
    "Analysts said the outcome would depend on guarantees from regional powers.",
    "Humanitarian groups warned that conditions on the ground were deteriorating.",
    "Markets reacted cautiously to the news, with oil prices little changed.",
    "The statement did not give details of the proposals under discussion.",
    "Diplomats familiar with the matter spoke on condition of anonymity because they were not authorised to brief "
    "the press.",
    "Previous attempts at a settlement collapsed amid mutual accusations.",
    "Observers noted that the wording of the communique had been carefully negotiated.",
    "Aid deliveries have been delayed for weeks at the crossing points.",
    "The talks are expected to continue in the coming days, according to people briefed on them.",
    "Critics at home said the government had conceded too much.",
    "Parliament is due to debate the measure later this month.",
    "The economy has contracted sharply since the sanctions were imposed.",
    "A spokesperson declined to comment on the reports.",
    "Thousands of people have been displaced by the fighting, according to the United Nations.",
]


def _labels(paths: tuple[Path, ...], classes: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """Labels by class, each with the label of the state a person represents or a place is in."""
    store = ox.Store()
    for path in paths:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    out: dict[str, list[tuple[str, str]]] = {c: [] for c in classes}
    for cls in classes:
        query = f"""SELECT ?label ?of WHERE {{ ?x a <{MED}{cls}> ; <{RDFS_LABEL}> ?label .
                    OPTIONAL {{ ?x <{MED}represents>|<{MED}country> ?state . ?state <{RDFS_LABEL}> ?of }} }}
                    ORDER BY ?label ?of"""
        rows = [(row["label"].value, row["of"].value if row["of"] else "") for row in store.query(query)]
        out[cls] = list(dict.fromkeys(rows))
    return out


class Corpus:
    """The knowledge the generator draws from, and the generator itself."""

    def __init__(self, seed: int) -> None:
        ontology = ROOT / "ontology"
        actors = _labels((ontology / "actors.ttl",), ("State", "Organization", "Person"))
        self.states = [label for label, _ in actors["State"]]
        self.orgs = [label for label, _ in actors["Organization"]]
        self.persons = actors["Person"]
        places = _labels((ontology / "actors.ttl", ontology / "places.ttl"), ("Place",))["Place"]
        self.places = [label for label, _ in places]
        self.places_in: dict[str, list[str]] = {}
        for label, state in places:
            self.places_in.setdefault(state, []).append(label)
        with open(ontology / "conflicts.toml", "rb") as toml:
            known = {label for label, _ in actors["State"] + actors["Organization"]}
            self.conflicts = [tuple(c["parties"]) for c in tomllib.load(toml)["conflict"]
                              if len(c["parties"]) == 2 and set(c["parties"]) <= known]
        self.rng = random.Random(seed)
        # news is skewed: a few mediators and conflicts make most of it
        self.mediators = self.rng.sample(self.states, 12)
        self.sides = self.rng.sample(self.states, 40) + self.rng.sample(self.orgs, 10)
        self.rng.shuffle(self.conflicts)
        self.conflict_weights = [1 / rank for rank in range(1, len(self.conflicts) + 1)]

    def _dyad(self) -> tuple[str, str]:
        if self.conflicts and self.rng.random() < 0.6:
            a, b = self.rng.choices(self.conflicts, self.conflict_weights)[0]
            return (a, b) if self.rng.random() < 0.5 else (b, a)
        a, b = self.rng.sample(self.sides, 2)
        return a, b

    def _venue(self, mediator: str, sides: tuple[str, str]) -> str:
        """Where talks are held: mostly the mediator's country, else a side's, rarely elsewhere."""
        r = self.rng.random()
        for state in (mediator,) if r < 0.6 else sides if r < 0.85 else ():
            if self.places_in.get(state):
                return self.rng.choice(self.places_in[state])
        return self.rng.choice(self.places)

    def _when(self, published: date) -> str:
        r = self.rng
        kind = r.randrange(7)
        if kind == 0:
            return "yesterday"
        if kind == 1:
            return f"on {WEEKDAYS[(published - timedelta(days=r.randrange(1, 7))).weekday()]}"
        if kind == 2:
            day = published - timedelta(days=r.randrange(1, 200))
            return f"on {MONTHS[day.month - 1]} {day.day}"
        if kind == 3:
            day = published - timedelta(days=r.randrange(1, 900))
            return f"on {day.day} {MONTHS[day.month - 1]} {day.year}"
        if kind == 4:
            return f"in {MONTHS[r.randrange(12)]}"
        if kind == 5:
            return "last week"
        return "earlier this month"

    def article(self, number: int) -> dict[str, str]:
        r = self.rng
        published = date(2019, 1, 1) + timedelta(days=r.randrange(7 * 365))
        a, b = self._dyad()
        m, m2 = r.sample([s for s in self.mediators if s not in (a, b)], 2)
        sentences: list[str] = []
        for _ in range(r.randint(8, 18)):
            if r.random() < 0.45:
                person, of = r.choice(self.persons)
                start = published - timedelta(days=r.randrange(20, 400))
                end = start + timedelta(days=r.randrange(1, 9))
                sentences.append(r.choice(EVENT_SENTENCES).format(
                    M=m, M2=m2, A=a, B=b, P=self._venue(m, (a, b)), PERSON=f"{of} official {person}" if of
                    and r.random() < 0.3 else person,
                    m_adj=m, when=self._when(published), n=r.randint(2, 40),
                    month_year=f"{MONTHS[start.month - 1]} {start.year}",
                    span=f"{MONTHS[start.month - 1]} {start.day} and {MONTHS[end.month - 1]} {end.day}"))
            else:
                sentences.append(r.choice(BACKGROUND))
        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        return {
            "id": f"synthetic-{number:07d}",
            "title": f"{m} steps up efforts between {a} and {b}",
            "published": published.isoformat(),
            "outlet": r.choice(OUTLETS),
            "url": f"https://news.example/{number}",
            "text": "\n\n".join(paragraphs),
        }

    def articles(self, n: int, duplicate_rate: float = 0.03) -> Iterator[dict[str, str]]:
        """`n` articles; about `duplicate_rate` of them a wire copy of an earlier one."""
        recent: list[dict[str, str]] = []
        for number in range(n):
            if recent and self.rng.random() < duplicate_rate:
                copy = dict(self.rng.choice(recent))
                copy.update(id=f"synthetic-{number:07d}", outlet=self.rng.choice(OUTLETS),
                            url=f"https://news.example/{number}")
                yield copy
                continue
            record = self.article(number)
            recent = [*recent[-49:], record]
            yield record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSONL file to write")
    args = parser.parse_args(argv)
    corpus = Corpus(args.seed)
    size = 0
    with args.output.open("w", encoding="utf-8") as handle:
        for record in corpus.articles(args.articles):
            line = json.dumps(record, ensure_ascii=False) + "\n"
            size += len(line.encode())
            handle.write(line)
    print(f"wrote {args.articles:,} articles ({size / 1e6:.1f} MB) to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
