"""Text normalisation: folding, stemming, cleaning, synonyms and spelling correction."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assistant.normalize import Normalizer, clauses, clean_text, fold, stem

# -- fold -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "folded"), [
    pytest.param("WHAT Is Micro Needling", "what is micro needling", id="case"),
    pytest.param("Straße", "strasse", id="casefold-not-just-lower"),
    pytest.param("ｍｉｃｒｏ ｎｅｅｄｌｉｎｇ", "micro needling", id="nfkc-full-width-letters"),
    pytest.param("ﬁne needles", "fine needles", id="nfkc-ligature"),
    pytest.param("what\u2019s it", "what is it", id="curly-apostrophe"),
    pytest.param("it\u2018s sore", "it is sore", id="left-curly-apostrophe"),
    pytest.param("what's microneedling", "what is microneedling", id="whats"),
    pytest.param("whats microneedling", "what is microneedling", id="whats-without-apostrophe"),
    pytest.param("it doesn't hurt", "it does not hurt", id="doesnt"),
    pytest.param("it won't hurt", "it will not hurt", id="wont"),
    pytest.param("I can't wait", "i can not wait", id="cant"),
    pytest.param("they're fine", "they are fine", id="re"),
    pytest.param("the skin's barrier", "the skin barrier", id="possessive-s-dropped"),
    pytest.param("micro-needling??!", "micro needling", id="punctuation"),
    pytest.param("SPF 30, 20-30 minutes", "spf 30 20 30 minutes", id="digits-kept"),
    pytest.param("  too   many\tspaces\n here  ", "too many spaces here", id="extra-spaces"),
    pytest.param("snake_case_words", "snake case words", id="underscores"),
    pytest.param("?!... ---", "", id="only-punctuation"),
    pytest.param("", "", id="empty"),
    pytest.param("can i do it w/o numbing cream", "can i do it without numbing cream", id="w/o-is-without"),
    pytest.param("w/vitamin c b/c it helps", "with vitamin c because it helps", id="w/-and-b/c"),
    pytest.param("and/or", "and or", id="other-slashes-are-spaces"),
    pytest.param("ppl say it takes 30 mins", "people say it takes 30 minutes", id="texting-shorthand"),
    pytest.param("u'll be fine", "you will be fine", id="shorthand-in-a-contraction"),
    pytest.param("were can i get it", "where can i get it", id="were-opening-a-question"),
    pytest.param("they were fine", "they were fine", id="were-as-itself"),
    pytest.param("were you made by a doctor", "were you made by a doctor", id="were-you"),
])
def test_fold(text, folded):
    """fold gives lower-case words separated by single spaces, contractions spelt out."""
    assert fold(text) == folded


# -- stem -----------------------------------------------------------------------


@pytest.mark.parametrize(("word", "stemmed"), [
    pytest.param("scars", "scar", id="plural"),
    pytest.param("scarring", "scar", id="ing-doubled-consonant"),
    pytest.param("scarred", "scar", id="ed-doubled-consonant"),
    pytest.param("treatments", "treatment", id="plural-treatments"),
    pytest.param("creams", "cream", id="plural-creams"),
    pytest.param("bodies", "body", id="ies"),
    pytest.param("stretches", "stretch", id="ches"),
    pytest.param("stretched", "stretch", id="exception-stretched"),
    pytest.param("marks", "mark", id="plural-marks"),
    pytest.param("numbing", "numb", id="exception-numbing"),
    pytest.param("quickly", "quick", id="ly"),
    pytest.param("speed", "speed", id="eed-is-no-ed"),
    pytest.param("proceed", "proceed", id="eed-is-no-ed-2"),
    pytest.param("skin", "skin", id="exception-skin"),
    pytest.param("is", "is", id="short-word-kept"),
    pytest.param("glass", "glass", id="double-s-kept"),
    pytest.param("spf30", "spf30", id="not-alphabetic-kept"),
])
def test_stem(word, stemmed):
    """stem strips common English suffixes, with exceptions for words it would mangle."""
    assert stem(word) == stemmed


@pytest.mark.parametrize("forms", [
    pytest.param(("reduce", "reduces", "reduced", "reducing"), id="reduce"),
    pytest.param(("needle", "needles", "needling"), id="needle"),
    pytest.param(("scar", "scars", "scarred", "scarring"), id="scar"),
    pytest.param(("irritate", "irritated", "irritating"), id="irritate"),
])
def test_forms_of_a_word_share_a_stem(forms):
    """The forms of one word meet at the same stem, whatever that stem looks like."""
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


# -- clean_text -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "cleaned"), [
    pytest.param("red\x1b[31m alert\x1b[0m", "red alert", id="ansi-colour"),
    pytest.param("\x1b[2J\x1b[Hcleared", "cleared", id="ansi-clear-screen"),
    pytest.param("\x1b]0;evil title\x07text", "text", id="osc-window-title"),
    pytest.param("bell\x07 nul\x00 del\x7f c1\x9b", "bell nul del c1", id="control-characters"),
    pytest.param("abc\u202edcba\u202c", "abcdcba", id="bidi-override"),
    pytest.param("\u2066isolate\u2069", "isolate", id="bidi-isolate"),
    pytest.param("zero\u200bwidth\ufeff", "zerowidth", id="zero-width-and-bom"),
    pytest.param("line one\nline\ttwo", "line one\nline\ttwo", id="newline-and-tab-kept"),
    pytest.param("lone \ud800 surrogate", "lone \ufffd surrogate", id="lone-surrogate-replaced"),
    pytest.param("café ｍｉｃｒｏ", "café ｍｉｃｒｏ", id="ordinary-unicode-kept"),
])
def test_clean_text(text, cleaned):
    """clean_text removes what must never reach a terminal raw and keeps everything else."""
    assert clean_text(text) == cleaned



@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2100) | st.sampled_from(
    "\x1b[]\x07\x00\r\x0b\x0c\x1c\x1f\x7f\x85\x9f\u200b\u200f\u2028\u2029\u202a\u202e\u2066\u2069\ufeff\ud800\udfff"),
    max_size=40))
def test_clean_text_skips_only_texts_it_would_leave_as_they_are(text: str) -> None:
    """The quick check for a text with nothing to clean never changes what clean_text gives."""
    import assistant.normalize as normalize
    full = normalize._CONTROL.sub("", normalize._LINE_SPACES.sub(" ", normalize._ANSI.sub("", text)))
    assert clean_text(text) == normalize._SURROGATES.sub("\ufffd", full)

# -- Normalizer: synonyms, spelling, run-together words ------------------------


@pytest.fixture(scope="module")
def small_normalizer() -> Normalizer:
    """A Normalizer with one synonym group and a tiny vocabulary."""
    return Normalizer({"microneedling": ["micro needling", "dermaroller"]}, {"acne", "scars", "needling"})


@pytest.fixture(scope="module")
def shipped_normalizer(shipped_matcher) -> Normalizer:
    """The Normalizer the matcher builds from the real FAQ (its synonyms and vocabulary)."""
    return shipped_matcher.normalizer


@pytest.mark.parametrize("variant", [
    pytest.param("micro needling", id="two-words"),
    pytest.param("micro-needling", id="hyphenated"),
    pytest.param("Micro Needling", id="capitalised"),
    pytest.param("MICRONEEDLING", id="shouted"),
    pytest.param("dermaroller", id="dermaroller"),
    pytest.param("derma roller", id="derma-roller"),
    pytest.param("derma pen", id="derma-pen"),
    pytest.param("collagen induction therapy", id="collagen-induction-therapy"),
])
def test_synonyms_of_microneedling_give_the_same_terms(shipped_normalizer, variant):
    """Every name of the treatment in the real FAQ's synonyms becomes the terms of 'microneedling'."""
    assert shipped_normalizer.terms(variant) == shipped_normalizer.terms("microneedling")


