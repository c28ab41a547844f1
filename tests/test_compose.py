"""Reply composition: the five kinds of reply, and the advice that ends every one."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import ReplyKind, Responder, parse_faq
from assistant.compose import ends_with_advice
from assistant.normalize import MAX_QUERY_CHARS

#: The closing of each kind of reply, written out here rather than read from the program, so a
#: closing that changes or goes missing fails (the goodbye has its own).
CLOSING = {
    "answer": "Please consult a dermatologist before starting micro needling, or about your own skin.",
    "clarify": "Please consult a dermatologist before starting micro needling, or about your own skin.",
    "fallback": "A dermatologist can answer this for your own skin: please consult one.",
    "smalltalk": "For anything about your own skin, please consult a dermatologist.",
    "urgent": "Once you have had care, please also see a dermatologist promptly about your skin, "
              "and do no more micro needling until they have seen it.",
}
GOODBYE = "Before you start micro needling, do consult a dermatologist."


def _closes_as_its_kind(text: str, kind: str) -> bool:
    closings = (CLOSING[kind], GOODBYE) if kind == "smalltalk" else (CLOSING[kind],)
    return text.rstrip().endswith(closings)


@pytest.mark.parametrize("message, kind", [
    pytest.param("how long does a session take", "answer", id="answer"),
    pytest.param("cream", "clarify", id="clarify"),
    pytest.param("what's the capital of France", "fallback", id="off-topic"),
    pytest.param("how much does micro needling cost", "fallback", id="not-covered"),
    pytest.param("hello", "smalltalk", id="hello"),
    pytest.param("thanks!", "smalltalk", id="thanks"),
    # Phrases of several words (the small-talk patterns are verbose: their spaces must be escaped).
    pytest.param("thank you so much", "smalltalk", id="thank-you-so-much"),
    pytest.param("many thanks", "smalltalk", id="many-thanks"),
    pytest.param("much appreciated", "smalltalk", id="much-appreciated"),
    # Thanks with a remark on the reply ("helped" is also a word of the FAQ's questions).
    pytest.param("thanks, that helped a lot", "smalltalk", id="thanks-that-helped-a-lot"),
    pytest.param("thanks! that answers my question", "smalltalk", id="thanks-that-answers-my-question"),
    pytest.param("thank you, that was so helpful", "smalltalk", id="thanks-that-was-so-helpful"),
    pytest.param("thanks, does it help with scars?", "answer", id="thanks-then-a-question"),
    pytest.param("hello there!", "smalltalk", id="hello-there"),
    pytest.param("good morning", "smalltalk", id="good-morning"),
    pytest.param("whats up", "smalltalk", id="whats-up"),
    pytest.param("see you later", "smalltalk", id="see-you-later"),
    pytest.param("bye bye", "smalltalk", id="bye-bye"),
    pytest.param("gotta go", "smalltalk", id="gotta-go"),
    # What people say in a conversation: more, where it comes from, a question to come, puzzlement.
    pytest.param("tell me more", "smalltalk", id="tell-me-more"),
    pytest.param("where did you get that?", "smalltalk", id="source"),
    pytest.param("i have a question", "smalltalk", id="a-question-to-come"),
    pytest.param("why?", "smalltalk", id="why-alone"),
    pytest.param("i dont understand", "smalltalk", id="dont-understand"),
    pytest.param("ok", "smalltalk", id="ok"),
    pytest.param("why does it itch", "fallback", id="why-with-a-question"),
    pytest.param("how are you doing today", "smalltalk", id="how-are-you-doing-today"),
    pytest.param("bye", "smalltalk", id="bye"),
    pytest.param("who are you?", "smalltalk", id="who"),
    pytest.param("who made you", "smalltalk", id="who-made-you"),
    pytest.param("who am i actually chatting with", "smalltalk", id="who-am-i-talking-to"),
    pytest.param("is this a bot", "smalltalk", id="is-this-a-bot"),
    pytest.param("can i book an appointment", "fallback", id="booking"),
    pytest.param("help", "smalltalk", id="help"),
    pytest.param("does it work on acne scarring or nah", "answer", id="slang-is-not-an-unknown-topic"),
    pytest.param("howlongdoesmicroneedlingtake", "answer", id="no-spaces-at-all"),
    pytest.param("what can you help me with?", "smalltalk", id="what-can-you-help-with"),
    pytest.param("what do you know about", "smalltalk", id="what-do-you-know"),
    pytest.param("my face keeps bleeding and it won't stop", "urgent", id="urgent"),
    pytest.param("", "smalltalk", id="empty"),
])
def test_reply_kinds(shipped_responder: Responder, message: str, kind: str) -> None:
    """Each kind of message gets its kind of reply, and every reply ends with the advice (an urgent
    one with the advice to be seen promptly)."""
    reply = shipped_responder.reply(message)
    assert reply.kind == kind
    assert ends_with_advice(reply.text)
    closing = GOODBYE if message in ("bye", "see you later", "bye bye", "gotta go") else CLOSING[kind]
    assert reply.text.rstrip().endswith(closing), reply.text


def test_did_you_mean_offers_up_to_three_entries(shipped_responder: Responder, shipped_faq) -> None:
    """A one-word question that several entries could answer gets three of them, listed, and no answer."""
    reply = shipped_responder.reply("cream")
    assert reply.kind == "clarify" and reply.entry_id is None
    assert len(reply.suggestions) == 3
    assert all(f"  - {shipped_faq.get(entry_id).question}" in reply.text for entry_id in reply.suggestions)


def test_answer_carries_entry_and_follow_ups(shipped_responder: Responder, shipped_faq) -> None:
    """An answer gives the entry's answer text and offers its related entries."""
    reply = shipped_responder.reply("how long does a session take")
    entry = shipped_faq.get("session-length")
    assert reply.entry_id == "session-length"
    assert reply.text.startswith(entry.answer)
    assert reply.suggestions == entry.related
    if entry.related:
        assert "You might also ask" in reply.text


