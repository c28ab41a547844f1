"""Answering a stream of questions (``--jsonl``, piped lines) on every core the process may use.

A reply depends on its question alone, with one exception: a session lists
the FAQ's topics in its first decline only (:attr:`Responder.listed_topics`).
So when many lines are waiting, a few forked helper processes answer the later
ones of each batch, as if the topics were listed already, while this process
answers the first ones; the replies are written in input order, and a decline
a helper answered before this process has listed the topics is answered here
again, so the output is exactly what one process would write. A helper that
fails is dropped and its lines are answered here: nothing is lost.

Only the lines already waiting are batched: a program that writes one
question and waits for its reply gets it at once, from this process.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import struct
from collections.abc import Callable, Iterator, Sequence

__all__ = ["Helpers", "LineReader", "available_cores"]

#: Lines read ahead into one batch at most: what a reply may wait for behind the others.
BATCH_LINES = 512
#: A batch shorter than this is answered here alone: a helper would only add its round trip.
MIN_SHARED = 24
#: This process's share of a batch against one helper's: it also reads and writes every line.
OWN_SHARE = 0.85

_LENGTH = struct.Struct("<Q")

#: What answering one line gives: the text to write (``None``: nothing, for a line that asks
#: nothing), and whether the reply declines (a session's first decline lists the FAQ's topics).
Answered = tuple[str | None, bool]


def available_cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


class LineReader:
    """The lines of a file descriptor (their ``\\n`` kept; a last line may lack it), in batches of
    those already there: :meth:`batch` waits for one line only, then takes what can be read
    without waiting."""

    def __init__(self, fd: int, *, chunk: int = 1 << 16) -> None:
        self.fd = fd
        self.chunk = chunk
        self._pending = bytearray()
        self._lines: list[bytes] = []
        self._ended = False

    def batch(self, limit: int = BATCH_LINES) -> list[bytes]:
        """Up to *limit* lines: at least one, unless the input has ended (then ``[]``)."""
        while not self._lines and not self._ended:
            self._read()
        while len(self._lines) < limit and not self._ended and self._ready():
            self._read()
        taken, self._lines = self._lines[:limit], self._lines[limit:]
        return taken

    def __iter__(self) -> Iterator[bytes]:
        """Every line, one at a time."""
        while batch := self.batch():
            yield from batch

    def _ready(self) -> bool:
        try:
            return bool(select.select([self.fd], [], [], 0)[0])
        except (OSError, ValueError):  # not selectable: read only when a line is needed
            return False

    def _read(self) -> None:
        try:
            data = os.read(self.fd, self.chunk)
        except BlockingIOError:  # a descriptor left non-blocking by whoever started us: wait for it
            select.select([self.fd], [], [])
            return
        if not data:
            self._ended = True
            if self._pending:
                self._lines.append(bytes(self._pending))
                self._pending.clear()
            return
        self._pending += data
        end = self._pending.rfind(b"\n")
        if end >= 0:  # lines end at "\n" only, as a file's readline sees them (a "\r" stays inside)
            self._lines += [line + b"\n" for line in bytes(self._pending[:end]).split(b"\n")]
            del self._pending[:end + 1]


class Helpers:
    """Up to *jobs* - 1 forked processes that answer lines with *answer* (this process's own way
    of answering, with the topics taken as listed), started on the first batch worth sharing;
    none where the platform cannot fork, or with *jobs* 1. Use as a context manager, so that
    they end with it."""

    def __init__(self, answer: Callable[[str], Answered], jobs: int, *,
                 before_fork: Callable[[], None] | None = None) -> None:
        self.answer = answer
        self.jobs = max(1, jobs) if hasattr(os, "fork") else 1
        self.before_fork = before_fork
        self._helpers: list[_Helper] = []
        self._started = False

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """End every helper (each exits when its pipe closes) and wait for them."""
        helpers, self._helpers = self._helpers, []
        for helper in helpers:
            helper.close()

    @property
    def count(self) -> int:
        """How many helpers are running."""
        return len(self._helpers)

    def shares(self, lines: Sequence[str]) -> tuple[list[str], list[list[str]]]:
        """*lines* split into this process's share (the first lines) and one share per helper."""
        if len(lines) < MIN_SHARED or self.jobs < 2:
            return list(lines), []
        if not self._started:
            self._start()
        helpers = len(self._helpers)
        if not helpers:
            return list(lines), []
        own = int(len(lines) * OWN_SHARE / (OWN_SHARE + helpers))
        size = -(-(len(lines) - own) // helpers)  # ceiling: the shares cover every line
        return list(lines[:own]), [list(lines[start:start + size]) for start in range(own, len(lines), size)]

    def send(self, shares: list[list[str]]) -> list[_Helper | None]:
        """Give each share to a helper; ``None`` for a share no helper took (answer it here)."""
        taken: list[_Helper | None] = []
        for share, helper in zip(shares, list(self._helpers)):
            taken.append(helper if self._try(helper, helper.send, share) else None)
        return taken + [None] * (len(shares) - len(taken))

    def receive(self, helper: _Helper, share: list[str]) -> list[Answered] | None:
        """The answers *helper* gave to *share*; ``None`` when it failed (answer the share here)."""
        return self._try(helper, helper.receive, len(share))

    def _try(self, helper: _Helper, step, *args):
        try:
            return step(*args)
        except (OSError, ValueError, EOFError):  # it died or garbled its reply: drop it
            if helper in self._helpers:
                self._helpers.remove(helper)
            helper.close()
            return None

    def _start(self) -> None:
        self._started = True
        if self.before_fork is not None:
            self.before_fork()
        # What is built by now (the index) lives as long as the process: frozen, it is never traced
        # by a collection again, so a helper's collections do not copy the pages it shares.
        gc.freeze()
        for _ in range(self.jobs - 1):
            try:
                self._helpers.append(_Helper.fork(self.answer, self._helpers))
            except OSError:  # out of processes or memory: answer with those there are
                break


class _Helper:
    """One forked process: reads a share of lines, writes their answers."""

    def __init__(self, pid: int, to_helper: int, from_helper: int) -> None:
        self.pid = pid
        self._to = to_helper
        self._from = from_helper
        self._closed = False

    @classmethod
    def fork(cls, answer: Callable[[str], Answered], others: Sequence[_Helper] = ()) -> _Helper:
        """A new helper; *others* are the helpers already running, whose pipes it must not hold open
        (a helper ends when its own pipe closes)."""
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: it never returns
            code = 1
            try:
                for fd in (down_write, up_read, *(fd for other in others for fd in (other._to, other._from))):
                    os.close(fd)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process
                signal.signal(signal.SIGPIPE, signal.SIG_DFL)
                _serve(answer, down_read, up_write)
                code = 0
            finally:
                os._exit(code)  # no atexit handlers, no flush of buffers copied from the parent
        os.close(down_read)
        os.close(up_write)
        return cls(pid, down_write, up_read)

    def send(self, lines: list[str]) -> bool:
        _send(self._to, json.dumps(lines, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        return True

    def receive(self, count: int) -> list[Answered]:
        data = _receive(self._from)
        if data is None:
            raise EOFError("the helper ended")
        answered = [(text if isinstance(text, str) else None, bool(declined)) for text, declined in json.loads(data)]
        if len(answered) != count:
            raise ValueError("the helper answered another number of lines")
        return answered

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for fd in (self._to, self._from):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass


def _serve(answer: Callable[[str], Answered], down: int, up: int) -> None:
    """A helper's loop: answer each share until the pipe closes."""
    while (data := _receive(down)) is not None:
        lines = json.loads(data.decode("utf-8", "surrogatepass"))
        _send(up, json.dumps([answer(line) for line in lines], ensure_ascii=False).encode("utf-8", "surrogatepass"))


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> bytes | None:
    """One message, or ``None`` at the end of the pipe."""
    head = _read_exactly(fd, _LENGTH.size)
    if head is None:
        return None
    (size,) = _LENGTH.unpack(head)
    body = _read_exactly(fd, size)
    if body is None:
        raise EOFError("the pipe ended within a message")
    return body


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        data = os.read(fd, min(left, 1 << 20))
        if not data:
            if left == size:
                return None
            raise EOFError("the pipe ended within a message")
        parts.append(data)
        left -= len(data)
    return b"".join(parts)
