"""Warning signs: whatever the words and wherever they stand, they get "seek care", and only they do."""

from __future__ import annotations

import io
import json
import time

import pytest
from prompt_toolkit.history import InMemoryHistory

from assistant import DERMATOLOGIST_ADVICE
from assistant.compose import CLOSINGS, URGENT_DERMATOLOGIST_ADVICE
from assistant.normalize import MAX_QUERY_CHARS
from assistant.repl import Repl
from assistant.safety import Severity, Sign, Triage, triage, without_denied_signs
from helpers import run_main, run_repl

#: The first sentence of the reply to a severe sign, and of the reply to any other warning sign.
SEVERE_FIRST = "Please call your local emergency number or go to the nearest emergency department now."
WARNING_FIRST = ("Please stop any further treatment and contact a doctor promptly, today if you can "
                 "(or the clinic, if one did the treatment).")
#: A generous bound for "at once" on a shared machine.
QUICK = 2.0

# -- the signs ------------------------------------------------------------------------

WARNING_SIGNS = [
    # Bleeding that goes on, in any tense and person.
    pytest.param("my face is still bleeding hours later and it won't stop", Sign.BLEEDING, id="bleeding-wont-stop"),
    pytest.param("it bled all night and it's still going", Sign.BLEEDING, id="past-tense-bled"),
    pytest.param("was bleeding since 9pm and it still hasnt stopped", Sign.BLEEDING, id="past-continuous"),
    pytest.param("my daughter's cheek keeps bleeding", Sign.BLEEDING, id="third-person"),
    pytest.param("the client's forehead continues to bleed freely despite compression", Sign.BLEEDING,
                 id="clinic-staff"),
    pytest.param("I can't get it to stop bleeding", Sign.BLEEDING, id="cant-get-it-to-stop"),
    pytest.param("nothing I try makes the bleeding stop", Sign.BLEEDING, id="nothing-makes-it-stop"),
    pytest.param("heavy bleeding from where the pen slipped", Sign.BLEEDING, id="heavy"),
    pytest.param("it's been bleeding for 3 hours straight", Sign.BLEEDING, id="for-hours"),
    pytest.param("I've been bleeding for 40 minutes and pressing doesn't help", Sign.BLEEDING, id="doesnt-help"),
    pytest.param("my cheek has been bleeding since lunch and it just won't quit", Sign.BLEEDING,
                 id="it-wont-quit-later-in-the-sentence"),
    pytest.param("nothing I do stops it", Sign.WONT_STOP, id="nothing-i-do-stops-it"),
    # Breathing, swallowing, the throat.
    pytest.param("I could hardly breathe last night after the session", Sign.BREATHING, id="could-hardly-breathe"),
    pytest.param("she's not breathing properly", Sign.BREATHING, id="not-breathing"),
    pytest.param("my throat is closing up please hurry", Sign.BREATHING, id="throat-closing"),
    pytest.param("tongue feels huge and I can't swallow right", Sign.BREATHING, id="cant-swallow"),
    pytest.param("wheezing and coughing since the numbing cream", Sign.BREATHING, id="wheezing"),
    # Swelling of the face, lips, tongue or eyelids.
    pytest.param("my lips are swelling up after the numbing cream", Sign.FACE_SWELLING, id="lips-swelling"),
    pytest.param("my daughter's face is swelling up", Sign.FACE_SWELLING, id="face-swelling-up"),
    pytest.param("I woke up and my face is twice the size", Sign.FACE_SWELLING, id="twice-the-size"),
    pytest.param("severe swelling on my whole face after micro needling", Sign.FACE_SWELLING, id="severe-swelling"),
    pytest.param("our client's eyes are swelling shut", Sign.FACE_SWELLING, id="eyes-shut"),
    pytest.param("my face is swelling", Sign.FACE_SWELLING, id="face-is-swelling"),
    pytest.param("my whole face started to swell an hour ago", Sign.FACE_SWELLING, id="face-started-to-swell"),
    pytest.param("mi cara se está hinchando", Sign.FACE_SWELLING, id="spanish-face-swelling"),
    pytest.param("se me hincha la cara", Sign.FACE_SWELLING, id="spanish-se-me-hincha"),
    pytest.param("mon visage gonfle", Sign.FACE_SWELLING, id="french-face-swelling"),
    pytest.param("mein Gesicht schwillt an", Sign.FACE_SWELLING, id="german-face-swelling"),
    pytest.param("meu rosto está inchando", Sign.FACE_SWELLING, id="portuguese-face-swelling"),
    pytest.param("la faccia si sta gonfiando", Sign.FACE_SWELLING, id="italian-face-swelling"),
    # Fainting, seizures, chest pain.
    pytest.param("i'm having a seizure", Sign.COLLAPSE, id="seizure"),
    pytest.param("he just had a fit on the sofa, shaking all over", Sign.COLLAPSE, id="had-a-fit"),
    pytest.param("i passed out in the bathroom after rolling", Sign.COLLAPSE, id="passed-out"),
    pytest.param("I blacked out for a few seconds", Sign.COLLAPSE, id="blacked-out"),
    pytest.param("my face is fine but my chest is tight and painful", Sign.COLLAPSE, id="chest-tight"),
    pytest.param("there's a crushing pain in my chest since the session", Sign.COLLAPSE, id="crushing-chest"),
    pytest.param("my left arm has gone numb and tingly", Sign.COLLAPSE, id="left-arm-numb"),
    pytest.param("my son is jerking all over on the floor", Sign.COLLAPSE, id="jerking-all-over"),
    pytest.param("I think she's having a fit", Sign.COLLAPSE, id="having-a-fit"),
    pytest.param("her speech is slurred since the cream went on", Sign.COLLAPSE, id="slurred-speech"),
    pytest.param("dad doesn't know where he is after his treatment", Sign.COLLAPSE, id="confused"),
    pytest.param("everything is going black and i feel sick", Sign.COLLAPSE, id="everything-going-black"),
    pytest.param("I can't get enough air in since the serum", Sign.BREATHING, id="cant-get-air"),
    pytest.param("blood is spurting from my chin and it will not stop", Sign.BLEEDING, id="spurting"),
    pytest.param("it's gushing and nothing makes it stop", Sign.BLEEDING, id="gushing-without-blood"),
    pytest.param("the rash on my jaw has crept over to my ear", Sign.SPREADING, id="crept"),
    pytest.param("a red line is travelling up from the spot on my neck", Sign.SPREADING, id="red-line-travelling"),
    pytest.param("my cheek is warmer to the touch than yesterday", Sign.HEAT, id="warmer-to-the-touch"),
    # Direct calls for help.
    pytest.param("call an ambulance", Sign.EMERGENCY, id="ambulance"),
    pytest.param("911", Sign.EMERGENCY, id="911-alone"),
    pytest.param("999", Sign.EMERGENCY, id="999-alone"),
    pytest.param("112 please", Sign.EMERGENCY, id="112-please"),
    pytest.param("this is an emergency", Sign.EMERGENCY, id="this-is-an-emergency"),
    pytest.param("I need a doctor right now my face is on fire", Sign.EMERGENCY, id="need-a-doctor-now"),
    pytest.param("should I call an ambulance?", Sign.EMERGENCY, id="a-call-asked-as-a-question"),
    # Infection, fever, heat, spreading redness.
    pytest.param("there's yellow pus coming out of the treated spots", Sign.INFECTION, id="pus"),
    pytest.param("there's a bad smell and some green gunk coming out near my nose", Sign.INFECTION, id="gunk"),
    pytest.param("I think it got infected, it's leaking", Sign.INFECTION, id="infected"),
    pytest.param("I've had a fever and chills since my session yesterday", Sign.FEVER, id="fever"),
    pytest.param("skin is hot to the touch and throbbing 3 days after", Sign.HEAT, id="hot-to-the-touch"),
    pytest.param("my face is swollen and hot", Sign.HEAT, id="swollen-and-hot"),
    pytest.param("the redness is spreading down my neck", Sign.SPREADING, id="spreading-redness"),
    pytest.param("red streaks going from my jaw down onto my neck", Sign.SPREADING, id="red-streaks"),
    # Pain and burning: intensity and worsening words.
    pytest.param("my face is burning really bad and getting worse since yesterday's session", Sign.PAIN,
                 id="burning-really-bad"),
    pytest.param("severe burning after microneedling", Sign.PAIN, id="severe-burning"),
    pytest.param("the pain is unbearable", Sign.PAIN, id="unbearable"),
    pytest.param("it stings more and more", Sign.PAIN, id="more-and-more"),
    # The skin itself, the eyes, allergic reactions, dizziness.
    pytest.param("burning and blistering", Sign.BLISTERS, id="blistering"),
    pytest.param("skin turning black", Sign.SKIN_COLOUR, id="skin-turning-black"),
    pytest.param("a patch on my cheek has turned grey and feels numb", Sign.SKIN_COLOUR, id="turned-grey"),
    pytest.param("there is blood coming out of my eye", Sign.EYE, id="blood-from-the-eye"),
    pytest.param("the needle slipped and went into the corner of my eye", Sign.EYE, id="needle-in-the-eye"),
    pytest.param("my vision went blurry after the session", Sign.EYE, id="blurry-vision"),
    pytest.param("i'm having an allergic reaction to the serum", Sign.ALLERGY, id="allergic-reaction"),
    pytest.param("hives are spreading down my arms", Sign.ALLERGY, id="hives"),
    pytest.param("I feel dizzy and my heart is racing after the numbing cream", Sign.DIZZY, id="dizzy"),
    pytest.param("the needle broke and a piece is stuck in my skin", Sign.STUCK, id="needle-stuck"),
    pytest.param("one of the needles snapped off in my cheek", Sign.STUCK, id="needle-snapped-off"),
    pytest.param("my face hurts so much i cant sleep", Sign.PAIN, id="hurts-so-much"),
]

