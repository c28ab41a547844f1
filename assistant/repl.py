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
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.completion import Completer, FuzzyCompleter, WordCompleter
from prompt_toolkit.history import History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style

from .compose import Reply, ReplyKind, Responder, with_advice
from .faq import Faq, FaqError
from .log import ReplyLog
from .matcher import Matcher
from .normalize import clean_text
from .paths import FileChanged, FileTooLarge, NotRegularFile, private_dir, read_file, regular_status
from .records import record
from .safety import triage
from .terminal import Look, answered_question, terminal_width, wants_color

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: one write per entry, without a lock
    fcntl = None  # type: ignore[assignment]

__all__ = ["PROMPT", "Repl", "open_history"]

PROMPT = "you> "
#: The session's colours (pgcli's habit: the prompt stands out, the suggestion is grey).
_STYLE = {"prompt": "ansigreen bold"}
#: Without colour, what must stay distinct is drawn with attributes: the suggested rest of a
#: question underlined (else it looks typed), the selected completion reversed.
_NO_COLOR_STYLE = {"auto-suggestion": "underline", "completion-menu.completion.current": "reverse"}
#: Typed alone right after "did you mean", these say yes (pick the one entry offered) or no.
YES_WORDS = frozenset({"yes", "y", "yeah", "yep", "yup", "ya", "yea", "sure", "yes please", "correct", "right",
                       "exactly", "that one", "yes that one"})
NO_WORDS = frozenset({"no", "n", "nope", "nah", "neither", "none", "no thanks", "not really", "none of them",
                      "neither of them", "none of these", "no none of these"})
#: Typed alone (any case, any punctuation around them), these leave the session as /quit does.
LEAVE_WORDS = frozenset({"bye", "bye bye", "goodbye", "good bye", "see you", "see you later", "see ya", "cya",
                         "good night", "farewell", "quit", "exit"})


@record
class Command:
    """One session command: registered once, with everything /help and the completer need."""

    name: str
    """What a person types, ``/`` included."""
    about: str
    """One line for /help."""
    run: Callable[[], str | None]
    """Returns the text to print (the advice is added), or ``None`` to end the session."""
    aliases: tuple[str, ...] = ()
    """Other names that run it."""


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
    """Commands after "/", FAQ questions (fuzzily) otherwise; built once, it reads the questions in use."""

    def __init__(self, repl: Repl) -> None:
        self._commands = WordCompleter([command.name for command in repl.command_list()], sentence=True)
        questions = WordCompleter(lambda: list(repl.questions), sentence=True, ignore_case=True)
        self._questions = FuzzyCompleter(questions)

    def get_completions(self, document, complete_event):
        completer = self._commands if document.text.startswith("/") else self._questions
        yield from completer.get_completions(document, complete_event)


