"""The interactive session, on prompt_toolkit.

Built in three parts (habit 6 of STYLE.md): :meth:`Repl.build_session` makes
the prompt (history, completion, suggestions, key bindings),
:meth:`Repl.run` loops, and :meth:`Repl.handle_line` turns one line into the
text to print, so most behaviour is testable without a terminal. Every text
printed in answer to a line ends with the dermatologist advice.
"""

from __future__ import annotations

import datetime
import errno
import io
import os
import re
import stat
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.completion import Completer, FuzzyCompleter, WordCompleter
from prompt_toolkit.history import History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings

from .compose import Reply, Responder, with_advice
from .faq import Faq, FaqError, load_faq
from .matcher import Matcher
from .normalize import clean_text
from .paths import FileChanged, FileTooLarge, NotRegularFile, private_dir, read_file, regular_status

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: one write per entry, without a lock
    fcntl = None  # type: ignore[assignment]

__all__ = ["PROMPT", "Repl", "open_history"]

PROMPT = "you> "
_COMMANDS = {
    "/help": "what you can ask and the commands",
    "/topics": "every question the FAQ answers, numbered",
    "/why": "how the last reply was chosen",
    "/reload": "read the FAQ file again (keeps the old one if the new one is broken)",
    "/quit": "leave (Ctrl-D works too)",
}
_ALIASES = {"/exit": "/quit", "/q": "/quit", "/?": "/help", "/h": "/help", "/list": "/topics"}


#: Largest history file read back (hundreds of thousands of questions). A larger one, like
#: one that is not a regular file or is a symbolic link, is left alone: one warning, and the
#: session keeps its history in memory.
MAX_HISTORY_BYTES = 16 * 1024 * 1024

# Append only; never follow a symbolic link, never block on a named pipe, never take a terminal.
_APPEND_FLAGS = (os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))


class _SafeFileHistory(History):
    """prompt_toolkit's history file format, each entry written whole.

    An entry is appended with one ``write`` under an exclusive lock, so two
    sessions sharing the file never interleave, and a write that fails half
    way (a full disk) is cut back off, so no partial entry is left. When the
    file cannot be read or written it warns once and keeps going in memory.
    """

    def __init__(self, filename: str, warn) -> None:
        super().__init__()
        self.filename = filename
        self._warn = warn
        self._broken = False

    def load_history_strings(self) -> Iterable[str]:
        try:
            data = read_file(self.filename, MAX_HISTORY_BYTES, follow_symlinks=False)
        except FileNotFoundError:
            return []
        except OSError as error:
            self._fail(_unusable(self.filename, error, "starting without it"))
            return []
        strings: list[str] = []
        lines: list[str] = []
        for line in data.decode("utf-8", errors="replace").split("\n"):
            if line.startswith("+"):
                lines.append(line[1:])
            elif lines:
                strings.append("\n".join(lines))
                lines = []
        if lines:
            strings.append("\n".join(lines))
        return reversed(strings)  # newest first

    def store_string(self, string: str) -> None:
        if self._broken:
            return
        entry = f"\n# {datetime.datetime.now()}\n" + "".join(f"+{line}\n" for line in string.split("\n"))
        try:
            _append_whole(self.filename, entry.encode("utf-8", errors="replace"))
        except OSError as error:
            self._fail(_unusable(self.filename, error, "this session's history stays in memory"))

    def _fail(self, message: str) -> None:
        if not self._broken:
            self._broken = True
            self._warn(message)


def _open_for_append(path: str) -> int:
    """A descriptor appending to the regular file *path* (not a link), made ``0o600``."""
    descriptor = os.open(path, _APPEND_FLAGS, 0o600)
    try:
        status = regular_status(descriptor, path)
        if stat.S_IMODE(status.st_mode) != 0o600:  # questions can be personal
            if hasattr(os, "fchmod"):
                os.fchmod(descriptor, 0o600)
            else:  # pragma: no cover - Windows
                os.chmod(path, 0o600)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _append_whole(path: str, data: bytes) -> None:
    """Append *data* to *path* in one write under a lock; on failure cut off whatever was written."""
    descriptor = _open_for_append(path)
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)  # released when the descriptor is closed
        start = os.fstat(descriptor).st_size
        try:
            view = memoryview(data)
            while view:  # one write, unless the system takes less
                view = view[os.write(descriptor, view):]
        except OSError:
            try:
                os.ftruncate(descriptor, start)
            except OSError:
                pass
            raise
    finally:
        os.close(descriptor)