def test_fallback_says_so_plainly_and_points_to_topics(shipped_faq, shipped_matcher) -> None:
    """A decline says plainly what it cannot do and lists what the FAQ covers, the first time in a session only."""
    responder = Responder(shipped_faq, matcher=shipped_matcher, interactive=True)
    first = responder.reply("what's the capital of France")
    second = responder.reply("explain the offside rule")
    assert first.kind == second.kind == "fallback" and first.entry_id is None
    assert "only answer questions about micro needling" in first.text and "I can tell you about" in first.text
    assert "I can tell you about" not in second.text and len(second.text) < len(first.text)


def test_a_question_about_micro_needling_is_never_told_it_is_outside_the_faq(shipped_responder: Responder) -> None:
    """A decline of a question that names micro needling says the FAQ has no answer, never that only
    questions about micro needling are answered."""
    reply = shipped_responder.reply("microneedling blorptastic frobnication")
    assert reply.kind == "fallback"
    assert "only answer questions about" not in reply.text and "couldn't find that" in reply.text


@pytest.mark.parametrize("question", ["Quelle est la meilleure routine de soin pour une peau sensible ?",
                                      "¿Qué crema hidratante me recomiendan para piel grasa?",
                                      "Wie lange dauert eine Sitzung und was kostet das?"])
def test_a_question_in_another_language_is_asked_again_in_english(shipped_responder: Responder, question: str) -> None:
    """A question in another language that the FAQ's words do not answer is declined with the reason:
    the assistant reads English; never "I only answer questions about micro needling"."""
    reply = shipped_responder.reply(question)
    assert reply.kind == "fallback"
    assert "ask again in English" in reply.text and "only answer questions about" not in reply.text
    assert "dermatologist" in reply.text.split("\n\n")[-1]


@pytest.mark.parametrize("question", ["what's the capital of France", "is la la land a good film",
                                      "how do i make con carne", "do you know a good dermatologist in lyon"])
def test_an_english_question_is_not_taken_for_another_language(shipped_responder: Responder, question: str) -> None:
    """English questions with a foreign-looking word or two get the usual decline."""
    assert "ask again in English" not in shipped_responder.reply(question).text


def test_a_decline_does_not_call_cost_a_health_question(shipped_responder: Responder) -> None:
    """A decline names the topic in plain words and says a dermatologist can answer it; it never calls
    a cost or booking question a health question."""
    for question in ("how much does microneedling cost", "can i book an appointment"):
        reply = shipped_responder.reply(question)
        assert reply.kind == "fallback" and reply.topic
        assert reply.topic in reply.text and "health question" not in reply.text
        assert "dermatologist" in reply.text.split("\n\n")[-1]


