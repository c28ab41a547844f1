"""The matcher: what it finds, how it scores, and that pruning changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import Matcher, parse_faq
from assistant.evaluate import read_cases

QUERIES = [
    pytest.param("how long does a session take", "session-length", id="exact"),
    pytest.param("HOW LONG DOES A SESSION TAKE???", "session-length", id="case-punctuation"),
    pytest.param("   how   long does a   session take ", "session-length", id="spacing"),
    pytest.param("how long does a sesion take", "session-length", id="misspelt"),
    pytest.param("does microneedling hurt", "pain-and-numbing", id="synonym-one-word"),
    pytest.param("does micro-needling hurt", "pain-and-numbing", id="synonym-hyphen"),
    pytest.param("does a dermaroller hurt", "pain-and-numbing", id="synonym-device"),
    pytest.param("does it help stretchmarks", "stretch-marks", id="run-together"),
    pytest.param("what is collagen induction therapy", "what-is-microneedling", id="other-name"),
    pytest.param("spf after microneedling?", "sun-protection", id="abbreviation"),
    pytest.param("acne scars", "acne-scars", id="two-words"),
]


@pytest.mark.parametrize("query, expected", QUERIES)
def test_best_finds_the_entry(shipped_matcher: Matcher, query: str, expected: str) -> None:
    """Case, punctuation, spacing, misspellings and synonym variants do not change the result."""
    best = shipped_matcher.best(query)
    assert best is not None and best.entry.id == expected


@pytest.mark.parametrize("query", [
    pytest.param("what's the weather in Paris", id="off-topic"),
    pytest.param("", id="empty"),
    pytest.param("?!?", id="punctuation"),
    pytest.param("the and of", id="stopwords"),
])
def test_nothing_shared_is_no_match(shipped_matcher: Matcher, query: str) -> None:
    """No match is a value (None or []), never an exception."""
    assert shipped_matcher.best(query) is None
    assert shipped_matcher.match(query) == []


def test_match_is_ranked_one_per_entry(shipped_matcher: Matcher) -> None:
    """match() returns at most `limit` matches, best first, never two for one entry."""
    found = shipped_matcher.match("stretch marks cream", limit=3)
    assert 1 <= len(found) <= 3
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert len({m.entry.id for m in found}) == len(found)
    assert all(0 <= m.score <= 100 for m in found)


def test_match_reports_the_phrasing(shipped_matcher: Matcher, shipped_faq) -> None:
    """The match names the phrasing that matched, which belongs to the entry."""
    best = shipped_matcher.best("how long does a session take")
    assert best.phrasing in best.entry.phrasings


def test_within_keeps_only_matches_near_the_best(shipped_matcher: Matcher) -> None:
    """rank(within=N) drops matches more than N points below the best one."""
    ranked = shipped_matcher.rank("stretch marks", limit=3, within=5)
    assert ranked and all(ranked[0].score - m.score <= 5 for m in ranked)


def test_score_cutoff_and_limit(shipped_matcher: Matcher) -> None:
    """score_cutoff drops weak matches; limit < 1 gives nothing."""
    assert shipped_matcher.match("does it hurt", limit=0) == []
    assert shipped_matcher.match("does it hurt", score_cutoff=100.1) == []


def test_a_declined_topic_hides_weaker_entries(shipped_matcher: Matcher) -> None:
    """A not-covered topic that fits best means no entry is returned."""
    assert shipped_matcher.best("how much does micro needling cost") is None
    ranked = shipped_matcher.rank("how much does micro needling cost")
    assert ranked and ranked[0].entry is None and ranked[0].gap is not None


@pytest.mark.slow
def test_pruned_and_exhaustive_agree_on_labelled_questions(shipped_faq, shipped_matcher, repo_root) -> None:
    """The index never changes an answer: same ranking as scoring every phrasing."""
    exhaustive = Matcher(shipped_faq, exhaustive=True)
    ids = {e.id for e in shipped_faq.entries}
    questions = [c.question for name in ("questions.tsv", "heldout.tsv")
                 for c in read_cases(repo_root / "tests" / "data" / name, ids)]
    questions += [p for e in shipped_faq.entries for p in e.phrasings]
    for question in questions:
        pruned = [(m.id, m.score) for m in shipped_matcher.rank(question, limit=3)]
        full = [(m.id, m.score) for m in exhaustive.rank(question, limit=3)]
        assert pruned == full, question
        # ... and with the early cut-offs the reply composer uses.
        pruned = [(m.id, m.score) for m in shipped_matcher.rank(question, limit=3, score_cutoff=35.9, within=20)]
        full = [(m.id, m.score) for m in exhaustive.rank(question, limit=3, score_cutoff=35.9, within=20)]
        assert pruned == full, question


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_matched_without_error(shipped_matcher: Matcher, text: str) -> None:
    """For every input, match() returns a list of valid matches."""
    for m in shipped_matcher.match(text):
        assert 0 <= m.score <= 100


def test_a_tiny_faq_works() -> None:
    """A one-entry FAQ still matches (rarity weights do not divide by zero)."""
    faq = parse_faq("""
version: 1
entries:
  - id: only
    question: Does it hurt?
    alternates: [is it painful]
    answer: A little.
    source: Intro
""")
    matcher = Matcher(faq)
    assert matcher.best("is it painful?").entry.id == "only"


TWO_CREAMS = """
version: 1
entries:
  - id: cream-before
    question: Which cream do I use before the session?
    alternates: [cream before the session, what goes on before, prep cream before]
    answer: A.
    source: S
  - id: cream-after
    question: Which cream do I use after the session?
    alternates: [cream after the session, what goes on after, soothing cream after]
    answer: B.
    source: S
  - id: length
    question: How long is a session?
    alternates: [session length]
    answer: C.
    source: S
"""


def test_second_opinion_prefers_the_entry_whose_phrasings_fit() -> None:
    """Among close candidates, the entry whose phrasings use the question's words and word pairs is preferred."""
    matcher = Matcher(parse_faq(TWO_CREAMS))
    assert matcher.second_opinion("which cream goes on after").entry.id == "cream-after"
    assert matcher.second_opinion("which cream goes on before").entry.id == "cream-before"


def test_second_opinion_has_none_without_a_choice() -> None:
    """No preference with a single candidate or with a tie."""
    matcher = Matcher(parse_faq(TWO_CREAMS))
    assert len(matcher.match("how long", limit=5)) == 1
    assert matcher.second_opinion("how long") is None
    assert matcher.second_opinion("which cream") is None
    assert matcher.second_opinion("the weather in paris") is None


def test_second_opinion_models_are_not_pickled(shipped_matcher: Matcher) -> None:
    """The phrasing models built on demand are a memo, not part of the saved index."""
    import pickle

    shipped_matcher.second_opinion("does microneedling help dark spots")
    assert shipped_matcher._models
    assert pickle.loads(pickle.dumps(shipped_matcher))._models == {}
