"""The FAQ search rule (EE-2, EMP-1): accents and case do not count, every word must occur (also inside a longer
word), questions holding every word come first, and odd input is no query."""

from __future__ import annotations

import pytest

from portal.domain.faq import QUERY_LIMIT, WORD_LIMIT, Entry, fold, query_words, search

ENTRIES = [
    Entry("statuses", "Wat betekenen actief, passief en beëindigd?", "Actief: er wordt nog premie betaald."),
    Entry("waiver", "Wat is premievrijstelling?", "De verzekeraar neemt de premie over bij arbeidsongeschiktheid."),
    Entry("base", "Hoe wordt de premie berekend?", "Over de pensioengrondslag: salaris min de Franchise."),
    Entry("contact", "Wie kan ik bellen?", "De personeelsafdeling (HR) van uw werkgever."),
]


def keys(query: object) -> list[str]:
    return [e.key for e in search(ENTRIES, query)]


def test_an_empty_query_shows_everything_in_order() -> None:
    assert keys("") == ["statuses", "waiver", "base", "contact"]
    assert keys("   ?! ") == ["statuses", "waiver", "base", "contact"]


def test_accents_and_case_do_not_count() -> None:
    assert keys("BEEINDIGD") == ["statuses"]
    assert keys("beëindigd") == ["statuses"]
    assert keys("franchise") == ["base"]  # "Franchise" in the answer
    assert fold("Beëindigd Ç") == "beeindigd c"


def test_a_word_matches_inside_a_longer_word() -> None:
    assert keys("grondslag") == ["base"]
    assert keys("vrijstelling") == ["waiver"]


def test_every_word_must_occur_in_question_or_answer() -> None:
    assert keys("premie werkgever") == []
    assert keys("premie verzekeraar") == ["waiver"]  # one word in the question, one in the answer
    assert keys("hr bellen") == ["contact"]


def test_questions_holding_every_word_come_first() -> None:
    # "premie" is in the questions of waiver (as part of a word) and base, and only in the answer of statuses
    assert keys("premie") == ["waiver", "base", "statuses"]


def test_no_match_is_an_empty_list() -> None:
    assert keys("hypotheek") == []


@pytest.mark.parametrize("odd", [None, 12, ["premie"], {"q": "premie"}, b"premie"])
def test_anything_but_text_is_no_query(odd: object) -> None:
    assert query_words(odd) == ()
    assert keys(odd) == ["statuses", "waiver", "base", "contact"]


def test_a_query_counts_up_to_its_limits_and_each_word_once() -> None:
    assert query_words("Premie premie PREMIE salaris") == ("premie", "salaris")
    many = " ".join(f"w{i}" for i in range(WORD_LIMIT + 5))
    assert len(query_words(many)) == WORD_LIMIT
    assert query_words("a" * QUERY_LIMIT + " premie") == ("a" * QUERY_LIMIT,)
    assert query_words("premie_franchise") == ("premie", "franchise")
