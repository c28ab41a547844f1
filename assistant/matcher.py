"""Fuzzy matching of a person's question against the FAQ.

A :class:`Matcher` is built once from a :class:`~assistant.faq.Faq` and
queried many times. Every phrasing is normalised once, at build time
(:mod:`assistant.normalize`); a question is analysed once per call into a
:class:`Query`, and every document (each entry, and each topic the FAQ
declines on purpose) is judged on four pieces of :class:`Evidence`, each
0-1:

* **overlap**: how much of the question its closest phrasing says, and how
  much of that phrasing the question uses, words weighted by how rare they
  are in the FAQ (a word the FAQ has never seen counts fully against);
* **chars**: the character similarity of that phrasing and the question;
* **coverage**: how much of the question the document is about anywhere: a
  word of its question, its tags or many of its phrasings counts fully, a
  word of its answer, or of only a few phrasings, less;
* **kind**: how often its phrasings ask the same kind of question ("how
  long", "what is", "why", "can"...) as the question's own clauses.

Its score, 0-100, is ``100 * sigmoid(z)`` with ``z`` a weighted sum of the
evidence whose weights were fitted on labelled questions
(:mod:`assistant.calibration`): about the chance that the document is the
right one.

Finding the best documents costs what the question's words cost, not what
the FAQ costs: an inverted index gives the documents that share a word with
the question; each gets an upper bound of its score from what it shares, and
documents are judged best bound first, stopping when no bound left can
enter the result. The search returns exactly what judging every document
would (``exhaustive=True`` does that, for tests and benchmarks).

>>> from assistant import load_faq
>>> matcher = Matcher(load_faq())
>>> matcher.best("how long does a sesion take").id
'session-length'
>>> matcher.best("what's the weather in Paris") is None
True
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from types import MappingProxyType
from typing import NamedTuple

from rapidfuzz import fuzz

from .calibration import FITTED, Calibration
from .faq import Entry, Faq, Gap, paused_gc
from .normalize import MAX_QUERY_CHARS, STOP_TERMS, STOPWORDS, Clause, Normalizer, clauses, fold, question_kind, subject_word
from .records import record
from .spelling import SURE_TYPO

__all__ = ["EXACT_SCORE", "Evidence", "Match", "Matcher", "Query"]

#: How much a clause that does not ask anything counts, next to the ones that
#: do: "While the benefits are clear, many people wonder: how painful is it?"
#: asks about pain, not benefits. A short clause that a question points back
#: to ("Microneedling for Acne Scars: Does It Really Work?") counts fully.
CONTEXT_WEIGHT = 0.4
HEADING_WORDS = 6
#: A question of at most this many words right after a heading asks about the heading, as if it said
#: "it": "Dermaplaning vs Microdermabrasion: What's the Difference?" asks about those two.
SHORT_QUESTION = 4
#: How much a topic of the FAQ (a word of an entry's tags) counts in a lead-in when the question points
#: back to it ("I got stretch marks at 14. Would microneedling do anything for them?") or names no topic
#: itself ("... Would skin needling make any difference?"): nearly as much as a word of the question
#: itself (what "them", or the question's missing object, means is a guess).
TOPIC_WEIGHT = 0.85
#: Words of a lead-in that reports the question instead of heading it ("Many patients ask: what is it?").
_REPORTING = frozenset("ask asks asked asking wonder wonders wondered wondering question questions".split())
#: The asker's own words: a clause with one of them is part of the question, never a heading's tagline.
_FIRST_PERSON = frozenset("i my me im ive id we our us".split())
#: Question words that, followed by "you" or "to", only announce what follows ("What You Need To Know").
_WH = frozenset("what how why where when which who".split())
#: A term in at least this share of the entries is part of the FAQ's setting (see :attr:`Query.unset`).
SETTING_SHARE = 2 / 3
#: The kind of question that asks what something is.
DEFINING = "what is"
#: A term in most entries' phrasings, this share of them without the FAQ's subject, is another word for it.
NAMING_ALONE = 0.8
#: A short question (:attr:`Query.long` at most LOOSE_LONG: six terms or fewer) that nothing ties to
#: the FAQ's subject (:attr:`Query.loose`) is not about a document whose own question names the subject
#: when the document never speaks of at least LOOSE_FOREIGN of it ("what spf should I wear every day
#: in winter?": the sun protection entry never speaks of winter). A longer message tells its own
#: setting, most often the person's treatment ("My first appointment is Friday...").
LOOSE_FOREIGN = 0.25
LOOSE_LONG = 0.25
#: Words that compare two things: between two names of the FAQ's subject, they ask what it is.
_COMPARING = frozenset("vs versus difference differences different same alike compare compared comparing between two".split())
#: A declined topic whose phrasings name the FAQ's subject at most this share of the time is about
#: another thing (tattoos, waxing), not an aspect of the subject (see :meth:`Matcher._declined_only_terms`).
OTHER_SUBJECT_SHARE = 1 / 3
#: A word at most this many words after "like" is what something is likened to ("like a mild sunburn").
LIKENED_WITHIN = 3
#: Words by which a question points back to what was said before it.
_POINTERS = frozenset("it this that they them these those its".split())
#: A question with no word of its own but one of these ("what is it?", "what does it feel like?")
#: asks about the FAQ's subject (see :attr:`Matcher.subject`).
_SUBJECT_POINTERS = frozenset("it its this".split())
#: Overlap = q_share ** QUERY_SIDE * p_share ** (1 - QUERY_SIDE): how much of
#: the question a phrasing says matters more than how much of it is used.
QUERY_SIDE = 0.7
#: A document's question counts as this many of its phrasings.
QUESTION_WEIGHT = 3.0
#: A word in this share of a document's phrasings is fully its word; one in
#: fewer counts in proportion, from PHRASING_FLOOR (a word of one story among
#: 100 phrasings is not all the document is about).
FULL_SUPPORT = 0.1
PHRASING_FLOOR = 0.5
#: How strongly a document knows a word of its answer (or a topic its title).
ANSWER_STRENGTH = 0.6
#: Words that the FAQ has never seen weigh like its rarest words, and add up
#: as n ** UNKNOWN_GROWTH: a long, chatty question has many, a short question
#: about another subject has one that matters.
UNKNOWN_GROWTH = 0.75
#: The kind evidence of a question that asks no recognisable kind of question.
NO_KIND = 0.5
#: A question of up to LONG_FROM informative words is short (long = 0); one of
#: LONG_FROM + LONG_SPAN or more is a story (long = 1).
LONG_FROM = 4
LONG_SPAN = 8
#: The least score of a phrasing that is the question itself, once normalised.
EXACT_SCORE = 97.0
_EXACT_Z = math.log(EXACT_SCORE / (100 - EXACT_SCORE))
#: Character similarity counts in full for a phrasing whose overlap is at least CHARS_FROM, and in
#: proportion below it: how alike two texts look means little when they share almost no words
#: ("why is the sky blue" and "why does it itch"), and a bound on it is then small too.
CHARS_FROM = 0.3
#: How many alternates an entry lists first: those that best stand for all of them (see
#: :meth:`Matcher.representative`), so that an FAQ cut to them still finds the entry.
LEADING_ALTERNATES = 10
#: Add-alpha smoothing of the phrasing models behind :meth:`Matcher.fit`.
MODEL_ALPHA = 0.1
#: An FAQ of up to this many phrasings makes its phrasing models with its index (about 6 µs a
#: phrasing: some 10 ms for the shipped FAQ), so no reply waits for one; a larger FAQ makes each on
#: first use, since few documents are ever asked for. A matcher restored from the cache makes
#: them on first use too: a one-shot question asks for a few.
EAGER_MODELS = 10_000
#: An entry's answer opens by saying what it answers ("According to the article, stretch marks occur when
#: the skin is stretched rapidly..."): for an entry with fewer alternates than this, its first sentence is
#: one more of its phrasings, so that an entry with only a few alternates is still found by the words its
#: answer is about. With many alternates the opening adds nothing they do not say, and two entries whose
#: answers open alike ("Micro needling ... uses tiny, fine needles to create micro-injuries") would only
#: look closer than their alternates make them. It asks nothing, so it counts neither for the kinds of
#: question the entry is asked with nor for how much its phrasings speak of each term (its coverage: the
#: answer's words count there as they always did).
OPENING_UNDER = 2 * LEADING_ALTERNATES
_OPENING_END = re.compile(r"(?<=[.!?])\s+")


@record
class Evidence:
    """What a document has for one question, each part 0-1 (see the module docstring)."""

    overlap: float
    """How much of the question its closest phrasing says (and how much of that phrasing it uses)."""
    chars: float
    """Character similarity of that phrasing and the question."""
    coverage: float
    """How much of the question the document is about, anywhere in it."""
    kind: float
    """How often its phrasings ask the question's kind of question."""
    long: float = 0.0
    """How long the question is, 0 (a few words) to 1 (a story): no one phrasing says a long
    question, so its overlap counts less and the document's coverage more."""
    names: float = 1.0
    """How strongly the document is about what the question names as its subject (:attr:`Query.named`),
    0-1; 1 when the question names the FAQ's subject or nothing; 0 too when the question may be about
    something else (:attr:`Query.elsewhere`, or the document is outside it: :meth:`Query.outside`), or
    asks what a thing is and the document never says (:attr:`Query.defining`). Not part of the score:
    0 makes an answer a "did you mean" (see :func:`assistant.compose.decide`)."""
    foreign: float = 0.0
    """The share of the question's weight that the document never speaks of, anywhere in it, 0-1."""

    def z(self, calibration: Calibration = FITTED) -> float:
        """The log-odds of the document being the right one, with *calibration*'s weights."""
        w_overlap, w_chars, w_coverage, w_kind = calibration.weights_for(self.long)
        return (w_overlap * self.overlap + w_chars * self.seen_chars + w_coverage * self.coverage
                + w_kind * self.kind + calibration.score_bias)

    @property
    def seen_chars(self) -> float:
        """The character similarity as it counts: in full from an overlap of :data:`CHARS_FROM`."""
        return self.chars * _gate(self.overlap)