def test_synonyms_apply_inside_a_sentence(small_normalizer):
    """A synonym is replaced where it stands; the words around it are kept, in order."""
    assert small_normalizer.words("is Micro-Needling good for acne") == \
        ["is", "microneedling", "good", "for", "acne"]


def test_a_longer_variant_wins_over_its_own_start():
    """With variants 'collagen induction' and 'collagen induction therapy', the whole longer phrase is replaced."""
    normalizer = Normalizer({"microneedling": ["collagen induction therapy", "collagen induction"]})

    assert normalizer.terms("collagen induction therapy") == normalizer.terms("microneedling")


def test_variants_run_together_are_recognised(small_normalizer):
    """A two-word variant typed as one word ('microneedling' from 'micro needling') still maps."""
    assert small_normalizer.terms("microneedling") == small_normalizer.terms("micro needling")


def test_scared_is_not_scarred() -> None:
    """Fear and scars stem apart ('scared' vs 'scarred')."""
    assert stem("scared") != stem("scarred")
    assert stem("scarred") == stem("scars") == "scar"


def test_a_concept_made_from_a_guessed_word_is_as_unsure_as_the_guess(shipped_normalizer) -> None:
    """A guess ("shot" read as "short") that completes a concept's phrase ("short for": a definition)
    makes the concept no surer than the guess; the phrase as written is sure."""
    terms, guesses = shipped_normalizer.analyse("is it worth a shot for scars")
    assert "definition" in terms and 0 < guesses["definition"] < 1
    terms, guesses = shipped_normalizer.analyse("what is cit short for")
    assert "definition" in terms and "definition" not in guesses


