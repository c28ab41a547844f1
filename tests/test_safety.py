"""Urgent messages: warning signs get "seek care", ordinary questions do not."""

from __future__ import annotations

import pytest

from assistant import DERMATOLOGIST_ADVICE
from assistant.safety import triage

URGENT = [
    pytest.param("my face is still bleeding hours later and it won't stop", id="bleeding-wont-stop"),
    pytest.param("the bleeding doesnt stop even when I press on it", id="bleeding-no-apostrophe"),
    pytest.param("there's yellow pus coming out of the treated spots", id="pus"),
    pytest.param("I think my cheek is infected, it's oozing", id="infected"),
    pytest.param("the redness is spreading down my neck", id="spreading-redness"),
    pytest.param("red streaks going out from where they needled", id="red-streaks"),
    pytest.param("my face feels hot to the touch and I have a fever", id="fever"),
    pytest.param("the pain is getting worse every day since the session", id="worsening-pain"),
    pytest.param("severe swelling on my whole face after micro needling", id="severe-swelling"),
    pytest.param("i'm having an allergic reaction to the serum, hives everywhere", id="allergic"),
    pytest.param("my lips are swelling up after the numbing cream", id="lips-swelling"),
    pytest.param("the roller slipped and poked my eye", id="eye-poked"),
    pytest.param("some numbing cream got in my eye and it's burning", id="cream-in-eye"),
    pytest.param("my vision is blurry since the session", id="vision"),
    pytest.param("I can't breathe properly and my throat feels tight", id="breathing"),
    pytest.param("bleding wont stop its been an hour", id="misspelt-bleeding"),
    pytest.param("my cheek is swolen and getting worse", id="misspelt-swollen"),
    pytest.param("i think its infectd, theres yellow stuff", id="misspelt-infected"),
]

NOT_URGENT = [
    pytest.param("is redness normal after micro needling?", id="redness-normal"),
    pytest.param("no bleeding or pus, just a bit pink, is that ok", id="negated-signs"),
    pytest.param("I don't have a fever, just a little sensitive", id="negated-fever"),
    pytest.param("does micro needling hurt?", id="pain-question"),
    pytest.param("can micro needling cause an infection?", id="risk-question"),
    pytest.param("how long does a session take", id="ordinary"),
    pytest.param("what should I put on my skin after", id="aftercare"),
    pytest.param("", id="empty"),
    pytest.param("can i microneedle under my eyes", id="eye-area-question"),
    pytest.param("is the pain unbearable?", id="pain-expectation"),
    pytest.param("is it safe to use near the eyes", id="eye-area-safety"),
    pytest.param("my son got red streaks on his shoulders from bulking up, could this help", id="new-stretch-marks"),
    pytest.param("red streaks on my belly since the pregnancy, will needling fade them", id="pregnancy-stretch-marks"),
    pytest.param("I nearly passed out getting my ears pierced, how much will this hurt", id="nearly-fainted-once"),
    pytest.param("i almost fainted at the dentist, do they numb you", id="almost-fainted"),
]


@pytest.mark.parametrize("message", URGENT)
def test_warning_signs_are_urgent(message: str) -> None:
    """A message describing a warning sign is flagged urgent."""
    assert triage(message).urgent, message


@pytest.mark.parametrize("message", NOT_URGENT)
def test_ordinary_and_negated_messages_are_not_urgent(message: str) -> None:
    """Negated signs and plain questions about what is normal are not urgent."""
    assert not triage(message).urgent, message


@pytest.mark.parametrize("message, severe", [
    pytest.param("my throat is closing up and I can't breathe", True, id="breathing-severe"),
    pytest.param("the redness is spreading and I have a fever", True, id="infection-and-fever"),
    pytest.param("it keeps bleeding", False, id="bleeding-not-severe"),
])
def test_severity(message: str, severe: bool) -> None:
    """Breathing trouble and spreading infection with fever point to emergency services."""
    assert triage(message).severe is severe


def test_urgent_reply_has_no_faq_answer(shipped_responder) -> None:
    """The urgent reply names no entry, tells the person to seek care, and still ends with the advice."""
    reply = shipped_responder.reply("my face won't stop bleeding after micro needling")
    assert reply.kind == "urgent"
    assert reply.entry_id is None
    assert "medical" in reply.text and "stop" in reply.text
    assert reply.text.endswith(DERMATOLOGIST_ADVICE)


def test_severe_reply_mentions_emergency_services(shipped_responder) -> None:
    """When it sounds severe, the reply points to emergency services."""
    reply = shipped_responder.reply("I can't breathe after the numbing cream")
    assert reply.kind == "urgent"
    assert "emergency" in reply.text


def test_redness_question_is_answered_not_flagged(shipped_responder) -> None:
    """'Is redness normal after micro needling?' is the after-effects entry."""
    reply = shipped_responder.reply("is redness normal after micro needling?")
    assert (reply.kind, reply.entry_id) == ("answer", "after-effects")
