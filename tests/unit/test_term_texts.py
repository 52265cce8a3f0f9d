"""Terms explained (EE-2): every term has a name and an explanation in Dutch and English, every scheme kind points
to a known term, and the FAQ texts exist in both languages for both audiences."""

from __future__ import annotations

import pytest

from portal.i18n import LANGUAGES, all_messages, t
from portal.i18n.faq_content import AUDIENCES, questions
from portal.i18n.term_messages import TERM_OF_SCHEME_KIND, TERMS

BRIEF = (  # the terms issue 13 names (EE-2), by key
    "pensionable_salary", "franchise", "partner_pension", "orphan_pension", "premium_waiver", "disability_pension",
    "anw_gap", "death_cover", "dormant_rights", "value_transfer", "available_premium", "retirement_age",
    "parttime_factor", "yearly_premium", "contract_number", "scheme_number", "status_active", "status_passive",
    "status_ended",
)  # fmt: skip


@pytest.mark.parametrize("term", TERMS)
def test_every_term_has_a_name_and_an_explanation_in_each_language(term: str) -> None:
    messages = all_messages()
    for part in ("name", "text"):
        texts = messages[f"term.{term}.{part}"]
        assert set(texts) == set(LANGUAGES)
        assert all(texts[lang].strip() for lang in LANGUAGES)
    assert messages[f"term.{term}.text"]["nl"] != messages[f"term.{term}.text"]["en"]


def test_the_terms_of_the_brief_are_all_there_once() -> None:
    assert set(BRIEF) <= set(TERMS)
    assert len(TERMS) == len(set(TERMS)) >= 20


def test_every_scheme_kind_explains_with_a_known_term() -> None:
    assert set(TERM_OF_SCHEME_KIND.values()) <= set(TERMS)
    assert {"OP", "NP"} <= set(TERM_OF_SCHEME_KIND)  # the kinds of the demo schemes


def test_the_button_name_says_which_term_it_explains() -> None:
    assert t("term.explain", "nl", term=t("term.franchise.name", "nl")) == "Uitleg: franchise"
    assert t("term.explain", "en", term=t("term.franchise.name", "en")) == "Explanation: franchise"


@pytest.mark.parametrize("audience", sorted(AUDIENCES))
def test_every_question_and_answer_exists_in_each_language(audience: str) -> None:
    for qa in AUDIENCES[audience].values():
        for part in ("q", "a"):
            assert set(qa[part]) == set(LANGUAGES)
            assert all(qa[part][lang].strip() for lang in LANGUAGES)
    nl, en = questions(audience, "nl"), questions(audience, "en")
    assert [k for k, _, _ in nl] == [k for k, _, _ in en] and len(nl) >= 8
    assert questions(audience, "xx") == nl  # an unknown language falls back to Dutch
