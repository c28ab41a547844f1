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
  anywhere (all its phrasings, and, for less, its answer); it counts for
  more in a long question, which no single short phrasing says;
* **character similarity** of the normalised texts (rapidfuzz ``ratio``).

A spelling guess counts as partly unknown (how sure the guess is). A
phrasing that is the query itself (after normalisation) scores at least
:data:`EXACT_SCORE`. Only phrasings that share at least one informative,
worded term with the query (one that is not in a large share of the
entries, and not a bare number) can match. The FAQ's ``not_covered``
topics are matched like entries, so a question closer to one of them than
to any entry is known to be outside the FAQ.

Finding them costs what the query's words cost, not what the FAQ costs: an
inverted index gives the entries that share an informative term; each gets
an upper bound of what its phrasings can score (from the terms it shares
and its coverage, with perfect character similarity), and entries are
scored best bound first, stopping as soon as no remaining bound can enter
the result. The pruned search returns exactly what scoring every phrasing
would (``exhaustive=True`` does that, for tests and benchmarks).

>>> from assistant import load_faq
>>> matcher = Matcher(load_faq("knowledge/faq.yaml"))
>>> matcher.best("how long does a sesion take").entry.id
'session-length'
>>> matcher.best("what's the weather in Paris") is None
True
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise, repeat

from rapidfuzz import fuzz

from .faq import Entry, Faq, Gap
from .normalize import MAX_QUERY_CHARS, STOP_TERMS, Normalizer, fold
from .records import record

__all__ = ["EXACT_SCORE", "Match", "Matcher"]

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
# Terms in more than this share of the entries (or more than _COMMON_MAX
# entries) are too common to find candidates with when the query has others.
_COMMON_SHARE = 0.3
_COMMON_MAX = 300
# From _LONG_FROM informative words on, up to _LONG_SHIFT of the phrasing
# weight moves to the entry's coverage, fully at _LONG_FROM + _LONG_SPAN words.
_LONG_FROM = 4
_LONG_SPAN = 8
_LONG_SHIFT = 0.3
# Smoothing of the phrasing model behind second_opinion (add-alpha).
_MODEL_ALPHA = 0.1
# Rounding room when a bound is compared with a score.
_SLACK = 1e-9
#: The least score of a phrasing that is the query itself, once normalised.
EXACT_SCORE = 97.0


@record
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


@record
class _Query:
    terms: tuple[str, ...]
    weights: dict[str, float]
    """Known informative terms -> weight."""
    total: float
    """Weight of the whole query, unknown words included."""
    text: str
    anchors: frozenset[str]
    """The terms a phrasing must share to be a candidate at all."""
    w_terms: float = _W_TERMS
    """Weight of one phrasing's term overlap; a long question leans on the whole entry instead."""


def _amount(item: tuple[int, float]) -> float:
    return item[1]


def _features(terms: Sequence[str]) -> list[str]:
    """What the phrasing model counts: the terms and each pair of neighbouring terms."""
    return [*terms, *map(" ".join, pairwise(terms))]


