"""How a reply looks on a terminal: wrapped to its width and, when colour is wanted, coloured.

Shared by the one-shot modes (cli.py) and the session (repl.py); it imports no
prompt_toolkit, so a one-shot answer stays fast. The structure it colours is
read from the reply text, never added to it: the advice is the last paragraph
of every reply, a suggestion is a line starting with its number, and the
heading is the answered entry's question, which the caller passes in.

>>> look = Look(width=32, color=False)
>>> print(look.render("Numbing cream may be applied beforehand.\\n\\nPlease consult a dermatologist."))
Numbing cream may be applied
beforehand.
<BLANKLINE>
Please consult a dermatologist.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from .normalize import clean_text
from .records import record

if TYPE_CHECKING:
    from .compose import Reply
    from .faq import Faq

__all__ = ["COLOR_MODES", "Look", "answered_question", "is_terminal", "terminal_width", "wants_color"]

#: The values of ``--color``: colour a terminal only (and not under $NO_COLOR or TERM=dumb), always, never.
COLOR_MODES = ("auto", "always", "never")
#: Widest a reply is wrapped, however wide the terminal: long lines are hard to read.
MAX_WIDTH = 100
#: Narrowest a reply is wrapped, however narrow the terminal.
MIN_WIDTH = 20

# Select Graphic Rendition codes, as httpie and pgcli use them: the 8 standard
# colours, so that the terminal's own theme decides the exact shade.
_HEADING = "1;36"  # bold cyan: the question being answered
_NUMBER = "1;35"  # bold magenta: a number to type (or a follow-up) in a list
_ECHO = "1;32"  # bold green, like the session's prompt: the question echoed before a piped reply
_ADVICE = "2"  # dim: the advice that closes every reply
_LIST_ITEM = re.compile(r"(\s*)(\d+\.|-)(\s+)")
#: Where the continuation of a long line starts: under the text of a list item
#: ("  1. text"), or under the second column of an indented table row ("  /why   text").
_HANGING = re.compile(r"\s*(?:\d+\.|-)\s+|\s+\S(?:.*?\S)?\s{2,}(?=\S)")


def answered_question(faq: Faq, reply: Reply) -> str | None:
    """The question of the entry *reply* answers (the heading drawn above it), or None."""
    entry = faq.get(reply.entry_id) if reply.entry_id else None
    return entry.question if entry else None


def is_terminal(stream: TextIO | None) -> bool:
    """Whether *stream* is a terminal (False for anything that cannot say)."""
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def wants_color(mode: str, stream: TextIO | None, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour what goes to *stream* under ``--color=MODE``.

    ``always`` and ``never`` decide alone; ``auto`` colours a terminal unless
    $NO_COLOR is set (https://no-color.org) or TERM is ``dumb``.

    >>> wants_color("auto", io.StringIO()), wants_color("always", io.StringIO())
    (False, True)
    """
    if mode != "auto":
        return mode == "always"
    return is_terminal(stream) and not environ.get("NO_COLOR") and environ.get("TERM", "") != "dumb"


def terminal_width(stream: TextIO | None) -> int | None:
    """The width to wrap at on *stream*: its columns (between 20 and 100); None when it is not a terminal."""
    if stream is None or not is_terminal(stream):
        return None
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return None
    # One column spare: a terminal that wraps on the last column would leave blank lines.
    return max(MIN_WIDTH, min(columns - 1, MAX_WIDTH)) if columns else None


@record
class Look:
    """How text is drawn on one output stream."""

    width: int | None = None
    """Wrap at this many columns, at word boundaries; None: never wrap (output is piped)."""
    color: bool = False
    """Colour the heading, the numbers and the advice (SGR codes)."""

    @classmethod
    def of(cls, stream: TextIO | None, color_mode: str = "auto") -> Look:
        """The look for *stream*: wrapped when it is a terminal, coloured as *color_mode* decides."""
        return cls(terminal_width(stream), wants_color(color_mode, stream))

    def render(self, text: str, *, heading: str | None = None) -> str:
        """*text* (a reply: its last paragraph is the advice) wrapped and styled; *heading* above it when coloured.

        The heading is drawn only in colour: without colour the reply reads as
        it always has, the answer first.
        """
        lines = clean_text(text).split("\n")
        blank = [n for n, line in enumerate(lines) if not line.strip()]
        advice_from = blank[-1] + 1 if blank else len(lines)
        out = []
        if heading and self.color:
            out += [self._sgr(_HEADING, line) for line in self._wrap(clean_text(heading))]
        for n, line in enumerate(lines):
            wrapped = self._wrap(line)
            if not self.color:
                out += wrapped
            elif n >= advice_from:
                out += [self._sgr(_ADVICE, part) for part in wrapped]
            else:
                out += [self._number(wrapped[0]), *wrapped[1:]]
        return "\n".join(out)

    def echo(self, question: str) -> str:
        """The ``> question`` line printed before each piped reply."""
        line = "\n".join(self._wrap(f"> {clean_text(question)}"))
        return self._sgr(_ECHO, line) if self.color else line

    def _wrap(self, line: str) -> list[str]:
        """One line wrapped at word boundaries; the continuation hangs under a list item's or a table row's text."""
        if self.width is None or len(line) <= self.width or not line.strip():
            return [line]
        hanging = _HANGING.match(line)
        indent = " " * hanging.end() if hanging else line[: len(line) - len(line.lstrip())]
        if len(indent) > self.width // 2:  # too deep to leave room for the text
            indent = ""
        import textwrap  # only a terminal needs it

        return textwrap.wrap(line, self.width, subsequent_indent=indent, break_long_words=False,
                             break_on_hyphens=False) or [line]

    def _number(self, line: str) -> str:
        """*line* with the number of a numbered item coloured."""
        item = _LIST_ITEM.match(line)
        if item is None or item.group(2) == "-":
            return line
        start, end = item.span(2)
        return line[:start] + self._sgr(_NUMBER, line[start:end]) + line[end:]

    @staticmethod
    def _sgr(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if text else text
