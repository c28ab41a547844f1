"""The shipped knowledge/faq.yaml keeps its promises.

It loads, covers the topics the article covers, cites only the article (its
headings, its figures, attributed), leaves the dermatologist advice to the
program, and, most importantly, every way of asking it lists finds its own
entry.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant import Entry, Faq, Matcher, Responder, load_faq
from assistant.compose import DERMATOLOGIST_ADVICE

SHIPPED_FAQ = Path(__file__).resolve().parents[1] / "knowledge" / "faq.yaml"
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "source" / "microneedling-article.txt"

REQUIRED_IDS = """
what-is-microneedling how-it-works collagen-and-elastin benefits acne-scars non-invasive stretch-marks
stretch-mark-causes stretch-mark-results stretch-mark-cream pigmentation pigmentation-creams routine
skin-prep pain-and-numbing where-to-get-it session-length after-effects aftercare sun-protection
consult-dermatologist
""".split()

ARTICLE_HEADINGS = {
    "Introduction",
    "What is Micro needling?",
    "Micro Needling for Stretch Marks",
    "Micro Needling for Pigmentation Issues",
    "How to Add Micro Needling to Your Skin Care Routine",
    "Conclusion",
}

#: A number as it appears in prose: "50%", "20-30", "30", "1.5".
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s*-\s*\d+)?%?")


def _load_for_collection() -> tuple[list[Entry], Matcher | None]:
    """Entries to parametrize over; empty when the file is broken (test_the_file_loads then says why)."""
    try:
        faq = load_faq(SHIPPED_FAQ)
    except Exception:
        return [], None
    return list(faq.entries), Matcher(faq)


_ENTRIES, _MATCHER = _load_for_collection()


PER_ENTRY = [entry.id for entry in _ENTRIES]


@pytest.fixture(scope="module")
def article() -> str:
    """The source article's text (skipped when the shared folder is not beside the repo)."""
    if not ARTICLE.is_file():
        pytest.skip(f"the source article is not at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def _fail_listing(entry: Entry, failures: dict[str, str], what: str) -> None:
    """Fail, listing each failing phrasing and what it got instead."""
    if not failures:
        return
    message = f"{len(failures)} phrasing(s) of '{entry.id}' {what}:\n" + "\n".join(
        f"  {phrasing!r} -> {got}" for phrasing, got in failures.items())
    raise AssertionError(message)


# -- the file as a whole --------------------------------------------------------


def test_the_file_loads(shipped_faq_path):
    """The shipped FAQ passes the loader's validation."""
    faq = load_faq(shipped_faq_path)

    assert len(faq) >= len(REQUIRED_IDS)


def test_the_promised_topics_exist(shipped_faq: Faq):
    """Every topic the article covers has its entry, under a stable id."""
    missing = [entry_id for entry_id in REQUIRED_IDS if shipped_faq.get(entry_id) is None]

    assert not missing, f"missing entries: {missing}"


def test_the_header_comment_explains_how_to_check(shipped_faq_path):
    """The comment at the top of the file tells an editor to run --check."""
    lines = shipped_faq_path.read_text(encoding="utf-8").splitlines()
    header = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            break
        header.append(line)

    assert "--check" in "\n".join(header)


# -- every entry ----------------------------------------------------------------


@pytest.mark.parametrize("entry_id", [pytest.param(e.id, id=e.id) for e in _ENTRIES])
def test_entry_has_at_least_five_alternates(shipped_faq, entry_id):
    """Each entry lists at least five other ways people ask its question."""
    assert len(shipped_faq.get(entry_id).alternates) >= 5


@pytest.mark.parametrize("entry_id", [pytest.param(e.id, id=e.id) for e in _ENTRIES])
def test_entry_follows_the_header_schema(shipped_faq, entry_id):
    """What the header comment asks of each entry: lower-case alternates and tags, 2-3 related ids."""
    entry = shipped_faq.get(entry_id)

    assert [a for a in entry.alternates if a != a.lower()] == []
    assert [t for t in entry.tags if t != t.lower()] == []
    assert not entry.related or 2 <= len(entry.related) <= 3


@pytest.mark.parametrize("entry_id", [pytest.param(e.id, id=e.id) for e in _ENTRIES])
def test_source_is_an_article_heading(shipped_faq, entry_id):
    """Each answer cites one of the article's headings as its source."""
    assert shipped_faq.get(entry_id).source in ARTICLE_HEADINGS


@pytest.mark.parametrize("entry_id", [pytest.param(e.id, id=e.id) for e in _ENTRIES])
def test_answer_does_not_end_with_dermatologist_advice(shipped_faq, entry_id):
    """Answers leave the dermatologist advice to the program, which appends it to every reply."""
    answer = shipped_faq.get(entry_id).answer
    last_sentence = re.split(r"(?<=[.!?])\s+", answer.strip())[-1]

    assert not answer.endswith(DERMATOLOGIST_ADVICE)
    assert not re.search(r"\b(consult|see|ask|talk to|speak to|check with)\b.*\b(dermatologist|doctor)",
                         last_sentence, re.IGNORECASE), last_sentence


# -- faithful to the article ------------------------------------------------------


@pytest.mark.parametrize("figure", [
    pytest.param("50%", id="up-to-50-percent"),
    pytest.param("20-30 minutes", id="20-30-minutes"),
    pytest.param("SPF 30", id="spf-30"),
])
def test_figures_are_attributed(shipped_faq, figure):
    """A figure from the article only appears in an answer that says it comes from the article or studies."""
    citing = [e for e in shipped_faq.entries if figure in e.answer]
    unattributed = [e.id for e in citing if not re.search(r"\b(article|studies)\b", e.answer, re.IGNORECASE)]

    assert citing, f"no answer reports {figure!r} any more"
    assert not unattributed, f"{figure!r} without 'article' or 'studies' in: {unattributed}"


def test_answers_use_only_the_articles_numbers(shipped_faq, article):
    """Every number in an answer occurs in the article: the FAQ invents no figures."""
    invented = [(e.id, number) for e in shipped_faq.entries for number in NUMBER.findall(e.answer)
                if number not in article]

    assert not invented, f"numbers not in the article: {invented}"


# -- every phrasing finds its entry ------------------------------------------------


@pytest.mark.parametrize("entry_id", PER_ENTRY)
def test_every_phrasing_is_answered_with_its_entry(shipped_faq, shipped_responder: Responder, entry_id):
    """The question and each alternate, asked as they are written, get an answer from their own entry."""
    entry = shipped_faq.get(entry_id)
    failures = {}
    for phrasing in entry.phrasings:
        reply = shipped_responder.reply(phrasing)
        if reply.kind != "answer" or reply.entry_id != entry.id:
            failures[phrasing] = f"{reply.kind} {reply.entry_id or list(reply.suggestions)} (score {reply.score})"

    _fail_listing(entry, failures, "are not answered with their own entry")


@pytest.mark.parametrize("entry_id", PER_ENTRY)
def test_every_phrasing_is_its_entrys_best_match(shipped_faq, shipped_matcher: Matcher, entry_id):
    """Matcher.best of each phrasing is the entry that lists it."""
    entry = shipped_faq.get(entry_id)
    failures = {}
    for phrasing in entry.phrasings:
        best = shipped_matcher.best(phrasing)
        if best is None or best.entry.id != entry.id:
            failures[phrasing] = "no match" if best is None else \
                f"{best.entry.id} ({best.score}, via {best.phrasing!r})"

    _fail_listing(entry, failures, "do not match their own entry best")


# -- matching quality on the labelled sets -----------------------------------------

LABELLED = sorted((Path(__file__).resolve().parent / "data").glob("*.tsv"))


def _outcome(responder: Responder, paths: list[Path]):
    from assistant.evaluate import Outcome, assess, read_cases

    outcome = Outcome()
    for path in paths:
        assess(responder, read_cases(path, {e.id for e in responder.faq.entries}), outcome)
    return outcome


@pytest.mark.parametrize("path", LABELLED, ids=[p.stem for p in LABELLED])
def test_each_labelled_set_is_answered_right(shipped_responder: Responder, path: Path) -> None:
    """In each labelled set, at least 90% of in-scope questions are answered with an acceptable
    entry, at most 2% of all questions get a wrong answer, every urgent message is flagged and
    nothing else is. An FAQ edit or a code change that breaks one fails here, listing the misses."""
    outcome = _outcome(shipped_responder, [path])
    scope, out, misses = outcome.in_scope, outcome.out_scope, "\n".join(outcome.misses)
    assert scope["correct"] >= 0.90 * sum(scope.values()), misses
    assert scope["wrong"] + out["wrong"] <= 0.02 * (sum(scope.values()) + sum(out.values())), misses
    assert outcome.urgent["missed"] == 0 and outcome.urgent["false alarm"] == 0, misses


def test_labelled_sets_together_are_clarified_or_declined(shipped_responder: Responder) -> None:
    """Over all labelled sets, at least 97% of in-scope questions are answered right or have the
    right entry among the suggestions, and at least 95% of out-of-scope questions are declined."""
    outcome = _outcome(shipped_responder, LABELLED)
    scope, out, misses = outcome.in_scope, outcome.out_scope, "\n".join(outcome.misses)
    assert scope["correct"] + scope["clarified"] >= 0.97 * sum(scope.values()), misses
    assert out["declined"] >= 0.95 * sum(out.values()), misses