def test_short_typos_only_for_a_slip_of_the_finger(shipped_normalizer) -> None:
    """Short words are corrected for a dropped letter ('aftr', 'wrk'), swapped letters ('ance')
    or, from four letters, a neighbouring key ('lonf'); any other change is another word ('cost')."""
    assert shipped_normalizer.correct("aftr") == ("after",)
    assert shipped_normalizer.correct("ance") == ("acne",)
    assert shipped_normalizer.correct("lonf") == ("long",)
    assert shipped_normalizer.correct("wrk") == ("work",)
    assert shipped_normalizer.correct("tak") == ("take",)
    assert shipped_normalizer.correct("cost") == ("cost",)
    assert shipped_normalizer.correct("spa") == ("spa",)


@pytest.mark.parametrize(("typo", "meant"), [
    pytest.param("acctually", "actually", id="acctually"),
    pytest.param("shoud", "should", id="shoud"),
    pytest.param("becuase", "because", id="becuase"),
    pytest.param("wich", "which", id="wich"),
    pytest.param("somthing", "something", id="common-word-as-near-as-an-faq-word"),
])
def test_misspelt_common_words_are_common_words(shipped_normalizer, typo, meant):
    """A misspelt common word is read as that word, so it does not count as a word the FAQ does not know."""
    assert shipped_normalizer.correct(typo) == (meant,)


@pytest.mark.parametrize(("typo", "meant"), [
    pytest.param("microneedeling", "microneedling", id="microneedeling"),
    pytest.param("sunscren", "sunscreen", id="sunscren"),
    pytest.param("dermatoligist", "dermatologist", id="dermatoligist"),
    pytest.param("dermatologst", "dermatologist", id="dermatologst"),
    pytest.param("pigmentaton", "pigmentation", id="pigmentaton"),
    pytest.param("colagen", "collagen", id="colagen"),
])
def test_misspellings_are_corrected_to_the_faq_vocabulary(shipped_normalizer, typo, meant):
    """A misspelt word is read as the FAQ word it is one or two edits away from."""
    assert shipped_normalizer.terms(typo) == shipped_normalizer.terms(meant)


@pytest.mark.parametrize("word", [
    pytest.param("cost", id="cost"),
    pytest.param("price", id="price"),
    pytest.param("laser", id="laser"),
    pytest.param("botox", id="botox"),
    pytest.param("30", id="number"),
    pytest.param("hair", id="four-letters-one-changed"),
    pytest.param("pore", id="four-letters-another"),
])
def test_real_and_short_words_are_not_corrected(shipped_normalizer, word):
    """Words outside the FAQ are left alone rather than 'corrected' into FAQ words ('cost' is not 'most')."""
    assert shipped_normalizer.correct(word) == (word,)


