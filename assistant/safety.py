"""Spotting messages that describe warning signs, so they get no FAQ answer.

A person who writes "my face won't stop bleeding" needs to hear "get medical
care", not an FAQ entry about redness, whatever words they use and wherever
in the message they say it. :func:`triage` reads the whole message, sentence
by sentence, for the :class:`Sign` values below, in any tense and person,
misspelt by a slip, and in Spanish, French, German, Portuguese and Italian
too (a short word list each).

A sign does not count when the person says it is not there ("no bleeding",
"not swollen anymore"), that it is over ("it stopped", "I'm fine now"), long
ago ("as a kid", "years ago"), imagined ("what if I bleed?", "will it
hurt?"), asked about in general ("can it cause an infection?") or heard of
("my friend said her cousin got an infection"). An allergy is a fact about a
person ("I'm allergic to lidocaine"); an allergic reaction is a sign.

Each sign has a :class:`Severity`: a severe sign calls for the emergency
number now, the others for a doctor promptly.

>>> triage("my face is still bleeding and it won't stop").severe
True
>>> triage("no bleeding, no pus, just a bit red - is that normal?").urgent
False
>>> [str(sign) for sign in triage("il y a du pus et j'ai de la fièvre").signs]
['signs of infection', 'fever or chills']
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Self

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .normalize import LazyPattern, fold
from .records import record

__all__ = ["Severity", "Sign", "Triage", "triage", "without_denied_signs"]


class Severity(enum.Enum):
    """How soon a sign needs care."""

    WARNING = "warning"
    """Stop any further treatment and see a doctor promptly."""
    SEVERE = "severe"
    """Call the local emergency number or go to an emergency department now."""


class Sign(enum.StrEnum):
    """A warning sign, as /why names it, with its :class:`Severity`."""

    severity: Severity

    def __new__(cls, label: str, severity: Severity) -> Self:
        sign = str.__new__(cls, label)
        sign._value_ = label
        sign.severity = severity
        return sign

    BLEEDING = "bleeding that will not stop", Severity.SEVERE
    BREATHING = "trouble breathing or swallowing", Severity.SEVERE
    FACE_SWELLING = "swelling of the face, lips, tongue or throat", Severity.SEVERE
    COLLAPSE = "fainting, a seizure, chest pain or sudden confusion", Severity.SEVERE
    EMERGENCY = "a call for emergency help", Severity.SEVERE
    WONT_STOP = "something that will not stop", Severity.WARNING
    INFECTION = "signs of infection", Severity.WARNING
    FEVER = "fever or chills", Severity.WARNING
    HEAT = "skin hot to the touch", Severity.WARNING
    SPREADING = "spreading or worsening redness", Severity.WARNING
    PAIN = "severe or worsening pain, burning or swelling", Severity.WARNING
    BLISTERS = "blisters", Severity.WARNING
    SKIN_COLOUR = "skin turning grey, blue or black", Severity.WARNING
    EYE = "something in or near the eye", Severity.WARNING
    ALLERGY = "an allergic reaction", Severity.WARNING
    DIZZY = "dizziness or a racing heart", Severity.WARNING
    STUCK = "a needle or a piece of one left in the skin", Severity.WARNING


@record
class Triage:
    """What :func:`triage` found in a message."""

    urgent: bool
    """The message describes a warning sign."""
    severe: bool = False
    """One of the signs is severe: the reply leads with the emergency number."""
    signs: tuple[Sign, ...] = ()
    """The warning signs found, in the order of :class:`Sign`."""


# -- word lists -------------------------------------------------------------------
#
# The rules read a sentence folded (lower case, contractions expanded: "won't"
# -> "will not", no punctuation) and without accents ("lèvres" -> "levres"),
# with "," for every clause mark. Each list below is one regex alternation:
# items are separated by spaces, "_" joins the words of a phrase, an item may
# be a small pattern ("sangr\w*"), and "#" starts a comment.


class _Words(str):
    r"""A word list as one regex alternation, with the words a rule made of it needs (a cheap test
    before it runs): the words themselves (the longest of a phrase: "a_temperature" -> "temperature")
    and, for the small patterns, how they start ("sangr\w*" -> "sangr", "keeps?" -> "keep")."""

    words: frozenset[str]
    starts: tuple[str, ...]


def _words(items: str) -> _Words:
    """The whitespace-separated *items* as one alternation, longest first."""
    found = [item for line in items.splitlines() for item in line.split("#", 1)[0].split()]
    alternation = _Words("(?:" + "|".join(item.replace("_", r"\s+")
                                          for item in sorted(found, key=len, reverse=True)) + ")")
    # A phrase needs its longest word: "a_temperature" needs "temperature", not "a".
    keys = [max(reversed(item.split("_")), key=lambda part: len(_start(part))) for item in found]
    alternation.words = frozenset(key for key in keys if key.isalnum())
    alternation.starts = tuple(sorted({_start(key) for key in keys if not key.isalnum()}))
    return alternation


# string.ascii_letters + string.digits, written out: importing string costs every start half a millisecond.
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _start(item: str) -> str:
    """The letters *item* surely starts with: "sangr" of "sangr\\w*", "keep" of "keeps?"."""
    lead = item[:len(item) - len(item.lstrip(_ALNUM))]
    return lead[:-1] if item[len(lead):].startswith("?") else lead


# Bleeding, in any tense.
BLEED = _words(r"""
    bleed bleeds bleeding bleedin bled blood
    sangr\w* sangue sanguin\w*      # Spanish, Portuguese, Italian: sangrar, sangrando, sangre, sanguinare
    saign\w*                        # French: saigner, saigne
    blut blute blutet bluten blutung\w*   # German
""")
# It goes on ("still", "all night", "keeps coming"), besides "won't stop" and "nothing stops it" (GOES_ON).
STILL = _words(r"""
    still keeps? kept continues? continued continuing constantly non_?stop
    hours_later an_hour_later through_the_night soaked soaking soaks through_every
    no_(?:para|paro|deja|dejo)_de sigue sin_parar                   # Spanish
    n_arrete_pas ne_s_arrete_pas arrete_pas sans_arret              # French
    hort_(?:\S+_){0,2}nicht_auf nicht_(?:mehr_)?aufhoren immer_noch noch_immer   # German
    nao_para nao_parou sem_parar continua                            # Portuguese
    non_smette non_si_ferma non_ha_smesso ancora senza_sosta        # Italian
