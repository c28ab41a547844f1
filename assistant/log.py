"""The reply log: one JSON line per reply, kept only when asked (``--log FILE`` or ``$MICRONEEDLING_FAQ_LOG``).

The FAQ's author reads it back with ``--review`` (:mod:`assistant.review`)
to learn what people asked that the FAQ missed. Writing is a module of its
own because every answering mode does it, so it must stay as light as the
one-shot start needs (``json``, ``os``, ``time``); reading, grouping and
proposing are heavier and run only under ``--review``.

Each line is an ASCII JSON object of format :data:`FORMAT` (its ``"v"``
field), with the fields of :data:`FIELDS`, in that order:

``v``
    the format, ``1``; a reader skips lines of a format it does not know;
``time``
    when the reply was made, UTC, to the second (``2025-03-01T14:02:09Z``);
``mode``
    ``repl``, ``one-shot``, ``piped`` or ``jsonl``;
``session``
    eight random hex digits, the same for every line of one run (it links
    a line to the next one; it says nothing about the person or the machine);
``n``
    the reply's number in its session, from 1;
``question``
    the message as read (control characters removed, spaces collapsed, cut
    at 1,000 characters); for a picked suggestion, the entry's question;
``kind``
    ``answer``, ``clarify``, ``fallback``, ``smalltalk`` or ``urgent``;
``id``
    the answered entry, or ``null``;
``score``
    confidence in the best match, 0-100;
``suggestions``
    the entry ids offered next ("did you mean", or an answer's follow-ups);
``margin``
    for an answer, its entry's score minus the next entry's among the
    matches considered (``null``: nothing came second, or it was picked);
``runner_up``
    that next entry's id, or ``null``;
``topic``
    for a decline, the not-covered topic the question matched, or ``null``;
``truncated``
    the message was cut to the length limit;
``via``
    ``typed``, or ``picked`` when the person typed a number to get it;
``picked``
    the number the person typed next to pick from this reply's own list
    (REPL only; else ``null``);
``rephrased``
    the person's next message was typed (not picked) and shares an
    informative word with this one: they asked again (REPL only);
``mark``
    ``good`` or ``wrong`` when the person said so with ``/good`` or
    ``/wrong`` (REPL only; else ``null``).

In one-shot, piped and ``--jsonl`` modes a line is written as soon as the
reply is made. In the REPL a reply's line waits for the person's next step
(a number, another question, ``/good`` or ``/wrong``) and is written at the
next reply or when the session ends; a session killed outright loses that
last line. The file (and any folder made for it) is created readable by
its owner only, whatever the umask; it is opened as the history file is:
never through a symbolic link, never blocking on a named pipe, and only if
it is a regular file. Each line is appended whole, in one write under an
exclusive lock, so sessions sharing a log never mix their lines, and a
write that fails half way (a full disk) is cut back off. When the file
cannot be opened or written, one warning is given and the session goes on
unlogged.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from collections.abc import Callable

from .compose import Reply, ReplyKind
from .normalize import STOPWORDS, fold, stem
from .paths import NotRegularFile, private_dir, regular_status

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: one write per line, without a lock
    fcntl = None  # type: ignore[assignment]

__all__ = ["FIELDS", "FORMAT", "MARKS", "MODES", "ReplyLog", "informative_words", "line_of", "margin_of"]

#: The log format written (the ``"v"`` field of every line).
FORMAT = 1
#: The fields of a line, in the order they are written.
FIELDS = ("v", "time", "mode", "session", "n", "question", "kind", "id", "score", "suggestions", "margin",
          "runner_up", "topic", "truncated", "via", "picked", "rephrased", "mark")
#: The modes a line can come from.
MODES = ("repl", "one-shot", "piped", "jsonl")
#: What ``/good`` and ``/wrong`` record.
MARKS = ("good", "wrong")

# Append only; never follow a symbolic link, never block on a named pipe, never take a terminal.
_APPEND_FLAGS = (os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))


def margin_of(reply: Reply) -> tuple[float | None, str | None]:
    """An answer's lead over the next entry among its matches, and that entry's id (``None, None``: no rival).

    Not-covered topics are left out: a topic that outranked the entry would
    have declined the question.
    """
    if reply.kind is not ReplyKind.ANSWER or reply.entry_id is None:
        return None, None
    entries = [m for m in reply.matches if m.covered]
    own = next((m.score for m in entries if m.id == reply.entry_id), None)
    rival = next((m for m in entries if m.id != reply.entry_id), None)
    if own is None or rival is None:
        return None, None
    return round(own - rival.score, 1), rival.id


def line_of(reply: Reply, *, mode: str, session: str, n: int, when: float, via: str = "typed") -> dict[str, object]:
    """The log line of *reply* as a dict (the fields of :data:`FIELDS`, in order).

    >>> from assistant.compose import Reply, ReplyKind
    >>> line = line_of(Reply(ReplyKind.FALLBACK, "...", "how much is it?", topic="the cost"),
    ...                mode="jsonl", session="0a1b2c3d", n=1, when=0)
    >>> line["v"], line["time"], line["question"], line["kind"], line["topic"]
    (1, '1970-01-01T00:00:00Z', 'how much is it?', 'fallback', 'the cost')
    """
    margin, runner_up = margin_of(reply)
    return {"v": FORMAT, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)), "mode": mode,
            "session": session, "n": n, "question": reply.question, "kind": str(reply.kind), "id": reply.entry_id,
            "score": reply.score, "suggestions": list(reply.suggestions), "margin": margin, "runner_up": runner_up,
            "topic": reply.topic, "truncated": reply.truncated, "via": via, "picked": None, "rephrased": False,
            "mark": None}


def informative_words(text: str) -> frozenset[str]:
    """The stemmed words of *text* that carry a topic (no stop words): what a rephrasing shares.

    >>> sorted(informative_words("How long does a session take?"))
    ['long', 'session', 'take']
    """
    return frozenset(stem(word) for word in fold(text).split() if word not in STOPWORDS)


class ReplyLog:
    """An append-only log of replies at *path* (``None``: a log that keeps nothing).

    *mode* is written on every line. *held* (the REPL) keeps each reply's
    line until the next reply, so that what the person did next (a pick, a
    rephrasing, a mark) is on it; :meth:`close` writes the last one. *warn*
    is called once, with a sentence, when the file cannot be opened or
    written; nothing more is logged after that. *clock* gives the time
    (tests pass a fixed one). Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike | None, *, mode: str, warn: Callable[[str], None],
                 held: bool = False, clock: Callable[[], float] = time.time, session: str | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        self.path = None if path is None else os.fspath(path)
        self.mode = mode
        self.held = held
        self.session = session or os.urandom(4).hex()
        self._warn = warn
        self._clock = clock
        self._count = 0
        self._waiting: dict[str, object] | None = None
        self._fd = None if self.path is None else self._open(self.path)

    @property
    def active(self) -> bool:
        """Whether lines are being written (a path was given and the file is usable)."""
        return self._fd is not None

    def __enter__(self) -> ReplyLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self, path: str) -> int | None:
        """The file opened for appending, made 0600; ``None`` (after one warning) when unusable."""
        try:
            private_dir(os.path.dirname(os.path.abspath(path)))
            fd = os.open(path, _APPEND_FLAGS, 0o600)
            try:
                if stat.S_IMODE(regular_status(fd, path).st_mode) != 0o600:
                    os.fchmod(fd, 0o600)  # questions can be personal, whatever the umask or an older file said
            except BaseException:
                os.close(fd)
                raise
        except OSError as error:
            self._warn(f"the log file {path} {_unusable(error)}; nothing is logged")
            return None
        return fd

    def add(self, reply: Reply, *, picked: int | None = None, from_last: bool = False) -> None:
        """Log *reply*. *picked* is the number the person typed to get it; *from_last* says that
        number was picked from the list of the reply logged just before (whose line then records it)."""
        if self._fd is None:
            return
        waiting = self._waiting
        if waiting is not None:
            if picked is not None:
                if from_last:
                    waiting["picked"] = picked
            elif informative_words(str(waiting["question"])) & informative_words(reply.question):
                waiting["rephrased"] = True
            self._waiting = None
            self._write(waiting)
        self._count += 1
        line = line_of(reply, mode=self.mode, session=self.session, n=self._count, when=self._clock(),
                       via="typed" if picked is None else "picked")
        if self.held:
            self._waiting = line
        else:
            self._write(line)

    def mark(self, verdict: str) -> bool:
        """Record ``/good`` or ``/wrong`` on the reply logged last; whether it was recorded
        (not when nothing is logged, or the last line is written already)."""
        if verdict not in MARKS:
            raise ValueError(f"unknown mark {verdict!r}; expected one of {', '.join(MARKS)}")
        if self._fd is None or self._waiting is None:
            return False
        self._waiting["mark"] = verdict
        return True

    def close(self) -> None:
        """Write the line still waiting, if any, and close the file."""
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._write(waiting)
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.close(fd)
            except OSError:
                pass

    def _write(self, line: dict[str, object]) -> None:
        if self._fd is None:
            return
        view = memoryview((json.dumps(line, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii"))
        fd = self._fd
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                start = os.fstat(fd).st_size
                try:
                    while view:  # one write, unless the system takes less
                        view = view[os.write(fd, view):]
                except OSError:
                    try:  # no half line: cut off what the failed write left
                        os.ftruncate(fd, start)
                    except OSError:
                        pass
                    raise
            finally:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError as error:
            self._fd = None
            try:
                os.close(fd)
            except OSError:
                pass
            self._warn(f"the log file {self.path} cannot be written ({error.strerror or error}); "
                       "the rest of this session is not logged")


def _unusable(error: OSError) -> str:
    """Why a log file cannot be used, for the one warning (in the words the history file's warning uses)."""
    if error.errno == errno.ELOOP:
        return "is a symbolic link, which is not followed"
    if error.errno == errno.EISDIR:
        return "is a directory"
    if isinstance(error, NotRegularFile):
        return f"is {error.kind}, not a regular file"
    if error.errno == errno.ENXIO:  # opening a named pipe that nobody reads, without waiting
        return "is a named pipe (FIFO), not a regular file"
    return f"cannot be used ({error.strerror or error})"
