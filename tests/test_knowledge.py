"""The shipped knowledge/faq.yaml keeps its promises.

It loads, covers the topics the article covers, cites only the article (its
headings, its figures, attributed), rests every answer on quoted sentences of
it, leaves the dermatologist advice to the program, and, most importantly,
every way of asking it lists finds its own entry.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from assistant import Entry, Faq, Matcher, Responder, load_faq
from assistant.compose import DERMATOLOGIST_ADVICE
from assistant.matcher import LEADING_ALTERNATES

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
def test_entry_lists_first_the_alternates_that_stand_for_the_others(shipped_matcher, entry_id):
    """Each entry's first ten alternates are those that best stand for all of them (what --check
    advises), so that the FAQ cut to ten alternates (the real-questions figures) still finds it."""
    entry = shipped_matcher.faq.get(entry_id)
    assert shipped_matcher.representative(entry) == entry.alternates[:LEADING_ALTERNATES]


@pytest.mark.parametrize("entry_id", [pytest.param(e.id, id=e.id) for e in _ENTRIES])
def test_entry_follows_the_header_schema(shipped_faq, entry_id):
    """What the header comment asks of each entry: lower-case alternates and tags, 2-3 related ids."""
    entry = shipped_faq.get(entry_id)

    assert [a for a in entry.alternates if a != a.lower()] == []
    assert [t for t in entry.tags if t != t.lower()] == []
    assert 2 <= len(entry.related) <= 3, entry.id


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


# -- traceable to the article: every answer rests on quoted sentences ------------------

#: Where a sentence of the article ends: after a letter, ")" or "%", so that a
#: step number ("1. Prep Your Skin: ...") stays inside its sentence.
SENTENCE_END = re.compile(r"(?<=[A-Za-z)%][.!?])\s+")

#: Sentences of the article that carry no fact of their own, so no answer needs them.
NOT_FACTS = {
    "Let’s explore how micro needling works and how it can be incorporated into your skincare routine.":
        "a transition announcing the sections below",
    "What is Micro needling?": "a heading",
    "Micro Needling for Stretch Marks": "a heading",
    "Micro Needling for Pigmentation Issues": "a heading",
    "How to Add Micro Needling to Your Skin Care Routine": "a heading",
    "Here’s a simple guide on how to integrate micro needling into your routine:":
        "a transition introducing the numbered steps",
    "Conclusion": "a heading",
}

#: Products and ingredients an answer might name: the article's own, and ones it
#: never mentions (so naming one of those in an answer can only fail).
PRODUCTS = {
    "numbing cream": r"\bnumbing creams?\b",
    "sunscreen": r"\bsun ?screens?\b",
    "SPF": r"\bspf\b",
    "stretch mark removal cream": r"\bstretch marks? (?:removal )?creams?\b",
    "cream for pigmentation": r"\bcreams? for pigmentation\b",
    "soothing cream": r"\bsoothing creams?\b",
    "serum": r"\bserums?\b",
    "hyaluronic acid": r"\bhyaluronic\b",
    "vitamin C": r"\bvitamin c\b",
    "retinol": r"\bretinol\b",
    "makeup": r"\bmake-?up\b",
    # Never in the article:
    "a retinoid": r"\b(?:retinoids?|tretinoin|adapalene)\b",
    "another vitamin": r"\bvitamin [abdek]\b",
    "an acid": r"\b(?:salicylic|glycolic|lactic|azelaic|kojic|tranexamic|mandelic)\b|\b[ab]ha\b",
    "a brightener": r"\b(?:niacinamide|hydroquinone|arbutin|licorice)\b",
    "an anaesthetic": r"\b(?:lidocaine|lignocaine|prilocaine|benzocaine|emla)\b",
    "a repair ingredient": r"\b(?:peptides?|ceramides?|growth factors?|exosomes?|snail|centella|cica|aloe|panthenol)\b",
    "an ointment": r"\b(?:petroleum jelly|vaseline|aquaphor|ointments?|balms?)\b",
    "a mineral filter": r"\b(?:zinc oxide|titanium dioxide)\b",
    "PRP": r"\b(?:prp|platelet)\b",
    "another product": r"\b(?:moisturi[sz]ers?|cleansers?|toners?|exfoliants?|masks?|supplements?)\b",
    "a brand": r"\b(?:cerave|cetaphil|neutrogena|la roche|the ordinary|dermapen|skinpen)\b",
}

#: A number as a word; "one" (a pronoun too), "once" and ordinals ("first",
#: naming the article's steps 1-4) are left out.
NUMBER_WORDS = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
                          r"|forty|fifty|hundred|thousand|half|twice|double|triple|dozen|percent)\b", re.IGNORECASE)

#: Claims the article hedges, and the hedge each answer sentence stating one keeps.
HEDGED_CLAIMS = [
    pytest.param(r"\b50%", r"\bup to 50%", id="up-to-50-percent"),
    pytest.param(r"\b50%", r"\bstudies have shown\b", id="50-percent-is-what-studies-have-shown"),
    pytest.param(r"\bnew collagen\b", r"\bhelps stimulate\b", id="helps-stimulate-new-collagen"),
    pytest.param(r"\bstretch marks (?:to )?fade\b", r"\bhelps stretch marks fade\b", id="helps-stretch-marks-fade"),
    pytest.param(r"\breduc\w* the appearance\b", r"\bhelp reduce the appearance\b", id="help-reduce-the-appearance"),
    pytest.param(r"\bbreak\w* up\b", r"\bcan break up\b", id="can-break-up-melanin"),
    pytest.param(r"\benhanc\w* (?:the )?results\b", r"\bcan enhance results\b", id="can-enhance-results"),
    pytest.param(r"\bboost\w* (?:your |the )?results\b", r"\bcan boost\b", id="can-boost-results"),
    pytest.param(r"\bnumbing cream\b", r"\bmay\b.*\bclinic\b|\bclinic\b.*\bmay\b", id="numbing-cream-may-in-a-clinic"),
    pytest.param(r"\bslightly red\b", r"\bmay\b", id="may-appear-slightly-red"),
    pytest.param(r"\b20-30 minutes\b", r"\busually\b", id="usually-20-30-minutes"),
]


def squeeze(text: str) -> str:
    """White space made single spaces: the only way a quote may differ from the article."""
    return " ".join(text.split())


def sentences_of(text: str) -> list[str]:
    """The article's sentences, headings included (each heading is a line of its own)."""
    return [squeeze(part) for line in text.splitlines() if line.strip() for part in SENTENCE_END.split(line.strip())]