""")
STOP = _words("stop stops stopping stopped quit quitting slow slowing clot clotting ease easing let_up")
HELPS = _words("stops stop stopped helps help helped works worked")
# How long: "for 3 hours", "two hours now", "all morning", "for 40 minutes".
ABOUT = r"(?:over\s+|more\s+than\s+|about\s+|almost\s+|nearly\s+)?"
HOURS = r"(?:\d+|an?|a\s+few|several|two|three|four|five|six|many)"
MINUTES = r"(?:[2-9]\d|\d{3,}|twenty|thirty|forty|fifty|sixty|ninety)"
FOR_HOURS = rf"""(?:
    for\s+{ABOUT}(?:{HOURS}\s+)?(?:hours?|hrs?) | for\s+{ABOUT}{MINUTES}\s+(?:minutes?|mins?)
  | (?:\d+|two|three|four|five|six|several)\s+(?:hours?|hrs?)\s+(?:straight|now|later|and|solid)
  | (?:over|more\s+than)\s+an\s+hour | all\s+(?:night|day|morning|afternoon|evening)
  | since\s+(?:last\s+night|this\s+morning|yesterday|the\s+session|my\s+session|\d+\s*(?:am|pm)?)
)"""
GOES_ON = rf"""(?:
    (?:not|never)\s+(?:\S+\s+){{0,3}}?{STOP}          # won't stop, has not stopped, can't get it to stop
  | nothing\s+(?:\S+\s+){{0,4}}?{HELPS}               # nothing I do stops it
  | (?:does|did|do|is|are)\s+not\s+(?:help|helping|work|working)    # pressing doesn't help
  | through\s+(?:the|a|my|her|his|every|each|two|three|several)\s+\w+   # bleeding through the bandage
  | {STILL} | {FOR_HOURS}
)"""
# How much blood: "heavy bleeding", "bleeding badly", "blood pouring out".
HEAVILY = _words(r"""
    heavy heavily severe severely profuse profusely a_lot so_much too_much lots_of loads_of
    pouring gushing streaming spurting freely badly like_crazy like_a_tap
    mucho mucha muito muita molto beaucoup stark    # Spanish, Portuguese, Italian, French, German
""")

# Breathing and swallowing.
BREATH = _words(r"""
    breath breathe breathing breathin swallow swallowing air
    respirar respirer respirare atmen luft aire ar    # other languages
""")
HARD_TO = _words(r"""
    can_not could_not can_barely could_barely can_hardly could_hardly hardly barely hard_to harder_to
    trouble difficult difficulty difficulties struggling struggle struggled problems? unable_to
    not_able_to short_of shortness_of gasping_for fighting_for
    no_puedo me_cuesta dificultad_para falta_de          # Spanish
    du_mal_a ne_peux_pas peux_pas n_arrive_pas_a arrive_pas_a arrive_plus_a n_arrive_plus_a   # French
    kaum keine kann_nicht schwer                         # German
    nao_consigo dificuldade_para                         # Portuguese
    non_riesco_a fatico_a difficolta_a                   # Italian
""")
BREATH_HARD = _words("difficult hard laboured labored shallow problems? trouble")
THROAT = _words("throat garganta gorge hals gola airway airways")
CLOSING = _words(r"""
    closing close closed closes tight tightening tighter swell\w* swollen narrow\w* thick
    feels_funny feels_weird feels_strange getting_smaller
    cierra cerrando apretada serree serre zu chiusa stretta    # other languages
""")
NOISY_BREATH = _words(r"wheez\w* choking asthma_attack atemnot")

# Swelling, and the parts of the face where it is an emergency by itself.
SWELL = _words(r"""
    swell swells swelling swelled swollen swole puff\w*_up puffing blown_up blew_up blowing_up
    balloon\w* huge massive enormous thick getting_bigger doubled_in_size twice_the_size double_the_size twice_as_big
    hinchad\w* hinchazon hinchando inflamad\w*    # Spanish
    gonfl\w*                                      # French
    schwell\w* schwill\w* geschwollen angeschwollen          # German
    inchad\w* inchand\w* inchaco                  # Portuguese
    gonfi\w*                                      # Italian
""")
SWELL_PART = _words(r"""
    lip lips tongue mouth throat eyelid eyelids eye eyes
    labio labios lengua garganta boca         # Spanish (and Portuguese)
    levre levres langue gorge bouche paupieres   # French
    lippe lippen zunge hals mund augenlider   # German
    lingua labbra labbro gola bocca palpebre  # Portuguese, Italian
""")
# The face as a whole swells after a session; it is an emergency when it swells up, fast, more and more.
FACE = _words("face cara rostro visage gesicht rosto faccia viso")
GROWING = _words(r"""
    up more bigger worse massively very really so badly extremely fast quickly keeps? still huge enormous double
    doubled twice
    muy mucho tres immer sehr muito molto cada_vez    # other languages
""")
# Swelling as it happens: "my face is swelling", "se me hincha la cara" (a state, "swollen", is not enough).
SWELLING_NOW = _words(r"""
    is_swelling are_swelling keeps_swelling kept_swelling started_swelling starting_to_swell started_to_swell
    began_to_swell begun_to_swell is_still_swelling
    se_esta_hinchando se_estan_hinchando se_hincha se_hinchan    # Spanish
    gonfle gonflent se_met_a_gonfler enfle enflent               # French
    schwillt schwellen                                           # German
    esta_inchando estao_inchando                                 # Portuguese
    si_sta_gonfiando sta_gonfiando si_gonfia                     # Italian
""")
# Swollen beyond doubt: "my face has blown up", "twice the size".
SWOLLEN_UP = _words(r"""
    swelling_up swelled_up swollen_up swells_up puff\w*_up blown_up blew_up blowing_up balloon\w*
    doubled_in_size twice_the_size double_the_size twice_as_big
""")
# Fainting, seizures, chest pain, anaphylaxis.
COLLAPSED = _words(r"""
    faint fainted fainting faints passed_out pass_out passing_out blacked_out black_out blacking_out
    collapse collapsed collapsing unconscious unresponsive not_responding will_not_wake_up
    seizure seizures seizing convulsion\w* convulsing jerking_all_over twitching_all_over
    slurred slurring slurred_speech does_not_know_what_day does_not_know_where_(?:she|he|i|they)_(?:is|am|are)
    chest_pain chest_pains heart_attack anaphyla\w* angioedema stridor
    desmay\w* evanoui\w* ohnmacht\w* bewusstlos desmai\w* svenut\w* svenimento    # other languages
""")
CHEST_HURTS = _words("tight tightness hurts hurting painful pain pressure crushing squeezing heavy heaviness")
# Calls for help: the emergency numbers, an ambulance, "this is an emergency", "I need a doctor now".
NUMBER = _words("911 999 112")
AMBULANCE = _words(r"""
    ambulance paramedics emergency_services emergency_room
    ambulancia urgencias krankenwagen rettungswagen notarzt notaufnahme ambulanza pronto_soccorso pronto_socorro samu
""")
EMERGENCY = _words("emergency emergencia urgencia urgence notfall emergenza")
CALL = _words(r"""
    call calling called dial dialing dialling ring phone phoned get need needs
    llamen llama llamad llamar appelez appeler appelle rufen ruft chamem chame chamar chiamate chiama chiamare
""")
IS_AN = _words("is es est ist e having have c_est")    # e: Portuguese é, Italian è
AN = _words("an a una une uma un ein eine a_real a_medical")
EPIPEN = _words("epipen epi_pen")
NOW = _words("now right_now immediately asap urgently straight_away")
# The words the other calls for help are made of.
CALLS = _words("doctor hospital er help hurry epi epipen call send urgent immediate")
ALONE = _words("please now help asap urgent urgently quick")
# Infection.
PUS = _words(r"""
    pus puss purulent abscess\w* cellulitis oozing ooze oozes oozed oozng leaking discharge
    eiter supura\w* suppura\w*    # other languages (pus is pus in most)
