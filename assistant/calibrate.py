"""Fit the numbers of :mod:`assistant.calibration` on labelled questions.

Run from a checkout::

    python -m assistant.calibrate            # fit, print the figures, change nothing
    python -m assistant.calibrate --write    # ... and rewrite assistant/calibration.py
    python -m assistant.calibrate --sets a.tsv b.tsv   # fit on other labelled files
    python -m assistant.calibrate --thresholds-only    # keep the weights, refit the thresholds

It is a tool for whoever changes the matcher or the FAQ a lot, not part of
answering a question: the program only reads the fitted numbers. What it
does, in order:

1. Every labelled question of the sets (by default every ``tests/data/*.tsv``
   and ``tests/data/watch/*.tsv``, and ``../shared/eval/real-dev.tsv`` when it
   is there) is analysed once against the shipped FAQ and against the same
   FAQ cut to :data:`CUT` alternates per entry, so the numbers also hold for
   an FAQ whose entries have only a few alternates.
2. **Score weights**: a logistic regression, weights kept >= 0, of "this
   entry is an acceptable answer" on each candidate entry's evidence
   (overlap, chars, coverage, kind). Which phrasing of an entry is closest
   depends on the weights, so this is done twice.
3. **Decision weights**: a logistic regression of "the best entry is an
   acceptable answer" on the decision features of
   :func:`assistant.compose.decision_features`, over the questions that reach
   the decision (not small talk or warning signs), and one of "one of the
   entries "did you mean" would offer is acceptable"; all weights >= 0.
4. **Thresholds**: among the answer and clarify thresholds that keep each set
   of ``tests/data/*.tsv`` at the targets the test suite holds it to, those
   that maximise a utility
   where a wrong answer costs :data:`WRONG_COST` right ones, a declined
   out-of-scope question counts as one right answer (a "did you mean" to it
   as :data:`OUT_CLARIFY_VALUE`), a "did you mean" that offers the right
   entry as :data:`CLARIFY_VALUE`, and declining a question an entry partly
   answers as :data:`EITHER_DECLINE_VALUE`.

Each labelled set weighs the same in every fit, whatever its size; the real
questions of real-dev weigh :data:`REAL_WEIGHT` sets, since they are what the
assistant meets. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from .calibration import FITTED, Calibration
from .compose import (
    FIT_POOL,
    GAP_TIE,
    MAX_LEAD,
    POOL,
    Reply,
    ReplyKind,
    Responder,
    _answers_its_topic,
    _close,
    _exact,
    _near_tie,
    answer_chance,
    clarify_chance,
    decide,
    decision_features,
)
from .evaluate import Case, Outcome, cut_faq, read_cases
from .faq import Faq
from .matcher import Match, Matcher, Query
from .schema import load_faq

__all__ = ["fit", "main"]

#: Alternates per entry in the cut FAQ the numbers must also hold for.
CUT = 10
#: How many sets the real questions weigh.
REAL_WEIGHT = 3.0
#: How much the cut FAQ's rows weigh beside the shipped FAQ's.
CUT_WEIGHT = 0.5
#: Utility: a wrong answer costs this many right ones.
WRONG_COST = 5.0
#: Utility of a "did you mean" that offers the right entry, of one that asks
#: about an out-of-scope question (declining it plainly is worth 1), and of
#: declining an "either" question.
CLARIFY_VALUE = 0.4
OUT_CLARIFY_VALUE = 0.2
EITHER_DECLINE_VALUE = 0.8
#: The targets the test suite holds each set of tests/data/*.tsv to (see tests/test_knowledge.py): the
#: thresholds are chosen among those that keep them.
TARGET_RIGHT = 0.90
TARGET_WRONG = 0.02
TARGET_RIGHT_OR_CLARIFIED = 0.97
TARGET_DECLINED = 0.95
#: Ridge penalty of the regressions (keeps weights finite on separable data).
RIDGE = 0.1

_ROOT = Path(__file__).resolve().parent.parent


def default_sets() -> list[Path]:
    """The labelled sets fitted on when none are named."""
    data = _ROOT / "tests" / "data"
    found = sorted(data.glob("*.tsv")) + sorted((data / "watch").glob("*.tsv"))
    real = _ROOT.parent / "shared" / "eval" / "real-dev.tsv"
    return found + ([real] if real.is_file() else [])


class _Item:
    """One labelled question against one FAQ variant."""

    def __init__(self, case: Case, weight: float, routed: Reply | tuple[str, Query, bool, tuple[str, ...]]) -> None:
        self.case = case
        self.weight = weight
        self.fixed = routed if isinstance(routed, Reply) else None
        self.query = None if isinstance(routed, Reply) else routed[1]
        self.candidates: list[Match] = []
        self.pool: list[Match] = []
        self.fits: list[float] = []


def _items(faq: Faq, sets: dict[str, list[Case]], weights: dict[str, float], calibration: Calibration) -> list[_Item]:
    responder = Responder(faq, calibration=calibration)
    items = []
    for name, cases in sets.items():
        for case in cases:
            items.append(_Item(case, weights[name] / len(cases), responder.route(case.question)))
    return items


def _judge(items: list[_Item], matcher: Matcher) -> None:
    """Every candidate document of every question, with its evidence under the matcher's weights."""
    for item in items:
        if item.query is not None:
            item.candidates = matcher.rank(item.query, limit=1_000_000)
            item.pool = matcher.candidates(item.query, limit=POOL, spread=MAX_LEAD)
            item.fits = matcher.fit(item.query, [m for m in item.pool if m.covered][:FIT_POOL])