@record
class Match:
    """One document found for a question."""

    doc: Entry | Gap
    """The FAQ entry, or the topic the FAQ declines on purpose."""
    score: float
    """How likely it is the right document, 0-100 (see the module docstring)."""
    phrasing: str
    """Its question, alternate or not-covered phrasing closest to the question."""
    evidence: Evidence
    """What the score is made of."""

    @property
    def id(self) -> str:
        """The entry's id, or ``not-covered`` for a topic the FAQ declines."""
        return self.doc.id if isinstance(self.doc, Entry) else "not-covered"

    @property
    def covered(self) -> bool:
        """Whether the document is an entry (``False``: a topic the FAQ declines)."""
        return isinstance(self.doc, Entry)

    @property
    def entry(self) -> Entry:
        """The entry matched; :meth:`Matcher.best` and :meth:`Matcher.match` return only entries.

        Raises :class:`TypeError` for a topic the FAQ declines (see :attr:`covered`).
        """
        if not isinstance(self.doc, Entry):
            raise TypeError(f"{self.doc.label} is a topic the FAQ does not cover, not an entry")
        return self.doc

    def __repr__(self) -> str:
        return f"Match({self.id!r}, score={self.score}, phrasing={self.phrasing!r})"


@record
class Query:
    """A question as the matcher sees it, analysed once and used for every document."""

    text: str
    """The normalised terms, space-separated (compared character by character)."""
    weights: dict[str, float]
    """Each informative term the FAQ knows -> its weight (rarity, times how sure and how central it is)."""
    total: float
    """The weight of the whole question, words the FAQ does not know included."""
    kinds: frozenset[str]
    """The kinds of question its asking clauses are ("how long", "what is"...)."""
    anchors: frozenset[str]
    """The terms a phrasing must share to be a candidate at all: every worded one (numbers only count)."""
    long: float = 0.0
    """How long the question is, 0-1 (see :attr:`Evidence.long`)."""
    implied: bool = False
    """Its only word is the FAQ's subject, read into an "it" (see :attr:`Matcher.subject`)."""
    named: str | None = None
    """For a question that does not name the FAQ's subject, the word where an asking clause (the first
    that has one) names what it is about ("how long does a Botox appointment take": botox), if any; failing
    that, when the question does not name the FAQ's subject, its heaviest term if only the names of
    declined topics about other things use it ("my new tattoo looks red, is that normal?": tattoo)."""
    named_term: str | None = None
    """That word as a term."""
    named_topic: Gap | None = None
    """The declined topic that names that term, when only declined topics about other things do (tattoo:
    "tattoos and tattoo removal"; botox: "other cosmetic treatments in general")."""
    unknown: float = 0.0
    """How many words of its asking clauses (or of all of it, when none asks) the FAQ has never seen."""
    defining: bool = False
    """It asks what something other than the FAQ's subject is ("what is sunscreen?"): only a document
    that itself says what things are can answer it (see :attr:`Evidence.names`)."""
    elsewhere: bool = False
    """It is :attr:`loose`, and asks with a word the FAQ has never seen ("what spf do I need for
    skiing"): it may well be about something else, and an entry whose own question names the subject
    is not its answer (see :attr:`Evidence.names`)."""
    unset: bool = False
    """Besides, it names nothing most entries speak of, such as the skin ("what does elastin do in the
    lungs?"): no entry is its answer."""
    about: bool = False
    """It names the FAQ's subject itself ("does microneedling help stretch marks on the stomach?")."""
    loose: bool = False
    """Nothing ties it to the FAQ's subject: it names neither the subject nor a topic of the entries'
    tags, and points back to nothing ("what spf should I wear every day in winter?"). Short, it is
    answered only from a document that speaks of nearly all of it (see :meth:`outside`)."""
    exact: bool = True
    """Whether a phrasing equal to its text is the question itself: not when that text rests on an
    unsure spelling guess ("is microneedling pointless" is not "is microneedling painless")."""

    def outside(self, foreign: float) -> bool:
        """Whether a document that never speaks of the share *foreign* of the question is outside it:
        the question is :attr:`loose` and short (:data:`LOOSE_LONG`), and *foreign* is
        :data:`LOOSE_FOREIGN` or more."""
        return self.loose and self.long <= LOOSE_LONG and foreign >= LOOSE_FOREIGN

    @property
    def known_share(self) -> float:
        """How much of the question's weight the FAQ knows at all, 0-1."""
        return sum(self.weights.values()) / self.total


class _Group(NamedTuple):
    """Phrasings of one document with the same informative terms: they differ only in their characters.

    (A named tuple, not a record: a large FAQ has hundreds of thousands, made
    again from the cache at every start.)
    """

    terms: frozenset[str]
    norm: float
    """The summed rarity of its terms."""
    texts: tuple[str, ...]
    """Each phrasing, normalised."""
    phrasings: tuple[str, ...]
    """Each phrasing as written."""
    shortest: int
    longest: int


@record
class _Document:
    """One entry or not-covered topic, ready to be judged."""

    doc: Entry | Gap
    groups: tuple[_Group, ...]
    """Its phrasings, lightest group first (a group's place is its bit in masks)."""
    masks: dict[str, int]
    """Term -> the groups that use it, as bits."""
    strength: dict[str, float]
    """Term -> how strongly the document is about it, 0-1."""
    kinds: dict[str, float]
    """Kind of question -> the share of its phrasings that ask it."""
    shortest: int
    longest: int


#: What judging a document gives: (z, document number, closest phrasing, (overlap, chars, coverage, kind)).
_Judged = tuple[float, int, str, tuple[float, float, float, float]]


class _Model(NamedTuple):
    """A document's phrasing model (see :meth:`Matcher.fit`)."""

    log_counts: dict[str, float]
    """For each term and pair of neighbouring terms: log(in how many phrasings + alpha)."""
    counted: int
    """How many (phrasing, feature) pairs it counts."""


class _Block(NamedTuple):
    """A run of one term's postings, with what bounds any of its documents."""

    start: int
    end: int
    """Its place in the term's postings: ``postings[start:end]``."""
    lightest: float
    """The least norm of a document's lightest group."""
    shortest: int
    longest: int
    """The shortest and longest normalised phrasing of its documents."""
    strength: float
    """The most strongly one of its documents is about the term."""
    kind: float
    """The largest share of phrasings one of its documents asks any one kind of question with."""