def _unusable(path: str, error: OSError, consequence: str) -> str:
    """Why the history file at *path* cannot be used, for the one warning."""
    if error.errno == errno.ELOOP:
        why = "is a symbolic link, which is not followed"
    elif error.errno == errno.EISDIR:
        why = "is a directory"
    elif isinstance(error, NotRegularFile):
        why = f"is {error.kind}, not a regular file"
    elif error.errno == errno.ENXIO:  # opening a named pipe that nobody reads, without waiting
        why = "is a named pipe (FIFO), not a regular file"
    elif isinstance(error, (FileTooLarge, FileChanged)):
        why = f"cannot be read: {error.strerror}"
    else:
        why = f"cannot be used ({error.strerror or error})"
    return f"the history file {path} {why}; {consequence}"


def open_history(path: str | os.PathLike | None, warn) -> History:
    """A history at *path*, created readable by its owner only; in memory when that fails.

    The file and any directory made for it are private whatever the umask. A
    path that is a symbolic link, a directory, a named pipe or a device is
    never followed, opened for long or chmodded: one warning, and the
    session's history stays in memory.
    """
    if path is None:
        return InMemoryHistory()
    name = os.fspath(path)
    try:
        private_dir(os.path.dirname(os.path.abspath(name)))
        os.close(_open_for_append(name))
    except OSError as error:
        warn(_unusable(name, error, "this session's history stays in memory"))
        return InMemoryHistory()
    return _SafeFileHistory(name, warn)


class _QuestionSuggest(AutoSuggest):
    """Suggests the rest of an FAQ question that starts with what was typed."""

    def __init__(self, repl: Repl) -> None:
        self._repl = repl

    def get_suggestion(self, buffer, document) -> Suggestion | None:
        text = document.text
        if len(text) < 3 or text.startswith("/"):
            return None
        lowered = text.lower()
        for question in self._repl.questions:
            if question.lower().startswith(lowered) and len(question) > len(text):
                return Suggestion(question[len(text):])
        return None


class _Completer(Completer):
    """Commands after "/", FAQ questions (fuzzily) otherwise."""

    def __init__(self, repl: Repl) -> None:
        self._repl = repl
        self._commands = WordCompleter(list(_COMMANDS), sentence=True)

    def get_completions(self, document, complete_event):
        if document.text.startswith("/"):
            yield from self._commands.get_completions(document, complete_event)
            return
        questions = FuzzyCompleter(WordCompleter(list(self._repl.questions), sentence=True))
        yield from questions.get_completions(document, complete_event)


