"""The command line: modes, output formats, messages and exit codes.

Most tests call ``main`` through ``helpers.run_main`` with in-memory
streams; two run ``chat.py`` and ``python -m assistant`` as real processes.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import subprocess
import sys

import pytest

from assistant import __version__
from assistant.cli import program_name
from assistant.compose import DERMATOLOGIST_ADVICE, ends_with_advice
from helpers import Run, run_main

JSON_KEYS = {"question", "id", "score", "kind", "suggestions", "text"}
KINDS = {"answer", "clarify", "fallback", "smalltalk", "urgent"}


@pytest.fixture(autouse=True)
def no_faq_from_the_environment(monkeypatch):
    """Tests use the shipped FAQ or pass --faq; $MICRONEEDLING_FAQ from the shell must not leak in."""
    monkeypatch.delenv("MICRONEEDLING_FAQ", raising=False)


@pytest.fixture
def questions_tsv(repo_root):
    """The labelled questions shipped with the tests."""
    return str(repo_root / "tests" / "data" / "questions.tsv")


# -- answering --------------------------------------------------------------------


def test_one_shot_question_gets_a_plain_reply_ending_with_the_advice():
    """`chat.py does it hurt` prints one plain reply whose last line is the dermatologist advice."""
    run = run_main("does", "it", "hurt?")

    assert run.code == 0
    assert ends_with_advice(run.out)
    assert not run.out.lstrip().startswith("{")
    assert run.err == ""


def test_json_gives_one_object():
    """`--json QUESTION` prints exactly one JSON object with the documented fields."""
    run = run_main("--json", "how long does a session take?")

    assert run.code == 0
    assert len(run.out.splitlines()) == 1
    reply = json.loads(run.out)
    assert JSON_KEYS <= reply.keys()
    assert reply["question"] == "how long does a session take?"
    assert reply["kind"] in KINDS
    assert isinstance(reply["suggestions"], list)
    assert 0 <= reply["score"] <= 100
    assert ends_with_advice(reply["text"])


def test_json_without_a_question_is_a_usage_error():
    """`--json` with nothing to answer exits 2 and points to --jsonl."""
    run = run_main("--json")

    assert run.code == 2
    assert run.out == ""
    assert "--jsonl" in run.err
    assert ends_with_advice(run.err)


def test_jsonl_answers_every_line_including_empty_and_punctuation():
    """`--jsonl` writes exactly one JSON object per input line, even for an empty line or '?!...'."""
    lines = ["does it hurt", "", "?!...", "how long is a session", "what's the weather in Paris"]

    run = run_main("--jsonl", stdin="\n".join(lines) + "\n")

    assert run.code == 0
    replies = [json.loads(line) for line in run.out.splitlines()]
    assert [r["question"] for r in replies] == lines
    for reply in replies:
        assert JSON_KEYS <= reply.keys()
        assert reply["kind"] in KINDS
        assert ends_with_advice(reply["text"])


def test_jsonl_reads_a_question_given_as_json():
    """A --jsonl line may be a JSON object with a "question" (or a JSON string), so a question can hold
    a line break; any other line that is not a JSON object is the question as typed."""
    lines = ['{"question": "does it\\nhurt"}', '"how long is a session?"', '{"q": 1}', '{not json', '"unclosed']

    run = run_main("--jsonl", stdin="\n".join(lines) + "\n")

    replies = [json.loads(line) for line in run.out.splitlines()]
    assert [r["question"] for r in replies] == ["does it hurt", "how long is a session?", '{"q": 1}',
                                                 "{not json", '"unclosed']
    assert [r["id"] for r in replies[:2]] == ["pain-and-numbing", "session-length"]
    # A JSON object without a "question" text is said to be one, in the reply and in an "error" field.
    assert replies[2]["kind"] == "fallback" and 'no "question" text' in replies[2]["text"]
    assert replies[2]["error"].startswith('This JSON line has no "question" text')
    assert all("error" not in r for r in replies[:2] + replies[3:])


def test_a_warning_sign_in_a_json_line_of_the_wrong_shape_is_still_urgent():
    """{"text": "my face will not stop bleeding"} gets the urgent reply, with the error beside it."""
    run = run_main("--jsonl", stdin='{"text": "my face will not stop bleeding"}\n')
    [reply] = [json.loads(line) for line in run.out.splitlines()]
    assert reply["kind"] == "urgent" and "error" in reply


def test_jsonl_with_no_input_writes_nothing():
    """`--jsonl` on an empty stdin writes nothing and succeeds."""
    assert run_main("--jsonl", stdin="") == Run(0, "", "")


def test_piped_plain_mode_answers_each_non_empty_line():
    """With stdin piped and no flags, each non-empty line gets one plain reply; blank lines are skipped."""
    run = run_main(stdin="does it hurt\n\n   \nhow long is a session\n")

    assert run.code == 0
    assert run.out.count(DERMATOLOGIST_ADVICE) == 2
    assert ends_with_advice(run.out)
    assert run.out.startswith("> does it hurt\n") and "\n> how long is a session\n" in run.out


def test_ctrl_c_exits_130():
    """Ctrl-C while reading stdin ends the program quietly with exit code 130."""

    class Interrupting(io.StringIO):
        def __iter__(self):
            raise KeyboardInterrupt

    run = run_main("--jsonl", stdin=Interrupting())

    assert run.code == 130
    assert "Interrupted" in run.err and "Traceback" not in run.err


# -- how plain and JSON replies look ----------------------------------------------

SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def colour_terminal(monkeypatch):
    """The environment of a terminal that can show colour (none of the shell's NO_COLOR or TERM)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def test_piped_output_has_no_colour_by_default():
    """Piped, a one-shot reply and piped-plain replies are plain text."""
    assert "\x1b" not in run_main("does it hurt").out + run_main(stdin="does it hurt\ncream\n").out


@pytest.mark.parametrize("argv", [
    pytest.param(["does it hurt"], id="one-shot"),
    pytest.param([], id="piped-plain"),
])
def test_color_always_colours_even_a_pipe(argv, shipped_faq):
    """`--color=always` colours: the answered question comes first as a heading, and nothing is reworded."""
    plain = run_main(*argv, stdin="does it hurt\n")
    coloured = run_main("--color=always", *argv, stdin="does it hurt\n")

    heading = shipped_faq.get("pain-and-numbing").question
    assert SGR.search(coloured.out)
    assert SGR.sub("", coloured.out) == plain.out.replace("The article", f"{heading}\nThe article", 1)


@pytest.mark.parametrize("mode", ["never", "auto"])
def test_color_never_and_no_color_keep_a_terminal_plain(mode, colour_terminal, monkeypatch):
    """`--color=never`, or NO_COLOR with auto, prints no colour code even to a terminal."""
    if mode == "auto":
        monkeypatch.setenv("NO_COLOR", "1")

    run = run_main(f"--color={mode}", "does it hurt", terminal=True)

    assert run.code == 0 and ends_with_advice(run.out) and "\x1b" not in run.out


def test_a_bad_color_value_is_a_usage_error():
    """--color takes auto, always or never."""
    run = run_main("--color=sometimes", "does it hurt")

    assert run.code == 2 and "choose from 'auto', 'always', 'never'" in run.err


def test_json_is_pretty_on_a_terminal_and_one_line_when_piped(colour_terminal):
    """`--json` indents for a person at a terminal and is one line for a program; both are the same object."""
    shown = run_main("--json", "does it hurt", terminal=True)
    piped = run_main("--json", "does it hurt")

    assert shown.out.startswith('{\n  "question": "does it hurt",\n')
    assert len(piped.out.splitlines()) == 1
    assert json.loads(shown.out) == json.loads(piped.out)


def test_jsonl_is_one_line_per_object_even_on_a_terminal(colour_terminal):
    """`--jsonl` never pretty-prints or colours: one object per line, wherever it goes."""
    run = run_main("--jsonl", stdin="does it hurt\ncream\n", terminal=True)

    assert [json.loads(line)["question"] for line in run.out.splitlines()] == ["does it hurt", "cream"]
    assert "\x1b" not in run.out


# -- checking and broken files ----------------------------------------------------


def test_check_passes_on_the_shipped_faq():
    """`--check` on the shipped FAQ exits 0 and reports its size."""
    run = run_main("--check")

    assert run.code == 0
    assert re.search(r"faq\.yaml: OK, \d+ entries, \d+ phrasings", run.out)


def test_check_lists_every_problem_of_a_broken_file(broken_faq):
    """`--check PATH` on a broken file exits 1 and prints every problem with its line, no traceback."""
    run = run_main("--check", str(broken_faq))

    assert run.code == 1
    assert run.out == ""
    assert "5 problems" in run.err
    for line in (1, 2, 6, 11, 18):
        assert f"{broken_faq}:{line}:" in run.err
    assert "Traceback" not in run.err


def test_check_fails_on_a_quote_that_is_not_in_the_source_text(tmp_path, repo_root):
    """`--check` on a copy of the shipped FAQ exits 1 when a quote strays from the article it names,
    or when that article is missing, and says which line and what to do."""
    faq_text = (repo_root / "knowledge" / "faq.yaml").read_text(encoding="utf-8")
    path = tmp_path / "faq.yaml"
    path.write_text(faq_text.replace("Apply sunscreen with SPF 30 or higher daily.",
                                     "Apply sunscreen with SPF 50 or higher daily.", 1), encoding="utf-8")
    (tmp_path / "microneedling-article.txt").write_bytes(
        (repo_root / "knowledge" / "microneedling-article.txt").read_bytes())

    strayed = run_main("--check", str(path))
    (tmp_path / "microneedling-article.txt").unlink()
    missing = run_main("--check", str(path))

    assert strayed.code == 1 and strayed.out == ""
    assert re.search(r"faq\.yaml:\d+: entry '[a-z-]+': evidence 'Apply sunscreen with SPF 50 or higher daily\.' "
                     r"is not in the source text 'microneedling-article\.txt'", strayed.err), strayed.err
    assert missing.code == 1
    assert "source text 'microneedling-article.txt' not found" in missing.err


@pytest.mark.parametrize("argv", [
    pytest.param(["does it hurt"], id="one-shot"),
    pytest.param(["--json", "does it hurt"], id="json"),
    pytest.param(["--jsonl"], id="jsonl"),
    pytest.param([], id="piped-plain"),
    pytest.param(["--eval", "tests/data/questions.tsv"], id="eval"),
    pytest.param(["--check"], id="check"),
])
def test_broken_faq_is_a_message_and_exit_1_in_every_mode(broken_faq, argv, monkeypatch, repo_root):
    """`--faq BROKEN` makes every mode exit 1 with the problems on stderr and no traceback."""
    monkeypatch.chdir(repo_root)

    run = run_main(*argv, "--faq", str(broken_faq), stdin="does it hurt\n")

    assert run.code == 1
    assert run.out == ""
    assert f"{broken_faq}:11:" in run.err and "anwser" in run.err
    assert "Traceback" not in run.err
    assert ends_with_advice(run.err)  # an error shown to a person ends like every reply


@pytest.mark.parametrize("name", [
    pytest.param("missing.yaml", id="missing-file"),
    pytest.param(".", id="directory"),
])
def test_unusable_faq_path_is_a_message(tmp_path, name):
    """`--faq` naming no file, or a directory, exits 1 with one readable message."""
    path = tmp_path / name

    run = run_main("--faq", str(path), "does it hurt")

    assert run.code == 1
    assert str(path) in run.err and "Traceback" not in run.err
    assert ends_with_advice(run.err)


def test_faq_from_the_environment(broken_faq, monkeypatch):
    """$MICRONEEDLING_FAQ is used when --faq is not given."""
    monkeypatch.setenv("MICRONEEDLING_FAQ", str(broken_faq))

    run = run_main("does it hurt")

    assert run.code == 1
    assert str(broken_faq) in run.err


# -- --eval ------------------------------------------------------------------------


def test_eval_prints_figures_against_the_baseline(questions_tsv):
    """`--eval FILE` prints percentages for the assistant next to the rapidfuzz baseline."""
    run = run_main("--eval", questions_tsv)

    assert run.code == 0
    assert re.search(r"^\d+ labelled questions", run.out)
    assert "baseline" in run.out
    assert re.search(r"answered right\s+\d+\.\d%\s+\d+\.\d%", run.out)


@pytest.mark.parametrize(("content", "pattern"), [
    pytest.param(None, r"cannot read", id="missing-file"),
    pytest.param("does it hurt\n", r":1: expected 'question<TAB>expected ids'", id="no-tab"),
    pytest.param("does it hurt\tno-such-entry\n", r":1: unknown entry id no-such-entry", id="unknown-id"),
    pytest.param("does it hurt\t\n", r":1: no expected id", id="no-label"),
    pytest.param("question\texpected\n# only a comment\n", r"no labelled questions", id="no-cases"),
])
def test_bad_eval_file_exits_1(tmp_path, content, pattern):
    """A labelled file that cannot be used exits 1 with the file, the line and what is wrong."""
    path = tmp_path / "cases.tsv"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    run = run_main("--eval", str(path))

    assert run.code == 1
    assert re.search(pattern, run.err), run.err
    assert "Traceback" not in run.err


# -- --help and usage ----------------------------------------------------------------


def test_help_lists_the_options():
    """`--help` exits 0 and documents every mode and path option."""
    run = run_main("--help")

    assert run.code == 0
    for option in ("--jsonl", "--check", "--eval", "--faq", "--history-file", "--no-history"):
        assert option in run.out


@pytest.mark.parametrize(("argv", "code", "stream", "text"), [
    pytest.param(["--help"], 0, "out", "--jsonl", id="help"),
    pytest.param(["--no-such-flag"], 2, "err", "usage:", id="unknown-flag"),
])
def test_usage_goes_through_the_injected_streams(argv, code, stream, text):
    """main returns the exit code of --help and bad arguments, and writes them to the given streams."""
    run = run_main(*argv)

    assert run.code == code
    assert text in getattr(run, stream)
    if code:  # a usage error is an error shown to the person
        assert ends_with_advice(run.err)


# -- the program's name ---------------------------------------------------------------

#: How the program can be started: the name its messages use, and the command its hints give.
STARTS = [
    pytest.param("chat.py", "python chat.py", id="chat.py"),
    pytest.param("python -m assistant", "python -m assistant", id="python-m-assistant"),
    pytest.param("microneedling-faq", "microneedling-faq", id="installed"),
]


@pytest.mark.parametrize(("argv0", "prog"), [
    pytest.param("chat.py", "chat.py", id="chat.py"),
    pytest.param("/home/me/src/microneedling/chat.py", "chat.py", id="chat.py-by-path"),
    pytest.param("/home/me/.local/bin/microneedling-faq", "microneedling-faq", id="installed"),
    pytest.param("", "microneedling-faq", id="no-argv0"),
])
def test_the_program_name_is_how_it_was_started(argv0, prog):
    """Without an explicit name, messages use the base name of argv[0] (the installed command's when empty)."""
    assert program_name(argv0) == prog


@pytest.mark.parametrize(("prog", "command"), STARTS)
def test_usage_and_version_use_the_name_it_was_started_as(prog, command):
    """The usage line, the argparse error and --version all say the name the program was started as."""
    bad, version = run_main("--no-such-flag", prog=prog), run_main("--version", prog=prog)

    assert bad.err.startswith(f"usage: {prog} [-h]")
    assert f"\n{prog}: error: unrecognized arguments: --no-such-flag\n" in bad.err
    assert version.out == f"{prog} {__version__}\n"


@pytest.mark.parametrize(("prog", "command"), STARTS)
def test_help_examples_are_commands_that_run(prog, command):
    """--help's examples start with what a person types to run the program: `python chat.py`, not `chat.py`."""
    examples = run_main("--help", prog=prog).out.split("modes:\n")[1].split("\n\n")[0].splitlines()

    assert len(examples) == 8
    assert all(line.startswith(f"  {command}") for line in examples), examples


@pytest.mark.parametrize(("prog", "command"), STARTS)
def test_messages_and_hints_use_the_name_it_was_started_as(prog, command, broken_faq):
    """Errors start with the program's name, and the --check hint is a command that works as typed."""
    broken = run_main("does it hurt", "--faq", str(broken_faq), prog=prog)
    no_question = run_main("--json", prog=prog)

    assert f"(check it with: {command} --check {broken_faq})" in broken.err
    assert no_question.err.startswith(f"{prog}: --json needs a question")


def test_the_check_hint_can_be_pasted_into_a_shell(write_faq):
    """A path with a space (or a quote) is quoted in the hint, so the hinted command checks that file."""
    path = write_faq("version: 1\nentries: [\n", name="my faq's copy.yaml")

    run = run_main("--faq", str(path), "does it hurt")

    hint = re.search(r"check it with: (.*)\)\.$", run.err, re.MULTILINE).group(1)
    assert shlex.split(hint) == ["python", "chat.py", "--check", str(path)]


# -- real processes --------------------------------------------------------------------


def test_chat_py_jsonl_survives_invalid_utf8(repo_root):
    """Piped bytes that are not UTF-8 are replaced: every line is answered and stderr warns once."""
    lines = [b"does it hurt", b"caf\xe9 \xff\xfe bytes", b"", b"how long is a session", b"\xc3 broken"]

    done = subprocess.run([sys.executable, "chat.py", "--jsonl"], cwd=repo_root, input=b"\n".join(lines) + b"\n",
                          capture_output=True, timeout=60)

    assert done.returncode == 0, done.stderr.decode(errors="replace")
    replies = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(replies) == len(lines)
    assert replies[0]["question"] == "does it hurt"
    assert "\ufffd" in replies[1]["question"]
    assert all(ends_with_advice(r["text"]) for r in replies)
    stderr = done.stderr.decode("utf-8", errors="replace")
    assert stderr.count("not valid UTF-8") == 1, stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(("argv", "name"), [
    pytest.param(["chat.py"], "chat.py", id="chat.py"),
    pytest.param(["-m", "assistant"], "python -m assistant", id="python-m-assistant"),
])
def test_a_real_start_uses_its_own_name(repo_root, argv, name):
    """Started as `python chat.py` or `python -m assistant`, --help and --version name it that way."""
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *argv, *args], cwd=repo_root, capture_output=True, text=True,
                              timeout=60)

    helped, version = run("--help"), run("--version")

    assert helped.returncode == 0 and version.returncode == 0, helped.stderr + version.stderr
    assert helped.stdout.startswith(f"usage: {name} [-h]")
    assert "--jsonl" in helped.stdout and "--check" in helped.stdout
    assert version.stdout == f"{name} {__version__}\n"
