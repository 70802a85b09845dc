"""`kg evaluate`: score the store's resolved graph against gold event annotations.

The gold format is one JSON object a line, as in `tests/data/dev_gold.jsonl`: `id`, `file`,
`type` (one of TYPES' values), `mediators`, `parties`, `participants`, `persons`, `date`,
`date_end` (ISO, at the granularity the text supports, or null), `location`, `evidence`,
`same_as` (a key shared by the lines that are one real-world event), `core`.

The matching rules are those of the shared scorer (`tools/score_events.py`), reimplemented here
so that the project does not depend on it, and the overall figures agree with it:

- The graph is read through the public vocabulary only: event classes, `med:mediator`,
  `med:party`, `med:participant`, `med:date`, `med:endDate`, `prov:wasDerivedFrom` to articles
  with `schema:identifier`. A person in a role counts as the state or organisation it
  `med:represents`.
- Gold events are matched file by file, core families first. An extracted event can match a
  gold event when it has a class of the same family (diplomacy, mediation, outcome, statement,
  conflict); shares at least two of its actors (or all, if it has fewer); has one of its
  mediators as mediator or participant; and, when both carry dates, has a date compatible at
  the coarser granularity (`2023-09` is compatible with `2023-09-26`). Among candidates the best
  score wins (actor overlap, +0.5 for the same type, +1 for the exact date, +0.5 for a
  compatible one). One extracted event matches one gold event, unless the gold events share a
  `same_as` key.
- **relations**: precision and recall of (file, mediator, party) triples.
- **events**: precision over extracted core events (diplomacy, mediation, outcome families) of
  the gold files, recall over gold core events.
- **dates**: share of matched dated gold events whose date (and end date) is exactly right.
- **merges**: share of `same_as` groups spanning several files that landed on one event node.

Per type (this module's addition): an extracted event counts once for each of its classes. It is
a true positive for type T when it matched a gold event whose type is of T's family (so an event
typed Mediation+Agreement that matched a gold agreement is right as an Agreement and wrong as a
Mediation). A gold event of type T is recalled when it matched any extracted event; matching
already requires a class of the same family. Precision for T is over extracted events of the gold
files that carry T; recall over gold events of type T.

Names are compared after normalisation (accents stripped, lower case, punctuation to spaces, a
leading "the" dropped) and aliasing. The aliases come from the knowledge base (every actor's
labels, variants, metonyms and capital) plus `ontology/evaluation.toml`, which also holds the
honorifics dropped from person names; no table of names lives in this code.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SDO, SKOS

from kg.resources import ontology_file
from kg.vocab import MED

TYPES = {
    "Mediation": "mediation", "MediationOffer": "mediation_offer", "Negotiation": "negotiation",
    "Meeting": "meeting", "Visit": "visit", "Consultation": "consultation",
    "Agreement": "agreement", "Ceasefire": "ceasefire", "PrisonerExchange": "prisoner_exchange",
    "Release": "release", "Statement": "statement", "Attack": "attack",
}
FAMILY = {
    "visit": "diplomacy", "meeting": "diplomacy", "consultation": "diplomacy",
    "mediation": "mediation", "mediation_offer": "mediation", "negotiation": "mediation",
    "agreement": "outcome", "ceasefire": "outcome", "prisoner_exchange": "outcome", "release": "outcome",
    "statement": "statement", "attack": "conflict",
}
CORE = frozenset({"diplomacy", "mediation", "outcome"})
NAME_TABLES = "evaluation.toml"
KB_FILES = ("actors.ttl", "places.ttl")
_ISO = re.compile(r"^-?\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ACTOR_CLASSES = ("State", "Organization", "Person", "Actor")


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and line."""


# ---------------------------------------------------------------------------------------- gold