MISSPELT = [
    pytest.param("my fce wont stpo bleding", Sign.BLEEDING, id="stpo-bleding"),
    pytest.param("bleedign wont stop on my chin", Sign.BLEEDING, id="bleedign"),
    pytest.param("bleeding wnt stop", Sign.BLEEDING, id="wnt"),
    pytest.param("cant brethe after the peel", Sign.BREATHING, id="brethe"),
    pytest.param("cnt breathe", Sign.BREATHING, id="cnt"),
    pytest.param("burnign getting wrose and wrose", Sign.PAIN, id="burnign-wrose"),
    pytest.param("its oozng puss and reallly hot", Sign.INFECTION, id="oozng-puss"),
    pytest.param("my cheek is swolen and getting worse", Sign.PAIN, id="swolen"),
]

OTHER_LANGUAGES = [
    pytest.param("mi cara no deja de sangrar", Sign.BLEEDING, id="es-bleeding"),
    pytest.param("no puedo respirar bien", Sign.BREATHING, id="es-breathing"),
    pytest.param("tengo los labios muy hinchados", Sign.FACE_SWELLING, id="es-swelling"),
    pytest.param("es una emergencia, llamen a una ambulancia", Sign.EMERGENCY, id="es-emergency"),
    pytest.param("mon visage n'arrête pas de saigner", Sign.BLEEDING, id="fr-bleeding"),
    pytest.param("je n'arrive pas à respirer", Sign.BREATHING, id="fr-breathing"),
    pytest.param("mes lèvres gonflent de plus en plus", Sign.FACE_SWELLING, id="fr-swelling"),
    pytest.param("c'est une urgence", Sign.EMERGENCY, id="fr-emergency"),
    pytest.param("Mein Gesicht hört nicht auf zu bluten", Sign.BLEEDING, id="de-bleeding"),
    pytest.param("Ich bekomme kaum Luft", Sign.BREATHING, id="de-breathing"),
    pytest.param("Meine Lippen schwellen immer mehr an", Sign.FACE_SWELLING, id="de-swelling"),
    pytest.param("Notfall! Bitte einen Krankenwagen rufen", Sign.EMERGENCY, id="de-emergency"),
    pytest.param("meu rosto não para de sangrar", Sign.BLEEDING, id="pt-bleeding"),
    pytest.param("estou com falta de ar", Sign.BREATHING, id="pt-breathing"),
    pytest.param("meus lábios estão inchando muito", Sign.FACE_SWELLING, id="pt-swelling"),
    pytest.param("é uma emergência", Sign.EMERGENCY, id="pt-emergency"),
    pytest.param("la mia faccia non smette di sanguinare", Sign.BLEEDING, id="it-bleeding"),
    pytest.param("non riesco a respirare", Sign.BREATHING, id="it-breathing"),
    pytest.param("ho le labbra gonfie e peggiorano", Sign.FACE_SWELLING, id="it-swelling"),
    pytest.param("è un'emergenza, chiamate un'ambulanza", Sign.EMERGENCY, id="it-emergency"),
]

