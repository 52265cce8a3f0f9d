"""The FAQ search rule (EE-2, EMP-1): which questions match what a person typed. Accents and case do not count
("premievrijstelling" finds "Premievrijstelling", "beeindigd" finds "beëindigd"); every word typed must occur in the
question or its answer, also inside a longer word (Dutch compounds: "franchise" finds "pensioenfranchise").
Questions whose own text holds every word come first; otherwise the order of the list is kept."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

QUERY_LIMIT = 100  # characters of a query that count (the rest is ignored)
WORD_LIMIT = 8  # words of a query that count
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    """One question and its answer (or one term and its explanation), in one language."""

    key: str
    question: str
    answer: str


def fold(text: str) -> str:
    """``text`` without accents and case: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def query_words(query: object) -> tuple[str, ...]:
    """The words of an untrusted query, folded, without repeats: letters and digits only, at most ``WORD_LIMIT``
    words from the first ``QUERY_LIMIT`` characters; anything but a string is no words."""
    if not isinstance(query, str):
        return ()
    words: list[str] = []
    for word in _WORD.findall(fold(query[:QUERY_LIMIT]).replace("_", " ")):
        if word not in words:
            words.append(word)
    return tuple(words[:WORD_LIMIT])


def _holds_all(text: str, words: Sequence[str]) -> bool:
    folded = fold(text)
    return all(w in folded for w in words)


def search(entries: Sequence[Entry], query: object) -> list[Entry]:
    """The entries matching ``query`` (all of them for an empty query): each word in the question or the answer;
    those with every word in the question first, each group in the list's order."""
    words = query_words(query)
    if not words:
        return list(entries)
    in_question = [e for e in entries if _holds_all(e.question, words)]
    first = {e.key for e in in_question}
    rest = [e for e in entries if e.key not in first and _holds_all(f"{e.question}\n{e.answer}", words)]
    return in_question + rest