def _terms_part(shared: float, total: float, norm: float, w_terms: float = _W_TERMS) -> float:
    """The term-overlap part of a phrasing's score: q_share ** Q * p_share ** (1 - Q), scaled."""
    p_share = shared / norm
    return 100 * w_terms * (shared / total) ** _Q_EXP * (p_share if p_share < 1.0 else 1.0) ** (1 - _Q_EXP)


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
        folded = {p: fold(p).split() for doc in self._docs for p in doc.phrasings}
        answers = {doc.id: fold(doc.answer).split() for doc in faq.entries}
        vocabulary: Counter[str] = Counter()  # word -> how often the FAQ uses it
        for words in (*folded.values(), *answers.values()):
            vocabulary.update(words)
        self.normalizer = Normalizer(faq.synonyms, vocabulary)
        terms_of = self.normalizer.terms_of_words

        self._owner: list[int] = []
        self._phrasing: list[str] = []
        self._text: list[str] = []
        self._exact: dict[str, int] = {}
        known_terms: list[set[str]] = []
        answer_terms: list[set[str]] = []
        # Phrasings of one entry with the same terms form a group: they score
        # alike but for character similarity, so the search handles them once.
        # Per entry: term -> the groups using that term.
        self._local: list[dict[str, list[int]]] = []
        self._members: list[list[int]] = []
        self._group_terms: list[frozenset[str]] = []
        group_terms = self._group_terms
        self._group_of: list[int] = []
        self._spans: list[tuple[int, int]] = []  # each document's phrasings: [start, end)
        for owner, doc in enumerate(self._docs):
            self._spans.append((len(self._owner), len(self._owner) + len(doc.phrasings)))
            known: set[str] = set()
            local: dict[str, list[int]] = {}
            groups: dict[frozenset[str], int] = {}
            for phrasing in doc.phrasings:
                index = len(self._owner)
                terms = terms_of(folded[phrasing])
                text = " ".join(terms)
                content = frozenset(t for t in terms if t not in STOP_TERMS)
                self._owner.append(owner)
                self._phrasing.append(phrasing)
                self._text.append(text)
                self._exact.setdefault(text, index)
                group = groups.get(content)
                if group is None:
                    group = groups[content] = len(self._members)
                    self._members.append([])
                    group_terms.append(content)
                    for term in content:
                        local.setdefault(term, []).append(group)
                self._members[group].append(index)
                self._group_of.append(group)
                known.update(content)
            known_terms.append(known)
            answer = terms_of(answers[doc.id]) if isinstance(doc, Entry) else ()
            answer_terms.append({t for t in answer if t not in STOP_TERMS} - known)
            self._local.append(local)

        # Rarity across entries: a term in every entry is worth ~0.
        count = max(len(self._docs), 1)
        df: dict[str, int] = defaultdict(int)
        for group in (*known_terms, *answer_terms):
            for term in group:
                df[term] += 1
        self._idf = {term: math.log((count + 1) / n) for term, n in df.items()}
        self._unknown = _UNKNOWN_WEIGHT * math.log(count + 1)
        self._group_norm = [sum(self._idf[t] for t in terms) or 1.0 for terms in group_terms]
        # Shortest and longest normalised text, per group and per entry, to bound
        # character similarity by lengths alone.
        self._group_lengths = [(min(len(self._text[i]) for i in members), max(len(self._text[i]) for i in members))
                               for members in self._members]
        # How much each entry knows a term: 1 in a phrasing, less in its answer only.
        self._knows: list[dict[str, float]] = []
        self._entries_with: dict[str, list[int]] = defaultdict(list)
        for owner, (known, extra) in enumerate(zip(known_terms, answer_terms)):
            knows = dict.fromkeys(known, 1.0)
            knows.update(dict.fromkeys(extra, _ANSWER_WEIGHT))
            self._knows.append(knows)
            for term in known:
                self._entries_with[term].append(owner)
        self._entries_with = dict(self._entries_with)  # plain containers only (see assistant.cache)
        self._last: tuple[str, _Query | None] | None = None
        self._models: dict[int, tuple[dict[str, float], int]] = {}  # built on demand, see _model
        self._owners: dict[int, int] | None = None  # see _owner_of_doc
        # Each entry's groups, lightest first (ties by group): a group's place in
        # this order is its bit in the entry's term masks (see _term_bits).
        self._by_weight: list[list[int]] = [
            sorted({g for p in local.values() for g in p}, key=lambda g: (self._group_norm[g], g))
            for local in self._local]
        self._place = [0] * len(self._members)
        for groups in self._by_weight:
            for place, group in enumerate(groups):
                self._place[group] = place
        self._bits: dict[int, dict[str, int]] = {}  # entry -> term -> mask, built on demand (see _term_bits)
        # The lightest phrasing of each entry bounds how much of it a query can cover.
        self._lightest = [self._group_norm[groups[0]] if groups else 1.0 for groups in self._by_weight]
        self._lengths = [(min((self._group_lengths[g][0] for g in groups), default=0),
                          max((self._group_lengths[g][1] for g in groups), default=0))
                         for groups in self._by_weight]
        self._common = max(5, min(int(_COMMON_SHARE * count), _COMMON_MAX))

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_last"] = None  # a memo of the last query is not part of the index
        state["_models"] = {}  # nor are the phrasing models built so far,
        state["_owners"] = None  # nor identities, which change from one process to the next
        state["_bits"] = {}  # nor the term masks built so far
        return state

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

    def rank(self, query: str, *, limit: int = 3, score_cutoff: float = 0,
             within: float | None = None) -> list[Match]:
        """Like :meth:`match`, but not-covered topics take part too (``entry`` is
        ``None`` and ``gap`` is set for them), as the reply composer needs.

        *within* keeps only matches scoring at most that many points below the
        best one, and lets the search skip everything else.
        """
        return [self._as_match(*found) for found in self._ranked(query, limit, score_cutoff, within)]

    def _ranked(self, query: str, limit: int, score_cutoff: float = 0,
                within: float | None = None) -> list[tuple[int, float, int]]:
        """:meth:`rank`'s results as (document, score, phrasing index)."""
        if limit < 1:
            return []
        prepared = self._prepare(query)
        if prepared is None:
            return []
        if self.exhaustive:
            scored = self._score_all(prepared)
        else:
            scored = self._score_pruned(prepared, limit, score_cutoff, within)
        ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        found = []
        for owner, (score, index) in ranked:
            if within is not None and score < ranked[0][1][0] - within:
                break
            score = round(min(100.0, max(0.0, score)), 1)
            if score <= score_cutoff and not (score_cutoff == 0 and score == 0):
                continue
            found.append((owner, score, index))
        return found

    def _as_match(self, owner: int, score: float, index: int) -> Match:
        doc = self._docs[owner]
        if isinstance(doc, Entry):
            return Match(doc, score, self._phrasing[index])
        return Match(None, score, self._phrasing[index], gap=doc)

    def second_opinion(self, query: str, candidates: Sequence[Match] | None = None, *,
                       pool: int = 4) -> Match | None:
        """Which of *candidates* (by default the *pool* best matches) a model of the FAQ's phrasings prefers.

        The score says how close the question is to *one* phrasing; this asks
        which document's phrasings, taken together, most likely produced the
        question's words and word pairs (naive Bayes over each document's
        phrasings, "why" and "how much" included). Where the two agree, a close
        call is safer; where they differ, it is not. ``None`` when there is
        nothing to prefer: fewer than two candidates, or a tie.
        """
        if candidates is None:
            candidates = self.rank(query, limit=pool)
        prepared = self._prepare(query)
        if len(candidates) < 2 or prepared is None:
            return None
        owner_of = self._owner_of_doc()
        models = [self._model(owner_of[id(m.entry if m.entry is not None else m.gap)]) for m in candidates]
        # Only what one of them knows is evidence; smoothing spreads over those.
        features = _features(prepared.terms)
        wanted = set(features)
        known = set().union(*(logs.keys() & wanted for logs, _ in models))
        features = [f for f in features if f in known]
        size = sum(len(logs) for logs, _ in models)
        unseen = math.log(_MODEL_ALPHA)
        likelihoods = []
        for match, (logs, total) in zip(candidates, models):
            # log P(f | doc) = log(count + alpha) - log(total + alpha * size)
            evidence = sum(map(logs.get, features, repeat(unseen, len(features))))
            likelihoods.append((evidence - len(features) * math.log(total + _MODEL_ALPHA * size), match))
        likelihoods.sort(key=lambda item: -item[0])
        if likelihoods[0][0] - likelihoods[1][0] < 1e-9:
            return None  # a tie: no preference
        return likelihoods[0][1]

    def known_share(self, query: str) -> float:
        """How much of the query's informative weight the FAQ knows at all, 0-1.

        A question about another subject shares a word or two with the FAQ
        ("what time is it in Tokyo" and "time"); a question on topic, however
        it is worded, is mostly made of words the FAQ uses somewhere.
        """
        prepared = self._prepare(query)
        return 0.0 if prepared is None else sum(prepared.weights.values()) / prepared.total

    def terms(self, query: str) -> tuple[str, ...]:
        """The normalised terms of *query*, as the matcher sees them (for /why)."""
        return self.normalizer.terms(query[:MAX_QUERY_CHARS])

    # -- internals ---------------------------------------------------------

    def _prepare(self, query: str) -> _Query | None:
        """The query's terms and weights; the last one is kept, as a reply asks twice."""
        last = self._last
        if last is not None and last[0] == query:
            return last[1]
        prepared = self._analyse(query)
        self._last = (query, prepared)
        return prepared

    def _analyse(self, query: str) -> _Query | None:
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
        # share of the entries ("skin", "micro needling"), unless the query
        # has nothing else.
        # Numbers count, but cannot make a match on their own ("2+2" is not step 2).
        worded = [t for t in weights if not t.isdigit()]
        if not worded:
            return None
        anchors = frozenset(t for t in worded if len(self._entries_with.get(t, ())) <= self._common)
        # A long question is never said by one short phrasing: let the entry's
        # coverage of it count for more, in proportion to its length.
        words = len(weights) + unknown
        w_terms = _W_TERMS - _LONG_SHIFT * min(1.0, max(0.0, words - _LONG_FROM) / _LONG_SPAN)
        return _Query(terms, weights, total or 1.0, " ".join(terms), anchors or frozenset(worded), w_terms)

    def _owner_of_doc(self) -> dict[int, int]:
        """Document (by identity) -> its index, for the matches this matcher returns."""
        if self._owners is None:
            self._owners = {id(doc): owner for owner, doc in enumerate(self._docs)}
        return self._owners

    def _model(self, owner: int) -> tuple[dict[str, float], int]:
        """For each term and term pair of a document's phrasings, log(in how many + alpha); and the sum of counts."""
        model = self._models.get(owner)
        if model is None:
            counts: Counter[str] = Counter()
            start, end = self._spans[owner]
            for text in self._text[start:end]:
                counts.update(set(_features(text.split())))
            if len(self._models) >= 4096:
                self._models.clear()
            logs = {feature: math.log(count + _MODEL_ALPHA) for feature, count in counts.items()}
            model = self._models[owner] = (logs, sum(counts.values()))
        return model

    def _entry_bound(self, query: _Query, owner: int) -> tuple[float, float]:
        """(coverage part, upper bound of any phrasing's score) for one entry.

        Character similarity is bounded by the lengths alone: rapidfuzz's
        ratio can be at most 2 * min(a, b) / (a + b) for lengths a and b.
        """
        knows = self._knows[owner]
        shared = covered = 0.0
        for term, weight in query.weights.items():
            strength = knows.get(term)
            if strength is not None:
                covered += weight * strength
                if strength == 1.0:
                    shared += weight
        cover = (_W_ENTRY + _W_TERMS - query.w_terms) * (covered / query.total) ** _Q_EXP
        shortest, longest = self._lengths[owner]
        size = len(query.text)
        nearest = shortest if size < shortest else longest if size > longest else size
        chars = 2 * min(size, nearest) / (size + nearest)
        p_share = shared / self._lightest[owner]
        bound = 100 * (query.w_terms * (shared / query.total) ** _Q_EXP * (p_share if p_share < 1.0 else 1.0)
                       ** (1 - _Q_EXP) + cover + _W_CHARS * chars)
        return 100 * cover, bound

    def _partial(self, query: _Query, index: int, shared: float, cover: float) -> float:
        """The score of one phrasing without its character similarity."""
        return _terms_part(shared, query.total, self._group_norm[self._group_of[index]], query.w_terms) + cover

    def _complete(self, query: _Query, index: int, partial: float) -> float:
        """A partial score plus character similarity, and the floor of an exact phrasing."""
        score = partial + _W_CHARS * fuzz.ratio(query.text, self._text[index])
        return max(score, EXACT_SCORE) if self._text[index] == query.text else score

    def _score(self, query: _Query, index: int, cover: float) -> float:
        """The score of one phrasing, 0-100 (see the module docstring)."""
        weights = query.weights
        shared = sum(weights[t] for t in self._group_terms[self._group_of[index]] if t in weights)
        if shared <= 0:
            return 0.0
        return self._complete(query, index, self._partial(query, index, shared, cover))

    def _score_all(self, query: _Query) -> dict[int, tuple[float, int]]:
        """Every phrasing that shares an anchor, scored: the reference result."""
        best: dict[int, tuple[float, int]] = {}
        covers: dict[int, float] = {}
        for index, group in enumerate(self._group_of):
            terms = self._group_terms[group]
            if terms.isdisjoint(query.anchors):
                continue
            owner = self._owner[index]
            cover = covers.get(owner)
            if cover is None:
                cover = covers[owner] = self._entry_bound(query, owner)[0]
            score = self._score(query, index, cover)
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, index)
        return best

    def _score_pruned(self, query: _Query, limit: int, cutoff: float = 0.0,
                      within: float | None = None) -> dict[int, tuple[float, int]]:
        """The same result, visiting entries best bound first and stopping early
        (at once for entries that cannot beat *cutoff*, or come *within* the best)."""
        owners: set[int] = set()
        for term in query.anchors:
            owners.update(self._entries_with.get(term, ()))
        exact = self._exact.get(query.text)
        exact_owner = self._owner[exact] if exact is not None else -1
        queue = []
        for owner in owners:
            cover, bound = self._entry_bound(query, owner)
            if owner == exact_owner:
                bound = max(bound, EXACT_SCORE)
            queue.append((-bound, owner, cover))
        queue.sort()
        best: dict[int, tuple[float, int]] = {}
        top: list[float] = []  # the best `limit` scores so far, ascending
        for negative_bound, owner, cover in queue:
            bound = -negative_bound
            if ((len(top) >= limit and bound < top[0]) or (cutoff > 0 and bound < cutoff)
                    or (within is not None and top and bound < top[-1] - within)):
                break
            found = self._best_in_entry(query, owner, cover, exact)
            if found is None:
                continue
            best[owner] = found
            top.append(found[0])
            top.sort()
            if len(top) > limit:
                top.pop(0)
        return best

    def _best_in_entry(self, query: _Query, owner: int, cover: float, exact: int | None) -> tuple[float, int] | None:
        """The best (score, phrasing) of one entry, computing character similarity only where it can matter.

        The entry's groups that share an anchor are split by which of the
        query's terms they have (bit masks, so a common word costs one
        operation, not one per phrasing); the classes are visited by shared
        weight, each class lightest group first, and the search stops as soon
        as nothing left can reach the best score found.
        """
        bits = self._bits.get(owner)
        if bits is None:
            bits = self._bits[owner] = {}
        anchors = query.anchors
        present = 0
        masks = []
        for term, weight in query.weights.items():
            mask = bits.get(term)
            if mask is None:
                mask = bits[term] = self._term_bits(owner, term)
            if mask:
                masks.append((mask, weight))
                if term in anchors:
                    present |= mask
        if not present:
            return None
        classes = [(present, 0.0)]
        for mask, weight in masks:
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
        classes.sort(key=_amount, reverse=True)

        found: tuple[float, int] | None = None
        if exact is not None and self._owner[exact] == owner and present >> self._place[self._group_of[exact]] & 1:
            found = (self._score(query, exact, cover), exact)  # its bound is at least EXACT_SCORE: look at it first
        norms, lengths, order, size = self._group_norm, self._group_lengths, self._by_weight[owner], len(query.text)
        # _terms_part inlined: this loop is the hot path (the tests prove it equals the exhaustive search).
        scale, total, q_exp, p_exp = 100 * query.w_terms, query.total, _Q_EXP, 1 - _Q_EXP
        chars, most = 200 * _W_CHARS, 100 * _W_CHARS + _SLACK
        for members, amount in classes:
            share = scale * (amount / total) ** q_exp
            if found is not None and share + cover + most < found[0]:
                break  # the classes below share less
            while members:
                lowest = members & -members
                members ^= lowest
                group = order[lowest.bit_length() - 1]
                p_share = amount / norms[group]
                partial = share * (p_share if p_share < 1.0 else 1.0) ** p_exp + cover
                if found is not None and partial + most < found[0]:
                    break  # the rest of the class is heavier: it can only score less
                shortest, longest = lengths[group]
                nearest = shortest if size < shortest else longest if size > longest else size
                if found is not None and partial + chars * (size if size < nearest else nearest) / (size + nearest) \
                        < found[0]:
                    continue
                for index in self._members[group]:
                    score = self._complete(query, index, partial)
                    if found is None or score > found[0] or (score == found[0] and index < found[1]):
                        found = (score, index)
        return found

    def _term_bits(self, owner: int, term: str) -> int:
        """The groups of an entry that use *term*, as a bit mask (bit = place by weight)."""
        place = self._place
        mask = 0
        for group in self._local[owner].get(term, ()):
            mask |= 1 << place[group]
        return mask
