"""Text normalisation: the one place that decides when two texts say the same.

Both sides of a match go through here: the FAQ's phrasings once, when the
matcher is built, and a person's query on every call. :func:`fold` is the
pure, vocabulary-free part (Unicode, case, apostrophes, punctuation,
contractions); :class:`Normalizer` adds what depends on the FAQ (its synonym
map, its vocabulary for spelling correction, stemming) and turns a text into
the tuple of terms the matcher compares.

>>> fold("  What’s MICRO-needling??  ")
'what is micro needling'
>>> stem("treatments"), stem("scarring"), stem("creams")
('treatment', 'scar', 'cream')
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["MAX_QUERY_CHARS", "Normalizer", "STOPWORDS", "STOP_TERMS", "clean_text", "fold", "stem"]

#: Longest query, in characters, that is read; the rest is ignored (and the
#: reply says so). Long enough for a rambling question, short enough that a
#: pasted megabyte is answered at once.
MAX_QUERY_CHARS = 1000

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u02bc\u2032\u0060\u00b4"})
# ASCII that is not a letter, a digit or an apostrophe becomes a space; "`" an apostrophe.
_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128)
                               if not chr(c).isalnum() and chr(c) not in "'`"} | {"`": "'"})
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# Characters that end a line for str.splitlines() (or separate fields) but are not "\n" or "\t":
# inside a line they separate words, so they count as spaces, never glue the words together.
_LINE_SPACES = re.compile(r"[\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_NON_WORD = re.compile(r"[^\w']+|_+")

# Contractions, with and without the apostrophe people often leave out.
_CONTRACTIONS = {
    "won't": "will not", "wont": "will not", "can't": "can not", "cant": "can not",
    "cannot": "can not", "shan't": "shall not", "ain't": "is not", "aint": "is not",
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not",
    "arent": "are not", "wasnt": "was not", "werent": "were not", "shouldnt": "should not",
    "wouldnt": "would not", "couldnt": "could not", "havent": "have not", "hasnt": "has not",
    "whats": "what is", "hows": "how is", "whos": "who is", "wheres": "where is",
    "thats": "that is", "im": "i am", "ive": "i have", "id": "i would", "ill": "i will",
    "youre": "you are", "theyre": "they are", "u": "you", "ur": "your", "r": "are",
    "pls": "please", "plz": "please", "thx": "thanks", "ty": "thanks", "abt": "about",
    "b4": "before", "w": "with", "bc": "because", "cuz": "because", "coz": "because",
    "idk": "i do not know", "rn": "right now", "tho": "though", "wat": "what", "wut": "what",
    "hw": "how", "hv": "have", "shud": "should", "cud": "could", "wud": "would",
    "smth": "something", "sth": "something", "dunno": "do not know", "gotta": "have to", "wer": "where", "whr": "where",
    "wen": "when", "y": "why", "alot": "a lot", "aftr": "after", "dat": "that", "da": "the", "tht": "that",
    "ppl": "people", "ppls": "people", "peeps": "people", "n": "and", "thru": "through", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow", "2day": "today", "tonite": "tonight",
    "min": "minute", "mins": "minutes", "hr": "hour", "hrs": "hours", "wk": "week", "wks": "weeks",
    "yr": "year", "yrs": "years", "diff": "difference", "esp": "especially",
    "prob": "probably", "probs": "probably", "def": "definitely", "defo": "definitely",
    "bcuz": "because", "becuz": "because", "becoz": "because", "bcz": "because", "cos": "because",
    "nvm": "never mind", "rly": "really", "rlly": "really", "srsly": "seriously", "kinda": "kind of",
    "sorta": "sort of", "wanna": "want to", "gonna": "going to", "lemme": "let me", "gimme": "give me",
    "dis": "this", "pic": "picture", "pics": "pictures", "ok": "okay", "k": "okay", "kk": "okay",
    "bout": "about", "ya": "you", "yu": "you", "yall": "you all", "cn": "can",
    "shld": "should", "wld": "would", "cld": "could", "nd": "and", "bt": "but", "jus": "just",
    "urself": "yourself", "urselves": "yourselves", "myslf": "myself", "dr": "doctor", "drs": "doctors",
    "docs": "doctors",
}
# Endings that make one word of what looks like two ("use" + "less").
_SUFFIXES = frozenset(("less", "ness", "ful", "fully"))
# Slashed shorthands, read before the slash becomes a space ("w/o" is not "with o").
_SLASHED = re.compile(r"(?<![\w/])(?:(?:w/o|w/out|b/c)(?![\w/])|w/(?!/))")
_SLASHED_WORDS = {"w/o": " without ", "w/out": " without ", "b/c": " because ", "w/": " with "}
_SUFFIX_CONTRACTIONS = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"),
                        ("'m", " am"), ("'d", " would"), ("'s", " is"))

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(row: int, i: int) -> set[str]:
    """Keys touching key *i* of *row* on a staggered QWERTY keyboard."""
    near = {(row, i - 1), (row, i + 1), (row - 1, i), (row - 1, i + 1), (row + 1, i - 1), (row + 1, i)}
    return {_KEYBOARD_ROWS[r][j] for r, j in near if 0 <= r < 3 and 0 <= j < len(_KEYBOARD_ROWS[r])}


_NEIGHBOURS = {key: _neighbours(r, i) for r, keys in enumerate(_KEYBOARD_ROWS) for i, key in enumerate(keys)}


def _slip(word: str, candidate: str) -> bool:
    """Whether *candidate* (one edit from short *word*) is what a slip of the finger makes of it."""
    if len(candidate) > len(word):
        return True  # a dropped letter
    if sorted(candidate) == sorted(word):
        return len(word) >= 4  # two letters swapped
    if len(word) < 4:
        return False
    return all(a == b or b in _NEIGHBOURS.get(a, ()) for a, b in zip(word, candidate))


#: One-letter words a run-together question may contain ("doineedtoseeaderm").
_LETTER_WORDS = frozenset({"i", "a", "u"})
_SINGLE_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")

#: Words that carry no topic on their own. They still count a little, so
#: "how long" and "long" are not the same query, but they never make a match.
STOPWORDS = frozenset("""
a about above actually all almost also am an and any anyone anything are as
ask at be because been being both but by can could did do does doing done
each either else even ever every for from get gets getting give go going gonna got had
has have having he her here hers him his how however i if in into is it its itself just
kind kinda know let like likely lot lots make many may me might mine more most much must
my myself need needs no nor not now of off oh ok okay on once one only or other
our out over own please pretty quite rather really right same say shall she should so
some someone something sort still such sure tell than thank thanks that the their them
then there these they thing things think this those though through to too truly try
u um uh up upon us use used using very via want wanna was way we well were what whats
 whether which while will with within without would yeah
