"""Text normalisation: the one place that decides when two texts say the same.

Both sides of a match go through here: the FAQ's phrasings once, when the
matcher is built, and a person's question on every call.

* :func:`fold` is the pure, vocabulary-free part: Unicode, case, apostrophes,
  punctuation, contractions and texting shorthand.
* :func:`stem` makes the forms of a word meet ("scars", "scarring").
* :func:`clauses` cuts a message into the clauses a question is made of, so
  the question itself can weigh more than the story before it.
* :class:`Normalizer` adds what depends on the FAQ: its synonyms (names of the
  same thing) and concepts (ways of asking the same kind of question), whose
  variants are read as their canonical form; spelling correction and words
  typed without spaces (both in :mod:`assistant.spelling`); and turns a text
  into the terms the matcher compares.

>>> fold("  What’s MICRO-needling??  ")
'what is micro needling'
>>> stem("treatments"), stem("scarring"), stem("creams")
('treatment', 'scar', 'cream')
>>> [(c.text, c.asks) for c in clauses("Sounds scary. So, does it hurt?")]
[('sounds scary', False), ('does it hurt', True)]
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

from .records import record
from .spelling import ENGLISH_FROM, Speller, english_words

__all__ = [
    "MAX_QUERY_CHARS",
    "STOPWORDS",
    "STOP_TERMS",
    "Clause",
    "LazyPattern",
    "Normalizer",
    "clauses",
    "clean_text",
    "fold",
    "question_kind",
    "stem",
]

#: Longest question, in characters, that the matcher reads; the rest is
#: ignored (and the reply says so). Long enough for a rambling question,
#: short enough that a pasted megabyte is answered at once. Warning signs are
#: looked for in far more of a message (see :mod:`assistant.safety`).
MAX_QUERY_CHARS = 1000

# -- patterns compiled when first used ------------------------------------------------------------

class LazyPattern:
    """A regular expression compiled on first use, so that importing a module of many stays cheap.

    It answers the methods of :class:`re.Pattern` the package uses.

    >>> LazyPattern(r"\\bhurt\\w*").search("does it hurt?").group()
    'hurt'
    """

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str) -> list:
        return self.compiled().findall(string)

    def sub(self, repl, string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return self.compiled().split(string, maxsplit)


# -- what never reaches a terminal, and what counts as a space -------------------------------------

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# Characters that end a line for str.splitlines() (or separate fields) but are not "\n" or "\t":
# inside a line they separate words, so they count as spaces, never glue the words together.
_LINE_SPACE_CHARS = r"\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029"
_CONTROL_CHARS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_SURROGATE_CHARS = r"\ud800-\udfff"
_LINE_SPACES = re.compile(f"[{_LINE_SPACE_CHARS}]")
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_SURROGATES = re.compile(f"[{_SURROGATE_CHARS}]")
#: Any character the four patterns above act on (an escape starts with \x1b, a control character): most
#: texts have none.
_UNCLEAN = re.compile(f"[{_LINE_SPACE_CHARS}{_CONTROL_CHARS}{_SURROGATE_CHARS}]")


def clean_text(text: str) -> str:
    """Remove what must never reach a terminal raw: ANSI escapes, control
    characters (except newline and tab), bidi overrides and lone surrogates.
    Other line and field separators (``\\r``, vertical tab, form feed, U+0085,
    U+2028, U+2029) become spaces, so the words on either side stay apart.

    >>> clean_text("red\\x1b[31m alert\\x07"), clean_text("does\\rit\\u2028hurt")
    ('red alert', 'does it hurt')
    """
    if _UNCLEAN.search(text) is None:
        return text
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", _LINE_SPACES.sub(" ", text))
    return _SURROGATES.sub("\ufffd", text)


# -- the tables fold reads ---------------------------------------------------------------------

# Contractions people type without the apostrophe ("dont"), spelt out.
# With the apostrophe they are read by _SUFFIX_CONTRACTIONS below.
CONTRACTIONS = {
    "won't": "will not", "wont": "will not", "can't": "can not", "cant": "can not", "cannot": "can not",
    "shan't": "shall not", "ain't": "is not", "aint": "is not", "dont": "do not", "doesnt": "does not",
    "didnt": "did not", "isnt": "is not", "arent": "are not", "wasnt": "was not", "werent": "were not",
    "shouldnt": "should not", "wouldnt": "would not", "couldnt": "could not", "havent": "have not",
    "hasnt": "has not", "whats": "what is", "hows": "how is", "whos": "who is", "wheres": "where is",
    "thats": "that is", "im": "i am", "ive": "i have", "youre": "you are", "theyre": "they are",
}

# Texting shorthand, read as the words it stands for. Only keys that mean one
# thing: "ill" (ill, or I will?), "prob" (probably, or problem?), "min"
# (minute, or minimum?), "def", "cos" and "id" are left as they are.
SHORTHAND = {
    # pronouns and little words
    "u": "you", "ur": "your", "r": "are", "ya": "you", "yu": "you", "yall": "you all", "n": "and", "nd": "and",
    "w": "with", "bt": "but", "da": "the", "dat": "that", "tht": "that", "dis": "this", "abt": "about",
    "bout": "about", "thru": "through", "jus": "just", "urself": "yourself", "urselves": "yourselves",
    "myslf": "myself",
    # question words and verbs
    "wat": "what", "wut": "what", "hw": "how", "wen": "when", "wer": "where", "whr": "where", "y": "why",
    "hv": "have", "shud": "should", "shld": "should", "cud": "could", "cld": "could", "wud": "would",
    "wld": "would", "cn": "can", "wanna": "want to", "gonna": "going to", "gotta": "have to", "lemme": "let me",
    "gimme": "give me", "dunno": "do not know", "idk": "i do not know",
    # because
    "bc": "because", "cuz": "because", "coz": "because", "bcuz": "because", "becuz": "because",
    "becoz": "because", "bcz": "because",
    # time
    "b4": "before", "aftr": "after", "rn": "right now", "tmrw": "tomorrow", "tmr": "tomorrow",
    "tmrow": "tomorrow", "2moro": "tomorrow", "2day": "today", "tonite": "tonight", "mins": "minutes",
    "hr": "hour", "hrs": "hours", "wk": "week", "wks": "weeks", "yr": "year", "yrs": "years",
    # people
    "ppl": "people", "ppls": "people", "peeps": "people", "dr": "doctor", "drs": "doctors", "docs": "doctors",
    # everything else
    "pls": "please", "plz": "please", "thx": "thanks", "ty": "thanks", "tho": "though", "smth": "something",
    "sth": "something", "alot": "a lot", "diff": "difference", "esp": "especially", "probs": "probably",
    "defo": "definitely", "nvm": "never mind", "rly": "really", "rlly": "really", "srsly": "seriously",
    "kinda": "kind of", "sorta": "sort of", "pic": "picture", "pics": "pictures", "ok": "okay", "k": "okay",
    "kk": "okay",
}

_WORDS = CONTRACTIONS | SHORTHAND

# Contractions with an apostrophe: the ending and what it stands for.
_SUFFIX_CONTRACTIONS = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"),
                        ("'m", " am"), ("'d", " would"), ("'s", " is"))
# The heads "won't", "can't", "shan't" and "ain't" leave.
_NOT_HEADS = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}
# Words before which "'s" means "is" ("it's"); elsewhere it is a possessive ("skin's").
_IS_WORDS = frozenset("it that what there here where how who he she which".split())
# Slashed shorthands, read before the slash becomes a space ("w/o" is not "with o").
_SLASHED = re.compile(r"(?<![\w/])(?:(?:w/o|w/out|b/c)(?![\w/])|w/(?!/))")
_SLASHED_WORDS = {"w/o": " without ", "w/out": " without ", "b/c": " because ", "w/": " with "}
# "were" opening a question before one of these is "where" typed short ("were can i get it").
_WHERE_NEXT = frozenset("can do does did is are should could would will to abouts".split())

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u02bc\u2032\u0060\u00b4"})
# ASCII that is not a letter, a digit or an apostrophe becomes a space; "`" an apostrophe.
_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128)
                               if not chr(c).isalnum() and chr(c) not in "'`"} | {"`": "'"})
_NON_WORD = re.compile(r"[^\w']+|_+")


def _unslash(match: re.Match[str]) -> str:
    return _SLASHED_WORDS[match.group()]


#: Texts up to this long (an FAQ phrasing, most questions) are remembered folded by the
#: thousand: the schema, the matcher's vocabulary and its index fold every phrasing of a large
#: FAQ in turn, and remembering a phrasing saves the second and third fold. Longer texts (answers,
#: pasted stories, the reading windows of triage) share a small memory of their own, so neither
#: can grow past a few tens of megabytes whatever is typed.
_SHORT_TEXT = 120


def fold(text: str) -> str:
    """Fold *text* to lower-case words separated by single spaces.

    Unicode NFKC, case folding, one apostrophe, contractions and shorthand
    spelt out, everything that is not a letter or digit turned into a space.

    >>> fold("Can't I use SPF/sunscreen?")
    'can not i use spf sunscreen'
    """
    return _fold_short(text) if len(text) <= _SHORT_TEXT else _fold_long(text)


def _fold(text: str) -> str:
    if text.isascii():  # ASCII is already NFKC and has no surrogates: the common, fast case
        text = text.lower()
        if "/" in text:
            text = _SLASHED.sub(_unslash, text)
        text = text.translate(_ASCII_SPACES)
        if "'" not in text:
            return _joined([_WORDS.get(word, word) for word in text.split()])
    else:
        text = unicodedata.normalize("NFKC", _SURROGATES.sub(" ", text)).casefold().translate(_APOSTROPHES)
        if "/" in text:
            text = _SLASHED.sub(_unslash, text)
    words = []
    for word in _NON_WORD.sub(" ", text).split():
        word = word.strip("'")
        # A contraction spelt out is words of its own, each spelt out too ("u'll" -> "you will").
        for part in _expand(word).split() if "'" in word else (word,) if word else ():
            words.append(_WORDS.get(part, part))
    return _joined(words)


_fold_short = functools.lru_cache(maxsize=1 << 17)(_fold)
_fold_long = functools.lru_cache(maxsize=4096)(_fold)


def _expand(word: str) -> str:
    """A word with an apostrophe, its contraction spelt out ("it's" -> "it is", "skin's" -> "skin")."""
    for suffix, replacement in _SUFFIX_CONTRACTIONS:
        if word.endswith(suffix):
            head = word[: -len(suffix)]
            if suffix == "n't":
                head = _NOT_HEADS.get(head, head)
            if not head:
                return ""
            word = head + (replacement if suffix != "'s" or head in _IS_WORDS else "")
            break
    return word.replace("'", "").strip()


def _joined(words: list[str]) -> str:
    if len(words) > 1 and words[0] == "were" and words[1] in _WHERE_NEXT:
        words[0] = "where"
    return " ".join(words)


# -- stems ---------------------------------------------------------------------------------------

# Words the suffix rules below would mangle, and what they stem to.
_STEM_EXCEPTIONS = {
    # short or irregular words the rules would cut
    "skin": "skin", "this": "this", "has": "has", "was": "was", "is": "is", "its": "it", "does": "do",
    "less": "less", "glass": "glass", "always": "always", "sometimes": "sometime", "during": "during",
    "series": "series", "news": "news", "lotus": "lotus", "virus": "virus", "plus": "plus",
    # -ing words that are not a verb form, or whose verb would be cut wrongly
    "bleeding": "bleed", "needling": "needl", "numbing": "numb", "anything": "anything",
    "something": "something", "nothing": "nothing", "thing": "thing", "things": "thing", "morning": "morning",
    "evening": "evening", "spring": "spring", "string": "string", "bring": "bring", "sing": "sing",
    "king": "king", "dying": "die", "lying": "lie", "tying": "tie", "stretched": "stretch",
    # "scared" is not "scarred": keep fear apart from scars
    "scare": "scare", "scared": "scare", "scares": "scare", "scaring": "scare", "scary": "scare",
}
_VOWELS = frozenset("aeiouy")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip common English suffixes so 'scars', 'scarring' and 'scarred' meet.

    Deliberately light (plurals, -ing, -ed, -ly, -ness): it only has to make a
    word and its forms agree, not produce dictionary words.
    """
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ingly", "edly", "ness", "ing", "ed", "ly"):
        if word.endswith(suffix) and not (suffix == "ed" and word.endswith("eed")):  # "speed", "proceed"
            head = word[: -len(suffix)]
            if len(head) >= 3 and _VOWELS.intersection(head):
                word = head
                if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]  # scarr -> scar, stopp -> stop
                elif suffix in ("ing", "ed") and word.endswith(("at", "iz", "bl", "ur", "ag", "uc")):
                    word += "e"  # irritat -> irritate, reduc -> reduce
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # treat "reduce" and "reduc" alike
    return word