#: A frame that cancels a sign must be about that sign: "the bleeding stopped" says nothing of the lips.
STILL_URGENT = [
    pytest.param("my lips are swelling but the bleeding stopped", Sign.FACE_SWELLING, id="another-sign-stopped"),
    pytest.param("my face won't stop bleeding, I already stopped the treatment", Sign.BLEEDING,
                 id="stopped-the-treatment"),
    pytest.param("my lips are swelling up and the numbing cream has faded", Sign.FACE_SWELLING, id="cream-faded"),
    pytest.param("I'm fine now but my lips are still swelling", Sign.FACE_SWELLING, id="fine-before-the-sign"),
    pytest.param("why won't it stop bleeding?", Sign.BLEEDING, id="a-why-question"),
    pytest.param("should I be worried that the redness is spreading?", Sign.SPREADING, id="should-i-be-worried"),
    pytest.param("I think I might be having an allergic reaction", Sign.ALLERGY, id="might-be-having"),
    pytest.param("how long will my lips keep swelling", Sign.FACE_SWELLING, id="will-keep-swelling"),
    pytest.param("my friend is here and her lips are swelling", Sign.FACE_SWELLING, id="a-friend-now"),
    pytest.param("I always follow aftercare but my face won't stop bleeding", Sign.BLEEDING, id="always-but"),
]