def test_not_covered_topic_is_named(shipped_responder: Responder) -> None:
    """A question on a topic the FAQ declines on purpose names that topic."""
    reply = shipped_responder.reply("how much does micro needling cost?")
    assert reply.kind == "fallback"
    assert "cost" in reply.text


def test_a_near_tie_with_a_not_covered_topic_names_it_and_offers_the_entry(shipped_responder: Responder) -> None:
    """A question nearly as close to an entry as to a topic the FAQ does not cover may be either: the reply
    says what is not covered, then offers the entry, and it still ends with the advice."""
    reply = shipped_responder.reply("numbing cream before my treatment")
    assert reply.kind == "clarify" and reply.suggestions == ("pain-and-numbing",)
    assert reply.topic == "which numbing cream to use and how to apply it"
    assert reply.text.startswith(f"The FAQ I answer from does not cover {reply.topic}. If you meant this")
    assert any("near tie" in note for note in reply.notes)
    assert _closes_as_its_kind(reply.text, "clarify")
    # ... while a question plainly on that topic is declined by name, as before.
    plain = shipped_responder.reply("which numbing cream should I buy")
    assert plain.kind == "fallback" and plain.topic == reply.topic


def test_a_question_after_a_story_naming_micro_needling_reads_its_it_as_micro_needling(
        shipped_responder: Responder) -> None:
    """A letter that names the treatment in its story and asks "will it hurt?" is answered from the part
    that asks, its "it" read as micro needling, although the whole letter is too long a story to answer."""
    letter = ("Dear Doctor, I booked collagen induction therapy for next week and I'm a nervous wreck because "
              "I once fainted at the dentist. Will it hurt, and can they make it more comfortable?")
    reply = shipped_responder.reply(letter)
    assert reply.kind == "answer" and reply.entry_id == "pain-and-numbing"
    assert any("will it hurt" in note for note in reply.notes)


@pytest.mark.parametrize(("message", "topic"), [
    ("my new tattoo looks red, is that normal?", "tattoos and tattoo removal"),
    ("does numbing cream work on a new tattoo", "tattoos and tattoo removal"),
    ("Does waxing get less painful over time?", "hair removal, waxing and shaving"),
    # named where a question names its subject, and not "combining it with other procedures (botox...)",
    # whose "it" is micro needling
    ("how long does a botox appointment take", "other cosmetic treatments in general (peels, facials, lasers, botox, fillers)"),
])
def test_a_question_about_another_subject_says_first_that_it_is_not_covered(
        shipped_responder: Responder, message: str, topic: str) -> None:
    """A question about a subject a declined topic names, which no entry speaks of, is not answered; the
    reply names that topic before anything it offers."""
    reply = shipped_responder.reply(message)
    assert reply.kind != "answer" and reply.topic == topic
    assert reply.text.startswith(f"The FAQ I answer from does not cover {topic}")
    assert _closes_as_its_kind(reply.text, str(reply.kind))


def test_greeting_before_a_question_is_skipped(shipped_responder: Responder) -> None:
    """'hi, does it hurt?' answers the question, not the greeting."""
    assert shipped_responder.reply("hi, does it hurt?").entry_id == "pain-and-numbing"


def test_clarify_offers_numbered_suggestions() -> None:
    """Two entries that fit equally well give "did you mean" with both, numbered."""
    faq = parse_faq("""
version: 1
entries:
  - id: cream-before
    question: Which cream before the session?
    alternates: [cream before]
    answer: A.
    source: S
  - id: cream-after
    question: Which cream after the session?
    alternates: [cream after]
    answer: B.
    source: S
""")
    reply = Responder(faq, interactive=True).reply("which cream")
    assert reply.kind == "clarify", reply.notes
    assert set(reply.suggestions) == {"cream-before", "cream-after"}
    assert "  1. " in reply.text and "  2. " in reply.text
    assert "Type a number" in reply.text
    assert ends_with_advice(reply.text)


def test_choose_answers_a_picked_entry(shipped_responder: Responder) -> None:
    """Picking a suggestion by id gives that entry's answer."""
    reply = shipped_responder.choose("aftercare")
    assert (reply.kind, reply.entry_id) == ("answer", "aftercare")