# -- common words --------------------------------------------------------------------------------

#: Words that carry no topic on their own. They still count for the shape of
#: a question ("how long" is not "long"), but they never make a match. This
#: is the matcher's tuning; the FAQ schema keeps its own, fixed list of
#: function words (see :mod:`assistant.schema`), so editing this one can
#: never make a valid FAQ file invalid.
STOPWORDS = frozenset("""
a an the this that these those it its itself i me my mine myself you your yours yourself yourselves we us our
ours ourselves they them their theirs themselves himself herself oneself
he him his she her hers one ones someone anyone anybody something anything thing things stuff
am is are was were be been being do does did doing done have has had having get gets getting got go going
gonna come comes came make give can could will would shall should may might must need needs needed
required require requires necessary
what whats which how whether if as then than so because though however while yet but and or nor
both either each every all any some such same other else own only just also even ever still too very
really pretty quite rather truly totally literally honestly seriously definitely probably basically
actually exactly currently recently lately already anyway anyways anymore around maybe well right etc
about above at by for from in into of off on once out over through to up upon via with within without
no not yes yeah yep yea nah nope ok okay alright oh um uh hmm huh hi hello hey dear guys lol lmao omg omfg
btw tbh ngl imo fr bruh lowkey highkey pls plz please thank thanks sorry
want wanted wants wanna like likely kind kinda sort sorta lot lots bit bunch way more most much many less least fewer
enough almost back away ago now here there
ask asking question questions tell talk talking told said say hear heard know mean means idea info
information look looks looking seem seems seen see saw find found think try trying use
used using keep keeps let
wonder wondering worry worried anxious hesitant apprehensive consider considering curious planning
person people ppl friend friends girl girls guy gal mom mum sister
real sure hype everywhere place gotta ya u im ive dont supposed suppose supposedly
small smaller big bigger huge large larger
""".split()) | (FOREIGN_WORDS := frozenset("""
que qué es el la los las un una uno de del en y o por para con se mi mis lo como cómo cuánto cuanto cuál cual
puedo puede hay después despues antes sobre esto eso está esta
qu est ce le les une des du et ou avec je mon ma mes combien après apres avant peut ça ca
cette quoi quel quelle
ist der das ein eine einer und oder für fur mit ich mein meine wie wann nach vor kann sind
os um uma do da dos das em e para com eu meu minha quanto depois pode é isso isto
che è il gli di dei delle con io mio mia quanto dopo prima può puo cosa questo
""".split()))
# ^ The commonest function words of Spanish, French, German, Portuguese and Italian (those that are
# also English words with a meaning, such as "die", "pour" or "man", left out): a question asked in
# one of them ("¿qué es el microneedling?") is then read by the words the FAQ knows, not held
# against it word by word (replies stay in English).

