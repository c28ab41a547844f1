"""The interactive session, on prompt_toolkit.

Built in three parts (habit 6 of STYLE.md): :meth:`Repl.build_session` makes
the prompt (history, completion, suggestions, key bindings),
:meth:`Repl.run` loops, and :meth:`Repl.handle_line` turns one line into the
text to print, so most behaviour is testable without a terminal. Every text
printed in answer to a line ends with the dermatologist advice.
"""

from __future__ import annotations

import io
import os
import re
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.completion import Completer, FuzzyCompleter, WordCompleter
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings

from .compose import Reply, Responder, with_advice
from .faq import Faq, FaqError, load_faq
from .matcher import Matcher
from .normalize import clean_text
from .paths import private_dir

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


class _SafeFileHistory(FileHistory):
    """A FileHistory that warns once and keeps going in memory when it cannot write."""

    def __init__(self, filename: str, warn) -> None:
        super().__init__(filename)
        self._warn = warn
        self._broken = False

    def load_history_strings(self) -> Iterable[str]:
        try:
            yield from super().load_history_strings()
        except (OSError, ValueError) as error:
            self._fail(f"cannot read the history file ({error}); starting without it")

    def store_string(self, string: str) -> None:
        if self._broken:
            return
        try:
            super().store_string(string)
        except OSError as error:
            self._fail(f"cannot write the history file ({error.strerror or error}); "
                       "this session's history stays in memory")

    def _fail(self, message: str) -> None:
        if not self._broken:
            self._broken = True
            self._warn(message)


def open_history(path: str | os.PathLike | None, warn) -> History:
    """A history at *path*, created readable by its owner only (its directories too, whatever the
    umask); in memory when that fails."""
    if path is None:
        return InMemoryHistory()
    path = Path(path)
    try:
        if path.exists() and not path.is_file():
            # /dev/null, a FIFO, a directory: never chmod it, never block on it.
            warn(f"the history path {path} is not a regular file; this session's history stays in memory")
            return InMemoryHistory()
        private_dir(path.parent)  # and any missing parent: 0o700, whatever the umask
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.close(fd)
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)  # questions can be personal
    except OSError as error:
        warn(f"cannot use the history file {path} ({error.strerror or error}); "
             "this session's history stays in memory")
        return InMemoryHistory()
    return _SafeFileHistory(str(path), warn)


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
        self.stdout.write((_wrap(text, width) if width else text) + "\n\n")
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
            self.stderr.write(f"warning: {clean_text(message)}\n")
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

