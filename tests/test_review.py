"""--review: reading reply logs back, and what they propose to the FAQ's author."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import pytest
import yaml
from conftest import THREE_ENTRY_FAQ
from prompt_toolkit.history import InMemoryHistory

from assistant import Responder, load_faq
from assistant.log import ReplyLog
from assistant.repl import Repl
from assistant.review import GOOD, LOW, LOW_MARGIN, PICKED, read_log, review
from helpers import run_main, run_repl

#: The questions piped through --jsonl: a close call, three declined questions about tattoos (each
#: of which the FAQ declines by naming its only not-covered topic, the cost, on the strength of
#: "micro needling" alone), a cost question, and a phrasing of the FAQ.
JSONL_QUESTIONS = ["how long", "can i microneedle over a tattoo", "micro needling on a fresh tattoo",
                   "will it ruin my tattoo", "how much does a session cost", "how long is a session"]
#: The keys typed into the session: a "did you mean" answered by picking 1, a phrasing of the FAQ
#: marked /good, an answer marked /wrong and the question asked after it, a new phrasing marked /good.
REPL_KEYS = ("how long is the whole thing\r1\r" "aftercare tips\r/good\r"
             "how long is the redness\r/wrong\rhow long do the red marks last\r"
             "what do i put on afterwards\r/good\r")
TATTOOS = JSONL_QUESTIONS[1:4]


@pytest.fixture
def logged_session(three_entry_faq: Path, tmp_path: Path) -> Path:
    """A log of one --jsonl run and one REPL session typed through a pipe, both over the three-entry FAQ."""
    log = tmp_path / "replies.jsonl"
    run = run_main("--faq", str(three_entry_faq), "--log", str(log), "--jsonl", stdin="\n".join(JSONL_QUESTIONS))
    assert run.code == 0 and run.err == ""
    with ReplyLog(log, mode="repl", held=True, warn=pytest.fail) as reply_log:
        repl = Repl(load_faq(three_entry_faq), history=InMemoryHistory(), stdout=io.StringIO(),
                    stderr=io.StringIO(), log=reply_log)
        assert run_repl(repl, REPL_KEYS) == 0
    return log


def review_of(faq: Path, *logs: Path, form: str = "text") -> tuple[str, str]:
    """What ``--review LOGS --format FORM`` prints (stdout, stderr), checking it exits 0."""
    run = run_main("--faq", str(faq), "--review", *map(str, logs), "--format", form)
    assert run.code == 0, run.err
    return run.out, run.err


def proposed(yaml_text: str) -> dict[str, list[str]]:
    """The YAML review as {entry id or not_covered topic: phrasings}."""
    data = yaml.safe_load(yaml_text) or {}
    found = {item["id"]: item["alternates"] for item in data.get("entries", [])}
    found.update({item["topic"]: item["phrasings"] for item in data.get("not_covered", [])})
    return found


# -- the scripted session ----------------------------------------------------------------------------


def test_a_question_picked_from_did_you_mean_is_proposed_for_the_picked_entry(three_entry_faq, logged_session):
    """"how long is the whole thing" got session-length and downtime to pick from; 1 was picked:
    it is proposed as an alternate of session-length, and of nothing else."""
    text, _ = review_of(three_entry_faq, logged_session)
    found = proposed(review_of(three_entry_faq, logged_session, form="yaml")[0])

    assert "how long is the whole thing" in found["session-length"]
    assert "how long is the whole thing" not in found.get("downtime", [])
    assert f'+ how long is the whole thing  [{PICKED} x1' in text


def test_a_question_already_in_the_faq_is_not_proposed(three_entry_faq, logged_session):
    """"aftercare tips", marked /good, is already an alternate: it is listed as not proposed, and why."""
    text, _ = review_of(three_entry_faq, logged_session)
    found = proposed(review_of(three_entry_faq, logged_session, form="yaml")[0])

    assert all("aftercare tips" not in phrasings for phrasings in found.values())
    assert "  - aftercare tips (aftercare): already in the FAQ" in text.splitlines()


def test_a_declined_cluster_of_three_similar_questions_appears_once_with_its_count(three_entry_faq,
                                                                                   logged_session):
    """The three tattoo questions are one group of 3, by the word they share (not under the cost topic
    their replies named), each question listed once; in YAML, one new topic with the three."""
    text, _ = review_of(three_entry_faq, logged_session)
    found = proposed(review_of(three_entry_faq, logged_session, form="yaml")[0])

    assert text.count("shared words: tattoo") == 1
    assert "    3  shared words: tattoo" in text.splitlines()
    assert all(text.count(question) == 1 for question in TATTOOS)
    assert sorted(found["tattoo"]) == sorted(TATTOOS)
    assert found["the cost of micro needling"] == ["how much does a session cost"]


def test_a_close_answer_and_a_good_one_are_proposed(three_entry_faq, logged_session):
    """"how long" (answered by a few points) and "what do i put on afterwards" (/good) are proposed
    for the entries that answered them; "how long is a session" (a phrasing, a clear lead) is not."""
    found = proposed(review_of(three_entry_faq, logged_session, form="yaml")[0])
    text, _ = review_of(three_entry_faq, logged_session)

    assert "how long" in found["session-length"] and f"+ how long  [{LOW} x1]" in text
    assert found["aftercare"] == ["what do i put on afterwards"] and GOOD in text
    assert "how long is a session" not in text


def test_a_wrong_answer_is_listed_with_what_was_asked_next(three_entry_faq, logged_session):
    """/wrong after "how long is the redness" lists downtime, that question and the next one."""
    text, _ = review_of(three_entry_faq, logged_session)

    answers = text.split("Answers marked /wrong:\n")[1].splitlines()
    assert answers == ['  - downtime: "how long is the redness"; asked next: "how long do the red marks last"']


def test_the_yaml_pasted_under_an_entry_makes_a_valid_faq_that_answers_it(three_entry_faq, logged_session,
                                                                          write_faq):
    """The YAML's alternates lines are indented like the FAQ's: pasted under session-length's
    `alternates:`, the file is valid and the picked question is then answered with that entry."""
    yaml_text, _ = review_of(three_entry_faq, logged_session, form="yaml")
    lines = yaml_text.splitlines()
    start = lines.index("  - id: session-length") + 2
    pasted_lines = []
    for line in lines[start:]:
        if not line.startswith("      - "):
            break
        pasted_lines.append(line)
    head, tail = THREE_ENTRY_FAQ.split("    alternates:\n", 1)
    pasted = write_faq(head + "    alternates:\n" + "\n".join(pasted_lines) + "\n" + tail, name="pasted.yaml")

    reply = Responder(load_faq(pasted)).reply("how long is the whole thing")
    assert (reply.kind, reply.entry_id) == ("answer", "session-length")


def test_the_review_never_writes_the_faq_or_the_logs(three_entry_faq, logged_session):
    """--review in both formats leaves the FAQ file and the logs exactly as they were."""
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (three_entry_faq, logged_session)}

    review_of(three_entry_faq, logged_session)
    review_of(three_entry_faq, logged_session, form="yaml")

    assert before == {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in before}


# -- the checks on a candidate --------------------------------------------------------------------------

def turn(n: int, question: str, kind: str = "answer", id: str | None = None, **fields) -> dict:
    """A format-1 log line (session "0a1b2c3d", reply *n*) with every field, *fields* overriding."""
    line = {"v": 1, "time": "2025-03-01T14:02:09Z", "mode": "repl", "session": "0a1b2c3d", "n": n,
            "question": question, "kind": kind, "id": id, "score": 60.0, "suggestions": [], "margin": None,
            "runner_up": None, "topic": None, "truncated": False, "via": "typed", "picked": None,
            "rephrased": False, "mark": None}
    line.update(fields)
    return line


@pytest.fixture
def write_log(tmp_path: Path):
    """Write log lines (dicts as JSON, bytes and strings as they are) to tmp_path/NAME."""

    def write(*lines: dict | str | bytes, name: str = "log.jsonl") -> Path:
        path = tmp_path / name
        path.write_bytes(b"".join(line if isinstance(line, bytes)
                                  else (line if isinstance(line, str) else json.dumps(line)).encode() + b"\n"
                                  for line in lines))
        return path

    return write


@pytest.fixture
def three(three_entry_faq: Path):
    """The three-entry FAQ and its matcher."""
    responder = Responder(load_faq(three_entry_faq))
    return responder.faq, responder.matcher


def outcome(three, log: Path) -> tuple[dict[tuple[str, str], tuple], dict[tuple[str, str], str]]:
    """The review of *log*: {(entry, text): reasons} proposed, and {(entry, text): why} left out."""
    found = review(*three, [read_log(log)])
    return ({(p.target, p.text): p.reasons for p in found.proposals},
            {(item.target, item.text): item.why for item in found.left})


@pytest.mark.parametrize(("line", "why"), [
    pytest.param(turn(1, "Session duration?", id="aftercare", mark="good"),
                 "already in the FAQ, under session-length", id="another-entrys-phrasing"),
    pytest.param(turn(1, "session durations", id="aftercare", mark="good"),
                 "reads the same as 'session duration' of session-length (--check would warn)",
                 id="reads-as-another-entrys-phrasing"),
    pytest.param(turn(1, "How much does dermaroller cost?", id="aftercare", mark="good"),
                 "reads the same as 'how much does micro needling cost' of not covered: the cost of micro needling "
                 "(--check would warn)",
                 id="reads-as-a-not-covered-phrasing"),
    pytest.param(turn(1, "Is it, though?", id="aftercare", mark="good"),
                 "only common words, so no question could be matched to it", id="only-common-words"),
    pytest.param(turn(1, "what about the sun afterwards", id="sun-care", mark="good"),
                 "no entry has this id in the FAQ any more", id="an-entry-no-longer-there"),
])
def test_a_candidate_the_faq_already_has_or_another_entry_claims_is_left_out(three, write_log, line, why):
    """A question is proposed only if it is new to the file and no other document reads the same."""
    proposals, left = outcome(three, write_log(line))

    assert proposals == {}
    assert list(left.values()) == [why]


def test_a_question_people_picked_for_two_entries_is_proposed_for_neither(three, write_log):
    """When one person picked downtime and another session-length for the same words, neither is proposed."""
    offered = ["downtime", "session-length"]
    log = write_log(turn(1, "how long does it last", "clarify", suggestions=offered, picked=1),
                    turn(1, "How long does it LAST?", "clarify", suggestions=offered, picked=2, session="ffff0000"))

    proposals, left = outcome(three, log)

    assert proposals == {}
    assert left[("downtime", "how long does it last")].startswith("also proposed for session-length")
    assert left[("session-length", "how long does it last")].startswith("also proposed for downtime")


def test_a_question_marked_wrong_for_an_entry_is_not_proposed_for_it(three, write_log):
    """One /good and one /wrong for the same words and entry: not proposed."""
    log = write_log(turn(1, "how long are the sessions", id="session-length", mark="good"),
                    turn(2, "how long are the sessions", id="session-length", mark="wrong"))

    proposals, left = outcome(three, log)

    assert proposals == {}
    assert left == {("session-length", "how long are the sessions"): "also marked /wrong for this entry"}


@pytest.mark.parametrize(("fields", "is_proposed"), [
    pytest.param({"margin": LOW_MARGIN - 0.1}, True, id="close"),
    pytest.param({"margin": LOW_MARGIN}, False, id="clear-lead"),
    pytest.param({"margin": None}, False, id="no-rival"),
    pytest.param({"margin": 2.0, "rephrased": True}, False, id="close-but-asked-again"),
    pytest.param({"margin": 2.0, "via": "picked"}, False, id="picked-not-typed"),
])
def test_only_a_close_answer_nobody_asked_again_is_proposed_for_its_margin(three, write_log, fields, is_proposed):
    """An answer is proposed for its margin when it led by less than LOW_MARGIN and the person moved on."""
    proposals, _ = outcome(three, write_log(turn(1, "how long are the sessions", id="session-length", **fields)))

    assert (("session-length", "how long are the sessions") in proposals) is is_proposed


def test_a_picked_answer_marked_wrong_withdraws_the_pick_and_is_listed_as_asked(three, write_log):
    """Picking session-length from "did you mean", then /wrong: the question is not proposed for it, and
    the wrong answer is listed with what the person had typed, not the entry's own question."""
    log = write_log(turn(1, "how long does it last", "clarify", suggestions=["downtime", "session-length"], picked=2),
                    turn(2, "How long does a micro needling session take?", id="session-length", via="picked",
                         mark="wrong"),
                    turn(3, "how long does the redness last"))

    found = review(*three, [read_log(log)])

    assert found.proposals == ()
    assert [(w.entry_id, w.question, w.next) for w in found.wrong] == [
        ("session-length", "how long does it last", "how long does the redness last")]