NOT_URGENT = [
    pytest.param("it bled a lot and it stopped after a minute", id="bled-then-stopped"),
    pytest.param("is microneedling a good fit for my skin?", id="a-good-fit"),
    pytest.param("I had a fit of the giggles when the numbing cream went on", id="a-fit-of-giggles"),
    pytest.param("the roller left red lines on my cheeks, is that normal?", id="roller-red-lines"),
    pytest.param("everything went dark in the cinema, anyway does micro needling hurt?", id="cinema-went-dark"),
    pytest.param("my arm went numb from sleeping on it, can I still have my session?", id="arm-numb-sleeping"),
    pytest.param("can I let my face air dry after the session?", id="air-dry"),
    pytest.param("my derma roller needle broke, should I replace the roller?", id="needle-broke-in-the-roller"),
    pytest.param("can a needle break off in the skin?", id="needle-break-off-asked"),
    pytest.param("does it hurt so much?", id="hurt-so-much-asked"),
    pytest.param("my face is swelling a little, is that normal?", id="face-swelling-a-little"),
    pytest.param("what if my face is swelling after the session?", id="face-swelling-what-if"),
    pytest.param("my face is swollen", id="face-swollen-a-state"),
    # Planning and general questions that name a sign.
    pytest.param("what if I bleed?", id="what-if-i-bleed"),
    pytest.param("what happens if i bleed a lot during a session?", id="what-happens-if"),
    pytest.param("can it cause an infection?", id="can-it-cause"),
    pytest.param("can a home derma roller give you an infection?", id="general-question"),
    pytest.param("do people ever have allergic reactions to the serums?", id="do-people"),
    pytest.param("if my lips swell from the numbing cream what should I do?", id="if-my-lips-swell"),
    pytest.param("is the pain unbearable?", id="pain-expectation"),
    pytest.param("im terrified it'll be agony", id="it-will-be-agony"),
    pytest.param("I'm worried I'll pass out at the sight of the needles", id="worried-ill-pass-out"),
    pytest.param("will my lips swell up?", id="will-my-lips-swell"),
    pytest.param("could the needles hit my eye if I do the under-eye area?", id="could-the-needles"),
    pytest.param("what emergency number should I have handy, just in case?", id="emergency-number-in-case"),
    pytest.param("Do clinics have to have an emergency kit for allergic reactions?", id="emergency-kit"),
    # An allergy is a fact about a person, not a reaction.
    pytest.param("I'm allergic to nuts, can I still get microneedling?", id="allergic-to-nuts"),
    pytest.param("I'm allergic to lidocaine, can I still get numbing cream?", id="allergic-to-lidocaine"),
    # Long ago, over, or how someone is before a session.
    pytest.param("I had hives as a kid", id="hives-as-a-kid"),
    pytest.param("acne scars from old infected pimples", id="old-infected-pimples"),
    pytest.param("my scars came from spots that got infected years ago", id="years-ago"),
    pytest.param("I used to faint at blood tests as a kid", id="used-to-faint"),
    pytest.param("Does numbing cream work for blood tests? I faint at needles", id="faint-at-needles"),
    pytest.param("I pass out around needles, will I be ok?", id="pass-out-around-needles"),
    pytest.param("I nearly passed out getting my ears pierced, how much will this hurt", id="nearly-fainted"),
    pytest.param("I bled a tiny bit during my session but it stopped within a minute", id="it-stopped"),
    pytest.param("I had a fever last week from the flu but I'm fine now", id="fine-now"),
    pytest.param("I had a fever yesterday, should I cancel my session?", id="before-a-session"),
    pytest.param("I get hives from cats, can I still do it?", id="how-someone-always-is"),
    pytest.param("it bled a lot but stopped", id="but-stopped"),
    pytest.param("swelling's completely settled now, when can i use retinol again", id="settled"),
    # Heard of, seen, happened to someone else once.
    pytest.param("I watched a video with blood everywhere", id="video"),
    pytest.param("my friend said her cousin got an infection at a dodgy salon", id="hearsay"),
    pytest.param("my cousin fainted during hers", id="someone-else-once"),
    # Words that look like a sign and mean something else.
    pytest.param("I have a fever blister", id="fever-blister"),
    pytest.param("I'm on blood thinners, does that rule out microneedling?", id="blood-thinners"),
    pytest.param("any breathing exercises to calm my nerves before the appointment?", id="breathing-exercises"),
    pytest.param("these prices are killing me lol", id="figurative"),
    pytest.param("is that 911 rescue serum ok to use after microneedling?", id="911-in-a-product-name"),
    pytest.param("it cost 1,999 for the pen", id="999-in-a-price"),
    pytest.param("help", id="help-is-the-help-command"),
    pytest.param("can you help me pick between a derma pen and a roller?", id="help-as-a-request"),
    pytest.param("my stretch marks have red streaks from bulking up, could this help", id="stretch-marks"),
    # Mild, expected after a session.
    pytest.param("is redness normal after micro needling?", id="redness-normal"),
    pytest.param("woke up slightly swollen under the eyes, that goes away right?", id="slightly-swollen"),
    pytest.param("my skin is burning a little, normal?", id="burning-a-little"),
    pytest.param("", id="empty"),
]