""")
GUNK = _words("stuff gunk goo fluid liquid crust crusts crusty crusting bits patches discharge")
YELLOW = _words("yellow yellowish green greenish")
SMELL = _words("smell smells smelling smelt stinks stinking stench odour odor")
BAD = _words("bad off rotten weird awful horrible foul funny gross terrible strange")
SEEMS = _words("is are be looks? looking seems? got gotten getting became become went gone think_it_is")
HAS = _words("have has had got developed developing getting")
# Fever and heat.
FEVER = _words(r"""
    fever fevers feverish chills the_chills shivering shivery shivers high_temperature a_temperature
    temperature_of
    fiebre escalofrios fievre frissons fieber schuttelfrost febre calafrios febbre brividi    # other languages
""")
HOT = _words("hot warm hotter warmer")
TO_TOUCH = _words("to_the_touch to_touch al_tatto al_tacto au_toucher ao_toque")
SKIN = _words("face skin cheek cheeks forehead chin nose neck jaw area spot spots pelle piel peau haut pele")
FEELS = _words("is are feels? felt getting gets est es esta ist e sta")    # and in other languages
HOT_WORD = _words("hot scotta brulante heiss quente")
INFLAMED = _words("swollen swelling red throbbing painful sore inflamed")
# Redness and how it spreads.
RED = _words(r"""
    red redness redder reddish rash streak streaks red_lines erythema hives
    rojo roja rojez enrojecimiento rouge rougeur\w* rot rotung vermelho vermelha vermelhid\w* rosso rossa rossore
    arrossamento    # other languages
""")
SPREADS = _words(r"""
    spreading spread spreads spreaded growing getting_bigger bigger expanding extending creeping moving
    going_up going_down travel\w* worse worsening crept creeps crept_over spread_to moved_to
    extiende extendiendo expande s_etend etend breitet ausbreit\w* espalh\w* allarga\w* diffonde    # other languages
""")
# Pain and burning, and what makes them a warning: how bad, and getting worse.
PAIN = _words(r"""
    pain pains painful hurt hurts hurting ache aches aching burn burns burning burned sting stings stinging
    throb throbs throbbing swell swells swelling swelled swollen
    duele dolor arde quema brule brulure douleur schmerz\w* brennt dor doi queima dolore brucia    # other languages
""")
SORE = _words("sore soreness tender itch itchy itching itches")
# Before the pain: "severe burning", "really bad pain".
INTENSE = _words(r"""
    severe severely extreme extremely unbearable excruciating intense agoni[sz]ing terrible terribly
    horrible horribly awful really_bad so_much very_bad
""")
# After it: "burning really bad", "the pain is unbearable".
INTENSE_AFTER = _words(r"""
    severe unbearable excruciating intense agoni[sz]ing terrible horrible awful really_bad so_bad very_bad
    badly like_crazy like_hell the_worst so_much too_much
""")
WORSE = _words(r"""
    worse worsening getting_worse more_and_more increasing keeps?_increasing keeps?_getting
    more_every_(?:day|hour) more_each_(?:day|hour) worse_every_(?:day|hour)
    not_better not_getting_any_better instead_of_better instead_of_getting_better
    cada_vez_mas empeora\w* de_plus_en_plus pire immer_mehr immer_schlimmer schlimmer cada_vez_mais piora\w*
    sempre_piu peggiora\w*    # other languages
""")
# "Red streaks" after bulking up, a growth spurt or a pregnancy are new stretch marks, not an infection spreading.
STRETCH_MARKS = r"\b(?:stretch\s*marks?|striae|bulk\w*|growth\s+spurts?|gain\w*\s+(?:\w+\s+)?weight|pregnan\w*)\b"
# Blisters, skin changing colour.
BLISTER = _words(r"""
    blister blisters blistering blistered water_bubbles
    ampolla ampollas cloque cloques blasen bolhas vesciche    # other languages
""")
TURNING = _words("turn turned turning turns went gone going goes becoming became")
DARK = _words("grey gray greyish grayish black blackish blue bluish purple dusky mottled")
# The eye: something got in it, it hurts, or sight is blurred.
EYE = _words("eye eyes eyeball eyelid eyelids")
EYE_HURTS = _words(r"""
    hurt\w* pain\w* burn\w* sting\w* water\w* stream\w* blurr\w* red swollen swell\w* bleed\w* blood bloody
    full_of_blood shut
""")
GOT_IN = _words("got get gets went goes came ran dripped splashed")
SLIPPED = _words("slipped poked hit scratched stabbed nicked cut caught rolled needled jabbed")
VISION = _words(r"""
    blurry_vision blurred_vision lost_my_vision lost_vision lost_my_sight vision_is_blurry vision_is_blurred
    sight_is_blurry can_not_see_(?:properly|well|clearly|anything|straight|out_of) seeing_double double_vision
    blind_in went_blind gone_blind going_blind
""")
# An allergic reaction (not an allergy), hives, a rash or itching all over.
ALLERGIC_REACTION = r"allergic\s+reactions?"
REACTION = _words("having had have has got getting developed developing is this_is it_is like")
ITCH_RASH = _words("itch itchy itching itches rash")
ALL_OVER = _words("all_over everywhere like_crazy like_hell unbearable so_bad spreading")
# Dizziness and a racing heart (the numbing cream).
DIZZY = _words(r"""
    dizzy dizziness lightheaded light_headed palpitations racing_heart pounding_heart
    heart_(?:is_|was_|keeps_|has_been_)?(?:racing|pounding|beating_(?:so_)?fast)
    mareado mareada vertige schwindelig vertigini    # other languages
""")


# -- the rules --------------------------------------------------------------------


def _head(words: str) -> str:
    """*words* as the sign itself: a negation right before it ("no bleeding") cancels the sign."""
    return rf"\b(?P<head>{words})\b"


def _then(first: str, second: str, gap: int) -> str:
    """*first*, then *second* at most *gap* words later (a clause mark counts as a word)."""
    return rf"{first}(?:\s+\S+){{0,{gap}}}?\s+\b{second}\b"


def _either(sign: str, qualifier: str, gap: int) -> tuple[str, str]:
    """The *sign* words with the *qualifier* at most *gap* words after them, or before them."""
    return _then(_head(sign), qualifier, gap), rf"\b{_then(qualifier, _head(sign), gap)}"


#: The small patterns of the lists are needed by their first letters ("sang" for "sangr\w*"): a
#: test that may let through a sentence no pattern matches, never one that a pattern would.
_START = 4


@record
class _Needs:
    """Words a pattern needs, a cheap test before it runs: these words, or words that start so."""

    words: frozenset[str]
    """Any of these words, or..."""
    starts: frozenset[str]
    """...a word starting so ("sang" for "sangrando")."""

    def met(self, words: _Text) -> bool:
        """Whether one of *words* may be needed."""
        return not self.words.isdisjoint(words.words) or not self.starts.isdisjoint(words.starts)


def _needs(lists: tuple[_Words, ...]) -> _Needs:
    return _Needs(frozenset().union(*(words.words for words in lists)),
                  frozenset(start[:_START] for words in lists for start in words.starts))


@record
class _Text:
    """The words of a text, and how they start, to test needs against."""

    words: frozenset[str]
    starts: frozenset[str]


def _text(words: list[str]) -> _Text:
    return _Text(frozenset(words), frozenset(word[:_START] for word in words))


@record
class _Rule:
    """The ways one sign is said."""

    sign: Sign
    """The sign these patterns find."""
    needs: _Needs
    """The words one of which every pattern contains: a cheap test before the patterns run."""
    patterns: tuple[LazyPattern, ...]
    """Any of these, not cancelled by what surrounds it, is the sign."""
    mild: bool = False
    """'A bit', 'slightly' in the clause cancel it ("slightly swollen under the eyes")."""
    condition: bool = False
    """It may be how someone is before a session, not a reaction to one ("I have a fever, should I cancel?")."""
    call: bool = False
    """A call for help: never a question about the treatment ("should I call 911?" is a call), but
    conditional wherever "if" stands in its clause ("call an ambulance if it gets worse")."""
    unless: LazyPattern | None = None
    """Words that, in the same part of the sentence, give the sign's words another meaning."""


