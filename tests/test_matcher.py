"""The matcher: what it finds, how it weighs a question, and that pruning changes nothing."""

from __future__ import annotations

import importlib.util
import marshal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import Gap, Matcher, ReplyKind, Responder, parse_faq
from assistant.evaluate import read_cases
from assistant.matcher import CONTEXT_WEIGHT, DEFINING, EXACT_SCORE, OPENING_UNDER, TOPIC_WEIGHT

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
    pytest.param("How is micro needling performed?", "routine", id="concept-steps"),
    # "the procedure" is the treatment itself; asked how it is carried out, it is the steps.
    pytest.param("How does the microneedling procedure work?", "how-it-works", id="the-procedure-is-the-subject"),
    pytest.param("does the procedure hurt", "pain-and-numbing", id="the-procedure-hurts"),
    pytest.param("what happens during the procedure", "routine", id="during-the-procedure"),
    # "perform" with a doer asks who does it; "how is it performed" asks the steps.
    pytest.param("can a nurse perform microneedling", "where-to-get-it", id="who-performs"),
    pytest.param("any tips for prepping my skin", "skin-prep", id="concept-inflected"),
    pytest.param("While the benefits are clear, many people wonder: how painful is microneedling?",
                 "pain-and-numbing", id="the-question-after-a-lead-in"),
]


@pytest.mark.parametrize("query, expected", QUERIES)
def test_best_finds_the_entry(shipped_matcher: Matcher, query: str, expected: str) -> None:
    """Case, punctuation, spacing, misspellings, synonyms, concepts and lead-ins do not hide the entry."""
    best = shipped_matcher.best(query)
    assert best is not None and best.id == expected


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
    assert len({m.id for m in found}) == len(found)
    assert all(0 <= m.score <= 100 for m in found)


def test_a_question_that_equals_a_phrasing_only_by_an_unsure_guess_is_not_that_phrasing(
        shipped_matcher: Matcher) -> None:
    """"is microneedling peinlesz" reads, with a guess of two edits, as a phrasing of pain-and-numbing:
    that is a guess, not the phrasing itself, so it is scored as a near phrasing (no EXACT_SCORE floor);
    a sure typo of one letter ("painles") still is the phrasing."""
    guessed = shipped_matcher.analyse("is microneedling peinlesz")
    assert guessed is not None and not guessed.exact
    best = shipped_matcher.best(guessed)
    assert best.id == "pain-and-numbing" and best.evidence.chars == 1.0 and best.score < EXACT_SCORE
    sure = shipped_matcher.best("is microneedling painles")
    assert sure.id == "pain-and-numbing" and sure.score >= EXACT_SCORE
    # the pruned search agrees with judging every document
    plain = Matcher(shipped_matcher.faq, exhaustive=True)
    assert plain.best("is microneedling peinlesz").score == best.score


def test_match_reports_the_phrasing_and_its_evidence(shipped_matcher: Matcher, shipped_faq) -> None:
    """The match names the phrasing that matched (one of its entry's) and the evidence behind the score;
    a question that is one of the phrasings scores at least EXACT_SCORE."""
    asked = shipped_faq.get("session-length").alternates[0]
    best = shipped_matcher.best(asked.upper() + "?")
    assert best.id == "session-length" and best.phrasing == asked
    assert best.evidence.chars == 1.0 and best.score >= EXACT_SCORE
    near = shipped_matcher.best("how long does a session take")
    assert near.phrasing in near.doc.phrasings and near.evidence.chars < 1.0


def test_a_match_prints_short(shipped_matcher: Matcher) -> None:
    """repr(match) is one line (id, score, phrasing), not every alternate of the entry."""
    text = repr(shipped_matcher.best("does it hurt"))
    assert text.startswith("Match('pain-and-numbing'") and len(text) < 120


def test_within_keeps_only_matches_near_the_best(shipped_matcher: Matcher) -> None:
    """rank(within=N) drops matches more than N points below the best one."""
    ranked = shipped_matcher.rank("stretch marks", limit=3, within=5)
    assert ranked and all(ranked[0].score - m.score <= 5 for m in ranked)