def check_gold_record(record: object, where: str) -> dict:
    """The record, with defaults for optional fields, or GoldError naming `where`."""
    if not isinstance(record, dict):
        raise GoldError(f"{where}: not a JSON object")
    for key in ("id", "file", "type"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise GoldError(f"{where}: '{key}' missing or not a string")
    if record["type"] not in FAMILY:
        raise GoldError(f"{where}: unknown type '{record['type']}' (want one of {', '.join(FAMILY)})")
    out = dict(record)
    for key in ("mediators", "parties", "participants", "persons"):
        value = out.setdefault(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GoldError(f"{where}: '{key}' must be a list of strings")
    for key in ("date", "date_end"):
        value = out.setdefault(key, None)
        if value is not None and not (isinstance(value, str) and _ISO.match(value)):
            raise GoldError(f"{where}: '{key}' must be YYYY, YYYY-MM, YYYY-MM-DD or null, not {value!r}")
    same = out.setdefault("same_as", None)
    if same is not None and not isinstance(same, str):
        raise GoldError(f"{where}: 'same_as' must be a string or null")
    return out


def load_gold(path: Path) -> list[dict]:
    """The gold records of a JSON Lines file; GoldError on the first bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    records, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc.msg})") from exc
        record = check_gold_record(raw, where)
        if record["id"] in seen:
            raise GoldError(f"{where}: duplicate id '{record['id']}'")
        seen.add(record["id"])
        records.append(record)
    if not records:
        raise GoldError(f"{path}: no gold records")
    return records


# --------------------------------------------------------------------------------------- names

def _basic(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@dataclass(slots=True)
class Names:
    """How names are compared: aliases to one key per actor, and honorifics dropped from persons."""

    aliases: dict[str, str] = field(default_factory=dict)
    honorifics: frozenset[str] = frozenset()

    @classmethod
    def load(cls, kb_files: Iterable[Path] = (), *, packaged: bool = True, tables: Path | None = None) -> Names:
        """Aliases from the knowledge base (packaged files and `kb_files`) and the TOML tables."""
        g = Graph()
        if packaged:
            for name in KB_FILES:
                g.parse(data=ontology_file(name).read_text(encoding="utf-8"), format="turtle")
        for path in kb_files:
            g.parse(str(path), format="turtle")
        data = tomllib.loads((Path(tables) if tables else ontology_file(NAME_TABLES)).read_text(encoding="utf-8"))
        names = cls(honorifics=frozenset(_basic(h) for h in data.get("names", {}).get("honorifics", [])))
        names.aliases = cls._kb_aliases(g)
        for variant, label in data.get("aliases", {}).items():
            names.aliases[_basic(variant)] = _basic(label)
        return names

    @staticmethod
    def _kb_aliases(g: Graph) -> dict[str, str]:
        actors = {node for kind in _ACTOR_CLASSES for node in g.subjects(RDF.type, MED[kind])}
        labels: dict[str, str] = {}
        candidates: dict[str, set[str]] = defaultdict(set)
        for node in actors:
            label = next(iter(sorted(str(o) for o in g.objects(node, RDFS.label))), None)
            if label is None:
                continue
            key = _basic(label)
            labels[key] = key
            variants = {str(o) for p in (SKOS.altLabel, MED.metonym) for o in g.objects(node, p)}
            for capital in g.objects(node, MED.capital):
                variants |= {str(o) for p in (RDFS.label, SKOS.altLabel) for o in g.objects(capital, p)}
            for variant in variants:
                candidates[_basic(variant)].add(key)
        aliases = {v: next(iter(keys)) for v, keys in candidates.items() if len(keys) == 1 and v not in labels}
        return {v: k for v, k in aliases.items() if v != k and v}

    def norm(self, name: str) -> str:
        key = _basic(name)
        return self.aliases.get(key, key)

    def person_key(self, name: str) -> frozenset[str]:
        return frozenset(t for t in _basic(name).split() if t not in self.honorifics)

    def same_person(self, a: str, b: str) -> bool:
        ka, kb = self.person_key(a), self.person_key(b)
        return bool(ka and kb) and (ka <= kb or kb <= ka) and min(len(ka), len(kb)) >= 2


# ------------------------------------------------------------------------------------- graph

@dataclass(slots=True)
class Found:
    """One extracted (resolved) event, as the vocabulary shows it."""

    iri: str
    types: set[str] = field(default_factory=set)
    mediators: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    ends: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)

    @property
    def actors(self) -> set[str]:
        return self.mediators | self.parties | self.participants

    @property
    def families(self) -> set[str]:
        return {FAMILY[t] for t in self.types}


def read_events(g: Graph, names: Names) -> list[Found]:
    """Every node carrying an event class, with its roles, dates and source files."""

    def labels(node) -> set[str]:
        out = {str(o) for p in (RDFS.label, SDO.name) for o in g.objects(node, p)}
        if out or not isinstance(node, URIRef):
            return out
        return {str(node).split("/")[-1].split("#")[-1].replace("_", " ")}

    def is_person(node) -> bool:
        return (node, RDF.type, MED.Person) in g or (node, MED.represents, None) in g

    events: dict = {}
    for local, short in TYPES.items():
        for node in g.subjects(RDF.type, MED[local]):
            events.setdefault(node, Found(str(node))).types.add(short)
    for node, ev in events.items():
        for prop, bucket in ((MED.mediator, ev.mediators), (MED.party, ev.parties),
                             (MED.participant, ev.participants)):
            for actor in g.objects(node, prop):
                if is_person(actor):
                    ev.persons |= labels(actor)
                    for state in g.objects(actor, MED.represents):
                        bucket |= {names.norm(x) for x in labels(state)}
                else:
                    bucket |= {names.norm(x) for x in labels(actor)}
        ev.dates = {str(d) for d in g.objects(node, MED.date)}
        ev.ends = {str(d) for d in g.objects(node, MED.endDate)}
        for article in g.objects(node, PROV.wasDerivedFrom):
            ev.files |= {Path(str(i)).name for i in g.objects(article, SDO.identifier)}
    return list(events.values())


def graph_from_store(store) -> Graph:
    """The store's resolved view (the default graph) as an rdflib graph."""
    from kg.export import export_graph

    return Graph().parse(data=export_graph(store, "turtle"), format="turtle")


# ------------------------------------------------------------------------------------ scoring

def _date_parts(value) -> tuple[str, ...] | None:
    if value is None:
        return None
    m = re.match(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(value))
    return tuple(p for p in m.groups() if p) if m else None


def dates_compatible(gold, found) -> bool:
    """Equal at the coarser of the two granularities: `2023-09` and `2023-09-26` agree."""
    g, f = _date_parts(gold), _date_parts(found)
    if g is None or f is None:
        return False
    n = min(len(g), len(f))
    return g[:n] == f[:n]


def _prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> dict:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "found": n_p, "gold": n_r}


def match_score(gold: dict, ev: Found, names: Names) -> float:
    """0 when `ev` cannot be `gold`'s event; otherwise higher is a better match."""
    if FAMILY[gold["type"]] not in ev.families:
        return 0.0
    g_actors = {names.norm(a) for a in gold["mediators"] + gold["parties"] + gold["participants"]}
    shared = g_actors & ev.actors
    if len(shared) < min(2, len(g_actors)):
        return 0.0
    if gold["mediators"] and not {names.norm(m) for m in gold["mediators"]} & (ev.mediators | ev.participants):
        return 0.0
    if gold["date"] and ev.dates and not any(dates_compatible(gold["date"], d) for d in ev.dates):
        return 0.0
    score = len(shared) / len(g_actors | ev.actors) if g_actors else 0.5
    if gold["type"] in ev.types:
        score += 0.5
    if gold["date"] and str(gold["date"]) in ev.dates:
        score += 1.0
    elif gold["date"] and ev.dates:
        score += 0.5
    return score


def score(events: Sequence[Found], gold: Sequence[dict], names: Names) -> dict:
    """All figures for extracted `events` against `gold` records (see the module docstring)."""
    by_file: dict[str, list[Found]] = defaultdict(list)
    for ev in events:
        for f in ev.files:
            by_file[f].append(ev)
    gold_files = {g["file"] for g in gold}
    file_of = {g["id"]: g["file"] for g in gold}

    matched: dict[str, Found] = {}
    owner_of: dict[tuple[str, str], dict] = {}  # (file, event iri) -> first gold record it matched
    for f in sorted(gold_files):
        used: dict[int, dict] = {}
        for g in sorted((g for g in gold if g["file"] == f), key=lambda g: FAMILY[g["type"]] not in CORE):
            candidates = sorted(((match_score(g, ev, names), i) for i, ev in enumerate(by_file[f])), reverse=True)
            for s, i in candidates:
                if s <= 0:
                    break
                owner = used.get(i)
                if owner is None or (owner["same_as"] and owner["same_as"] == g["same_as"]):
                    used[i] = g
                    matched[g["id"]] = by_file[f][i]
                    owner_of.setdefault((f, by_file[f][i].iri), g)
                    break

    matched_iris: dict[str, set[str]] = defaultdict(set)
    matched_families: dict[tuple[str, str], set[str]] = defaultdict(set)
    for gid, ev in matched.items():
        matched_iris[file_of[gid]].add(ev.iri)
    for g in gold:
        if g["id"] in matched:
            matched_families[(g["file"], matched[g["id"]].iri)].add(FAMILY[g["type"]])

    core_gold = [g for g in gold if FAMILY[g["type"]] in CORE]
    found_core = [(f, ev) for f in sorted(gold_files) for ev in by_file[f] if ev.families & CORE]
    tp_p = sum(1 for f, ev in found_core if ev.iri in matched_iris[f])
    tp_r = sum(1 for g in core_gold if g["id"] in matched)
    events_prf = _prf(tp_p, len(found_core), tp_r, len(core_gold))

    gold_rel = {(g["file"], names.norm(m), names.norm(p)) for g in gold for m in g["mediators"] for p in g["parties"]}
    found_rel = {(f, m, p) for f in gold_files for ev in by_file[f] for m in ev.mediators for p in ev.parties if m != p}
    both = len(found_rel & gold_rel)
    relations_prf = _prf(both, len(found_rel), both, len(gold_rel))

    dated = [g for g in gold if g["date"] and g["id"] in matched]
    exact = sum(1 for g in dated if str(g["date"]) in matched[g["id"]].dates
                and (not g.get("date_end") or str(g["date_end"]) in matched[g["id"]].ends))
    dates = {"exact": exact, "of": len(dated), "accuracy": round(exact / len(dated), 3) if dated else 0.0}

    groups: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        if g.get("same_as"):
            groups[g["same_as"]].append(g)
    multi = {k: v for k, v in groups.items() if len({g["file"] for g in v}) > 1}
    merged = sum(1 for v in multi.values() if all(g["id"] in matched for g in v)
                 and len({matched[g["id"]].iri for g in v}) == 1)
    merges = {"merged": merged, "of": len(multi), "rate": round(merged / len(multi), 3) if multi else 1.0}

    per_type = {}
    for short in TYPES.values():
        fam = FAMILY[short]
        found_t = [(f, ev) for f in sorted(gold_files) for ev in by_file[f] if short in ev.types]
        gold_t = [g for g in gold if g["type"] == short]
        if not found_t and not gold_t:
            continue
        tp_found = sum(1 for f, ev in found_t if fam in matched_families[(f, ev.iri)])
        tp_gold = sum(1 for g in gold_t if g["id"] in matched)
        per_type[short] = {**_prf(tp_found, len(found_t), tp_gold, len(gold_t)), "family": fam}

    persons_gold = [(g, p) for g in gold if g["id"] in matched for p in g.get("persons", [])]
    persons_found = sum(1 for g, p in persons_gold
                        if any(names.same_person(p, q) for q in matched[g["id"]].persons))
    persons = {"found": persons_found, "of": len(persons_gold),
               "recall": round(persons_found / len(persons_gold), 3) if persons_gold else 0.0}

    return {
        "per_type": per_type,
        "relations": relations_prf, "events": events_prf, "dates": dates, "merges": merges, "persons": persons,
        "missed_gold": [g["id"] for g in core_gold if g["id"] not in matched],
        "missed_other": [g["id"] for g in gold if FAMILY[g["type"]] not in CORE and g["id"] not in matched],
        "matched": {gid: ev.iri for gid, ev in sorted(matched.items())},
        "spurious_events": sorted({f"{f}: {sorted(ev.types)} {sorted(ev.actors)}"
                                   for f, ev in found_core if ev.iri not in matched_iris[f]}),
        "missed_relations": sorted(map(list, gold_rel - found_rel)),
        "spurious_relations": sorted(map(list, found_rel - gold_rel)),
    }


def evaluate(store, gold_records: Sequence[dict], *, kb_files: Iterable[Path] = (),
             names: Names | None = None, graph: Graph | None = None) -> dict:
    """Score the store's resolved graph against `gold_records` (as `load_gold` returns them).

    `graph` may be given instead of reading the store (then `store` is not used).
    """
    names = names or Names.load(kb_files)
    gold = [check_gold_record(r, f"gold record {i}") for i, r in enumerate(gold_records, start=1)]
    g = graph if graph is not None else graph_from_store(store)
    return score(read_events(g, names), gold, names)
