"""Measuring how well questions find their entries: ``chat.py --eval FILE``.

A labelled file is tab-separated, one question per line:
``question<TAB>expected[<TAB>more columns]``. *expected* is a comma-separated
list of acceptable entry ids; ``none`` or ``-`` (the FAQ does not answer it:
the right reply declines); ids followed by ``-`` ("either": an entry answers
part of it, and declining is right too); or ``urgent`` (it describes warning
signs). A first line starting with ``question`` is a header; lines starting
with ``#`` are comments. This reads the team's own sets in ``tests/data/`` and
the real questions of ``shared/eval/real-dev.tsv`` alike.

The same figures are computed for a plain baseline, rapidfuzz
``process.extractOne`` with ``fuzz.WRatio`` over every phrasing at its best
cutoff, so the gain is visible. ``--alternates N`` measures the FAQ with every
entry cut to its question and first N alternates (and every not-covered topic
to its first N phrasings), which is what an FAQ author who writes only a few
alternates gets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .compose import ReplyKind, Responder
from .faq import Entry, Faq, Gap
from .records import record

__all__ = ["Case", "CasesError", "Outcome", "Report", "assess", "baseline", "cut_faq", "evaluate", "read_cases"]


class CasesError(ValueError):
    """A labelled file could not be read; the message says where and why."""


@record
class Case:
    """One labelled question.

    Attributes:
        question: The question as a person typed it.
        expected: Acceptable entry ids; empty when the FAQ does not answer it.
        may_decline: Declining is right too (always true when *expected* is empty).
        urgent: It describes warning signs and should get the urgent reply.
        category: Free label (typo, short, in, either, out...), for the breakdown.
        line: Line in the file.
    """

    question: str
    expected: frozenset[str]
    may_decline: bool = False
    urgent: bool = False
    category: str = ""
    line: int = 0

    @property
    def kind(self) -> str:
        """``in`` (must be answered), ``either`` (answer or decline) or ``out`` (must be declined)."""
        if not self.expected:
            return "out"
        return "either" if self.may_decline else "in"


class Outcome:
    """Counts for one system over one set of cases: ``counts[kind][outcome]``."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {"in": Counter(), "either": Counter(), "out": Counter()}
        self.urgent: Counter[str] = Counter()
        self.misses: list[str] = []

    def record(self, case: Case, kind: str, entry_id: str | None, suggestions: tuple[str, ...]) -> None:
        """Count one reply to *case* (its kind, answered entry and "did you mean" ids)."""
        answered = kind == ReplyKind.ANSWER
        if case.kind == "in":
            if answered and entry_id in case.expected:
                outcome = "correct"
            elif answered:
                outcome = "wrong"
            elif kind == ReplyKind.CLARIFY and case.expected.intersection(suggestions):
                outcome = "clarified"
            else:
                outcome = "declined"
        elif case.kind == "either":
            outcome = ("correct" if entry_id in case.expected else "wrong") if answered else "declined"
        else:
            outcome = "wrong" if answered else "clarified" if kind == ReplyKind.CLARIFY else "declined"
        self.counts[case.kind][outcome] += 1
        if case.urgent:
            self.urgent["flagged" if kind == ReplyKind.URGENT else "missed"] += 1
        elif kind == ReplyKind.URGENT:
            self.urgent["false alarm"] += 1
        tag = None
        if case.urgent and kind != ReplyKind.URGENT:
            tag = f"{outcome}, not flagged urgent"
        elif not case.urgent and kind == ReplyKind.URGENT:
            tag = "flagged urgent"
        elif outcome in ("wrong", "clarified" if case.kind == "out" else "") or (
                case.kind == "in" and outcome in ("declined", "clarified")):
            tag = outcome
        if tag is not None:
            want = ",".join(sorted(case.expected)) + (",-" if case.kind == "either" else "") if case.expected \
                else ("urgent" if case.urgent else "-")
            got = entry_id or ",".join(suggestions) or "-"
            self.misses.append(f"line {case.line}: [{tag}] {case.question!r} expected {want}, got {kind} {got}")

    def share(self, kind: str, *outcomes: str) -> float | None:
        """The share of *kind* cases with one of *outcomes*, or ``None`` when there are none."""
        counter = self.counts[kind]
        total = sum(counter.values())
        return sum(counter[o] for o in outcomes) / total if total else None

    @property
    def wrong_overall(self) -> float:
        """The share of all cases answered with an entry that is not acceptable."""
        total = sum(sum(c.values()) for c in self.counts.values())
        return sum(c["wrong"] for c in self.counts.values()) / total if total else 0.0

    def summary(self) -> dict[str, float | None]:
        """The target figures: answered right, right or clarified, declined, wrong overall, either wrong."""
        return {"answered_right": self.share("in", "correct"),
                "right_or_clarified": self.share("in", "correct", "clarified"),
                "declined": self.share("out", "declined", "clarified"),
                "wrong_overall": self.wrong_overall,
                "either_wrong": self.share("either", "wrong")}


