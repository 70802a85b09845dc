"""The project's vocabulary as typed names, so that a misspelt term is an error, not a new IRI.

`tests/test_vocab.py` checks this class against `ontology/mediation.ttl` both ways.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
DEFAULT_BASE = "https://w3id.org/mediation-kg/id/"


class MED(DefinedNamespace):
    """Terms of `https://w3id.org/mediation-kg/ontology#`."""

    _fail = True
    _NS = Namespace("https://w3id.org/mediation-kg/ontology#")

    # classes
    Event: URIRef
    EventMention: URIRef
    Mediation: URIRef
    MediationOffer: URIRef
    Negotiation: URIRef
    Meeting: URIRef
    Visit: URIRef
    Consultation: URIRef
    Agreement: URIRef
    Ceasefire: URIRef
    PrisonerExchange: URIRef
    Release: URIRef
    Statement: URIRef
    Attack: URIRef
    Actor: URIRef
    State: URIRef
    Organization: URIRef
    Person: URIRef
    Position: URIRef
    Place: URIRef
    # annotation
    cameo: URIRef
    # roles
    mediator: URIRef
    party: URIRef
    participant: URIRef
    visitor: URIRef
    host: URIRef
    speaker: URIRef
    # event attributes
    date: URIRef
    endDate: URIRef
    dateText: URIRef
    location: URIRef
    evidence: URIRef
    confidence: URIRef
    status: URIRef
    cameoCode: URIRef
    trigger: URIRef
    mentionOf: URIRef
    startOffset: URIRef
    endOffset: URIRef
    nearDuplicateOf: URIRef
    textSignature: URIRef
    # summaries the store keeps
    MediationTie: URIRef
    tieMediator: URIRef
    tieParty: URIRef
    eventCount: URIRef
    # actor knowledge
    represents: URIRef
    role: URIRef
    position: URIRef
    of: URIRef
    start: URIRef
    end: URIRef
    demonym: URIRef
    capital: URIRef
    metonym: URIRef
    isoCode: URIRef
    country: URIRef
    basedIn: URIRef


EVENT_CLASSES: tuple[str, ...] = (
    "Mediation", "MediationOffer", "Negotiation", "Meeting", "Visit", "Consultation",
    "Agreement", "Ceasefire", "PrisonerExchange", "Release", "Statement", "Attack",
)
