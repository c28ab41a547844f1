"""Reading reply logs back for the FAQ's author (``--review``): what people asked that the FAQ missed.

:func:`read_log` reads one log written by :mod:`assistant.log`, as far as
it makes sense: a line that is cut short, binary, another program's or of a
newer format is counted as a :class:`BadLine` and skipped, never raised.
:func:`review` then proposes, against the FAQ in use:

* per entry, candidate alternates: questions answered from it with a low
  margin (:data:`LOW_MARGIN`), questions where people picked it from "did
  you mean", and answers marked ``/good``;
* the declined questions, grouped by the not-covered topic they matched or
  by the informative words they share, most frequent first: candidate
  not-covered phrasings or new entries;
* the answers marked ``/wrong``, with what the person asked next.

Every candidate is the question folded (:func:`~assistant.normalize.fold`)
and checked against the file: it must be new to it (no phrasing of any
entry or not-covered topic folds to the same text) and claimed by no other
entry (no other document has a phrasing that reads the same to the matcher,
which ``--check`` would warn about, and nobody's choice pointed to another
entry for it). Nothing here writes the FAQ file.

>>> from assistant import load_faq, Matcher
>>> faq = load_faq()
>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "log.jsonl"
>>> line = {"v": 1, "time": "2025-03-01T14:02:09Z", "mode": "repl", "session": "0a1b2c3d", "n": 1,
...         "question": "How long are sessions, roughly?", "kind": "answer", "id": "session-length",
...         "score": 80.0, "suggestions": [], "margin": 20.0, "runner_up": None, "topic": None,
...         "truncated": False, "via": "typed", "picked": None, "rephrased": False, "mark": "good"}
>>> _ = path.write_text(json.dumps(line) + "\\n" + "not json\\n")
>>> read = read_log(path)
>>> len(read.turns), [(bad.line, bad.reason) for bad in read.bad]
(1, [(2, 'not valid JSON (cut short, or written by another program)')])
>>> found = review(faq, Matcher(faq), [read])
>>> [(p.target, p.text) for p in found.proposals]
[('session-length', 'how long are sessions roughly')]
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from .compose import ReplyKind
from .faq import Entry, Faq, Gap
from .log import FIELDS, FORMAT, MARKS, MODES
from .matcher import Matcher
from .normalize import MAX_QUERY_CHARS, STOP_TERMS, STOPWORDS, clean_text, fold, stem
from .paths import regular_status
from .records import record

__all__ = ["LOW_MARGIN", "MAX_LINE_BYTES", "MAX_LOG_BYTES", "MIN_CLUSTER", "BadLine", "Cluster", "Left", "LogError",
           "LogRead", "Proposal", "Review", "Turn", "WrongAnswer", "read_log", "review"]

#: The most of one log file that is read, in bytes; a longer file is reviewed up to there (and says so).
MAX_LOG_BYTES = 64 * 1024 * 1024
#: The longest line taken for a log line (one of ours is at most a few kilobytes).
MAX_LINE_BYTES = 64 * 1024
#: An answer whose entry scored less than this many points (0-100) above the next entry was a close call.
LOW_MARGIN = 10.0
#: A group of declined questions with no not-covered topic is offered as a new topic from this many replies on.
MIN_CLUSTER = 2
#: A term found in at least this share of the FAQ's documents (and in four or more) is too common
#: to group declined questions by ("microneedling" is in most of them).
COMMON_SHARE = 0.25
#: How many line numbers of one kind of bad line are listed per file before "and N more".
MAX_LISTED = 20
#: The text review lists at most this many questions of a group, and of the questions asked once that
#: share nothing with another (the YAML holds every candidate).
MAX_SHOWN = 10

#: Why a question is proposed for an entry.
LOW = "answered with a low margin"
PICKED = 'picked from "did you mean"'
GOOD = "marked /good"
DECLINED = "declined"


class LogError(Exception):
    """A log file that cannot be read at all (missing, not a regular file, unreadable); the message names it."""


@record
class BadLine:
    """A line of a log that was skipped.

    Attributes:
        path: The log file, as given.
        line: Its 1-based line number.
        reason: Why it was skipped, in words (the same words for the same kind of problem).
    """

    path: str
    line: int
    reason: str


@record
class Turn:
    """One reply, as its log line tells it (the fields of :data:`assistant.log.FIELDS`; texts cleaned).

    Attributes:
        path: The log file it was read from.
        line: Its line number there.
        session: The session it belongs to.
        n: Its number in that session.
        question: The question as read when it was asked.
        kind: The reply's kind.
        entry_id: The answered entry, or ``None``.
        score: Confidence in the best match, 0-100.
        suggestions: The entry ids offered next.
        margin: For an answer, its lead over the next entry, or ``None``.
        runner_up: That next entry, or ``None``.
        topic: For a decline, the not-covered topic matched, or ``None``.
        via: ``typed`` or ``picked``.
        picked: The number picked next from this reply's list, or ``None``.
        rephrased: The person asked again in other words next.
        mark: ``good``, ``wrong`` or ``None``.
        mode: Where it was asked (``repl``, ``one-shot``, ``piped``, ``jsonl``).
        time: When, as written (UTC).
    """

    path: str
    line: int
    session: str
    n: int
    question: str
    kind: ReplyKind
    entry_id: str | None
    score: float
    suggestions: tuple[str, ...]
    margin: float | None
    runner_up: str | None
    topic: str | None
    via: str
    picked: int | None
    rephrased: bool
    mark: str | None
    mode: str
    time: str


@record
class LogRead:
    """What one log file held.

    Attributes:
        path: The file, as given.
        turns: The good lines, in file order.
        bad: The lines skipped, in file order.
        cut: The file is longer than :data:`MAX_LOG_BYTES` and only that much was read.
    """

    path: str
    turns: tuple[Turn, ...]
    bad: tuple[BadLine, ...]
    cut: bool = False

    def problems(self) -> list[str]:
        """The bad lines, one sentence per kind of problem with the line numbers, for the person reviewing."""
        by_reason: dict[str, list[int]] = {}
        for bad in self.bad:
            by_reason.setdefault(bad.reason, []).append(bad.line)
        found = []
        for reason, numbers in by_reason.items():
            shown = _ranges(numbers[:MAX_LISTED]) + (f" and {len(numbers) - MAX_LISTED} more"
                                                     if len(numbers) > MAX_LISTED else "")
            found.append(f"{self.path}: {'line' if len(numbers) == 1 else 'lines'} {shown}: {reason} (skipped)")
        if self.cut:
            found.append(f"{self.path}: the file is over {MAX_LOG_BYTES:,} bytes; only that much was read "
                         "(review a shorter log, or split it)")
        return found


@record
class Proposal:
    """A question proposed as a new phrasing: an entry's alternate, or a not-covered topic's phrasing.

    Attributes:
        text: The question folded, as it would go in the file.
        target: The entry's id, or the not-covered topic (an existing one, or the words a new one shares).
        covered: ``True`` for an entry, ``False`` for a not-covered topic.
        reasons: Why, each with how many replies said so, most first.
        spelling: Words that look misspelt, each with the FAQ word it is near ("sesion (session?)").
    """

    text: str
    target: str
    covered: bool
    reasons: tuple[tuple[str, int], ...]
    spelling: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many replies support it."""
        return sum(n for _, n in self.reasons)