def _rule(sign: Sign, needs: tuple[_Words, ...], *patterns: str | tuple[str, ...], mild: bool = False,
          condition: bool = False, call: bool = False, unless: str | None = None) -> _Rule:
    flat = [p for group in patterns for p in ((group,) if isinstance(group, str) else group)]
    return _Rule(sign, _needs(needs), tuple(map(_compile, flat)), mild, condition, call,
                 LazyPattern(unless, re.VERBOSE) if unless else None)


def _compile(pattern: str) -> LazyPattern:
    """*pattern*, its leading word boundary made the space before the word.

    The rules read text whose words are separated by single spaces, with one
    before the first word too; a pattern that starts with a plain character
    lets the regex engine skip ahead instead of trying every position (three
    times faster on a sentence).
    """
    return LazyPattern("[ ]" + pattern[2:] if pattern.startswith(r"\b") else pattern, re.VERBOSE)


_RULES: tuple[_Rule, ...] = (
    _rule(Sign.BLEEDING, (BLEED, _words("gushing spurting")),
          # won't stop bleeding; it bled all night and it's still going; bleeding for 3 hours
          _either(BLEED, GOES_ON, 8),
          # it's gushing and I can't make it stop
          _then(_head("gushing|spurting"), GOES_ON, 8),
          # heavy bleeding, bleeding badly, sangrando muito
          _either(BLEED, HEAVILY, 3),
          rf"{_head(BLEED)}\s+(?:is\s+|keeps\s+|just\s+)*(?:coming|pouring|running|dripping)\s+(?:out|down|through)",
          # nothing I try makes the bleeding stop; how do I make it stop bleeding
          rf"\b(?:nothing|can\s+not|could\s+not|unable\s+to)\s+(?:\S+\s+){{0,4}}?{_head(BLEED)}\s+(?:to\s+)?stop",
          rf"\b(?:make|get)\s+it\s+(?:to\s+)?stop\s+{_head(BLEED)}",
          # it's been bleeding since lunch and it just won't quit
          _then(_head(BLEED), rf"(?:it|this|that)\s+(?:just\s+)?(?:will|would|does|is|has)\s+not\s+{STOP}", 20)),
    _rule(Sign.BREATHING, (BREATH, THROAT, NOISY_BREATH),
          # can't breathe, hard to swallow, no puedo respirar; breathing difficult; she's not breathing
          rf"\b{HARD_TO}\s+(?:\S+\s+){{0,2}}?{_head(BREATH)}",
          rf"{_head(BREATH)}\s+(?:is\s+|feels\s+|got\s+|getting\s+)?{BREATH_HARD}\b",
          rf"\b(?:not|stopped)\s+{_head('breathing|breathe')}",
          # my throat feels tight, se me cierra la garganta, tightness in my throat
          _then(_head(THROAT), CLOSING, 4),
          rf"\b(?:tight|tightness\s+in|swelling\s+in|closing)\s+(?:my\s+|her\s+|his\s+|the\s+)?{_head(THROAT)}",
          _head(NOISY_BREATH)),
    _rule(Sign.FACE_SWELLING, (SWELL, SWOLLEN_UP, SWELLING_NOW, _words("shut")),
          # lips swelling up like balloons; swollen tongue; my lips look stung, they're massive
          _then(_head(SWELL_PART), SWELL, 5),
          _then(SWELL, rf"(?:of\s+|in\s+|on\s+|around\s+)?(?:my\s+|her\s+|his\s+|the\s+)?{_head(SWELL_PART)}", 3),
          _then(_head(SWELL_PART), rf"(?:they|it)\s+(?:are|is|looks?|feels?|have|has)\s+(?:\S+\s+){{0,2}}?{SWELL}", 12),
          rf"{_head(EYE)}\s+(?:are\s+|is\s+)?(?:nearly\s+|almost\s+|swollen\s+)?shut",
          # the face as a whole: swelling up, more and more, twice the size; severe swelling on my whole face
          rf"{_head(FACE)}(?:\s+\S+){{0,5}}?\s+(?:{SWOLLEN_UP}"
          rf"|{GROWING}\s+(?:\S+\s+){{0,2}}?{SWELL}|{SWELL}\s+(?:\S+\s+){{0,4}}?{GROWING})\b",
          rf"\b(?:{INTENSE}|{GROWING})\s+{SWELL}\s+(?:\S+\s+){{0,3}}?{_head(FACE)}",
          # swelling as it happens: my face is swelling, mi cara se esta hinchando, se me hincha la cara
          rf"{_head(FACE)}\s+(?:\S+\s+){{0,2}}?{SWELLING_NOW}\b",
          rf"\bse\s+(?:me|le|te|nos)\s+(?:esta\s+)?hinch\w*\s+(?:toda\s+)?(?:la\s+)?{_head(FACE)}",
          mild=True),
    _rule(Sign.COLLAPSE, (COLLAPSED, _words("chest fit arm everything vision sight")),
          _head(COLLAPSED),
          # having a fit, I think it's a fit (not "a fit for my skin", "a fit of the giggles")
          rf"\b(?:its|it\s+is|having|had|has|like)\s+a\s+{_head('fit')}\b(?!\s+(?:for|with|to|of))",
          # my chest is tight and painful, pressure in my chest, a crushing feeling in my chest
          _then(_head("chest"), CHEST_HURTS, 3),
          rf"\b(?:tightness|pain|pressure|heaviness|crushing(?:\s+feeling|\s+pain)?|squeezing(?:\s+feeling)?)\s+in\s+"
          rf"(?:my\s+|her\s+|his\s+|the\s+)?{_head('chest')}",
          rf"\bleft\s+{_head('arm')}\s+(?:\S+\s+){{0,2}}?(?:numb|tingling|tingly|dead)\b",
          # about to faint: everything is going dark, my vision went black
          rf"{_head('everything')}\s+(?:is\s+|keeps\s+)?(?:going|turning|goes|getting)\s+(?:dark|black|grey|gray)\b",
          rf"{_head('vision|sight')}\s+(?:is\s+|keeps\s+)?(?:going|went|turning|turned|goes|getting)\s+"
          rf"(?:dark|black|grey|gray)\b"),
    _rule(Sign.EMERGENCY, (NUMBER, AMBULANCE, EMERGENCY, CALLS),
          # call an ambulance, llamen a una ambulancia; dial 999, appelez le 112
          _head(AMBULANCE),
          rf"\b{CALL}\s+(?:\S+\s+){{0,2}}?{_head(NUMBER + '|' + EMERGENCY)}",
          # a number or "emergency" as a clause of its own ("911", "112 please", "Notfall!"), or before a person
          rf"(?:^|,)\s*(?:{ALONE}\s+)*{_head(NUMBER + '|' + EMERGENCY)}(?:\s+{ALONE})*\s*(?:,|$)",
          rf"^\s*{_head(NUMBER)}\s+(?:my|her|his|our|i|she|he|we|someone|somebody)\b",
          # this is an emergency, c'est une urgence, a medical emergency
          rf"\b{IS_AN}\s+(?:{AN}\s+)?{_head(EMERGENCY)}",
          rf"\bmedical\s+{_head(EMERGENCY)}",
          # I need a doctor right now, I need help now, send help, please hurry
          rf"\bneed\s+(?:an?\s+|the\s+|to\s+see\s+a\s+|to\s+go\s+to\s+(?:the\s+|a\s+)?)?"
          rf"{_head('doctor|ambulance|hospital|er')}\s+{NOW}",
          rf"\b(?:need|get\s+me)\s+(?:some\s+)?{_head('help')}\s+{NOW}",
          # get me to a doctor, take me to hospital
          rf"\b(?:get|take|drive|rush)\s+(?:me|her|him|us)\s+to\s+(?:a\s+|the\s+)?{_head('doctor|hospital|er')}",
          rf"\b(?:call\s+for|send|need\s+urgent|need\s+immediate)\s+{_head('help')}",
          rf"\bplease\s+{_head('hurry')}",
          # I had to use my EpiPen
          rf"\b(?:used|using|needed|gave|injected|had\s+to\s+use)\s+(?:my\s+|an\s+|her\s+|his\s+|the\s+)?"
          rf"{_head(EPIPEN)}",
          call=True),
    _rule(Sign.WONT_STOP, (STOP, _words("away nothing")),
          # it won't stop, this will not go away (but not "it won't stop me")
          rf"\b{_head('it|this')}\s+(?:just\s+)?(?:will|would|is)\s+not\s+(?:{STOP}|go\s+away)\b"
          rf"(?!\s+(?:me|us|you|him|her|them)\b)",
          # nothing I do stops it; I can't get it to stop
          rf"{_head('nothing')}\s+(?:i|we|she|he|you)\s+(?:\S+\s+){{0,2}}?{HELPS}\s+(?:it|them)\b",
          rf"\b(?:can\s+not|could\s+not|unable\s+to)\s+{_head('get|make')}\s+it\s+(?:to\s+)?stop"),
    _rule(Sign.INFECTION, (PUS, YELLOW, SMELL, _words("crusty infected infection")),
          # pus, oozing, discharge, Eiter; yellow crust, green gunk; it smells bad, a foul smell
          _head(PUS),
          rf"\b{YELLOW}\s+{_head(GUNK)}",
          rf"{_head('crusty')}\s+{YELLOW}",
          _either(SMELL, BAD, 2),
          # it's infected, I think it got infected, my face might be infected, I have an infection
          rf"\b{SEEMS}\s+(?:\S+\s+){{0,2}}?{_head('infected')}",
          rf"\b{HAS}\s+(?:an?\s+)?(?:\w+\s+)?{_head('infection')}",
          rf"{_head('infection')}\s+(?:is|has)\s+(?:spread\w*|getting)",
          condition=True),
    _rule(Sign.FEVER, (FEVER,),
          _head(FEVER),
          condition=True),
    _rule(Sign.HEAT, (HOT, HOT_WORD),
          # hot to the touch, scotta al tatto; my face is hot, la peau est brûlante; swollen and hot, red hot
          _then(_head(HOT), TO_TOUCH, 1),
          rf"\b{SKIN}\s+(?:{FEELS}\s+){{1,2}}(?:really\s+|very\s+|so\s+|burning\s+)?{_head(HOT_WORD)}",
          rf"{_head('red|burning')}\s+hot\b",
          rf"\b{INFLAMED}\s+(?:and\s+|,\s+)?{_head('hot')}\b",
          rf"{_head('hot')}\s+(?:and\s+|,\s+)?{INFLAMED}\b"),
    _rule(Sign.SPREADING, (RED,),
          # the redness is spreading, spreading redness, red streaks, getting redder and redder
          _then(_head(RED), SPREADS, 5),
          rf"\b(?:spreading|spreads)\s+{_head(RED)}",
          # red streaks; a red line running down my neck (not the red lines a roller leaves)
          rf"{_head('red')}\s+streaks?",
          rf"{_head('red')}\s+lines?\s+(?:\S+\s+)?(?:running|going|spreading|moving|travel\w*|creeping|up|down|towards?)\b",
          rf"{_head('redder')}\s+and\s+redder",
          rf"\bgetting\s+{_head('redder')}",
          mild=True, unless=STRETCH_MARKS),
    _rule(Sign.PAIN, (PAIN, SORE, _words("agony fire")),
          # severe burning, really bad pain, very painful; burning really bad, the pain is unbearable
          rf"\b{INTENSE}\s+(?:\S+\s+){{0,2}}?{_head(PAIN)}",
          rf"\bvery\s+{_head('painful|swollen')}",
          _then(_head(PAIN), INTENSE_AFTER, 4),
          # the burning is getting worse, it stings more and more, ça brûle de plus en plus;
          # the burning after the serum I put on is getting worse
          _either(PAIN + "|" + SORE, WORSE, 8),
          # I'm in agony, my face is on fire
          rf"\bin\s+(?:such\s+|absolute\s+|so\s+much\s+)?{_head('agony')}",
          _then(_head(FACE + "|" + SKIN), r"(?:like\s+it\s+is\s+)?on\s+fire", 3),
          condition=True),
    _rule(Sign.BLISTERS, (BLISTER,),
          _head(BLISTER),
          condition=True),
    _rule(Sign.SKIN_COLOUR, (DARK,),
          # turned grey, going black, my chin looks black, almost black
          rf"\b{_head(TURNING)}\s+(?:\S+\s+){{0,2}}?{DARK}\b",
          rf"\b{_head('looks?|looking')}\s+(?:almost\s+|really\s+|very\s+|kind\s+of\s+)?{DARK}\b",
          rf"\b{_head('almost')}\s+(?:black|blue|grey|gray|purple)\b"),
    _rule(Sign.EYE, (EYE, _words("vision sight see blind blurry blurred seeing double")),
          # my eye is stinging and watering; blood coming out of my eye
          _then(_head(EYE), EYE_HURTS, 3),
          rf"{_head(BLEED)}\s+(?:\S+\s+){{0,3}}?(?:of|in|from)\s+(?:my\s+|the\s+|his\s+|her\s+)?{EYE}\b",
          # cream got in my eye; the pen slipped and went near my eye; it poked my eye
          rf"\b{_head(GOT_IN)}\s+(?:\S+\s+){{0,2}}?(?:in|into)\s+(?:\S+\s+){{0,4}}?{EYE}\b",
          rf"\b{_head(SLIPPED)}\s+(?:\S+\s+){{0,5}}?(?:in|into|onto|near|close\s+to|next\s+to|on)\s+"
          rf"(?:\S+\s+){{0,3}}?{EYE}\b",
          rf"\b{_head(SLIPPED)}\s+(?:my\s+|the\s+|his\s+|her\s+|your\s+|one\s+|an\s+)?{EYE}\b",
          # blurry vision, my vision went blurry, I can't see properly
          _head(VISION),
          rf"{_head('vision|sight|eyesight')}\s+(?:\S+\s+){{0,2}}?(?:blurr\w*|fuzzy|cloudy|double|dim)\b"),
    _rule(Sign.ALLERGY, (_words("allergic hives welts"), ITCH_RASH),
          # I'm having an allergic reaction (not "I'm allergic to"); hives; itchy all over, a rash everywhere
          rf"\b{REACTION}\s+(?:an?\s+)?(?:\w+\s+)?{_head(ALLERGIC_REACTION)}",
          _head("hives|welts"),
          _then(_head(ITCH_RASH), ALL_OVER, 3),
          condition=True),
    _rule(Sign.DIZZY, (DIZZY,),
          _head(DIZZY),
          condition=True),
    _rule(Sign.STUCK, (_words("needle needles tip tips piece pieces bit bits shard fragment splinter"),),
          # the needle broke and a piece is stuck in my skin; a tip snapped off in my cheek (in the skin:
          # a needle broken in the roller is a question about the roller)
          rf"\b{_head('needles?|tips?|pieces?|bits?|shard|fragment|splinter')}\s+(?:\S+\s+){{0,5}}?"
          rf"(?:stuck|lodged|embedded|left|broke\s+off|snapped\s+off)\s+(?:\S+\s+){{0,2}}?"
          rf"(?:in|inside|under)\s+(?:my|her|his|the|their)\s+(?:\S+\s+)?"
          rf"(?:skin|face|cheek|forehead|chin|nose|neck|lip|scalp)"),
)