def _logistic(rows: Sequence[Sequence[float]], labels: Sequence[float], weights: Sequence[float],
              nonnegative: Sequence[bool] = ()) -> tuple[list[float], float]:
    """Weighted ridge logistic regression by Newton's method: (coefficients, bias).

    Coefficients marked in *nonnegative* that would be negative are held at
    zero (the others refitted), so more of that evidence never lowers the outcome.
    """
    size = len(rows[0])
    nonnegative = tuple(nonnegative) + (False,) * (size - len(nonnegative))
    free = [True] * size
    beta = [0.0] * (size + 1)
    for _ in range(size + 1):
        for _ in range(30):
            gradient = [0.0] * (size + 1)
            hessian = [[0.0] * (size + 1) for _ in range(size + 1)]
            for row, label, weight in zip(rows, labels, weights):
                x = [*row, 1.0]
                z = sum(b * v for b, v in zip(beta, x))
                p = 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))
                g = weight * (p - label)
                h = weight * p * (1 - p)
                for i in range(size + 1):
                    gradient[i] += g * x[i]
                    for j in range(i, size + 1):
                        hessian[i][j] += h * x[i] * x[j]
            total = sum(weights)
            for i in range(size + 1):
                for j in range(i):
                    hessian[i][j] = hessian[j][i]
            for i in range(size):
                gradient[i] += RIDGE * total * beta[i] / 100
                hessian[i][i] += RIDGE * total / 100
            active = [i for i in range(size) if free[i]] + [size]
            step = _solve([[hessian[i][j] for j in active] for i in active], [gradient[i] for i in active])
            for i, s in zip(active, step):
                beta[i] -= s
            if max(map(abs, step)) < 1e-7:
                break
        negative = [i for i in range(size) if free[i] and nonnegative[i] and beta[i] < 0]
        if not negative:
            break
        for i in negative:
            free[i] = False
            beta[i] = 0.0
    return beta[:size], beta[size]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve matrix @ x = vector by Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [row[:] + [v] for row, v in zip(matrix, vector)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(a[r][r]) < 1e-12:
            continue
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def _evidence_row(match: Match) -> list[float]:
    e = match.evidence
    return [e.overlap, e.seen_chars, e.coverage, e.kind, e.overlap * e.long, e.coverage * e.long]


def _fit_scores(items: list[_Item]) -> tuple[tuple[float, float, float, float], tuple[float, float], float]:
    rows, labels, weights = [], [], []
    for item in items:
        entries = [m for m in item.candidates if m.covered]
        for match in entries:
            rows.append(_evidence_row(match))
            labels.append(1.0 if match.id in item.case.expected else 0.0)
            weights.append(item.weight / max(1, len(entries)) * 10)
    beta, bias = _logistic(rows, labels, weights, nonnegative=(True, True, True, True, False, False))
    return (beta[0], beta[1], beta[2], beta[3]), (beta[4], beta[5]), bias


def _reaching(items: list[_Item], calibration: Calibration) -> list[tuple[_Item, tuple[float, ...], Match]]:
    """The questions that reach the decision, with their features and best entry."""
    out: list[tuple[_Item, tuple[float, ...], Match]] = []
    for item in items:
        if item.query is None:
            continue
        entries = [m for m in item.pool if m.covered]
        gaps = [m for m in item.pool if not m.covered]
        if not entries or (gaps and gaps[0].score > entries[0].score):
            continue
        if _exact(entries[0]):
            continue  # answered whatever the decision says
        out.append((item, decision_features(entries, gaps, item.query, item.fits, calibration), entries[0]))
    return out


def _fit_decision(items: list[_Item], calibration: Calibration) -> Calibration:
    """Both decision models: the best entry is right; one of the entries "did you mean" offers is right."""
    rows, answer_labels, clarify_labels, weights = [], [], [], []
    for item, features, top in _reaching(items, calibration):
        offered = {m.id for m in _close([m for m in item.pool if m.covered], calibration)}
        rows.append(list(features))
        answer_labels.append(1.0 if top.id in item.case.expected else 0.0)
        clarify_labels.append(1.0 if offered & item.case.expected else 0.0)
        weights.append(item.weight)
    # More of any signal never makes an answer (or a right suggestion) less likely.
    answer, answer_bias = _logistic(rows, answer_labels, weights, nonnegative=[True] * len(rows[0]))
    clarify, clarify_bias = _logistic(rows, clarify_labels, weights, nonnegative=[True] * len(rows[0]))
    return calibration.replaced(decision_weights=tuple(answer), decision_bias=answer_bias,
                                clarify_weights=tuple(clarify), clarify_bias=clarify_bias)


def _outcomes(items: list[_Item], calibration: Calibration) -> Iterator[tuple[_Item, str]]:
    """Each item with the outcome the responder's decision gives it under *calibration*."""
    for item in items:
        if item.fixed is not None:
            yield item, _outcome_of(item.case, item.fixed.kind, item.fixed.entry_id, item.fixed.suggestions)
        else:
            yield item, _outcome_of(item.case, *_decide(item, calibration))


def _decide(item: _Item, calibration: Calibration) -> tuple[ReplyKind, str | None, tuple[str, ...]]:
    """The responder's decision for an item (kind, answered id, offered ids), without writing a reply.

    It is the whole question's decision: the responder may still answer a question of several parts
    that this does not answer by one of its parts (:meth:`Responder._answered_part`), so on sets with
    many such questions the responder's figures are a little above these."""
    assert item.query is not None
    decision = decide(item.pool, item.query, item.fits, calibration)
    return (decision.kind, decision.best.id if decision.best is not None else None,
            tuple(m.id for m in decision.offered))


def _thresholds(items: list[_Item], calibration: Calibration, kept: dict[str, list[Case]], *,
                clarify_only: bool = False) -> Calibration:
    """The thresholds of the best utility among those that keep every set of *kept* at the targets
    the test suite holds it to (any thresholds, when none does); with *clarify_only*, the answer
    thresholds stay *calibration*'s and only the clarify threshold is chosen.

    Each question's decision depends on the thresholds only through a few numbers (its two
    chances, the lead, the best score), computed once; every candidate is then a cheap pass.
    """
    from .compose import NAME_TOPIC_SCORE, may_offer

    set_of = {id(case): number for number, cases in enumerate(kept.values()) for case in cases}
    rows = []
    for item in items:
        fixed = None
        numbers = _Numbers(0.0, 0.0, 0.0, 0.0, False, ("declined", "declined", "declined"))
        if item.fixed is not None:
            fixed = _outcome_of(item.case, item.fixed.kind, item.fixed.entry_id, item.fixed.suggestions)
        else:
            assert item.query is not None
            entries = [m for m in item.pool if m.covered]
            gaps = [m for m in item.pool if not m.covered]
            if not entries:
                fixed = _outcome_of(item.case, ReplyKind.FALLBACK, None, ())
            elif gaps and gaps[0].score > entries[0].score:
                # As decide(): declined, unless a near tie with the best entry, which may ask "did you mean".
                if _near_tie(entries, gaps, item.query, calibration) is not None:
                    features = decision_features(entries, gaps, item.query, item.fits, calibration)
                    declined = _outcome_of(item.case, ReplyKind.FALLBACK, None, ())
                    offered = _outcome_of(item.case, ReplyKind.CLARIFY, None,
                                          tuple(m.id for m in _close(entries, calibration, GAP_TIE)))
                    if item.case.kind == "out" and gaps[0].score >= NAME_TOPIC_SCORE:
                        offered = declined  # its reply says first that the FAQ does not cover the topic
                    numbers = _Numbers(-1.0, clarify_chance(features, calibration), 0.0, 0.0, True,
                                       (declined, offered, declined))  # never answered
                else:
                    fixed = _outcome_of(item.case, ReplyKind.FALLBACK, None, ())
            elif _exact(entries[0]):
                fixed = _outcome_of(item.case, ReplyKind.ANSWER, entries[0].id, ())
            else:
                features = decision_features(entries, gaps, item.query, item.fits, calibration)
                close = _close(entries, calibration)
                answered = _outcome_of(item.case, ReplyKind.ANSWER, entries[0].id, ())
                clarified = _outcome_of(item.case, ReplyKind.CLARIFY, None, tuple(m.id for m in close))
                # As decide(): a close call within one topic is answered, an implied subject only asked about, and
                # a question about something its best entry does not speak of never answered from it (only
                # offered, or declined when "did you mean" may not answer it).
                named = bool(entries[0].evidence.names)
                asked = answered if _answers_its_topic(entries[0], close) and named else clarified
                if item.query.implied:
                    fixed = clarified
                declined = _outcome_of(item.case, ReplyKind.FALLBACK, None, ())
                offerable = may_offer(item.query)
                numbers = _Numbers(answer_chance(features, calibration), clarify_chance(features, calibration),
                                   features[1], entries[0].score, offerable,
                                   (answered if named else clarified if offerable else declined, asked, declined))
        value = {outcome: item.weight * _value(item.case.kind, outcome)
                 for outcome in ("correct", "clarified", "wrong", "declined")}
        rows.append((set_of.get(id(item.case)), item.case.kind, value, fixed, numbers))
    best, best_key = calibration, (False, -math.inf)
    sizes = [Counter(c.kind for c in cases) for cases in kept.values()]
    leads, scores = ((calibration.answer_lead,), (calibration.answer_score,)) if clarify_only else (
        (0.1, 0.2, 0.3, 0.5), (0.0, 10.0, 20.0, 30.0, 40.0))
    answers = [calibration.answer_at] if clarify_only else [x / 100 for x in range(30, 99, 2)]
    for lead, score in itertools.product(leads, scores):
        for answer in answers:
            for clarify in [x / 100 for x in range(4, 96, 4)]:
                total = 0.0
                counts: list[Counter[tuple[str, str]]] = [Counter() for _ in kept]
                for set_number, kind, value, fixed, n in rows:
                    if fixed is not None:
                        outcome = fixed
                    elif n.chance >= answer and n.lead >= lead and n.score >= score:
                        outcome = n.outcomes[0]
                    elif n.known and n.offered >= clarify:
                        outcome = n.outcomes[1]
                    else:
                        outcome = n.outcomes[2]
                    total += value[outcome]
                    if set_number is not None:
                        counts[set_number][(kind, outcome)] += 1
                key = (_keeps(counts, sizes), total)
                if key > best_key:
                    best_key = key
                    best = calibration.replaced(answer_at=answer, answer_lead=lead, answer_score=score,
                                                clarify_at=clarify)
    return best


class _Numbers(NamedTuple):
    """What one question's decision depends on, once the weights are fitted."""

    chance: float
    offered: float
    lead: float
    score: float
    known: bool
    outcomes: tuple[str, str, str]
    """Its outcome if answered, if asked "did you mean", if declined."""


def _meets_targets(items: list[_Item], calibration: Calibration, kept: dict[str, list[Case]]) -> bool:
    """Whether each set of *kept* meets the suite's targets under *calibration*: 90% answered right
    and at most 2% wrong in each; together 97% answered or clarified right and 95% out of scope declined."""
    set_of = {id(case): number for number, cases in enumerate(kept.values()) for case in cases}
    counts: list[Counter[tuple[str, str]]] = [Counter() for _ in kept]
    for item, outcome in _outcomes([i for i in items if id(i.case) in set_of], calibration):
        counts[set_of[id(item.case)]][(item.case.kind, outcome)] += 1
    return _keeps(counts, [Counter(c.kind for c in cases) for cases in kept.values()])


def _outcome_of(case: Case, kind: str, entry_id: str | None, suggestions: tuple[str, ...]) -> str:
    probe = Outcome()
    probe.record(case, kind, entry_id, suggestions)
    return next(o for c in probe.counts.values() for o, n in c.items() if n)


def _value(kind: str, outcome: str) -> float:
    """The utility of one outcome of a question of *kind* (in, either, out)."""
    return {"correct": 1.0, "clarified": CLARIFY_VALUE if kind == "in" else OUT_CLARIFY_VALUE, "wrong": -WRONG_COST,
            "declined": EITHER_DECLINE_VALUE if kind == "either" else 1.0 if kind == "out" else 0.0}[outcome]


def _keeps(counts: list[Counter[tuple[str, str]]], sizes: list[Counter[str]]) -> bool:
    """Whether outcome counts per kept set meet the suite's targets (see :func:`_meets_targets`)."""
    together: Counter[tuple[str, str]] = Counter()
    for count, size in zip(counts, sizes):
        together.update(count)
        total = sum(size.values())
        if size["in"] and count[("in", "correct")] < TARGET_RIGHT * size["in"]:
            return False
        if sum(n for (k, o), n in count.items() if o == "wrong") > TARGET_WRONG * total:
            return False
    ins = sum(s["in"] for s in sizes)
    outs = sum(s["out"] for s in sizes)
    right = together[("in", "correct")] + together[("in", "clarified")]
    declined = together[("out", "declined")] + together[("out", "clarified")]
    return (not ins or right >= TARGET_RIGHT_OR_CLARIFIED * ins) and (not outs or declined >= TARGET_DECLINED * outs)


def fit(faq: Faq, sets: dict[str, list[Case]], *, start: Calibration = FITTED, kept: Sequence[str] = (),
        decision_only: bool = False, thresholds_only: bool = False, log=print) -> Calibration:
    """The calibration fitted on *sets* (name -> cases), starting from *start*; the thresholds keep
    the sets named in *kept* at the suite's targets on the shipped FAQ when they can. With
    *decision_only*, the score weights stay *start*'s and only the decision is refitted; with
    *thresholds_only*, the decision weights stay too and only the thresholds are."""
    weights = {name: REAL_WEIGHT if name.startswith("real") else 1.0 for name in sets}
    variants = [(faq, 1.0), (cut_faq(faq, CUT), CUT_WEIGHT)]
    calibration = start
    items_of = [(_items(f, sets, {n: w * factor for n, w in weights.items()}, calibration), f) for f, factor in variants]
    for round_ in () if decision_only or thresholds_only else (1, 2):
        for items, variant in items_of:
            _judge(items, Matcher(variant, calibration=calibration))
        score_weights, long_weights, score_bias = _fit_scores([i for items, _ in items_of for i in items])
        calibration = calibration.replaced(score_weights=score_weights, long_weights=long_weights, score_bias=score_bias)
        log(f"round {round_}: score weights {_fmt(score_weights)}, long {_fmt(long_weights)}, bias {score_bias:.3f}")
    for items, variant in items_of:
        _judge(items, Matcher(variant, calibration=calibration))
    everything = [i for items, _ in items_of for i in items]
    if not thresholds_only:
        calibration = _fit_decision(everything, calibration)
    log(f"decision weights {_fmt(calibration.decision_weights)}, bias {calibration.decision_bias:.3f}; "
        f"clarify weights {_fmt(calibration.clarify_weights)}, bias {calibration.clarify_bias:.3f}")
    shipped = items_of[0][0]
    calibration = _thresholds(shipped, calibration, {name: sets[name] for name in kept})
    if not _meets_targets(shipped, calibration, {name: sets[name] for name in kept}):
        log("warning: no thresholds keep every asserted set at its targets")
    # The same answer thresholds on the cut FAQ, and the clarify threshold that serves it best.
    sparse = _thresholds(items_of[1][0], calibration, {}, clarify_only=True)
    calibration = calibration.replaced(
        sparse_clarify_at=sparse.clarify_at,
        # rounded inwards, as written, so that both FAQs lie at their end of the scale
        dense_phrasings=math.floor(faq.phrasings_per_entry * 10) / 10,
        sparse_phrasings=math.ceil(items_of[1][1].phrasings_per_entry * 10) / 10)
    log(f"answer at {calibration.answer_at:.2f} with a lead of {calibration.answer_lead:.2f} and a score of "
        f"{calibration.answer_score:.0f}, "
        f"clarify at {calibration.clarify_at:.2f} ({calibration.sparse_clarify_at:.2f} at "
        f"{calibration.sparse_phrasings:.0f} phrasings per entry, against {calibration.dense_phrasings:.0f})")
    for (items, variant), label in zip(items_of, ("shipped FAQ", f"cut to {CUT} alternates")):
        log(f"-- {label}")
        as_run = calibration.for_density(variant.phrasings_per_entry)
        for name in sets:
            outcome = Outcome()
            for item, result in _outcomes([i for i in items if i.case in sets[name]], as_run):
                outcome.counts[item.case.kind][result] += 1
            log(f"  {name:14} {_figures(outcome)}")
    return calibration


def _figures(outcome: Outcome) -> str:
    s = outcome.summary()
    return (f"right {_p(s['answered_right'])}  right|clarified {_p(s['right_or_clarified'])}  "
            f"declined {_p(s['declined'])}  wrong {_p(s['wrong_overall'])}  either wrong {_p(s['either_wrong'])}")


def _p(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.1%}"


def _fmt(values: Sequence[float]) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in values) + ")"