@record
class Left:
    """A question that is not proposed, and why.

    Attributes:
        text: The question folded.
        target: What it would have been proposed for (an entry id, or ``not covered: TOPIC``).
        why: Why not, in words.
    """

    text: str
    target: str
    why: str


@record
class Cluster:
    """Declined questions that share a not-covered topic, or informative words.

    Attributes:
        label: The topic, or the shared words.
        topic: The not-covered topic they matched; ``None`` for a group by words.
        count: How many replies (repeats included).
        questions: Each distinct question folded, with how often it was asked, most first.
        proposals: The questions that can go in the file as phrasings of the topic.
        left: The others, and why.
    """

    label: str
    topic: str | None
    count: int
    questions: tuple[tuple[str, int], ...]
    proposals: tuple[Proposal, ...] = ()
    left: tuple[Left, ...] = ()


@record
class WrongAnswer:
    """An answer the person marked ``/wrong``.

    Attributes:
        entry_id: The entry it answered with.
        question: What they had asked.
        next: What they asked next in that session (``None``: nothing, or not in the logs read).
    """

    entry_id: str
    question: str
    next: str | None


@record
class Review:
    """What the logs propose to the FAQ's author.

    Attributes:
        files: The log files read.
        replies: How many replies they hold (duplicates counted once).
        sessions: How many sessions.
        bad: How many lines were skipped.
        proposals: Candidate alternates, in FAQ entry order, the best supported first within an entry.
        left: Questions that were not proposed, and why.
        clusters: The declined questions, most frequent group first.
        wrong: The answers marked ``/wrong``, in log order.
        questions: Each entry's question, for the headings.
    """

    files: tuple[str, ...]
    replies: int
    sessions: int
    bad: int
    proposals: tuple[Proposal, ...]
    left: tuple[Left, ...]
    clusters: tuple[Cluster, ...]
    wrong: tuple[WrongAnswer, ...]
    questions: tuple[tuple[str, str], ...] = ()

    def lines(self) -> list[str]:
        """The review as plain text, for a person."""
        files = f"{len(self.files)} log file{'s' if len(self.files) != 1 else ''}"
        out = [f"Reviewed {files}: {self.replies} repl{'ies' if self.replies != 1 else 'y'} in {self.sessions} "
               f"session{'s' if self.sessions != 1 else ''}"
               + (f" ({self.bad} bad line{'s' if self.bad != 1 else ''} skipped, listed on stderr)." if self.bad
                  else "."), ""]
        out.append("Candidate alternates, by entry (normalised; new to the FAQ, claimed by no other entry):")
        asked = dict(self.questions)
        if not self.proposals:
            out.append("  (none)")
        for target, group in _grouped(self.proposals):
            out.append(f"  {target}" + (f" ({asked[target]})" if target in asked else ""))
            out += [f"    + {p.text}  [{_why(p)}]" for p in group]
        if self.left:
            out += ["", "Not proposed:"]
            out += [f"  - {item.text} ({item.target}): {item.why}" for item in self.left]
        out += ["", "Declined questions, grouped by what they share, most frequent first:"]
        if not self.clusters:
            out.append("  (none)")
        alone = 0  # questions asked once that share no word with another: the long tail
        for cluster in self.clusters:
            if cluster.count == 1 and cluster.topic is None:
                alone += 1
                if alone > MAX_SHOWN:
                    continue
            label = (f"not covered: {cluster.label}" if cluster.topic
                     else f"{'shared words' if len(cluster.questions) > 1 else 'words'}: {cluster.label}")
            out.append(f"  {cluster.count:3}  {label}")
            proposed = {p.text: p for p in cluster.proposals}
            left = {item.text: item.why for item in cluster.left}
            for text, count in cluster.questions[:MAX_SHOWN]:
                mark = "+" if text in proposed else "-"
                note = f"  ({left[text]})" if text in left else ""
                out.append(f"         {mark} {text}" + (f"  x{count}" if count > 1 else "") + note)
            if len(cluster.questions) > MAX_SHOWN:
                out.append(f"         ... and {len(cluster.questions) - MAX_SHOWN} more")
        if alone > MAX_SHOWN:
            out.append(f"  ... and {alone - MAX_SHOWN} more questions asked once, sharing no word with another")
        out += ["", "Answers marked /wrong:"]
        if not self.wrong:
            out.append("  (none)")
        for item in self.wrong:
            out.append(f"  - {item.entry_id}: {json.dumps(item.question, ensure_ascii=False)}; asked next: "
                       + (json.dumps(item.next, ensure_ascii=False) if item.next is not None else "(nothing)"))
        return out

    def yaml(self) -> str:
        """The candidates that passed every check, as YAML to paste into the FAQ file.

        Shaped and indented like the FAQ file itself, so each list goes under
        its entry's ``alternates:`` or its topic's ``phrasings:``; it parses
        as YAML on its own too.
        """
        files = f"{len(self.files)} log file{'s' if len(self.files) != 1 else ''}"
        out = [f"# Candidates from {files} ({self.replies} replies). Paste each item under its entry's",
               "# `alternates:` or its topic's `phrasings:`; this tool never writes the FAQ file."]
        if self.proposals:
            out.append("entries:")
            for target, group in _grouped(self.proposals):
                out += [f"  - id: {_scalar(target)}", "    alternates:"]
                out += [f"      - {_scalar(p.text)}  # {_why(p)}" for p in group]
        topics = [c for c in self.clusters if c.proposals and (c.topic is not None or c.count >= MIN_CLUSTER)]
        if topics:
            out.append("not_covered:")
            for cluster in topics:
                note = ("" if cluster.topic is not None else
                        "  # new: name the topic in words, or write an entry if the article answers it")
                out += [f"  - topic: {_scalar(cluster.label)}{note}", "    phrasings:"]
                out += [f"      - {_scalar(p.text)}  # {_why(p)}" for p in cluster.proposals]
        if not self.proposals and not topics:
            out.append("# (no candidates in these logs)")
        return "\n".join(out)