#: The words some rule needs: most messages have none of them.
_TRIGGERS = _Needs(frozenset().union(*(rule.needs.words for rule in _RULES)),
                   frozenset().union(*(rule.needs.starts for rule in _RULES)))


# -- what cancels a sign ----------------------------------------------------------

# "No bleeding", "not swollen anymore", "keine Blutung": a negation, then at
# most three of these words, then the sign.
_NEGATORS = frozenset("""
no not never without none zero nor neither nothing
sin ningun ninguna sans aucun aucune pas kein keine keinen keiner nicht nao sem non senza nessun nessuna
""".split())
_NEGATION_FILLERS = frozenset("""
any more real actual obvious bad major further much sign signs of sort kind have has had got get a an the
see noticed notice feel feeling really visible longer is am are was were been be being currently too
excessive serious unusual heavy sudden having
tengo hay habe ho tenho tem
""".split())
# A negation does not reach over these: "no idea what I did, but the blood keeps coming".
_CLAUSE_WORDS = frozenset(", but however although though whereas except pero aber".split())
# Contrast words split a sentence into parts read apart: "the swelling went down but now there are blisters".
_CONTRAST = LazyPattern(r"\s(?:but|however|although|though|whereas|except|pero|aber)\s")


def _frame(pattern: str) -> LazyPattern:
    return LazyPattern(pattern, re.VERBOSE)