#: The words of :data:`FOREIGN_WORDS` that are nothing but foreign: "do", "la" or "con" are English too.
_ONLY_FOREIGN = FOREIGN_WORDS - frozenset("do da e o em um ma mon la lo con es se un mi di il io ca est como".split())


def looks_foreign(text: str) -> bool:
    """Whether *text* reads as a sentence in another language: two or more of its words, and at
    least a quarter of them, are function words of Spanish, French, German, Portuguese or Italian.

    >>> looks_foreign("¿Cuánto dura una sesión de microneedling?"), looks_foreign("is it worth it?")
    (True, False)
    """
    words = fold(text).split()
    found = sum(word in _ONLY_FOREIGN for word in words)
    return found >= 2 and 4 * found >= len(words)


#: :data:`STOPWORDS` as the matcher sees them, stemmed ("there" -> "ther").
STOP_TERMS = frozenset(stem(word) for word in STOPWORDS)


# -- clauses -------------------------------------------------------------------------------------

@record
class Clause:
    """One clause of a message, folded."""

    text: str
    """The clause's words, folded, openers such as "so" or "to start" left out."""
    asks: bool
    """It is a question: it ends with "?" or starts with a question word."""


# Where a clause ends: sentence punctuation, a colon or semicolon, a dash
# between words. A comma does not end one ("if I have acne, can I..."), unless a question word
# follows it (see clauses).
_CLAUSE_END = re.compile(r"[?!;:\u2014\u2013\u2015]+|\.(?=\s|$)|\s[-\u2012]{1,2}\s|\n")
# A character every clause end has: most texts have none, and are one clause without a search for ends.
_CLAUSE_MARK = re.compile(r"[?!;:.\n\u2012\u2013\u2014\u2015-]")
# A comma, "but" or "so" before a question word that starts a question ("..., why does that happen?").
_COMMA_QUESTION = re.compile(r"(?:,|\s(?:but|so)\b)\s*(?=(?:why|what|how|when|where|which|who)\b)", re.IGNORECASE)
# Words that open a clause without adding to it ("So, what is it?", "To start, what is it?").
_OPENERS = (("to", "start"), ("to", "begin"), ("first", "of", "all"), ("first", "off"), ("first",),
            ("so",), ("but",), ("and",), ("now",), ("well",), ("okay",), ("also",), ("then",), ("anyway",),
            ("plus",), ("hi",), ("hello",), ("hey",), ("however",), ("still",), ("ultimately",), ("finally",))
