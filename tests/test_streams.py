"""Answering a stream on several cores: the replies are those of one process, in input order."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import Responder, load_faq
from assistant.compose import ReplyKind, ends_with_advice
from assistant.streams import MIN_SHARED, Helpers, LineReader

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="helpers are forked processes")


@pytest.fixture
def pipe():
    """(read end, write end) of a pipe, both closed afterwards."""
    read, write = os.pipe()
    yield read, write
    for fd in (read, write):
        try:
            os.close(fd)
        except OSError:
            pass


def labelled_questions(repo_root: Path) -> list[str]:
    lines = (repo_root / "tests" / "data" / "questions.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


def answered_questions(repo_root: Path) -> list[str]:
    """The labelled questions the shipped FAQ answers."""
    responder = Responder(load_faq(repo_root / "knowledge" / "faq.yaml"))
    return [q for q in labelled_questions(repo_root) if responder.reply(q).kind == ReplyKind.ANSWER]


# -- reading the lines waiting ------------------------------------------------------


def test_a_batch_is_the_lines_already_waiting(pipe):
    """A batch holds what was written so far, without waiting for more; a partial line waits."""
    read, write = pipe
    reader = LineReader(read)
    os.write(write, b"does it hurt\nhow long is a session\nand the co")

    assert reader.batch() == [b"does it hurt\n", b"how long is a session\n"]

    os.write(write, b"st\n")
    assert reader.batch() == [b"and the cost\n"]


def test_the_last_line_may_lack_its_line_end(pipe):
    """At the end of the input a line without "\\n" is still a line; then the batches are empty."""
    read, write = pipe
    reader = LineReader(read)
    os.write(write, b"one\ntwo")
    os.close(write)

    assert list(reader) == [b"one\n", b"two"]
    assert reader.batch() == []


def test_a_batch_is_capped(pipe):
    """No batch is longer than asked; the rest come in the next ones."""
    read, write = pipe
    reader = LineReader(read, chunk=7)
    os.write(write, b"".join(b"q%d\n" % n for n in range(10)))
    os.close(write)

    batches = [reader.batch(limit=4) for _ in range(4)]

    assert [len(b) for b in batches] == [4, 4, 2, 0]


# -- helpers -------------------------------------------------------------------------


def shout(line: str) -> tuple[str | None, bool]:
    return (line.upper() if line else None), line.startswith("no")


def test_helpers_share_a_batch_and_keep_its_order():
    """The first lines are this process's, the rest are split among the helpers; every line once."""
    lines = [f"question {n}" for n in range(100)]
    with Helpers(shout, jobs=3) as helpers:
        own, shares = helpers.shares(lines)
        taken = helpers.send(shares)
        answered = [helpers.receive(helper, share) for helper, share in zip(taken, shares)]

        assert helpers.count == 2
    assert own + [line for share in shares for line in share] == lines
    assert 0 < len(own) < len(lines) // 2
    assert [text for got in answered for text, _ in got] == [line.upper() for share in shares for line in share]


def test_a_short_batch_stays_here():
    """A few lines are not worth a helper's round trip: none is started for them."""
    with Helpers(shout, jobs=4) as helpers:
        own, shares = helpers.shares(["one", "two"])

        assert (own, shares, helpers.count) == (["one", "two"], [], 0)


def test_one_job_means_no_helper():
    with Helpers(shout, jobs=1) as helpers:
        _, shares = helpers.shares([f"q{n}" for n in range(MIN_SHARED * 4)])

        assert not shares and helpers.count == 0


def test_a_helper_that_dies_is_dropped_and_its_lines_come_back():
    """A helper killed between batches takes no more lines: its share is handed back to answer here."""
    lines = [f"question {n}" for n in range(MIN_SHARED * 4)]
    with Helpers(shout, jobs=2) as helpers:
        helpers.shares(lines)
        (helper,) = helpers._helpers
        os.kill(helper.pid, signal.SIGKILL)
        own, shares = helpers.shares(lines)
        taken = helpers.send(shares)
        answered = [helpers.receive(h, s) if h is not None else None for h, s in zip(taken, shares)]

        assert answered == [None] * len(shares)
        assert helpers.count == 0
    assert own + [line for share in shares for line in share] == lines


# -- the command ---------------------------------------------------------------------


def run_chat(repo_root: Path, tmp_path: Path, *args: str, input: bytes) -> subprocess.CompletedProcess:
    """``chat.py ARGS < file``: a regular file, so that every line is waiting from the start."""
    source = tmp_path / "input.txt"
    source.write_bytes(input)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("MICRONEEDLING_FAQ", None)
    env.pop("MICRONEEDLING_FAQ_LOG", None)
    with source.open("rb") as stdin:
        return subprocess.run([sys.executable, "chat.py", *args], cwd=repo_root, stdin=stdin, capture_output=True,
                              env=env, timeout=120)


