"""The reply log: written only when asked, one private ASCII JSON line per reply, in every mode."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from prompt_toolkit.history import InMemoryHistory

from assistant import load_faq
from assistant.cli import log_path
from assistant.log import FIELDS, ReplyLog
from assistant.repl import Repl
from helpers import run_main


def lines_of(path: Path) -> list[dict]:
    """The log's lines, parsed."""
    return [json.loads(line) for line in path.read_text(encoding="ascii").splitlines()]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """Where a test's reply log goes (not created yet)."""
    return tmp_path / "logs" / "replies.jsonl"


@pytest.fixture
def session(three_entry_faq: Path, log: Path):
    """A REPL over the three-entry FAQ with a held log at *log* (a warning fails the test); closed after."""
    with ReplyLog(log, mode="repl", held=True, warn=pytest.fail) as reply_log:
        yield Repl(load_faq(three_entry_faq), history=InMemoryHistory(), stdout=io.StringIO(),
                   stderr=io.StringIO(), log=reply_log)


# -- when, where and how --------------------------------------------------------------------------------


def test_nothing_is_logged_without_the_option(tmp_path: Path, monkeypatch) -> None:
    """Without --log or $MICRONEEDLING_FAQ_LOG no mode writes a file anywhere: not here, not in the data dirs."""
    for name in ("HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.chdir(tmp_path)

    run_main("does it hurt")
    run_main("--json", "does it hurt")
    run_main("--jsonl", stdin="does it hurt\n")
    run_main(stdin="does it hurt\n")

    assert log_path(None, {}) is None
    assert list(tmp_path.rglob("*")) == []


def test_a_run_without_a_log_does_not_even_import_the_log_module(repo_root: Path, tmp_path: Path) -> None:
    """A one-shot reply with no log asked for costs the start-up nothing: assistant.log is not imported."""
    code = ("import io, sys\n"
            "from assistant.cli import main\n"
            "assert main(['does it hurt'], stdout=io.StringIO()) == 0\n"
            "assert 'assistant.log' not in sys.modules\n")
    env = {key: value for key, value in os.environ.items() if key != "MICRONEEDLING_FAQ_LOG"}
    subprocess.run([sys.executable, "-c", code], cwd=repo_root, check=True, timeout=60,
                   env=env | {"XDG_CACHE_HOME": str(tmp_path)})


@pytest.mark.parametrize(("argv", "stdin", "mode", "replies"), [
    pytest.param(["does it hurt"], "", "one-shot", 1, id="one-shot"),
    pytest.param(["--json", "does it hurt"], "", "one-shot", 1, id="json"),
    pytest.param(["--jsonl"], "does it hurt\n\nhow long is a session\n", "jsonl", 3, id="jsonl"),
    pytest.param([], "does it hurt\n\nhow long is a session\n", "piped", 2, id="piped"),
])
def test_every_mode_logs_one_line_per_reply(log: Path, argv, stdin, mode, replies) -> None:
    """One line per reply, each naming its mode, numbered from 1 within one session."""
    run = run_main("--log", str(log), *argv, stdin=stdin)

    lines = lines_of(log)
    assert run.code == 0 and run.err == ""
    assert [line["mode"] for line in lines] == [mode] * replies
    assert [line["n"] for line in lines] == list(range(1, replies + 1))
    assert len({line["session"] for line in lines}) == 1


def test_the_environment_names_the_log_and_the_flag_outranks_it(tmp_path: Path, monkeypatch) -> None:
    """$MICRONEEDLING_FAQ_LOG is used when --log is not given; --log wins when both are."""
    monkeypatch.setenv("MICRONEEDLING_FAQ_LOG", str(tmp_path / "from-env.jsonl"))

    run_main("does it hurt")
    run_main("--log", str(tmp_path / "from-flag.jsonl"), "how long is a session")

    assert [line["question"] for line in lines_of(tmp_path / "from-env.jsonl")] == ["does it hurt"]
    assert [line["question"] for line in lines_of(tmp_path / "from-flag.jsonl")] == ["how long is a session"]


def test_a_line_holds_every_field_in_order_as_ascii_json(log: Path) -> None:
    """A line is ASCII JSON with the documented fields in order, format 1; the question survives as typed."""
    question = "Combien de temps dure une séance ? 😊"
    run_main("--log", str(log), "--jsonl", stdin=f"how long is a session\n{question}\n")

    raw = log.read_bytes()
    first, second = lines_of(log)
    assert raw.isascii()
    assert tuple(first) == FIELDS
    assert first["v"] == 1 and first["kind"] == "answer" and first["id"] == "session-length"
    assert first["via"] == "typed" and first["picked"] is None and first["mark"] is None
    assert second["question"] == question
    assert first["time"].endswith("Z") and len(first["time"]) == len("2025-03-01T14:02:09Z")


def test_an_answer_records_its_margin_over_the_next_entry(three_entry_faq: Path, log: Path) -> None:
    """An answer's line says by how many points its entry led the next one, and which that was."""
    run_main("--faq", str(three_entry_faq), "--log", str(log), "how long")

    (line,) = lines_of(log)
    assert line["id"] == "session-length" and line["runner_up"] == "downtime"
    assert 0 < line["margin"] < 10


def test_a_decline_records_the_topic_it_matched(three_entry_faq: Path, log: Path) -> None:
    """A question declined as a not-covered topic has that topic on its line."""
    run_main("--faq", str(three_entry_faq), "--log", str(log), "what does it cost")

    (line,) = lines_of(log)
    assert line["kind"] == "fallback" and line["topic"] == "the cost of micro needling"


@pytest.mark.parametrize("umask", [
    pytest.param(0o000, id="umask-000"),
    pytest.param(0o022, id="umask-022"),
    pytest.param(0o277, id="umask-277-no-owner-write"),
])
def test_the_log_is_created_private_whatever_the_umask(log: Path, umask: int) -> None:
    """A new log is 0600: readable and writable by its owner only, under any umask."""
    old = os.umask(umask)
    try:
        run_main("--log", str(log), "does it hurt")
    finally:
        os.umask(old)

    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert len(lines_of(log)) == 1


def test_an_existing_log_readable_by_others_is_made_private(tmp_path: Path) -> None:
    """An older log that others could read is made 0600 before anything more is appended; its lines stay."""
    path = tmp_path / "old.jsonl"
    path.write_text('{"v": 1}\n')
    path.chmod(0o644)

    run_main("--log", str(path), "does it hurt")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith('{"v": 1}\n') and len(path.read_text().splitlines()) == 2


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    """A FIFO nobody reads: opening it for writing the ordinary way would block for ever."""
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("where", [
    pytest.param("directory", id="a-directory"),
    pytest.param("under-a-file", id="under-a-file"),
    pytest.param("fifo", id="a-fifo-without-reader"),
    pytest.param("/dev/null", id="a-device"),
])
def test_an_unusable_log_warns_once_and_every_reply_is_still_given(tmp_path: Path, fifo: Path, where: str) -> None:
    """A log that cannot be used gives exactly one warning, names the file, never hangs, and changes no reply."""
    path = {"directory": str(tmp_path), "under-a-file": str(Path(__file__)) + "/log", "fifo": str(fifo),
            "/dev/null": os.devnull}[where]
    result = {}
    worker = threading.Thread(target=lambda: result.update(
        run=run_main("--log", path, "--jsonl", stdin="does it hurt\nhow long is a session\n")), daemon=True)
    worker.start()
    worker.join(timeout=30)

    assert not worker.is_alive(), "opening the log blocked"
    run = result["run"]
    assert run.code == 0
    assert len(run.out.splitlines()) == 2
    assert run.err.count("warning") == 1 and path in run.err and "nothing is logged" in run.err


def test_a_log_that_fails_while_writing_warns_once_and_the_session_goes_on(log: Path, monkeypatch) -> None:
    """A write that fails (a full disk) gives one warning; the replies go on, unlogged."""
    import assistant.log

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(assistant.log.os, "write", full)
    run = run_main("--log", str(log), "--jsonl", stdin="does it hurt\nhow long is a session\ncream\n")

    assert run.code == 0 and len(run.out.splitlines()) == 3
    assert run.err.count("warning") == 1 and "No space left" in run.err


def test_help_says_how_to_log_and_that_nothing_is_logged_otherwise() -> None:
    """--help documents --log and $MICRONEEDLING_FAQ_LOG, and says nothing is logged without them."""
    out = " ".join(run_main("--help").out.split())

    assert "--log FILE" in out and "MICRONEEDLING_FAQ_LOG" in out
    assert "Nothing is logged unless --log FILE" in out


def test_a_log_that_is_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    """A log path that is a symbolic link is refused with one warning; the file it points to is left untouched."""
    target = tmp_path / "elsewhere.txt"
    target.write_text("someone else's file\n")
    link = tmp_path / "replies.jsonl"
    link.symlink_to(target)

    run = run_main("--log", str(link), "does it hurt")

    assert run.code == 0 and run.err.count("warning") == 1 and "symbolic link" in run.err
    assert target.read_text() == "someone else's file\n"


def test_a_write_that_fails_half_way_leaves_no_half_line(log: Path, monkeypatch) -> None:
    """When a line is only partly written before the disk fills, the part is cut off: every line left is whole."""
    import assistant.log

    real = os.write
    calls = []

    def filling(fd, data):
        calls.append(len(data))
        if len(calls) == 2:
            return real(fd, bytes(data[:10]))  # the system takes only part of the second line...
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")  # ...and then the disk is full
        return real(fd, data)

    monkeypatch.setattr(assistant.log.os, "write", filling)
    run = run_main("--log", str(log), "--jsonl", stdin="does it hurt\nhow long is a session\ncream\n")
    monkeypatch.undo()

    assert run.code == 0 and run.err.count("warning") == 1
    assert [line["question"] for line in lines_of(log)] == ["does it hurt"]


# -- the REPL: picks, rephrasings and marks ------------------------------------------------------------


def test_a_number_picked_from_did_you_mean_is_recorded_on_that_reply(session: Repl, log: Path) -> None:
    """The "did you mean" reply's line says which number came next; the answer it gave is a picked reply."""
    session.handle_line("how long is the whole thing")
    session.handle_line("1")
    session.log.close()

    clarify, answer = lines_of(log)
    assert clarify["kind"] == "clarify" and clarify["suggestions"] == ["session-length", "downtime"]
    assert clarify["picked"] == 1 and clarify["rephrased"] is False
    assert answer["via"] == "picked" and answer["id"] == "session-length" and answer["picked"] is None


def test_a_follow_up_picked_by_number_is_recorded(session: Repl, log: Path) -> None:
    """An answer's follow-ups are numbered too: picking one is recorded on the answer's line."""
    session.handle_line("how long is a session")
    session.handle_line("1")
    session.log.close()

    answer, follow_up = lines_of(log)
    assert answer["suggestions"] == ["aftercare"] and answer["picked"] == 1
    assert follow_up["id"] == "aftercare" and follow_up["via"] == "picked"


def test_a_number_picked_from_the_topics_list_marks_no_reply(session: Repl, log: Path) -> None:
    """After /topics a number picks from that list, not from the reply before it: that reply records no pick."""
    session.handle_line("how long is the whole thing")
    session.handle_line("/topics")
    session.handle_line("3")
    session.log.close()

    clarify, answer = lines_of(log)
    assert clarify["picked"] is None
    assert answer["via"] == "picked" and answer["id"] == "downtime"


@pytest.mark.parametrize(("second", "rephrased"), [
    pytest.param("how long do sessions last", True, id="asked-again"),
    pytest.param("aftercare tips", False, id="something-else"),
])
def test_asking_again_in_other_words_is_recorded_as_a_rephrasing(session: Repl, log: Path, second: str,
                                                                 rephrased: bool) -> None:
    """A typed question sharing an informative word with the one before marks that one as rephrased."""
    session.handle_line("how long is the whole thing")
    session.handle_line(second)
    session.log.close()

    assert lines_of(log)[0]["rephrased"] is rephrased


@pytest.mark.parametrize(("command", "said"), [
    pytest.param("/good", "was right", id="good"),
    pytest.param("/wrong", "was wrong", id="wrong"),
])
def test_good_and_wrong_mark_the_last_answer_in_the_log_and_say_so(session: Repl, log: Path, command: str,
                                                                   said: str) -> None:
    """/good and /wrong put their mark on the last answer's line and say back, in one line, what they did."""
    session.handle_line("how long is the redness")
    text = session.handle_line(command)
    session.handle_line("how long do the red marks last")
    session.log.close()

    marked, after = lines_of(log)
    assert marked["id"] == "downtime" and marked["mark"] == command[1:]
    assert after["mark"] is None
    assert text.splitlines()[0] == f"Noted in the log: the answer from downtime {said}." + (
        " Try asking in other words." if command == "/wrong" else "")


def test_marking_with_no_answer_before_records_nothing(session: Repl, log: Path) -> None:
    """/wrong right after a "did you mean" (not an answer) says there is nothing to mark, and marks nothing."""
    session.handle_line("how long is the whole thing")

    text = session.handle_line("/wrong")
    session.log.close()

    assert text.startswith("There is no answer to mark")
    assert lines_of(log)[0]["mark"] is None


def test_marking_without_a_log_says_nothing_is_kept(three_entry_faq: Path) -> None:
    """Without a log, /good still answers in one line, and says plainly that nothing is recorded."""
    repl = Repl(load_faq(three_entry_faq), history=InMemoryHistory(), stdout=io.StringIO(), stderr=io.StringIO())
    repl.handle_line("how long is the redness")

    assert "keeps no log" in repl.handle_line("/good").splitlines()[0]


def test_the_last_reply_of_a_session_is_written_when_it_ends(session: Repl, log: Path) -> None:
    """A reply's line waits for the next step; closing the log writes it, nothing is lost or doubled."""
    session.handle_line("how long is the redness")
    waiting = log.read_text()
    session.log.close()
    session.log.close()

    assert waiting == ""
    assert [line["question"] for line in lines_of(log)] == ["how long is the redness"]