# Imagined: "if" before the sign ("what if I bleed?", "what should I do if my lips swell").
_CONDITIONAL = _frame(r"\b(?:if|what\s+if|in\s+case|unless|suppose|supposing|hypothetically|falls)\b")
# About the treatment's risks, not a report: "are there any seizure risks", "what does an infected site look like".
_RISK = _frame(r"""\b(?:risks?|chances?|possible|possibility|prevent|avoid|side\s+effects?|complications?
                  |warning\s+signs?|watch\s+for|look\s+out\s+for|what\s+(?:\S+\s+){0,5}?look\s+like)\b""")
# Expected, not happening: "it'll be agony", "I'm worried I'll pass out", "could the needles hit my eye".
_MODAL = _frame(r"""\b(?P<modal>will|would|might|may|could|shall|make|makes|cause|causes|causing|give|gives
                   |lead\s+to|result\s+in|want\s+to)(?:\s+\S+){0,3}\s*$""")
_NEARLY = _frame(r"\b(?:nearly|almost)\s+$")
_GOES_ON_NOW = LazyPattern(rf"\b{STILL}\b")
# Long ago, or how a person always is: "as a kid", "years ago", "I used to faint at blood tests",
# "I faint at needles" (what always sets it off, not what is happening).
_HISTORY = _frame(r"""\b(?:years?\s+ago|months\s+ago|last\s+year|last\s+month|for\s+years|over\s+the\s+years
                     |as\s+a\s+(?:kid|child|teen\w*|baby|little\s+\w+)
                     |when\s+i\s+was\s+(?:\d+|young\w*|little|small|a\s+\w+|in\s+\w+)
                     |growing\s+up|in\s+the\s+past|used\s+to|childhood|always|every\s+time|whenever|usually|tend\s+to
                     |at\s+the\s+sight\s+of|when\s+i\s+see|i\s+(?:always\s+|usually\s+|often\s+|sometimes\s+)?get
                     |i\s+(?:faint|pass\s+out|black\s+out)\s+(?:at|around)\s+(?!the\s+moment\b|(?:the\s+)?clinic\b)
                     |once(?!\s+(?:i|you|he|she|we|they|it|the|my|her|his|that|this|a|an)\b))\b""")
# Before a session, a fever or hives may be how someone is, not a reaction: "I have a fever, should I
# cancel my session?", "I get hives from cats, can I still do it?"; unless the session is behind them.
_BEFORE_SESSION = _frame(r"""\b(?:cancel|reschedule|postpone|push\s+back|move\s+my|can\s+i\s+still|should\s+i\s+still
                            |is\s+it\s+(?:still\s+)?(?:safe|ok|okay)\s+to
                            |before\s+(?:my|the|a)\s+(?:session|appointment|treatment))\b""")
_AFTER_SESSION = _frame(r"""\b(?:since|after|post)\s+(?:my\s+|the\s+|her\s+|his\s+|a\s+|this\s+)?
                           (?:session|appointment|treatment|microneedling|needling|procedure|facial)\b""")
# Over now: "it stopped", "I'm fine now", "antibiotics cleared it", "il gonfiore è sparito".
# Said of "it", "she" or nothing else ("it stopped", "but stopped quickly"): "the numbing cream has faded" or "I
# stopped the treatment" say nothing of the sign.
_RESOLVED = _frame(r"""(?:^\s*|\b(?:it|that|this|which|she|he|they|i|everything|all|and|then)\s+(?:\S+\s+){0,3}?)
    (?P<over>(?:am|is|are|feel|feels|totally|completely|all|perfectly)\s+(?:totally\s+|completely\s+)?fine
    |fine\s+now|better\s+now|gone\s+now|all\s+good|went\s+away|gone\s+away|went\s+down|gone\s+down
    |calmed\s+down|settled|cleared|healed|faded|disappeared|resolved|stopped|went\s+fine|back\s+to\s+normal
    |sparito|sparita|desaparecio|disparu|plus\s+rien|tout\s+va\s+bien|weg|verschwunden|sumiu|passou|passato)\b
    (?!\s+(?:the|my|your|her|his|their|using|\w+ing)\b)""")
