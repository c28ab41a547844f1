"""chat.py for real, in a pseudo-terminal, as a person uses it."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

PROMPT = "you>"  # without its trailing space, as the terminal may wrap it


#: A colour code, and a run of them (prompt_toolkit writes several in a row).
SGR = r"\x1b\[[0-9;]*m"
CODES = re.compile(f"(?:{SGR})+")


@pytest.fixture
def spawn(repo_root: Path, tmp_path: Path):
    """Start ``chat.py ARGS`` in a pseudo-terminal (data dir in tmp_path, TERM=xterm, colour allowed).

    ``spawn("does it hurt", columns=50, NO_COLOR="1")``: keyword arguments other than
    *columns* are set in the environment.
    """
    children = []

    def start(*args: str, columns: int = 200, **environ: str):
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", XDG_DATA_HOME=str(tmp_path), TERM="xterm")
        for name in ("MICRONEEDLING_FAQ", "MICRONEEDLING_FAQ_HISTORY", "NO_COLOR"):
            env.pop(name, None)
        env.update(environ)
        child = pexpect.spawn(sys.executable, ["chat.py", *args], cwd=str(repo_root), env=env,
                              encoding="utf-8", timeout=20, dimensions=(40, columns))
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


@pytest.fixture
def session(spawn):
    """An interactive session in a pseudo-terminal."""
    return spawn()


def everything(child) -> str:
    """All a one-shot child prints until it exits, newlines as in Python."""
    child.expect(pexpect.EOF)
    child.close()
    return child.before.replace("\r\n", "\n")


def test_a_question_then_ctrl_d(session, tmp_path: Path) -> None:
    """The greeting, an answer with the advice, goodbye on Ctrl-D, exit 0, a private history."""
    session.expect("micro needling")
    session.expect(PROMPT)
    session.sendline("how long does a session take")
    session.expect("20-30 minutes")
    session.expect("consult a dermatologist")
    session.expect(PROMPT)
    session.sendcontrol("d")
    session.expect("Goodbye")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0
    history = tmp_path / "microneedling-faq" / "history"
    assert "how long does a session take" in history.read_text()
    assert stat.S_IMODE(history.stat().st_mode) == 0o600


def test_ctrl_c_keeps_the_session(session) -> None:
    """Ctrl-C gives a fresh prompt; the session still answers and /quit leaves."""
    session.expect(PROMPT)
    session.send("half typed")
    session.sendcontrol("c")
    session.expect(PROMPT)
    session.sendline("/quit")
    session.expect("Goodbye")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0


def test_bye_leaves_with_exit_0(session) -> None:
    """"Bye!" typed alone says goodbye once and ends the program with exit code 0."""
    session.expect(PROMPT)
    session.sendline("Bye!")
    session.expect("Goodbye")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0
    assert "Goodbye" not in session.before


def test_one_shot_on_a_narrow_terminal_is_wrapped_and_coloured(spawn, shipped_responder, shipped_faq) -> None:
    """At 50 columns a one-shot reply wraps at word boundaries within 49 columns, under its coloured heading."""
    question = "does micro needling help with stretch marks"
    reply = shipped_responder.reply(question)

    shown = everything(spawn(question, columns=50))

    lines = CODES.sub("", shown).splitlines()
    assert max(map(len, lines)) <= 49
    assert lines[0] == shipped_faq.get(reply.entry_id).question
    assert " ".join(lines[1:]).split() == reply.text.split()
    assert re.search(SGR, shown)


@pytest.mark.parametrize("environ", [
    pytest.param({"NO_COLOR": "1"}, id="NO_COLOR"),
    pytest.param({"TERM": "dumb"}, id="dumb-terminal"),
])
def test_one_shot_on_a_terminal_without_colour(spawn, shipped_responder, environ) -> None:
    """With NO_COLOR or TERM=dumb a one-shot reply on a terminal has no code: wrapped, but as written."""
    shown = everything(spawn("does it hurt", columns=60, **environ))

    assert "\x1b" not in shown
    assert shown.split() == shipped_responder.reply("does it hurt").text.split()


@pytest.mark.parametrize(("environ", "style"), [
    pytest.param({}, "38;5;", id="colour-grey"),
    pytest.param({"NO_COLOR": "1"}, "4", id="no-colour-underlined"),
])
def test_the_suggested_rest_of_a_question_never_looks_typed(spawn, environ, style) -> None:
    """Typing "how l" shows the rest of a question in grey, or underlined without colour: never like typed text."""
    child = spawn(**environ)
    child.expect(PROMPT)
    child.send("how l")
    child.expect(r"how l((?:\x1b\[[0-9;]*m)+)ong does a micro needling session take\?")
    codes = child.match.group(1)
    child.sendcontrol("u")
    child.sendcontrol("d")
    child.expect(pexpect.EOF)

    assert re.search(rf"\x1b\[(?:[0-9;]*;)?{style}", codes), codes


def test_the_prompt_is_coloured_unless_no_color(spawn) -> None:
    """The prompt is drawn in colour on a colour terminal, and plain under NO_COLOR."""
    for environ, coloured in (({}, True), ({"NO_COLOR": "1"}, False)):
        child = spawn(**environ)
        child.expect(f"({SGR})*{PROMPT}")
        assert bool(re.search(r"\x1b\[[0-9;]*3[0-7]", child.after)) is coloured, repr(child.after)
        child.sendcontrol("d")
        child.expect(pexpect.EOF)


def test_a_logged_session_records_the_pick_and_the_mark(spawn, three_entry_faq: Path, tmp_path: Path) -> None:
    """`chat.py --log FILE` in a terminal: the number picked and /wrong are in the private log once it ends."""
    log = tmp_path / "replies.jsonl"
    session = spawn("--faq", str(three_entry_faq), "--log", str(log))
    session.expect(PROMPT)
    session.sendline("how long is the whole thing")
    session.expect("Type a number")
    session.expect(PROMPT)
    session.sendline("1")
    session.expect("20-30 minutes")
    session.expect(PROMPT)
    session.sendline("/wrong")
    session.expect("Noted in the log")
    session.expect(PROMPT)
    session.sendline("/quit")
    session.expect(pexpect.EOF)
    session.close()

    clarify, answer = [json.loads(line) for line in log.read_text().splitlines()]
    assert session.exitstatus == 0 and stat.S_IMODE(log.stat().st_mode) == 0o600
    assert (clarify["mode"], clarify["kind"], clarify["picked"]) == ("repl", "clarify", 1)
    assert (answer["id"], answer["via"], answer["mark"]) == ("session-length", "picked", "wrong")
