"""How news English states mediation, read into roles: invented sentences, small test KB."""

from datetime import date

import pytest

from kg.sources.article import Article

A = "https://w3id.org/mediation-kg/id/actor/"
PUBLISHED = date(2024, 3, 6)  # a Wednesday


def frames(extractor, text):
    return extractor(Article("t.txt", text, published=PUBLISHED)).frames


def names(iris):
    return sorted(i.removeprefix(A) for i in iris)


@pytest.mark.parametrize(
    ("text", "cls", "mediators", "parties"),
    [
        ("Qatar mediated between the US and Iran.", "Mediation", ["qatar"], ["iran", "united-states"]),
        ("Switzerland hosted talks between Armenia and Turkey in Geneva.", "Mediation", ["switzerland"],
         ["armenia", "turkey"]),
        ("Egypt brokered a truce between Israel and Islamic Jihad.", "Ceasefire", ["egypt"],
         ["islamic-jihad", "israel"]),
        ("Norway facilitated talks between the Philippine government and communist rebels.", "Mediation",
         ["norway"], ["npa", "philippines"]),
        ("Talks between Armenia and Turkey were mediated by Switzerland.", "Mediation", ["switzerland"],
         ["armenia", "turkey"]),
        ("The prisoner exchange between Israel and Islamic Jihad was concluded with Egyptian mediation.",
         "PrisonerExchange", ["egypt"], ["islamic-jihad", "israel"]),
        ("Qatar offered to mediate between Iran and the United States.", "MediationOffer", ["qatar"],
         ["iran", "united-states"]),
        ("Iran-US talks resumed on Monday.", "Negotiation", [], ["iran", "united-states"]),
    ],
)
def test_mediator_and_parties(extractor, text, cls, mediators, parties):
    (frame,) = frames(extractor, text)
    assert cls in frame.classes
    assert names(frame.mediators) == mediators
    assert names(frame.parties) == parties


def test_date_comes_from_the_clause_and_keeps_its_granularity(extractor):
    (frame,) = frames(extractor, "Norway facilitated talks between Armenia and Turkey in September 2023.")
    assert (frame.time.value, frame.time.granularity) == ("2023-09", "month")


def test_relative_date_is_anchored_on_publication(extractor):
    (frame,) = frames(extractor, "Switzerland hosted talks between Armenia and Turkey on Monday.")
    assert frame.time.value == "2024-03-04"


def test_capital_as_government_and_as_place(extractor):
    (frame,) = frames(extractor, "Talks between Tehran and Washington were held in Cairo, brokered by Doha.")
    assert names(frame.parties) == ["iran", "united-states"]
    assert frame.location.label == "Cairo"
    # Doha brokered them; Egypt hosted them, and a host of talks between others mediates (CAMEO 043/045)
    assert names(frame.mediators) == ["egypt", "qatar"]


def test_reported_talks_in_a_third_country_do_not_make_it_a_mediator(extractor):
    (frame,) = frames(extractor, "Media reports said talks between Iran and the US were held in Cairo.")
    assert frame.status == "reported" and frame.mediators == []


def test_a_visit_per_destination(extractor):
    found = frames(extractor, "The Iranian foreign minister ended a tour that included visits to Egypt and Turkey.")
    visits = [f for f in found if "Visit" in f.classes]
    assert sorted(f.location.label for f in visits) == ["Egypt", "Turkey"]
    assert all(A + "iran" in f.participants for f in visits)


def test_denied_and_planned_are_not_stated_as_fact(extractor):
    (denied,) = frames(extractor, "Iran denied holding direct talks with the United States.")
    assert denied.status == "denied" and denied.confidence < 0.5
    (offer,) = frames(extractor, "Qatar offered to host talks between Iran and the United States.")
    assert offer.status == "planned"


def test_goal_is_not_an_event(extractor):
    found = frames(extractor, "Egypt mediated talks between Israel and Islamic Jihad aimed at reaching a ceasefire.")
    assert [sorted(f.classes) for f in found] == [["Mediation"]]


