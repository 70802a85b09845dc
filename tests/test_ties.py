"""Mediation ties: after every write, each tie's count is what a GROUP BY over the events gives."""

import random
from collections import Counter

import pytest

from kg.ingest import Pipeline, ingest
from kg.store import MEMORY, ArticleGraph, OxigraphStore, Store, StoreConfig, open_store
from kg.ties import count_changes, tie_iri, tie_lines

from .conftest import DATA, SEEDS

MED = "https://w3id.org/mediation-kg/ontology#"
BASE = "https://w3id.org/mediation-kg/id/"


def recount(store) -> dict[tuple[str, str], int]:
    """The counts from the events themselves: what the ties must equal."""
    rows = store.query(f"SELECT ?m ?p (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e <{MED}mediator> ?m ; <{MED}party> ?p }}"
                       " GROUP BY ?m ?p")
    return {(r["m"].value, r["p"].value): int(r["n"].value) for r in rows}


def ties(store) -> dict[tuple[str, str], int]:
    rows = list(store.query(f"SELECT ?t ?m ?p ?n WHERE {{ ?t a <{MED}MediationTie> ; <{MED}tieMediator> ?m ; "
                            f"<{MED}tieParty> ?p ; <{MED}eventCount> ?n }}"))
    found = {(r["m"].value, r["p"].value): int(r["n"].value) for r in rows}
    assert len(found) == len(rows)  # one mediator, one party, one count a tie
    assert all(r["t"].value == tie_iri(BASE, (r["m"].value, r["p"].value)) for r in rows)
    (total,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?t ?p ?o FILTER (STRSTARTS(STR(?t), '{BASE}tie/')) }}")
    assert int(total["n"].value) == 4 * len(rows)  # no stray triple left on a removed tie
    return found


def test_changes_count_pairs_gained_and_lost():
    before = {"e1": ({"q"}, {"a", "b"}), "e2": ({"q"}, {"a"})}
    after = {"e1": ({"q", "o"}, {"a"}), "e2": ({"q"}, {"a"}), "e3": ({"q"}, {"a"})}
    assert count_changes(before, after) == Counter({("o", "a"): 1, ("q", "a"): 1, ("q", "b"): -1})


def test_a_tie_falling_to_zero_is_removed_whole():
    pair = ("urn:q", "urn:a")
    delete, insert = tie_lines(BASE, {pair: -2}, {tie_iri(BASE, pair): 2})
    assert insert == [] and len(delete) == 4
    delete, insert = tie_lines(BASE, {pair: 1}, {})
    assert delete == [] and len(insert) == 4
    delete, insert = tie_lines(BASE, {pair: 1}, {tie_iri(BASE, pair): 2})
    assert [line.split('"')[1] for line in delete + insert] == ["2", "3"]


def _article(name: str, roles: list[tuple[str, str, str]]) -> ArticleGraph:
    lines = [f"<urn:{event}> <{MED}{role}> <urn:{actor}> ." for event, role, actor in roles]
    lines.append(f"<urn:art-{name}> <urn:says> \"{name}\" .")
    return ArticleGraph(f"urn:graph/{name}", "\n".join(lines), "", sorted({line.split()[0][1:-1] for line in lines}))


def _random_batches(seed: int) -> list[list[ArticleGraph]]:
    """Batches of new and re-written articles naming a few events, mediators and parties."""
    rng = random.Random(seed)
    batches = []
    for _ in range(12):
        batch = []
        for _ in range(rng.randint(1, 4)):
            roles = [(f"e{rng.randrange(6)}", rng.choice(["mediator", "party", "party", "participant"]),
                      f"x{rng.randrange(5)}") for _ in range(rng.randint(0, 6))]
            batch.append(_article(f"a{rng.randrange(10)}", roles))
        batches.append(batch)
    return batches


@pytest.mark.parametrize("seed", range(6))
def test_ties_equal_the_recount_after_every_write_on_both_roads(seed, tmp_path):
    """New articles take the data-only road, re-written ones and batches with an article twice
    the general one (the remote endpoints' road); both must keep the ties exact, and the same."""
    fast = OxigraphStore(str(tmp_path / "store"))
    general = OxigraphStore(MEMORY)
    try:
        for batch in _random_batches(seed):
            fast.write_articles(batch)
            Store.write_articles(general, batch)
            assert ties(fast) == recount(fast)
            assert ties(general) == ties(fast)
    finally:
        fast.close()


def test_ties_follow_real_ingests_rewrites_and_twins(tmp_path):
    """The seeds and the development set, in one order and then again in another, one file at
    a time (so twins and re-ingests happen): the ties always equal the recount, and the first
    README query reads from them what the GROUP BY over the events gives."""
    pipeline = Pipeline.load()
    files = sorted(SEEDS.glob("*.txt")) + sorted((DATA / "dev").glob("*.txt"))
    store = open_store(StoreConfig(str(tmp_path / "store")))
    try:
        ingest(files, store, pipeline)
        counted = recount(store)
        assert ties(store) == counted and len(counted) > 20
        order = files[:]
        random.Random(3).shuffle(order)
        for path in order[:6]:
            ingest([path], store, pipeline)
            assert ties(store) == recount(store) == counted
    finally:
        store.close()