class Repl:
    """One interactive session over an FAQ.

    *input*, *output* and *history* are prompt_toolkit objects, injected by
    tests; *stdout* receives the replies and *stderr* the warnings.
    """

    def __init__(self, faq: Faq, *, matcher: Matcher | None = None, faq_path: Path | str | None = None,
                 history_file: str | os.PathLike | None = None,
                 input=None, output=None, history: History | None = None,
                 stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self.faq_path = Path(faq_path) if faq_path else None
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._input = input
        self._output = output
        self._warned: set[str] = set()
        self.history = history if history is not None else open_history(history_file, self.warn)
        self.last: Reply | None = None
        self.choices: tuple[str, ...] = ()
        self._use(faq, matcher)

    def _use(self, faq: Faq, matcher: Matcher | None = None) -> None:
        self.faq = faq
        self.responder = Responder(faq, matcher=matcher, interactive=True)
        self.questions = tuple(e.question for e in faq.entries)

    # -- the loop ------------------------------------------------------------

    def build_session(self) -> PromptSession:
        return PromptSession(
            history=self.history, completer=_Completer(self), complete_while_typing=False,
            auto_suggest=_QuestionSuggest(self), key_bindings=self.key_bindings(),
            input=self._input, output=self._output, enable_history_search=False,
        )

    def key_bindings(self) -> KeyBindings:
        bindings = KeyBindings()

        @bindings.add("c-l")
        def _(event) -> None:
            event.app.renderer.clear()

        return bindings

    def greeting(self) -> str:
        return with_advice("Hello! I answer questions about micro needling (collagen induction therapy) from a "
                           f"curated FAQ: {self.responder.topics_sentence()}.\n"
                           "Ask in your own words. /topics lists every question, /help shows the commands, "
                           "Ctrl-D or /quit leaves.")

    def run(self) -> int:
        """Prompt until the person leaves; returns the exit code."""
        session = self.build_session()
        self.say(self.greeting())
        while True:
            try:
                line = session.prompt(PROMPT)
            except KeyboardInterrupt:
                continue  # Ctrl-C: the line is dropped, a fresh prompt follows
            except EOFError:
                self.say(self.responder.reply("bye").text)
                return 0
            try:
                text = self.handle_line(line)
            except Exception as error:  # a failing command must not end the session
                text = with_advice(f"Sorry, something went wrong: {clean_text(str(error)) or type(error).__name__}")
            if text is None:
                self.say(self.responder.reply("bye").text)
                return 0
            if text:
                self.say(text)

    def say(self, text: str) -> None:
        text = clean_text(text)
        width = self._width()
        self.stdout.write(_showable((_wrap(text, width) if width else text) + "\n\n", self.stdout))
        self.stdout.flush()

    def _width(self) -> int | None:
        """The terminal's width (at most 100) to wrap at; None when not printing to a terminal."""
        try:
            if not self.stdout.isatty():
                return None
            return max(40, min(os.get_terminal_size(self.stdout.fileno()).columns - 1, 100))
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            return None

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.stderr.write(_showable(f"warning: {clean_text(message)}\n", self.stderr))
            self.stderr.flush()

    # -- one line ------------------------------------------------------------

    def handle_line(self, line: str) -> str | None:
        """The text to print for one line; ``None`` to end the session."""
        text = line.strip()
        if not text:
            return ""
        if text.startswith("/"):
            return self.command(text)
        if text.isdigit():
            return self.pick(int(text))
        reply = self.responder.reply(line)
        return self._remember(reply)

    def pick(self, number: int) -> str:
        if not self.choices:
            return with_advice("There is no numbered list to pick from yet: ask a question, or type /topics.")
        if not 1 <= number <= len(self.choices):
            return with_advice(f"Pick a number from 1 to {len(self.choices)}, or ask in other words.")
        return self._remember(self.responder.choose(self.choices[number - 1]))

    def _remember(self, reply: Reply) -> str:
        self.last = reply
        if reply.suggestions:
            self.choices = reply.suggestions
        return reply.text

    def command(self, text: str) -> str | None:
        name = text.split()[0].lower()
        name = _ALIASES.get(name, name)
        if name == "/quit":
            return None
        if name == "/help":
            lines = ["Ask anything about micro needling in your own words, for example "
                     "\"does it hurt?\" or \"what should I put on my skin afterwards?\".",
                     "Type the number of a suggestion to pick it. Tab completes a question; "
                     "the right arrow accepts the grey suggestion. Ctrl-C clears the line.", ""]
            lines += [f"  {command:9} {about}" for command, about in _COMMANDS.items()]
            return with_advice("\n".join(lines))
        if name == "/topics":
            self.choices = tuple(e.id for e in self.faq.entries)
            lines = ["I can answer these (type a number to ask one):"]
            lines += [f"  {n:2}. {e.question}" for n, e in enumerate(self.faq.entries, 1)]
            return with_advice("\n".join(lines))
        if name == "/why":
            return with_advice(self.why())
        if name == "/reload":
            return with_advice(self.reload())
        return with_advice(f"Unknown command {clean_text(name)!r}. Commands: {', '.join(_COMMANDS)}.")

    def why(self) -> str:
        reply = self.last
        if reply is None:
            return "Nothing to explain yet: ask a question first."
        lines = [f"Last question: {reply.question!r}",
                 f"Reply kind: {reply.kind}" + (f" ({reply.entry_id})" if reply.entry_id else "")]
        lines += [f"Why: {note}" for note in reply.notes]
        terms = self.responder.matcher.terms(reply.question)
        lines.append(f"Words compared: {' '.join(terms) if terms else '(none)'}")
        if reply.matches:
            lines.append("Top entries:")
            for m in reply.matches:
                name = m.entry.id if m.entry is not None else f"not covered: {m.gap.topic}"
                lines.append(f"  {m.score:5.1f}  {name:24} via {m.phrasing!r}")
        return "\n".join(lines)

    def reload(self) -> str:
        if self.faq_path is None:
            return "This session was not started from a file, so there is nothing to reload."
        try:
            faq = load_faq(self.faq_path)
        except FaqError as error:
            return f"{clean_text(str(error))}\nKept the FAQ that was loaded before; fix the file and /reload again."
        self._use(faq)
        self.choices = ()
        return f"Reloaded {self.faq_path}: {len(faq.entries)} entries."


def _showable(text: str, stream: TextIO) -> str:
    """*text* with what *stream*'s encoding cannot show as "?" (LC_ALL=C, an ASCII terminal), so a
    reply or /why that quotes a non-ASCII question is printed instead of ending the session."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return text
    return text.encode(encoding, "replace").decode(encoding)


def _wrap(text: str, width: int) -> str:
    """Wrap each line at word boundaries, keeping the indentation of list items."""
    out = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        marker = re.match(r"\s*(?:\d+\.|-)\s+", line)
        follow = " " * marker.end() if marker else indent
        out.append(textwrap.fill(line, width, initial_indent="", subsequent_indent=follow,
                                 break_long_words=False, break_on_hyphens=False) if line.strip() else line)
    return "\n".join(out)

