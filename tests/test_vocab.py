"""The ontology file and the MED namespace class agree, and the ontology is well-formed OWL."""

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.resources import ontology_file
from kg.vocab import EVENT_CLASSES, MED, SEM

ONTOLOGY = Graph().parse(data=ontology_file("mediation.ttl").read_text(encoding="utf-8"), format="turtle")
DECLARED = {
    s for s in ONTOLOGY.subjects(RDF.type, None) if str(s).startswith(str(MED._NS))
}


def test_every_namespace_term_is_declared_in_the_ontology():
    names = {MED[name] for name in MED.__annotations__}
    assert names - DECLARED == set()


def test_every_ontology_term_is_in_the_namespace_class():
    assert {str(t) for t in DECLARED} - {str(MED[name]) for name in MED.__annotations__} == set()


def test_misspelt_term_is_an_error():
    try:
        MED.Mediaton  # noqa: B018 - the access itself is the test
    except AttributeError:
        return
    raise AssertionError("MED accepted a term the ontology does not define")


def test_every_term_has_label_and_definition():
    for term in DECLARED:
        assert ONTOLOGY.value(term, RDFS.label) is not None, term
        assert ONTOLOGY.value(term, SKOS.definition) is not None, term


def test_event_classes_carry_cameo_and_align_to_sem():
    assert (MED.Event, RDFS.subClassOf, SEM.Event) in ONTOLOGY
    for name in EVENT_CLASSES:
        assert (MED[name], RDF.type, OWL.Class) in ONTOLOGY
        assert (MED[name], RDFS.subClassOf, MED.Event) in ONTOLOGY
        assert ONTOLOGY.value(MED[name], MED.cameo) is not None
    for role in (MED.mediator, MED.party, MED.participant):
        assert (role, RDFS.subPropertyOf, SEM.hasActor) in ONTOLOGY