# Words that make a clause a question when it starts with them.
_QUESTION_WORDS = frozenset("""
what how why when where who whom whose which can could does do did is are was were am should shall
will would may might has have had any
""".split())


# The words that start a question after "and" or "or" (fewer than _QUESTION_WORDS: "or could" rarely does).
_NEXT_WORD = r"(?=(?:how|what|why|when|where|which|who|is|are|does|do|can|will|would|should)\b)"
#: Where a clause goes on with another question: "and", "also", "plus" or "but" before a question
#: word ("does it hurt and how long does it take").
_NEXT_QUESTION = LazyPattern(rf"\s(?:and|but|also|plus)\s{_NEXT_WORD}")
#: Where a question goes on with its other answer ("does it work or is it hype"): "or" before a question word.
_OTHER_ANSWER = LazyPattern(rf"\sor\s{_NEXT_WORD}")


def question_parts(text: str) -> list[tuple[str, bool]]:
    """The questions *text* asks, each on its own (folded): its asking clauses, each cut where
    "and", "but" or "also" starts another question, or "or" its other answer; each with whether it
    is such an other answer ("does it work or is it hype": "is it hype"). Only parts that are
    whole questions count (a question word and more: not "serum?").

    >>> question_parts("Does microneedling hurt, and how long does it take? Serum? Or is it hype?")
    [('does microneedling hurt', False), ('how long does it take', False)]
    >>> question_parts("does it work or is it hype")
    [('does it work', False), ('is it hype', True)]
    """
    parts = []
    for clause in clauses(text):
        if not clause.asks:
            continue
        for part in _NEXT_QUESTION.split(clause.text):
            for place, piece in enumerate(_OTHER_ANSWER.split(part)):
                words = piece.split()
                if len(words) > 1 and words[0] in _QUESTION_WORDS:
                    parts.append((" ".join(words), place > 0))
    return parts


