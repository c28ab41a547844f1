"""Hostile input, broken files, odd terminals: the program keeps working and says why.

Four promises, each pinned below:

1. every input gets a reply, ending with the dermatologist advice, and
   nothing a person types or an FAQ file contains reaches the terminal as a
   raw control character or escape sequence;
2. odd streams and signals (bytes that are not UTF-8, an output encoding
   that cannot show every character, a reader that goes away, Ctrl-C) end
   quietly with the documented exit codes, and every line is answered;
3. a hostile FAQ file (cut short, still being written, a pipe or a device
   instead of a file) is refused quickly, with bounded memory, as an
   :class:`FaqError` (or exit 1) that names the file and the line;
4. the person's data is respected: a private history file in the right
   place, written whole entry by entry, never through a symbolic link, and
   the FAQ file is never written to.

Behaviours that are missing are kept as ``xfail(strict=True)`` tests whose
reason names the function at fault. The REPL's Ctrl-C and Ctrl-D in a real
pseudo-terminal are pinned by tests/test_end_to_end.py and are not repeated.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from prompt_toolkit.history import InMemoryHistory

import assistant.faq as faq_module
from assistant import DERMATOLOGIST_ADVICE, FaqError, Matcher, Responder, load_faq
from assistant.cli import history_path
from assistant.compose import ends_with_advice
from assistant.normalize import MAX_QUERY_CHARS, clean_text
from assistant.repl import Repl, open_history
from helpers import run_main, run_repl

#: What must never reach a terminal raw: C0 controls except newline, DEL, C1
#: controls, bidi embeddings/overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same, for program output in general, where a tab is harmless.
RAW_CONTROL_OUTPUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CUT_NOTICE = f"only its first {MAX_QUERY_CHARS:,} characters"
#: A generous safety bound for "at once" (the real figures are a few ms).
QUICK = 2.0


def raw_controls(text: str, pattern: re.Pattern[str] = RAW_CONTROL_OUTPUT) -> list[str]:
    """The raw control characters in *text*, for a readable assertion message."""
    return sorted({repr(c) for c in pattern.findall(text)})


@pytest.fixture(autouse=True)
def no_paths_from_the_environment(monkeypatch, tmp_path: Path):
    """$MICRONEEDLING_FAQ and $MICRONEEDLING_FAQ_HISTORY from the shell must not leak into a test, and
    the index cache goes to tmp_path, not to the real ~/.cache."""
    monkeypatch.delenv("MICRONEEDLING_FAQ", raising=False)
    monkeypatch.delenv("MICRONEEDLING_FAQ_HISTORY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def chat_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a chat.py subprocess: HOME, XDG_DATA_HOME and XDG_CACHE_HOME inside tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("MICRONEEDLING_FAQ", None)
    env.pop("MICRONEEDLING_FAQ_HISTORY", None)
    return env


@pytest.fixture
def chat(repo_root: Path, chat_env: dict[str, str]):
    """Run ``chat.py ARGS`` as a process: ``chat("--jsonl", input=b"...")`` -> CompletedProcess (bytes)."""

    def run(*argv: str, input: bytes = b"", timeout: float = 30) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "chat.py", *argv], cwd=repo_root, env=chat_env, input=input,
                              capture_output=True, timeout=timeout)

    return run


def edit(text: str, old: str, new: str) -> str:
    """*text* with *old* (which must be there) replaced by *new*."""
    assert old in text, old
    return text.replace(old, new)


# =====================================================================================
# 1. Every input gets a reply
# =====================================================================================

#: Pieces people (or programs, or cats on keyboards) send.
HOSTILE_PIECES = st.sampled_from([
    "", " ", "\t", "\n", "\r", "\r\n", "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f",
    "\x1b[31m", "\x1b[2J\x1b[H", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\", "\x1bP+q\x1b\\",
    "\x85", "\x9b31m", "\x9d0;t\x9c", "\u200b", "\u200e", "\u2028", "\u2029", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\ud800", "\udfff", "\udc80\udcff", "\ufffd", "\U0010ffff", "\ue000",
    "🙂", "👩\u200d👩\u200d👧", "🇫🇷", "e\u0301", "\u0301\u0301\u0301", "Z\u0351\u0368\u0310\u036b",
    "שלום, זה כואב?", "هل الوخز بالإبر الدقيقة مؤلم؟", "微针疼吗", "マイクロニードル", "микронидлинг",
    "ｍｉｃｒｏ ｎｅｅｄｌｉｎｇ", "ﬁ", "ß", "İ",
    "does it hurt", "micro needling", "how long is a session", "bleeding won't stop", "/topics", "7",
    "hi", "?!...", "'", "n't", "___", "--", "%s%n{0}", "${jndi:x}", "<script>", "' OR 1=1 --",
])
#: Any single code point, surrogates (Cs), private use and unassigned included.
ANY_CHAR = st.characters(categories=("L", "M", "N", "P", "S", "Z", "C"))
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(st.one_of(HOSTILE_PIECES, st.text(ANY_CHAR, max_size=6)), max_size=40).map("".join),
    st.builds(lambda piece, times: piece * times,
              st.one_of(HOSTILE_PIECES, st.text(ANY_CHAR, min_size=1, max_size=8)), st.integers(50, 3000)),
)
HOSTILE_EXAMPLES = ["", " ", " \t\r\n ", "\x00", "\x00" * 5000, "\ud800", "\u202e", "\x1b[31mdoes it hurt",
                    "does it hurt " * 20_000, "🙂" * 5000, "\u2028"]


def _examples(test):
    for text in HOSTILE_EXAMPLES:
        test = example(text)(test)
    return test


@_examples
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT)
def test_matcher_match_and_rank_accept_any_text(shipped_matcher: Matcher, text: str) -> None:
    """Matcher.match and Matcher.rank never raise; they return ranked matches with scores 0-100, or []."""
    for found in (shipped_matcher.match(text), shipped_matcher.rank(text, limit=5)):
        assert isinstance(found, list)
        assert all(0 <= m.score <= 100 for m in found)
        assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


@_examples
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT)
def test_every_reply_is_terminal_safe_and_ends_with_the_advice(shipped_responder: Responder, text: str) -> None:
    """Responder.reply never raises; its text ends with the advice (an urgent one with the advice to
    be seen promptly), is valid UTF-8 and has no control character but newline (no ESC, no C1, no
    bidi override or isolate)."""
    reply = shipped_responder.reply(text)

    assert ends_with_advice(reply.text)
    assert not RAW_CONTROL.search(reply.text), raw_controls(reply.text, RAW_CONTROL)
    assert not RAW_CONTROL.search(reply.question), raw_controls(reply.question, RAW_CONTROL)
    reply.text.encode("utf-8")  # a lone surrogate would crash the write to stdout
    json.dumps(reply.to_dict(), ensure_ascii=False).encode("utf-8")


MEGABYTE = 1 << 20


@pytest.mark.parametrize("line", [
    pytest.param("does it hurt " * (MEGABYTE // 13), id="a-question-repeated"),
    pytest.param("a" * MEGABYTE, id="one-megabyte-word"),
    pytest.param("🙂" * (MEGABYTE // 4), id="emoji"),
    pytest.param("e\u0301" * (MEGABYTE // 3), id="combining-accents"),
    pytest.param("هل يؤلم " * (MEGABYTE // 15), id="right-to-left"),
    pytest.param("\x1b[31mred " * (MEGABYTE // 9), id="escapes-and-words"),
])
def test_a_megabyte_line_is_answered_at_once_and_said_to_be_cut(shipped_responder: Responder, line: str) -> None:
    """A one-megabyte message is answered within a safety bound, marked truncated, and the reply says so."""
    started = time.monotonic()
    reply = shipped_responder.reply(line)
    elapsed = time.monotonic() - started

    assert elapsed < QUICK, f"{elapsed:.2f} s"
    assert reply.truncated
    assert len(reply.question) <= MAX_QUERY_CHARS
    assert CUT_NOTICE in reply.text
    assert ends_with_advice(reply.text)


def test_a_megabyte_line_through_jsonl(repo_root: Path, chat_env) -> None:
    """`chat.py --jsonl` answers a one-megabyte line at once with one JSON object, truncated: true,
    and the reply says the message was cut (timed after start-up, on a warm process)."""
    child = _jsonl_child(repo_root, chat_env)
    try:
        child.stdin.write(b"hello\n")
        child.stdin.flush()
        assert json.loads(child.stdout.readline())["kind"] == "smalltalk"  # started and answering
        started = time.monotonic()
        child.stdin.write(b"does it hurt " * (MEGABYTE // 13) + b"\n")
        child.stdin.flush()
        answer = child.stdout.readline()
        elapsed = time.monotonic() - started
        out, err = child.communicate(timeout=20)
    finally:
        child.kill()
        child.wait(timeout=20)

    assert elapsed < QUICK, f"{elapsed:.2f} s"
    assert child.returncode == 0, err
    assert out == b""  # exactly one line for the one line sent
    reply = json.loads(answer)
    assert reply["truncated"] is True
    assert CUT_NOTICE in reply["text"]
    assert ends_with_advice(reply["text"])


@pytest.mark.parametrize(("padding", "question"), [
    pytest.param("\x1b[0m" * 1000, "does it hurt", id="escape-padding-hides-a-short-question"),
    pytest.param("\x00" * 4000, "does it hurt", id="nul-padding-hides-a-short-question"),
    pytest.param(" " * 3500, "does it hurt " * 1000, id="space-padding-hides-the-cut"),
])
def test_padding_cannot_hide_the_question_or_the_cut(shipped_responder: Responder, padding: str,
                                                     question: str) -> None:
    """Characters that are thrown away (escapes, NULs, runs of spaces) do not count against the
    length limit: the question after them is read, and a cut is always reported."""
    plain = shipped_responder.reply(question)
    padded = shipped_responder.reply(padding + question)

    assert (padded.kind, padded.entry_id) == (plain.kind, plain.entry_id)
    assert padded.truncated == plain.truncated
    assert (CUT_NOTICE in padded.text) == padded.truncated


# -- control characters typed by the person ---------------------------------------------

TYPED = "does it \x1b[31mhurt\x1b[0m\x07 \x1b]0;pwned\x07 \u202eyes\u202c \x9b2J \x00"


@pytest.mark.parametrize("mode", ["one-shot", "json", "jsonl", "piped", "eval"])
def test_typed_escapes_never_reach_the_terminal(mode: str, tmp_path: Path, repo_root: Path, monkeypatch) -> None:
    """ESC, BEL, OSC, C1 and bidi overrides in what the person types are not written raw in any mode."""
    monkeypatch.chdir(repo_root)
    if mode == "one-shot":
        code, out, err = run_main(TYPED)
    elif mode == "json":
        code, out, err = run_main("--json", TYPED)
    elif mode == "jsonl":
        code, out, err = run_main("--jsonl", stdin=f"{TYPED}\n\x1b[2J\n")
    elif mode == "piped":
        code, out, err = run_main(stdin=f"{TYPED}\n\x1b[2J\x1b[H\n")
    else:
        labelled = tmp_path / "cases.tsv"
        labelled.write_text(f"{TYPED}\tpain-and-numbing\n\x1b]0;t\x07how long\x1b[1m\tnone\n", encoding="utf-8")
        code, out, err = run_main("--eval", str(labelled))

    assert code == 0, err
    assert not raw_controls(out) and not raw_controls(err), (raw_controls(out), raw_controls(err))
    if mode in ("json", "jsonl"):
        for line in out.splitlines():
            reply = json.loads(line)  # JSON escapes controls anyway (\u001b): check the decoded text
            assert not RAW_CONTROL.search(reply["text"] + reply["question"])
            assert ends_with_advice(reply["text"])


def test_an_unknown_option_with_escapes_is_not_echoed_raw() -> None:
    """A usage error echoes the offending argument without its escape sequences, and exits 2."""
    code, out, err = run_main("--colour\x1b[31m\x1b]0;pwned\x07")

    assert code == 2
    assert "usage:" in err
    assert not raw_controls(out + err), raw_controls(out + err)


# -- control characters written in the FAQ file ------------------------------------------


@pytest.fixture
def escaped_faq(write_faq, minimal_faq_text: str) -> Path:
    """A valid FAQ whose answer, question and tag carry ESC, OSC, BEL, C1 and bidi override characters."""
    text = edit(minimal_faq_text, "answer: Around 20-30 minutes, according to the article.",
                'answer: "Around \\e[31m20-30\\e[0m minutes \\e]0;title\\a,\\a \\x9b2J\\u202e according to '
                'the article."')
    text = edit(text, "question: What should I do after a session?",
                'question: "What should I do \\e[1mafter\\e[0m a \\e]0;pwn\\a session?\\u202e"')
    text = edit(text, "tags: [session]", 'tags: ["sess\\e[5mion\\u2066"]')
    return write_faq(text, name="escaped.yaml")


@pytest.mark.parametrize("argv", [
    pytest.param(["how long does a session take"], id="one-shot"),
    pytest.param(["--json", "how long does a session take"], id="json"),
    pytest.param(["--jsonl"], id="jsonl"),
    pytest.param([], id="piped"),
])
def test_escapes_in_the_faq_never_reach_the_terminal(escaped_faq: Path, argv: list[str]) -> None:
    """An FAQ answer, question or tag with escape sequences is printed without them, in every mode."""
    code, out, err = run_main(*argv, "--faq", str(escaped_faq),
                              stdin="how long does a session take\nwhat's the weather\n")

    assert code == 0, err
    assert "20-30" in out
    assert not raw_controls(out) and not raw_controls(err), (raw_controls(out), raw_controls(err))
    if "--json" in argv or "--jsonl" in argv:
        for line in out.splitlines():
            assert not RAW_CONTROL.search(json.loads(line)["text"])


def test_escapes_in_the_faq_are_not_in_repl_topics(escaped_faq: Path) -> None:
    """/topics (and the fallback's list of topics) show the FAQ's questions without escapes."""
    repl = Repl(load_faq(escaped_faq), faq_path=escaped_faq, history=InMemoryHistory(),
                stdout=io.StringIO(), stderr=io.StringIO())

    for line in ("/topics", "what's the weather in Paris"):
        text = repl.handle_line(line)
        assert ends_with_advice(text)
        assert not raw_controls(text), raw_controls(text)
    assert "What should I do after a" in repl.handle_line("/topics")


@pytest.fixture
def faq_with_escaped_mistakes(write_faq, minimal_faq_text: str) -> Path:
    """An FAQ whose problems all echo FAQ content that carries escapes: a key, an id, a related id."""
    text = edit(minimal_faq_text, "    tags: [session]", '    "tags\\e[31m\\e]0;t\\a\\u202e": [session]')
    text = edit(text, "id: aftercare", 'id: "After\\e[2JCare\\a"')
    text = edit(text, "related: [aftercare]", 'related: ["after\\e]0;x\\acare"]')
    return write_faq(text, name="mistakes.yaml")


def test_check_messages_that_echo_the_faq_have_no_escapes(faq_with_escaped_mistakes: Path) -> None:
    """`--check` on a file whose mistakes contain escapes lists them all, exit 1, with nothing raw."""
    code, out, err = run_main("--check", str(faq_with_escaped_mistakes))

    assert code == 1
    assert f"{faq_with_escaped_mistakes}:12:" in err and f"{faq_with_escaped_mistakes}:14:" in err
    assert not raw_controls(out + err), raw_controls(out + err)


def test_reload_messages_that_echo_the_faq_are_printed_without_escapes(
        faq_with_escaped_mistakes: Path, shipped_faq) -> None:
    """/reload of such a file prints the problems (as typed through the prompt) with nothing raw."""
    out, err = io.StringIO(), io.StringIO()
    repl = Repl(shipped_faq, faq_path=faq_with_escaped_mistakes, history=InMemoryHistory(), stdout=out, stderr=err)

    assert run_repl(repl, "/reload\r") == 0

    assert "Kept the FAQ" in out.getvalue()
    assert not raw_controls(out.getvalue() + err.getvalue()), raw_controls(out.getvalue() + err.getvalue())


def test_an_unknown_key_with_hidden_characters_says_why(faq_with_escaped_mistakes: Path) -> None:
    """A key that looks like a known one but carries hidden characters is shown so the difference is visible."""
    code, _, err = run_main("--check", str(faq_with_escaped_mistakes))

    assert code == 1
    assert "unknown key 'tags'" not in err, err


@pytest.mark.parametrize("argv", [
    pytest.param(["--check", "{path}"], id="check-ok-line"),
    pytest.param(["--faq", "{missing}", "hi"], id="fix-the-file-hint"),
])
def test_a_file_name_with_escapes_is_not_echoed_raw(escaped_faq: Path, tmp_path: Path, argv: list[str]) -> None:
    """A path typed on the command line that contains an escape sequence is never echoed raw."""
    named = tmp_path / "faq\x1b[31m\x1b]0;pwned\x07.yaml"
    shutil.copy(escaped_faq, named)
    missing = tmp_path / "gone\x1b[2J.yaml"

    code, out, err = run_main(*(a.format(path=named, missing=missing) for a in argv))

    assert code in (0, 1)
    assert not raw_controls(out + err), raw_controls(out + err)


# -- separators inside a line ---------------------------------------------------------------

#: Characters that end a line somewhere (str.splitlines, some terminals) but arrive inside one.
LINE_SEPARATORS = [
    pytest.param("\r", id="carriage-return"),
    pytest.param("\x0b", id="vertical-tab"),
    pytest.param("\x0c", id="form-feed"),
    pytest.param("\x1e", id="record-separator"),
    pytest.param("\x85", id="next-line-U+0085"),
    pytest.param("\u2028", id="line-separator-U+2028"),
    pytest.param("\u2029", id="paragraph-separator-U+2029"),
]


@pytest.mark.parametrize("separator", LINE_SEPARATORS)
def test_a_line_separator_inside_a_line_counts_as_a_space(separator: str, shipped_responder: Responder) -> None:
    """A separator between two words is read as a space, never deleted to glue the words together:
    the question is read (and shown) with a space there, and clean_text keeps the words apart."""
    reply = shipped_responder.reply(f"is it safe{separator}for dark skin")

    assert reply.question == "is it safe for dark skin"
    assert clean_text(f"does{separator}it{separator}{separator}hurt") == "does it  hurt"


# =====================================================================================
# 2. Streams and signals
# =====================================================================================

NOT_UTF8 = "not valid UTF-8"


def test_invalid_utf8_in_piped_plain_mode(chat) -> None:
    """Plain piped mode replaces bytes that are not UTF-8, warns once on stderr and answers every line."""
    lines = [b"does it hurt", b"caf\xe9 \xff\xfe", b"\xc3", b"\xed\xa0\x80 surrogate", b"\xc0\xaf overlong",
             b"how long is a session"]

    done = chat(input=b"\n".join(lines) + b"\n")

    assert done.returncode == 0
    out = done.stdout.decode("utf-8")
    replies = out.split("> ")[1:]
    assert len(replies) == len(lines) and all(ends_with_advice(r) for r in replies)
    assert "20-30 minutes" in out and "numbing" in out
    err = done.stderr.decode("utf-8")
    assert err.count(NOT_UTF8) == 1, err
    assert "Traceback" not in err


def test_jsonl_answers_every_line_with_exactly_one_json_line(chat) -> None:
    """`--jsonl` writes one JSON line per input line, whatever the line: empty, binary junk, a lone CR,
    100 KB, escapes, NULs, separators that str.splitlines() would split on."""
    lines = [b"", b"\x00\x01\x02\xff\xfe\x80binary", b"\r", b"x" * 100_000, b"\x1b[31m\x1b]0;t\x07",
             b"\xef\xbb\xbfBOM does it hurt", b"a\xe2\x80\xa8b\xc2\x85c\x0cd\x1ce", b"  \t  ", b"does it hurt"]

    done = chat("--jsonl", input=b"\n".join(lines) + b"\n")

    assert done.returncode == 0
    assert done.stdout.endswith(b"\n")
    out_lines = done.stdout[:-1].split(b"\n")
    assert len(out_lines) == len(lines)
    replies = [json.loads(line) for line in out_lines]
    assert len(done.stdout.decode("utf-8").splitlines()) == len(lines)
    for reply in replies:
        assert ends_with_advice(reply["text"])
        assert not RAW_CONTROL.search(reply["text"] + reply["question"])
    assert replies[3]["truncated"] is True
    assert replies[-1]["id"] == "pain-and-numbing"
    err = done.stderr.decode("utf-8")
    assert err.count(NOT_UTF8) == 1, err


@pytest.mark.parametrize("mode", [pytest.param("--jsonl", id="jsonl"), pytest.param("", id="piped-plain")])
def test_a_reader_that_goes_away_ends_quietly(mode: str, repo_root: Path, chat_env, tmp_path: Path) -> None:
    """`chat.py < 20,000 questions | head -1` prints one line and ends without a word on stderr."""
    questions = tmp_path / "questions.txt"
    questions.write_text("does it hurt\nhow long is a session\n" * 10_000, encoding="utf-8")
    err_file = tmp_path / "stderr.txt"
    command = f'"{sys.executable}" chat.py {mode} < "{questions}" 2> "{err_file}" | head -1'

    done = subprocess.run(["bash", "-c", command], cwd=repo_root, env=chat_env, capture_output=True, timeout=60)

    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 1
    err = err_file.read_text(errors="replace") + done.stderr.decode(errors="replace")
    assert err == "", err
    assert "Traceback" not in err and "BrokenPipeError" not in err


def _sigint_as_in_a_terminal() -> None:
    """Give a child the SIGINT a person's terminal gives: default action, not blocked.

    A shell that starts jobs without job control ignores SIGINT in them, and some CI
    runners block it; Python keeps an ignored SIGINT ignored, and a blocked one never
    arrives, so the test would see a clean exit at end of input instead of Ctrl-C.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _jsonl_child(repo_root: Path, chat_env) -> subprocess.Popen:
    """A `chat.py --jsonl` process on pipes, with SIGINT as a terminal gives it."""
    return subprocess.Popen([sys.executable, "chat.py", "--jsonl"], cwd=repo_root, env=chat_env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_sigint_as_in_a_terminal)


def test_ctrl_c_while_jsonl_waits_for_input(repo_root: Path, chat_env) -> None:
    """SIGINT while `--jsonl` waits on an open pipe exits 130, quietly (no traceback)."""
    child = _jsonl_child(repo_root, chat_env)
    try:
        child.stdin.write(b"does it hurt\n")
        child.stdin.flush()
        first = child.stdout.readline()  # answered: it is now waiting for the next line
        assert json.loads(first)["id"] == "pain-and-numbing"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=20)
    finally:
        child.kill()
        child.wait(timeout=20)

    assert child.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_a_full_disk_is_one_line_and_exit_1(repo_root: Path, chat_env, tmp_path: Path) -> None:
    """Output to a full device (/dev/full) gives one line that says why (and the advice), exit 1, no traceback."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    err_file = tmp_path / "stderr.txt"
    done = subprocess.run(["bash", "-c", f'"{sys.executable}" chat.py "does it hurt" > /dev/full 2> "{err_file}"'],
                          cwd=repo_root, env=chat_env, timeout=30)

    err = err_file.read_text()
    assert done.returncode == 1
    assert "No space left" in err and err.splitlines()[1:] == [DERMATOLOGIST_ADVICE], err
    assert "Traceback" not in err


@pytest.mark.parametrize("redirect", [
    pytest.param('"does it hurt" >&-', id="stdout-closed"),
    pytest.param("<&- > /dev/null", id="stdin-closed"),
])
def test_a_closed_standard_stream_is_named(redirect: str, repo_root: Path, chat_env, tmp_path: Path) -> None:
    """With stdin or stdout closed, the message names the closed stream; no traceback."""
    err_file = tmp_path / "stderr.txt"
    done = subprocess.run(["bash", "-c", f'"{sys.executable}" chat.py {redirect} 2> "{err_file}"'],
                          cwd=repo_root, env=chat_env, timeout=30)

    err = err_file.read_text()
    assert done.returncode == 1
    assert "Traceback" not in err
    assert "NoneType" not in err and re.search(r"std(?:in|out)|standard (?:input|output)", err), err
    assert ends_with_advice(err)


# -- an output encoding that cannot show everything -----------------------------------------

ASCII_QUESTIONS = b"does it hurt\ncaf\xc3\xa9\nmy face will not stop bleeding\n"


@pytest.mark.parametrize("mode", [pytest.param("--jsonl", id="jsonl"), pytest.param(None, id="piped-plain")])
def test_an_ascii_output_encoding_still_answers_every_line(mode: str | None, chat, chat_env) -> None:
    """Under PYTHONIOENCODING=ascii, three lines, one with an accent and the last urgent, get three
    replies and exit 0: --jsonl writes plain ASCII JSON (the accent escaped), plain output shows "?"
    for what ASCII cannot show."""
    chat_env["PYTHONIOENCODING"] = "ascii"

    done = chat(*([mode] if mode else []), input=ASCII_QUESTIONS)

    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout.isascii()
    out = done.stdout.decode("ascii")
    if mode == "--jsonl":
        replies = [json.loads(line) for line in out.splitlines()]
        assert [reply["question"] for reply in replies] == ["does it hurt", "café", "my face will not stop bleeding"]
        assert replies[2]["kind"] == "urgent"
        assert '"caf\\u00e9"' in out
    else:
        assert [line for line in out.splitlines() if line.startswith("> ")] == [
            "> does it hurt", "> caf?", "> my face will not stop bleeding"]
        assert out.split("> my face will not stop bleeding\n")[1].strip()  # the urgent one is answered too


@pytest.fixture
def faq_with_separators_in_an_answer(write_faq, minimal_faq_text: str) -> Path:
    """A valid FAQ whose answer has an accent, U+2028 and U+2029 in it."""
    text = edit(minimal_faq_text, "answer: Around 20-30 minutes, according to the article.",
                'answer: "Around 20-30 minutes,\\u2028according to the caf\\u00e9 article.\\u2029Really."')
    return write_faq(text, name="separators.yaml")


@pytest.mark.parametrize("argv", [
    pytest.param(["--json", "how long does a session take"], id="json"),
    pytest.param(["--jsonl"], id="jsonl"),
])
def test_json_output_is_plain_ascii(faq_with_separators_in_an_answer: Path, argv: list[str]) -> None:
    """--json and --jsonl write plain ASCII JSON, non-ASCII escaped: an answer with U+2028 and U+2029
    stays one line for str.splitlines() and for any reader in any locale, and decodes back whole."""
    code, out, err = run_main(*argv, "--faq", str(faq_with_separators_in_an_answer),
                              stdin="how long does a session take\n")

    assert code == 0, err
    assert out.isascii(), sorted({c for c in out if not c.isascii()})
    assert len(out.splitlines()) == 1
    assert "café article" in json.loads(out)["text"]


@pytest.mark.parametrize("errors", [pytest.param("strict", id="ascii"),
                                    pytest.param("surrogateescape", id="c-locale-ascii")])
def test_the_session_survives_a_terminal_that_cannot_show_a_question(errors: str, shipped_faq) -> None:
    """With an ASCII terminal (PYTHONIOENCODING=ascii, or LC_ALL=C without UTF-8 mode), /why after a
    question with accents prints it with "?" for what cannot be shown, and the session goes on."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors=errors, write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors=errors, write_through=True)
    repl = Repl(shipped_faq, history=InMemoryHistory(), stdout=out, stderr=err)

    assert run_repl(repl, "café crème, does it hurt?\r/why\rhow long is a session\r") == 0

    printed = raw.getvalue().decode("ascii")
    assert "Last question: 'caf? cr?me, does it hurt?'" in printed
    assert "20-30 minutes" in printed and "Goodbye" in printed


