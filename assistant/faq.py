"""The FAQ: its records, its errors, and reading the file safely.

:func:`~assistant.schema.load_faq` (exported as ``assistant.load_faq``)
parses and checks a file into these records; reading never runs code and
never trusts the file: only plain YAML types are accepted, aliases, nesting
depth and file size are bounded, and every problem found is reported at
once, each with its file, line and entry id, in a single :class:`FaqError`.
Only a whole file is read (:func:`read_faq`): a regular file that ends with a
line end, so an FAQ cut short, half saved or still being written is refused,
never half used.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "faq.yaml"
>>> _ = path.write_text('''
... version: 1
... entries:
...   - id: session-length
...     question: How long does a session take?
...     alternates: [how long is a session]
...     answer: Around 20-30 minutes, according to the article.
...     source: How to Add Micro Needling to Your Skin Care Routine
... ''')
>>> from assistant import load_faq
>>> faq = load_faq(path)
>>> faq.entries[0].id, faq.entries[0].alternates
('session-length', ('how long is a session',))
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from .paths import FileTooLarge, NotRegularFile, read_file
from .records import record

__all__ = ["MAX_FAQ_BYTES", "Entry", "Faq", "FaqError", "Gap", "Problem", "decode_faq", "read_faq", "shipped_faq_path"]

#: Largest FAQ file accepted, in bytes. Far above any hand-written FAQ (the
#: shipped one is about 40 kB; 100,000 phrasings take about 8 MB).
MAX_FAQ_BYTES = 64 * 1024 * 1024


@record
class Problem:
    """One thing wrong with an FAQ file."""

    path: str
    """The file, as given."""
    line: int | None
    """1-based line the problem is on, when there is one."""
    message: str
    """What is wrong and how to fix it."""
    entry: str | None = None
    """The id of the entry concerned, when there is one."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        about = f" entry '{self.entry}':" if self.entry else ""
        return f"{where}:{about} {self.message}"


class FaqError(Exception):
    """An FAQ file could not be used; :attr:`problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        # In file order, so they read top to bottom like the file.
        self.problems = tuple(sorted(problems, key=lambda problem: (problem.path, problem.line or 0)))
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the FAQ file:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


@record
class Entry:
    """One question the FAQ answers."""

    id: str
    """Stable lower-case kebab-case identifier, unique in the file."""
    question: str
    """The main way of asking, shown in menus and suggestions."""
    alternates: tuple[str, ...]
    """Other ways people ask the same thing."""
    answer: str
    """The reply, written from the source article only."""
    source: str
    """Heading of the article section the answer comes from."""
    tags: tuple[str, ...] = ()
    """Topic words, used to list what the FAQ covers."""
    related: tuple[str, ...] = ()
    """Ids of entries worth offering as follow-ups."""
    line: int | None = None
    """Line of the entry in its file, for messages."""
    evidence: tuple[str, ...] = ()
    """The sentences of the source text the answer rests on, verbatim."""

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question followed by its alternates."""
        return (self.question, *self.alternates)

    @property
    def label(self) -> str:
        """How messages name the entry: its id."""
        return self.id

    def __repr__(self) -> str:
        return f"Entry({self.id!r}, question={self.question!r}, {len(self.alternates)} alternates)"


@record
class Gap:
    """A topic people ask about that the FAQ knows it does not cover."""

    topic: str
    """What it is about, as a person reads it ("the cost of a session")."""
    phrasings: tuple[str, ...]
    """Ways people ask about it; a question that matches them best is declined."""
    line: int | None = None
    """Line in its file, for messages."""

    @property
    def id(self) -> str:
        """What a declined topic's matches are called: ``not-covered``."""
        return "not-covered"

    @property
    def label(self) -> str:
        """How messages name the topic: ``not_covered: <topic>``, as the file lists it."""
        return f"not_covered: {self.topic}"

    def __repr__(self) -> str:
        return f"Gap({self.topic!r}, {len(self.phrasings)} phrasings)"