# -- reading -----------------------------------------------------------------------------------

def read_log(path: str | os.PathLike) -> LogRead:
    """The lines of the log at *path*; raise :class:`LogError` when it cannot be read at all.

    Opened without blocking and only if it is a regular file (a FIFO or a
    device is refused, never waited on); at most :data:`MAX_LOG_BYTES` are read.
    """
    name = os.fspath(path)
    try:
        data, cut = _read_regular(name, MAX_LOG_BYTES)
    except FileNotFoundError:
        raise LogError(f"{name}: no such log file") from None
    except OSError as error:
        raise LogError(f"{name}: cannot read it as a log ({error.strerror or error})") from None
    if cut:  # the last line read is cut by the limit, not by the writer: leave it out
        data = data[:data.rfind(b"\n") + 1]
    turns: list[Turn] = []
    bad: list[BadLine] = []
    lines = data.split(b"\n")
    ends = len(lines) - 1  # lines[-1] is what follows the last newline: empty, or a line without an end
    for number, raw in enumerate(lines, 1):
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            continue
        found = _parse(raw, name, number, unterminated=number > ends)
        if isinstance(found, Turn):
            turns.append(found)
        else:
            bad.append(BadLine(name, number, found))
    return LogRead(name, tuple(turns), tuple(bad), cut)


