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

from .faq import Entry, Faq
from .normalize import MAX_QUERY_CHARS, STOPWORDS, Normalizer, fold, stem

__all__ = ["Match", "Matcher"]

# Blend of the three signals (they sum to 1, so a score is 0-100).
_W_TERMS = 0.65
_W_ENTRY = 0.20
_W_CHARS = 0.15
# The answer text helps an entry's coverage, at this fraction of a phrasing's.
_ANSWER_WEIGHT = 0.5
# How much a word the FAQ has never seen weighs, relative to its rarest word.
_UNKNOWN_WEIGHT = 0.9
# Terms in more than this share of the phrasings are too common to find
# candidates with (their weight is near zero anyway) when others exist.
_COMMON_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Match:
    """One entry found for a query."""

    entry: Entry
    """The FAQ entry."""
    score: float
    """How sure the match is, 0-100 (higher is surer)."""
    phrasing: str
    """The question or alternate that matched best."""


@dataclass(frozen=True, slots=True)
class _Query:
    terms: tuple[str, ...]
    weights: dict[str, float]
    total: float
    text: str


class Matcher:
    """Finds the FAQ entries that best answer a question.

    *exhaustive* scores every phrasing instead of using the index; it gives
    the same results, more slowly, and exists to prove exactly that.
    """

    def __init__(self, faq: Faq, *, exhaustive: bool = False) -> None:
        self.faq = faq
        self.exhaustive = exhaustive
        entries = faq.entries
        vocabulary: set[str] = set()
        for entry in entries:
            for phrasing in entry.phrasings:
                vocabulary.update(fold(phrasing).split())
            vocabulary.update(fold(entry.answer).split())
        self.normalizer = Normalizer(faq.synonyms, vocabulary)

        self._owner: list[int] = []
        self._phrasing: list[str] = []
        self._text: list[str] = []
        self._terms: list[frozenset[str]] = []
        entry_terms: list[set[str]] = []
        answer_terms: list[frozenset[str]] = []
        terms_cache: dict[str, tuple[str, ...]] = {}
        for index, entry in enumerate(entries):
            known: set[str] = set()
            for phrasing in entry.phrasings:
                terms = terms_cache.get(phrasing)
                if terms is None:
                    terms = terms_cache[phrasing] = self.normalizer.terms(phrasing)
                self._owner.append(index)
                self._phrasing.append(phrasing)
                self._text.append(" ".join(terms))
                content = frozenset(t for t in terms if t not in STOPWORDS)
                self._terms.append(content)
                known.update(content)
            entry_terms.append(known)
            answer_terms.append(frozenset(t for t in self.normalizer.terms(entry.answer)
                                          if t not in STOPWORDS) - known)

        # Rarity across entries: a term in every entry is worth ~0.
        count = max(len(entries), 1)
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
        """The best match for *query*, or ``None`` when nothing matches."""
        found = self.match(query, limit=1, score_cutoff=score_cutoff)
        return found[0] if found else None

    def match(self, query: str, *, limit: int = 3, score_cutoff: float = 0) -> list[Match]:
        """Up to *limit* matches, best first, one per entry, scores above *score_cutoff*."""
        if limit < 1:
            return []
        prepared = self._prepare(query)
        if prepared is None:
            return []
        if self.exhaustive:
            candidates = [i for i, terms in enumerate(self._terms) if terms & prepared.weights.keys()]
        else:
            candidates = self._candidates(prepared)
        return self._rank(prepared, candidates, limit, score_cutoff)

    def terms(self, query: str) -> tuple[str, ...]:
        """The normalised terms of *query*, as the matcher sees them (for /why)."""
        return self.normalizer.terms(query[:MAX_QUERY_CHARS])

    # -- internals ---------------------------------------------------------

    def _prepare(self, query: str) -> _Query | None:
        terms = self.normalizer.terms(query[:MAX_QUERY_CHARS])
        weights: dict[str, float] = {}
        total = 0.0
        for term in dict.fromkeys(terms):
            if term in STOPWORDS:
                continue
            weight = self._idf.get(term)
            if weight is None:
                total += self._unknown if term.isalpha() else self._unknown / 2
                continue
            weights[term] = weight
            total += weight
        if not weights:
            return None
        return _Query(terms, weights, total or 1.0, " ".join(terms))

    def _candidates(self, query: _Query) -> list[int]:
        postings = [self._postings[t] for t in query.weights if t in self._postings]
        selective = [p for p in postings if len(p) <= self._common]
        seen: set[int] = set()
        for posting in selective or postings:
            seen.update(posting)
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
                cover = entry_cover[owner] = sum(w * known.get(t, 0.0) for t, w in weights.items()) / query.total
            q_share = shared / query.total
            p_share = shared / self._norm[index]
            terms = 2 * q_share * p_share / (q_share + p_share)
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
            matches.append(Match(self.faq.entries[owner], score, self._phrasing[index]))
        return matches