def clauses(text: str) -> list[Clause]:
    """The clauses of *text*, in order, each folded, empty ones left out.

    A heading ("Microneedling for Acne Scars: Does It Really Work?") and a
    story before its question ("I am 34 and ... . What would it improve?")
    are several clauses; the matcher weighs the questions among them most.

    >>> [c.text for c in clauses("While the benefits are clear, many wonder: how painful is it?")]
    ['while the benefits are clear many wonder', 'how painful is it']

    A comma, "but" or "so" before a question word ends a story too ("got stretch marks after bulking, why
    does that happen?", "ok dumb question but what is it?"), but not an opener ("So, what is it?") nor a
    clause that asks ("if I have acne, can I...").

    >>> [c.text for c in clauses("Got stretch marks after bulking, why does that happen?")]
    ['got stretch marks after bulking', 'why does that happen']
    >>> [c.text for c in clauses("To start, what is it?")], [c.text for c in clauses("Is it safe, how long is it?")]
    (['what is it'], ['is it safe how long is it'])
    >>> [c.text for c in clauses("ok dumb question but what IS dermarolling?")]
    ['dumb question', 'what is dermarolling']
    """
    found = []
    start = 0
    for end in _CLAUSE_END.finditer(text) if _CLAUSE_MARK.search(text) else ():
        found.append((text[start:end.start()], "?" in end.group()))
        start = end.end()
    found.append((text[start:], False))
    lowered = text.lower()
    if "," in text or " but " in lowered or " so " in lowered:
        found = [part for piece, marked in found for part in _at_comma_question(piece, marked)]
    out = []
    for piece, marked in found:
        words = _without_openers(fold(piece).split())
        if words:
            out.append(Clause(" ".join(words), marked or words[0] in _QUESTION_WORDS))
    if len(out) > 1 and any(c.text in _LONE_OPENERS for c in out):
        # only openers ("But first; what is it?"): the clause says nothing the others do not
        out = [c for c in out if c.text not in _LONE_OPENERS] or out
    return out


def _at_comma_question(piece: str, marked: bool) -> list[tuple[str, bool]]:
    """*piece* (and whether it ends in "?") as one clause, or two when a story runs into its question
    after a comma, "but" or "so" ("got stretch marks after bulking, why does that happen?"), as it would
    after a full stop: cut at the last of them before a question word, unless what comes before it asks
    or only opens."""
    commas = list(_COMMA_QUESTION.finditer(piece))
    comma = commas[-1] if commas else None
    lead = fold(piece[:comma.start()]).split() if comma else []
    if comma and lead and lead[0] not in _QUESTION_WORDS and tuple(lead) not in _OPENERS:
        return [(piece[:comma.start()], False), (piece[comma.end():], marked)]
    return [(piece, marked)]


# The kind of question a clause asks, from its first words: (words, kind),
# longest first. "how long does it take" and "how long do results last" are
# both "how long"; what follows tells them apart.
_KINDS = (
    (("how", "long"), "how long"), (("how", "often"), "how often"), (("how", "much"), "how much"),
    (("how", "many"), "how many"), (("how", "soon"), "how soon"), (("how", "deep"), "how deep"),
    (("how", "effective"), "how much"), (("how", "well"), "how much"), (("how", "successful"), "how much"),
    (("how", "to"), "how to"), (("how", "do", "i"), "how do i"), (("how", "can", "i"), "how do i"),
    (("how", "should", "i"), "how do i"), (("what", "is"), "what is"), (("what", "are"), "what is"),
    (("what", "does"), "what does"), (("what", "do"), "what does"), (("what", "should"), "what should"),
    (("what", "can", "i"), "what should"), (("what", "can", "you"), "what should"),
    (("what", "can", "we"), "what should"), (("what", "can", "he"), "what should"),
    (("what", "can", "she"), "what should"), (("what", "can"), "what does"), (("what", "to"), "what should"),
    (("what", "happens"), "what happens"),
    (("which",), "which"), (("what",), "what"), (("how",), "how"), (("why",), "why"), (("when",), "when"),
    (("where",), "where"), (("who",), "who"), (("can",), "can"), (("could",), "can"), (("should",), "should"),
    (("is",), "is"), (("are",), "is"), (("was",), "is"), (("does",), "does"), (("do",), "does"),
    (("did",), "does"), (("will",), "will"), (("would",), "will"), (("may",), "can"), (("any",), "any"),
)