def test_long_message_is_cut_and_the_reply_says_so(shipped_responder: Responder) -> None:
    """A message over the limit is read up to the limit, and the reply says so."""
    reply = shipped_responder.reply("does it hurt " * 10_000)
    assert reply.truncated
    assert len(reply.question) == MAX_QUERY_CHARS
    assert f"{MAX_QUERY_CHARS:,}" in reply.text
    assert ends_with_advice(reply.text)


def test_advice_cannot_be_switched_off_by_the_faq() -> None:
    """Even an FAQ whose answers try to end differently gets the advice last."""
    faq = parse_faq("""
version: 1
entries:
  - id: a
    question: Does it hurt?
    alternates: [pain]
    answer: "No dermatologist needed. \\u001b[2J"
    source: S
""")
    reply = Responder(faq).reply("does it hurt")
    assert ends_with_advice(reply.text)
    assert "\x1b" not in reply.text


def test_to_dict_is_json_ready(shipped_responder: Responder) -> None:
    """The JSON form has the documented fields."""
    data = json.loads(json.dumps(shipped_responder.reply("does it hurt").to_dict()))
    assert {"question", "id", "score", "kind", "suggestions", "text"} <= data.keys()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_every_reply_ends_with_the_advice(shipped_responder: Responder, text: str) -> None:
    """For every input (controls, surrogates, emoji, other scripts), a reply and the advice."""
    reply = shipped_responder.reply(text)
    assert ends_with_advice(reply.text)
    assert _closes_as_its_kind(reply.text, reply.kind)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in reply.text)


def test_signs_the_person_denies_do_not_steer_the_match(shipped_responder: Responder) -> None:
    """'no bleeding or pus, just a bit pink' is about looking pink after a session."""
    reply = shipped_responder.reply("no bleeding or pus, just a bit pink after microneedling, is that normal?")
    assert reply.kind in ("answer", "clarify")
    assert "after-effects" in ((reply.entry_id,) + reply.suggestions)


def test_a_number_alone_matches_nothing(shipped_matcher) -> None:
    """'whats 2+2' shares only a number with the FAQ: no match."""
    assert shipped_matcher.best("whats 2+2") is None


@pytest.mark.parametrize("message", [
    pytest.param("who is the president of france", id="politics"),
    pytest.param("what time is it in tokyo", id="time"),
    pytest.param("explain bitcoin to me", id="bitcoin"),
])
def test_off_topic_questions_sharing_one_word_are_declined(shipped_responder: Responder, message: str) -> None:
    """A question mostly about something else gets "I don't know", not "did you mean"."""
    assert shipped_responder.reply(message).kind == "fallback"


@pytest.mark.parametrize("message, kind, entry_id", [
    pytest.param("what is it?", "answer", "what-is-microneedling", id="what-is-it"),
    pytest.param("what does it feel like?", "answer", "pain-and-numbing", id="what-does-it-feel-like"),
    pytest.param("tell me about it", "clarify", None, id="tell-me-about-it"),
    pytest.param("how do i know if its for me", "clarify", None, id="is-it-for-me"),
])
def test_it_alone_is_the_faqs_subject_but_answered_only_in_an_entrys_own_words(
        shipped_responder: Responder, message: str, kind: str, entry_id: str | None) -> None:
    """A question of common words and "it" asks about micro needling: answered when it is then one
    of an entry's own phrasings, else "did you mean" (never "I only answer questions about micro needling")."""
    reply = shipped_responder.reply(message)
    assert (reply.kind, reply.entry_id) == (kind, entry_id)
    assert "only answer questions about micro needling" not in reply.text


@pytest.mark.parametrize("message, start", [
    pytest.param("thanks", "You're welcome.", id="thanks"),
    pytest.param("ok", "All right.", id="ok-is-not-thanks"),
    pytest.param("source?", "Every answer comes from a curated FAQ written from one article", id="source"),
    pytest.param("i have a question", "Go ahead", id="question"),
])
def test_small_talk_says_what_fits(shipped_responder: Responder, message: str, start: str) -> None:
    """Each kind of small talk gets its own reply: "ok" is not thanked, "source?" is told where answers come from."""
    assert shipped_responder.reply(message).text.startswith(start)