def write(calibration: Calibration, path: Path = Path(__file__).with_name("calibration.py")) -> None:
    """Rewrite the FITTED block of calibration.py with *calibration*."""
    text = path.read_text(encoding="utf-8")
    block = (
        "# BEGIN FITTED (written by python -m assistant.calibrate; edit by refitting)\n"
        "FITTED = Calibration(\n"
        f"    score_weights={_fmt(calibration.score_weights)},\n"
        f"    long_weights={_fmt(calibration.long_weights)},\n"
        f"    score_bias={calibration.score_bias:.3f},\n"
        f"    decision_weights={_fmt(calibration.decision_weights)},\n"
        f"    decision_bias={calibration.decision_bias:.3f},\n"
        f"    clarify_weights={_fmt(calibration.clarify_weights)},\n"
        f"    clarify_bias={calibration.clarify_bias:.3f},\n"
        f"    answer_at={calibration.answer_at:.2f},\n"
        f"    answer_lead={calibration.answer_lead:.2f},\n"
        f"    answer_score={calibration.answer_score:.1f},\n"
        f"    clarify_at={calibration.clarify_at:.2f},\n"
        f"    sparse_clarify_at={calibration.sparse_clarify_at:.2f},\n"
        f"    dense_phrasings={calibration.dense_phrasings:.1f},\n"
        f"    sparse_phrasings={calibration.sparse_phrasings:.1f},\n"
        ")\n"
        "# END FITTED\n")
    new = re.sub(r"# BEGIN FITTED.*?# END FITTED\n", lambda _: block, text, flags=re.DOTALL)
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", type=Path, help="labelled files (default: tests/data and real-dev)")
    parser.add_argument("--faq", help="FAQ file (default: the shipped one)")
    parser.add_argument("--write", action="store_true", help="rewrite assistant/calibration.py")
    parser.add_argument("--decision-only", action="store_true",
                        help="keep the score weights; refit only the decision weights and thresholds")
    parser.add_argument("--thresholds-only", action="store_true",
                        help="keep every weight; refit only the answer and clarify thresholds")
    args = parser.parse_args(argv)
    faq = load_faq(args.faq)
    ids = {e.id for e in faq.entries}
    paths = args.sets or default_sets()
    sets = {}
    kept = []
    for path in paths:
        name = ("real-" if "shared" in path.parts or path.parent.name == "eval" else "") + path.stem
        sets[name] = read_cases(path, ids)
        if path.parent == _ROOT / "tests" / "data":
            kept.append(name)
    print(f"fitting on {sum(map(len, sets.values()))} questions in {len(sets)} sets: {', '.join(sets)}")
    calibration = fit(faq, sets, kept=kept, decision_only=args.decision_only, thresholds_only=args.thresholds_only)
    if args.write:
        write(calibration)
        print(f"wrote {os.path.relpath(Path(__file__).with_name('calibration.py'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