def _read_regular(path: str, limit: int) -> tuple[bytes, bool]:
    """At most *limit* bytes of the regular file at *path*, and whether there was more.

    Not :func:`assistant.paths.read_file`, which refuses a file over its
    limit or one that changes while it is read: a log may be appended to by
    a session while it is reviewed, and its first part is worth reviewing.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                 | getattr(os, "O_CLOEXEC", 0))
    try:
        regular_status(fd, path)  # NotRegularFile for a directory, a named pipe, a device
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data[:limit], len(data) > limit


def _is_number(value: object) -> bool:
    return type(value) is int or (type(value) is float and math.isfinite(value))


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 1


def _is_text(value: object) -> bool:
    return type(value) is str


_KINDS = tuple(map(str, ReplyKind))
#: What each field of a format-1 line must hold, and how to say so.
_CHECKS: dict[str, tuple[object, str]] = {
    "time": (_is_text, "a text"),
    "mode": (lambda v: v in MODES, "one of " + ", ".join(MODES)),
    "session": (_is_text, "a text"),
    "n": (_is_count, "a whole number from 1"),
    "question": (_is_text, "a text"),
    "kind": (lambda v: v in _KINDS, "a reply kind"),
    "id": (lambda v: v is None or _is_text(v), "a text or null"),
    "score": (lambda v: _is_number(v) and 0 <= v <= 100, "a number from 0 to 100"),
    "suggestions": (lambda v: type(v) is list and all(map(_is_text, v)), "a list of texts"),
    "margin": (lambda v: v is None or _is_number(v), "a number or null"),
    "runner_up": (lambda v: v is None or _is_text(v), "a text or null"),
    "topic": (lambda v: v is None or _is_text(v), "a text or null"),
    "truncated": (lambda v: type(v) is bool, "true or false"),
    "via": (lambda v: v in ("typed", "picked"), "typed or picked"),
    "picked": (lambda v: v is None or _is_count(v), "a whole number from 1, or null"),
    "rephrased": (lambda v: type(v) is bool, "true or false"),
    "mark": (lambda v: v is None or v in MARKS, "good, wrong or null"),
}


def _parse(raw: bytes, path: str, number: int, *, unterminated: bool) -> Turn | str:
    """The turn on one line, or why it is not one."""
    if len(raw) > MAX_LINE_BYTES:
        return f"longer than {MAX_LINE_BYTES:,} bytes, so not a line of this program's log"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "not text (binary data)"
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return ("cut short (the last line has no end)" if unterminated
                else "not valid JSON (cut short, or written by another program)")
    if not isinstance(value, dict) or "v" not in value:
        return 'not a line of this program\'s log (no "v" format field)'
    version = value["v"]
    if type(version) is int and version > FORMAT:
        return f"written in log format {version}, newer than this program reads ({FORMAT}): update it to review these"
    if type(version) is not int or version != FORMAT:
        return f"an unknown log format ({clean_text(json.dumps(version))[:20]})"
    missing = [field for field in FIELDS if field not in value]
    if missing:
        return f"format {FORMAT} line without the field{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    for field, (check, expected) in _CHECKS.items():
        if not check(value[field]):  # type: ignore[operator]
            return f"format {FORMAT} line whose field {field!r} is not {expected}"

    def cleaned(text: str) -> str:  # a log is input like any other: no escape sequence reaches the terminal
        return " ".join(clean_text(text)[:MAX_QUERY_CHARS].split())

    def maybe(text: str | None) -> str | None:
        return None if text is None else cleaned(text)

    return Turn(path, number, cleaned(value["session"]), value["n"], cleaned(value["question"]),
                ReplyKind(value["kind"]), maybe(value["id"]), float(value["score"]),
                tuple(map(cleaned, value["suggestions"])), value["margin"], maybe(value["runner_up"]),
                maybe(value["topic"]), value["via"], value["picked"], value["rephrased"], value["mark"],
                value["mode"], cleaned(value["time"]))


# -- reviewing ---------------------------------------------------------------------------------

def review(faq: Faq, matcher: Matcher, reads: Iterable[LogRead]) -> Review:
    """What the logs of *reads* propose for *faq* (read by *matcher*)."""
    reads = list(reads)
    turns, seen = [], set()
    for read in reads:
        for turn in read.turns:
            key = (turn.session, turn.n)
            if key not in seen:  # the same log given twice, or copied into another, counts once
                seen.add(key)
                turns.append(turn)
    check = _Checker(faq, matcher)
    support: dict[str, dict[str, Counter[str]]] = {}  # folded question -> entry -> reason -> replies
    wrong_for: dict[str, set[str]] = {}
    wrong, declined = [], []
    by_place = {(t.session, t.n): t for t in turns}

    def support_for(question: str, entry_id: str | None, reason: str) -> None:
        if entry_id:
            support.setdefault(fold(question), {}).setdefault(entry_id, Counter())[reason] += 1

    for turn in turns:
        asked: str | None = turn.question
        if turn.via == "picked":  # its question is the entry's own; what was asked is on the "did you mean" before
            before = by_place.get((turn.session, turn.n - 1))
            asked = before.question if before and before.kind is ReplyKind.CLARIFY and before.picked else None
        if turn.kind is ReplyKind.ANSWER and turn.entry_id:
            if turn.mark == "wrong":
                following = by_place.get((turn.session, turn.n + 1))
                wrong.append(WrongAnswer(turn.entry_id, asked or turn.question,
                                         following.question if following else None))
                if asked:
                    wrong_for.setdefault(fold(asked), set()).add(turn.entry_id)
            elif turn.mark == "good":
                if asked:
                    support_for(asked, turn.entry_id, GOOD)
            elif (turn.via == "typed" and turn.margin is not None and turn.margin < LOW_MARGIN
                  and not turn.rephrased):
                support_for(turn.question, turn.entry_id, LOW)
        elif turn.kind is ReplyKind.CLARIFY and turn.picked is not None and turn.picked <= len(turn.suggestions):
            support_for(turn.question, turn.suggestions[turn.picked - 1], PICKED)
        elif turn.kind is ReplyKind.FALLBACK and turn.via == "typed":
            declined.append(turn)

    proposals: list[Proposal] = []
    left: list[Left] = []
    for text, targets in support.items():
        for entry_id, reasons in targets.items():
            others = sorted(set(targets) - {entry_id})
            why: str | None
            if others:
                why = f"also proposed for {', '.join(others)}: people meant different entries by it"
            elif entry_id in wrong_for.get(text, ()):
                why = "also marked /wrong for this entry"
            else:
                why = check.why_not(text, (True, entry_id))
            if why is None:
                proposals.append(Proposal(text, entry_id, True, tuple(sorted(reasons.items(), key=_most)),
                                          check.spelling(text)))
            else:
                left.append(Left(text or "(nothing)", entry_id, why))
    order = {entry.id: n for n, entry in enumerate(faq.entries)}
    proposals.sort(key=lambda p: (order.get(p.target, len(order)), -p.count, p.text))
    left.sort(key=lambda item: (order.get(item.target, len(order)), item.text))
    return Review(tuple(read.path for read in reads), len(turns), len({t.session for t in turns}),
                  sum(len(read.bad) for read in reads), tuple(proposals), tuple(left),
                  tuple(_clusters(declined, check)), tuple(wrong),
                  tuple((entry.id, entry.question) for entry in faq.entries))


class _Checker:
    """What the FAQ already holds, to check candidates against: each phrasing folded, and as the matcher reads it."""

    def __init__(self, faq: Faq, matcher: Matcher) -> None:
        self.normalizer = matcher.normalizer
        self.folded: dict[str, list[tuple[bool, str]]] = {}
        self.reads: dict[str, list[tuple[tuple[bool, str], str]]] = {}
        self.topics = {gap.topic for gap in faq.not_covered}
        self.ids = {entry.id for entry in faq.entries}
        documents: Counter[str] = Counter()
        docs: list[Entry | Gap] = [*faq.entries, *faq.not_covered]
        for doc in docs:
            owner = (True, doc.id) if isinstance(doc, Entry) else (False, doc.topic)
            terms: set[str] = set()
            for phrasing in doc.phrasings:
                self.folded.setdefault(fold(phrasing), []).append(owner)
                read = self.read(phrasing)
                self.reads.setdefault(read, []).append((owner, phrasing))
                terms.update(read.split())
            documents.update(terms - STOP_TERMS)
        floor = max(4, math.ceil(COMMON_SHARE * len(docs)))
        self.common = frozenset(term for term, n in documents.items() if n >= floor)
        self.topic_terms = {gap.topic: frozenset().union(*map(self.own_terms, (gap.topic, *gap.phrasings)))
                            for gap in faq.not_covered}

    def read(self, text: str) -> str:
        """*text* as the matcher reads an FAQ phrasing (synonyms, concepts, stems; no spelling guesses)."""
        return " ".join(self.normalizer.terms_of_words(fold(text).split()))

    def own_terms(self, text: str) -> frozenset[str]:
        """The informative terms of *text* in its own words (no spelling guesses: "bread" is not "break")."""
        return frozenset(self.read(text).split()) - STOP_TERMS - self.common

    def why_not(self, text: str, target: tuple[bool, str]) -> str | None:
        """Why *text* cannot be a new phrasing of *target* (``(True, id)`` or ``(False, topic)``), or ``None``."""
        covered, name = target
        if not text:
            return "nothing is left of it once normalised"
        if covered and name not in self.ids:
            return "no entry has this id in the FAQ any more"
        owners = self.folded.get(text)
        if owners:
            return "already in the FAQ" + ("" if target in owners else f", under {_name(owners[0])}")
        read = self.read(text)
        if not set(read.split()) - STOP_TERMS:
            return "only common words, so no question could be matched to it"
        same = self.reads.get(read, [])
        for owner, phrasing in same:
            if owner != target:
                return f"reads the same as {phrasing!r} of {_name(owner)} (--check would warn)"
        if same:
            return f"reads the same as {same[0][1]!r}, already in the FAQ"
        return None

    def spelling(self, text: str) -> tuple[str, ...]:
        """The words of *text* that look like slips for an FAQ word, each with that word."""
        notes = []
        for word in dict.fromkeys(text.split()):
            if word in self.normalizer.vocabulary or word in STOPWORDS or not word.isalpha():
                continue
            near = self.normalizer.correct(word)
            if near != (word,):
                notes.append(f"{word} ({' '.join(near)}?)")
        return tuple(notes)

    def informative(self, text: str) -> dict[str, str]:
        """The terms of *text* to group declined questions by (its own words, as :meth:`own_terms`),
        each with the word of *text* that says it, for the group's label."""
        said: dict[str, str] = {}
        for word in fold(text).split():
            said.setdefault(stem(word), word)
        return {term: said.get(term, term) for term in self.read(text).split()
                if term not in STOP_TERMS and term not in self.common and not term.isdigit()}


