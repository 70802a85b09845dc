"""Tokens and sentences with exact character offsets, so evidence can point into the article.

A rule tokenizer is enough here and measured far faster than a statistical pipeline: names are
matched against the knowledge base, not guessed. Hyphens and apostrophes are tokens of their
own so that "Iran-US talks", "US-brokered" and "Qatar’s" expose the names inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:\.\w+)*\.?|[^\w\s]")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st gen lt col maj capt sgt sen rep gov pres no vs etc e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k h.e h.h inc ltd co corp".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9]|[“‘][A-Z])|\n\s*\n|\n")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    key: str = ""   # the form used for dictionary look-up (see `token_key`), computed once


def token_key(text: str) -> str:
    """Curly quotes straightened, a final full stop dropped: "Qatar’s" and "Iran." look up as names."""
    text = text.replace("’", "'")
    return text[:-1] if len(text) > 1 and text.endswith(".") else text


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of `text`; offsets are shifted by `offset` so they point into the article."""
    return [Token(m.group(), m.start() + offset, m.end() + offset, token_key(m.group())) for m in _TOKEN.finditer(text)]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into `text`; a line break always ends a sentence."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith((".",)) and "\n" not in match.group():
            # the last word only: splitting all the text since the sentence start made a run of
            # "Mr. Mr. Mr. …" quadratic; no abbreviation is near 64 characters long
            words = text[max(start, match.start() - 64):match.start()].split()
            last = words[-1].lower().rstrip(".") if words else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    sentences.append(Sentence(stripped, begin, begin + len(stripped)))