@pytest.mark.parametrize("message", ["/topics", "/why", " /Reload ", "/acne"])
def test_a_session_command_outside_the_session_is_told_so(shipped_responder: Responder, message: str) -> None:
    """A piped line or --jsonl question that is a command's name is told that commands work only in the
    session, not read as a question ("/why" is not "why", "/topics" not an off-topic question)."""
    reply = shipped_responder.reply(message)
    assert reply.kind is ReplyKind.SMALLTALK
    assert reply.text.startswith(f"{message.strip()} looks like a command: commands work only in the interactive session")


@pytest.mark.parametrize("message, start", [
    pytest.param("/help", "I answer questions about micro needling", id="help"),
    pytest.param("/quit", "Goodbye", id="quit"),
    pytest.param("/ my face won't stop bleeding", "Please call your local emergency number", id="warning-sign"),
])
def test_a_command_that_means_the_same_anywhere_is_replied_to_as_such(shipped_responder: Responder, message: str,
                                                                      start: str) -> None:
    """"/help" and "/quit" are help and goodbye outside the session too; a warning sign is never a command."""
    assert shipped_responder.reply(message).text.startswith(start)


def test_in_the_session_a_command_line_reaching_the_responder_is_not_called_a_command(shipped_faq,
                                                                                       shipped_matcher) -> None:
    """The session runs its own commands first; its responder never tells a person they typed one."""
    responder = Responder(shipped_faq, matcher=shipped_matcher, interactive=True)
    assert "looks like a command" not in responder.reply("/why").text


@pytest.mark.parametrize("message", [
    pytest.param("¿qué es el microneedling?", id="spanish"),
    pytest.param("qu'est-ce que le microneedling", id="french"),
    pytest.param("was ist Microneedling", id="german"),
])
def test_a_question_in_another_language_is_read_by_the_words_the_faq_knows(shipped_responder: Responder,
                                                                          message: str) -> None:
    """The function words of five common languages carry no topic, so "what is micro needling" asked in
    one of them is answered or offered (in English), not declined word by word."""
    reply = shipped_responder.reply(message)
    assert "what-is-microneedling" in ((reply.entry_id,) + reply.suggestions)


def test_a_responder_compiles_what_every_reply_tries_when_it_is_built(shipped_faq, shipped_matcher) -> None:
    """The patterns every message meets (small talk, the greeting, denied signs) are compiled by the time a
    Responder exists, so its first reply does not pay for them."""
    from assistant import compose

    for pattern in compose._EVERY_REPLY:
        pattern._compiled = None
    compose._prepare.cache_clear()
    Responder(shipped_faq, matcher=shipped_matcher)
    assert all(pattern._compiled is not None for pattern in compose._EVERY_REPLY)


def test_a_close_call_within_one_topic_is_answered_with_the_others_offered(shipped_responder: Responder) -> None:
    """When "did you mean" would offer only the best entry and related entries of its topic, and the best
    one's phrasing says most of the question, it is answered, and its reply lists those others to ask next."""
    reply = shipped_responder.reply("STRETCH MARKS MICRONEEDLING DOES IT WORK")
    assert reply.kind == "answer" and reply.entry_id == "stretch-marks"
    assert {"stretch-mark-results", "stretch-mark-cream"} <= set(reply.suggestions)
    assert any("within one topic" in note for note in reply.notes)


def test_a_weak_close_call_within_one_topic_still_asks(shipped_responder: Responder) -> None:
    """A close call whose best phrasing says little of the question is still a "did you mean"."""
    reply = shipped_responder.reply("I live pretty far out and the nearest skin clinic is two hours away. I'd love "
                                    "to try microneedling but driving that far isn't realistic for me. Is it "
                                    "something I could do at home instead?")
    assert reply.kind == "clarify"