NEGATION_SCOPE = [
    pytest.param("no bleeding", False, id="no-bleeding"),
    pytest.param("not bleeding anymore", False, id="not-bleeding-anymore"),
    pytest.param("no pus, no bleeding, just looks a bit sunburnt - ok?", False, id="each-denied"),
    pytest.param("no swelling or pus, just pink", False, id="denied-over-or"),
    pytest.param("my lips aren't swollen at all", False, id="denied-after-the-sign"),
    pytest.param("I don't have a fever, just a little sensitive", False, id="dont-have-a-fever"),
    pytest.param("I have no idea why it won't stop bleeding", True, id="no-idea-is-not-about-the-sign"),
    pytest.param("no clue what i did wrong but the blood just keeps coming", True, id="no-clue"),
    pytest.param("No pain at all, but my throat is tight and I'm wheezing", True, id="another-sign-denied"),
    pytest.param("no bleeding anymore but now there's pus and it feels hot", True, id="one-over-one-new"),
    pytest.param("my eye won't stop watering and it hurts", True, id="wont-stop-is-not-a-denial"),
    pytest.param("I'm not breathing properly", True, id="not-breathing-is-the-sign"),
]

SEVERITY = [
    pytest.param("my throat is closing up and I can't breathe", True, id="breathing"),
    pytest.param("my lips are swelling up", True, id="lips"),
    pytest.param("she fainted right after the treatment", True, id="fainting"),
    pytest.param("help i pass out at the clinic", True, id="passing-out-at-the-clinic"),
    pytest.param("I feel faint during the session right now", True, id="faint-right-now"),
    pytest.param("it keeps bleeding and won't stop", True, id="bleeding-that-will-not-stop"),
    pytest.param("call an ambulance", True, id="call-for-help"),
    pytest.param("the redness is spreading and I have a fever", False, id="infection-and-fever"),
    pytest.param("there's pus coming out of my chin", False, id="pus"),
    pytest.param("the pain is getting worse every day", False, id="worsening-pain"),
    pytest.param("some numbing cream got in my eye and it's burning", False, id="eye"),
]