yes yet you your yours hi hello hey guys pls plz lol omg btw anyway basically
literally honestly seriously definitely probably maybe im ive dont
ago already alright anybody anymore anyways around away back bit bunch came come comes
currently dear else enough etc exactly feel feels felt
find found friend friends girl girls guy gal hear heard hmm huh idea information
info keep keeps looking look looks lately mean means mom mum ones
person people ppl place question questions real recently said saw see seem seems seen
sister stuff talk talking told totally trying wanted wants wonder wondering
worry worried yep hype everywhere gotta lmao ya
nah nope yea bruh fr sorta anyways lowkey highkey tbh ngl imo omfg
""".split())


def clean_text(text: str) -> str:
    """Remove what must never reach a terminal raw: ANSI escapes, control
    characters (except newline and tab), bidi overrides and lone surrogates.
    Other line and field separators (``\\r``, vertical tab, form feed, U+0085,
    U+2028, U+2029) become spaces, so the words on either side stay apart.

    >>> clean_text("red\\x1b[31m alert\\x07"), clean_text("does\\rit\\u2028hurt")
    ('red alert', 'does it hurt')
    """
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", _LINE_SPACES.sub(" ", text))
    return _SURROGATES.sub("\ufffd", text)


def _unslash(match: re.Match[str]) -> str:
    return _SLASHED_WORDS[match.group()]


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Fold *text* to lower-case words separated by single spaces.

    Unicode NFKC, case folding, one apostrophe, contractions expanded,
    everything that is not a letter or digit turned into a space.
    """
    if text.isascii():  # ASCII is already NFKC and has no surrogates: the common, fast case
        text = text.lower()
        if "/" in text:
            text = _SLASHED.sub(_unslash, text)
        text = text.translate(_ASCII_SPACES)
        if "'" not in text:
            return _joined([_CONTRACTIONS.get(word, word) for word in text.split()])
    else:
        text = unicodedata.normalize("NFKC", _SURROGATES.sub(" ", text)).casefold().translate(_APOSTROPHES)
        if "/" in text:
            text = _SLASHED.sub(_unslash, text)
    words = []
    for word in _NON_WORD.sub(" ", text).split():
        word = word.strip("'")
        if not word:
            continue
        if "'" in word:
            for suffix, replacement in _SUFFIX_CONTRACTIONS:
                if word.endswith(suffix):
                    head = word[: -len(suffix)]
                    if suffix == "n't":
                        head = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}.get(head, head)
                    word = (head + (replacement if suffix != "'s" or head in _IS_WORDS else "")) if head else ""
                    break
            word = word.replace("'", "").strip()
            if not word:
                continue
        words.append(_CONTRACTIONS.get(word, word))
    return _joined(words)