def test_score_cutoff_is_inclusive_and_limit(shipped_matcher: Matcher) -> None:
    """score_cutoff keeps a match scoring exactly the cutoff, as rapidfuzz does; limit < 1 gives nothing."""
    best = shipped_matcher.best("does it hurt")
    assert shipped_matcher.best("does it hurt", score_cutoff=best.score) == best
    assert shipped_matcher.match("does it hurt", score_cutoff=best.score + 0.1) == []
    assert shipped_matcher.match("does it hurt", limit=0) == []


def test_a_declined_topic_hides_weaker_entries(shipped_matcher: Matcher) -> None:
    """A not-covered topic that fits best means no entry is returned by best(); rank() shows the topic."""
    assert shipped_matcher.best("how much does micro needling cost") is None
    ranked = shipped_matcher.rank("how much does micro needling cost")
    assert ranked and isinstance(ranked[0].doc, Gap) and not ranked[0].covered
    assert "cost" in ranked[0].doc.topic


def test_a_clause_that_asks_outweighs_the_story_before_it(shipped_matcher: Matcher) -> None:
    """Words of a lead-in count for CONTEXT_WEIGHT of a question's words; a heading a question points to counts fully."""
    lead = shipped_matcher.analyse("While the benefits are clear, many people wonder: how painful is it?")
    benefit = next(t for t in lead.weights if t.startswith("benefit"))
    plain = shipped_matcher.analyse("what are the benefits")
    assert lead.weights[benefit] == pytest.approx(CONTEXT_WEIGHT * plain.weights[benefit])
    heading = shipped_matcher.analyse("Microneedling for Acne Scars: Does It Really Work?")
    assert heading.weights["acne"] == pytest.approx(shipped_matcher.analyse("acne").weights["acne"])
    # A topic of the FAQ (a tag's word) in a longer lead-in counts nearly fully when the question points back.
    story = shipped_matcher.analyse("I got stretch marks on my hips at fourteen and they bug me. Would it do anything for them?")
    told = shipped_matcher.analyse("I got stretch marks on my hips at fourteen and they bug me. Would it do anything?")
    assert story is not None and told is not None
    assert story.weights["stretch"] == pytest.approx(TOPIC_WEIGHT * shipped_matcher.analyse("stretch").weights["stretch"])
    assert story.weights["hip"] == pytest.approx(CONTEXT_WEIGHT * shipped_matcher.analyse("hips").weights["hip"])
    # So it does when the question names no topic itself: the story says what it asks about.
    acne = shipped_matcher.analyse("acne").weights["acne"]
    untold = shipped_matcher.analyse("My cheeks have dents from acne years ago. Would microneedling make a difference?")
    topical = shipped_matcher.analyse("My cheeks have dents from acne years ago. Would microneedling help stretch marks?")
    assert untold is not None and topical is not None
    assert untold.weights["acne"] == pytest.approx(TOPIC_WEIGHT * acne)
    assert topical.weights["acne"] == pytest.approx(CONTEXT_WEIGHT * acne)
    # ... unless the question names what it asks about itself: then its "it" points there, not back.
    own = shipped_matcher.analyse("Acne on my chin: what is acne and how does it work?")
    alone = shipped_matcher.analyse("chin")
    assert own is not None and alone is not None
    assert own.weights["chin"] == pytest.approx(CONTEXT_WEIGHT * alone.weights["chin"])


def test_words_the_faq_does_not_know_count_against_only_where_a_question_asks(shipped_matcher: Matcher) -> None:
    """A lead-in's own words ("keeps raving about her zookeeping") say nothing about what is asked; such words
    in the clause that asks ("painful for raving zookeepers") make the question less about what the FAQ knows."""
    plain = shipped_matcher.analyse("Is microneedling painful?")
    story = shipped_matcher.analyse("My aunt keeps raving about her zookeeping at the clinic. Is microneedling painful?")
    asked = shipped_matcher.analyse("Is microneedling painful for raving zookeepers?")
    assert plain is not None and story is not None and asked is not None
    assert plain.known_share == pytest.approx(1.0)
    unexplained = story.total - sum(story.weights.values())
    assert unexplained == pytest.approx(0.0)  # what the lead-in knows ("aunt", "clinic") counts, for 0.4
    assert asked.known_share < 0.7
    assert shipped_matcher.best(story).id == shipped_matcher.best(plain).id == "pain-and-numbing"
    # Nor is a lead-in's word guessed into one the FAQ knows ("scary" is not a typo of "scars")...
    scary = shipped_matcher.analyse("Microneedling sounds scary. What is microneedling and how does it work?")
    assert scary is not None and "scar" not in scary.weights
    assert shipped_matcher.best(scary).id == "how-it-works"
    # ... while in the clause that asks, it is.
    assert "scar" in shipped_matcher.analyse("can it help acne scarss").weights
    # A heading that names the FAQ's subject says what "it" is: its other words are its story ("a
    # zookeeper tries microneedling"); a heading that does not name it says what is asked about.
    named = shipped_matcher.analyse("A zookeeper tries microneedling: does it hurt?")
    other = shipped_matcher.analyse("A zookeeper tries acupuncture: does it hurt?")
    assert named is not None and other is not None
    assert named.known_share == pytest.approx(1.0)
    assert other.known_share < 0.7
    # After the question, a short clause is a heading's subtitle ("Is It Effective? - Derma roller For
    # Stretch Marks") unless it is the asker's own remark ("Sounds backwards to me").
    remark = shipped_matcher.analyse("Is it painful? Sounds backwards to me")
    subtitle = shipped_matcher.analyse("Is it painful? Backwards thinking")
    assert remark is not None and subtitle is not None
    assert remark.known_share == pytest.approx(1.0)
    assert subtitle.known_share < 0.7


