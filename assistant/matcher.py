"""Fuzzy matching of a person's question against the FAQ's phrasings.

A :class:`Matcher` is built once from a :class:`~assistant.faq.Faq` and
queried many times. Every phrasing (each entry's question and alternates) is
normalised once, at build time; a query is normalised on each call.

Scoring blends three signals, each 0-1:

* **term overlap**: the share of the query's informative terms found in the
  phrasing, and of the phrasing's found in the query, weighted by how rare
  each term is across entries (a word every entry uses counts for little;
  a word the FAQ has never seen counts fully against the match, which is
  how questions about things the FAQ does not cover score low);
* **entry coverage**: the share of the query's terms that the entry knows
  anywhere (all its phrasings, and, for less, its answer);
* **character similarity** of the normalised texts (rapidfuzz ``ratio``).

Only phrasings that share at least one informative term with the query can
match, so an inverted index finds the candidates and the cost of a query
grows with the few phrasings that share its words, not with the FAQ. The
blend is bounded, so candidates are scored best-first and the search stops
as soon as no remaining one can enter the result: the pruned search returns
exactly what scoring every phrasing would (``exhaustive=True`` does that,
for tests and benchmarks).

>>> from assistant import load_faq
>>> matcher = Matcher(load_faq("knowledge/faq.yaml"))
>>> matcher.best("how long does a sesion take").entry.id
'session-length'
>>> matcher.best("what's the weather in Paris") is None
True
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from .faq import Entry, Faq, Gap
from .normalize import MAX_QUERY_CHARS, STOP_TERMS, Normalizer, fold

__all__ = ["Match", "Matcher"]

# Blend of the three signals (they sum to 1, so a score is 0-100).
_W_TERMS = 0.65
_W_ENTRY = 0.20
_W_CHARS = 0.15
# The answer text helps an entry's coverage, at this fraction of a phrasing's.
_ANSWER_WEIGHT = 0.5
# How much a word the FAQ has never seen weighs, relative to its rarest word,
# and how that adds up over several such words (n ** _UNKNOWN_GROWTH): a
# long, chatty question has many words the FAQ does not use, a short
# question about another topic has one that matters.
_UNKNOWN_WEIGHT = 1.0
_UNKNOWN_GROWTH = 0.75
# Term overlap = q_share ** _Q_EXP * p_share ** (1 - _Q_EXP): how much of the
# query the phrasing explains matters more than how much of the phrasing
# the query uses.
_Q_EXP = 0.7
# Terms in more than this share of the phrasings are too common to find
# candidates with (their weight is near zero anyway) when others exist.
_COMMON_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Match:
    """One entry found for a query."""

    entry: Entry | None
    """The FAQ entry (``None`` only for a not-covered topic, see :meth:`Matcher.rank`)."""
    score: float
    """How sure the match is, 0-100 (higher is surer)."""
    phrasing: str
    """The question or alternate that matched best."""
    gap: Gap | None = None
    """The not-covered topic that matched, for :meth:`Matcher.rank` only."""

    @property
    def id(self) -> str:
        """The entry id, or ``not-covered`` for a topic the FAQ declines."""
        return self.entry.id if self.entry is not None else "not-covered"


@dataclass(frozen=True, slots=True)
class _Query:
    terms: tuple[str, ...]
    weights: dict[str, float]
    """Known informative terms -> weight."""
    total: float
    """Weight of the whole query, unknown words included."""
    text: str
    anchors: frozenset[str]
    """The terms a phrasing must share to be a candidate at all."""


class Matcher:
    """Finds the FAQ entries that best answer a question.

    *exhaustive* scores every phrasing instead of using the index; it gives
    the same results, more slowly, and exists to prove exactly that.
    """

    def __init__(self, faq: Faq, *, exhaustive: bool = False) -> None:
        self.faq = faq
        self.exhaustive = exhaustive
        # Entries, then the topics the FAQ declines on purpose: both are
        # matched alike, and a decline that fits best hides the entries below it.
        self._docs: list[Entry | Gap] = [*faq.entries, *faq.not_covered]
        self._entry_count = len(faq.entries)
        vocabulary: set[str] = set()
        for doc in self._docs:
            for phrasing in doc.phrasings:
                vocabulary.update(fold(phrasing).split())
            if isinstance(doc, Entry):
                vocabulary.update(fold(doc.answer).split())
        self.normalizer = Normalizer(faq.synonyms, vocabulary)

        self._owner: list[int] = []
        self._phrasing: list[str] = []
        self._text: list[str] = []
        self._terms: list[frozenset[str]] = []
        entry_terms: list[set[str]] = []
        answer_terms: list[frozenset[str]] = []
        terms_cache: dict[str, tuple[str, ...]] = {}
        for index, doc in enumerate(self._docs):
            known: set[str] = set()
            for phrasing in doc.phrasings:
                terms = terms_cache.get(phrasing)
                if terms is None:
                    terms = terms_cache[phrasing] = self.normalizer.terms(phrasing)
                self._owner.append(index)
                self._phrasing.append(phrasing)
                self._text.append(" ".join(terms))
                content = frozenset(t for t in terms if t not in STOP_TERMS)
                self._terms.append(content)
                known.update(content)
            entry_terms.append(known)
            answer = self.normalizer.terms(doc.answer) if isinstance(doc, Entry) else ()
            answer_terms.append(frozenset(t for t in answer if t not in STOP_TERMS) - known)

        # Rarity across entries: a term in every entry is worth ~0.
        count = max(len(self._docs), 1)
        df: dict[str, int] = defaultdict(int)
        for known in entry_terms:
            for term in known:
                df[term] += 1
        for extra in answer_terms:
            for term in extra:
                df[term] += 1
        self._idf = {term: math.log((count + 1) / n) for term, n in df.items()}
        self._unknown = _UNKNOWN_WEIGHT * math.log(count + 1)

        self._norm = [sum(self._idf[t] for t in terms) or 1.0 for terms in self._terms]
        self._entry_weights: list[dict[str, float]] = []
        for known, extra in zip(entry_terms, answer_terms):
            weights = dict.fromkeys(known, 1.0)
            weights.update(dict.fromkeys(extra, _ANSWER_WEIGHT))
            self._entry_weights.append(weights)

        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, terms in enumerate(self._terms):
            for term in terms:
                self._postings[term].append(index)
        self._entry_postings: dict[str, list[int]] = defaultdict(list)
        for index, weights in enumerate(self._entry_weights):
            for term in weights:
                self._entry_postings[term].append(index)
        self._common = max(50, int(_COMMON_SHARE * len(self._terms)))

    # -- public API --------------------------------------------------------

    def best(self, query: str, *, score_cutoff: float = 0) -> Match | None:
        """The best match for *query*, or ``None`` when nothing matches
        (or a topic the FAQ declines on purpose matches better)."""
        found = self.match(query, limit=1, score_cutoff=score_cutoff)
        return found[0] if found else None

    def match(self, query: str, *, limit: int = 3, score_cutoff: float = 0) -> list[Match]:
        """Up to *limit* entries, best first, one match per entry, scores above
        *score_cutoff*; entries that a not-covered topic outranks are left out."""
        found = []
        for match in self.rank(query, limit=limit, score_cutoff=score_cutoff):
            if match.entry is None:
                break
            found.append(match)
        return found

    def rank(self, query: str, *, limit: int = 3, score_cutoff: float = 0) -> list[Match]:
        """Like :meth:`match`, but not-covered topics take part too (``entry`` is
        ``None`` and ``gap`` is set for them), as the reply composer needs."""
        if limit < 1:
            return []
        prepared = self._prepare(query)
        if prepared is None:
            return []
        if self.exhaustive:
            candidates = [i for i, terms in enumerate(self._terms) if not terms.isdisjoint(prepared.anchors)]
        else:
            candidates = self._candidates(prepared)
        return self._rank(prepared, candidates, limit, score_cutoff)

    def terms(self, query: str) -> tuple[str, ...]:
        """The normalised terms of *query*, as the matcher sees them (for /why)."""
        return self.normalizer.terms(query[:MAX_QUERY_CHARS])

    # -- internals ---------------------------------------------------------

    def _prepare(self, query: str) -> _Query | None:
        terms, guesses = self.normalizer.analyse(query[:MAX_QUERY_CHARS])
        weights: dict[str, float] = {}
        unknown = doubt = 0.0
        for term in dict.fromkeys(terms):
            if term in STOP_TERMS:
                continue
            weight = self._idf.get(term)
            if weight is None:
                unknown += 1.0 if term.isalpha() else 0.5
                continue
            sure = guesses.get(term, 1.0)
            weights[term] = weight * sure
            doubt += weight * (1.0 - sure)  # an unsure spelling guess is partly unexplained
        if not weights:
            return None
        total = sum(weights.values()) + doubt + self._unknown * unknown ** _UNKNOWN_GROWTH
        # A match must share an informative term: one that is not in a large
        # share of all phrasings ("skin", "micro needling"), unless the query
        # has nothing else.
        anchors = frozenset(t for t in weights if len(self._postings.get(t, ())) <= self._common)
        return _Query(terms, weights, total or 1.0, " ".join(terms), anchors or frozenset(weights))

    def _candidates(self, query: _Query) -> list[int]:
        seen: set[int] = set()
        for term in query.anchors:
            seen.update(self._postings.get(term, ()))
        return list(seen)

    def _rank(self, query: _Query, candidates: list[int], limit: int, cutoff: float) -> list[Match]:
        weights = query.weights
        entry_cover: dict[int, float] = {}
        bounded: list[tuple[float, int, float]] = []
        for index in candidates:
            shared = sum(weights[t] for t in self._terms[index] if t in weights)
            if shared <= 0:
                continue
            owner = self._owner[index]
            cover = entry_cover.get(owner)
            if cover is None:
                known = self._entry_weights[owner]
                cover = entry_cover[owner] = (sum(w * known.get(t, 0.0) for t, w in weights.items())
                                              / query.total) ** _Q_EXP
            q_share = shared / query.total
            p_share = shared / self._norm[index]
            terms = q_share ** _Q_EXP * p_share ** (1 - _Q_EXP)
            partial = 100 * (_W_TERMS * terms + _W_ENTRY * cover)
            bounded.append((partial, index, partial + 100 * _W_CHARS))
        bounded.sort(key=lambda item: (-item[2], item[1]))
        best: dict[int, tuple[float, int]] = {}
        floor = -1.0
        for partial, index, bound in bounded:
            if len(best) >= limit and bound < floor:
                break
            score = partial + _W_CHARS * fuzz.ratio(query.text, self._text[index])
            owner = self._owner[index]
            previous = best.get(owner)
            if previous is None or score > previous[0] or (score == previous[0] and index < previous[1]):
                best[owner] = (score, index)
                if len(best) >= limit:
                    floor = heapq.nlargest(limit, (s for s, _ in best.values()))[-1]
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        matches = []
        for owner, (score, index) in ranked[:limit]:
            score = round(min(100.0, max(0.0, score)), 1)
            if score <= cutoff and not (cutoff == 0 and score == 0):
                continue
            doc = self._docs[owner]
            if isinstance(doc, Entry):
                matches.append(Match(doc, score, self._phrasing[index]))
            else:
                matches.append(Match(None, score, self._phrasing[index], gap=doc))
        return matches