def test_a_question_about_another_subject_is_not_answered_from_an_entry_that_never_names_it(
        shipped_responder: Responder) -> None:
    """ "How long does a pilates session take?" reads like the session-length entry, but it is about pilates,
    a word that entry never uses: it gets "did you mean" instead of the answer; about a reiki session
    with a shaman, words the FAQ never uses at all and most of the question, it is declined."""
    reply = shipped_responder.reply("How long does a pilates session take?")
    assert reply.kind == "clarify" and reply.suggestions == ("session-length",)
    assert any("'pilates'" in note for note in reply.notes), reply.notes
    reply = shipped_responder.reply("how long does a reiki session with a shaman take")
    assert reply.kind == "fallback"
    assert any("'reiki'" in note for note in reply.notes) and any("FAQ knows" in note for note in reply.notes)
    # A treatment named in -ing is a treatment, not a verb: "does microblading hurt" is about microblading.
    reply = shipped_responder.reply("does microblading hurt")
    assert reply.kind != "answer" and any("'microblading'" in note for note in reply.notes), reply.notes
    # The same question about what the entry speaks of is answered...
    assert shipped_responder.reply("does dermarolling hurt").entry_id == "pain-and-numbing"
    assert shipped_responder.reply("How long does a dermaroller session take?").entry_id == "session-length"
    assert shipped_responder.reply("How long does the appointment take?").entry_id == "session-length"
    assert shipped_responder.reply("Does the numbing cream sting?").entry_id == "pain-and-numbing"
    # ... and the rule never turns a decline into "did you mean".
    assert shipped_responder.reply("what's 17 times 23").kind == "fallback"


def test_a_short_question_after_a_heading_asks_about_the_heading(shipped_responder: Responder) -> None:
    """ "What's the difference?" after a heading asks about what the heading names, as if it said "it":
    the FAQ's collagen and elastin, or two treatments it never speaks of."""
    assert shipped_responder.reply("Collagen vs. Elastin: What's the Difference?").entry_id == "collagen-and-elastin"
    for question in ("Dermaplaning vs Microdermabrasion: What's the Difference?",
                     "Vampire Facial vs. Microneedling: What's the Difference?"):
        assert shipped_responder.reply(question).kind == "fallback", question


def test_a_lead_in_that_reports_the_question_is_not_its_heading(shipped_responder: Responder) -> None:
    """ "Many patients ask:" says who asks, not what about: the question after it is read on its own."""
    assert shipped_responder.reply("Many patients ask: what is microneedling?").entry_id == "what-is-microneedling"
    assert shipped_responder.reply("People often ask: does it hurt?").entry_id == "pain-and-numbing"
    assert shipped_responder.reply("Our clients wonder: is it painful?").entry_id == "pain-and-numbing"


def test_which_points_back_to_the_heading_it_chooses_from(shipped_responder: Responder) -> None:
    """ "Derma Rolling or a Chemical Peel: which one is right for me?" chooses between what its heading
    names, so the heading counts in full: it compares micro needling with another treatment (declined),
    it does not ask whether micro needling suits the asker. "which cream" names its own choice."""
    reply = shipped_responder.reply("Derma Rolling or a Chemical Peel: which one is right for me?")
    assert reply.kind == "fallback", reply
    assert shipped_responder.reply("Stretch Marks: which cream should I use with microneedling?"
                                   ).entry_id == "stretch-mark-cream"


def test_a_headings_tagline_is_not_part_of_the_question(shipped_responder: Responder) -> None:
    """ "The Complete Guide" or "What You Should Know" after a heading's question says what the page
    is, not what is asked; a clause in the asker's own words, or what an "it" points to, still counts."""
    assert shipped_responder.reply("What Is Micro Needling? The Complete Guide").entry_id == "what-is-microneedling"
    assert shipped_responder.reply("How Long Does A Micro Needling Session Take? What You Should Know"
                                   ).entry_id == "session-length"
    assert shipped_responder.reply("Can microneedling help? I have acne scars").entry_id == "acne-scars"
    assert shipped_responder.reply("Is It Effective? — Derma roller For Stretch Marks").entry_id == "stretch-marks"


def test_a_question_that_may_be_about_something_else_is_only_offered_an_entry(shipped_responder: Responder) -> None:
    """A question that neither names micro needling nor points back to it, and asks with a word the FAQ
    has never seen, may be about something else: the entry that shares its words is offered, not
    answered. Naming the subject, a session or one of the FAQ's topics keeps the answer."""
    for question, kind in (("what spf do i need for skiing", "fallback"),  # mostly words the FAQ never uses
                           ("Are hyaluronic acid supplements good for your joints?", "clarify")):
        reply = shipped_responder.reply(question)
        assert reply.kind == kind, question
        assert any("something else" in note for note in reply.notes), reply.notes
    assert shipped_responder.reply("what spf should i use after microneedling").entry_id == "sun-protection"
    assert shipped_responder.reply("do i need spf after my session").entry_id == "sun-protection"
    assert shipped_responder.reply("what spf do i need after needling").entry_id == "sun-protection"


