"""Measuring how well questions find their entries: ``chat.py --eval FILE``.

A labelled file is tab-separated, one question per line:
``question<TAB>expected[<TAB>category]``, where *expected* is a
comma-separated list of acceptable entry ids, ``none`` (the FAQ does not
answer it) or ``urgent`` (it describes warning signs). A first line starting
with ``question`` is a header. Lines starting with ``#`` are comments.

The same figures are computed for a plain baseline, rapidfuzz
``process.extractOne`` with ``fuzz.WRatio`` over every phrasing at its best
cutoff, so the gain is visible.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from .compose import Responder
from .faq import Faq

__all__ = ["Case", "Outcome", "Report", "assess", "baseline", "evaluate", "read_cases"]


class CasesError(ValueError):
    """A labelled file could not be read; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled question."""

    question: str
    """The question as a person typed it."""
    expected: frozenset[str]
    """Acceptable entry ids; empty when the FAQ does not answer it."""
    urgent: bool = False
    """It describes warning signs and should get the urgent reply."""
    category: str = ""
    """Free label (typo, short, oos-micro...), for the breakdown."""
    line: int = 0
    """Line in the file."""


@dataclass(slots=True)
class Outcome:
    """Counts for one system over one set of cases."""

    in_scope: Counter = field(default_factory=Counter)
    out_scope: Counter = field(default_factory=Counter)
    urgent: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def record(self, case: Case, kind: str, entry_id: str | None, suggestions: tuple[str, ...]) -> None:
        if case.expected:
            if kind == "answer" and entry_id in case.expected:
                self.in_scope["correct"] += 1
                return
            if kind == "answer":
                outcome = "wrong"
            elif kind == "clarify" and case.expected.intersection(suggestions):
                outcome = "clarified"
            else:
                outcome = "declined"
            self.in_scope[outcome] += 1
        else:
            outcome = "wrong" if kind == "answer" else "clarified" if kind == "clarify" else "declined"
            self.out_scope[outcome] += 1
            if case.urgent:
                self.urgent["flagged" if kind == "urgent" else "missed"] += 1
                if kind != "urgent":
                    outcome = f"{outcome}, not flagged urgent"
            elif kind == "urgent":
                self.urgent["false alarm"] += 1
                outcome = "flagged urgent"
            if outcome == "declined" or (case.urgent and kind == "urgent"):
                return
        want = ",".join(sorted(case.expected)) or ("urgent" if case.urgent else "none")
        got = entry_id or ",".join(suggestions) or "-"
        self.misses.append(f"line {case.line}: [{outcome}] {case.question!r} expected {want}, got {kind} {got}")


@dataclass(slots=True)
class Report:
    """The figures of ``--eval`` for the assistant and the baseline."""

    cases: int
    ours: Outcome
    base: Outcome
    base_cutoff: int

    def lines(self) -> list[str]:
        out = [f"{self.cases} labelled questions: {sum(self.ours.in_scope.values())} in scope, "
               f"{sum(self.ours.out_scope.values())} out of scope."]
        out.append(f"{'':34}{'assistant':>12}{'baseline':>12}")
        out += _rows("in scope", self.ours.in_scope, self.base.in_scope,
                     ("correct", "answered correctly"), ("clarified", "clarified (right one offered)"),
                     ("wrong", "answered wrongly"), ("declined", "declined"))
        out.append(f"  {'answered or clarified correctly':32}{_pct(self.ours.in_scope, 'correct', 'clarified'):>12}"
                   f"{_pct(self.base.in_scope, 'correct', 'clarified'):>12}")
        out += _rows("out of scope", self.ours.out_scope, self.base.out_scope,
                     ("declined", "declined"), ("clarified", "clarified"), ("wrong", "answered wrongly"))
        total = self.cases or 1
        ours_wrong = self.ours.in_scope["wrong"] + self.ours.out_scope["wrong"]
        base_wrong = self.base.in_scope["wrong"] + self.base.out_scope["wrong"]
        out.append(f"{'all: answered wrongly':34}{ours_wrong / total:>12.1%}{base_wrong / total:>12.1%}")
        if self.ours.urgent:
            flagged, expected = self.ours.urgent["flagged"], self.ours.urgent["flagged"] + self.ours.urgent["missed"]
            out.append(f"urgent: {flagged}/{expected} flagged, {self.ours.urgent['false alarm']} false alarms")
        out.append(f"(baseline: process.extractOne with fuzz.WRatio over every phrasing, "
                   f"best cutoff {self.base_cutoff})")
        if self.ours.misses:
            out.append("")
            out.append(f"misses of the assistant ({len(self.ours.misses)}):")
            out += [f"  {m}" for m in self.ours.misses]
        return out


def _pct(counter: Counter, *keys: str) -> str:
    total = sum(counter.values())
    if not total:
        return "-"
    return f"{sum(counter[k] for k in keys) / total:.1%}"


def _rows(title: str, ours: Counter, base: Counter, *rows: tuple[str, str]) -> list[str]:
    out = [title]
    for key, label in rows:
        out.append(f"  {label:32}{_pct(ours, key):>12}{_pct(base, key):>12}")
    return out


def read_cases(path: str | Path, known_ids: set[str] | None = None) -> list[Case]:
    """Read a labelled file; raise :class:`CasesError` listing every bad line."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise CasesError(f"{path}: cannot read: {error.strerror or error}") from None
    cases: list[Case] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#") or (number == 1 and line.lower().startswith("question\t")):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip():
            problems.append(f"{path}:{number}: expected 'question<TAB>expected ids' (got {line[:60]!r})")
            continue
        labels = {p.strip() for p in parts[1].split(",") if p.strip()}
        urgent = labels == {"urgent"}
        if labels in ({"none"}, {"urgent"}):
            labels = set()
        elif not labels:
            problems.append(f"{path}:{number}: no expected id (use 'none' for out-of-scope questions)")
            continue
        unknown = labels - known_ids if known_ids is not None else set()
        if unknown:
            problems.append(f"{path}:{number}: unknown entry id {', '.join(sorted(unknown))}")
            continue
        category = parts[2].strip() if len(parts) > 2 else ""
        cases.append(Case(parts[0].strip(), frozenset(labels), urgent, category, number))
    if problems:
        raise CasesError("\n".join(problems))
    if not cases:
        raise CasesError(f"{path}: no labelled questions found")
    return cases


def baseline(faq: Faq, cases: list[Case]) -> tuple[Outcome, int]:
    """The plain extractOne/WRatio baseline at the cutoff that scores best on *cases*."""
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
            outcome.record(case, "answer" if answered else "fallback", entry_id if answered else None, ())
        right = outcome.in_scope["correct"] + outcome.out_scope["declined"]
        if right > best_right:
            best_outcome, best_cutoff, best_right = outcome, cutoff, right
    return best_outcome, best_cutoff


def assess(responder: Responder, cases: list[Case], outcome: Outcome | None = None) -> Outcome:
    """Run every case through *responder*, counting into *outcome* (a new one by default)."""
    outcome = outcome if outcome is not None else Outcome()
    for case in cases:
        reply = responder.reply(case.question)
        outcome.record(case, reply.kind, reply.entry_id, reply.suggestions if reply.kind == "clarify" else ())
    return outcome


def evaluate(responder: Responder, cases: list[Case]) -> Report:
    """Run every case through *responder* and the baseline."""
    base, cutoff = baseline(responder.faq, cases)
    return Report(len(cases), assess(responder, cases), base, cutoff)