#: Words that stress a question without changing its kind: "what exactly is it" asks "what is".
_HEDGES = frozenset("exactly actually really just even precisely basically".split())

_KINDS_BY_WORD: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _start, _kind in _KINDS:
    _KINDS_BY_WORD.setdefault(_start[0], []).append((_start, _kind))


def question_kind(text: str) -> str | None:
    """The kind of question a folded clause asks ("how long", "what is", "why"...), or ``None``.

    "what is X" asks what X is; "what is the X" asks about an aspect of
    something ("what are the side effects"), a kind of its own; so does
    "what does X do", which asks what it does, where "what does X feel like"
    or "what does X involve" are plain "what does"; "how effective" and "how well" ask how much.

    >>> question_kind("how long does a session take"), question_kind("what are acne scars")
    ('how long', 'what is')
    >>> question_kind("what are the side effects")
    'what is the'
    >>> question_kind("what can microneedling do for my skin"), question_kind("what can i do about it")
    ('what does do', 'what should')
    >>> question_kind("what does a derma pen feel like"), question_kind("how effective is it for stretch marks")
    ('what does', 'how much')
    """
    split = text.split()
    words = tuple([w for w in split[:6] if w not in _HEDGES][:3])
    for start, kind in _KINDS_BY_WORD.get(words[0], ()) if words else ():
        if words[:len(start)] == start:
            if kind == "what is" and words[2:3] == ("the",):
                return "what is the"
            if kind == "what does" and "do" in split[2:]:
                return "what does do"
            return kind
    return None


# Where a question names what it is about: after its question word ("how long"...), its verb
# ("does", "is"...) and a determiner: "how long does a Botox appointment take" is about Botox.
_SLOT_OPENERS = frozenset("how what why when where which who".split())
_SLOT_MEASURES = frozenset("long much many often soon".split())
_SLOT_VERBS = frozenset("does do did is are was were can could should will would has have".split())
_SLOT_DETERMINERS = frozenset("a an the my your this that these those his her their our".split())
#: Words in that place that describe what follows rather than name it ("the best serum", "the whole session").
_SLOT_DESCRIBERS = frozenset("best good better whole main usual typical normal first last right".split())
#: Words in that place that name an aspect of what follows "of" ("the role of collagen").
_SLOT_ASPECTS = frozenset("""role point purpose goal aim use function state kind type sort part effect effects result
results cause causes meaning benefit benefits risk risks""".split())


def subject_word(text: str) -> str | None:
    """The word in the place where a folded question clause names what it asks about, or ``None``
    when it has no such place ("what is it"), or a common word or a verb form ("does causing...") fills it.

    >>> subject_word("how long does a botox appointment take"), subject_word("is a hydrafacial invasive")
    ('botox', 'hydrafacial')
    >>> subject_word("what is the role of collagen"), subject_word("what is it") is None
    ('collagen', True)
    >>> subject_word("how long should a counselling session last"), subject_word("does causing wounds help")
    ('counselling', None)
    >>> subject_word("why would deliberately injuring the skin help"), subject_word("is usually a hydrafacial invasive")
    (None, 'hydrafacial')
    >>> subject_word("does microblading hurt"), subject_word("does injuring the skin help")
    ('microblading', None)
    """
    words = text.split()
    i = 0
    if words and words[0] in _SLOT_OPENERS:
        i = 2 if words[1:2] and words[1] in _SLOT_MEASURES else 1
    if i >= len(words) or words[i] not in _SLOT_VERBS:
        return None
    i += 1
    while i + 1 < len(words) and len(words[i]) > 5 and words[i].endswith("ly"):
        i += 1  # an adverb right after the verb ("why would deliberately injuring the skin help")
    verb = i
    while i < len(words):
        word = words[i]
        if word in _SLOT_DETERMINERS or word in _SLOT_DESCRIBERS:
            i += 1
        elif word in _SLOT_ASPECTS and words[i + 1:i + 2] == ["of"]:
            i += 2
        else:
            break
    # Right after the verb, a word in -ing is a verb form ("does causing..."), unless it is a long word
    # English does not have, the name of a treatment ("does microblading hurt"); after "a" or "the" it
    # names a thing ("a counselling session").
    if i >= len(words) or words[i] in STOPWORDS or (i == verb and _verb_form(words[i])):
        return None
    return words[i]


def _verb_form(word: str) -> bool:
    """Whether *word*, right after a question's verb, is a verb in -ing ("causing", "injuring") rather than
    the name of a treatment English does not have ("microblading", "dermaplaning")."""
    return word.endswith("ing") and (len(word) < ENGLISH_FROM or word in english_words())