def test_a_short_question_tied_to_nothing_is_not_answered_by_an_entry_that_misses_much_of_it(
        shipped_responder: Responder) -> None:
    """A short question that names neither micro needling nor one of the FAQ's topics, and points back
    to nothing, is answered only by an entry that speaks of nearly all of it: retinol's side effects,
    hyaluronic acid for dry lips or a spray tan share words with an entry about micro needling, which
    never speaks of retinol, lips or tans, so that entry is only offered, saying why. The same entry
    answers the short question it does speak of, and a longer message, which tells its own setting."""
    for question in ("side effects of retinol", "is hyaluronic acid good for dry lips",
                     "how do i get my skin ready for a spray tan"):
        reply = shipped_responder.reply(question)
        assert reply.kind == "clarify", question
        assert any("ties it to the FAQ's subject" in note for note in reply.notes), reply.notes
        assert reply.matches[0].evidence.foreign >= 0.25
    answered = {"do i need sunscreen": "sun-protection", "what spf should i wear every day": "sun-protection",
                "how long does a session take": "session-length", "what are the side effects": "after-effects"}
    for question, entry_id in answered.items():
        reply = shipped_responder.reply(question)
        assert reply.entry_id == entry_id, question
        assert reply.matches[0].evidence.foreign == 0.0


def test_a_question_naming_micro_needling_is_offered_entries_though_the_faq_knows_few_of_its_words(
        shipped_responder: Responder) -> None:
    """A question mostly made of words the FAQ never uses is declined, unless it names micro needling
    itself: then the FAQ's entries are about it, and "did you mean" may offer them."""
    reply = shipped_responder.reply("microneedling for stretch marks on my calves")
    assert reply.kind == "clarify" and reply.suggestions[0] == "stretch-marks", reply
    for question in ("explain bitcoin to me", "how do i get rid of stretch marks on my leather sofa cushions",
                     "which sewing machine needle for denim"):
        assert shipped_responder.reply(question).kind == "fallback", question


def test_two_names_of_micro_needling_compared_ask_what_it_is(shipped_responder: Responder) -> None:
    """ "Is CIT the same as micro needling, or are they different treatments?" compares two names of one
    thing: it asks what micro needling is, not how things differ; two tools compared ("derma roller vs
    derma pen") and micro needling against something else ("vs laser") are not read so."""
    for question in ("Is collagen induction therapy the same thing as micro needling, or two different treatments?",
                     "dermapen vs microneedling: what's the difference", "Are Derma Rolling and Micro-Needling Alike?"):
        assert shipped_responder.reply(question).entry_id == "what-is-microneedling", question
    for question in ("derma roller vs derma pen", "microneedling vs laser"):
        assert shipped_responder.reply(question).entry_id != "what-is-microneedling", question


def test_the_term_asks_what_a_name_means(shipped_responder: Responder) -> None:
    """ "What does the term collagen induction mean?" asks what micro needling is: "the term" is not
    the "long term" of the declined topic on long-term effects."""
    assert shipped_responder.reply("what does the term collagen induction mean").entry_id == "what-is-microneedling"


def test_words_of_need_ask_nothing_of_their_own(shipped_responder: Responder) -> None:
    """ "Required", "needed" and "necessary" say what "need" says: a function word, not a word the FAQ
    does not know, so "which aftercare is required" is not declined as being about something else."""
    assert shipped_responder.reply("which aftercare is required").entry_id == "aftercare"
    assert shipped_responder.reply("is numbing required").entry_id == "pain-and-numbing"


def test_a_question_asking_what_a_thing_is_needs_an_entry_that_says_what_things_are(
        shipped_responder: Responder) -> None:
    """ "What is sunscreen?" is not answered by the entry on sun protection after micro needling, which
    never says what anything is; "what is collagen?" is answered by the entry that does."""
    reply = shipped_responder.reply("What is Sunscreen and How Does it Work?")
    assert reply.kind != "answer"
    assert shipped_responder.reply("so what is collagen anyway").entry_id == "collagen-and-elastin"
    assert shipped_responder.reply("what sunscreen should i use after microneedling").entry_id == "sun-protection"