def test_person_introduced_by_title_represents_their_state(extractor):
    article = Article("t.txt", "Iranian President Ali Example met Qatar's envoy on Monday. Mr Example said "
                      "talks would continue.", published=PUBLISHED)
    extraction = extractor(article)
    person = extraction.actors[A + "ali-example"]
    assert person.kind == "Person" and person.represents == A + "iran"


def test_office_holder_by_date(test_kb):
    assert test_kb.holder("Foreign Minister", A + "norway", date(2021, 6, 1)) == A + "jane-example"
    assert test_kb.holder("Foreign Minister", A + "norway", date(2024, 6, 1)) == A + "john-sample"


def test_sentence_without_actors_gives_no_event(extractor):
    assert frames(extractor, "Talks were held somewhere last week.") == []


@pytest.mark.parametrize(
    ("text", "cls", "mediators", "parties"),
    [
        # sides named as the subject, with possessives and heads
        ("Israel's government and Islamic Jihad signed a truce on Sunday.", "Ceasefire", [],
         ["islamic-jihad", "israel"]),
        # mediators coordinated after a cue
        ("Talks between Armenia and Turkey were brokered by Switzerland and the United States.", "Mediation",
         ["switzerland", "united-states"], ["armenia", "turkey"]),
        # a relative clause names the mediator
        ("Armenia and Turkey met in the presence of the Swiss minister, whose government mediated the talks.",
         "Mediation", ["switzerland"], ["armenia", "turkey"]),
        # a demonym joined by a hyphen
        ("An Egyptian-brokered truce between Israel and Islamic Jihad held.", "Ceasefire", ["egypt"],
         ["islamic-jihad", "israel"]),
    ],
)
def test_more_ways_news_names_the_sides(extractor, text, cls, mediators, parties):
    found = [f for f in frames(extractor, text) if cls in f.classes]
    assert found, [sorted(f.classes) for f in frames(extractor, text)]
    assert names(found[0].mediators) == mediators
    assert names(found[0].parties) == parties


def test_the_talks_refer_back_to_the_talks_told_before(extractor):
    article = Article("t.txt", "Armenia and Turkey held peace negotiations in Geneva on Monday. "
                      "The talks were facilitated by Switzerland.", published=PUBLISHED)
    second = [f for f in extractor(article).frames if "Mediation" in f.classes][-1]
    assert names(second.mediators) == ["switzerland"] and names(second.parties) == ["armenia", "turkey"]


def test_host_of_talks_mediates_only_when_they_took_place(extractor):
    (held,) = frames(extractor, "Talks between Armenia and Turkey were held in Geneva on Monday.")
    assert names(held.mediators) == ["switzerland"]


def test_an_undated_event_called_recent_takes_the_publication_month(extractor):
    (frame,) = frames(extractor, "The recent agreement between Armenia and Turkey was welcomed.")
    assert (frame.time.value, frame.time.granularity) == ("2024-03", "month")


@pytest.mark.parametrize(
    ("text", "label", "state"),
    [
        ("Iranian President Ali Example met the envoy on Monday.", "Ali Example", "iran"),
        ("Qatar's spokesman at the Ministry of Foreign Affairs, Omar Sample, said talks went well.", "Omar Sample",
         "qatar"),
        ("He met his Egyptian counterpart, Karim Testname, in Cairo.", "Karim Testname", "egypt"),
        ("Nadia Placeholder, Norway's foreign minister, arrived in Manila.", "Nadia Placeholder", "norway"),
    ],
)
def test_people_introduced_as_news_introduces_them(extractor, text, label, state):
    extraction = extractor(Article("t.txt", text, published=PUBLISHED))
    people = {a.label: a for a in extraction.actors.values() if a.kind == "Person"}
    assert label in people and people[label].represents == A + state


def test_people_are_found_again_by_surname_and_honorific(extractor):
    text = ("Iranian President Ali Example met Qatar's envoy on Monday. Mr Example later met Egypt's envoy. "
            "Qatari Prime Minister Sheikh Hamad Sample arrived in Oslo on Monday. Sheikh Hamad met Norway's envoy.")
    extraction = extractor(Article("t.txt", text, published=PUBLISHED))
    assert {"Example", "Sheikh Hamad"} <= set().union(*extraction.variants.values())
