"""Reading words as people type them: typos, and words written together or apart.

A :class:`Speller` knows one vocabulary (the FAQ's words, with how often the
FAQ uses each) and the common words of English that carry no topic. A word
outside both is read as the nearest vocabulary word when it is a typical
typo of it, or as vocabulary words run together ("stretchmarks",
"howlongdoesittake"); two vocabulary words written apart that make one
("sun screen") are joined.

>>> speller = Speller({"stretch", "marks", "sunscreen", "sun", "screen"}, {}, {"how", "long"})
>>> speller.correct("streach"), speller.correct("stretchmarks")
((('stretch',), 0.85), (('stretch', 'marks'), 0.9))
>>> speller.merge(["sun", "screen", "daily"])
['sunscreen', 'daily']
"""

from __future__ import annotations

import bisect
import functools
import math
import os
from collections.abc import Callable, Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["Speller"]

#: How sure a correction is: one edit in a long word is almost surely a typo;
#: in a short word, or with two edits, it may be another word altogether
#: ("write" is not "white"); a split of run-together words is nearly sure.
SURE_TYPO = 0.85
UNSURE_TYPO = 0.6
SPLIT = 0.9
#: From this length a word may be two edits from what was meant.
TWO_EDITS_FROM = 8
#: At most this many distinct words are remembered with their correction.
MEMORY = 50_000
#: From this length, an English word (see :func:`english_words`) is read as
#: itself, never as a typo of another word: "pointless" is not "painless",
#: "pictures" not "punctures", and "formation" is not "form at i on". (A
#: shorter real word is often a slip for another: "dose" for "does".)
ENGLISH_FROM = 8
#: A correction of an English word must keep all of it but this many letters
#: at the end: another form of the same word ("consultation" of "consultations").
SAME_WORD_SLACK = 3
#: Endings that make a noun or adjective of a word: an English word that is an
#: FAQ word with one of these is read as that word ("formation": form,
#: "preventative": prevent, "recommendation": recommend).
_DERIVATIONS = ("ational", "ations", "atives", "ation", "ative", "itions", "ition", "ments", "ment", "ness",
                "ities", "ity")

# Endings that make one word of what looks like two ("use" + "less").
_SUFFIXES = frozenset(("less", "ness", "ful", "fully"))
# One-letter words a run-together question may contain ("doineedtoseeaderm").
_LETTER_WORDS = frozenset({"i", "a", "u"})
_SINGLE_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_VOWELS = frozenset("aeiouy")
# Words a question starts with: a short word made of one and common words is a question run together.
_ASKING = frozenset("how what why when where who which is are was does do did can could will would should".split())
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@functools.cache
def english_words() -> EnglishWords:
    """English words of :data:`ENGLISH_FROM` letters or more (SCOWL; its notice heads the data file),
    read once, the first time a word that long is not in the vocabulary."""
    path = os.path.join(os.path.dirname(os.path.realpath(__file__)), "data", "english-words.txt")
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().split("\n")
    except OSError:  # a package installed without its data: every word is then read as before
        return EnglishWords([])
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))  # past the notice
    return EnglishWords([line for line in lines[start:] if line])


class EnglishWords:
    """A sorted word list asked for membership by bisection (no set of 40,000 strings to build)."""

    def __init__(self, words: list[str]) -> None:
        self._words = sorted(words)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        words = self._words
        i = bisect.bisect_left(words, word)
        return i < len(words) and words[i] == word

    def __len__(self) -> int:
        return len(self._words)


def _same_word(typed: str, candidate: str) -> bool:
    """Whether *candidate* is *typed* but for its last letters (another form of the same word)."""
    keep = min(len(typed), len(candidate)) - SAME_WORD_SLACK
    return keep > 0 and typed[:keep] == candidate[:keep]