def test_every_sign_has_a_severity_and_the_severe_ones_are_the_emergencies() -> None:
    """Signs are typed values, each with its severity; the severe ones are those the issue names:
    breathing, swelling of the face, lips or throat, fainting or a seizure, bleeding that will not
    stop, a call for help."""
    severe = {sign for sign in Sign if sign.severity is Severity.SEVERE}

    assert all(isinstance(sign.severity, Severity) for sign in Sign)
    assert severe == {Sign.BREATHING, Sign.FACE_SWELLING, Sign.COLLAPSE, Sign.BLEEDING, Sign.EMERGENCY}


@pytest.mark.parametrize("message, sign", WARNING_SIGNS + MISSPELT + OTHER_LANGUAGES)
def test_a_warning_sign_is_found(message: str, sign: Sign) -> None:
    """A message describing a warning sign is urgent, and the sign is the one it describes: in any
    tense and person, misspelt by a slip, with intensity words, as a call for help, in five other
    languages."""
    found = triage(message)

    assert found.urgent, message
    assert sign in found.signs, found.signs


@pytest.mark.parametrize("message, sign", STILL_URGENT)
def test_what_cancels_a_sign_is_about_that_sign(message: str, sign: Sign) -> None:
    """An end, a question word, a modal or a third person elsewhere in the message does not cancel a
    sign it is not about."""
    assert sign in triage(message).signs


@pytest.mark.parametrize("message", NOT_URGENT)
def test_a_message_that_only_names_a_sign_is_not_urgent(message: str) -> None:
    """Planning and general questions, allergies, things long ago or over, hearsay, other meanings
    of a sign's words and mild after-effects are not urgent."""
    assert triage(message) == Triage(False), triage(message)


@pytest.mark.parametrize("message, urgent", NEGATION_SCOPE)
def test_a_negation_cancels_only_the_sign_it_negates(message: str, urgent: bool) -> None:
    """"No bleeding" cancels the bleeding; "no idea" or "no pain" cancel nothing else, and "won't
    stop" or "not breathing" are the sign itself."""
    assert triage(message).urgent is urgent


@pytest.mark.parametrize("message, severe", SEVERITY)
def test_severe_signs_call_for_the_emergency_number(message: str, severe: bool) -> None:
    """The severe signs make the triage severe; infection, fever, pain and the eyes are warnings."""
    found = triage(message)

    assert found.urgent
    assert found.severe is severe
    assert found.severe is any(sign.severity is Severity.SEVERE for sign in found.signs)


# -- the whole message ------------------------------------------------------------

STORY = ("so I bought a roller online after watching a bunch of tutorials, cleaned it with alcohol like they "
         "said, did my whole face, then put on a serum my friend swears by and a sheet mask on top. ") * 12


def test_a_sign_after_the_first_thousand_characters_is_found() -> None:
    """A long story that ends with the warning sign is urgent: triage reads past what the matcher reads."""
    message = STORY + "and now my face won't stop bleeding and there is pus"

    assert len(STORY) > 2 * MAX_QUERY_CHARS
    assert triage(message).signs == (Sign.BLEEDING, Sign.INFECTION)


def test_the_last_line_of_a_five_thousand_line_paste_is_found() -> None:
    """A pasted text of 5,000 lines whose last line is a warning sign is urgent."""
    paste = "\n".join(f"line {n}: my skin looked dull so I read about micro needling" for n in range(5000))

    assert not triage(paste).urgent
    assert triage(paste + "\nmy face won't stop bleeding").severe


def test_a_megabyte_is_read_at_once_wherever_the_sign_is() -> None:
    """A one-megabyte message is read within a safety bound, and a sign in its middle counts."""
    half = "does it hurt " * 40_000
    started = time.monotonic()
    found = triage(half + "my lips are swelling up. " + half)
    elapsed = time.monotonic() - started

    assert elapsed < QUICK, f"{elapsed:.2f} s"
    assert found.signs == (Sign.FACE_SWELLING,)