@pytest.fixture(scope="module")
def faq_document(shipped_faq_path: Path) -> dict:
    """The shipped FAQ as plain YAML data: the records do not keep 'evidence', the file does."""
    return yaml.safe_load(shipped_faq_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evidence(faq_document: dict) -> dict[str, list[str]]:
    """Entry id -> its evidence quotes, white space squeezed."""
    return {item["id"]: [squeeze(quote) for quote in item.get("evidence") or []] for item in faq_document["entries"]}


@pytest.fixture(scope="module")
def source_copy(faq_document: dict, shipped_faq_path: Path) -> Path:
    """The copy of the article the FAQ names as its source text."""
    return shipped_faq_path.parent / faq_document["source_text"]


def test_the_faq_names_its_source_text_and_the_package_ships_it(source_copy: Path, repo_root: Path):
    """The FAQ names a copy of the article kept beside it, and the package data lists that copy."""
    package_data = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = package_data["tool"]["setuptools"]["package-data"]["assistant.knowledge"]

    assert source_copy.parent == repo_root / "knowledge" and source_copy.is_file()
    assert source_copy.name in shipped and "faq.yaml" in shipped


def test_the_copy_is_the_shared_article(source_copy: Path, article: str):
    """The shipped copy is byte for byte the article in ../shared/source (when that is there)."""
    assert source_copy.read_bytes() == ARTICLE.read_bytes(), \
        f"{source_copy} differs from {ARTICLE}: copy the article again"


@pytest.mark.parametrize("entry_id", PER_ENTRY)
def test_evidence_quotes_whole_sentences_of_the_article(evidence, source_copy: Path, entry_id):
    """Each entry's evidence is one or more sentences of the article, each copied whole."""
    sentences = set(sentences_of(source_copy.read_text(encoding="utf-8")))
    quotes = evidence[entry_id]

    assert quotes, "no evidence"
    assert [q for q in quotes if q not in sentences] == []
    assert [q for q in quotes if q in NOT_FACTS] == [], "a heading or a transition is no evidence"
    assert len(set(quotes)) == len(quotes), "a sentence quoted twice"


@pytest.mark.parametrize("entry_id", PER_ENTRY)
def test_numbers_in_an_answer_are_in_its_evidence(shipped_faq: Faq, evidence, entry_id):
    """Every number in an answer, in digits or in words, is in the sentences the entry quotes."""
    answer, quoted = shipped_faq.get(entry_id).answer, " ".join(evidence[entry_id])
    numbers = NUMBER.findall(answer) + NUMBER_WORDS.findall(answer)

    assert [n for n in numbers if n.lower() not in quoted.lower()] == []


@pytest.mark.parametrize("entry_id", PER_ENTRY)
def test_products_and_ingredients_in_an_answer_are_in_its_evidence(shipped_faq: Faq, evidence, entry_id):
    """Every product or ingredient an answer names is named in the sentences the entry quotes."""
    answer, quoted = shipped_faq.get(entry_id).answer, " ".join(evidence[entry_id])
    named = [name for name, pattern in PRODUCTS.items() if re.search(pattern, answer, re.IGNORECASE)]

    assert [name for name in named if not re.search(PRODUCTS[name], quoted, re.IGNORECASE)] == []


def test_the_product_table_catches_an_invented_ingredient():
    """The product table knows ingredients the article never names, so naming one fails."""
    invented = "Apply a serum with niacinamide or lidocaine cream."
    named = {name for name, pattern in PRODUCTS.items() if re.search(pattern, invented, re.IGNORECASE)}

    assert named == {"serum", "a brightener", "an anaesthetic"}


def test_every_fact_of_the_article_is_the_evidence_of_an_entry(evidence, source_copy: Path):
    """Each sentence of the article that carries a fact is quoted by at least one entry; only the
    headings and transitions of NOT_FACTS are left out, and each of those is in the article."""
    sentences = sentences_of(source_copy.read_text(encoding="utf-8"))
    quoted = {quote for quotes in evidence.values() for quote in quotes}

    assert [s for s in NOT_FACTS if s not in sentences] == [], "NOT_FACTS lists a sentence the article lacks"
    assert [s for s in sentences if s not in NOT_FACTS and s not in quoted] == []


@pytest.mark.parametrize("entry_id", PER_ENTRY)
def test_an_answer_stands_alone(shipped_faq: Faq, entry_id):
    """No answer opens with "Yes" or "No": the same answer serves "spf?" and "do I need sunscreen?"."""
    answer = shipped_faq.get(entry_id).answer

    assert not re.match(r"(?:yes|no|yeah|yep|nope|sure|absolutely|definitely)\b", answer, re.IGNORECASE), answer


@pytest.mark.parametrize(("claim", "hedge"), HEDGED_CLAIMS)
def test_hedged_claims_keep_the_articles_hedge(shipped_faq: Faq, claim: str, hedge: str):
    """A claim the article hedges ("can", "helps", "up to", "studies have shown", "may", "usually")
    keeps that hedge in every answer sentence that states it, and some answer states it."""
    stating = [(e.id, sentence) for e in shipped_faq.entries
               for sentence in re.split(r"(?<=[.!?])\s+", e.answer) if re.search(claim, sentence, re.IGNORECASE)]

    assert stating, f"no answer states {claim!r} any more: update the table"
    assert [(i, s) for i, s in stating if not re.search(hedge, s, re.IGNORECASE)] == []


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
        if best is None or best.id != entry.id:
            failures[phrasing] = "no match" if best is None else \
                f"{best.id} ({best.score}, via {best.phrasing!r})"

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
    figures, misses = outcome.summary(), "\n".join(outcome.misses)
    assert figures["answered_right"] >= 0.90, misses
    assert figures["wrong_overall"] <= 0.02, misses
    assert outcome.urgent["missed"] == 0 and outcome.urgent["false alarm"] == 0, misses


def test_labelled_sets_together_are_clarified_or_declined(shipped_responder: Responder) -> None:
    """Over all labelled sets, at least 97% of in-scope questions are answered right or have the
    right entry among the suggestions, and at least 95% of out-of-scope questions are declined."""
    outcome = _outcome(shipped_responder, LABELLED)
    figures, misses = outcome.summary(), "\n".join(outcome.misses)
    assert figures["right_or_clarified"] >= 0.97, misses
    assert figures["declined"] >= 0.95, misses


# -- real questions (shared/eval/real-dev.tsv) ----------------------------------------------------

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "real-dev.tsv"

#: What the shipped FAQ reaches on the real questions today, kept as floors so that a change that
#: makes it worse fails here: (answered right, answered or clarified right, declined, most wrong).
REAL_FLOORS = {"shipped": (0.85, 0.96, 0.96, 0.02), "cut to 10 alternates": (0.78, 0.93, 0.95, 0.03)}
#: What the real-questions issue asks of both (the same sets judge the held-back questions).
REAL_TARGETS = {"shipped": (0.90, 0.97, 0.95, 0.02), "cut to 10 alternates": (0.85, 0.93, 0.0, 0.03)}


@pytest.fixture(scope="module")
def real_cases(shipped_faq):
    """The real questions of shared/eval/real-dev.tsv (skipped when the shared folder is not beside the repo)."""
    from assistant.evaluate import read_cases

    if not REAL_DEV.is_file():
        pytest.skip(f"the real questions are not at {REAL_DEV} (shared/eval is beside the repository in CI)")
    return read_cases(REAL_DEV, {e.id for e in shipped_faq.entries})


def _real_figures(shipped_faq, variant: str, cases) -> tuple[dict, str]:
    from assistant.evaluate import assess, cut_faq

    faq = shipped_faq if variant == "shipped" else cut_faq(shipped_faq, 10)
    outcome = assess(Responder(faq), cases)
    return outcome.summary(), "\n".join(outcome.misses)


def _assert_meets(figures: dict, misses: str, limits: tuple[float, float, float, float]) -> None:
    """At least *limits*' answered right, answered or clarified right and declined; at most its wrong overall."""
    right, clarified, declined, wrong = limits
    assert figures["answered_right"] >= right, misses
    assert figures["right_or_clarified"] >= clarified, misses
    assert figures["declined"] >= declined, misses
    assert figures["wrong_overall"] <= wrong, misses


@pytest.mark.parametrize("variant", list(REAL_FLOORS))
def test_real_questions_keep_their_figures(shipped_faq, real_cases, variant: str) -> None:
    """On real questions, the shipped FAQ and the FAQ cut to 10 alternates per entry keep at least
    today's figures: answered right, answered or clarified right, out of scope declined, and no
    more wrong answers overall than the floor."""
    figures, misses = _real_figures(shipped_faq, variant, real_cases)
    _assert_meets(figures, misses, REAL_FLOORS[variant])
    if variant == "shipped":  # an entry answers part of an "either" question: declining is right too
        assert (figures["either_wrong"] or 0.0) <= 0.02, misses


# -- a held-out set in the style of the real questions (tests/data/unseen/) -----------------------

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"
#: Each held-out set, its size, and its first-run figures (see tests/data/unseen/README.md), a little
#: below, as floors: answered right, answered or clarified right, declined, wrong overall.
UNSEEN_FLOORS = {
    ("real-heldout.tsv", 260, "shipped"): (0.82, 0.89, 0.93, 0.025),
    ("real-heldout.tsv", 260, "cut to 10 alternates"): (0.65, 0.73, 0.93, 0.045),
    ("real-heldout2.tsv", 240, "shipped"): (0.78, 0.85, 0.87, 0.07),
    ("real-heldout2.tsv", 240, "cut to 10 alternates"): (0.62, 0.67, 0.87, 0.06),
    ("real-heldout3.tsv", 240, "shipped"): (0.82, 0.90, 0.88, 0.05),
    ("real-heldout3.tsv", 240, "cut to 10 alternates"): (0.72, 0.80, 0.92, 0.05),
    ("real-heldout4.tsv", 240, "shipped"): (0.78, 0.86, 0.90, 0.04),
    ("real-heldout4.tsv", 240, "cut to 10 alternates"): (0.65, 0.75, 0.92, 0.045),
    ("real-heldout5.tsv", 240, "shipped"): (0.78, 0.84, 0.92, 0.05),
    ("real-heldout5.tsv", 240, "cut to 10 alternates"): (0.64, 0.69, 0.90, 0.065),
    ("real-heldout6.tsv", 240, "shipped"): (0.81, 0.88, 0.87, 0.06),
    ("real-heldout6.tsv", 240, "cut to 10 alternates"): (0.57, 0.81, 0.87, 0.08),
    ("real-heldout7.tsv", 250, "shipped"): (0.82, 0.89, 0.96, 0.03),
    ("real-heldout7.tsv", 250, "cut to 10 alternates"): (0.76, 0.90, 0.95, 0.045),
    ("real-heldout8.tsv", 250, "shipped"): (0.78, 0.89, 0.95, 0.045),
    ("real-heldout8.tsv", 250, "cut to 10 alternates"): (0.71, 0.88, 0.95, 0.05),
    ("real-heldout9.tsv", 250, "shipped"): (0.85, 0.93, 0.93, 0.035),
    ("real-heldout9.tsv", 250, "cut to 10 alternates"): (0.78, 0.94, 0.95, 0.04),
    ("real-heldout10.tsv", 250, "shipped"): (0.82, 0.93, 0.92, 0.035),
    ("real-heldout10.tsv", 250, "cut to 10 alternates"): (0.71, 0.92, 0.88, 0.06),
    ("real-heldout11.tsv", 250, "shipped"): (0.89, 0.91, 0.94, 0.03),
    ("real-heldout11.tsv", 250, "cut to 10 alternates"): (0.80, 0.92, 0.90, 0.045),
    ("real-heldout12.tsv", 250, "shipped"): (0.81, 0.93, 0.91, 0.035),
    ("real-heldout12.tsv", 250, "cut to 10 alternates"): (0.79, 0.91, 0.92, 0.04),
    ("real-heldout13.tsv", 250, "shipped"): (0.73, 0.89, 0.92, 0.055),
    ("real-heldout13.tsv", 250, "cut to 10 alternates"): (0.65, 0.89, 0.93, 0.07),
    ("real-heldout14.tsv", 240, "shipped"): (0.79, 0.93, 0.95, 0.03),
    ("real-heldout14.tsv", 240, "cut to 10 alternates"): (0.76, 0.94, 0.93, 0.05),
    ("real-heldout15.tsv", 240, "shipped"): (0.80, 0.91, 0.93, 0.035),
    ("real-heldout15.tsv", 240, "cut to 10 alternates"): (0.72, 0.87, 0.93, 0.04),
    ("real-heldout16.tsv", 240, "shipped"): (0.78, 0.91, 0.95, 0.025),
    ("real-heldout16.tsv", 240, "cut to 10 alternates"): (0.78, 0.95, 0.95, 0.03),
    ("real-heldout17.tsv", 240, "shipped"): (0.87, 0.94, 0.95, 0.045),
    ("real-heldout17.tsv", 240, "cut to 10 alternates"): (0.82, 0.95, 0.95, 0.045),
}


@pytest.mark.parametrize(("name", "size", "variant"), list(UNSEEN_FLOORS))
def test_the_unseen_sets_keep_their_first_run_figures(shipped_faq, name: str, size: int, variant: str) -> None:
    """The held-out sets nothing is fitted on keep (about) the figures of the one run made before any fix."""
    from assistant.evaluate import read_cases

    cases = read_cases(UNSEEN / name, {e.id for e in shipped_faq.entries})
    assert len(cases) == size
    figures, misses = _real_figures(shipped_faq, variant, cases)
    _assert_meets(figures, misses, UNSEEN_FLOORS[name, size, variant])


@pytest.mark.parametrize("variant", list(REAL_TARGETS))
@pytest.mark.xfail(strict=True, reason="the real-questions issue's targets are not met yet: see the README's "
                                       "accuracy section; when they are, this passes and must lose its xfail")
def test_real_questions_meet_the_issue_targets(shipped_faq, real_cases, variant: str) -> None:
    """The real-questions issue's targets: 90% of in-scope real questions answered right (85% cut),
    97% answered or clarified (93% cut), 95% of out-of-scope declined, at most 2% wrong (3% cut)."""
    figures, misses = _real_figures(shipped_faq, variant, real_cases)
    _assert_meets(figures, misses, REAL_TARGETS[variant])