_LONE_OPENERS = frozenset(opener[0] for opener in _OPENERS if len(opener) == 1)
_OPENERS_BY_WORD: dict[str, list[tuple[str, ...]]] = {}
for _opener in _OPENERS:
    _OPENERS_BY_WORD.setdefault(_opener[0], []).append(_opener)


def _without_openers(words: list[str]) -> list[str]:
    opened = True
    while opened and words:
        opened = False
        for opener in _OPENERS_BY_WORD.get(words[0], ()):
            if tuple(words[:len(opener)]) == opener and len(words) > len(opener):
                words = words[len(opener):]
                opened = True
                break
    return words


# -- the FAQ's own words -------------------------------------------------------------------------

class Normalizer:
    """Turns texts into the terms the matcher compares, for one FAQ.

    *synonyms* maps a canonical word or phrase to the variants people type
    (``{"microneedling": ["micro needling", "dermaroller"]}``); every variant
    is rewritten to its canonical form. *concepts* maps a concept to words or
    phrases that ask about it (``{"procedure": ["performed", "take place"]}``),
    read as the concept the same way, after the synonyms. *vocabulary* counts
    the folded words the FAQ uses: a query word outside it is corrected to a
    near FAQ word, or split when it is FAQ words run together (see
    :class:`~assistant.spelling.Speller`).
    """

    def __init__(self, synonyms: Mapping[str, Iterable[str]] | None = None,
                 vocabulary: Iterable[str] | Mapping[str, int] = (),
                 concepts: Mapping[str, Iterable[str]] | None = None) -> None:
        counts = dict(vocabulary) if isinstance(vocabulary, Mapping) else dict.fromkeys(vocabulary, 1)
        self._synonyms = _PhraseTable()
        for canonical, variants in (synonyms or {}).items():
            target = tuple(fold(canonical).split())
            for variant in (canonical, *variants):
                key = tuple(fold(variant).split())
                if key and key != target:
                    self._synonyms.add(key, target)
                if len(key) > 1:  # "micro-needling" folds to two words; people also run them together
                    self._synonyms.add(("".join(key),), target, replace=False)
        self._concepts = _PhraseTable()
        for concept, variants in (concepts or {}).items():
            target = tuple(fold(concept).split())
            for variant in variants:
                key = tuple(fold(variant).split())
                if key and key != target:
                    self._concepts.add(key, target)
        words = set(counts)
        for table in (self._synonyms, self._concepts):
            words.update(table.words())
        self.vocabulary = frozenset(w for w in words if w)
        self.speller = Speller(self.vocabulary, counts, STOPWORDS, stem=stem, irregular=_STEM_EXCEPTIONS,
                               foreign=_ONLY_FOREIGN)
        self._forms: dict[str, str] | None = None  # made on the first word the FAQ does not know

    # -- public ---------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """Folded, spell-corrected words of *text*, synonyms and concepts applied, unstemmed."""
        return self._words(fold(text).split())[0]

    def terms(self, text: str) -> tuple[str, ...]:
        """The stemmed terms of *text*, in order, repeats kept.

        >>> Normalizer({"microneedling": ["micro needling"]}, {"scar"}).terms("Micro Needling for SCARS?")
        ('microneedl', 'for', 'scar')
        """
        return tuple(map(stem, self._words(fold(text).split())[0]))

    def terms_of_words(self, words: Iterable[str]) -> tuple[str, ...]:
        """:meth:`terms` for text already folded and split into words the FAQ itself uses."""
        return tuple(map(stem, self._rewrite(list(words))))

    def analyse(self, text: str) -> tuple[tuple[str, ...], dict[str, float]]:
        """The terms of *text* and, for those that are spelling guesses, how sure each guess is (0-1).

        >>> Normalizer(vocabulary={"stretch", "marks"}).analyse("streach marks")
        (('stretch', 'mark'), {'stretch': 0.85})
        """
        words, guesses = self._words(fold(text).split())
        return tuple(map(stem, words)), {stem(w): c for w, c in guesses.items()}

    def to_state(self) -> dict[str, object]:
        """The normalizer as plain data (for :mod:`assistant.cache`)."""
        return {"synonyms": self._synonyms.to_state(), "concepts": self._concepts.to_state(),
                "vocabulary": self.vocabulary, "speller": self.speller.to_state()}

    @classmethod
    def from_state(cls, state: dict) -> Normalizer:
        """The normalizer :meth:`to_state` described; raises ``KeyError`` or ``TypeError`` for another shape."""
        normalizer = cls.__new__(cls)
        normalizer._synonyms = _PhraseTable.from_state(state["synonyms"])
        normalizer._concepts = _PhraseTable.from_state(state["concepts"])
        normalizer.vocabulary = frozenset(state["vocabulary"])
        normalizer.speller = Speller.from_state(state["speller"], stem=stem)
        normalizer._forms = None
        return normalizer

    def correct(self, word: str) -> tuple[str, ...]:
        """*word* itself when known, else its correction (one or two words); see :class:`~assistant.spelling.Speller`."""
        return self.speller.correct(word)[0]

    # -- helpers --------------------------------------------------------------

    def _rewrite(self, words: list[str]) -> list[str]:
        """Synonyms, FAQ words written apart joined ("sun screen"), synonyms again, then concepts."""
        words = self._synonyms.apply(self.speller.merge(self._synonyms.apply(words)))
        return self._concepts.apply(words)

    def _variant_form(self, word: str) -> str:
        """*word*, or the one-word variant it is another form of ("prepping": "prep"; see :func:`_variant_forms`)."""
        forms = self._forms
        if forms is None:  # not at start-up: most questions never need it
            forms = self._forms = _variant_forms(self.vocabulary, self._synonyms, self._concepts)
        return forms.get(stem(word), word) if forms else word

    def _words(self, words: list[str]) -> tuple[list[str], dict[str, float]]:
        corrected: list[str] = []
        guesses: dict[str, float] = {}
        for word in words:
            found, confidence = self.speller.correct(word)
            if len(found) == 1 and found[0] not in self.vocabulary:
                found = (self._variant_form(found[0]),)
            corrected.extend(found)
            if confidence < 1.0:
                for guess in found:
                    guesses[guess] = min(confidence, guesses.get(guess, 1.0))
        out = self._rewrite(corrected)
        if not guesses:
            return out, guesses
        # A synonym, concept or join made from a guessed word is as unsure as the guess.
        unsure: dict[str, float] = {}
        for word in out:
            if word in guesses:
                unsure[word] = guesses[word]
            elif word not in corrected:
                sources = [c for g, c in guesses.items()
                           if g in word or self._synonyms.makes(g, word) or self._concepts.makes(g, word)]
                if sources:
                    unsure[word] = min(sources)
        return out, unsure