def test_a_picked_answer_marked_good_confirms_the_question_it_was_picked_for(three, write_log):
    """Picking an entry from "did you mean" and then /good counts both for the question that was typed."""
    log = write_log(turn(1, "how long does it last", "clarify", suggestions=["downtime", "session-length"], picked=2),
                    turn(2, "How long does a micro needling session take?", id="session-length", via="picked",
                         mark="good"))

    (proposal,) = review(*three, [read_log(log)]).proposals

    assert (proposal.target, proposal.text) == ("session-length", "how long does it last")
    assert dict(proposal.reasons) == {PICKED: 1, GOOD: 1}


def test_a_likely_slip_of_the_finger_is_flagged(three, write_log):
    """A candidate with a word one slip away from an FAQ word says so: the FAQ wants alternates spelt right."""
    found = review(*three, [read_log(write_log(turn(1, "how long is a sesion", id="session-length", mark="good")))])

    (proposal,) = found.proposals
    assert proposal.spelling == ("sesion (session?)",)
    assert "check the spelling: sesion (session?)" in found.yaml()


def test_the_same_log_given_twice_counts_once(three, write_log):
    """Lines are replies: the same session's reply read twice (a log given twice) counts once."""
    log = write_log(turn(1, "how long are the sessions", id="session-length", mark="good"))

    found = review(*three, [read_log(log), read_log(log)])

    assert found.replies == 1 and found.proposals[0].count == 1