# =====================================================================================
# 3. The FAQ file as hostile input
# =====================================================================================


def alias_bomb(levels: int = 10, width: int = 10, *, inside_an_entry: bool = True) -> bytes:
    """A 'billion laughs' file: *levels* of *width* aliases to the level below."""
    lines = ["x0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    lines += [f"x{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]" for n in range(1, levels)]
    text = "\n".join(lines) + "\n"
    if inside_an_entry:  # the bomb goes off where the schema expects a list of phrasings
        text = ("version: 1\nsynonyms:\n  " + "\n  ".join(lines) + "\nentries:\n  - id: lol\n"
                "    question: Does it lol?\n    alternates: *a" + str(levels - 1) + "\n    answer: lol\n"
                "    source: lol\n")
    return text.encode()


def deep_block_mapping(depth: int) -> bytes:
    return ("".join(" " * n + f"k{n}:\n" for n in range(depth)) + " " * depth + "leaf\n").encode()


#: name -> (file content, what the message says, the line it names)
HOSTILE_FAQS = {
    "alias-bomb": (alias_bomb(), r"too many values", r"\d+"),
    "alias-bomb-top-level": (alias_bomb(9, 9, inside_an_entry=False), r"too many values", r"\d+"),
    "flow-nesting-100000": (b"[" * 100_000 + b"]" * 100_000 + b"\n", r"nest", "1"),
    "flow-mapping-nesting": (b"{a: " * 5000 + b"b" + b"}" * 5000 + b"\n", r"nest", "1"),
    "block-mapping-nesting-100": (deep_block_mapping(100), r"nest", r"\d+"),
    "block-mapping-nesting-1500": (deep_block_mapping(1500), r"nest", r"\d+"),
    "block-list-nesting": (b"- " * 20_000 + b"x\n", r"nest", "1"),
    "latin-1": (None, r"not valid UTF-8.*save it as UTF-8", "10"),
    "python-tag": (None, r"tag .*python/object/apply:os\.system.* is not allowed", "2"),
    "mapping-for-alternates": (None, r"'alternates' must be a list .*not a mapping", "8"),
    "number-for-answer": (None, r"'answer' must be text, not a number", "10"),
    "hex-version": (b"version: 0x1\nentries: [x]\n", r"'version' must be", "1"),
    "date-for-question": (None, r"'question' must be text, not (?!text)", "6"),
}
KNOWN_BUGS: dict[str, str] = {}


def hostile_faq_bytes(name: str, minimal_faq_text: str, marker: Path) -> bytes:
    """The content of HOSTILE_FAQS[name]; some are edits of the minimal FAQ."""
    content = HOSTILE_FAQS[name][0]
    if content is not None:
        return content
    if name == "latin-1":
        return edit(minimal_faq_text, "Around 20-30 minutes", "Environ 20-30 minutes, café crème").encode("latin-1")
    if name == "python-tag":
        return f"version: 1\nentries: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    if name == "mapping-for-alternates":
        return edit(minimal_faq_text, "      - how long is a session\n      - session duration\n",
                    "      how long: is a session\n").encode()
    if name == "number-for-answer":
        return edit(minimal_faq_text, "answer: Around 20-30 minutes, according to the article.",
                    "answer: 42").encode()
    if name == "date-for-question":
        return edit(minimal_faq_text, "question: How long does a session take?", "question: 2024-01-01").encode()
    raise AssertionError(name)


def _hostile_params():
    for name in HOSTILE_FAQS:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name])] if name in KNOWN_BUGS else []
        yield pytest.param(name, id=name, marks=marks)