class Repl:
    """One interactive session over an FAQ.

    *input*, *output* and *history* are prompt_toolkit objects, injected by
    tests; *stdout* receives the replies and *stderr* the warnings. *log*
    (held, see :class:`~assistant.log.ReplyLog`) gets every reply, the
    numbers picked and the ``/good`` and ``/wrong`` marks. *color*
    (default: whether *stdout* is a terminal that wants colour) colours the
    prompt, the replies and the grey rest-of-question suggestion; without it
    the suggestion is underlined so that it never looks typed.
    """

    def __init__(self, faq: Faq, *, matcher: Matcher | None = None, faq_path: Path | str | None = None,
                 history_file: str | os.PathLike | None = None,
                 input=None, output=None, history: History | None = None,
                 stdout: TextIO | None = None, stderr: TextIO | None = None, color: bool | None = None,
                 index: str | None = None, log: ReplyLog | None = None) -> None:
        self.faq_path = Path(faq_path) if faq_path else None
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.color = wants_color("auto", self.stdout) if color is None else color
        self._input = input
        self._output = output
        self._warned: set[str] = set()
        self.history = history if history is not None else open_history(history_file, self.warn)
        self.last: Reply | None = None
        self.index = index  # where the matcher's index came from (cache or built), for /why
        self.choices: tuple[str, ...] = ()
        self.listed: Reply | None = None  # the reply whose numbered list `choices` is (None: /topics)
        self.log = log
        # The command table: every command under its name and each of its aliases.
        self.commands = {name: command for command in self._commands()
                         for name in (command.name, *command.aliases)}
        self._use(faq, matcher)

    def _commands(self) -> tuple[Command, ...]:
        return (
            Command("/help", "what you can ask and the commands", self.help, ("/h", "/?")),
            Command("/topics", "every question the FAQ answers, numbered", self.topics, ("/list",)),
            Command("/why", "how the last reply was chosen", self.why),
            Command("/good", "say the last answer was right (kept in the log, with --log)", lambda: self.mark("good")),
            Command("/wrong", "say the last answer was wrong (kept in the log, with --log)",
                    lambda: self.mark("wrong")),
            Command("/reload", "read the FAQ file again (keeps the old one if the new one is broken)", self.reload),
            Command("/quit", 'leave (so do Ctrl-D and "bye", "quit" or "exit" typed alone)', lambda: None,
                    ("/exit", "/q")),
        )

    def command_list(self) -> tuple[Command, ...]:
        """Each command once, in the order /help shows them."""
        return tuple(dict.fromkeys(self.commands.values()))

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
            style=Style.from_dict(_STYLE if self.color else _NO_COLOR_STYLE), color_depth=self._color_depth(),
        )

    def _color_depth(self) -> ColorDepth | None:
        if not self.color:
            return ColorDepth.MONOCHROME
        # prompt_toolkit goes monochrome under $NO_COLOR by itself; --color=always outranks it.
        return ColorDepth.DEFAULT if os.environ.get("NO_COLOR") else None

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
                           "Ctrl-D, /quit or \"bye\" leaves.")

    def run(self) -> int:
        """Prompt until the person leaves; returns the exit code."""
        session = self.build_session()
        self.say(self.greeting())
        while True:
            try:
                line = session.prompt([("class:prompt", PROMPT)])
            except KeyboardInterrupt:
                continue  # Ctrl-C: the line is dropped, a fresh prompt follows
            except EOFError:
                self.say(self.responder.reply("bye").text)
                return 0
            before = self.last
            try:
                text = self.handle_line(line)
            except Exception as error:  # a failing command must not end the session
                text = with_advice(f"Sorry, something went wrong: {clean_text(str(error)) or type(error).__name__}")
            if text is None:
                self.say(self.responder.reply("bye").text)
                return 0
            if text:
                answered = self.last if self.last is not before else None  # a new reply, not a command
                self.say(text, heading=answered_question(self.faq, answered) if answered else None)

    def say(self, text: str, *, heading: str | None = None) -> None:
        """Print *text* wrapped to the terminal (read again each time: it may be resized) and coloured,
        with what the terminal's encoding cannot show replaced."""
        look = Look(terminal_width(self.stdout), self.color)
        self.stdout.write(_showable(look.render(text, heading=heading) + "\n\n", self.stdout))
        self.stdout.flush()

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.stderr.write(_showable(f"warning: {clean_text(message)}\n", self.stderr))
            self.stderr.flush()

    # -- one line ------------------------------------------------------------

    def handle_line(self, line: str) -> str | None:
        """The text to print for one line; ``None`` to end the session.

        A warning sign comes first: "911" is not a suggestion number and
        "/ my face won't stop bleeding" is not a command.
        """
        words = " ".join(re.findall(r"\w+", line.lower()))
        if words in LEAVE_WORDS:
            return None
        text = line.strip()
        if not text:
            return ""
        if triage(line).urgent:
            return self._remember(self.responder.reply(line))
        if text.startswith("/"):
            return self.command(text)
        if text.isdigit():
            return self.pick(int(text))
        if self.last is not None and self.last.kind == ReplyKind.CLARIFY and self.listed is self.last:
            if words in YES_WORDS:  # "Did you mean: 1. ...?" "yes"
                if len(self.choices) == 1:
                    return self.pick(1)
                return with_advice(f"Which one? Type its number (1 to {len(self.choices)}), or ask in other words.")
            if words in NO_WORDS:
                return with_advice("All right. Ask in other words, or type /topics to see every question I can answer.")
        reply = self.responder.reply(line)
        return self._remember(reply)

    def pick(self, number: int) -> str:
        if not self.choices:
            return with_advice("There is no numbered list to pick from yet: ask a question, or type /topics.")
        if not 1 <= number <= len(self.choices):
            return with_advice(f"Pick a number from 1 to {len(self.choices)}, or ask in other words.")
        return self._remember(self.responder.choose(self.choices[number - 1]), picked=number)

    def _remember(self, reply: Reply, picked: int | None = None) -> str:
        if self.log is not None:
            self.log.add(reply, picked=picked, from_last=self.listed is not None and self.listed is self.last)
        self.last = reply
        if reply.suggestions:
            self.choices, self.listed = reply.suggestions, reply
        return reply.text

    def command(self, text: str) -> str | None:
        """Run the command that *text* names; ``None`` to end the session."""
        name = text.split()[0].lower()
        command = self.commands.get(name)
        if command is None:
            names = ", ".join(c.name for c in self.command_list())
            return with_advice(f"Unknown command {clean_text(name)!r}. Commands: {names} (/help says more).")
        printed = command.run()
        return None if printed is None else with_advice(printed)

    def help(self) -> str:
        lines = ["Ask anything about micro needling in your own words, for example "
                 "\"does it hurt?\" or \"what should I put on my skin afterwards?\".",
                 "Type the number of a suggestion to pick it (\"yes\" picks the only one). Tab completes a question; "
                 "the right arrow accepts the suggested rest of a question. Ctrl-C clears the line.", ""]
        names = {c: c.name + (f" ({', '.join(c.aliases)})" if c.aliases else "") for c in self.command_list()}
        width = max(map(len, names.values()))
        lines += [f"  {label:{width}}  {command.about}" for command, label in names.items()]
        return "\n".join(lines)

    def topics(self) -> str:
        self.choices, self.listed = tuple(e.id for e in self.faq.entries), None
        lines = ["I can answer these (type a number to ask one):"]
        lines += [f"  {n:2}. {e.question}" for n, e in enumerate(self.faq.entries, 1)]
        return "\n".join(lines)

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
                name = m.doc.label
                e = m.evidence
                lines.append(f"  {m.score:5.1f}  {name:24} via {m.phrasing!r} "
                             f"(overlap {e.overlap:.2f}, chars {e.chars:.2f}, coverage {e.coverage:.2f}, "
                             f"kind {e.kind:.2f})")
        if self.index:
            lines.append(f"Index: {self.index}")
        return "\n".join(lines)

    def mark(self, verdict: str) -> str:
        """/good and /wrong: record what the person says of the last answer, and say so in one line."""
        reply = self.last
        if reply is None or reply.kind is not ReplyKind.ANSWER:
            return f"There is no answer to mark: /{verdict} is about the last answer given."
        said = "right" if verdict == "good" else "wrong"
        if self.log is None or not self.log.mark(verdict):
            return f"Noted that the answer was {said}, but this session keeps no log (start it with --log FILE)."
        return f"Noted in the log: the answer from {reply.entry_id} was {said}." + (
            "" if verdict == "good" else " Try asking in other words.")

    def reload(self) -> str:
        if self.faq_path is None:
            return "This session was not started from a file, so there is nothing to reload."
        from .schema import load_faq  # PyYAML only when the file is read again

        try:
            faq = load_faq(self.faq_path)
        except FaqError as error:
            return f"{clean_text(str(error))}\nKept the FAQ that was loaded before; fix the file and /reload again."
        self._use(faq)
        self.index = "built (/reload)"
        self.choices = ()
        return f"Reloaded {self.faq_path}: {len(faq.entries)} entries."


def _showable(text: str, stream: TextIO) -> str:
    """*text* with what *stream*'s encoding cannot show as "?" (LC_ALL=C, an ASCII terminal), so a
    reply or /why that quotes a non-ASCII question is printed instead of ending the session."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return text
    return text.encode(encoding, "replace").decode(encoding)