def test_declined_groups_come_most_frequent_first(three, write_log):
    """Two groups of declined questions: the one asked more often comes first, and its count is the replies'."""
    log = write_log(*[turn(n, question, "fallback", session=f"{n:08x}") for n, question in enumerate(
        ["is it safe while pregnant", "pregnant and breastfeeding", "can i do it over a tattoo",
         "is it safe while pregnant"], 1)])

    clusters = review(*three, [read_log(log)]).clusters

    assert [(c.label, c.count) for c in clusters] == [("pregnant", 3), ("tattoo", 1)]
    assert clusters[0].questions == (("is it safe while pregnant", 2), ("pregnant and breastfeeding", 1))


def test_the_long_tail_of_questions_asked_once_is_cut_short_in_the_text(three, write_log):
    """Of the declined questions asked once and sharing no word, the text lists the first ten and counts the rest."""
    topics = ["tattoo", "pregnancy", "botox", "insurance", "booking", "filler", "laser", "peel", "eyelid", "beard",
              "nails", "teeth"]
    log = write_log(*[turn(n, f"what about {topic}", "fallback", session=f"{n:08x}")
                      for n, topic in enumerate(topics, 1)])

    text = "\n".join(review(*three, [read_log(log)]).lines())

    assert text.count("    1  words: ") == 10
    assert "  ... and 2 more questions asked once, sharing no word with another" in text