def test_a_question_about_something_else_that_names_nothing_the_faq_is_set_in_gets_no_answer(
        shipped_responder: Responder) -> None:
    """Elastin in the lungs is not the skin's elastin: a question that may be about something else and
    names nothing most entries speak of (the skin, the treatment) is offered even the entry that is
    not about micro needling itself; about the skin, that entry answers."""
    assert shipped_responder.reply("What does elastin do in the walls of arteries?").kind != "answer"
    assert shipped_responder.reply("what does elastin do for the skin").entry_id == "collagen-and-elastin"
    assert shipped_responder.reply("what is elastin").entry_id == "collagen-and-elastin"


def test_what_it_feels_like_is_not_what_it_does(shipped_responder: Responder) -> None:
    """ "feel" is a word of its own: "what does a derma pen feel like on the face" asks about pain,
    "what does microneedling do to your face" does not, so the second is never answered from
    pain-and-numbing, while the first still is."""
    for question in ("what does microneedling do to your face", "what does a dermaroller actually do to your face"):
        reply = shipped_responder.reply(question)
        assert reply.entry_id != "pain-and-numbing", question
    assert shipped_responder.reply("what does microneedling feel like").entry_id == "pain-and-numbing"


# -- questions of several parts ---------------------------------------------------------------


def test_a_question_of_two_parts_is_answered_by_the_part_an_entry_answers(shipped_responder: Responder) -> None:
    """ "Does microneedling hurt, and how long does it take?" is no single entry's question, but its
    first part is one: it is answered, with the entry for the other part offered first, and /why
    says which part was answered."""
    reply = shipped_responder.reply("Does microneedling hurt, and how long does it take?")

    assert reply.kind == "answer" and reply.entry_id == "pain-and-numbing"
    assert reply.suggestions[0] == "session-length"
    assert any("its part 'does microneedling hurt'" in note for note in reply.notes)
    assert ends_with_advice(reply.text)


def test_a_part_the_faq_does_not_cover_is_named(shipped_faq) -> None:
    """The answer to one part says that the FAQ does not cover what another part asks."""
    responder = Responder(shipped_faq)
    reply = responder.reply("How do I prepare my skin for microneedling, and how much does it cost?")

    assert reply.kind == "answer" and reply.entry_id == "skin-prep"
    assert "You also asked about the cost of micro needling: the FAQ I answer from does not cover it." in reply.text


@pytest.mark.parametrize("question", [
    pytest.param("Does Botox hurt? Do they put numbing cream on first?", id="not-the-faq-subject"),
    pytest.param("Is acupuncture painful? What do the needles feel like?", id="needles-of-another-kind"),
])
def test_the_parts_of_a_question_about_something_else_are_not_answered(shipped_responder: Responder,
                                                                       question: str) -> None:
    """A question that never names micro needling is read whole: its other part says what it is about."""
    assert shipped_responder.reply(question).kind != "answer"


def test_the_other_answer_after_or_is_not_answered_on_its_own(shipped_responder: Responder) -> None:
    """ "does it work or is it just another trend" asks whether it works: "is it just another trend"
    alone ("another name for microneedling"?) is never what is answered."""
    reply = shipped_responder.reply("does microneedling actually work or is it just another tiktok trend??")

    assert reply.entry_id != "what-is-microneedling"


def test_a_part_that_does_not_name_the_subject_is_not_answered_on_its_own(shipped_responder: Responder) -> None:
    """ "can i get away with going to the office" says nothing of micro needling: however sure an entry
    looks for it alone, it is not what the question is answered with."""
    reply = shipped_responder.reply("what does your face look like the day after dermapen? "
                                    "can i get away with going to the office")

    assert reply.entry_id != "where-to-get-it"


def test_weighing_the_parts_leaves_the_session_as_it_was(shipped_faq) -> None:
    """Deciding a part that would be declined does not count as the session's one listing of the topics."""
    responder = Responder(shipped_faq)
    reply = responder.reply("Does microneedling hurt, and how long does it take?")

    assert reply.kind == "answer" and responder.listed_topics is False
    assert "I can tell you about" in responder.reply("what is the capital of france").text