# Heard of or seen elsewhere: "my friend said her cousin got an infection", "a video with blood everywhere"...
# Or it happened to someone else, once: "my cousin fainted during hers".
_HEARSAY = _frame(r"""\b(?:said|says|told|heard|apparently|read\s+(?:that|about|somewhere)|saw\s+(?:a|an|this|some)
                     |watched|video|videos|tiktok|youtube|instagram|reddit|article|documentary|movie|film|forum
                     |friends?|cousins?|colleagues?|coworkers?|neighbou?rs?|someone|somebody|people|aunt|uncle
                     |a\s+(?:girl|guy|woman|lady|man))\b""")
# ...unless it is going on: "my friend says her face won't stop bleeding", "my friend's lips are swelling".
_GOING_ON = _frame(r"""\b(?:now|still|currently|right\s+now|keeps?|will\s+not|can\s+not
                      |what\s+(?:do|should)\s+(?:i|we)\s+do
                      |(?:is|are|am)\s+(?:\w+ing|not|so|very|really|still))\b""")
# "A bit", "slightly": mild, and expected after a session.
_MILD = _frame(r"""\b(?:slightly|slight|a\s+bit|bit\s+of|a\s+little|little\s+bit|mild|mildly|tiny|minor|a\s+touch
                  |somewhat|kind\s+of|sort\s+of|some|un\s+poco|un\s+peu|etwas|ein\s+bisschen|leicht|um\s+pouco
                  |un\s+po)\b""")
# A question about the treatment in general ("can it cause an infection?", "do people have allergic reactions?")...
_QUESTION = _frame(r"""^(?:can|could|does|do|did|will|would|should|might|may|is|are|has|have|how|what|why|which|who
                      |where|when|any|est\s+ce\s+que|pode|puede|peut)\b(?!\s+not\b)""")
# ...unless it describes someone: "is it normal that my face is still bleeding?", "are these blisters normal?"
# "why won't it stop bleeding?", "should I be worried that the redness is spreading?"
_REPORT = _frame(r"""\b(?:my|mine|our|her|his|their|this|these|i\s+am|i\s+have|i\s+had|i\s+got|i\s+think|i\s+feel
                    |she\s+is|he\s+is|they\s+are|still|now|since|already|currently|today|tonight|yesterday
                    |last\s+night|this\s+morning|keeps?|kept|started|starting|hours?|minutes|client|patient
                    |(?:will|would|can|could|does|is|are|has|have)\s+not
                    |(?:is|are|am)\s+(?:still\s+)?(?:bleeding|swelling|spreading|oozing|leaking|burning|throbbing
                        |stinging|getting|growing|turning|blistering|closing|puffing|dripping|pouring|coming))\b""")

# Words that look like a sign but name something else: a cold sore, hay fever,
# a blood test, the emergency kit a clinic keeps, a pain threshold.
_OTHER_MEANINGS = _frame(r"""\b(?:
    (?:fever|cold\s+sores?|sunburn|sun|friction|shoes?|foot|feet|heels?)\s+blisters? | hay\s+fever | cold\s+sores?
  | blood\s+(?:tests?|thinners?|thinning|pressure|type|sugar|work|donations?|draws?|results?|vessels?)
  | emergency\s+(?:kit|kits|contact|contacts|plan|procedures?|protocol|cover|appointment)
  | pain\s+(?:threshold|tolerance|relief|relievers?|killers?|free)
  | breathing\s+(?:exercises?|techniques?) | eye\s+(?:cream|creams|area|bags|serum|contour)
  | hot\s+(?:shower|showers|bath|yoga|weather|water|tub|drink|tea|towel) | red\s+light
)\b""")


def _clause(part: str, at: int) -> tuple[int, int]:
    """Start and end of the clause of *part* around position *at*."""
    end = part.find(",", at)
    return part.rfind(",", 0, at) + 1, end if end >= 0 else len(part)


def _negated(before: list[str]) -> bool:
    """Whether the words *before* a sign end with a negation of it: "I am not bleeding", "no more
    swelling", "no swelling or pus" (a negation carries over "or" to the next sign)."""
    words = before[::-1][:8]
    for index, word in enumerate(words):
        if word in _NEGATORS:
            return True
        if word in ("or", "nor"):
            return not _NEGATORS.isdisjoint(words[index + 1:index + 6])
        if index == 3 or word in _CLAUSE_WORDS or word not in _NEGATION_FILLERS:
            return False
    return False


def _expected(before: str, sign: str) -> bool:
    """Whether a modal just *before* the *sign* makes it expected, not happening: "it'll hurt", but not
    "it won't stop", "I might be having a reaction" (a guess at what is happening) or "how long will my
    lips keep swelling" (it goes on)."""
    found = _MODAL.search(before)
    if found is None or _GOES_ON_NOW.search(sign):
        return False
    after = f"{before[found.end('modal'):]} {sign}".split()
    return after[0] not in ("not", "never") and not (found.group("modal") in ("might", "may") and after[0] == "be")


def _over(text: str) -> bool:
    """Whether *text* says something is over ("it stopped"), not that it is not ("it has not stopped")."""
    return any(not _negated(text[:found.start("over")].split()[-2:]) for found in _RESOLVED.finditer(text))


def _counts(rule: _Rule, part: str, match: re.Match[str]) -> bool:
    """Whether a *match* of *rule* in *part* describes the sign, rather than denying, imagining or recalling it."""
    head = match.start("head") if "head" in match.re.groupindex and match.group("head") else match.start()
    start, end = _clause(part, head)
    clause = part[start:end]
    if not rule.call and _QUESTION.match(clause.strip()) and not _REPORT.search(part):
        return False
    if _negated(part[:match.start()].split()) or _NEARLY.search(part[:head]):
        return False
    if _CONDITIONAL.search(part, start, end if rule.call else head) or _RISK.search(clause):
        return False
    if _expected(part[start:match.start()], match.group()) or _HISTORY.search(clause):
        return False
    if _HEARSAY.search(part, start, head) and not _GOING_ON.search(part):
        return False
    if rule.mild and _MILD.search(clause):
        return False
    if rule.unless is not None and rule.unless.search(part):
        return False
    if rule.condition and _BEFORE_SESSION.search(part) and not _AFTER_SESSION.search(part):
        return False
    if _denied_within(match):
        return False
    return not _over(part[match.end():])


def _denied_within(match: re.Match[str]) -> bool:
    """Whether a negation inside *match* denies the sign: "my lips are not swollen" still matches
    without its "not", "it will not stop bleeding" does not (there the "not" is the sign), and a
    "not" before "stop" says something goes on ("my eye won't stop watering")."""
    words = match.group().split()
    if _NEGATORS.isdisjoint(words):
        return False
    kept = [word for index, word in enumerate(words)
            if word not in _NEGATORS or not STOP.words.isdisjoint(words[index + 1:index + 4])]
    return len(kept) < len(words) and match.re.search(" " + " ".join(kept)) is not None


def _found(rule: _Rule, part: str) -> bool:
    """Whether *rule* finds its sign in *part* (one sentence, or the part of one between contrast words)."""
    return any(_counts(rule, part, match) for pattern in rule.patterns for match in pattern.finditer(part))


