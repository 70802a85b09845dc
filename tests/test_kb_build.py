"""The generated actor knowledge base: reproducible, complete for the UN, unambiguous, well-formed.

These tests read the committed Turtle with rdflib (not the generator's own data structures), so
they check what the loader will actually see.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SOURCES = ONTOLOGY / "sources"
SCRIPT = ROOT / "scripts" / "build_kb.py"
MED = Namespace("https://w3id.org/mediation-kg/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # open namespace: pytest probes module attributes
ACTOR_NS = "https://w3id.org/mediation-kg/id/actor/"
PLACE_NS = "https://w3id.org/mediation-kg/id/place/"
DATE_SHAPES = {
    XSD.date: re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
    XSD.gYearMonth: re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    XSD.gYear: re.compile(r"^\d{4}$"),
}


def _toml(name: str) -> dict:
    with (SOURCES / name).open("rb") as fh:
        return tomllib.load(fh)


def _key(name: str) -> str:
    return name.replace("’", "'").replace("ʻ", "'").casefold().strip()


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def actors() -> Graph:
    return Graph().parse(ONTOLOGY / "actors.ttl", format="turtle")


@pytest.fixture(scope="module")
def places() -> Graph:
    return Graph().parse(ONTOLOGY / "places.ttl", format="turtle")


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    result = _run_build("--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("actors.ttl", "places.ttl"):
        assert (tmp_path / name).read_bytes() == (ONTOLOGY / name).read_bytes(), (
            f"{name} is stale: run `.venv/bin/python scripts/build_kb.py`"
        )


def test_generated_files_name_no_machine_path() -> None:
    for name in ("actors.ttl", "places.ttl"):
        text = (ONTOLOGY / name).read_text(encoding="utf-8")
        assert str(ROOT) not in text and "/work/" not in text and "/home/" not in text


def test_both_files_parse(actors: Graph, places: Graph) -> None:
    assert len(actors) > 5000
    assert len(places) > 1000


def test_every_un_member_and_observer_once(actors: Graph, places: Graph) -> None:
    states = _toml("states.toml")["states"]
    members = sorted(c for c, e in states.items() if e["un"] == "member")
    observers = sorted(c for c, e in states.items() if e["un"] == "observer")
    assert len(members) == 193
    assert observers == ["PS", "VA"]
    by_code: dict[str, list[URIRef]] = defaultdict(list)
    for node, code in actors.subject_objects(MED.isoCode):
        by_code[str(code)].append(node)
    for code in members + observers:
        country = pycountry.countries.get(alpha_2=code)
        assert country is not None, code
        nodes = by_code[code]
        assert len(nodes) == 1, f"{code}: {nodes}"
        node = nodes[0]
        assert (node, RDF.type, MED.State) in actors
        assert by_code[country.alpha_3] == [node], f"{code}: alpha-3 {country.alpha_3} missing"
        assert len(list(actors.objects(node, RDFS.label))) == 1, code
        assert list(actors.objects(node, MED.demonym)), f"{code}: no demonym"
        capitals = list(actors.objects(node, MED.capital))
        assert len(capitals) == 1, f"{code}: capitals {capitals}"
        assert (capitals[0], RDF.type, MED.Place) in places, f"{code}: capital not in places.ttl"
        assert places.value(capitals[0], MED.country) == node, f"{code}: capital's country"


def test_labels_unique_and_local_names_are_slugs(actors: Graph, places: Graph) -> None:
    for graph, ns in ((actors, ACTOR_NS), (places, PLACE_NS)):
        seen: dict[str, URIRef] = {}
        for node, label in graph.subject_objects(RDFS.label):
            assert isinstance(label, Literal) and label.language is None and label.datatype is None
            assert _key(label) not in seen, f"label {label!r} on {node} and {seen[_key(label)]}"
            seen[_key(label)] = node
            assert str(node) == ns + _slug(str(label)), node


def test_no_name_points_at_two_actors_unless_declared(actors: Graph, places: Graph) -> None:
    allowed = {_key(name) for name in _toml("ambiguity.toml")["ambiguous"]}
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for prop in (RDFS.label, SKOS.altLabel, MED.demonym, MED.metonym):
        for node, name in actors.subject_objects(prop):
            owners[_key(name)].add(node)
    for state, capital in actors.subject_objects(MED.capital):
        for prop in (RDFS.label, SKOS.altLabel):
            for name in places.objects(capital, prop):
                owners[_key(name)].add(state)
    clashes = {name: sorted(nodes) for name, nodes in owners.items() if len(nodes) > 1}
    assert set(clashes) <= allowed, {k: v for k, v in clashes.items() if k not in allowed}
    # The ambiguity list holds no stale entries either.
    assert allowed <= set(clashes), allowed - set(clashes)


def test_no_bare_ambiguous_short_names(actors: Graph) -> None:
    """Names so short or generic they would match everywhere are kept out on purpose."""
    names = {str(o) for p in (RDFS.label, SKOS.altLabel) for o in actors.objects(None, p)}
    for bad in ("Congo", "Korea", "Mohammed", "Abdullah", "IS", "AA", "PA", "Sinwar"):
        assert bad not in names, bad


def test_references_resolve(actors: Graph, places: Graph) -> None:
    actor_nodes = {n for cls in (MED.State, MED.Organization, MED.Person)
                   for n in actors.subjects(RDF.type, cls)}
    for prop in (MED.represents, MED.of, MED.basedIn, URIRef("http://purl.org/dc/terms/isPartOf")):
        for _, target in actors.subject_objects(prop):
            assert target in actor_nodes, f"{prop} -> {target}"
    for _, country in places.subject_objects(MED.country):
        assert country in actor_nodes and (country, RDF.type, MED.State) in actors, country
    for person in actors.subjects(RDF.type, MED.Person):
        assert actors.value(person, MED.represents) is not None, person
        assert list(actors.objects(person, MED.position)), person


def test_positions_use_closed_roles_and_ordered_iso_dates(actors: Graph) -> None:
    roles = set(_toml("roles.toml")["roles"])
    count = 0
    for person, pos in actors.subject_objects(MED.position):
        count += 1
        role = actors.value(pos, MED.role)
        assert str(role) in roles, f"{person}: role {role!r}"
        dates = {}
        for prop in (MED.start, MED.end):
            value = actors.value(pos, prop)
            if value is None:
                continue
            assert isinstance(value, Literal) and value.datatype in DATE_SHAPES, f"{person}: {value!r}"
            assert DATE_SHAPES[value.datatype].match(str(value)), f"{person}: {value!r}"
            dates[prop] = str(value)
        assert MED.start in dates, f"{person}: position {role} has no start"
        if MED.end in dates:
            n = min(len(dates[MED.start]), len(dates[MED.end]))
            assert dates[MED.start][:n] <= dates[MED.end][:n], f"{person}: {role} {dates}"
    assert count > 300


def test_key_office_holders(actors: Graph) -> None:
    """Spot checks of the kind of fact the extractor leans on (who held what, when)."""
    a = Namespace(ACTOR_NS)

    def held(person: URIRef, role: str, of: URIRef) -> list[tuple[str, str | None]]:
        out = []
        for pos in actors.objects(person, MED.position):
            if str(actors.value(pos, MED.role)) == role and actors.value(pos, MED.of) == of:
                end = actors.value(pos, MED.end)
                out.append((str(actors.value(pos, MED.start)), str(end) if end else None))
        return out

    assert held(a["mohammed-bin-abdulrahman-al-thani"], "Prime Minister", a.qatar) == [("2023-03-07", None)]
    assert held(a["abbas-araghchi"], "Foreign Minister", a.iran) == [("2024-08-21", None)]
    assert held(a["hossein-amir-abdollahian"], "Foreign Minister", a.iran) == [
        ("2021-08-25", "2024-05-19")]
    assert held(a["antonio-guterres"], "Secretary-General", a["united-nations"]) == [("2017-01-01", None)]
    assert str(actors.value(a.qatar, RDFS.label)) == "Qatar"
    assert "Türkiye" in {str(v) for v in actors.objects(a.turkey, SKOS.altLabel)}


def test_build_rejects_an_undeclared_clash(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    orgs = sources / "organizations.toml"
    orgs.write_text(orgs.read_text(encoding="utf-8")
                    + '\n[[organization]]\nlabel = "Test Body"\nvariants = ["Qatari"]\n',
                    encoding="utf-8")
    result = _run_build("--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "qatari" in result.stderr and "test-body" in result.stderr
