"""The two ways every test drives the program: ``main`` with in-memory streams, and keys typed into a session.

Imported by test modules as ``from helpers import ...`` (pytest puts tests/ on
``sys.path``); fixtures that need no arguments live in conftest.py.
"""

from __future__ import annotations

import io
from typing import NamedTuple, TextIO

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from assistant.cli import main
from assistant.repl import Repl

CTRL_C, CTRL_D = "\x03", "\x04"


class Terminal(io.StringIO):
    """A captured stream that says it is a terminal (it has no size, so nothing is wrapped)."""

    def isatty(self) -> bool:
        return True


class Run(NamedTuple):
    """What one call of main left behind (unpacks as ``code, out, err``)."""

    code: int
    out: str
    err: str


def run_main(*argv: str, stdin: str | TextIO = "", prog: str = "chat.py", terminal: bool = False) -> Run:
    """``main(argv)`` started as *prog*, with stdin from a string (or a stream) and stdout/stderr captured.

    With *terminal*, stdout says it is a terminal.
    """
    out, err = (Terminal() if terminal else io.StringIO()), io.StringIO()
    source = io.StringIO(stdin) if isinstance(stdin, str) else stdin
    code = main(list(argv), stdin=source, stdout=out, stderr=err, prog=prog)
    return Run(code, out.getvalue(), err.getvalue())


def run_repl(repl: Repl, keys: str) -> int:
    """Type *keys* into *repl*'s session, Ctrl-D last so it cannot hang; return its exit code.

    What it printed is in ``repl.stdout`` (a StringIO in tests).
    """
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys + CTRL_D)
        repl._input, repl._output = pipe, DummyOutput()
        return repl.run()