# "were" opening a question before one of these is "where" typed short ("were can i get it").
_WHERE_NEXT = frozenset("can do does did is are should could would will to abouts".split())


def _joined(words: list[str]) -> str:
    if len(words) > 1 and words[0] == "were" and words[1] in _WHERE_NEXT:
        words[0] = "where"
    return " ".join(words)


_IS_WORDS = frozenset("it that what there here where how who he she which".split())

_STEM_EXCEPTIONS = {
    "skin": "skin", "this": "this", "has": "has", "was": "was", "is": "is", "its": "it",
    "does": "do", "bleeding": "bleed", "needling": "needl", "during": "during",
    "less": "less", "glass": "glass", "always": "always", "sometimes": "sometime",
    "numbing": "numb", "anything": "anything", "something": "something", "nothing": "nothing",
    "thing": "thing", "things": "thing", "morning": "morning", "evening": "evening",
    "spring": "spring", "string": "string", "bring": "bring", "sing": "sing", "king": "king",
    "series": "series", "news": "news", "lotus": "lotus", "virus": "virus", "plus": "plus",
    "stretched": "stretch", "dying": "die", "lying": "lie", "tying": "tie",
    # "scared" is not "scarred": keep fear apart from scars.
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
    elif word.endswith("sses") or word.endswith("shes") or word.endswith("ches") or word.endswith("xes"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ingly", "edly", "ness", "ing", "ed", "ly"):
        if word.endswith(suffix):
            head = word[: -len(suffix)]
            if len(head) >= 3 and _VOWELS.intersection(head):
                word = head
                if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]  # scarr -> scar, stopp -> stop
                elif suffix in ("ing", "ed") and word.endswith(("at", "iz", "bl", "ur", "ag", "uc")):
                    word += "e"  # irritat -> irritate, redduc -> reduce
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # treat "reduce" and "reduc" alike
    return word


#: :data:`STOPWORDS` as the matcher sees them, stemmed ("there" -> "ther").
STOP_TERMS = frozenset(stem(word) for word in STOPWORDS)


class Normalizer:
    """Turns texts into the terms the matcher compares, for one FAQ.

    *synonyms* maps a canonical word or phrase to the variants people type
    (``{"microneedling": ["micro needling", "dermaroller"]}``); every variant
    is rewritten to its canonical form. *vocabulary* is the set of folded
    words the FAQ uses: a query word outside it is corrected to the closest
    vocabulary word when one is near enough, or split in two when it is two
    vocabulary words run together.
    """

    def __init__(self, synonyms: Mapping[str, Iterable[str]] | None = None,
                 vocabulary: Iterable[str] | Mapping[str, int] = ()) -> None:
        counts = vocabulary if isinstance(vocabulary, Mapping) else {}
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in (synonyms or {}).items():
            target = tuple(fold(canonical).split())
            for variant in (canonical, *variants):
                key = tuple(fold(variant).split())
                if key and key != target:
                    self._phrases[key] = target
                # "micro-needling" folds to two words; people also run them together.
                if len(key) > 1:
                    self._phrases.setdefault(("".join(key),), target)
        self._longest = max((len(k) for k in self._phrases), default=0)
        self._starts = frozenset(key[0] for key in self._phrases)
        words = set(vocabulary)
        for key, target in self._phrases.items():
            words.update(key)
            words.update(target)
        self.vocabulary = frozenset(w for w in words if w)
        # Words that start another vocabulary word whose rest is a word too
        # ("sun" of "sunscreen"): only these can begin a join in _merge.
        vocabulary = self.vocabulary
        self._heads = frozenset(
            word[:cut] for word in vocabulary for cut in range(2, len(word) - 1)
            if word[:cut] in vocabulary and word[cut:] in vocabulary and word[:cut] not in STOPWORDS)
        # Words to correct to, by length and first letter: the FAQ's, and
        # apart, the common words (a guess of "would" helps no match).
        self._by_start: dict[tuple[int, str], list[str]] = {}
        for word in sorted(self.vocabulary - STOPWORDS):
            self._by_start.setdefault((len(word), word[0]), []).append(word)
        self._stops_by_start: dict[tuple[int, str], list[str]] = {}
        for word in sorted(STOPWORDS):
            if len(word) >= 4:
                self._stops_by_start.setdefault((len(word), word[0]), []).append(word)
        self._corrections: dict[str, tuple[tuple[str, ...], float]] = {}
        self._stems = frozenset(stem(w) for w in self.vocabulary - STOPWORDS if len(w) >= 4)
        # Between equally near corrections, the word the FAQ uses most wins.
        self._counts = dict(counts)
        # Splitting words run together ("howlongdoesittake"): a common word is
        # cheaper than a rare one, and every extra word costs one more.
        pieces = (self.vocabulary | STOPWORDS) - _SINGLE_LETTERS
        top = max((counts.get(w, 1) for w in pieces), default=1) + 1
        self._piece_cost = {w: 1.0 + math.log(top / counts.get(w, 1)) for w in pieces if w.isalpha()}
        self._piece_cost.update(dict.fromkeys(_LETTER_WORDS, 1.5))
        self._longest_piece = max(map(len, self._piece_cost), default=0)

    # -- public ---------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """Folded, spell-corrected words of *text*, synonyms applied, unstemmed."""
        return self._words(text)[0]

    def terms(self, text: str) -> tuple[str, ...]:
        """The stemmed terms of *text*, in order, repeats kept.

        >>> Normalizer({"microneedling": ["micro needling"]}, {"scar"}).terms("Micro Needling for SCARS?")
        ('microneedl', 'for', 'scar')
        """
        return tuple(stem(w) for w in self._words(text)[0])

    def terms_of_words(self, words: Iterable[str]) -> tuple[str, ...]:
        """:meth:`terms` for text already folded and split into known words (the FAQ's own)."""
        return tuple(map(stem, self._apply_synonyms(self._merge(self._apply_synonyms(list(words))))))

    def analyse(self, text: str) -> tuple[tuple[str, ...], dict[str, float]]:
        """The terms of *text* and, for those that are spelling guesses, how sure each guess is (0-1).

        >>> Normalizer(vocabulary={"stretch", "marks"}).analyse("streach marks")
        (('stretch', 'mark'), {'stretch': 0.85})
        """
        words, guesses = self._words(text)
        return tuple(stem(w) for w in words), {stem(w): c for w, c in guesses.items()}

    def correct(self, word: str) -> tuple[str, ...]:
        """Return *word* itself when known, else its correction (one or two words).

        Short words and numbers are never corrected: "cost" must not become
        "post". A word is corrected only to a vocabulary word with the same
        first letter within one edit (two for words of eight letters or more).
        """
        return self._correct_cached(word)[0]

    def _words(self, text: str) -> tuple[list[str], dict[str, float]]:
        words: list[str] = []
        guesses: dict[str, float] = {}
        for word in fold(text).split():
            corrected, confidence = self._correct_cached(word)
            words.extend(corrected)
            if confidence < 1.0:
                for guess in corrected:
                    guesses[guess] = min(confidence, guesses.get(guess, 1.0))
        # Synonyms first, so a joined pair cannot eat the start of a longer phrase.
        out = self._apply_synonyms(self._merge(self._apply_synonyms(words)))
        if not guesses:
            return out, guesses
        # A synonym or a join made from a guessed word is as unsure as the guess.
        unsure: dict[str, float] = {}
        for word in out:
            if word in guesses:
                unsure[word] = guesses[word]
            elif word not in words:
                sources = [c for g, c in guesses.items() if g in word or word in self._phrases.get((g,), ())]
                if sources:
                    unsure[word] = min(sources)
        return out, unsure

    def _correct_cached(self, word: str) -> tuple[tuple[str, ...], float]:
        if word in self.vocabulary or word in STOPWORDS or len(word) < 3 or not word.isalpha():
            return (word,), 1.0
        cached = self._corrections.get(word)
        if cached is None:
            # Another form of a word the FAQ uses ("sooth" of "soothe") is not a typo.
            known_form = len(word) >= 4 and word not in _STEM_EXCEPTIONS and stem(word) in self._stems
            cached = ((word,), 1.0) if known_form else self._correct(word)
            if len(self._corrections) < 50_000:
                self._corrections[word] = cached
        return cached

    # -- helpers --------------------------------------------------------------

    def _correct(self, word: str) -> tuple[tuple[str, ...], float]:
        """The correction of an unknown word and how sure it is.

        One edit in a long word is almost surely a typo; in a short word, or
        with two edits, it may be another word altogether ("write" is not "white").
        """
        best = self._nearest(word, self._by_start)
        # A misspelt common word ("acctually", "shoud") is a common word, not
        # an unknown one that would count against the question being on topic;
        # as near as an FAQ word, it is the likelier one ("somthing", not "soothing").
        common = self._nearest(word, self._stops_by_start)
        if common is not None and (best is None or common[0] < best[0] or (common[0] == best[0] and len(word) > 4)):
            return (common[1],), 1.0
        if best is not None:
            distance, candidate = best
            return (candidate,), (0.85 if distance == 1 and len(word) >= 7 else 0.6)
        # Words run together: "stretchmarks", "acnescars", "howlongdoesittake".
        pieces = self._segment(word)
        if pieces is not None:
            return pieces, 0.9
        return (word,), 1.0

    def _segment(self, word: str) -> tuple[str, ...] | None:
        """The cheapest way to read *word* as known words run together, or ``None``.

        A short word splits only into two words of three letters or more
        ("skincare", not "s kin care"); a longer one into as many as it takes.
        """
        if len(word) < 8:
            for cut in range(3, len(word) - 2):
                left, right = word[:cut], word[cut:]
                if left in self.vocabulary and right in self.vocabulary and right not in _SUFFIXES:
                    return left, right
            return None
        cost = self._piece_cost
        longest = self._longest_piece
        # best[i]: the cheapest reading of word[:i], as (cost, start of its last piece).
        best: list[tuple[float, int] | None] = [(0.0, 0)] + [None] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - longest), end):
                before = best[start]
                piece = cost.get(word[start:end])
                if before is None or piece is None:
                    continue
                total = before[0] + piece
                if best[end] is None or total < best[end][0]:
                    best[end] = (total, start)
        if best[-1] is None:
            return None
        out: list[str] = []
        end = len(word)
        while end:
            start = best[end][1]
            out.append(word[start:end])
            end = start
        # A last piece that is an ending makes one English word ("useless", "homeless"), not two.
        return tuple(reversed(out)) if len(out) > 1 and out[0] not in _SUFFIXES else None

    def _nearest(self, word: str, index: dict[tuple[int, str], list[str]]) -> tuple[int, str] | None:
        """The closest word of *index* with the same first letter ("laser" is not "eraser").

        Short words are corrected only for a dropped letter ("aftr", "wrk"),
        two swapped ones ("ance") or, from four letters, a neighbouring key
        ("lonf"): any other changed letter makes another word ("cost", "post").
        """
        size = len(word)
        limit = 2 if size >= 8 else 1
        if size <= 4:
            for length in ((4,) if size == 3 else (4, 5)):
                for candidate, _, _ in process.extract(word, index.get((length, word[0]), ()), scorer=OSA.distance,
                                                       score_cutoff=1, limit=None):
                    if _slip(word, candidate):
                        return 1, candidate
            return None
        best: tuple[int, int, str] | None = None  # (distance, -uses, word)
        counts = self._counts
        for length in range(size - limit, size + limit + 1):
            choices = index.get((length, word[0]))
            if not choices:
                continue
            for candidate, distance, _ in process.extract(word, choices, scorer=OSA.distance,
                                                          score_cutoff=limit, limit=None):
                key = (int(distance), -counts.get(candidate, 0), candidate)
                if best is None or key < best:
                    best = key
        return (best[0], best[2]) if best is not None else None

    def _merge(self, words: list[str]) -> list[str]:
        """Join two words the vocabulary knows as one ("sun screen" -> "sunscreen")."""
        heads = self._heads
        if heads.isdisjoint(words):
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words) and words[i] in heads:
                joined = words[i] + words[i + 1]
                if joined in self.vocabulary:
                    out.append(joined)
                    i += 2
                    continue
            out.append(words[i])
            i += 1
        return out

    def _apply_synonyms(self, words: list[str]) -> list[str]:
        if not self._phrases or self._starts.isdisjoint(words):
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i] not in self._starts:
                out.append(words[i])
                i += 1
                continue
            for size in range(min(self._longest, len(words) - i), 0, -1):
                target = self._phrases.get(tuple(words[i:i + size]))
                if target is not None:
                    out.extend(target)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out