@record
class Faq:
    """A loaded, validated FAQ."""

    entries: tuple[Entry, ...]
    """The entries, in file order."""
    synonyms: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    """Canonical word or phrase -> the variants people type."""
    version: int = 1
    """Schema version of the file."""
    path: str | None = None
    """Where it was loaded from."""
    not_covered: tuple[Gap, ...] = ()
    """Topics the FAQ declines on purpose, so they are not mistaken for an entry."""
    concepts: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    """Concept -> words and phrases that ask about it (each also counts as the concept)."""

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, or ``None``."""
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None

    @property
    def phrasings_per_entry(self) -> float:
        """How many phrasings (question and alternates) an entry has on average: how densely the FAQ
        is written, which the decision takes into account (:meth:`Calibration.for_density`)."""
        return sum(len(e.phrasings) for e in self.entries) / len(self.entries) if self.entries else 0.0

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"Faq({self.path!r}, {len(self.entries)} entries, {len(self.not_covered)} not-covered topics)"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large FAQ is parsed or indexed.

    Parsing and building make millions of small objects and no cycles worth
    collecting; left on, the collector runs thousands of times and takes
    about half the time. Afterwards the objects made are frozen
    (:func:`gc.freeze`), so that later collections do not walk them again
    (a pause of a few hundred milliseconds in the middle of a question), and
    the collector is turned back on if it was on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_on:
            gc.enable()


def shipped_faq_path() -> str:
    """The FAQ that ships with the program: inside the installed package, or in the checkout's knowledge/."""
    package = os.path.dirname(os.path.realpath(__file__))
    inside = os.path.join(package, "knowledge", "faq.yaml")
    if os.path.isfile(inside):
        return inside
    beside = os.path.join(os.path.dirname(package), "knowledge", "faq.yaml")
    if os.path.isfile(beside):
        return beside
    try:  # an editable install maps the package data elsewhere
        from importlib.resources import files

        found = files("assistant.knowledge") / "faq.yaml"
        if found.is_file():
            return str(found)
    except (ImportError, OSError, TypeError, ValueError):
        pass
    return beside


def read_faq(path: str | os.PathLike) -> bytes:
    """The bytes of the FAQ file at *path*; raise :class:`FaqError` unless it is whole.

    Whole means a regular file (never a directory, a named pipe or a device,
    which could block or never end), within :data:`MAX_FAQ_BYTES`, that did
    not change while it was read, and that ends with a line end: a file cut
    short (saved half way, copied in part) almost always ends inside a line,
    and some of those cuts are still valid YAML that would answer wrongly.
    """
    name = str(path)
    try:
        data = read_file(path, MAX_FAQ_BYTES)
    except FileNotFoundError:
        raise FaqError([Problem(name, None, "no such file (check the path)")]) from None
    except NotRegularFile as error:
        what = "a directory, not an FAQ file" if error.kind == "a directory" else (
            f"{error.kind}, not a regular file, so it is not read (an FAQ file is a regular file)")
        raise FaqError([Problem(name, None, f"this is {what}")]) from None
    except FileTooLarge as error:
        raise FaqError([Problem(name, None, f"{error.strerror} (split the FAQ or trim it)")]) from None
    except OSError as error:  # FileChanged included: its message says to try again
        raise FaqError([Problem(name, None, f"cannot read the file: {error.strerror or error}")]) from None
    if data and not data.endswith(b"\n"):
        raise FaqError([Problem(name, data.count(b"\n") + 1, _CUT_SHORT)])
    return data


_CUT_SHORT = ("the file ends inside this line, with no line end after it, so it may have been cut short "
              "(saved half way or copied in part); a complete FAQ file ends with a newline: "
              "if nothing is missing, add one at the end")


def decode_faq(path: str | os.PathLike, data: bytes) -> str:
    """The FAQ's bytes as text; raise :class:`FaqError` naming the line of a bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FaqError([Problem(str(path), line, f"the file is not valid UTF-8 (byte {error.start}); "
                                                 "save it as UTF-8")]) from None