@pytest.mark.parametrize("question", [
    pytest.param("123 sessions of microneedling", id="starts-with-a-number"),
    pytest.param("ça dure combien de temps", id="accents"),
    pytest.param("Null: how long? #1", id="yaml-punctuation"),
])
def test_the_yaml_reads_back_as_exactly_the_proposed_text(three, write_log, question):
    """Whatever the question, the YAML parses and holds the proposal exactly (quoted when plain would misread)."""
    found = review(*three, [read_log(write_log(turn(1, question, id="session-length", mark="good")))])

    assert proposed(found.yaml()) == {"session-length": [p.text for p in found.proposals]}


# -- bad input ----------------------------------------------------------------------------------------

#: A log of 9 lines: good ones on 1 and 5, and one of each kind of bad line (the last cut short).
DAMAGED = [
    turn(1, "how long are the sessions", id="session-length", mark="good"),
    '{"v": 1, "time": "2025-03-01T14:0',
    bytes(range(128, 256)) + b"\x00\x1b[2J\n",
    '{"level": "info", "msg": "server started"}',
    turn(2, "what do i put on afterwards", id="aftercare", mark="good"),
    json.dumps(dict(turn(3, "how long"), v=2, new_field=True)),
    json.dumps(dict(turn(4, "how long"), score="high")),
    "[1, 2, 3]",
    b'{"v": 1, "question": "how lo',
]


def test_every_bad_line_is_counted_with_its_line_number_and_the_rest_is_read(write_log):
    """Each kind of damage is skipped with its line number and a reason; the good lines around them are read."""
    read = read_log(write_log(*DAMAGED))

    assert [t.line for t in read.turns] == [1, 5]
    assert {bad.line: bad.reason for bad in read.bad} == {
        2: "not valid JSON (cut short, or written by another program)",
        3: "not text (binary data)",
        4: "not a line of this program's log (no \"v\" format field)",
        6: "written in log format 2, newer than this program reads (1): update it to review these",
        7: "format 1 line whose field 'score' is not a number from 0 to 100",
        8: "not a line of this program's log (no \"v\" format field)",
        9: "cut short (the last line has no end)",
    }