def hostile_params() -> list:
    return list(_hostile_params())


@pytest.mark.parametrize("name", hostile_params())
def test_hostile_faq_is_refused_quickly_by_the_library(name: str, tmp_path: Path, minimal_faq_text: str) -> None:
    """load_faq refuses each hostile file within the safety bound with an FaqError naming the file and line."""
    marker = tmp_path / "code-ran"
    path = tmp_path / "hostile.yaml"
    path.write_bytes(hostile_faq_bytes(name, minimal_faq_text, marker))
    _, pattern, line = HOSTILE_FAQS[name]

    started = time.monotonic()
    with pytest.raises(FaqError) as caught:
        load_faq(path)
    elapsed = time.monotonic() - started

    assert elapsed < QUICK, f"{elapsed:.2f} s"
    assert re.search(rf"{re.escape(str(path))}:{line}: .*{pattern}", str(caught.value)), str(caught.value)
    assert not marker.exists()


def test_a_file_over_the_size_limit_is_refused_by_the_library(monkeypatch, write_faq, minimal_faq_text) -> None:
    """A file over MAX_FAQ_BYTES (shrunk here) is refused at once, naming the file, its size and the limit."""
    monkeypatch.setattr(faq_module, "MAX_FAQ_BYTES", 200)
    path = write_faq(minimal_faq_text * 3)

    started = time.monotonic()
    with pytest.raises(FaqError, match=rf"{re.escape(str(path))}: the file is [\d,]+ bytes; the limit is 200"):
        load_faq(path)
    assert time.monotonic() - started < QUICK


