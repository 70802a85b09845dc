"""The date patterns' pre-checks never skip a pattern that would have matched.

Each pattern lists text any of its matches must contain (`_Needs`), and a sentence without it
skips the pattern. A pattern edited to match without one of them would silently miss dates;
this runs every pattern on real and generated sentences and checks the needs hold wherever it
matches.
"""

import random
import re

from kg.nlp.dates import _ASCII_DIGIT, _MONTH_STEMS, _PATTERNS, _fold

from ..conftest import DATA, SEEDS

MONTHS = ["January", "Feb.", "March", "Apr", "May", "June", "Jul.", "August", "Sept.", "October", "Nov", "December"]
FORMS = ["on {d} {m} {y}", "{m} {d}, {y}", "in {m} {y}", "{y}-0{n}-1{n}", "{n}/1{n}/{y}", "{d}.{n}.{y}",
         "{n} days ago", "last {m}", "early {m}", "the end of {y}", "between {m} {d} and {d2}", "in mid-{m}",
         "two weeks later", "the previous year", "late {y}", "the first half of {y}", "{y}/{n}",
         "THE END OF {Y}", "last Week", "Mid-{m} {y}", "since {y}", "in the {y}s", "a year earlier"]


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in [*SEEDS.glob("*.txt"), *(DATA / "dev").glob("*.txt")]]
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t)]
    rng = random.Random(5)
    for _ in range(3000):
        form = rng.choice(FORMS)
        y = rng.choice(["1999", "2003", "2019", "2024", "2101", "1899"])
        when = form.format(d=rng.randint(1, 31), d2=rng.randint(1, 31), m=rng.choice(MONTHS), y=y, Y=y,
                           n=rng.randint(1, 9))
        sentences.append(f"Talks resumed {when}, officials said.")
    return sentences


def test_every_match_meets_its_patterns_needs():
    checked = 0
    for sentence in _sentences():
        folded = _fold(sentence)
        digit = _ASCII_DIGIT.search(sentence) is not None
        month = any(stem in sentence for stem in _MONTH_STEMS)
        for pattern, _handler, needs in _PATTERNS:
            if pattern.search(sentence):
                checked += 1
                assert needs.met(sentence, folded, digit, month), (pattern.pattern[:80], sentence)
    assert checked > 2000
