"""Spotting messages that describe warning signs, so they get no FAQ answer.

A person who writes "my face won't stop bleeding" needs to hear "stop and
get medical care", not an FAQ entry about redness. :func:`triage` reads the
folded text for warning signs (bleeding that does not stop, pus and other
signs of infection, spreading redness, heat or fever, severe or worsening
pain or swelling, an allergic reaction, anything in or near the eyes,
trouble breathing), ignores signs that are negated ("no fever") and plain
questions about what is normal ("is redness normal after micro needling?"
mentions no warning sign at all), and says whether it sounds severe enough
for emergency services.

>>> triage("my face is still bleeding and it won't stop").urgent
True
>>> triage("no bleeding, no pus, just a bit red - is that normal?").urgent
False
>>> triage("I can't breathe properly after the numbing cream").severe
True
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .normalize import fold
from .records import record

__all__ = ["Triage", "triage", "without_denied_signs"]


@record
class Triage:
    """What :func:`triage` found in a message."""

    urgent: bool
    """The message describes a warning sign."""
    severe: bool = False
    """It sounds like an emergency (breathing, throat, spreading infection with fever...)."""
    signs: tuple[str, ...] = ()
    """Names of the warning signs found, for /why and tests."""


_NEGATORS = frozenset("no not never without nothing none zero neither nor".split())
# A sign is negated when one of these words comes shortly before it and no
# "but" or "and" starts a new clause in between.
_CLAUSE_BREAKS = frozenset("but and although though however except yet".split())
# "Can it cause an infection?" asks about a risk; it describes nothing.
_HYPOTHETICAL_PATTERN = (
    r"\b(?:can|could|does|do|will|would|might|may) (?:it|microneedling|micro needling|this|that|you|the treatment)"
    r"(?: ever)? (?:cause|give|lead to|result in|make)\b|\b(?:risk|risks|chance|chances|possible|prevent|avoid)\b"
    r"|\bwhat if\b|\bhow (?:do|can|would) (?:i|you) (?:know|tell|prevent|avoid)\b|\bis it (?:common|normal|possible) to (?:get|have)\b"
)

_FAINTING = "fainting or chest pain"
_NEARLY = frozenset(("nearly", "almost"))
# (name, pattern, severe). Patterns run on folded text: lower-case words,
# contractions expanded ("won't" -> "will not"), no punctuation. They are
# compiled on first use: most messages never get past _TRIGGERS.
_SIGN_PATTERNS: tuple[tuple[str, str, bool], ...] = (
    ("bleeding that does not stop",
     r"\b(?:bleed\w*|blood)\b(?:\s+\w+){0,6}?\s+(?:will not|does not|do not|can not|is not|would not|did not|not)\s+(?:stop|stopping|slow)\w*"
     r"|\b(?:still|keeps?|keep on|non ?stop|constantly|heavily|profusely|lot of|lots of|so much|pouring|gushing)\s+(?:\w+\s+)?(?:bleed\w*|blood)\b"
     r"|\b(?:bleed\w*|blood)\b\s+(?:a lot|heavily|profusely|everywhere|non ?stop|for hours|all night|badly|like crazy)"
     r"|\b(?:can not|could not|unable to|will not|does not|do not|would not|not)\s+(?:\w+\s+)?stop\s+(?:the\s+)?(?:bleed\w*|blood)", False),
    ("signs of infection",
     r"\b(?:pus|puss|oozing|ooze|oozes|abscess\w*|infected|infection|yellow (?:crust|stuff|discharge|fluid)|crusty yellow|discharge|smells bad|foul smell)\b", False),
    ("spreading redness",
     r"\b(?:red\w*|rash|streak\w*)\b(?:\s+\w+){0,4}?\s+(?:is\s+|are\s+|keeps?\s+)?(?:spreading|spread|spreads|growing|getting bigger|expanding)"
     r"|\bspreading (?:red\w*|rash)|\bred streaks?\b", False),
    ("heat or fever",
     r"\b(?:fever\w*|feverish|chills|shivering|shivery|temperature of|high temperature)\b"
     r"|\b(?:hot|warm) to (?:the )?touch\b|\b(?:feels?|feeling|is|so|very|really) (?:really |very |so )?hot\b", False),
    ("severe or worsening pain or swelling",
     r"\b(?:severe|extreme|unbearable|excruciating|intense|agonizing|terrible|horrible|awful|worse|worsening|getting worse|more and more|increasing|throbbing)\b"
     r"(?:\s+\w+){0,5}?\s+(?:pain\w*|swell\w*|swollen|hurt\w*|ache|aching)\b"
     r"|\b(?:pain\w*|swell\w*|swollen|hurt\w*)\b(?:\s+\w+){0,5}?\s+(?:worse|worsening|getting worse|more and more|every day|each day|unbearable|severe|so bad|really bad|spreading|increasing)\b"
     r"|\b(?:more (?:swollen|painful|swelling|pain))\b", False),
    ("allergic reaction",
     r"\b(?:allergic|allergy|anaphyla\w*|hives|welts)\b|\b(?:lips?|tongue|eyelids?|face)\b(?:\s+\w+){0,3}?\s+(?:is |are |started |starting |keep |keeps )?(?:swell\w*|swollen|puff\w* up|blow\w* up)", False),
    ("something near the eyes",
     r"\b(?:eye|eyes|eyeball|eyelid|eyelids|vision|sight)\b(?:\s+\w+){0,6}?\s+(?:hurt\w*|pain\w*|burn\w*|sting\w*|water\w*|blurr\w*|red|swollen|swell\w*|bleed\w*|blood|blind|can not see)"
     r"|\b(?:got|get|gets|went|go|goes|slipped|poked|hit|touched|scratched|splashed|dripped|ran|came|stabbed|nicked|cut|rolled|needled)\b(?:\s+\w+){0,5}?\s+(?:in|into|near|close to|next to|on)\s+(?:my |the |his |her |your |one |an )?(?:eye|eyes|eyeball|eyelid|eyelids)\b"
     r"|\b(?:poked|hit|scratched|stabbed|nicked|cut)\s+(?:my |the |his |her |your |one |an )?(?:eye|eyes|eyeball|eyelid|eyelids)\b"
     r"|\b(?:blurry|blurred|lost)\s+(?:vision|sight)|\bcan not see\b|\bblind\b", False),
    ("trouble breathing",
     r"\b(?:can not|could not|hard to|trouble|difficult\w*|struggl\w*|problem\w*|unable to|short of)\s+(?:\w+\s+)?(?:breath\w*)\b"
     r"|\bthroat\b(?:\s+\w+){0,3}?\s+(?:is |feels |feel |getting |closing|tight|swell\w*|swollen)|\bwheez\w*|\bchoking\b", True),
    (_FAINTING,
     r"\b(?:faint\w*|passed out|pass out|passing out|chest pain|collaps\w*|unconscious)\b", True),
)


@functools.cache
def _signs() -> tuple[tuple[str, re.Pattern[str], bool], ...]:
    return tuple((name, re.compile(pattern), severe) for name, pattern, severe in _SIGN_PATTERNS)


@functools.cache
def _hypothetical() -> re.Pattern[str]:
    return re.compile(_HYPOTHETICAL_PATTERN)


# Every sign pattern needs one of these word stems: most messages have none,
# and one search of this is much cheaper than all the patterns.
_TRIGGERS = re.compile(
    r"\b(?:bleed|blood|puss?\b|ooz|abscess|infect|yellow|crust|discharge|smell|red(?:\b|ness|dish|den)|rash"
    r"|streak|fever|chill|shiver|temperature|hot\b|warm|pain|swell|swollen|hurt|ache\b|aching|throb|allerg"
    r"|anaphyla|hive|welt|eye|vision|sight|see\b|blind|breath|throat|wheez|chok|faint|pass|chest|collaps"
    r"|unconscious)")
# "Is the pain unbearable?", "will it hurt a lot?": asking what to expect. Only
# pain is read this way; a question about pus or bleeding still gets the warning.
_EXPECTATION = re.compile(r"^(?:is|are|will|would|does|do|can|could) (?:the|it|there|microneedling|micro needling|needling)\b")
_PAIN_ONLY = {"severe or worsening pain or swelling"}
# "Red streaks" after bulking up or a growth spurt are new stretch marks, not
# an infection spreading.
_STRETCH_MARKS = re.compile(r"\b(?:stretch ?marks?|striae|bulk\w*|growth spurts?|gain\w* (?:\w+ )?weight|pregnan\w*)\b")
# Signs that, together, point to a spreading infection.
_SEVERE_TOGETHER = {"signs of infection", "heat or fever", "spreading redness"}


def _negated(words: list[str], start_word: int) -> bool:
    """True when a negator stands within four words before the sign, in the same clause."""
    for word in reversed(words[max(0, start_word - 4):start_word]):
        if word in _CLAUSE_BREAKS:
            return False
        if word in _NEGATORS:
            return True
    return False


_DENIED = re.compile(
    r"\b(?:no|without|not any|none of the|zero|never had any)\s+(?:real\s+|actual\s+|bad\s+|major\s+|signs? of\s+)?"
    r"(?:bleeding|blood|swelling|swollen|pus|fever|infection|rash|hives|blisters?|oozing|scabs?|scabbing|peeling)"
    r"(?:\s+(?:or|nor|and)\s+(?:bleeding|blood|swelling|pus|fever|infection|rash|anything|nothing))*\b")


def without_denied_signs(folded: str) -> str:
    """*folded* text without the signs the person says they do not have.

    "no bleeding or pus, just a bit pink" is a question about being pink: the
    denied words must not pull it towards another entry or topic.

    >>> without_denied_signs("no bleeding or anything just a bit pink is that fine")
    'just a bit pink is that fine'
    """
    return " ".join(_DENIED.sub(" ", folded).split())


# Sign words people misspell in a hurry ("bleding", "swolen", "infectd"): a
# word one slip away from one of these is read as it. Only long words, whose
# one-letter neighbours are not other everyday words.
_SIGN_WORDS = frozenset("""
bleeding bleeds blood swelling swollen swells infection infected spreading breathing breathe
allergic allergy oozing throat vision redness fever feverish discharge abscess
""".split())
_SIGN_WORDS_BY_LETTER: dict[str, list[str]] = {}
for _word in sorted(_SIGN_WORDS):
    _SIGN_WORDS_BY_LETTER.setdefault(_word[0], []).append(_word)


@functools.lru_cache(maxsize=4096)
def _sign_word(word: str) -> str:
    """*word*, or the sign word it is a slip away from."""
    if len(word) < 6 or word in _SIGN_WORDS or not word.isalpha():
        return word
    found = process.extractOne(word, _SIGN_WORDS_BY_LETTER.get(word[0], ()), scorer=OSA.distance, score_cutoff=1)
    return found[0] if found is not None else word


def _with_sign_words(folded: str) -> str:
    return " ".join(map(_sign_word, folded.split()))


def triage(text: str) -> Triage:
    """Read *text* for warning signs of a treatment gone wrong."""
    folded = _with_sign_words(fold(text))
    if not folded or not _TRIGGERS.search(folded):
        return Triage(False)
    hypothetical = bool(_hypothetical().search(folded))
    words = folded.split()
    # Character offset of each word start, to turn a match into a word index.
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    found: list[str] = []
    severe = False
    for name, pattern, is_severe in _signs():
        for match in pattern.finditer(folded):
            index = sum(1 for s in starts if s <= match.start()) - 1
            if _negated(words, index):
                continue
            if name == _FAINTING and _NEARLY.intersection(words[max(0, index - 2):index]):
                continue  # "I nearly fainted getting my ears pierced": how a person takes needles, not a sign now
            if match.group(0).startswith("red streak") and _STRETCH_MARKS.search(folded):
                continue
            found.append(name)
            severe = severe or is_severe
            break
    if not found:
        return Triage(False)
    # "Can micro needling cause an infection?" is a question about risk, not a
    # report: answer it as such unless something is described as happening now.
    if hypothetical and not re.search(r"\b(?:my|i am|i have|i got|i think|it is|its|since|after my|now|still|keeps?)\b", folded):
        return Triage(False)
    if _PAIN_ONLY.issuperset(found) and _EXPECTATION.search(folded) and not re.search(r"\b(?:my|i am|i have)\b", folded):
        return Triage(False)
    if len(_SEVERE_TOGETHER.intersection(found)) >= 2:
        severe = True
    return Triage(True, severe, tuple(found))