def _signs(sentence: str) -> list[Sign]:
    """The signs in one sentence as the rules read it."""
    parts = [" " + part.strip(" ,") for part in _CONTRAST.split(f" {_OTHER_MEANINGS.sub(' ', sentence)} ")]
    found: list[Sign] = []
    for index, part in enumerate(parts):
        words = _text(part.split())
        signs = [rule.sign for rule in _RULES if rule.needs.met(words) and _found(rule, part)]
        # "I bled a bit, but it stopped within a minute": a part that only says it is over cancels the one before.
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if signs and following and _over(following) and not _signs(following):
            continue
        found += [sign for sign in signs if sign not in found]
    return found


# -- reading a message ------------------------------------------------------------

#: A sentence longer than this is read in overlapping windows, so that the
#: cost of a pasted megabyte stays linear and the fold cache stays small.
_WINDOW = 2000
_OVERLAP = 300
_SENTENCE_END = LazyPattern(r"[.!?;\n\r\u2028\u2029\u0085¿¡…]+")
# Clause marks, but not the comma of "1,000".
_CLAUSE_MARKS = LazyPattern(r"(?<!\d),|,(?!\d)|[:()\[\]{}\"“”«»–—]+|\s-+\s")
# French and Italian elisions ("n'arrête", "un'ambulanza") would fold into one word.
_ELISION = LazyPattern(r"\b(?:[cdjlmnst]|qu|un|dell|all|nell|sull|dall)['’](?=\w)", re.IGNORECASE)


def _sentences(text: str) -> Iterator[str]:
    """The raw sentences of *text*, cut into overlapping windows when very long."""
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= _WINDOW:
            yield sentence
        else:
            for start in range(0, len(sentence), _WINDOW - _OVERLAP):
                yield sentence[start:start + _WINDOW]


def _unelided(text: str) -> str:
    """*text* with French and Italian elisions apart: "n'arrête" -> "n arrête", "un'ambulanza" -> "un ambulanza"."""
    if "'" not in text and "\u2019" not in text:
        return text
    return _ELISION.sub(lambda m: m.group()[:-1] + " ", text)


def _plain(text: str) -> str:
    """*text* folded, without accents ("lèvres" -> "levres") and with misspelt sign words put right."""
    folded = fold(text)
    if not folded.isascii():
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return " ".join(map(_sign_word, folded.split()))


def triage(text: str) -> Triage:
    """Read the whole of *text* for warning signs of a treatment gone wrong."""
    if not isinstance(text, str):
        text = str(text)
    if len(text) <= _WINDOW and not _TRIGGERS.met(_text(_plain(_unelided(" ".join(text.split()))).split())):
        return Triage(False)  # most messages: one fold, the one the matcher makes of the same text
    found: set[Sign] = set()
    for sentence in _sentences(text):
        found.update(_sentence_signs(sentence))
    if not found:
        return Triage(False)
    signs = tuple(sign for sign in Sign if sign in found)
    return Triage(True, any(sign.severity is Severity.SEVERE for sign in signs), signs)


@functools.lru_cache(maxsize=1024)
def _sentence_signs(raw: str) -> tuple[Sign, ...]:
    """The signs in one raw sentence (a pasted text repeats many)."""
    sentence = " , ".join(clause for clause in map(_plain, _CLAUSE_MARKS.split(_unelided(raw))) if clause)
    if not _TRIGGERS.met(_text(sentence.split())):
        return ()
    return tuple(_signs(sentence))


# -- misspelt sign words ------------------------------------------------------------

# Sign words people misspell in a hurry ("bleding", "swolen", "brethe", "stpo"):
# a word one slip away from one of these is read as it. Words of six letters
# or more take any one edit; shorter ones only two letters swapped, or one
# letter dropped or doubled, since a changed letter makes another word ("step").
_SIGN_WORDS = frozenset("""
bleeding bleeds bleed blood swelling swollen swells swell infection infected spreading breathing breathe breath
allergic allergy oozing throat vision redness fever feverish abscess burning stop stopping worse
worsening blisters seizure fainted unconscious emergency ambulance painful tongue getting really
""".split())
# Everyday words one slip away from a sign word, which stay themselves.
_REAL_WORDS = frozenset("""
breeding breeds smelling spelling shelling swilling threat threats infested burying stinking breathy stoop
setting
""".split())
_SIGN_WORDS_BY_LETTER: dict[str, tuple[str, ...]] = {
    letter: tuple(sorted(w for w in _SIGN_WORDS if w[0] == letter)) for letter in {w[0] for w in _SIGN_WORDS}}


# Texting shorthand for the words around a sign, besides the contractions fold expands.
_SHORTHAND = {"cnt": "can not", "wnt": "will not", "dnt": "do not", "dosnt": "does not", "doesent": "does not",
              "havnt": "have not", "cudnt": "could not", "stil": "still"}


@functools.lru_cache(maxsize=4096)
def _sign_word(word: str) -> str:
    """*word*, or the sign word it is a slip away from (or the words it is shorthand for)."""
    if word in _SHORTHAND:
        return _SHORTHAND[word]
    if len(word) < 4 or word in _SIGN_WORDS or word in _REAL_WORDS or not word.isalpha():
        return word
    found = process.extractOne(word, _SIGN_WORDS_BY_LETTER.get(word[0], ()), scorer=OSA.distance, score_cutoff=1)
    if found is None:
        return word
    candidate = found[0]
    if min(len(word), len(candidate)) >= 6:
        return candidate
    swapped = len(candidate) == len(word) and sorted(candidate) == sorted(word)
    return candidate if swapped or len(candidate) != len(word) else word


# -- denied signs, for the matcher ----------------------------------------------------

_DENIABLE = _words("""
    bleeding blood swelling swollen pus fever infection rash hives blisters? oozing scabs? scabbing peeling
    burning allergic allergy allergies
""")
# "Nothing weird": no sign at all, said in so many words.
_NOTHING_AMISS = _words("weird unusual strange odd abnormal wrong serious worrying alarming")
_DENIED = LazyPattern(rf"""\b(?:(?:no|not|without|not\s+any|none\s+of\s+the|zero|never\s+had\s+any)
    \s+(?:real\s+|actual\s+|bad\s+|major\s+|signs?\s+of\s+)?{_DENIABLE}(?:\s+to\s+anything)?
    (?:\s+(?:or|nor|and)\s+(?:{_DENIABLE}|anything|nothing))*
    | nothing\s+(?:too\s+|really\s+)?{_NOTHING_AMISS}(?:\s+(?:going\s+on|happening))?)\b""", re.VERBOSE)


#: The patterns every message meets whatever it says (the rules of each sign are compiled when a
#: message has the sign's word): :class:`~assistant.compose.Responder` compiles them when it is built.
EVERY_MESSAGE = (_DENIED,)


def without_denied_signs(folded: str) -> str:
    """*folded* text without the signs the person says they do not have.

    "no bleeding or pus, just a bit pink" is a question about being pink: the
    denied words must not pull it towards another entry or topic.

    >>> without_denied_signs("no bleeding or anything just a bit pink is that fine")
    'just a bit pink is that fine'
    """
    return " ".join(_DENIED.sub(" ", folded).split())