# -- denied signs, for the matcher -----------------------------------------------------

@pytest.mark.parametrize("folded, rest", [
    pytest.param("no bleeding or pus just a bit pink is that ok", "just a bit pink is that ok", id="denied-pair"),
    pytest.param("no swelling no pain just flaky skin", "no pain just flaky skin", id="pain-is-not-deniable"),
    pytest.param("my face is bleeding", "my face is bleeding", id="nothing-denied"),
    pytest.param("no bleeding no swelling nothing weird just wondering what cream to use now",
                 "just wondering what cream to use now", id="nothing-amiss"),
    pytest.param("my face is not burning or anything just want to know what spf to use",
                 "my face is just want to know what spf to use", id="is-not"),
    pytest.param("not allergic to anything as far as i know what sunscreen do i need",
                 "as far as i know what sunscreen do i need", id="not-allergic"),
    pytest.param("it will not stop bleeding", "it will not stop bleeding", id="not-stop-is-the-sign"),
])
def test_without_denied_signs_leaves_what_the_question_is_about(folded: str, rest: str) -> None:
    """The signs a person says they do not have are left out of the text the matcher reads."""
    assert without_denied_signs(folded) == rest


# -- the reply ---------------------------------------------------------------------------

def test_a_severe_sign_leads_with_the_emergency_number(shipped_responder) -> None:
    """Breathing trouble: the first sentence says to call the emergency number or go to an
    emergency department now; no FAQ answer; the closing advice is to be seen."""
    reply = shipped_responder.reply("I can't breathe after the numbing cream")

    assert (reply.kind, reply.entry_id) == ("urgent", None)
    assert reply.text.startswith(SEVERE_FIRST)
    assert reply.text.endswith(URGENT_DERMATOLOGIST_ADVICE)


def test_another_warning_sign_says_stop_and_see_a_doctor(shipped_responder) -> None:
    """Pus: stop any further treatment and contact a doctor promptly, the clinic only if one did it."""
    reply = shipped_responder.reply("there's pus coming out of my chin")

    assert reply.kind == "urgent"
    assert reply.text.startswith(WARNING_FIRST)
    assert reply.text.endswith(URGENT_DERMATOLOGIST_ADVICE)


@pytest.mark.parametrize("message", [
    pytest.param("my throat is closing up", id="severe"),
    pytest.param("the redness is spreading down my neck", id="warning"),
])
def test_the_urgent_reply_assumes_no_clinic_and_ends_with_the_advice_to_be_seen(shipped_responder,
                                                                               message: str) -> None:
    """Neither reply says "the clinic that treated you" (the person may have needled at home), and
    the last line advises seeing a dermatologist promptly, not "before starting micro needling"."""
    reply = shipped_responder.reply(message)
    last = reply.text.splitlines()[-1]

    assert reply.kind == "urgent"
    assert "clinic that treated you" not in reply.text
    assert "dermatologist" in last and "promptly" in last
    assert "before starting" not in reply.text and not reply.text.endswith(DERMATOLOGIST_ADVICE)


def test_a_question_about_what_is_normal_is_answered_not_flagged(shipped_responder) -> None:
    """'Is redness normal after micro needling?' names no warning sign: the after-effects entry answers it."""
    reply = shipped_responder.reply("is redness normal after micro needling?")

    assert (reply.kind, reply.entry_id) == ("answer", "after-effects")


def test_a_long_urgent_message_is_not_said_to_be_read_in_part(shipped_responder) -> None:
    """The whole message was read for the sign: the urgent reply does not say only the first
    1,000 characters were read, though the question it carries is cut."""
    reply = shipped_responder.reply(STORY + "and now my face won't stop bleeding")

    assert reply.kind == "urgent" and reply.truncated
    assert "characters" not in reply.text


# -- every way in ------------------------------------------------------------------------