@record
class Report:
    """The figures of ``--eval`` for the assistant and the baseline.

    Attributes:
        cases: How many labelled questions.
        ours: The assistant's counts.
        base: The baseline's counts.
        base_cutoff: The baseline's best score cutoff.
    """

    cases: int
    ours: Outcome
    base: Outcome
    base_cutoff: int

    def lines(self) -> list[str]:
        """The report as a person reads it."""
        ours, base = self.ours, self.base
        sizes = {kind: sum(c.values()) for kind, c in ours.counts.items()}
        out = [f"{self.cases} labelled questions: {sizes['in']} in scope, {sizes['either']} either "
               f"(answer or decline), {sizes['out']} out of scope."]
        out.append(f"{'':40}{'assistant':>12}{'baseline':>12}")
        rows = [
            ("in", "in scope", (("answered right", ("correct",)), ("right one offered (did you mean)", ("clarified",)),
                                ("answered or clarified right", ("correct", "clarified")),
                                ("answered wrongly", ("wrong",)), ("declined", ("declined",)))),
            ("either", "either (answer or decline is right)", (("answered right", ("correct",)),
                                                              ("declined", ("declined",)),
                                                              ("answered wrongly", ("wrong",)))),
            ("out", "out of scope", (("declined", ("declined", "clarified")),
                                     ("  of which \"did you mean\"", ("clarified",)),
                                     ("answered wrongly", ("wrong",)))),
        ]
        for kind, title, lines in rows:
            if not sizes[kind]:
                continue
            out.append(title)
            for label, outcomes in lines:
                out.append(f"  {label:38}{_pct(ours.share(kind, *outcomes)):>12}{_pct(base.share(kind, *outcomes)):>12}")
        out.append(f"{'all: answered wrongly':40}{ours.wrong_overall:>12.1%}{base.wrong_overall:>12.1%}")
        if ours.urgent:
            flagged, expected = ours.urgent["flagged"], ours.urgent["flagged"] + ours.urgent["missed"]
            out.append(f"urgent: {flagged}/{expected} flagged, {ours.urgent['false alarm']} false alarms")
        out.append(f"(baseline: process.extractOne with fuzz.WRatio over every phrasing, best cutoff {self.base_cutoff})")
        if ours.misses:
            out.append("")
            out.append(f"misses of the assistant ({len(ours.misses)}):")
            out += [f"  {m}" for m in ours.misses]
        return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def read_cases(path: str | Path, known_ids: Iterable[str] | None = None) -> list[Case]:
    """Read a labelled file; raise :class:`CasesError` listing every bad line."""
    known = set(known_ids) if known_ids is not None else None
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise CasesError(f"{path}: cannot read: {error.strerror or error}") from None
    cases: list[Case] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#") or (number == 1 and line.lower().startswith(("question\t", "message\t"))):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip():
            problems.append(f"{path}:{number}: expected 'question<TAB>expected ids' (got {line[:60]!r})")
            continue
        labels = [p.strip() for p in parts[1].split(",") if p.strip()]
        urgent = labels == ["urgent"]
        declines = {"none", "-"}
        may_decline = any(label in declines for label in labels)
        ids = frozenset(label for label in labels if label not in declines and not urgent)
        if not labels:
            problems.append(f"{path}:{number}: no expected id (use '-' or 'none' for out-of-scope questions)")
            continue
        unknown = ids - known if known is not None else set()
        if unknown:
            problems.append(f"{path}:{number}: unknown entry id {', '.join(sorted(unknown))}")
            continue
        category = parts[2].strip() if len(parts) > 2 else ""
        cases.append(Case(parts[0].strip(), ids, may_decline or urgent or not ids, urgent, category, number))
    if problems:
        raise CasesError("\n".join(problems))
    if not cases:
        raise CasesError(f"{path}: no labelled questions found")
    return cases


def cut_faq(faq: Faq, alternates: int) -> Faq:
    """*faq* with each entry cut to its question and first *alternates* alternates,
    and each not-covered topic to its first *alternates* phrasings."""
    entries = tuple(Entry(e.id, e.question, e.alternates[:alternates], e.answer, e.source, e.tags, e.related,
                          e.line, e.evidence) for e in faq.entries)
    gaps = tuple(Gap(g.topic, g.phrasings[:max(1, alternates)], g.line) for g in faq.not_covered)
    return Faq(entries, faq.synonyms, faq.version, faq.path, gaps, faq.concepts)


def baseline(faq: Faq, cases: list[Case]) -> tuple[Outcome, int]:
    """The plain extractOne/WRatio baseline at the cutoff that scores best on *cases*."""
    from rapidfuzz import fuzz, process, utils

    choices, owners = [], []
    for entry in faq.entries:
        for phrasing in entry.phrasings:
            choices.append(phrasing)
            owners.append(entry.id)
    found = []
    for case in cases:
        best = process.extractOne(case.question, choices, scorer=fuzz.WRatio, processor=utils.default_process)
        found.append((owners[best[2]], best[1]) if best else (None, 0.0))
    best_outcome, best_cutoff, best_right = Outcome(), 0, -1
    for cutoff in range(0, 101):
        outcome = Outcome()
        for case, (entry_id, score) in zip(cases, found):
            answered = entry_id is not None and score >= cutoff
            outcome.record(case, ReplyKind.ANSWER if answered else ReplyKind.FALLBACK,
                           entry_id if answered else None, ())
        right = outcome.counts["in"]["correct"] + outcome.counts["out"]["declined"]
        if right > best_right:
            best_outcome, best_cutoff, best_right = outcome, cutoff, right
    return best_outcome, best_cutoff


def assess(responder: Responder, cases: Iterable[Case], outcome: Outcome | None = None) -> Outcome:
    """Run every case through *responder*, counting into *outcome* (a new one by default)."""
    outcome = outcome if outcome is not None else Outcome()
    for case in cases:
        reply = responder.reply(case.question)
        outcome.record(case, reply.kind, reply.entry_id, reply.suggestions if reply.kind == ReplyKind.CLARIFY else ())
    return outcome


def evaluate(responder: Responder, cases: list[Case]) -> Report:
    """Run every case through *responder* and the baseline."""
    base, cutoff = baseline(responder.faq, cases)
    return Report(len(cases), assess(responder, cases), base, cutoff)
