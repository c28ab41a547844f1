"""How replies look on a terminal: when to colour, wrapping at word boundaries, what is coloured."""

from __future__ import annotations

import io
import re

import pytest

from assistant import DERMATOLOGIST_ADVICE
from assistant.terminal import Look, terminal_width, wants_color
from helpers import Terminal

#: An answer as the responder writes it: the answer, numbered follow-ups, the advice last.
ANSWER = (
    "The article doesn't describe how painful micro needling is, but it does mention discomfort. If your "
    "treatment is done in a clinic, numbing cream may be applied beforehand to reduce it.\n\n"
    "You might also ask:\n"
    "  1. How should I prepare my skin before micro needling?\n"
    "  2. What does my skin look like after micro needling and in the days that follow it?\n\n"
    f"{DERMATOLOGIST_ADVICE}"
)
HEADING = "Does micro needling hurt?"
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def styled(text: str) -> list[tuple[str, str]]:
    """*text* as (SGR codes in force, visible text) pieces: what a person sees, and in which style."""
    pieces, codes, at = [], "", 0
    for sgr in SGR.finditer(text):
        if sgr.start() > at:
            pieces.append((codes, text[at:sgr.start()]))
        codes, at = ("" if sgr.group(1) in ("", "0") else sgr.group(1)), sgr.end()
    pieces.append((codes, text[at:]))
    return [(c, t) for c, t in pieces if t]


def visible(text: str) -> str:
    """*text* without its colour codes."""
    return SGR.sub("", text)


@pytest.mark.parametrize(("mode", "stream", "environ", "expected"), [
    pytest.param("auto", Terminal(), {"TERM": "xterm-256color"}, True, id="auto-terminal"),
    pytest.param("auto", io.StringIO(), {"TERM": "xterm-256color"}, False, id="auto-piped"),
    pytest.param("auto", Terminal(), {"TERM": "xterm", "NO_COLOR": "1"}, False, id="auto-no-color"),
    pytest.param("auto", Terminal(), {"TERM": "xterm", "NO_COLOR": ""}, True, id="auto-empty-no-color"),
    pytest.param("auto", Terminal(), {"TERM": "dumb"}, False, id="auto-dumb-terminal"),
    pytest.param("always", io.StringIO(), {"NO_COLOR": "1", "TERM": "dumb"}, True, id="always"),
    pytest.param("never", Terminal(), {"TERM": "xterm-256color"}, False, id="never"),
])
def test_when_to_colour(mode: str, stream, environ: dict[str, str], expected: bool) -> None:
    """--color=auto colours a terminal unless $NO_COLOR is set (non-empty) or TERM=dumb; always and never decide."""
    assert wants_color(mode, stream, environ) is expected


def test_a_pipe_has_no_width() -> None:
    """Output that is not a terminal is never wrapped."""
    assert terminal_width(io.StringIO()) is None
    assert Look.of(io.StringIO()) == Look(width=None, color=False)


@pytest.mark.parametrize("width", [pytest.param(w, id=f"{w}-columns") for w in (20, 33, 49, 79)])
def test_wrapping_keeps_words_whole_and_lines_within_the_width(width: int) -> None:
    """Every line fits the width, no word is cut, and the words are the reply's own, in order."""
    rendered = Look(width=width).render(ANSWER)

    assert max(map(len, rendered.splitlines())) <= width
    assert rendered.split() == ANSWER.split()


def test_a_wrapped_follow_up_hangs_under_its_text() -> None:
    """The second line of a long numbered item starts under the item's text, not under its number."""
    lines = Look(width=50).render(ANSWER).splitlines()
    second = lines.index("  2. What does my skin look like after micro") + 1

    assert lines[second] == "     needling and in the days that follow it?"


def test_without_a_width_the_text_is_unchanged() -> None:
    """Piped, uncoloured: the reply exactly as the responder wrote it."""
    assert Look().render(ANSWER, heading=HEADING) == ANSWER


def test_colour_adds_a_heading_and_changes_no_word() -> None:
    """In colour the answered question comes first, as a heading; without the codes, the rest is the reply."""
    rendered = Look(color=True).render(ANSWER, heading=HEADING)

    first, rest = visible(rendered).split("\n", 1)
    assert first == HEADING
    assert rest == ANSWER
    assert styled(rendered)[0] == ("1;36", HEADING)


def test_without_colour_there_is_no_heading_and_no_code() -> None:
    """NO_COLOR and pipes read the reply as always: no heading, no escape code."""
    rendered = Look(width=60, color=False).render(ANSWER, heading=HEADING)

    assert HEADING not in rendered and "\x1b" not in rendered


def test_colour_marks_the_numbers_and_dims_the_advice() -> None:
    """The numbers to type stand out; the closing advice (the last paragraph) is dimmer; the answer is plain."""
    pieces = styled(Look(width=40, color=True).render(ANSWER, heading=HEADING))
    advice = " ".join(text.strip() for codes, text in pieces if codes == "2")

    assert ("1;35", "1.") in pieces and ("1;35", "2.") in pieces
    assert " ".join(advice.split()) == DERMATOLOGIST_ADVICE
    plain = " ".join(text for codes, text in pieces if codes == "")
    assert ANSWER.split("\n")[0].split() == plain.split()[:len(ANSWER.split("\n")[0].split())]


def test_only_the_last_paragraph_is_dimmed() -> None:
    """Only the last paragraph (after the last blank line) is dimmed: the advice, not the reply above it."""
    pieces = styled(Look(color=True).render("Goodbye.\n\n" + DERMATOLOGIST_ADVICE))

    assert pieces == [("", "Goodbye.\n\n"), ("2", DERMATOLOGIST_ADVICE)]


def test_escapes_in_the_text_are_removed_before_colouring() -> None:
    """Codes typed into a question or an FAQ never reach the terminal; only the look's own do."""
    rendered = Look(color=True).render("red\x1b[31m alert\x1b]0;title\x07\n\n" + DERMATOLOGIST_ADVICE,
                                       heading="\x1b[2Jquestion")

    assert set(SGR.findall(rendered)) <= {"1;36", "2", "0"}
    assert visible(rendered) == "question\nred alert\n\n" + DERMATOLOGIST_ADVICE


def test_the_echoed_question_is_coloured_like_the_prompt() -> None:
    """Before each piped reply, '> question' is drawn in the prompt's colour, or plain without colour."""
    assert styled(Look(color=True).echo("does it hurt")) == [("1;32", "> does it hurt")]
    assert Look().echo("does it hurt") == "> does it hurt"