@pytest.mark.parametrize(("word", "read"), [
    pytest.param("pointless", ("pointless",), id="pointless-is-not-painless"),
    pytest.param("pictures", ("pictures",), id="pictures-are-not-punctures"),
    pytest.param("cautious", ("cautious",), id="cautious-is-not-curious"),
    pytest.param("restoration", ("restoration",), id="not-split-into-rest-or-at-i-on"),
    pytest.param("formation", ("form",), id="formation-is-a-form-of-form"),
    pytest.param("preventative", ("prevent",), id="preventative-of-prevent"),
])
def test_a_long_english_word_is_itself_or_the_faq_word_it_is_made_from(shipped_normalizer, word, read):
    """An English word of eight letters or more is never read as another word, nor as words run together;
    it may be the FAQ word it is made from by an ending such as -ation or -ative."""
    assert shipped_normalizer.correct(word) == read


def test_a_long_english_word_may_still_be_another_form_of_itself() -> None:
    """An FAQ word that the English word is but for its last letters is what was meant ("consultations")."""
    from assistant.spelling import Speller, english_words

    assert "consultation" in english_words() and "zzzzzzzz" not in english_words()
    speller = Speller({"consultations", "painless"}, {}, {"the"})
    assert speller.correct("consultation") == (("consultations",), 0.85)
    assert speller.correct("pointless") == (("pointless",), 1.0)


def test_the_english_words_carry_their_licence_notice(repo_root) -> None:
    """The word list ships with SCOWL's copyright notice and permission (and WordNet's), as they require."""
    head = (repo_root / "assistant" / "data" / "english-words.txt").read_text(encoding="utf-8")[:20000]
    assert "Copyright 2000-2011 by Kevin Atkinson" in head and "Permission to use, copy, modify" in head
    assert "WordNet 1.6 Copyright 1997 by Princeton University" in head


@pytest.mark.parametrize(("typed", "words"), [
    pytest.param("stretchmarks", ("stretch", "mark"), id="stretchmarks"),
    pytest.param("acnescars", ("acne", "scar"), id="acnescars"),
])
def test_run_together_words_are_split(shipped_normalizer, typed, words):
    """Two FAQ words typed without a space are read as the two words."""
    assert shipped_normalizer.terms(typed) == words


@pytest.mark.parametrize(("typed", "words"), [
    pytest.param("howlongdoesmicroneedlingtake", "how long does microneedling take", id="how-long"),
    pytest.param("doineedtoseeadermfirst", "do i need to see a dermatologist first", id="one-letter-words"),
    pytest.param("whatcausesstretchmarks", "what causes stretch marks", id="stretch-marks"),
    pytest.param("sunscreenaftermicroneedling", "sunscreen after microneedling", id="sunscreen"),
    pytest.param("doesit fade dark spots", "does it help pigmentation", id="short-question-start"),
    pytest.param("isit invasive", "is it invasive", id="short-question-start-2"),
    pytest.param("doineed sunscreen", "do i need sunscreen", id="short-with-a-letter-word"),
])
def test_whole_questions_run_together_are_split(shipped_normalizer, typed, words):
    """A question typed without any space is read as its words (synonyms applied)."""
    assert " ".join(shipped_normalizer.words(typed)) == words


def test_a_word_is_read_as_a_common_word_only_for_a_slip_of_the_finger(shipped_normalizer):
    """'acctually' and 'shoud' are typos of common words; 'ideal' and 'broth' are words of their own,
    not 'idea' and 'both' (which would make them say nothing)."""
    assert shipped_normalizer.correct("acctually") == ("actually",)
    assert shipped_normalizer.correct("shoud") == ("should",)
    assert shipped_normalizer.correct("ideal") == ("ideal",)
    assert shipped_normalizer.correct("broth") == ("broth",)


def test_words_run_together_are_never_cut_into_another_languages_words(shipped_normalizer):
    """'introduce' is one English word, not 'intro' + French 'du' + 'ce'."""
    assert shipped_normalizer.correct("introduce") == ("introduce",)


def test_a_short_word_splits_into_common_words_only_after_a_question_word(shipped_normalizer):
    """'isit' is 'is it', but a short unknown word is not cut into common words anywhere else."""
    assert shipped_normalizer.correct("howto") == ("how", "to")
    assert shipped_normalizer.correct("itis") == ("itis",)