def _clusters(declined: Sequence[Turn], check: _Checker) -> list[Cluster]:
    """The declined questions grouped: by the not-covered topic they matched, when they share an
    informative word of their own with it (a decline can name the nearest topic on the strength of a
    common or a misspelt word alone), else by their most shared informative word (the one shared by the
    most replies first)."""
    by_topic: dict[str, Counter[str]] = {}
    rest: Counter[str] = Counter()
    for turn in declined:
        text = fold(turn.question)
        if not text:
            continue
        if turn.topic in check.topics and check.topic_terms[turn.topic] & check.own_terms(text):
            by_topic.setdefault(turn.topic, Counter())[text] += 1
        else:
            rest[text] += 1
    groups: list[tuple[str, str | None, Counter[str]]] = [(topic, topic, texts) for topic, texts in by_topic.items()]
    words = {text: check.informative(text) for text in rest}
    weight: Counter[str] = Counter()  # term -> replies among the questions not grouped yet
    holders: dict[str, set[str]] = {}
    for text, count in rest.items():
        for term in words[text]:
            weight[term] += count
            holders.setdefault(term, set()).add(text)
    # Greedy, heaviest shared term first; weights only fall, so a stale heap entry is pushed again.
    heap = [(-weight[term], term) for term, texts in holders.items() if len(texts) > 1]
    heapq.heapify(heap)
    grouped: set[str] = set()
    while heap:
        stored, term = heapq.heappop(heap)
        if len(holders[term]) < 2:
            continue
        if -stored != weight[term]:
            heapq.heappush(heap, (-weight[term], term))
            continue
        members = sorted(holders[term])
        common = [t for t in words[members[0]] if all(t in words[m] for m in members)]
        label = " ".join(words[members[0]][t] for t in common)
        groups.append((label, None, Counter({m: rest[m] for m in members})))
        grouped.update(members)
        for member in members:
            for t in words[member]:
                weight[t] -= rest[member]
                holders[t].discard(member)
    for text in sorted(set(rest) - grouped):
        label = " ".join(words[text].values()) or "(only common words)"
        groups.append((label, None, Counter({text: rest[text]})))
    clusters = []
    for label, topic, texts in groups:
        questions = tuple(sorted(texts.items(), key=_most))
        proposals, left = [], []
        for text, count in questions:
            why = check.why_not(text, (False, topic if topic is not None else ""))
            if why is None:
                proposals.append(Proposal(text, label, False, ((DECLINED, count),), check.spelling(text)))
            else:
                left.append(Left(text, f"not covered: {label}", why))
        clusters.append(Cluster(label, topic, sum(texts.values()), questions, tuple(proposals), tuple(left)))
    clusters.sort(key=lambda c: (-c.count, c.topic is None, c.label))
    return clusters