#: Postings of at least 2 * BLOCK documents are cut into blocks of BLOCK (see :meth:`Matcher._search`).
BLOCK = 32


def _blocks_of(documents: list[_Document], postings: dict[str, list[int]]) -> dict[str, tuple[_Block, ...]]:
    """The blocks of every long posting list."""
    lightest = [d.groups[0].norm for d in documents]
    shortest = [d.shortest for d in documents]
    longest = [d.longest for d in documents]
    kind = [max(d.kinds.values(), default=0.0) for d in documents]
    strengths = [d.strength for d in documents]
    out = {}
    for term, numbers in postings.items():
        if len(numbers) < 2 * BLOCK:
            continue
        of_term = list(map(operator.itemgetter(term), map(strengths.__getitem__, numbers)))
        blocks = []
        for start in range(0, len(numbers), BLOCK):
            chunk = numbers[start:start + BLOCK]
            end = start + len(chunk)
            blocks.append(_Block(start, end, min(map(lightest.__getitem__, chunk)),
                                 min(map(shortest.__getitem__, chunk)), max(map(longest.__getitem__, chunk)),
                                 max(of_term[start:end]), max(map(kind.__getitem__, chunk))))
        out[term] = tuple(blocks)
    return out


def _chooses(text: str) -> bool:
    """Whether a folded question clause asks to choose among things named before it, naming none itself:
    "which is right for you?", "which one works best?" (but not "which cream should I use?")."""
    words = text.split()
    return len(words) > 1 and words[0] == "which" and words[1] in STOPWORDS


def _tagline(clause: Clause) -> bool:
    """Whether *clause*, coming after a question, is a heading's tagline rather than more of the question:
    a few words, none of them the asker's own or pointing back, that ask nothing ("A Beginner's Guide",
    "Risks and Benefits") or only say what follows ("What You Need To Know", "How To Prepare")."""
    words = clause.text.split()
    if len(words) > HEADING_WORDS or not _FIRST_PERSON.isdisjoint(words) or not _POINTERS.isdisjoint(words):
        return False
    return not clause.asks or (len(words) > 1 and words[0] in _WH and words[1] in ("you", "to"))


def _group_order(group: _Group) -> tuple[float, tuple[str, ...]]:
    """Lightest first (see :attr:`_Document.groups`), then by text, so that the order is the same every time."""
    return group.norm, group.texts


def _foreign(query: Query, document: _Document) -> float:
    """The share of *query*'s weight that *document* never speaks of (see :attr:`Evidence.foreign`)."""
    strength = document.strength
    return sum(weight for term, weight in query.weights.items() if term not in strength) / query.total


def _names(query: Query, document: _Document, bound: bool, foreign: float) -> float:
    """How strongly *document* is about what *query* names as its subject (see :attr:`Evidence.names`);
    0 for a document *bound* to the FAQ's subject (its question names it) when the query may be about
    something else (:attr:`Query.elsewhere`) or the document, never speaking of the share *foreign*
    of it, is outside it (:meth:`Query.outside`); and for one that never asks what something is when
    the query asks what a thing is (:attr:`Query.defining`)."""
    if ((query.elsewhere or query.outside(foreign)) and (bound or query.unset)) or (
            query.defining and not document.kinds.get(DEFINING)):
        return 0.0
    return 1.0 if query.named_term is None else document.strength.get(query.named_term, 0.0)


def _overlap(amount: float, asked: float, said: float) -> float:
    """The overlap evidence of a phrasing of norm *said* that says *amount* of a question of weight *asked*
    (see :data:`QUERY_SIDE`; the search writes it out inline where it runs for every document)."""
    return (amount / asked) ** QUERY_SIDE * min(1.0, amount / said) ** (1 - QUERY_SIDE)