def _neighbours(row: int, i: int) -> set[str]:
    """Keys touching key *i* of *row* on a staggered QWERTY keyboard."""
    near = {(row, i - 1), (row, i + 1), (row - 1, i), (row - 1, i + 1), (row + 1, i - 1), (row + 1, i)}
    return {_KEYBOARD_ROWS[r][j] for r, j in near if 0 <= r < 3 and 0 <= j < len(_KEYBOARD_ROWS[r])}


_NEIGHBOURS = {key: _neighbours(r, i) for r, keys in enumerate(_KEYBOARD_ROWS) for i, key in enumerate(keys)}


def is_slip(typed: str, candidate: str) -> bool:
    """Whether *candidate* (one edit from the short word *typed*) is what a slip of the finger makes of it.

    >>> is_slip("aftr", "after"), is_slip("lonf", "long"), is_slip("cost", "post")
    (True, True, False)
    """
    if len(candidate) > len(typed):
        return True  # a dropped letter
    if sorted(candidate) == sorted(typed):
        return len(typed) >= 4  # two letters swapped
    if len(typed) < 4:
        return False
    return all(a == b or b in _NEIGHBOURS.get(a, ()) for a, b in zip(typed, candidate))


def _typo_of(typed: str, candidate: str) -> bool:
    """Whether *typed* (of five letters or more) is what a slip of the finger makes of *candidate*, one
    edit away: what :func:`is_slip` accepts, one vowel for another ("benifits"), or a letter doubled or
    struck next to its neighbour ("acctually", but not "ideal" for "idea")."""
    if len(typed) <= len(candidate):
        return is_slip(typed, candidate) or all(
            a == b or (a in _VOWELS and b in _VOWELS) for a, b in zip(typed, candidate))
    at = next((i for i, (a, b) in enumerate(zip(typed, candidate)) if a != b), len(candidate))
    extra = typed[at]
    near = {typed[at - 1]} if at else set()
    if at + 1 < len(typed):
        near.add(typed[at + 1])
    return any(extra == n or extra in _NEIGHBOURS.get(n, ()) for n in near)


