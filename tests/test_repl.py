"""The interactive session: handle_line without a terminal, and real keys through a pipe."""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory

from assistant.cli import history_path
from assistant.compose import Reply, ReplyKind, ends_with_advice
from assistant.repl import Repl, open_history
from helpers import CTRL_C, run_repl


@pytest.fixture
def repl(shipped_faq, shipped_matcher, shipped_faq_path) -> Repl:
    """A session over the shipped FAQ (its matcher built once) with history in memory and output captured."""
    return Repl(shipped_faq, matcher=shipped_matcher, faq_path=shipped_faq_path, history=InMemoryHistory(),
                stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("line", [
    pytest.param("does it hurt", id="question"),
    pytest.param("what's the weather", id="unknown"),
    pytest.param("hello", id="smalltalk"),
    pytest.param("/help", id="help"),
    pytest.param("/topics", id="topics"),
    pytest.param("/why", id="why-before-anything"),
    pytest.param("/nonsense", id="unknown-command"),
    pytest.param("7", id="number-without-list"),
])
def test_every_printed_reply_ends_with_the_advice(repl: Repl, line: str) -> None:
    """Whatever the line, what the session prints ends with the dermatologist advice."""
    assert ends_with_advice(repl.handle_line(line))


def test_blank_line_prints_nothing(repl: Repl) -> None:
    """An empty line is ignored."""
    assert repl.handle_line("   ") == ""


#: Every command and alias the session documents, and what each one prints (None: it leaves).
COMMANDS = {
    "/help": "/topics", "/h": "/topics", "/?": "/topics",
    "/topics": "I can answer these", "/list": "I can answer these",
    "/why": "Nothing to explain yet", "/reload": "Reloaded",
    "/good": "There is no answer to mark", "/wrong": "There is no answer to mark",
    "/quit": None, "/exit": None, "/q": None,
}


@pytest.mark.parametrize(("name", "prints"), [pytest.param(n, p, id=n) for n, p in COMMANDS.items()])
def test_every_command_and_alias_runs(repl: Repl, name: str, prints: str | None) -> None:
    """Each documented name runs its command: /quit and its aliases leave, the others print their text."""
    text = repl.handle_line(name)
    if prints is None:
        assert text is None
    else:
        assert prints in text and "Unknown command" not in text


def test_help_lists_every_command_and_alias(repl: Repl) -> None:
    """/help names every command and every alias, and says that a bare "bye" leaves."""
    help_text = repl.handle_line("/help")
    listed = set(re.findall(r"(?<![\w/])/[a-z?]+", help_text))
    assert listed == set(COMMANDS)
    assert '"bye"' in help_text


def test_an_unknown_command_names_the_commands(repl: Repl) -> None:
    """A mistyped command says so and lists the real ones."""
    text = repl.handle_line("/hlep")
    assert "Unknown command '/hlep'" in text and "/topics" in text


@pytest.mark.parametrize("line", [
    pytest.param("bye", id="bye"),
    pytest.param("Bye!", id="capital-and-bang"),
    pytest.param("  GOODBYE...  ", id="shouted-goodbye"),
    pytest.param("good bye", id="good-bye"),
    pytest.param("bye-bye", id="bye-bye"),
    pytest.param("quit", id="quit"),
    pytest.param("Exit.", id="exit"),
    pytest.param("See you later!", id="see-you-later"),
    pytest.param("good night", id="good-night"),
])
def test_a_farewell_word_alone_ends_the_session(repl: Repl, line: str) -> None:
    """bye, goodbye, quit and exit typed alone, in any case and with any punctuation, leave like /quit."""
    assert repl.handle_line(line) is None


@pytest.mark.parametrize("line", [
    pytest.param("how do I quit smoking before micro needling", id="quit-in-a-question"),
    pytest.param("bye for now, does it hurt?", id="bye-before-a-question"),
    pytest.param("exit wound", id="exit-in-words"),
])
def test_a_farewell_word_inside_a_message_is_answered(repl: Repl, line: str) -> None:
    """A farewell word inside a longer message does not end the session: the message gets a reply."""
    assert ends_with_advice(repl.handle_line(line))


def test_bye_through_the_keys_says_goodbye_once_and_exits_0(repl: Repl) -> None:
    """Typing "bye" leaves at once: one goodbye, exit 0, and the Ctrl-D after it is never read."""
    code = run_repl(repl, "does it hurt\rbye\r")
    out = repl.stdout.getvalue()
    assert code == 0
    assert out.count("Goodbye") == 1
    assert ends_with_advice(out.rstrip())


def test_the_completer_is_built_once_and_follows_a_reload(repl: Repl, write_faq, minimal_faq_text,
                                                          monkeypatch) -> None:
    """Completing builds nothing per keystroke, and after /reload it offers the new FAQ's questions."""
    import assistant.repl as repl_module

    built: list[object] = []
    real = repl_module.FuzzyCompleter
    monkeypatch.setattr(repl_module, "FuzzyCompleter", lambda *a, **k: built.append(a) or real(*a, **k))
    completer = repl.build_session().completer
    for typed in ("h", "ho", "how", "how l", "how long"):
        list(completer.get_completions(Document(typed), CompleteEvent()))
    assert len(built) == 1

    repl.faq_path = write_faq(minimal_faq_text)
    repl.handle_line("/reload")
    offered = [c.text for c in completer.get_completions(Document("how long"), CompleteEvent())]
    assert offered == ["How long does a session take?"]


def test_topics_lists_every_question_and_numbers_pick(repl: Repl, shipped_faq) -> None:
    """/topics lists every question; typing a number then answers that one."""
    listing = repl.handle_line("/topics")
    for entry in shipped_faq.entries:
        assert entry.question in listing
    third = shipped_faq.entries[2]
    assert repl.handle_line("3").startswith(third.answer)


def test_number_picks_a_follow_up(repl: Repl, shipped_faq) -> None:
    """After an answer, typing 1 answers its first related entry."""
    repl.handle_line("how long does a session take")
    first = shipped_faq.get(repl.last.suggestions[0])
    assert repl.handle_line("1").startswith(first.answer)
    assert "Pick a number from 1" in repl.handle_line("99")


def test_why_names_a_declined_topic(repl: Repl) -> None:
    """/why after a not-covered question names that topic among the top entries."""
    repl.handle_line("how much does micro needling cost")
    assert "not_covered: the cost" in repl.handle_line("/why")


def test_why_explains_the_last_reply(repl: Repl) -> None:
    """/why shows the top entries, their scores and the phrasing that matched."""
    repl.handle_line("does it hurt")
    why = repl.handle_line("/why")
    assert "pain-and-numbing" in why and "via" in why and "Top entries" in why


def test_reload_with_a_broken_file_keeps_the_old_faq(repl: Repl, tmp_path: Path, shipped_faq_path) -> None:
    """/reload with a broken file prints the problems and keeps answering."""
    broken = tmp_path / "faq.yaml"
    broken.write_text(shipped_faq_path.read_text() + "\n  - id: [oops\n")
    repl.faq_path = broken
    message = repl.handle_line("/reload")
    assert "problem" in message and "Kept the FAQ" in message
    assert repl.responder.reply("does it hurt").entry_id == "pain-and-numbing"


def test_reload_picks_up_a_good_file(repl: Repl, shipped_faq_path) -> None:
    """/reload with a valid file says how many entries it now has."""
    assert "Reloaded" in repl.handle_line("/reload")


def test_keys_through_a_pipe(repl: Repl) -> None:
    """Typed lines are answered; Ctrl-D says goodbye and exits 0."""
    code = run_repl(repl, "does it hurt\r")
    out = repl.stdout.getvalue()
    assert code == 0
    assert "Hello!" in out
    assert "numbing" in out
    assert "Goodbye" in out
    assert ends_with_advice(out.rstrip())


def test_ctrl_c_clears_the_line_and_keeps_going(repl: Repl) -> None:
    """Ctrl-C drops the half-typed line; the next question is still answered."""
    code = run_repl(repl, "half a quest" + CTRL_C + "how long does a session take\r")
    out = repl.stdout.getvalue()
    assert code == 0
    assert "half a quest" not in out
    assert "20-30 minutes" in out


def test_history_file_is_private(tmp_path: Path) -> None:
    """The history file is created readable by its owner only."""
    path = tmp_path / "sub" / "history"
    history = open_history(path, warn=lambda m: None)
    history.append_string("a personal question")
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unwritable_history_warns_once_and_works_in_memory(tmp_path: Path) -> None:
    """A history path that cannot be created gives one warning and a working session."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    warnings: list[str] = []
    history = open_history(blocker / "history", warn=warnings.append)
    history.append_string("question")
    assert len(warnings) == 1
    assert list(history.get_strings()) == ["question"]


def test_no_history_writes_nothing(tmp_path: Path) -> None:
    """--no-history outranks the flag, the environment and the XDG default: the history stays in memory."""
    environ = {"MICRONEEDLING_FAQ_HISTORY": str(tmp_path / "from-env"), "XDG_DATA_HOME": str(tmp_path)}
    path = history_path(str(tmp_path / "from-flag"), disabled=True, environ=environ)
    history = open_history(path, warn=lambda m: None)
    history.append_string("question")
    assert path is None and isinstance(history, InMemoryHistory)
    assert list(tmp_path.iterdir()) == []


def test_corrupt_history_keeps_the_readable_entries(tmp_path: Path) -> None:
    """Garbage bytes in the history file are skipped or replaced: the entries around them still load, unwarned."""
    path = tmp_path / "history"
    garbage = bytes(range(128, 256)) * 8 + b"\x00\x1b[2J\x7f"  # not UTF-8, and controls
    path.write_bytes(b"\n# 2024-01-01\n+does it hurt\n" + garbage
                     + b"\n+\xff\xfe\n\n# 2024-01-02\n+how long is a session\n")
    warnings: list[str] = []
    history = open_history(path, warn=warnings.append)
    strings = list(history.load_history_strings())
    assert strings[0] == "how long is a session" and "does it hurt" in strings and "\ufffd\ufffd" in strings
    assert warnings == []


# -- colour -------------------------------------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


@pytest.fixture
def colour_repl(shipped_faq, shipped_matcher, shipped_faq_path) -> Repl:
    """The session of :func:`repl`, drawing in colour."""
    return Repl(shipped_faq, matcher=shipped_matcher, faq_path=shipped_faq_path, history=InMemoryHistory(),
                stdout=io.StringIO(), stderr=io.StringIO(), color=True)


def test_in_colour_an_answer_and_a_picked_follow_up_get_their_question_as_heading(colour_repl: Repl,
                                                                                  shipped_faq) -> None:
    """Each answer, typed or picked by number, is headed by its entry's question in the heading colour."""
    code = run_repl(colour_repl, "does it hurt\r1\r")
    out = colour_repl.stdout.getvalue()

    followed = shipped_faq.get(shipped_faq.get("pain-and-numbing").related[0])
    for entry in (shipped_faq.get("pain-and-numbing"), followed):
        assert f"\x1b[1;36m{entry.question}\x1b[0m\n{entry.answer.split()[0]}" in out
    assert code == 0


def test_in_colour_lists_have_numbers_but_no_heading(colour_repl: Repl) -> None:
    """/topics and "did you mean" colour their numbers; with no entry answered there is no heading."""
    run_repl(colour_repl, "/topics\rcream\r")
    out = colour_repl.stdout.getvalue()
    topics, _, did_you_mean = out.partition("not sure which of these you mean")

    assert "\x1b[1;35m1.\x1b[0m" in topics
    assert "\x1b[1;35m1.\x1b[0m" in did_you_mean and "\x1b[1;35m3.\x1b[0m" in did_you_mean
    assert "1;36" not in out


def test_without_colour_the_session_prints_no_codes(repl: Repl) -> None:
    """A session printing to a pipe (or under NO_COLOR) prints plain text: no heading, no escape code."""
    run_repl(repl, "does it hurt\r/topics\r")

    assert "\x1b" not in repl.stdout.getvalue()
    assert repl.color is False


def test_without_colour_the_suggestion_is_underlined_and_the_prompt_monochrome(repl: Repl) -> None:
    """With no colour to tell typed text from the suggested rest of a question, the suggestion is underlined."""
    session = repl.build_session()
    attrs = session.style.get_attrs_for_style_str("class:auto-suggestion")

    assert attrs.underline
    assert session.color_depth.value == "DEPTH_1_BIT"


def test_yes_and_no_answer_did_you_mean(repl: Repl) -> None:
    """Right after "did you mean", "yes" asks which one when several are offered, and "no" asks for
    other words; elsewhere they are ordinary messages."""
    assert "not sure which of these" in repl.handle_line("cream")
    assert repl.handle_line("yes").startswith("Which one? Type its number (1 to 3)")
    assert repl.handle_line("nope").startswith("All right. Ask in other words")
    repl.handle_line("how long does a session take")
    assert "Which one" not in repl.handle_line("yes")


def test_yes_picks_the_one_entry_offered(repl: Repl) -> None:
    """When "did you mean" offers one entry, "yes" answers it, as typing 1 does."""
    offered = repl.responder.reply("cream")
    only = Reply(ReplyKind.CLARIFY, offered.text, offered.question, suggestions=offered.suggestions[:1])
    repl._remember(only)
    assert repl.handle_line("Yes!") == repl.responder.choose(offered.suggestions[0]).text