def test_less_like_more_says_how_much_not_what(shipped_matcher: Matcher) -> None:
    """"less", "least" and "fewer" are function words, as "more", "most" and "many" are: the FAQ's one
    phrasing with "less" in it ("how to make microneedling less painful") is no closer to "less
    noticeable acne scars" for it."""
    plain = shipped_matcher.analyse("will microneedling make my acne scars noticeable")
    assert plain is not None
    for word in ("less", "least", "fewer", "more"):
        query = shipped_matcher.analyse(f"will microneedling make my acne scars {word} noticeable")
        assert query is not None and query.weights == plain.weights and query.total == plain.total, word


def test_a_question_naming_the_subject_twice_asks_what_it_is(shipped_matcher: Matcher) -> None:
    """Two of the subject's names in one question ("is CIT the same thing as microneedling?") ask what
    it is: the question gets the "what is" kind, and the entry that says what it is answers it."""
    query = shipped_matcher.analyse("Is collagen induction therapy the same thing as microneedling?")
    once = shipped_matcher.analyse("Is microneedling the same thing for everyone?")
    assert query is not None and once is not None
    assert DEFINING in query.kinds and DEFINING not in once.kinds
    assert shipped_matcher.best(query).id == "what-is-microneedling"


def test_what_a_question_names_as_its_subject_is_read_where_it_names_it(shipped_matcher: Matcher) -> None:
    """Without the FAQ's subject, the word after the question word, verb and determiner is what the
    question is about; each document says how strongly it is about that (Evidence.names)."""
    query = shipped_matcher.analyse("So, how long does a pilates class usually take?")
    assert query is not None and query.named == "pilates"
    assert all(m.evidence.names == 0.0 for m in shipped_matcher.rank(query))
    collagen = shipped_matcher.analyse("what is the role of collagen in skin?")
    assert collagen is not None and collagen.named == "collagen"
    assert shipped_matcher.best(collagen).evidence.names > 0
    # After "a" or "the", a word in -ing names a thing; right after the verb it is a verb form.
    counselling = shipped_matcher.analyse("How long should a counselling session last?")
    assert counselling is not None and counselling.named == "counselling"
    # Naming the FAQ's subject, or nothing in that place, names nothing.
    for question in ("how long does a microneedling session with a pilates teacher take",
                     "does it hurt", "what does causing tiny wounds do"):
        analysed = shipped_matcher.analyse(question)
        assert analysed is not None and analysed.named is None
        assert all(m.evidence.names == 1.0 for m in shipped_matcher.rank(analysed))