class Speller:
    """Corrects words against one *vocabulary*, for one FAQ.

    *counts* says how often the FAQ uses each word (between equally near
    corrections the commoner wins); *common* are the common words of English
    (a misspelt common word is a common word, not an unknown one). *stem*
    gives a word's stem: another form of an FAQ word ("sooth" of "soothe") is
    not a typo, unless it is one of the *irregular* words whose stem is set
    by hand. Words run together are split into vocabulary and common words,
    never into the *foreign* ones (common words of other languages).
    """

    def __init__(self, vocabulary: Iterable[str], counts: Mapping[str, int], common: Iterable[str], *,
                 stem: Callable[[str], str] = str, irregular: Iterable[str] = (),
                 foreign: Iterable[str] = ()) -> None:
        self.vocabulary = frozenset(vocabulary)
        self._common = frozenset(common)
        self._stem = stem
        self._irregular = frozenset(irregular)
        self._counts = dict(counts)
        # Words to correct to, by length and first letter: the FAQ's, and
        # apart, the common words (a guess of "would" helps no match).
        self._by_start = _by_start(self.vocabulary - self._common)
        self._common_by_start = _by_start(w for w in self._common if len(w) >= 4)
        # Another form of an FAQ word ("sooth" of "soothe") is not a typo, nor one of a common word
        # ("feeling" of "feel": not "feed").
        self._stems = _stems_of(self.vocabulary - self._common, stem)
        self._common_stems = _stems_of(self._common, stem)
        # Words that start another vocabulary word whose rest is a word too
        # ("sun" of "sunscreen"): only these can begin a join in merge().
        self._heads = frozenset(
            word[:cut] for word in self.vocabulary for cut in range(2, len(word) - 1)
            if word[:cut] in self.vocabulary and word[cut:] in self.vocabulary and word[:cut] not in self._common)
        # Splitting words run together: a common word is cheaper than a rare
        # one, and every extra word costs one more.
        # (never a common word of another language: "introduce" is not "intro du ce")
        pieces = (self.vocabulary | self._common) - _SINGLE_LETTERS - frozenset(foreign)
        top = max((counts.get(w, 1) for w in pieces), default=1) + 1
        self._piece_cost = {w: 1.0 + math.log(top / counts.get(w, 1)) for w in pieces if w.isalpha()}
        self._piece_cost.update(dict.fromkeys(_LETTER_WORDS, 1.5))
        self._longest_piece = max(map(len, self._piece_cost), default=0)
        self._memory: dict[str, tuple[tuple[str, ...], float]] = {}

    #: What :meth:`to_state` keeps: everything but the memory of past corrections and the stem function.
    _STATE = ("vocabulary", "_common", "_irregular", "_counts", "_by_start", "_common_by_start", "_stems",
              "_heads", "_piece_cost", "_longest_piece")

    def to_state(self) -> dict[str, object]:
        """The speller as plain data (for :mod:`assistant.cache`)."""
        return {name: getattr(self, name) for name in self._STATE}

    @classmethod
    def from_state(cls, state: dict[str, object], *, stem: Callable[[str], str] = str) -> Speller:
        """The speller :meth:`to_state` described; raises ``KeyError`` or ``TypeError`` for another shape."""
        speller = cls.__new__(cls)
        for name in cls._STATE:
            setattr(speller, name, state[name])
        speller._stem = stem
        speller._common_stems = _stems_of(speller._common, stem)
        speller._memory = {}
        return speller

    def correct(self, word: str) -> tuple[tuple[str, ...], float]:
        """The words *word* stands for, and how sure that reading is (1.0: as typed).

        Short words and numbers are never corrected: "cost" must not become
        "post". A word is corrected only to a vocabulary word with the same
        first letter, within one edit (two from :data:`TWO_EDITS_FROM` letters).
        """
        if word in self.vocabulary or word in self._common or len(word) < 3 or not word.isalpha():
            return (word,), 1.0
        found = self._memory.get(word)
        if found is None:
            form = self._stem(word) if len(word) >= 4 and word not in self._irregular else None
            known_form = form is not None and (form in self._stems or form in self._common_stems)
            found = ((word,), 1.0) if known_form else self._correct(word)
            if len(self._memory) < MEMORY:
                self._memory[word] = found
        return found

    def merge(self, words: list[str]) -> list[str]:
        """Join two words the vocabulary knows as one ("sun screen" -> "sunscreen")."""
        heads = self._heads
        if heads.isdisjoint(words):
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words) and words[i] in heads and words[i] + words[i + 1] in self.vocabulary:
                out.append(words[i] + words[i + 1])
                i += 2
            else:
                out.append(words[i])
                i += 1
        return out

    # -- helpers --------------------------------------------------------------

    def _correct(self, word: str) -> tuple[tuple[str, ...], float]:
        best = self._nearest(word, self._by_start)
        if len(word) >= ENGLISH_FROM and word in english_words():
            # A real word is itself, or another form of itself; never another word, nor words run together.
            if best is not None and _same_word(word, best[1]):
                return (best[1],), SURE_TYPO
            base = self._derived_from(word)
            return ((base,), SURE_TYPO) if base is not None else ((word,), 1.0)
        # A misspelt common word ("acctually", "shoud") is a common word, not
        # an unknown one that would count against the question being on topic;
        # as near as an FAQ word, it is the likelier one ("somthing", not "soothing").
        # Only a slip of the finger makes one: "ideal" is not "idea", "broth" not "both".
        common = self._nearest(word, self._common_by_start, slips_only=True)
        if common is not None and (best is None or common[0] < best[0] or (common[0] == best[0] and len(word) > 4)):
            return (common[1],), 1.0
        if best is not None:
            distance, candidate = best
            return (candidate,), (SURE_TYPO if distance == 1 and len(word) >= 7 else UNSURE_TYPO)
        pieces = self._segment(word)
        if pieces is not None:
            return pieces, SPLIT
        return (word,), 1.0

    def _derived_from(self, word: str) -> str | None:
        """The FAQ word *word* is made from by one of :data:`_DERIVATIONS`, if any."""
        for ending in _DERIVATIONS:
            if word.endswith(ending):
                base = word[:-len(ending)]
                for candidate in (base, base + "e"):
                    if len(candidate) >= 4 and candidate in self.vocabulary and candidate not in self._common:
                        return candidate
        return None

    def _segment(self, word: str) -> tuple[str, ...] | None:
        """The cheapest way to read *word* as known words run together, or ``None``.

        A short word splits only into two words of three letters or more
        ("skincare", not "s kin care"), or into common words after a question
        word ("isit", "howdo", "doineed"); a longer one into as many as it takes.
        """
        if len(word) < 8:
            for cut in range(3, len(word) - 2):
                left, right = word[:cut], word[cut:]
                if left in self.vocabulary and right in self.vocabulary and right not in _SUFFIXES:
                    return left, right
            pieces = self._cheapest(word)
            if (pieces is not None and pieces[0] in _ASKING
                    and all(p in self._common or p in _LETTER_WORDS for p in pieces[1:])):
                return pieces
            return None
        return self._cheapest(word)

    def _cheapest(self, word: str) -> tuple[str, ...] | None:
        """The cheapest reading of *word* as known words run together (two or more), or ``None``."""
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
                current = best[end]
                if current is None or total < current[0]:
                    best[end] = (total, start)
        if best[-1] is None:
            return None
        out: list[str] = []
        end = len(word)
        while end:
            step = best[end]
            assert step is not None  # every piece of a reading that reached the end was reached
            out.append(word[step[1]:end])
            end = step[1]
        # A last piece that is an ending makes one English word ("useless", "homeless"), not two.
        return tuple(reversed(out)) if len(out) > 1 and out[0] not in _SUFFIXES else None

    def _nearest(self, word: str, index: dict[tuple[int, str], list[str]], *,
                 slips_only: bool = False) -> tuple[int, str] | None:
        """The closest word of *index* with the same first letter ("laser" is not "eraser");
        with *slips_only*, one edit from a word of fewer than :data:`TWO_EDITS_FROM` letters
        counts only when it is a slip of the finger (:func:`_typo_of`).

        Short words are corrected only for a dropped letter ("aftr", "wrk"),
        two swapped ones ("ance") or, from four letters, a neighbouring key
        ("lonf"): any other changed letter makes another word ("cost", "post").
        """
        size = len(word)
        if size <= 4:
            for length in ((4,) if size == 3 else (4, 5)):
                for candidate, _, _ in process.extract(word, index.get((length, word[0]), ()), scorer=OSA.distance,
                                                       score_cutoff=1, limit=None):
                    if is_slip(word, candidate):
                        return 1, candidate
            return None
        limit = 2 if size >= TWO_EDITS_FROM else 1
        best: tuple[int, int, str] | None = None  # (distance, -uses, word)
        for length in range(size - limit, size + limit + 1):
            choices = index.get((length, word[0]))
            if not choices:
                continue
            for candidate, distance, _ in process.extract(word, choices, scorer=OSA.distance,
                                                          score_cutoff=limit, limit=None):
                if slips_only and distance == 1 and size < TWO_EDITS_FROM and not _typo_of(word, candidate):
                    continue
                key = (int(distance), -self._counts.get(candidate, 0), candidate)
                if best is None or key < best:
                    best = key
        return (best[0], best[2]) if best is not None else None


def _stems_of(words: Iterable[str], stem: Callable[[str], str]) -> frozenset[str]:
    """The stems of the common *words* long enough to have other forms."""
    return frozenset(stem(w) for w in words if len(w) >= 4)


def _by_start(words: Iterable[str]) -> dict[tuple[int, str], list[str]]:
    """*words* grouped by (length, first letter), each group sorted."""
    index: dict[tuple[int, str], list[str]] = {}
    for word in sorted(words):
        index.setdefault((len(word), word[0]), []).append(word)
    return index