def mixed_input(repo_root: Path) -> bytes:
    """Answers, then (late in the first batch, so in a helper's share) the session's first decline,
    then warning signs, JSON of every shape, blank lines and bytes that are not UTF-8."""
    answered = answered_questions(repo_root)[:300]
    lines = [q.encode() for q in answered[:200]]
    lines += [b"what is the capital of france", b"", b"   "]
    lines += [q.encode() for q in answered[200:]]
    lines += [b"my face is swollen and i cant breathe", b'{"question": "does it hurt"}', b'"how long is a session"',
              b'{"nope": 1}', b"[1, 2]", b"caf\xe9 \xff bytes", b"who won the match", b"does it hurt"]
    return b"\n".join(lines * 3) + b"\n"


@pytest.mark.parametrize("mode", [pytest.param(["--jsonl"], id="jsonl"), pytest.param([], id="plain")])
def test_more_jobs_give_the_same_replies_in_the_same_order(repo_root, tmp_path, mode):
    """Whatever --jobs says, the output is byte for byte that of one process, and the topics are
    listed once, in the session's first decline, though a helper read it first."""
    data = mixed_input(repo_root)

    one = run_chat(repo_root, tmp_path, *mode, "--jobs", "1", input=data)
    many = run_chat(repo_root, tmp_path, *mode, "--jobs", "3", input=data)

    assert one.returncode == many.returncode == 0, many.stderr.decode(errors="replace")
    assert many.stdout == one.stdout
    assert many.stderr == one.stderr
    assert one.stdout.count(b"I can tell you about") == 1
    if mode:
        replies = [json.loads(line) for line in many.stdout.splitlines()]
        asked = [line for line in data.split(b"\n")[:-1]]
        assert len(replies) == len(asked)
        assert all(ends_with_advice(reply["text"]) for reply in replies)
        first_decline = next(r for r in replies if r["kind"] == "fallback")
        assert "I can tell you about" in first_decline["text"]
        assert first_decline["question"] == "what is the capital of france"


def test_a_log_keeps_to_one_process(repo_root, tmp_path):
    """With --log every reply is logged, in order, by the one process that writes the log."""
    questions = labelled_questions(repo_root)[:120]
    log = tmp_path / "replies.jsonl"

    done = run_chat(repo_root, tmp_path, "--jsonl", "--jobs", "2", "--log", str(log),
                    input="\n".join(questions).encode() + b"\n")

    assert done.returncode == 0, done.stderr.decode(errors="replace")
    logged = [json.loads(line)["question"] for line in log.read_text(encoding="utf-8").splitlines()]
    assert logged == questions


def test_jobs_must_be_one_or_more(repo_root, tmp_path):
    done = run_chat(repo_root, tmp_path, "--jsonl", "--jobs", "0", input=b"does it hurt\n")

    assert done.returncode == 2
    assert b"expected one or more" in done.stderr


def test_a_one_shot_question_does_not_load_the_stream_machinery(repo_root, tmp_path):
    """`chat.py --json QUESTION` starts as fast as before: no helpers' module, no signal or select."""
    code = ("import sys\n"
            "from assistant.cli import main\n"
            "assert main(['--json', 'does it hurt']) == 0\n"
            "loaded = {'assistant.streams', 'select'} & set(sys.modules)\n"
            "assert not loaded, loaded\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, env=env,
                          timeout=60)

    assert done.returncode == 0, done.stderr


def test_a_non_blocking_input_is_waited_for(pipe):
    """Input left non-blocking by the caller is read as any other: a batch waits for its first line."""
    read, write = pipe
    os.set_blocking(read, False)
    reader = LineReader(read)
    writer = threading.Timer(0.2, lambda: (os.write(write, b"does it hurt\n"), os.close(write)))
    writer.start()
    try:
        assert reader.batch() == [b"does it hurt\n"]
        assert reader.batch() == []
    finally:
        writer.join()


def test_lines_end_at_line_feeds_only(pipe):
    """As a file's readline sees them: a carriage return alone stays inside its line, "\\r\\n" ends one."""
    read, write = pipe
    os.write(write, b"does it hurt\ror not\nhow long\r\n\n")
    os.close(write)

    assert list(LineReader(read)) == [b"does it hurt\ror not\n", b"how long\r\n", b"\n"]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400).map(lambda b: b.replace(b"x", b"\n")), chunk=st.integers(1, 64),
       limit=st.integers(1, 9))
def test_lines_are_those_readline_gives_for_any_input(data: bytes, chunk: int, limit: int) -> None:
    """For any bytes and any read size, the batches hold exactly the lines a file's readlines gives,
    in order, none longer than asked."""
    with tempfile.TemporaryFile() as file:
        file.write(data)
        file.seek(0)
        reader = LineReader(file.fileno(), chunk=chunk)
        batches = list(iter(lambda: reader.batch(limit), []))

    assert [line for batch in batches for line in batch] == io.BytesIO(data).readlines()
    assert all(0 < len(batch) <= limit for batch in batches)