def test_an_ending_is_not_a_word_of_its_own():
    """'useless' is one English word, not 'use' + 'less'; a question run together still splits."""
    normalizer = Normalizer(vocabulary={"use": 3, "less": 2, "painless": 1, "session": 4})
    assert normalizer.correct("useless") == ("useless",)
    assert normalizer.correct("isitpainless") == ("is", "it", "painless")


def test_another_form_of_an_faq_word_is_not_corrected(shipped_normalizer):
    """'sooth' is a form of 'soothe' (same stem), not a typo of 'south' or 'smooth'."""
    assert shipped_normalizer.terms("sooth") == shipped_normalizer.terms("soothing")


def test_another_form_of_a_common_word_is_not_corrected():
    """'feeling' is a form of the common word 'feel', not a typo of the FAQ's 'feed' (a baby feeds)."""
    normalizer = Normalizer(vocabulary={"feed": 1, "feeds": 1, "pain": 3})
    assert normalizer.analyse("feeling anxious about the pain") == (("feel", "anxious", "about", "the", "pain"), {})
    assert normalizer.correct("feelings") == ("feelings",)


def test_equally_near_corrections_prefer_the_commoner_word():
    """Between two FAQ words one edit away, the one the FAQ uses more is the likelier meaning."""
    normalizer = Normalizer(vocabulary={"serum": 30, "sedum": 1})
    assert normalizer.correct("serim") == ("serum",)


def test_run_together_split_prefers_common_words():
    """Of two readings, the one made of words the FAQ uses more often wins."""
    normalizer = Normalizer(vocabulary={"how": 50, "long": 20, "does": 40, "it": 60, "take": 10,
                                        "ho": 1, "wlong": 1, "doe": 1, "sit": 1})
    assert normalizer.correct("howlongdoesittake") == ("how", "long", "does", "it", "take")


def test_run_together_split_needs_both_halves_known(small_normalizer):
    """A word is split only when both halves are vocabulary words."""
    assert small_normalizer.correct("acnescars") == ("acne", "scars")
    assert small_normalizer.correct("acnepimples") == ("acnepimples",)


# -- properties -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_and_terms_never_raise(shipped_normalizer, text):
    """fold and terms accept any text at all (surrogates, controls, any script) without raising."""
    folded = fold(text)
    terms = shipped_normalizer.terms(text)

    assert isinstance(folded, str)
    assert all(isinstance(term, str) and term for term in terms)


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("n't")
@example("R'D")  # a contraction whose first part is shorthand: "r would" must fold to "are would" at once
def test_fold_is_single_spaced_and_idempotent(text):
    """fold's output is single-spaced words, and folding it again changes nothing."""
    folded = fold(text)

    assert folded == " ".join(folded.split())
    assert fold(folded) == folded


def test_a_clause_of_only_openers_is_left_out() -> None:
    """"But first; what is it?" asks what it is: "first" there opens the question, it is no heading the
    "it" could point to; a message of only such words keeps them, so it is still read as what it says."""
    for text in ("BUT first; what is it?", "So first: what is it?", "First, what is it?", "Now - what is it?"):
        assert [(c.text, c.asks) for c in clauses(text)] == [("what is it", True)], text
    assert [c.text for c in clauses("first")] == ["first"]
    assert [c.text for c in clauses("so?")] == ["so"]


def test_a_form_the_faq_never_writes_is_read_as_its_variant() -> None:
    """"prepping" is read as the variant "prep" (so as its concept) when the FAQ writes neither it nor
    any other word of that stem that is not a variant; "performing" is left alone when the FAQ also
    writes "performs", which is no variant ("who performs it" is not "how is it performed")."""
    normalizer = Normalizer(concepts={"preparation": ["prep"], "steps": ["performed"]},
                            vocabulary={"skin", "who", "performs"})
    assert normalizer.terms("prepping skin") == normalizer.terms("prep skin") == ("preparation", "skin")
    assert normalizer.terms("prepped") == ("preparation",)
    assert normalizer.terms("performing") == ("perform",) != normalizer.terms("performed")
    assert normalizer.terms("skins") == ("skin",)  # a form of an ordinary FAQ word stays itself