def test_a_word_only_the_declined_topics_use_is_what_an_untied_question_is_about(
        shipped_matcher: Matcher, shipped_responder: Responder) -> None:
    """With no subject in its place and no word for the FAQ's subject, a question whose heaviest word only
    the names of declined topics about other things use ("tattoos and tattoo removal") is about that: no
    entry that never speaks of it is its answer."""
    assert "tattoo" in shipped_matcher._declined_only and "red" not in shipped_matcher._declined_only
    # "micro needling during pregnancy or breastfeeding" is about the FAQ's subject: not another subject;
    # nor is "peeling, scabs, swelling ... afterwards", whose phrasings ask it of micro needling.
    assert "breastfeed" not in shipped_matcher._declined_only and "swell" not in shipped_matcher._declined_only
    for question in ("my new tattoo looks red, is that normal?", "does numbing cream work on a new tattoo"):
        query = shipped_matcher.analyse(question)
        assert query is not None and query.named == query.named_term == "tattoo", question
        assert all(m.evidence.names == 0.0 for m in shipped_matcher.rank(query) if m.covered)
        assert shipped_responder.reply(question).kind is not ReplyKind.ANSWER
    # Naming micro needling, or a subject in its place (stretch marks), ties it to the FAQ; what a thing is
    # likened to is not what is asked about.
    for question in ("will microneedling over a tattoo fade it", "do stretch marks show through a tattoo",
                     "my face is red after the session, like a new tattoo, is that normal?"):
        analysed = shipped_matcher.analyse(question)
        assert analysed is not None and analysed.named_term != "tattoo", question


def test_a_part_s_it_can_be_read_as_the_subject(shipped_matcher: Matcher) -> None:
    """A part of a message that named micro needling reads its "it" as micro needling; "this" may be
    anything ("is this normal"), and a question on its own keeps its "it" as it is."""
    subject = shipped_matcher.subject
    part = shipped_matcher.analyse("will it hurt", it_is_subject=True)
    alone = shipped_matcher.analyse("will it hurt")
    other = shipped_matcher.analyse("is this normal", it_is_subject=True)
    assert part is not None and alone is not None and other is not None
    assert subject in part.weights and subject not in alone.weights and subject not in other.weights


def test_the_kind_of_question_is_read_from_the_asking_clauses(shipped_matcher: Matcher) -> None:
    """A question's kinds come from the clauses that ask; "what is X" and "what is the X" differ."""
    assert shipped_matcher.analyse("I am 34. How long does it take?").kinds == {"how long"}
    assert shipped_matcher.analyse("what are acne scars").kinds == {"what is"}
    assert shipped_matcher.analyse("what are the side effects").kinds == {"what is the"}
    # Stress between the words leaves the kind as it is.
    assert shipped_matcher.analyse("what exactly is micro needling").kinds == {"what is"}
    assert shipped_matcher.analyse("how even does it work, really").kinds == {"how"}


@pytest.mark.slow
def test_pruned_and_exhaustive_agree_on_labelled_questions(shipped_faq, shipped_matcher, repo_root) -> None:
    """The index never changes an answer: same ranking as scoring every phrasing of every document."""
    exhaustive = Matcher(shipped_faq, exhaustive=True)
    ids = {e.id for e in shipped_faq.entries}
    questions = [c.question for name in ("questions.tsv", "heldout.tsv")
                 for c in read_cases(repo_root / "tests" / "data" / name, ids)]
    questions += [p for e in shipped_faq.entries for p in e.phrasings[::3]]
    for question in questions:
        pruned = [(m.id, m.score, m.phrasing) for m in shipped_matcher.rank(question, limit=6)]
        full = [(m.id, m.score, m.phrasing) for m in exhaustive.rank(question, limit=6)]
        assert pruned == full, question
        # ... and with early cut-offs.
        pruned = [(m.id, m.score) for m in shipped_matcher.rank(question, limit=3, score_cutoff=20, within=30)]
        full = [(m.id, m.score) for m in exhaustive.rank(question, limit=3, score_cutoff=20, within=30)]
        assert pruned == full, question