@pytest.fixture
def repl(shipped_faq) -> Repl:
    """A session over the shipped FAQ, history in memory, output captured."""
    return Repl(shipped_faq, history=InMemoryHistory(), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("line", [
    pytest.param("911", id="a-number"),
    pytest.param("/ my face won't stop bleeding", id="a-slash"),
    pytest.param("help, it won't stop bleeding", id="help-first"),
])
def test_the_session_triages_a_line_before_numbers_and_commands(repl: Repl, line: str) -> None:
    """In the session, "911" is not a suggestion number and "/ my face won't stop bleeding" is not
    an unknown command: they get the severe reply."""
    repl.handle_line("does it hurt")  # a numbered list of follow-ups to pick from

    assert repl.handle_line(line).startswith(SEVERE_FIRST)
    assert repl.last.kind == "urgent"


def test_numbers_and_commands_still_work(repl: Repl) -> None:
    """Lines without a warning sign are still read as commands and suggestion numbers."""
    repl.handle_line("does it hurt")
    first = repl.choices[0]

    assert repl.handle_line("/help").startswith("Ask anything")
    repl.handle_line("1")
    assert (repl.last.kind, repl.last.entry_id) == ("answer", first)


def test_a_pasted_block_in_the_session_is_read_whole(repl: Repl) -> None:
    """A paste arrives in the session as one line with newlines in it (bracketed paste): the warning
    sign on its last of 5,000 lines counts."""
    paste = "\n".join(["my skin looked dull so I read about micro needling"] * 5000 + ["my lips are swelling up"])

    assert repl.handle_line(paste).startswith(SEVERE_FIRST)


def test_a_bracketed_paste_typed_into_the_session_is_one_urgent_message(repl: Repl) -> None:
    """Through real keys: a terminal's bracketed paste of many lines is one message, and the sign on
    its last line gets the severe reply once."""
    lines = ["my skin looked dull so I read about micro needling"] * 200 + ["my lips are swelling up"]
    keys = "\x1b[200~" + "\n".join(lines) + "\x1b[201~\r"  # paste, Enter (run_repl adds Ctrl-D)
    assert run_repl(repl, keys) == 0

    out = repl.stdout.getvalue()
    assert out.count(SEVERE_FIRST) == 1
    closings = sum(out.count(closing) for closing in CLOSINGS)
    assert closings == 3  # the greeting, the urgent reply and the goodbye: no reply per pasted line


def _run(argv: list[str], stdin: str = "") -> str:
    """What ``main(argv)`` printed, having succeeded."""
    code, out, err = run_main(*argv, stdin=stdin)
    assert code == 0, err
    return out


def test_one_question_on_the_command_line_is_read_whole() -> None:
    """`chat.py "<long story> ... won't stop bleeding"` reads the whole argument."""
    assert SEVERE_FIRST in _run([STORY + "and now my face won't stop bleeding"])


def test_one_json_question_is_read_whole() -> None:
    """`chat.py --json "<long story> ..."` is urgent too."""
    reply = json.loads(_run(["--json", STORY + "my throat is closing"]))

    assert reply["kind"] == "urgent" and reply["truncated"] is True


def test_a_very_long_jsonl_line_is_read_whole() -> None:
    """`chat.py --jsonl`: one line of 200,000 characters, past the raw input limit, whose last words
    are a warning sign, gets the urgent reply."""
    line = "blah " * 40_000 + "my face won't stop bleeding"
    replies = [json.loads(out) for out in _run(["--jsonl"], "does it hurt\n" + line + "\n").splitlines()]

    assert [reply["kind"] for reply in replies] == ["answer", "urgent"]


def test_piped_lines_are_answered_one_by_one_to_the_last() -> None:
    """`chat.py < paste`: each line of a 5,000-line paste is a question of its own, so its last line,
    a warning sign, gets the urgent reply."""
    lines = ["my skin looked dull so I read about micro needling"] * 5000 + ["my face won't stop bleeding"]
    out = _run([], "\n".join(lines) + "\n")

    assert out.count("> ") == len(lines)
    assert out.rstrip().endswith(URGENT_DERMATOLOGIST_ADVICE)
    assert out.count(SEVERE_FIRST) == 1


@pytest.mark.parametrize("at", [1983, 3683, 3983])
def test_a_sign_across_a_reading_window_is_read(at: int) -> None:
    """One long sentence is read in overlapping windows: a sign that a 2,000-character boundary cuts
    after its "not" (at 2,000, the first window's end; 3,700, the second's; 4,000) is whole in another."""
    filler = "and then we drove to my aunt's house and talked about the garden "
    sign = "my face will not stop bleeding "
    text = (filler * 200)[:at] + " " + sign + filler * 20
    assert triage(text).urgent and Sign.BLEEDING in triage(text).signs