def _variant_forms(vocabulary: frozenset[str], *tables: _PhraseTable) -> dict[str, str]:
    """A stem -> a one-word variant of *tables* with it, for the stems whose words in *vocabulary* are
    all one-word variants read the same way: a form the FAQ never writes ("prepping") is then read as
    its variant ("prep"); a stem the FAQ also writes otherwise ("performs" beside "performed") is left out."""
    reads: dict[str, set[tuple[str, ...]]] = {}  # a one-word variant -> what it is read as
    for table in tables:
        for key, value in table.items():
            if len(key) == 1:
                reads.setdefault(key[0], set()).add(value)
    by_stem: dict[str, set[str]] = {}
    for word in vocabulary:
        by_stem.setdefault(stem(word), set()).add(word)
    return {form: min(words) for form, words in by_stem.items()
            if words <= reads.keys() and len(set().union(*(reads[w] for w in words))) == 1}


class _PhraseTable:
    """Whole-word phrases and what replaces them, longest phrase first."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._starts: dict[str, tuple[int, ...]] = {}  # first word -> the lengths of its phrases, longest first

    def add(self, key: tuple[str, ...], value: tuple[str, ...], *, replace: bool = True) -> None:
        if not replace and key in self._phrases:
            return
        self._phrases[key] = value
        lengths = set(self._starts.get(key[0], ())) | {len(key)}
        self._starts[key[0]] = tuple(sorted(lengths, reverse=True))

    def to_state(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        return dict(self._phrases)

    @classmethod
    def from_state(cls, phrases: dict[tuple[str, ...], tuple[str, ...]]) -> _PhraseTable:
        table = cls()
        for key, value in phrases.items():
            table.add(tuple(key), tuple(value))
        return table

    def items(self) -> Iterable[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Every phrase and what replaces it."""
        return self._phrases.items()

    def words(self) -> set[str]:
        """Every word of every phrase and replacement."""
        return {word for key, value in self._phrases.items() for word in (*key, *value)}

    def makes(self, word: str, result: str) -> bool:
        """Whether a phrase with *word* in it is replaced by something containing *result* ("shot",
        guessed to be "short", makes "short for" a definition: the definition is as unsure as the guess)."""
        return any(word in phrase and result in value for phrase, value in self._phrases.items())

    def apply(self, words: list[str]) -> list[str]:
        starts = self._starts
        if not starts or starts.keys().isdisjoint(words):
            return words
        out: list[str] = []
        i, count = 0, len(words)
        while i < count:
            word = words[i]
            lengths = starts.get(word)
            if lengths is not None:
                for size in lengths:
                    if size <= count - i:
                        value = self._phrases.get(tuple(words[i:i + size]))
                        if value is not None:
                            out.extend(value)
                            i += size
                            break
                else:
                    out.append(word)
                    i += 1
            else:
                out.append(word)
                i += 1
        return out