def _gate(overlap: float) -> float:
    """How much character similarity counts at *overlap* (see :data:`CHARS_FROM`)."""
    return overlap / CHARS_FROM if overlap < CHARS_FROM else 1.0


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def _logit(score: float) -> float:
    p = min(max(score / 100.0, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


def _char_bound(size: int, shortest: int, longest: int) -> float:
    """The most rapidfuzz ``ratio`` (0-1) can give a text of *size* and one of length in [shortest, longest]."""
    nearest = shortest if size < shortest else longest if size > longest else size
    return 2 * min(size, nearest) / (size + nearest) if size + nearest else 0.0


class Matcher:
    """Finds the FAQ entries (and declined topics) that best answer a question.

    *exhaustive* judges every document instead of using the index; it gives
    the same results, more slowly, and exists to prove exactly that.
    *calibration* holds the weights of the evidence (the fitted ones by default).
    """

    def __init__(self, faq: Faq, *, exhaustive: bool = False, calibration: Calibration = FITTED) -> None:
        self.faq = faq
        self.exhaustive = exhaustive
        self.calibration = calibration
        with paused_gc():  # a large FAQ makes millions of small objects, and no cycles worth collecting
            self._build(faq)

    def _build(self, faq: Faq) -> None:
        """Normalise every phrasing once and index the documents."""
        docs: list[Entry | Gap] = [*faq.entries, *faq.not_covered]
        # Each answer (a declined topic's name) folded once: its words are counted, then read.
        answers = [fold(doc.answer if isinstance(doc, Entry) else doc.topic).split() for doc in docs]
        # folded word -> how often the FAQ uses it, counted in one pass (a large FAQ has millions of words)
        vocabulary = Counter(itertools.chain.from_iterable(
            words for doc, answer in zip(docs, answers) for words in _words_of(doc, answer)))
        self.normalizer = Normalizer(faq.synonyms, vocabulary, faq.concepts)
        terms_of = self.normalizer.terms_of_words

        def content(words: list[str]) -> tuple[str, ...]:
            return tuple(t for t in terms_of(words) if t not in STOP_TERMS)

        # First pass: what each document says, to know how rare each term is.
        said: list[tuple[list[tuple[str, tuple[str, ...], str]], dict[str, float], dict[str, float]]] = []
        for doc, answer in zip(docs, answers):
            phrasings = []
            support: dict[str, float] = {}
            kinds: dict[str, float] = {}
            weight_sum = 0.0
            for index, phrasing in enumerate(doc.phrasings):
                # Read as a question is read: clause by clause, openers ("so", "first") left out.
                pieces = clauses(phrasing)
                if len(pieces) == 1:  # most phrasings
                    terms = terms_of(pieces[0].text.split())
                else:
                    terms = tuple(t for c in pieces for t in terms_of(c.text.split()))
                informative = tuple([t for t in terms if t not in STOP_TERMS])
                phrasings.append((phrasing, informative, " ".join(terms)))
                weight = QUESTION_WEIGHT if index == 0 and isinstance(doc, Entry) else 1.0
                weight_sum += weight
                for term in set(informative):
                    support[term] = support.get(term, 0.0) + weight
                for kind in {question_kind(c.text) for c in pieces if c.asks}:
                    if kind is not None:
                        kinds[kind] = kinds.get(kind, 0.0) + weight
            if isinstance(doc, Entry) and len(doc.alternates) < OPENING_UNDER:  # counted in neither support nor kinds
                opening, rest = _opening(doc.answer)
                first = fold(opening).split()
                terms = terms_of(first)
                informative = tuple([t for t in terms if t not in STOP_TERMS])
                if informative:
                    phrasings.append((opening, informative, " ".join(terms)))
                # the answer read in two pieces: the rest is the answer's words after the opening's
                rest_words = answer[len(first):] if answer[:len(first)] == first else fold(rest).split()
                said_in_answer = (*informative, *content(rest_words))
            else:
                said_in_answer = content(answer)
            strength = {term: min(1.0, PHRASING_FLOOR + (1 - PHRASING_FLOOR) * amount / weight_sum / FULL_SUPPORT)
                        for term, amount in support.items()}
            core = (doc.question, *doc.tags) if isinstance(doc, Entry) else ()
            for text in core:
                strength.update(dict.fromkeys(content(fold(text).split()), 1.0))
            for term in said_in_answer:
                strength[term] = max(strength.get(term, 0.0), ANSWER_STRENGTH)
            said.append((phrasings, strength, {k: v / weight_sum for k, v in kinds.items()}))

        count = max(len(docs), 1)
        df: Counter[str] = Counter()
        for _, strength, _ in said:
            df.update(strength.keys())
        self._idf = {term: math.log((count + 1) / n) for term, n in df.items()}
        self._unknown = math.log(count + 1)
        # The FAQ's subject: the word of most entries' questions, when at least half of them have it.
        asked: Counter[str] = Counter()
        for entry in faq.entries:
            asked.update(set(content(fold(entry.question).split())))
        top = asked.most_common(1)
        self.subject: str | None = top[0][0] if top and 2 * top[0][1] >= len(faq.entries) > 1 else None
        self._topics = self._topic_terms()

        # Second pass: the documents, their phrasing groups and the index.
        self._docs: list[_Document] = []
        self._postings: dict[str, list[int]] = {}
        self._number_of: dict[int, int] = {}  # id(document record) -> its place
        self._exact: dict[str, list[int]] = {}  # a normalised phrasing -> the documents that have it
        rarity = self._idf.__getitem__
        exact, postings = self._exact, self._postings  # (a million lookups at 100,000 phrasings)
        for number, (doc, (phrasings, strength, kinds)) in enumerate(zip(docs, said)):
            grouped: dict[frozenset[str], list[tuple[str, str]]] = {}
            for phrasing, informative, text in phrasings:
                grouped.setdefault(frozenset(informative), []).append((phrasing, text))
                owners = exact.get(text)
                if owners is None:
                    exact[text] = [number]
                elif number not in owners:
                    owners.append(number)
            groups: list[_Group] = []
            for shared, members in grouped.items():
                norm = sum(map(rarity, shared)) or 1.0
                if len(members) == 1:  # most groups
                    (phrasing, text), = members
                    groups.append(_Group(shared, norm, (text,), (phrasing,), len(text), len(text)))
                else:
                    texts = tuple([t for _, t in members])
                    lengths = [len(t) for t in texts]
                    groups.append(_Group(shared, norm, texts, tuple([p for p, _ in members]), min(lengths),
                                         max(lengths)))
            groups.sort(key=_group_order)
            masks: dict[str, int] = {}
            for bit, group in enumerate(groups):
                for term in group.terms:
                    masks[term] = masks.get(term, 0) | 1 << bit
            self._docs.append(_Document(doc, tuple(groups), masks, strength, kinds,
                                        min(g.shortest for g in groups), max(g.longest for g in groups)))
            self._number_of[id(doc)] = number
            for term in strength:
                numbers = postings.get(term)
                if numbers is None:
                    postings[term] = [number]
                else:
                    numbers.append(number)
        self._derive()
        self._models: dict[int, _Model] = {}
        if sum(len(phrasings) for phrasings, _, _ in said) <= EAGER_MODELS:
            for number in range(len(self._docs)):
                self._model(number)

    # -- state, for the cache ----------------------------------------------

    #: The shape of :meth:`to_state`; a cache of another format is not used.
    STATE_FORMAT = 4

    def to_state(self) -> dict[str, object]:
        """Everything the matcher built, as plain data (lists, dicts, strings, numbers).

        :meth:`from_state` makes the same matcher from it without parsing or
        building anything; :mod:`assistant.cache` stores it.
        """
        place = {id(doc): n for n, doc in enumerate((*self.faq.entries, *self.faq.not_covered))}
        docs = [(place[id(d.doc)], [(tuple(g.terms), *g[1:]) for g in d.groups],
                 d.masks, d.strength, d.kinds, d.shortest, d.longest) for d in self._docs]
        return {"format": self.STATE_FORMAT, "faq": faq_state(self.faq), "normalizer": self.normalizer.to_state(),
                "idf": self._idf, "unknown": self._unknown, "docs": docs, "postings": self._postings,
                "exact": self._exact, "subject": self.subject}

    @classmethod
    def from_state(cls, state: dict, *, calibration: Calibration = FITTED) -> Matcher:
        """The matcher :meth:`to_state` described; raises ``KeyError``, ``TypeError``,
        ``ValueError`` or ``IndexError`` when *state* has another shape."""
        if state["format"] != cls.STATE_FORMAT:
            raise ValueError(f"matcher state format {state['format']!r}, not {cls.STATE_FORMAT}")
        with paused_gc():
            return cls._restore(state, calibration)

    @classmethod
    def _restore(cls, state: dict, calibration: Calibration) -> Matcher:
        matcher = cls.__new__(cls)
        matcher.faq = faq_from_state(state["faq"])
        matcher.exhaustive = False
        matcher.calibration = calibration
        matcher.normalizer = Normalizer.from_state(state["normalizer"])
        matcher._idf = dict(state["idf"])
        matcher._unknown = float(state["unknown"])
        everything = (*matcher.faq.entries, *matcher.faq.not_covered)
        matcher._docs = [
            _Document(everything[doc], tuple(_Group(frozenset(g[0]), *g[1:]) for g in groups),
                      dict(masks), dict(strength), dict(kinds), shortest, longest)
            for doc, groups, masks, strength, kinds, shortest, longest in state["docs"]]
        matcher._postings = dict(state["postings"])
        matcher._exact = dict(state["exact"])
        matcher.subject = state["subject"]
        if matcher.subject is not None and matcher.subject not in matcher._idf:
            raise ValueError("matcher state names a subject its index does not have")
        # Every document once, and the index pointing at none that is not there: a state of another
        # FAQ or a cut-down one would fail on the first question instead of here.
        count = len(everything)
        if sorted(doc for doc, *_ in state["docs"]) != list(range(count)):
            raise ValueError(f"matcher state has {len(matcher._docs)} documents for an FAQ of {count}")
        if any(n >= count or n < 0 for numbers in (*matcher._postings.values(), *matcher._exact.values())
               for n in (min(numbers, default=0), max(numbers, default=0))):
            raise ValueError("matcher state points at documents it does not have")
        matcher._number_of = {id(d.doc): n for n, d in enumerate(matcher._docs)}
        matcher._topics = matcher._topic_terms()
        matcher._derive()
        matcher._models = {}
        return matcher

    # -- public API --------------------------------------------------------

    def best(self, query: str | Query, *, score_cutoff: float = 0) -> Match | None:
        """The best entry for *query*, or ``None`` when nothing matches
        (or a topic the FAQ declines on purpose matches better)."""
        found = self.match(query, limit=1, score_cutoff=score_cutoff)
        return found[0] if found else None

    def match(self, query: str | Query, *, limit: int = 3, score_cutoff: float = 0) -> list[Match]:
        """Up to *limit* entries, best first, one match per entry, scoring at
        least *score_cutoff*; entries that a not-covered topic outranks are left out."""
        found = []
        for match in self.rank(query, limit=limit, score_cutoff=score_cutoff):
            if not match.covered:
                break
            found.append(match)
        return found

    def rank(self, query: str | Query, *, limit: int = 3, score_cutoff: float = 0,
             within: float | None = None) -> list[Match]:
        """Like :meth:`match`, but the not-covered topics take part too, as the reply composer needs.

        *within* keeps only matches scoring at most that many points below the
        best one, and lets the search skip everything else.
        """
        return self._rank(query, limit, score_cutoff, within, None)

    def candidates(self, query: str | Query, *, limit: int, spread: float) -> list[Match]:
        """The best *limit* documents (entries and declined topics) whose log-odds are at most
        *spread* below the best one's: what a decision that caps every lead at *spread* weighs."""
        return self._rank(query, limit, 0, None, spread)

    def _rank(self, query: str | Query, limit: int, score_cutoff: float, within: float | None,
              spread: float | None) -> list[Match]:
        prepared = query if isinstance(query, Query) else self.analyse(query)
        if limit < 1 or prepared is None:
            return []
        if self.exhaustive:
            judged = (self._judge_plainly(prepared, number) for number in range(len(self._docs)))
            found = [j for j in judged if j is not None]
        else:
            found = self._search(prepared, limit, score_cutoff, within, spread)
        found.sort(key=lambda item: (-item[0], item[1]))
        out: list[Match] = []
        for z, number, phrasing, (overlap, chars, coverage, kind) in found[:limit]:
            score = round(100 * _sigmoid(z), 1)
            if out and within is not None and score < out[0].score - within:
                break
            if spread is not None and z < found[0][0] - spread:
                break
            if score >= score_cutoff:
                document = self._docs[number]
                foreign = _foreign(prepared, document)
                evidence = Evidence(overlap, chars, coverage, kind, prepared.long,
                                    _names(prepared, document, number in self._bound, foreign), foreign)
                out.append(Match(document.doc, score, phrasing, evidence))
        return out

    def _topic_terms(self) -> frozenset[str]:
        """The terms of the entries' tags: the topics a question can name before it asks ("I have stretch
        marks on my hips. Would it help them?")."""
        terms = self.normalizer.terms_of_words
        return frozenset(t for entry in self.faq.entries for tag in entry.tags for t in terms(fold(tag).split())
                         if t not in STOP_TERMS)

    def _derive(self) -> None:
        """What the index alone tells, made again from it after a build or a restore (never cached)."""
        self._kind_most = _kind_most(self._docs)
        self._blocks = _blocks_of(self._docs, self._postings)
        self._naming = self._naming_terms()
        self._setting = self._setting_terms()
        self._bound = self._bound_documents()
        self._own_names = self._subject_names()
        self._declined_only = self._declined_only_terms()

    def _naming_terms(self) -> frozenset[str]:
        """The subject's term, and those the FAQ's entries use for it: in most entries' phrasings, nearly
        always in phrasings that do not name the subject ("needling" for "micro needling")."""
        subject = self.subject
        if subject is None:
            return frozenset()
        entries = len(self.faq.entries)  # the first documents
        found = {subject}
        for term, numbers in self._postings.items():
            if 2 * len(numbers) < entries or term in found:
                continue
            spread = used = alone = 0
            for number in numbers:
                if number >= entries:
                    break  # postings are in document order: the rest are declined topics
                masks = self._docs[number].masks
                mask = masks.get(term, 0)
                if mask:
                    spread += 1
                    used += mask.bit_count()
                    alone += (mask & ~masks.get(subject, 0)).bit_count()
            if 2 * spread >= entries and alone >= NAMING_ALONE * used:
                found.add(term)
        return frozenset(found)

    def _setting_terms(self) -> frozenset[str]:
        """What most entries speak of, anywhere in them (the subject, the skin, the treatment): at least
        :data:`SETTING_SHARE` of the entries have each."""
        entries = len(self.faq.entries)
        if not entries:
            return frozenset()
        found = set()
        for term, numbers in self._postings.items():
            # postings are in document order, entries first: how many of a term's documents are entries
            if bisect.bisect_left(numbers, entries) >= SETTING_SHARE * entries:
                found.add(term)
        return frozenset(found)

    def _declined_only_terms(self) -> dict[str, Gap]:
        """The words of the declined topics' own names that no entry ever uses, in any of its texts
        ("tattoo" in "tattoos and tattoo removal", "wax" in "hair removal, waxing and shaving"), of the
        topics about other things: whose names neither name the FAQ's subject nor point to it (not
        "whether micro needling is worth it", nor "combining it with other procedures") and whose
        phrasings name it at most :data:`OTHER_SUBJECT_SHARE` of the time (not "peeling, scabs, swelling
        ... afterwards", asked of micro needling most often). Each with the (first) topic that names it."""
        entries = len(self.faq.entries)
        said = {term for document in self._docs[:entries] for term in document.strength}
        found: dict[str, Gap] = {}
        for gap, document in zip(self.faq.not_covered, self._docs[entries:]):
            words = fold(gap.topic).split()
            terms = self.normalizer.terms_of_words(words)
            asked = sum(len(group.phrasings) for group in document.groups)
            naming = sum(len(group.phrasings) for group in document.groups if not self._naming.isdisjoint(group.terms))
            # "combining it with other procedures (botox...)": its "it" is the subject, as a name would be
            if (self._naming.isdisjoint(terms) and _SUBJECT_POINTERS.isdisjoint(words)
                    and naming <= OTHER_SUBJECT_SHARE * asked):
                for term in terms:
                    if term not in STOP_TERMS and term not in said:
                        found.setdefault(term, gap)
        return found

    def _bound_documents(self) -> frozenset[int]:
        """The entries whose own question names the FAQ's subject: they answer within it."""
        subject = self.subject
        if subject is None:
            return frozenset()
        bound = set()
        for number, entry in enumerate(self.faq.entries):
            for group in self._docs[number].groups:
                if entry.question in group.phrasings:
                    if subject in group.terms:
                        bound.add(number)
                    break
        return frozenset(bound)

    def analyse(self, query: str, *, it_is_subject: bool = False) -> Query | None:
        """*query* as the matcher sees it, or ``None`` when it has nothing to match on.

        A clause that asks something counts fully, the rest (a story, a
        heading's lead) for :data:`CONTEXT_WEIGHT`; a spelling guess counts
        as partly unknown, and a word the FAQ never uses counts against, unless
        it is in a lead-in: a story's own words ("My aunt keeps raving about
        'CIT' facials...") say nothing about what is asked, and are not
        guessed into the FAQ's ("Microneedling sounds scary" is not about scars).
        A heading's tagline after its question ("... A Beginner's Guide") is left out. The query also
        says whether it may be about something other than the FAQ's subject, and whether it asks what
        a thing is (see :attr:`Query.elsewhere`, :attr:`Query.defining`). With *it_is_subject* (a part
        of a message that named the subject), its "it" is the subject ("will it hurt").
        """
        pieces = clauses(query[:MAX_QUERY_CHARS])
        asking = any(c.asks for c in pieces)
        first = next((k for k, c in enumerate(pieces) if c.asks), 0)
        if asking and _POINTERS.isdisjoint(pieces[first].text.split()):
            # "What Exactly Is Microneedling? A Beginner's Guide": the guide is not asked about (but in
            # "Is It Effective? — Derma roller For Stretch Marks" the rest is what "it" is)
            pieces = [c for k, c in enumerate(pieces) if k <= first or not _tagline(c)]
        kinds: set[str] = set()
        if self._names_alike(pieces):
            # "Dermapen vs microneedling: what's the difference?" asks whether two names are one thing
            pieces = [Clause(" ".join(w for w in c.text.split() if w not in _COMPARING), c.asks) for c in pieces]
            kinds.add(DEFINING)
        pointing = (any(c.asks and not _POINTERS.isdisjoint(c.text.split()) for c in pieces)
                    or (first > 0 and (len(pieces[first].text.split()) <= SHORT_QUESTION
                                       or _chooses(pieces[first].text))))
        # A heading counts fully only when the question does not name the heading's words itself.
        asked = {w for c in pieces if c.asks for w in c.text.split()} - STOPWORDS if pointing else set()
        read = [self.normalizer.analyse(c.text) for c in pieces]
        # A question that points back, or names no topic of the FAQ's ("Would skin needling make any
        # difference?" after a story of acne scars), asks about the topic its story or heading names.
        storied = pointing or (asking and all(self._topics.isdisjoint(terms)
                                              for (terms, _), c in zip(read, pieces) if c.asks))
        weights: dict[str, float] = {}
        unknown = doubt = 0.0
        guessed = False
        texts: list[str] = []
        full: set[str] = set()  # the terms of the clauses that count fully
        for place, clause in enumerate(pieces):
            central = clause.asks or not asking
            words = clause.text.split()
            # After the question, the asker's own remark ("Sounds backwards to me.") is no heading.
            heading = (pointing and len(words) <= HEADING_WORDS and asked.isdisjoint(words)
                       and _REPORTING.isdisjoint(words) and (place < first or _FIRST_PERSON.isdisjoint(words)))
            factor = 1.0 if central or heading else CONTEXT_WEIGHT
            topics = self._topics if storied and factor < 1.0 else frozenset()
            terms, guesses = read[place]
            texts.extend(terms)
            if factor >= 1.0 and any(sure < SURE_TYPO for sure in guesses.values()):
                guessed = True
            # A heading that names the FAQ's subject says what "it" is; its other words are its story.
            named_heading = heading and not clause.asks and self.subject in terms
            kind = question_kind(clause.text) if central else None
            if kind is not None:
                kinds.add(kind)
            if central and self.subject is not None and terms.count(self.subject) > 1:
                kinds.add(DEFINING)  # two of the subject's names ("is CIT the same as microneedling"): what it is
            for term in dict.fromkeys(terms):
                if term in STOP_TERMS:
                    continue
                rarity = self._idf.get(term)
                if rarity is None:
                    # a lead-in's own words ("My aunt keeps raving...") say nothing against
                    if factor >= 1.0 and not named_heading:
                        unknown += 1.0 if term.isalpha() else 0.5
                    continue
                sure = guesses.get(term, 1.0)
                if sure < 1.0 and factor < 1.0:
                    continue  # nor guessed into one the FAQ knows: "sounds scary" is not about scars
                if factor >= 1.0:
                    full.add(term)
                counts = TOPIC_WEIGHT if term in topics else factor  # the topic an "it" or "them" points back to
                weights[term] = max(weights.get(term, 0.0), rarity * sure * counts)
                doubt += rarity * (1.0 - sure) * counts  # an unsure spelling guess is partly unexplained
        # Numbers count, but cannot make a match on their own ("2+2" is not step 2).
        worded = [t for t in weights if not t.isdigit()]
        subject = self.subject
        implied = False
        if subject is not None and not worded and not unknown and not _SUBJECT_POINTERS.isdisjoint(texts):
            # Nothing but common words and "it": the question is about what the whole FAQ is about.
            implied = True
            texts = [subject if t in _SUBJECT_POINTERS else t for t in texts]
            weights[subject] = self._idf[subject]
            worded = [subject]
        elif it_is_subject and subject is not None and subject not in weights and "it" in texts:
            # a part of a message that named the subject before ("... Will it hurt?"): its "it" is the subject
            texts = [subject if t == "it" else t for t in texts]
            weights[subject] = self._idf[subject]
            worded.append(subject)
        if not worded:
            return None
        total = sum(weights.values()) + doubt + self._unknown * unknown ** UNKNOWN_GROWTH
        long = min(1.0, max(0.0, (len(weights) + unknown - LONG_FROM) / LONG_SPAN))
        named = named_term = None
        named_topic: Gap | None = None
        if subject not in weights:
            word = next((w for w in map(subject_word, (c.text for c in pieces if c.asks)) if w), None)
            named_term = next((t for t in self.normalizer.terms(word) if t not in STOP_TERMS), None) if word else None
            named = word if named_term is not None else None
            if named_term is None and self._naming.isdisjoint(weights):
                # Nothing names the subject: when the heaviest word asked with (or one as heavy) is one only
                # the declined topics of other subjects use ("my new tattoo looks red, is that normal?"), the
                # question is about that, unless it is only what something is likened to ("red, like a tattoo").
                most = max(weights[t] for t in worded)
                other = next((t for t in worded if weights[t] >= most and t in full and t in self._declined_only
                              and not self._likened(pieces, t)), None)
                if other is not None:
                    named = named_term = other
            if named_term is not None:
                named_topic = self._declined_only.get(named_term)
        # Only an FAQ with a subject can tell a question about something else ("skiing") from its own.
        loose = (subject is not None and not implied and self._naming.isdisjoint(weights)
                 and self._topics.isdisjoint(weights) and _POINTERS.isdisjoint(texts))
        elsewhere = loose and unknown >= 1.0
        return Query(" ".join(texts), weights, total or 1.0, frozenset(kinds), frozenset(worded), long, implied,
                     named, named_term, named_topic, unknown=unknown,
                     defining=subject is not None and named_term is not None and DEFINING in kinds,
                     elsewhere=elsewhere, unset=elsewhere and self._setting.isdisjoint(weights),
                     about=subject is not None and not implied and subject in weights, loose=loose, exact=not guessed)

    def _likened(self, pieces: list[Clause], term: str) -> bool:
        """Whether every word of the clauses that reads as *term* follows "like" closely ("it stings like a
        fresh tattoo"): what something is compared with, not what is asked about."""
        found = False
        for clause in pieces:
            words = clause.text.split()
            for at, word in enumerate(words):
                if term in self.normalizer.terms_of_words([word]):
                    if "like" not in words[max(0, at - LIKENED_WITHIN):at]:
                        return False
                    found = True
        return found

    def _names_alike(self, pieces: list[Clause]) -> bool:
        """Whether the clauses compare another name of the FAQ's subject with its own ("is CIT the same
        as microneedling", "dermapen vs micro needling"): words of comparing (:data:`_COMPARING`), the
        subject twice, once by its own name (two other names, "derma roller vs derma pen", may be two
        tools)."""
        if self.subject is None or all(_COMPARING.isdisjoint(c.text.split()) for c in pieces):
            return False
        if not any(f" {name} " in f" {c.text} " for c in pieces for name in self._own_names):
            return False
        return sum(self.normalizer.terms(c.text).count(self.subject) for c in pieces) > 1

    def _subject_names(self) -> frozenset[str]:
        """The FAQ's own name for its subject, however it is spaced or hyphenated ("microneedling",
        "micro needling"): the synonym whose term is the subject, and its variants that are the same
        letters."""
        subject = self.subject
        found: set[str] = set()
        for key, variants in self.faq.synonyms.items():
            if subject is None or self.normalizer.terms(key) != (subject,):
                continue
            letters = fold(key).replace(" ", "")
            found.update(name for name in map(fold, (key, *variants)) if name.replace(" ", "") == letters)
        return frozenset(found)

    def fit(self, query: str | Query, matches: list[Match]) -> list[float]:
        """How well each document of *matches*, taken as a whole, explains the question.

        The score says how close the question is to one phrasing; this asks
        which document's phrasings, taken together, most likely produced its
        words and word pairs ("why", "how much" included): a naive Bayes
        log-likelihood per match, smoothed over the features of *matches*
        only. Where it agrees with the score, a close call is safer.
        """
        prepared = query if isinstance(query, Query) else self.analyse(query)
        if prepared is None or not matches:
            return [0.0] * len(matches)
        models = [self._model(self._number_of[id(m.doc)]) for m in matches]
        counts = [model for model, _ in models]
        features = []
        for feature in _features(prepared.text.split()):
            for model in counts:
                if feature in model:
                    features.append(feature)
                    break
        size = sum(map(len, counts))
        unseen = [math.log(MODEL_ALPHA)] * len(features)
        return [sum(map(model.get, features, unseen)) - len(features) * math.log(counted + MODEL_ALPHA * size)
                for model, counted in models]

    def _model(self, number: int) -> _Model:
        """Document *number*'s phrasing model, made the first time it is asked for (few documents ever are)."""
        model = self._models.get(number)
        if model is None:
            counts: Counter[str] = Counter()
            for group in self._docs[number].groups:
                for text in group.texts:
                    counts.update(set(_features(text.split())))
            model = self._models[number] = _Model(
                {feature: math.log(n + MODEL_ALPHA) for feature, n in counts.items()}, sum(counts.values()))
        return model

    def warnings(self) -> list[str]:
        """What an FAQ author should know about the phrasings as the matcher reads them.

        A phrasing that reads the same as another document's, once synonyms,
        concepts and stems are applied, can never tell the two apart; one
        made only of common words can never be matched; an entry whose first
        :data:`LEADING_ALTERNATES` alternates are not those that best stand
        for all of them (:meth:`representative`) is found less well by an FAQ
        cut to them, and by strangers' questions. None makes the file invalid
        (``--check`` lists them as warnings).
        """
        found = []
        for text, owners in self._exact.items():
            if len(owners) > 1:
                names = [self._docs[n].doc.label for n in owners]
                phrasings = [next(p for g in self._docs[n].groups for p, t in zip(g.phrasings, g.texts) if t == text)
                             for n in owners]
                found.append(f"{' and '.join(f'{p!r} ({n})' for p, n in zip(phrasings, names))} read the same "
                             f"once synonyms and concepts apply ({text!r}): keep one")
        for document in self._docs:
            for group in document.groups:
                if not group.terms:
                    found.extend(f"{p!r} ({document.doc.label}) has only common words, so no question can match it"
                                 for p in group.phrasings)
        for entry in self.faq.entries:
            leading = entry.alternates[:LEADING_ALTERNATES]
            missing = [a for a in self.representative(entry) if a not in leading]
            if missing:
                found.append(f"entry {entry.id!r}: these alternates stand best for its others; move them among its "
                             f"first {LEADING_ALTERNATES}: {', '.join(repr(a) for a in missing)}")
        return found

    def representative(self, entry: Entry, count: int = LEADING_ALTERNATES) -> tuple[str, ...]:
        """The *count* alternates of *entry* that best stand for all of them, the best first.

        They are chosen one at a time, each the one that most raises how well the entry's other
        alternates are matched by its question or by one chosen (how much of an alternate's rare
        words a chosen one says, as :class:`Evidence` overlap weighs them): typical ones first, then
        ones unlike those already chosen (a greedy facility location), so that the first few of
        them are the few that stand best. An FAQ whose entries list these first still finds its
        entries when cut to them (``--eval --alternates``), and the questions of strangers with them.
        """
        alternates = entry.alternates
        if len(alternates) <= count:
            return alternates
        document = self._docs[self._number_of[id(entry)]]
        group_of = {phrasing: group for group in document.groups for phrasing in group.phrasings}
        sets = [group_of[a].terms for a in alternates]
        weights = [group_of[a].norm for a in alternates]
        rarity, size = self._idf, len(sets)
        question = group_of[entry.question]
        best = [_overlap(sum(rarity[t] for t in terms & question.terms), weights[i], question.norm)
                for i, terms in enumerate(sets)]
        # said[j][i]: how much of alternate i alternate j says (from the words they share, found by term).
        having: dict[str, list[int]] = {}
        for j, terms in enumerate(sets):
            for term in terms:
                having.setdefault(term, []).append(j)
        said = [[0.0] * size for _ in range(size)]
        for i, terms in enumerate(sets):
            shared: dict[int, float] = {}
            for term in sorted(terms):
                for j in having[term]:
                    shared[j] = shared.get(j, 0.0) + rarity[term]
            for j, amount in shared.items():
                said[j][i] = _overlap(amount, weights[i], weights[j])
        chosen: list[int] = []

        def gain(j: int) -> float:
            """How much more of the others alternate j would say; rounded, so that sums in another order
            do not decide between alternates with the same words (the first listed goes first)."""
            return round(sum(max(0.0, s - b) for i, (s, b) in enumerate(zip(said[j], best)) if i != j and i not in chosen), 9)

        # Gains only fall as more are chosen: a gain worked out again that still leads is the best one.
        waiting = [(-gain(j), j) for j in range(size)]
        heapq.heapify(waiting)
        while len(chosen) < count:
            _, j = heapq.heappop(waiting)
            fresh = (-gain(j), j)
            if waiting and fresh > waiting[0]:
                heapq.heappush(waiting, fresh)
                continue
            chosen.append(j)
            best = [max(b, s) for b, s in zip(best, said[j])]
        return tuple(alternates[j] for j in chosen)

    def terms(self, query: str) -> tuple[str, ...]:
        """The normalised terms of *query*, as the matcher sees them (for /why)."""
        return self.normalizer.terms(query[:MAX_QUERY_CHARS])

    # -- judging one document ----------------------------------------------

    def _cover(self, query: Query, document: _Document) -> tuple[float, float]:
        """(coverage, kind) of *document* for *query*."""
        strength = document.strength
        covered = 0.0
        for term, weight in query.weights.items():
            known = strength.get(term)
            if known is not None:
                covered += weight * known
        kinds = document.kinds
        kind = max((kinds.get(k, 0.0) for k in query.kinds), default=NO_KIND) if query.kinds else NO_KIND
        return covered / query.total, kind

    def _judge(self, query: Query, number: int, weights: tuple[float, float, float, float],
               floor: float = -math.inf, covered: tuple[float, float] | None = None) -> _Judged | None:
        """(z, document, closest phrasing, (overlap, chars, coverage, kind)) for one document, with the
        evidence *weights* of the question's length; ``None`` when it shares no anchor or cannot reach *floor*.

        The document's groups are split by which of the question's terms they
        have (bit masks, so a common word costs one operation, not one per
        phrasing); the classes are visited by shared weight, each class
        lightest group first, and the search stops as soon as nothing left
        can reach the best phrasing found (or *floor*). *covered* is the
        document's (coverage, kind) when the caller has it already.
        """
        document = self._docs[number]
        masks = document.masks
        present = 0
        shared = []  # (weight, groups) of each query term some phrasing has
        anchors = query.anchors
        for term, weight in query.weights.items():
            mask = masks.get(term)
            if mask:
                shared.append((weight, mask))
                if term in anchors:
                    present |= mask
        if not present:
            return None
        exact = query.exact
        if exact and number in self._exact.get(query.text, ()):
            floor = -math.inf  # its exact phrasing scores at least EXACT_SCORE, whatever the bounds say
        coverage, kind = covered if covered is not None else self._cover(query, document)
        w_overlap, w_chars, w_coverage, w_kind = weights
        base = w_coverage * coverage + w_kind * kind + self.calibration.score_bias
        # Split the candidate groups by the query terms they share.
        classes = [(present, 0.0)]
        for weight, mask in shared:
            split = []
            for members, amount in classes:
                inside = members & mask
                if inside:
                    split.append((inside, amount + weight))
                    if inside != members:
                        split.append((members ^ inside, amount))
                else:
                    split.append((members, amount))
            classes = split
        classes.sort(key=lambda c: -c[1])
        size, total, text = len(query.text), query.total, query.text
        groups, p_side, ratio = document.groups, 1 - QUERY_SIDE, fuzz.ratio
        best: tuple[float, str, float, float] | None = None  # (z, phrasing, overlap, chars)
        goal = floor
        for members, amount in classes:
            q_part = (amount / total) ** QUERY_SIDE
            if base + w_overlap * q_part + w_chars * _gate(q_part) < goal:
                break  # the classes below share less
            while members:
                lowest = members & -members
                members ^= lowest
                group = groups[lowest.bit_length() - 1]
                p_share = amount / group.norm
                overlap = q_part * (p_share if p_share < 1.0 else 1.0) ** p_side
                partial = base + w_overlap * overlap
                w_seen = w_chars * (overlap / CHARS_FROM if overlap < CHARS_FROM else 1.0)
                if partial + w_seen < goal:
                    break  # the rest of the class is heavier: it can only score less
                # rapidfuzz's ratio is at most 2 * min(a, b) / (a + b) for lengths a and b.
                nearest = group.shortest if size < group.shortest else group.longest if size > group.longest else size
                if partial + w_seen * 2 * (size if size < nearest else nearest) / (size + nearest) < goal:
                    continue
                for phrasing, other in zip(group.phrasings, group.texts):
                    if other == text:
                        chars = 1.0
                        z = max(partial + w_seen, _EXACT_Z) if exact else partial + w_seen
                    else:
                        chars = ratio(text, other) / 100.0
                        z = partial + w_seen * chars
                    if best is None or z > best[0]:
                        best = (z, phrasing, overlap, chars)
                        if z > goal:
                            goal = z
        if best is None:
            return None
        z, phrasing, overlap, chars = best
        return z, number, phrasing, (overlap, chars, coverage, kind)

    def _judge_plainly(self, query: Query, number: int) -> _Judged | None:
        """What :meth:`_judge` finds, by scoring every phrasing that shares an anchor: the reference."""
        document = self._docs[number]
        coverage, kind = self._cover(query, document)
        best: _Judged | None = None
        for group in document.groups:
            if group.terms.isdisjoint(query.anchors):
                continue
            amount = sum(query.weights.get(t, 0.0) for t in group.terms)
            overlap = _overlap(amount, query.total, group.norm)
            for phrasing, text in zip(group.phrasings, group.texts):
                chars = 1.0 if text == query.text else fuzz.ratio(query.text, text) / 100.0
                evidence = Evidence(overlap, chars, coverage, kind, query.long)
                z = evidence.z(self.calibration)
                if text == query.text and query.exact:
                    z = max(z, _EXACT_Z)
                if best is None or z > best[0]:
                    best = (z, number, phrasing, (overlap, chars, coverage, kind))
        return best

    def _search(self, query: Query, limit: int, score_cutoff: float, within: float | None,
                spread: float | None = None) -> list[_Judged]:
        """The best *limit* documents, judged best bound first, stopping when no bound can enter.

        Terms are taken heaviest (rarest) first. A document first met at the
        j-th term shares at most the weight of the terms from j on, which bounds
        its z (the ceiling computed per term below); once that ceiling is below what the result
        needs, the postings of the remaining, commoner terms are never walked.
        Every document met gets its own bound, and documents are judged best
        bound first while their bound can still enter the result.
        """
        weights = self.calibration.weights_for(query.long)
        w_overlap, w_chars, w_coverage, w_kind = weights
        bias, total, size = self.calibration.score_bias, query.total, len(query.text)
        kind_most = max((self._kind_most.get(k, 0.0) for k in query.kinds), default=NO_KIND) if query.kinds else NO_KIND
        # Half a rounding step below the cutoff: a score is rounded to 0.1 before it is compared.
        floor = _logit(score_cutoff - 0.05) if score_cutoff > 0.05 else -math.inf
        terms = sorted(query.weights.items(), key=lambda item: (-item[1], item[0]))
        rest = [0.0] * (len(terms) + 1)
        for j in range(len(terms) - 1, -1, -1):
            rest[j] = rest[j + 1] + terms[j][1]
        exact = self._exact.get(query.text, ()) if query.exact else ()
        seen: set[int] = set()
        queue: list[tuple[float, int, tuple[float, float] | None]] = []  # (-bound, document, (coverage, kind)): a heap
        top: list[float] = []  # the best `limit` z so far, descending
        found = []

        def needed() -> float:
            """What a document's z must reach to change the result."""
            need = top[-1] if len(top) >= limit else floor
            if top and spread is not None:
                need = max(need, top[0] - spread)
            if top and within is not None:
                need = max(need, _logit(max(0.0, 100 * _sigmoid(top[0]) - within - 0.1)))
            return need

        def judge_while(ceiling: float) -> None:
            """Judge queued documents whose bound is at least *ceiling* (and can still enter)."""
            while queue and -queue[0][0] >= ceiling:
                negative, number, covered = heapq.heappop(queue)
                need = needed()
                if -negative < need:
                    queue.clear()
                    return
                judged = self._judge(query, number, weights, need, covered)
                if judged is not None:
                    found.append(judged)
                    top.append(judged[0])
                    top.sort(reverse=True)
                    del top[limit:]

        def meet(numbers: Iterable[int]) -> None:
            """Bound each document of *numbers* not met yet, and queue those that can enter."""
            need = needed()  # nothing is judged in here, so what the result needs stays the same
            kinds_asked = tuple(query.kinds)
            for number in numbers:
                if number in seen:
                    continue
                seen.add(number)
                document = self._docs[number]
                strength, masks = document.strength, document.masks
                covered = 0.0
                hits = []  # (weight, groups) of each query term some phrasing has
                for other, weight in terms:
                    known = strength.get(other)
                    if known is not None:
                        covered += weight * known
                        mask = masks.get(other)
                        if mask:
                            hits.append((weight, mask))
                if not hits:
                    continue
                if kinds_asked:
                    kinds = document.kinds
                    kind = 0.0
                    for asked in kinds_asked:
                        share = kinds.get(asked, 0.0)
                        if share > kind:
                            kind = share
                else:
                    kind = NO_KIND
                # Evidence.z of the best this document could do (perfect characters), written out with
                # _gate and _char_bound inlined: this loop runs for every document met (the pruned =
                # exhaustive test holds it to Evidence.z). A phrasing with term t shares at most the
                # terms whose groups meet t's, and is at least as heavy as t's lightest group (groups
                # are sorted lightest first), so the best overlap is at most the best of these per t.
                groups = document.groups
                overlap = 0.0
                for _, mask in hits:
                    amount = 0.0
                    for other_weight, other_mask in hits:
                        if other_mask & mask:
                            amount += other_weight
                    p_share = amount / groups[(mask & -mask).bit_length() - 1].norm
                    most = (amount / total) ** QUERY_SIDE * (p_share if p_share < 1.0 else 1.0) ** (1 - QUERY_SIDE)
                    if most > overlap:
                        overlap = most
                shortest, longest = document.shortest, document.longest
                nearest = shortest if size < shortest else longest if size > longest else size
                chars = 2 * (size if size < nearest else nearest) / (size + nearest) if size + nearest else 0.0
                if overlap < CHARS_FROM:
                    chars *= overlap / CHARS_FROM
                bound = w_overlap * overlap + w_chars * chars + w_coverage * covered / total + w_kind * kind + bias
                if bound >= need:
                    heapq.heappush(queue, (-bound, number, (covered / total, kind)))

        for number in exact:  # a phrasing that is the question itself scores EXACT_SCORE at least
            seen.add(number)
            heapq.heappush(queue, (-math.inf, number, None))
        for j, (term, weight) in enumerate(terms):
            # The most a document not met yet can reach: it shares only terms from here on.
            share = rest[j] / total
            most = share ** QUERY_SIDE
            ceiling = w_overlap * most + w_chars * _gate(most) + w_coverage * share + w_kind * kind_most + bias
            judge_while(ceiling)
            if ceiling < needed():
                break
            postings = self._postings.get(term, ())
            blocks = self._blocks.get(term)
            if blocks is None:
                meet(postings)
                continue
            # A long list, in blocks: a block whose bound cannot enter is passed over whole. Its
            # documents are not marked as met; met later by a commoner term, each gets its own bound.
            after = rest[j + 1]
            ranked = []
            for block in blocks:
                p_share = rest[j] / block.lightest
                overlap = most * (p_share if p_share < 1.0 else 1.0) ** (1 - QUERY_SIDE)
                kind = block.kind if query.kinds else NO_KIND
                ranked.append((w_overlap * overlap
                               + w_chars * _gate(overlap) * _char_bound(size, block.shortest, block.longest)
                               + w_coverage * (weight * block.strength + after) / total + w_kind * kind + bias,
                               block.start, block.end))
            ranked.sort(reverse=True)
            for bound, start, end in ranked:
                judge_while(bound)
                if bound < needed():
                    break
                meet(postings[start:end])
        judge_while(-math.inf)
        return found


def _kind_most(documents: list[_Document]) -> dict[str, float]:
    """Each kind of question -> the largest share of phrasings any document asks it with."""
    most: dict[str, float] = {}
    for document in documents:
        for kind, share in document.kinds.items():
            if share > most.get(kind, 0.0):
                most[kind] = share
    return most


def faq_state(faq: Faq) -> dict[str, object]:
    """An FAQ as plain data (see :meth:`Matcher.to_state`)."""
    return {"entries": [(e.id, e.question, e.alternates, e.answer, e.source, e.tags, e.related, e.line, e.evidence)
                        for e in faq.entries],
            "gaps": [(g.topic, g.phrasings, g.line) for g in faq.not_covered],
            "synonyms": dict(faq.synonyms), "concepts": dict(faq.concepts), "version": faq.version, "path": faq.path}


def faq_from_state(state: dict) -> Faq:
    """The FAQ :func:`faq_state` described."""
    entries = tuple(Entry(i, q, tuple(a), ans, src, tuple(t), tuple(r), line, tuple(ev))
                    for i, q, a, ans, src, t, r, line, ev in state["entries"])
    gaps = tuple(Gap(topic, tuple(p), line) for topic, p, line in state["gaps"])
    return Faq(entries, MappingProxyType({k: tuple(v) for k, v in state["synonyms"].items()}), state["version"],
               state["path"], gaps, MappingProxyType({k: tuple(v) for k, v in state["concepts"].items()}))


def _features(terms: list[str]) -> list[str]:
    """What a phrasing model counts: the terms and each pair of neighbouring terms."""
    return [*terms, *(f"{a} {b}" for a, b in zip(terms, terms[1:]))]


def _opening(answer: str) -> tuple[str, str]:
    """The first sentence of *answer* (see :data:`_OPENING_END`), and the rest of it."""
    opening, *rest = _OPENING_END.split(answer.strip(), maxsplit=1)
    return opening, rest[0] if rest else ""


def _words_of(doc: Entry | Gap, answer: list[str]) -> Iterator[list[str]]:
    """Every text of a document the FAQ's vocabulary is made of, as folded words: its phrasings, its
    answer (a declined topic's name), *answer*, folded already, and an entry's tags."""
    for phrasing in doc.phrasings:
        yield fold(phrasing).split()
    yield answer
    if isinstance(doc, Entry):
        for tag in doc.tags:
            yield fold(tag).split()