# -- helpers -----------------------------------------------------------------------------------

def _most(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _name(owner: tuple[bool, str]) -> str:
    covered, name = owner
    return name if covered else f"not covered: {name}"


def _grouped(proposals: Sequence[Proposal]) -> list[tuple[str, list[Proposal]]]:
    groups: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        groups.setdefault(proposal.target, []).append(proposal)
    return list(groups.items())


def _why(proposal: Proposal) -> str:
    said = ", ".join(f"{reason} x{count}" for reason, count in proposal.reasons)
    return said + (f"; check the spelling: {', '.join(proposal.spelling)}" if proposal.spelling else "")


#: Plain YAML scalars that would be read as something other than a text.
_YAML_WORDS = frozenset("y n yes no on off true false null".split())
#: Words (letters first; digits, hyphens and apostrophes inside) that a plain YAML scalar can hold as they are.
_PLAIN = re.compile(r"[^\W\d_][\w'-]*(?: [\w'-]+)*")


def _scalar(text: str) -> str:
    """*text* as a YAML scalar: plain when it is lower-case words that read as text, else double-quoted."""
    plain = _PLAIN.fullmatch(text) is not None and text.lower() not in _YAML_WORDS
    return text if plain else json.dumps(text, ensure_ascii=False)


def _ranges(numbers: Sequence[int]) -> str:
    """``[3, 4, 5, 9]`` as ``3-5, 9``."""
    parts: list[str] = []
    start = previous = None
    for number in numbers:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ", ".join(parts)