@pytest.mark.parametrize("name", [*hostile_params(), pytest.param("too-large", id="too-large-sparse-file")])
def test_hostile_faq_is_refused_by_check(name: str, chat, tmp_path: Path, minimal_faq_text: str) -> None:
    """`chat.py --check PATH` exits 1 with a message naming the file (and line), no traceback, quickly."""
    marker = tmp_path / "code-ran"
    path = tmp_path / "hostile.yaml"
    if name == "too-large":
        with path.open("wb") as sparse:  # no disk space used: the size is refused before reading
            sparse.truncate(faq_module.MAX_FAQ_BYTES + 1)
        expected = rf"{re.escape(str(path))}: the file is [\d,]+ bytes; the limit is"
    else:
        path.write_bytes(hostile_faq_bytes(name, minimal_faq_text, marker))
        _, pattern, line = HOSTILE_FAQS[name]
        expected = rf"{re.escape(str(path))}:{line}: .*{pattern}"

    started = time.monotonic()
    done = chat("--check", str(path))
    elapsed = time.monotonic() - started

    err = done.stderr.decode("utf-8", errors="replace")
    assert done.returncode == 1, err
    assert done.stdout == b""
    assert re.search(expected, err), err
    assert "Traceback" not in err
    assert not marker.exists()
    assert elapsed < 2 * QUICK, f"{elapsed:.2f} s (start-up included)"


