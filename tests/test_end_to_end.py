"""chat.py for real, in a pseudo-terminal, as a person uses it."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

PROMPT = "you>"  # without its trailing space, as the terminal may wrap it


@pytest.fixture
def session(repo_root: Path, tmp_path: Path):
    """chat.py started in a pseudo-terminal with its data dir in tmp_path."""
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", XDG_DATA_HOME=str(tmp_path), TERM="xterm")
    env.pop("MICRONEEDLING_FAQ", None)
    env.pop("MICRONEEDLING_FAQ_HISTORY", None)
    child = pexpect.spawn(sys.executable, ["chat.py"], cwd=str(repo_root), env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, 200))
    yield child
    child.close(force=True)


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