@pytest.mark.parametrize(("field", "value"), [
    pytest.param("kind", [], id="kind-a-list"),
    pytest.param("score", float("inf"), id="score-infinite"),
    pytest.param("n", 0, id="n-zero"),
    pytest.param("n", True, id="n-a-boolean"),
    pytest.param("suggestions", ["a", 1], id="suggestions-not-texts"),
    pytest.param("mark", "meh", id="mark-unknown"),
    pytest.param("question", None, id="question-null"),
])
def test_a_line_with_a_field_of_the_wrong_shape_is_skipped_naming_the_field(write_log, field, value):
    """A format-1 line whose field holds the wrong kind of value is a bad line that names the field."""
    line = json.dumps(dict(turn(1, "how long"), **{field: value}))

    read = read_log(write_log(line))

    assert read.turns == () and len(read.bad) == 1
    assert read.bad[0].reason.startswith(f"format 1 line whose field {field!r} is not ")


def test_a_damaged_log_is_reviewed_and_each_bad_line_reported_once_on_stderr(three_entry_faq, write_log):
    """--review of a damaged log exits 0, reviews the good lines, and reports every bad line number
    exactly once on stderr, with no traceback; the YAML on stdout stays pure YAML."""
    log = write_log(*DAMAGED)

    text, err = review_of(three_entry_faq, log)
    yaml_text, yaml_err = review_of(three_entry_faq, log, form="yaml")

    assert "7 bad lines skipped" in text and "how long are the sessions" in text
    assert "Traceback" not in err and err == yaml_err
    reported = [line.split(": ")[1] for line in err.splitlines()]
    assert sorted(reported) == ["line 2", "line 3", "line 6", "line 7", "line 9", "lines 4, 8"]
    assert proposed(yaml_text) == {"session-length": ["how long are the sessions"],
                                   "aftercare": ["what do i put on afterwards"]}


def test_many_bad_lines_of_one_kind_are_listed_as_ranges(write_log):
    """Bad lines of one kind are listed once each, runs as ranges: "lines 2-4, 6"."""
    good = turn(1, "how long are the sessions", id="session-length")
    read = read_log(write_log(good, "junk", "junk", "junk", good, "junk"))

    assert read.problems() == [f"{read.path}: lines 2-4, 6: not valid JSON (cut short, or written by another "
                               "program) (skipped)"]


def test_a_log_over_the_limit_is_read_up_to_it_and_says_so(write_log, monkeypatch):
    """Past MAX_LOG_BYTES nothing more is read; the line the limit cuts is not counted bad; it is reported."""
    import assistant.review

    line = json.dumps(turn(1, "how long are the sessions", id="session-length")) + "\n"
    log = write_log(*[json.loads(line) | {"n": n} for n in range(1, 11)])
    monkeypatch.setattr(assistant.review, "MAX_LOG_BYTES", len(line) * 3 + 10)

    read = read_log(log)

    assert [t.n for t in read.turns] == [1, 2, 3] and read.bad == () and read.cut
    assert "only that much was read" in read.problems()[-1]


@pytest.mark.parametrize("kind", [
    pytest.param("fifo", id="a-fifo-without-writer"),
    pytest.param("directory", id="a-directory"),
    pytest.param("device", id="a-device"),
    pytest.param("missing", id="missing"),
])
def test_a_log_that_is_not_a_regular_file_is_an_error_at_once(three_entry_faq, tmp_path, write_log, kind):
    """A FIFO, a directory, a device or a missing file is named in an error (exit 1) without waiting,
    and the other logs given are still reviewed."""
    path = {"fifo": tmp_path / "fifo", "directory": tmp_path, "device": Path("/dev/zero"),
            "missing": tmp_path / "missing.jsonl"}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    good = write_log(turn(1, "how long are the sessions", id="session-length", mark="good"))
    result = {}
    worker = threading.Thread(target=lambda: result.update(
        run=run_main("--faq", str(three_entry_faq), "--review", str(path), str(good))), daemon=True)
    worker.start()
    worker.join(timeout=30)

    assert not worker.is_alive(), "reading the log blocked"
    run = result["run"]
    assert run.code == 1 and str(path) in run.err and "Traceback" not in run.err
    assert "+ how long are the sessions" in run.out


def test_help_documents_review_and_its_formats():
    """--help shows the --review mode among the examples and its two formats."""
    out = run_main("--help").out

    assert "--review LOG [LOG...]" in out and "{text,yaml}" in out


def test_format_goes_with_review_only():
    """--format without --review is a usage error, said plainly."""
    run = run_main("--format", "yaml", "does it hurt")

    assert run.code == 2 and "--format goes with --review" in run.err