@pytest.mark.slow
@pytest.mark.parametrize("vocabulary", ["project", "uniform", "zipf"])
def test_pruned_and_exhaustive_agree_on_a_large_faq(repo_root, vocabulary: str) -> None:
    """On the benchmark's synthetic FAQs, large enough for long postings to be walked in blocks,
    pruning changes nothing.

    The queries are the benchmark's (typos, dropped words, unrelated questions, questions of only
    common words) and questions made of the terms whose postings are longest.
    """
    spec = importlib.util.spec_from_file_location("bench", repo_root / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    text, entries = bench.generate_faq(8000, vocabulary=vocabulary)
    faq = parse_faq(text)
    pruned, exhaustive = Matcher(faq), Matcher(faq, exhaustive=True)
    assert pruned._blocks, "the FAQ is too small to exercise blocks"
    common = sorted(pruned._blocks, key=lambda term: -len(pruned._postings[term]))[:12]
    questions = [q["text"] for q in bench.make_queries(entries, 200) + bench.common_queries(entries)]
    questions += [" ".join(common[i:i + n]) for n in (1, 2, 3) for i in range(0, len(common) - n + 1, 2)]
    for question in questions:
        assert ([(m.id, m.score, m.phrasing) for m in pruned.rank(question, limit=6)]
                == [(m.id, m.score, m.phrasing) for m in exhaustive.rank(question, limit=6)]), question


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
    assert matcher.best("is it painful?").id == "only"


def test_the_leading_alternates_are_those_that_stand_for_the_others() -> None:
    """Matcher.representative picks the alternates that best stand for the others, the best first:
    one of each way of asking before a second of any, the commonest way first, whatever order they
    are listed in; an entry with a few alternates keeps them all; --check's warnings name the ones
    to move up."""
    long_ = [f"how long {verb} {det} session take" for det in ("a", "the") for verb in ("does", "will", "would", "can")]
    quick = ["is the appointment quick", "will the appointment be quick"]
    lunch = ["can i fit it in my lunch break", "will it fit in a lunch break"]
    text = """
version: 1
entries:
  - id: length
    question: How long is a session?
    alternates: [%s]
    answer: About half an hour.
    source: S
  - id: other
    question: Does it hurt?
    alternates: [is it painful]
    answer: A little.
    source: S
"""

    def ways(chosen: tuple[str, ...]) -> list[int]:
        return [sum(a in way for a in chosen) for way in (long_, quick, lunch)]

    matcher = Matcher(parse_faq(text % ", ".join(long_ + quick + lunch)))
    entry = matcher.faq.entries[0]
    chosen = matcher.representative(entry, 3)
    assert ways(chosen) == [1, 1, 1]
    assert chosen[0] in long_  # eight ways of asking how long: one of them stands for the most
    assert matcher.representative(entry, 1) == chosen[:1]  # the first few are the few that stand best
    flipped = Matcher(parse_faq(text % ", ".join(lunch[::-1] + quick + long_[::-1])))
    assert ways(flipped.representative(flipped.faq.entries[0], 3)) == [1, 1, 1]
    assert matcher.representative(matcher.faq.entries[1]) == ("is it painful",)  # fewer than ten: all lead
    advice = [w for w in matcher.warnings() if "stand best" in w]  # its first ten have no lunch break
    assert len(advice) == 1 and "'length'" in advice[0] and "lunch break" in advice[0]
    assert not [w for w in flipped.warnings() if "stand best" in w]


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


def test_fit_prefers_the_entry_whose_phrasings_use_the_words() -> None:
    """Among candidates, the entry whose phrasings, taken together, use the question's words fits it best."""
    matcher = Matcher(parse_faq(TWO_CREAMS))
    for question, expected in (("which cream goes on after", "cream-after"), ("which cream goes on before", "cream-before")):
        candidates = matcher.match(question, limit=2)
        fits = matcher.fit(question, candidates)
        assert candidates[fits.index(max(fits))].id == expected


def test_concepts_read_different_words_as_one_kind_of_question() -> None:
    """A concept's variants meet: an entry that says "steps" is found by "how is it performed"."""
    faq = parse_faq("""
version: 1
concepts:
  procedure: [steps, performed, carried out]
entries:
  - id: steps
    question: What are the steps?
    alternates: [steps of a session]
    answer: A.
    source: S
  - id: length
    question: How long is a session?
    alternates: [session length]
    answer: B.
    source: S
""")
    matcher = Matcher(faq)
    assert matcher.best("how is it performed").id == "steps"
    assert matcher.best("how is it carried out").id == "steps"


def test_an_entry_with_few_alternates_is_found_by_what_its_answer_opens_with() -> None:
    """The first sentence of a sparse entry's answer is one of its phrasings: a question in the answer's
    words finds it, though no alternate says them; its later sentences and a rich entry's opening do not."""
    def faq(alternates: list[str]):
        return parse_faq(f"""
version: 1
entries:
  - id: scars
    question: Does it help scars?
    alternates: {alternates}
    answer: Collagen remodelling smooths indented scars over several months. Peels are another option.
    source: S
  - id: length
    question: How long is a session?
    alternates: [session length]
    answer: About half an hour.
    source: S
""")
    sparse = Matcher(faq(["scar treatment"]))
    assert sparse.best("does collagen remodelling smooth things").id == "scars"
    assert sparse.best("are peels an option") is None
    rich = Matcher(faq([f"scar question {n}" for n in range(OPENING_UNDER)]))
    assert rich.best("does collagen remodelling smooth things") is None


def test_the_state_round_trip_gives_the_same_matcher(shipped_matcher: Matcher) -> None:
    """from_state(to_state()) answers exactly as the matcher it came from, through marshal as the cache stores it."""
    again = Matcher.from_state(marshal.loads(marshal.dumps(shipped_matcher.to_state())))
    for question in ("does it hurt", "how much does it cost", "stretchmarks cream", "what is collagen"):
        assert again.rank(question, limit=6) == shipped_matcher.rank(question, limit=6)
    assert again.faq.entries == shipped_matcher.faq.entries


def test_a_state_of_another_format_is_refused(shipped_matcher: Matcher) -> None:
    """A state written by another version of the matcher is a ValueError, never a wrong matcher."""
    state = shipped_matcher.to_state()
    state["format"] = -1
    with pytest.raises(ValueError, match="format"):
        Matcher.from_state(state)


def test_the_subject_is_the_word_most_questions_ask_about(shipped_matcher: Matcher, shipped_faq) -> None:
    """The shipped FAQ is about micro needling; an FAQ whose questions share no word has no subject,
    and a cached matcher keeps its subject."""
    assert shipped_matcher.subject == "microneedl"
    assert Matcher.from_state(shipped_matcher.to_state()).subject == "microneedl"
    assert Matcher(parse_faq(TWO_CREAMS)).subject == "session"  # in all three questions
    faq = parse_faq("""
version: 1
entries:
  - id: one
    question: How long is a session?
    alternates: [session length]
    answer: A.
    source: S
  - id: two
    question: Which cream goes on after?
    alternates: [cream after]
    answer: B.
    source: S
  - id: three
    question: Does the needle hurt?
    alternates: [needle pain]
    answer: C.
    source: S
""")
    assert Matcher(faq).subject is None


def test_a_question_of_common_words_and_it_asks_about_the_subject(shipped_matcher: Matcher) -> None:
    """ "what is it" reads "it" as the FAQ's subject, and says so; a question with a word of its own does not."""
    implied = shipped_matcher.analyse("what is it")
    assert implied is not None and implied.implied and set(implied.weights) == {"microneedl"}
    assert shipped_matcher.best("what is it").id == "what-is-microneedling"
    assert shipped_matcher.analyse("what is the capital of australia") is None
    assert shipped_matcher.analyse("lol ok") is None
    plain = shipped_matcher.analyse("does it hurt")
    assert plain is not None and not plain.implied


def test_a_small_faq_makes_its_phrasing_models_with_its_index(shipped_faq, monkeypatch) -> None:
    """Up to EAGER_MODELS phrasings, every document's phrasing model is made when the matcher is
    built, so no reply waits for one; above, each is made on first use (and then kept)."""
    import assistant.matcher as matcher_module

    built = Matcher(shipped_faq)
    assert len(built._models) == len(built._docs)
    monkeypatch.setattr(matcher_module, "EAGER_MODELS", 10)
    lazy = Matcher(shipped_faq)
    assert not lazy._models
    matches = lazy.match("does it hurt")
    assert lazy.fit("does it hurt", matches) == built.fit("does it hurt", matches)
    assert 0 < len(lazy._models) <= len(matches)


def test_only_an_faq_with_a_subject_reads_a_question_as_about_something_else() -> None:
    """Without a word most entries' questions share, no question is set aside as being about
    something else: every entry can still answer one with a word the FAQ does not know."""
    from assistant.faq import Entry, Faq

    faq = Faq((Entry("tea", "How do I brew green tea?", ("green tea brewing time",), "Steep it briefly.", "notes"),
               Entry("coffee", "How fine should I grind coffee?", ("coffee grind size",), "Medium fine.", "notes"),
               Entry("cocoa", "Can cocoa be made with water?", ("cocoa with water",), "It can.", "notes")))
    matcher = Matcher(faq)
    assert matcher.subject is None
    query = matcher.analyse("how long to brew green tea in a zorbulator")
    assert query is not None and not query.elsewhere and not query.unset
    assert matcher.best("how long to brew green tea in a zorbulator").id == "tea"