def test_alias_bomb_memory_stays_bounded(repo_root: Path, chat_env, tmp_path: Path) -> None:
    """Refusing a billion-laughs file (10^10 values if expanded) raises peak memory by less than 200 MB."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_bytes(alias_bomb(10, 10))
    probe = textwrap.dedent("""
        import resource, sys
        from assistant import FaqError, load_faq
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            load_faq(sys.argv[1])
        except FaqError:
            pass
        else:
            sys.exit("the bomb loaded")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print((after - before) * (1 if sys.platform == "darwin" else 1024))
    """)

    done = subprocess.run([sys.executable, "-c", probe, str(bomb)], cwd=repo_root, env=chat_env,
                          capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 200 * 1024 * 1024, f"{int(done.stdout) / 2**20:.0f} MB"


# -- a fuzzed copy of the shipped FAQ -------------------------------------------------------

MUTATIONS = ("delete-lines", "change-indentation", "swap-lines", "truncate", "insert-bytes", "replace-characters")
FUZZ_CASES_PER_MUTATION = 50
FUZZ_CHARACTERS = ":-[]{}&*!|>'\"#%@`,?~ \t\n\r\x00\x1b\x85\u202e\ufeffaZ9é🙂"


def mutate(data: bytes, mutation: str, rng: random.Random) -> bytes:
    """*data* (the shipped FAQ) damaged one way, a few times over."""
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        if mutation == "delete-lines":
            del lines[rng.randrange(len(lines))]
        elif mutation == "change-indentation":
            i = rng.randrange(len(lines))
            lines[i] = b" " * rng.choice((0, 1, 2, 3, 4, 5, 6, 8, 12)) + lines[i].lstrip(b" ")
        elif mutation == "swap-lines":
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    out = b"\n".join(lines)
    if mutation == "truncate":
        out = out[: rng.randrange(len(out))]
    elif mutation == "insert-bytes":
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(len(out))
            out = out[:i] + rng.randbytes(rng.randint(1, 4)) + out[i:]
    elif mutation == "replace-characters":
        chars = list(out.decode("utf-8"))
        for _ in range(rng.randint(1, 10)):
            chars[rng.randrange(len(chars))] = rng.choice(FUZZ_CHARACTERS)
        out = "".join(chars).encode("utf-8")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_damaged_shipped_faq_loads_or_raises_faq_error(mutation: str, shipped_faq_path: Path,
                                                         tmp_path: Path) -> None:
    """The shipped FAQ, damaged at random (seeded), either loads or raises FaqError, never anything else;
    and an FaqError always names the file."""
    data = shipped_faq_path.read_bytes()
    path = tmp_path / "faq.yaml"
    failures = []
    for seed in range(FUZZ_CASES_PER_MUTATION):
        path.write_bytes(mutate(data, mutation, random.Random(f"{mutation}-{seed}")))
        try:
            load_faq(path)
        except FaqError as error:
            if str(path) not in str(error):
                failures.append(f"seed {seed}: FaqError without the file name: {error}")
        except Exception as error:
            failures.append(f"seed {seed}: {type(error).__name__}: {error}")
    assert not failures, "\n".join(failures)


# -- a damaged or planted index cache ---------------------------------------------------------


class _RunsCode:
    """Pickles to a call of os.system: what a planted cache file would try."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


@pytest.mark.parametrize("damage", ["random-bytes", "truncated", "runs-code", "empty", "a-directory"])
def test_a_damaged_or_planted_cache_is_ignored(damage: str, tmp_path: Path) -> None:
    """A cache file replaced by junk, cut short, emptied, turned into a directory, or planted with a
    pickle that runs a command is ignored silently: no code runs and the answer is the right one."""
    import pickle

    assert run_main("does it hurt")[0] == 0  # builds and stores the cache
    cached = sorted((tmp_path / "cache").rglob("*.index"))
    assert cached, "no cache was written"
    marker = tmp_path / "code-ran"
    for path in cached:
        good = path.read_bytes()
        if damage == "a-directory":
            path.unlink()
            path.mkdir()
            continue
        path.write_bytes({
            "random-bytes": random.Random(3).randbytes(5000),
            "truncated": good[: len(good) // 2],
            "runs-code": pickle.dumps(_RunsCode(f"touch '{marker}'")),
            "empty": b"",
        }[damage])

    code, out, err = run_main("--json", "does it hurt")

    assert code == 0 and err == ""
    assert json.loads(out)["id"] == "pain-and-numbing"
    assert not marker.exists()


# -- /reload of a hostile file ---------------------------------------------------------------


@pytest.mark.parametrize("damage", ["deleted", "replaced-by-a-directory", "alias-bomb", "not-utf-8", "empty"])
def test_reload_of_a_hostile_file_keeps_the_previous_faq(damage: str, shipped_faq, shipped_faq_path: Path,
                                                         tmp_path: Path) -> None:
    """/reload of a deleted, directory, alias-bomb, non-UTF-8 or empty file says what is wrong and
    keeps answering from the FAQ loaded before."""
    path = tmp_path / "faq.yaml"
    shutil.copy(shipped_faq_path, path)
    repl = Repl(shipped_faq, faq_path=path, history=InMemoryHistory(), stdout=io.StringIO(), stderr=io.StringIO())
    path.unlink()
    if damage == "replaced-by-a-directory":
        path.mkdir()
    elif damage == "alias-bomb":
        path.write_bytes(alias_bomb())
    elif damage == "not-utf-8":
        path.write_bytes(shipped_faq_path.read_bytes().replace(b"session", b"s\xe9ance", 1))
    elif damage == "empty":
        path.write_bytes(b"")

    started = time.monotonic()
    message = repl.handle_line("/reload")

    assert time.monotonic() - started < QUICK
    assert str(path) in message and "Kept the FAQ" in message
    assert ends_with_advice(message)
    assert repl.faq is shipped_faq
    assert repl.responder.reply("does it hurt").entry_id == "pain-and-numbing"
    assert ends_with_advice(repl.handle_line("does it hurt"))


# -- an FAQ cut short, or read while it is written -------------------------------------------

#: How many cut points of the shipped FAQ are tried, and the one of the issue report.
CUT_POINTS = 600
REPORTED_CUT = 197_470  # `head -c 197470 knowledge/faq.yaml` answered breastfeeding with sun protection
CUT_SHORT = "the file ends inside this line"


def copy_of_the_knowledge(shipped_faq_path: Path, tmp_path: Path) -> Path:
    """A copy of the shipped FAQ in tmp_path, with whatever it names beside it (its source text)."""
    folder = shutil.copytree(shipped_faq_path.parent, tmp_path / "knowledge")
    return folder / shipped_faq_path.name


def cuts_inside_lines(data: bytes, count: int = CUT_POINTS) -> list[int]:
    """A seeded sample of *count* lengths at which *data* ends inside a line (the last byte kept is not
    a line end), the reported cut among them; longest first, so one file can be truncated step by step."""
    inside = [n for n in range(1, len(data)) if data[n - 1] != ord("\n")]
    sample = {n for n in (REPORTED_CUT,) if n in inside}
    sample.update(random.Random(12).sample([n for n in inside if n not in sample], count - len(sample)))
    return sorted(sample, reverse=True)


def test_an_faq_cut_short_inside_a_line_is_never_accepted(shipped_faq, shipped_faq_path: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    """The shipped FAQ cut at 600 points inside a line (every one a file that may have been cut short)
    is refused by --check, by a start with --faq (its index cached from the whole file), by a start from
    $MICRONEEDLING_FAQ without the cache and by /reload: exit 1 or the old FAQ kept, naming the cut line."""
    path = copy_of_the_knowledge(shipped_faq_path, tmp_path)
    data = path.read_bytes()
    assert run_main("--faq", str(path), "does it hurt")[0] == 0  # the whole file is answered (and cached)
    repl = Repl(shipped_faq, faq_path=path, history=InMemoryHistory(), stdout=io.StringIO(), stderr=io.StringIO())
    monkeypatch.setenv("MICRONEEDLING_FAQ", str(path))
    question = "is microneedling safe while breastfeeding"
    accepted, unexplained = [], []

    for cut in cuts_inside_lines(data):
        os.truncate(path, cut)  # longest first: no copy of the file for each cut
        line = data.count(b"\n", 0, cut) + 1
        said = f"{path}:{line}: {CUT_SHORT}"
        for mode, argv in (("--check", ["--check", str(path)]), ("--faq", ["--faq", str(path), question]),
                           ("no cache", ["--no-cache", question])):
            code, out, err = run_main(*argv)
            if code != 1 or out:
                accepted.append(f"cut {cut}: {mode} exit {code} {out[:60]!r}")
            elif said not in err:
                unexplained.append(f"cut {cut}: {mode}: {err[:200]!r}")
        message = repl.handle_line("/reload")
        if "Kept the FAQ" not in message:
            accepted.append(f"cut {cut}: /reload {message[:60]!r}")
        elif said not in message:
            unexplained.append(f"cut {cut}: /reload: {message[:200]!r}")

    assert not accepted, f"{len(accepted)} of {4 * CUT_POINTS} accepted, e.g. " + "\n".join(accepted[:8])
    assert not unexplained, "\n".join(unexplained[:8])
    assert repl.faq is shipped_faq


def pieces_off_line_ends(data: bytes, size: int = 4096) -> list[bytes]:
    """*data* in pieces of about *size* bytes, no piece ending at a line end (unless it is the last)."""
    pieces, start = [], 0
    while start < len(data):
        end = min(start + size, len(data))
        while end < len(data) and data[end - 1] == ord("\n"):
            end += 1
        pieces.append(data[start:end])
        start = end
    return pieces


def test_reload_while_the_faq_is_being_written_never_half_uses_it(shipped_faq, shipped_faq_path: Path,
                                                                  tmp_path: Path) -> None:
    """/reload while another program saves the FAQ in place, piece by piece and over and over, reloads
    the whole file or keeps the FAQ it had, whatever moment it reads at; once the writing stops, it
    reloads the whole file."""
    path = copy_of_the_knowledge(shipped_faq_path, tmp_path)
    data = path.read_bytes()
    pieces = pieces_off_line_ends(data)
    writing = threading.Event()
    writing.set()

    def save_in_place_again_and_again() -> None:
        while writing.is_set():
            with path.open("r+b") as stream:
                stream.truncate(0)
                for piece in pieces:
                    stream.write(piece)
                    stream.flush()
                    time.sleep(0.0005)

    repl = Repl(shipped_faq, faq_path=path, history=InMemoryHistory(), stdout=io.StringIO(), stderr=io.StringIO())
    writer = threading.Thread(target=save_in_place_again_and_again, daemon=True)
    writer.start()
    half_used = []
    try:
        for _ in range(25):
            message = repl.handle_line("/reload")
            if repl.faq is not shipped_faq and (repl.faq.entries, repl.faq.not_covered) != (
                    shipped_faq.entries, shipped_faq.not_covered):
                half_used.append(message.splitlines()[0])
            repl.faq = shipped_faq
    finally:
        writing.clear()
        writer.join(timeout=10)

    assert not half_used, half_used
    assert repl.handle_line("/reload").startswith(f"Reloaded {path}: {len(shipped_faq.entries)} entries")


# -- special files where a file is expected ------------------------------------------------------

SPECIAL_KINDS = ("fifo", "dev-zero", "directory", "symlink-to-fifo", "symlink-to-dev-zero", "symlink-to-directory")
SPECIAL_MODES = ("--check", "--faq", "--faq --no-cache", "/reload", "--eval", "history")
#: What each kind is called in the messages.
SPECIAL_SAYS = {"fifo": "named pipe", "dev-zero": "device", "directory": "directory"}

#: A one-entry FAQ for the probe (quick to load), and the probe: for each path it is given (as
#: kind=path), it runs every mode inside the one process and prints one JSON line of what each said.
SPECIAL_PROBE_FAQ = """\
version: 1
entries:
  - id: pain
    question: Does micro needling hurt?
    alternates: [is it painful]
    answer: The article mentions some discomfort.
    source: Introduction
"""
SPECIAL_PROBE = textwrap.dedent("""
    import io, json, pathlib, sys, time
    from prompt_toolkit.history import InMemoryHistory
    from assistant import load_faq
    from assistant.cli import main
    from assistant.repl import Repl, open_history

    faq = sys.argv[1]
    repl = Repl(load_faq(faq), history=InMemoryHistory(), stdout=io.StringIO(), stderr=io.StringIO())

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), stdin=io.StringIO(""), stdout=out, stderr=err)
        return code == 1, out.getvalue() + err.getvalue()

    def reload(path):
        repl.faq_path = pathlib.Path(path)
        message = repl.handle_line("/reload")
        return "Kept the FAQ" in message, message

    def history(path):
        warnings = []
        kept = open_history(path, warn=warnings.append)
        kept.append_string("a personal question")
        return type(kept) is InMemoryHistory, "\\n".join(warnings)

    for argument in sys.argv[2:]:
        kind, path = argument.split("=", 1)
        modes = {"--check": lambda: run("--check", path), "--faq": lambda: run("--faq", path, "does it hurt"),
                 "--faq --no-cache": lambda: run("--faq", path, "--no-cache", "does it hurt"),
                 "--eval": lambda: run("--faq", faq, "--eval", path), "/reload": lambda: reload(path),
                 "history": lambda: history(path)}
        said = {}
        for mode, attempt in modes.items():
            started = time.monotonic()
            refused, message = attempt()
            said[mode] = [refused, message, time.monotonic() - started]
        print(json.dumps({kind: said}), flush=True)
""")


def _limit_memory() -> None:
    """At most 2 GB of address space: a program that reads /dev/zero fails fast instead of swapping."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.fixture(scope="module")
def special_file_results(tmp_path_factory, repo_root: Path) -> dict[str, dict | str]:
    """For each special kind of path: what every mode said, or why the probe never said it. One
    probe process tries them all, bounded in time and memory, so a hang cannot hang the suite."""
    if not hasattr(os, "mkfifo") or not Path("/dev/zero").exists():
        pytest.skip("needs named pipes and /dev/zero")
    folder = tmp_path_factory.mktemp("special")
    faq = folder / "small.yaml"
    faq.write_text(SPECIAL_PROBE_FAQ, encoding="utf-8")
    # Neutral names, so that a message cannot pass by quoting the path.
    os.mkfifo(folder / "p")
    (folder / "d").mkdir()
    targets = {"fifo": folder / "p", "dev-zero": Path("/dev/zero"), "directory": folder / "d"}
    paths = []
    for number, kind in enumerate(SPECIAL_KINDS):
        path = targets.get(kind)
        if path is None:
            path = folder / f"link{number}"
            path.symlink_to(targets[kind.removeprefix("symlink-to-")])
        paths.append(f"{kind}={path}")
    env = dict(os.environ, HOME=str(folder), XDG_CACHE_HOME=str(folder / "cache"))
    child = subprocess.Popen([sys.executable, "-c", SPECIAL_PROBE, str(faq), *paths], cwd=repo_root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limit_memory)
    try:
        out, err = child.communicate(timeout=30)
        why = err.decode(errors="replace")[-2000:] or f"exit {child.returncode}"
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
        why = "hung: killed after 30 s"
    results: dict[str, dict | str] = dict.fromkeys(SPECIAL_KINDS, why)
    for line in out.splitlines():
        results.update(json.loads(line))
    return results


@pytest.mark.parametrize("mode", SPECIAL_MODES)
@pytest.mark.parametrize("kind", SPECIAL_KINDS)
def test_a_special_file_is_refused_at_once(kind: str, mode: str, special_file_results) -> None:
    """An FAQ, a labelled set or a history path that is a named pipe, /dev/zero or a directory (or a
    symbolic link to one) never hangs and is never read past its limit: the mode refuses it at once,
    saying what it is (exit 1, the old FAQ kept, or the history in memory with one warning)."""
    said = special_file_results[kind]

    assert isinstance(said, dict), said
    refused, message, seconds = said[mode]
    assert refused, message
    assert seconds < QUICK, f"{seconds:.1f} s"
    if mode == "history" and kind.startswith("symlink-to-"):  # a history link is never followed
        assert message.startswith("the history file") and "symbolic link" in message, message
    else:
        assert SPECIAL_SAYS[kind.removeprefix("symlink-to-")] in message, message
    if mode == "history":
        assert len(message.splitlines()) == 1, message  # one warning


# -- synonyms that would rewrite every question ----------------------------------------------


@pytest.mark.parametrize("variant", [pytest.param("the", id="the"), pytest.param("what", id="what"),
                                     pytest.param("should", id="should"), pytest.param('"50"', id="a-number")])
def test_a_synonym_variant_of_one_common_word_is_refused(variant: str, write_faq, minimal_faq_text: str) -> None:
    """`--check` refuses a synonym variant that is one common word (or a number): every question with
    "the" would otherwise be read as the canonical word and answered; the message names the line."""
    path = write_faq(edit(minimal_faq_text, "  microneedling: [micro needling, dermaroller]",
                          f"  microneedling: [micro needling, dermaroller, {variant}]"))

    code, out, err = run_main("--check", str(path))

    assert code == 1, out
    word = variant.strip('"')
    assert re.search(rf"{re.escape(str(path))}:3: synonym variant '{word}' is a single common word", err), err


def test_a_synonym_phrase_of_common_words_is_kept(write_faq, minimal_faq_text: str) -> None:
    """A phrase of common words can name one thing ("how much", a cost), so it stays allowed."""
    path = write_faq(edit(minimal_faq_text, "  microneedling: [micro needling, dermaroller]",
                          "  microneedling: [micro needling, dermaroller]\n  howmuch: [how much]"))

    assert run_main("--check", str(path))[0] == 0


# =====================================================================================
# 4. The person's data
# =====================================================================================


@pytest.mark.parametrize("existing_mode", [pytest.param(None, id="new-file"), pytest.param(0o644, id="existing-0o644")])
def test_history_is_readable_by_its_owner_only(existing_mode: int | None, shipped_faq, tmp_path: Path) -> None:
    """After a session the history file is 0o600, whether it was created or already existed as 0o644."""
    path = tmp_path / "data" / "history"
    if existing_mode is not None:
        path.parent.mkdir()
        path.write_text("\n# 2020-01-01 00:00:00\n+an old question\n")
        path.chmod(existing_mode)
    out, err = io.StringIO(), io.StringIO()
    repl = Repl(shipped_faq, history_file=path, stdout=out, stderr=err)

    assert run_repl(repl, "is it safe for dark skin\r") == 0

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    if existing_mode is None:
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "is it safe for dark skin" in path.read_text()
    assert err.getvalue() == ""


def _history_path_that_cannot_be_used(kind: str, tmp_path: Path) -> Path:
    if kind == "read-only-directory":
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only directory anyway")
        directory = tmp_path / "ro"
        directory.mkdir()
        directory.chmod(0o500)
        return directory / "history"
    if kind == "read-only-filesystem":
        if not Path("/proc/self").is_dir():
            pytest.skip("needs Linux /proc (a directory no one can write into)")
        return Path("/proc/self/microneedling-faq/history")
    if kind == "path-is-a-directory":
        directory = tmp_path / "history"
        directory.mkdir()
        return directory
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["read-only-directory", "read-only-filesystem", "path-is-a-directory"])
def test_unusable_history_warns_once_and_the_session_works(kind: str, shipped_faq, tmp_path: Path) -> None:
    """A history that cannot be written gives exactly one warning; every question is still answered."""
    path = _history_path_that_cannot_be_used(kind, tmp_path)
    out, err = io.StringIO(), io.StringIO()
    try:
        repl = Repl(shipped_faq, history_file=path, stdout=out, stderr=err)
        code = run_repl(repl, "does it hurt\rhow long is a session\r")
    finally:
        if kind == "read-only-directory":
            path.parent.chmod(0o700)

    assert code == 0
    assert "numbing" in out.getvalue() and "20-30 minutes" in out.getvalue()
    assert err.getvalue().count("warning:") == 1, err.getvalue()
    assert "history" in err.getvalue()


def test_a_corrupt_history_file_does_not_stop_the_session(shipped_faq, tmp_path: Path) -> None:
    """A history file of random bytes is read without error; the session answers and appends to it."""
    path = tmp_path / "history"
    path.write_bytes(random.Random(7).randbytes(4000) + b"\n+\xff\xfe\x00\n\x1b[31m")
    path.chmod(0o600)
    out, err = io.StringIO(), io.StringIO()
    repl = Repl(shipped_faq, history_file=path, stdout=out, stderr=err)

    assert run_repl(repl, "does it hurt\r") == 0

    assert "numbing" in out.getvalue()
    assert b"+does it hurt" in path.read_bytes()


def test_a_device_as_history_keeps_its_permissions(tmp_path: Path) -> None:
    """A history path naming a device (a /dev/null twin here) is used as is; its permissions are not changed."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("creating a device node needs root (CAP_MKNOD)")
    device.chmod(0o666)

    history = open_history(device, warn=lambda message: None)
    history.append_string("a personal question")

    assert stat.S_IMODE(device.stat().st_mode) == 0o666


def test_a_fifo_as_history_does_not_hang(repo_root: Path, chat_env, tmp_path: Path) -> None:
    """A history path that is a named pipe is refused (or used) without blocking the session's start."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    fifo = tmp_path / "history"
    os.mkfifo(fifo)
    probe = ("import sys, pathlib\nfrom assistant.repl import open_history\n"
             "open_history(pathlib.Path(sys.argv[1]), warn=print)\nprint('started')")
    try:
        done = subprocess.run([sys.executable, "-c", probe, str(fifo)], cwd=repo_root, env=chat_env,
                              capture_output=True, text=True, timeout=3)
    except subprocess.TimeoutExpired:
        pytest.fail("open_history blocked on a FIFO for 3 s")
    assert "started" in done.stdout


def test_no_history_writes_nothing_anywhere(repo_root: Path, tmp_path: Path) -> None:
    """`chat.py --no-history` in a real terminal answers, quits, leaves HOME and XDG_DATA_HOME empty and
    writes what was asked into no file at all."""
    pexpect = pytest.importorskip("pexpect")
    home, data, cache = tmp_path / "home", tmp_path / "data", tmp_path / "cache"
    home.mkdir()
    data.mkdir()
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", HOME=str(home), XDG_DATA_HOME=str(data),
               XDG_CACHE_HOME=str(cache), TERM="xterm")
    env.pop("MICRONEEDLING_FAQ", None)
    env.pop("MICRONEEDLING_FAQ_HISTORY", None)
    child = pexpect.spawn(sys.executable, ["chat.py", "--no-history"], cwd=str(repo_root), env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, 200))
    try:
        child.expect("you>")
        child.sendline("zebulonquux: how long does a session take")
        child.expect("consult a dermatologist")
        child.expect("you>")
        child.sendline("/quit")
        child.expect("Goodbye")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)

    assert child.exitstatus == 0
    assert sorted(home.rglob("*")) == [] and sorted(data.rglob("*")) == []
    # The index cache (keyed on the FAQ, not on what was asked) may exist; the question is in no file.
    written = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert not [f for f in written if b"zebulonquux" in f.read_bytes()], written


def test_no_mode_writes_to_the_faq_file(tmp_path: Path, shipped_faq_path: Path, repo_root: Path,
                                        monkeypatch) -> None:
    """One-shot, --json, --jsonl, piped, --check, --eval and a session with /reload leave the FAQ's
    bytes, its mtime and its directory exactly as they were."""
    monkeypatch.chdir(repo_root)
    folder = tmp_path / "knowledge"
    folder.mkdir()
    path = folder / "faq.yaml"
    shutil.copy(shipped_faq_path, path)
    shutil.copy(shipped_faq_path.with_name("microneedling-article.txt"), folder)  # the source text it names
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))  # a fixed time in 2001
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(folder.iterdir()))
    faq = str(path)

    runs = {
        "one-shot": run_main("--faq", faq, "does it hurt"),
        "json": run_main("--faq", faq, "--json", "does it hurt"),
        "jsonl": run_main("--faq", faq, "--jsonl", stdin="does it hurt\n\n\x1b[31m\n"),
        "piped": run_main("--faq", faq, stdin="does it hurt\nhow long is a session\n"),
        "check": run_main("--check", faq),
        "eval": run_main("--faq", faq, "--eval", "tests/data/questions.tsv"),
    }
    repl = Repl(load_faq(path), faq_path=path, history=InMemoryHistory(), stdout=io.StringIO(), stderr=io.StringIO())
    for line in ("does it hurt", "/reload", "/topics", "1", "/why", "/reload"):
        repl.handle_line(line)

    assert {mode: code for mode, (code, _, _) in runs.items()} == dict.fromkeys(runs, 0)
    assert (path.read_bytes(), path.stat().st_mtime_ns, sorted(folder.iterdir())) == before


# -- history entries written whole -------------------------------------------------------------

PASTE_BYTES = 12 * 1024


def a_paste(session: int, number: int) -> str:
    """A pasted message of about 12 KB over many lines, which says which session and entry it is."""
    line = f"session {session} entry {number}: " + "my skin is dry and I want to know about aftercare " * 2
    return "\n".join([line] * (PASTE_BYTES // len(line) + 1))


#: One session of the program appending pastes to a history file: it gets ready, waits for "go" on
#: stdin (so that two of them write at the same moment), then stores each paste of a JSON file.
HISTORY_WRITER = textwrap.dedent("""
    import json, sys
    from assistant.repl import open_history

    history = open_history(sys.argv[1], warn=sys.exit)
    with open(sys.argv[2], encoding="utf-8") as stream:
        pastes = json.load(stream)
    print("ready", flush=True)
    sys.stdin.readline()
    for paste in pastes:
        history.store_string(paste)
""")


def test_two_sessions_sharing_a_history_never_interleave(repo_root: Path, chat_env, tmp_path: Path) -> None:
    """Two sessions appending 12 KB pastes to one history file at the same moment leave every entry
    whole: read back, the file holds exactly the pastes, none split or merged with another."""
    path = tmp_path / "history"
    per_session = 250
    sessions = []
    for session in range(2):
        pastes = tmp_path / f"pastes-{session}.json"
        pastes.write_text(json.dumps([a_paste(session, number) for number in range(per_session)]))
        sessions.append(subprocess.Popen([sys.executable, "-c", HISTORY_WRITER, str(path), str(pastes)],
                                         cwd=repo_root, env=chat_env, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    try:
        for child in sessions:
            assert child.stdout.readline() == b"ready\n", child.stderr.read()
        for child in sessions:
            child.stdin.write(b"go\n")
            child.stdin.flush()
        for child in sessions:
            _, err = child.communicate(timeout=30)
            assert child.returncode == 0, err
    finally:
        for child in sessions:
            child.kill()
            child.wait(timeout=10)

    read_back = list(open_history(path, warn=pytest.fail).load_history_strings())
    expected = {a_paste(session, number) for session in range(2) for number in range(per_session)}
    assert len(read_back) == len(expected) and set(read_back) == expected, (
        f"{len(read_back)} entries read back for {len(expected)} written; "
        f"{len(set(read_back) - expected)} of them are not a paste as it was written")


@pytest.mark.parametrize("when", [pytest.param("at-start", id="link-at-start"),
                                  pytest.param("during", id="file-replaced-by-a-link-during-the-session")])
def test_a_history_path_that_is_a_symbolic_link_is_not_followed(when: str, tmp_path: Path) -> None:
    """A history path that is (or becomes) a symbolic link to another file is not followed: the other
    file keeps its content and permissions, one warning says why, and the history stays in memory."""
    other = tmp_path / "notes.txt"
    other.write_text("my own notes\n")
    other.chmod(0o644)
    path = tmp_path / "history"
    if when == "at-start":
        path.symlink_to(other)
    warnings: list[str] = []
    history = open_history(path, warn=warnings.append)
    if when == "during":
        path.unlink()
        path.symlink_to(other)

    for question in ("a personal question", "another one"):
        history.append_string(question)

    assert other.read_text() == "my own notes\n"
    assert stat.S_IMODE(other.stat().st_mode) == 0o644
    assert len(warnings) == 1 and "symbolic link" in warnings[0], warnings
    assert list(history.get_strings()) == ["a personal question", "another one"]


#: Appends entries to a history file whose size is capped (RLIMIT_FSIZE): a write that crosses the cap
#: is cut short and the next one fails, as on a full disk.
FULL_DISK_PROBE = textwrap.dedent("""
    import json, resource, signal, sys
    from assistant.repl import open_history

    path, room, entries = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    warnings = []
    history = open_history(path, warn=warnings.append)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (room, resource.RLIM_INFINITY))
    for entry in entries:
        history.append_string(entry)
    print(json.dumps({"warnings": warnings, "memory": list(history.get_strings())}))
""")


def test_a_full_disk_leaves_no_partial_history_entry(repo_root: Path, chat_env, tmp_path: Path) -> None:
    """When the disk fills in the middle of a 12 KB entry, the history file is left as it was before that
    entry (no partial entry), one warning says so, and the session keeps every entry in memory."""
    if sys.platform != "linux":
        pytest.skip("needs Linux's RLIMIT_FSIZE semantics")
    path = tmp_path / "history"
    path.write_text("\n# 2020-01-01 00:00:00\n+an old question\n")
    path.chmod(0o600)
    entries = ["a short question", a_paste(0, 0), "one more question"]
    room = len(path.read_bytes()) + 4000  # the short one fits, the paste does not

    done = subprocess.run([sys.executable, "-c", FULL_DISK_PROBE, str(path), str(room), json.dumps(entries)],
                          cwd=repo_root, env=chat_env, capture_output=True, text=True, timeout=30)

    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    strings = list(open_history(path, warn=pytest.fail).load_history_strings())
    assert strings == ["a short question", "an old question"], [s[:40] for s in strings]
    assert path.read_bytes().endswith(b"\n+a short question\n")
    assert len(said["warnings"]) == 1 and "File too large" in said["warnings"][0], said["warnings"]
    assert said["memory"] == entries


# -- where files go, and who can read them ---------------------------------------------------------


def test_a_relative_xdg_data_home_is_ignored(tmp_path: Path) -> None:
    """A relative $XDG_DATA_HOME is ignored, as the XDG spec says: the history goes under $HOME, not
    into a directory relative to wherever the program was started."""
    home = str(tmp_path / "home")

    assert history_path(None, False, {"HOME": home, "XDG_DATA_HOME": "reldata"}) == (
        f"{home}/.local/share/microneedling-faq/history")


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, shipped_faq_path: Path, monkeypatch) -> None:
    """With a relative $XDG_CACHE_HOME, a start writes no cache relative to the current directory: the
    index is cached under $HOME/.cache instead."""
    home, elsewhere = tmp_path / "home", tmp_path / "somewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", "relcache")
    monkeypatch.chdir(elsewhere)

    assert run_main("--faq", str(shipped_faq_path), "does it hurt")[0] == 0

    assert list(elsewhere.iterdir()) == []
    assert list((home / ".cache" / "microneedling-faq").iterdir())  # the index, whatever its file name


def test_an_empty_home_does_not_put_the_history_at_the_root(monkeypatch) -> None:
    """HOME="" does not make the history /.local/share/...: the home the password database gives is used."""
    import pwd

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: type("Entry", (), {"pw_dir": "/home/from-passwd"}))

    assert history_path(None, False, {"HOME": ""}) == "/home/from-passwd/.local/share/microneedling-faq/history"


def test_under_umask_000_everything_the_history_creates_is_private(tmp_path: Path) -> None:
    """A first session in a HOME that does not exist yet, under umask 000, creates HOME, ~/.local,
    ~/.local/share and the program's data directory 0o700 and the history 0o600: nothing
    world-writable, nothing anyone else can read."""
    home = tmp_path / "home"
    old = os.umask(0)
    try:
        history = open_history(history_path(None, False, {"HOME": str(home)}), warn=pytest.fail)
        history.append_string("a personal question")
    finally:
        os.umask(old)

    modes = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in [home, *home.rglob("*")]}
    assert modes == {"home": "0o700", "home/.local": "0o700", "home/.local/share": "0o700",
                     "home/.local/share/microneedling-faq": "0o700",
                     "home/.local/share/microneedling-faq/history": "0o600"}
