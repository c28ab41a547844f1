"""The FAQ file: what loads, and how every kind of broken file is reported.

Every rejection is a :class:`FaqError` whose message names the file, the line
and the entry concerned, and whose ``problems`` list every problem at once.
Fixture line numbers refer to ``MINIMAL_FAQ`` in conftest.py.
"""

from __future__ import annotations

import os
import re
import time

import pytest

import assistant.faq as faq_module
from assistant import Entry, Faq, FaqError, Problem, load_faq, parse_faq


def edit(text: str, old: str, new: str) -> str:
    """Replace the first *old* in *text*, insisting it is there (so a stale table fails loudly)."""
    assert old in text, f"fixture text has no {old!r}"
    return text.replace(old, new, 1)


def the_problem(error: FaqError, pattern: str) -> Problem:
    """The one problem of *error* whose message matches *pattern*."""
    found = [p for p in error.problems if re.search(pattern, p.message)]
    assert len(found) == 1, f"expected one problem matching {pattern!r}, got: {error}"
    return found[0]


# -- a valid file ---------------------------------------------------------------


def test_minimal_file_loads_into_records_named_like_the_yaml(write_faq, minimal_faq_text):
    """A valid file becomes a Faq of frozen Entry records whose fields carry the YAML key names."""
    path = write_faq(minimal_faq_text)

    faq = load_faq(path)

    assert isinstance(faq, Faq)
    assert faq.version == 1 and faq.path == str(path) and len(faq) == 2
    first = faq.entries[0]
    assert first == Entry(
        id="session-length",
        question="How long does a session take?",
        alternates=("how long is a session", "session duration"),
        answer="Around 20-30 minutes, according to the article.",
        source="How to Add Micro Needling to Your Skin Care Routine",
        tags=("session",),
        related=("aftercare",),
        line=5,
    )
    assert first.phrasings == ("How long does a session take?", "how long is a session", "session duration")
    assert dict(faq.synonyms) == {"microneedling": ("micro needling", "dermaroller")}
    assert faq.get("aftercare").tags == () and faq.get("nope") is None
    assert [e.id for e in faq] == ["session-length", "aftercare"]
    yaml_keys = {"id", "question", "alternates", "answer", "source", "tags", "related"}
    assert yaml_keys <= set(Entry.__slots__)


def test_records_are_frozen(write_faq, minimal_faq_text):
    """Entries cannot be changed after loading: the matcher relies on them staying put."""
    entry = load_faq(write_faq(minimal_faq_text)).entries[0]

    with pytest.raises(AttributeError, match="frozen"):
        entry.answer = "something else"  # type: ignore[misc]


def test_terminal_escapes_in_the_file_are_removed(minimal_faq_text):
    """Text values are cleaned: an ANSI escape or bidi override in an answer never reaches the screen."""
    text = edit(minimal_faq_text, "answer: Around 20-30 minutes, according to the article.",
                'answer: "Around \\e[31m20-30\\e[0m minutes,\\u202e according to the article."')

    faq = parse_faq(text)

    assert faq.entries[0].answer == "Around 20-30 minutes, according to the article."


def test_parse_faq_names_a_string_source():
    """Text parsed without a path is reported as '<string>'."""
    with pytest.raises(FaqError, match=r"<string>:1: 'version' must be the number 1, not 2"):
        parse_faq("version: 2\nentries: [x]\n")


# -- files that cannot be read --------------------------------------------------


def test_missing_file(tmp_path):
    """A path that does not exist names the path and says so, with no command-line advice (the
    library has no command line: the CLI adds its own hint)."""
    path = tmp_path / "nope.yaml"

    with pytest.raises(FaqError, match=r"nope\.yaml: no such file") as caught:
        load_faq(path)

    assert caught.value.problems == (Problem(str(path), None, caught.value.problems[0].message),)
    assert "--faq" not in str(caught.value) and "chat.py" not in str(caught.value)


def test_directory(tmp_path):
    """A directory is refused as such, not with an IsADirectoryError traceback."""
    with pytest.raises(FaqError, match=r"is a directory, not an FAQ file"):
        load_faq(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read a chmod 000 file, so there is nothing to refuse")
def test_unreadable_file(write_faq, minimal_faq_text):
    """A file without read permission gives 'cannot read', not a PermissionError."""
    path = write_faq(minimal_faq_text)
    path.chmod(0)
    try:
        with pytest.raises(FaqError, match=rf"{path.name}: cannot read the file"):
            load_faq(path)
    finally:
        path.chmod(0o600)


def test_non_utf8_bytes_name_their_line(write_faq, minimal_faq_text):
    """Bytes that are not UTF-8 are reported with the line they are on."""
    data = minimal_faq_text.encode().replace(b"aftercare tips", b"after\xe9care tips")
    path = write_faq(data)

    with pytest.raises(FaqError, match=rf"{path.name}:17: the file is not valid UTF-8.*save it as UTF-8"):
        load_faq(path)


def test_file_larger_than_the_limit_is_refused_before_reading(monkeypatch, write_faq, minimal_faq_text):
    """A file over MAX_FAQ_BYTES is refused with its size and the limit (the constant is shrunk here)."""
    monkeypatch.setattr(faq_module, "MAX_FAQ_BYTES", 100)
    path = write_faq(minimal_faq_text)

    with pytest.raises(FaqError, match=r"the file is [\d,]+ bytes; the limit is 100 bytes"):
        load_faq(path)


def test_text_longer_than_the_limit_is_refused(monkeypatch, minimal_faq_text):
    """parse_faq applies the same limit to text given directly."""
    monkeypatch.setattr(faq_module, "MAX_FAQ_BYTES", 100)

    with pytest.raises(FaqError, match=r"longer than 100 characters"):
        parse_faq(minimal_faq_text)


# -- the shape of the whole file ------------------------------------------------


@pytest.mark.parametrize(("text", "pattern", "line"), [
    pytest.param("", r"the file has no content", None, id="empty"),
    pytest.param("# only a comment\n", r"the file has no content", None, id="only-comments"),
    pytest.param("version: 1\nentries: [\n", r"YAML syntax error: .*did not find expected node content", 3,
                 id="yaml-syntax-unclosed-bracket"),
    pytest.param("version: 1\nentries:\n  - id: a\n   question: b\n", r"YAML syntax error", 4,
                 id="yaml-syntax-bad-indentation"),
    pytest.param("- version\n- entries\n", r"top level must be a mapping .*not a list", 1, id="top-level-list"),
    pytest.param("just some text\n", r"top level must be a mapping .*not text", 1, id="top-level-text"),
    pytest.param("entries:\n  - id: a\n", r"missing 'version' at the top level \(add 'version: 1'\)", 1,
                 id="missing-version"),
    pytest.param("version: 1\n", r"missing 'entries' at the top level", 1, id="missing-entries"),
    pytest.param("version: 2\nentries: [x]\n", r"'version' must be the number 1, not 2", 1, id="wrong-version"),
    pytest.param("version: 1\nentries: {a: 1}\n", r"'entries' must be a list .*not a mapping", 2,
                 id="entries-a-mapping"),
    pytest.param("version: 1\nentries: some text\n", r"'entries' must be a list .*not text", 2,
                 id="entries-text"),
    pytest.param("version: 1\nentries: []\n", r"'entries' is empty", 2, id="entries-empty"),
    pytest.param("version: 1\nentries:\n  - just a question\n", r"each entry must be a mapping .*not text", 3,
                 id="entry-not-a-mapping"),
    pytest.param("version: 1\nentrys: []\n", r"unknown key 'entrys' at the top level \(did you mean 'entries'\?\)",
                 2, id="misspelt-top-level-key"),
    pytest.param("version: 1\nentries: !foo [x]\n", r"tag '!foo' is not allowed", 2, id="custom-tag"),
])
def test_file_shape_problems(write_faq, text, pattern, line):
    """Each way the file as a whole can be wrong is refused with the file and the line."""
    path = write_faq(text)

    with pytest.raises(FaqError, match=pattern) as caught:
        load_faq(path)

    problem = the_problem(caught.value, pattern)
    assert (problem.path, problem.line) == (str(path), line)
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in str(caught.value)


@pytest.fixture(params=[pytest.param("CSafeLoader", id="libyaml"), pytest.param("SafeLoader", id="pure-python")])
def yaml_loader(request, monkeypatch):
    """Each YAML loader the schema may run on (libyaml when PyYAML was built with it, else the pure one)."""
    yaml = pytest.importorskip("yaml")
    import assistant.schema as schema

    loader = getattr(yaml, request.param, None)
    if loader is None:
        pytest.skip(f"this PyYAML has no {request.param}")
    monkeypatch.setattr(schema, "_Loader", loader)


@pytest.mark.parametrize(("old", "new", "noticed", "began"), [
    pytest.param("tags: [session]", "tags: [session", 13, "the list opened with '[' at line 12 is never closed",
                 id="unclosed-list"),
    pytest.param("tags: [session]", "tags: {session: 1", 13, "the mapping opened with '{' at line 12 is never closed",
                 id="unclosed-mapping"),
    pytest.param("answer: Around", 'answer: "Around', 20, "the quoted text that starts at line 10 is never closed",
                 id="unclosed-quote"),
    pytest.param("    answer: Around", "     answer: Around", 10,
                 "the keys of the mapping that starts at line 5 do not line up", id="key-out-of-line"),
    pytest.param("    answer: Around", "   answer: Around", 10,
                 "the items of the list that starts at line 5 do not line up", id="item-out-of-line"),
])
def test_a_yaml_syntax_error_names_where_it_was_noticed_and_where_it_began(
        write_faq, minimal_faq_text, yaml_loader, old, new, noticed, began):
    """The problem's line is where PyYAML noticed it; the message adds the line where the construct began."""
    assert old in minimal_faq_text
    path = write_faq(minimal_faq_text.replace(old, new, 1))

    with pytest.raises(FaqError, match="YAML syntax error") as caught:
        load_faq(path)

    problem = the_problem(caught.value, "YAML syntax error")
    assert problem.line == noticed
    assert began in problem.message, problem.message


def test_a_yaml_syntax_error_on_one_line_names_one_line(write_faq, minimal_faq_text, yaml_loader):
    """When the problem is noticed where it began, the message does not point anywhere else."""
    path = write_faq(minimal_faq_text.replace("    question: How long", "    question: How: long", 1))

    with pytest.raises(FaqError) as caught:
        load_faq(path)

    problem = the_problem(caught.value, "YAML syntax error")
    assert problem.line == 6 and "line" not in problem.message, problem.message


def test_version_given_as_text_says_so():
    """A quoted version is refused with a message that shows it is text, not the number 1."""
    with pytest.raises(FaqError) as caught:
        parse_faq("version: '1'\nentries: [x]\n")

    message = the_problem(caught.value, r"'version'").message
    assert "'1'" in message or "text" in message, message


# -- the source text and each entry's evidence ------------------------------------------

#: A small source text: the curly apostrophe is the article's.
SOURCE_TEXT = ("The treatment usually takes around 20-30 minutes.\n"
               "It\u2019s essential to protect your skin from the sun after micro needling. "
               "Apply sunscreen with SPF 30 or higher daily.\n")

#: A valid FAQ that names SOURCE_TEXT (as article.txt beside it); line numbers are asserted on.
SOURCED_FAQ = """\
version: 1
source_text: article.txt
entries:
  - id: session-length
    question: How long does a session take?
    alternates: [how long is a session]
    answer: Around 20-30 minutes, according to the article.
    source: How to Add Micro Needling to Your Skin Care Routine
    evidence:
      - The treatment usually takes around
        20-30 minutes.
  - id: sun
    question: Do I need sunscreen afterwards?
    alternates: [sunscreen after a session]
    answer: The article says to apply sunscreen with SPF 30 or higher daily.
    source: How to Add Micro Needling to Your Skin Care Routine
    evidence:
      - "It\u2019s essential to protect your skin from the sun after micro needling."
      - Apply sunscreen with SPF 30 or higher daily.
"""


@pytest.fixture
def sourced(write_faq):
    """Write FAQ text beside article.txt (SOURCE_TEXT) and return the FAQ's path."""

    def write(text: str = SOURCED_FAQ, source: str | bytes = SOURCE_TEXT):
        write_faq(source, name="article.txt")
        return write_faq(text)

    return write


def test_evidence_is_checked_against_the_source_text(sourced, tmp_path, monkeypatch):
    """Quotes found in the named source text (white space aside) load, wherever the program runs from."""
    path = sourced()
    monkeypatch.chdir(tmp_path.parent)

    faq = load_faq(path)

    assert [e.id for e in faq] == ["session-length", "sun"]


def test_evidence_is_optional_without_a_source_text(minimal_faq_text):
    """Without 'source_text', 'evidence' may be left out, and given quotes are not compared with anything."""
    text = edit(minimal_faq_text, "    tags: [session]\n", "    evidence: [anything at all]\n    tags: [session]\n")

    assert len(parse_faq(text, path="faq.yaml")) == 2


SOURCE_PROBLEMS = [
    pytest.param("      - Apply sunscreen with SPF 30 or higher daily.", "      - Apply sunscreen with SPF 50 or higher daily.",
                 r"evidence 'Apply sunscreen with SPF 50 or higher daily\.' is not in the source text 'article\.txt': "
                 r"the nearest sentence there is 'Apply sunscreen with SPF 30 or higher daily\.'", 19, "sun",
                 id="quote-not-in-the-source"),
    pytest.param("It\u2019s essential", "It's essential",
                 r"differs only in apostrophes or quotation marks; copy them as the source text has them", 18, "sun",
                 id="straight-apostrophe"),
    pytest.param("      - Apply sunscreen", "      - apply sunscreen",
                 r"differs only in capital letters", 19, "sun", id="capital-letters"),
    pytest.param("    evidence:\n      - \"It\u2019s essential to protect your skin from the sun after micro needling.\"\n"
                 "      - Apply sunscreen with SPF 30 or higher daily.\n", "",
                 r"missing 'evidence': the FAQ names a source text \('article\.txt'\), so list the sentence", 12, "sun",
                 id="missing-evidence"),
    pytest.param("    evidence:\n      - \"It\u2019s essential to protect your skin from the sun after micro needling.\"\n"
                 "      - Apply sunscreen with SPF 30 or higher daily.\n",
                 "    evidence: Apply sunscreen with SPF 30 or higher daily.\n",
                 r"'evidence' must be a list of text", 17, "sun", id="evidence-not-a-list"),
    pytest.param("    evidence:\n      - \"It\u2019s essential to protect your skin from the sun after micro needling.\"\n"
                 "      - Apply sunscreen with SPF 30 or higher daily.\n", "    evidence: []\n",
                 r"'evidence' is empty", 17, "sun", id="evidence-empty"),
    pytest.param("      - Apply sunscreen with SPF 30 or higher daily.", "      - [Apply sunscreen]",
                 r"'evidence item' must be text, not a list", 19, "sun", id="evidence-item-a-list"),
    pytest.param("    evidence:\n      - The treatment", "    evidense:\n      - The treatment",
                 r"unknown key 'evidense' \(did you mean 'evidence'\?\)", 9, "session-length", id="misspelt-evidence"),
    pytest.param("source_text: article.txt", "source_text: missing.txt",
                 r"source text 'missing\.txt' not found \(looked for .*missing\.txt\): keep the copy of the article "
                 r"there, or correct 'source_text'", 2, None, id="source-text-missing"),
    pytest.param("source_text: article.txt", "source_text: /etc/hostname",
                 r"'source_text' must be a path relative to the FAQ file's folder, not the absolute path", 2, None,
                 id="source-text-absolute"),
    pytest.param("source_text: article.txt", "source_text: .",
                 r"source text '\.' is not a plain file", 2, None, id="source-text-a-directory"),
    pytest.param("source_text: article.txt", "source_text: 42",
                 r"'source_text' must be text, not a number", 2, None, id="source-text-a-number"),
    pytest.param("source_text: article.txt", "source_txt: article.txt",
                 r"unknown key 'source_txt' at the top level \(did you mean 'source_text'\?\)", 2, None,
                 id="misspelt-source-text"),
]


@pytest.mark.parametrize(("old", "new", "pattern", "line", "entry"), SOURCE_PROBLEMS)
def test_source_text_problems_name_file_line_and_entry(sourced, old, new, pattern, line, entry):
    """Each way the source text or an entry's evidence can be wrong is reported with the file, the line,
    the entry and what to do."""
    path = sourced(edit(SOURCED_FAQ, old, new))

    with pytest.raises(FaqError, match=pattern) as caught:
        load_faq(path)

    problem = the_problem(caught.value, pattern)
    assert (problem.path, problem.line, problem.entry) == (str(path), line, entry)


@pytest.mark.parametrize(("source", "pattern"), [
    pytest.param(b"caf\xe9 cr\xe8me\n", r"source text 'article\.txt' is not valid UTF-8 \(byte 3\); save it as UTF-8",
                 id="not-utf-8"),
    pytest.param(b" \n\n", r"source text 'article\.txt' is empty", id="empty"),
])
def test_an_unusable_source_text_is_one_problem(sourced, source, pattern):
    """A source text that cannot be read as text is one problem on the 'source_text' line; its quotes are
    not reported one by one."""
    with pytest.raises(FaqError, match=pattern) as caught:
        load_faq(sourced(source=source))

    assert len(caught.value.problems) == 1 and caught.value.problems[0].line == 2


def test_a_source_text_over_the_limit_is_refused_before_reading(sourced, monkeypatch):
    """A source text larger than MAX_SOURCE_BYTES is one problem, found from its size alone."""
    import assistant.schema as schema

    monkeypatch.setattr(schema, "MAX_SOURCE_BYTES", 10)

    with pytest.raises(FaqError, match=r"source text 'article\.txt' is larger than 10 bytes") as caught:
        load_faq(sourced())

    assert len(caught.value.problems) == 1


def test_a_fifo_named_as_source_text_does_not_block(sourced, tmp_path):
    """Only a plain file is read: a named pipe (which would block a reader) is refused at once."""
    path = sourced(edit(SOURCED_FAQ, "source_text: article.txt", "source_text: pipe"))
    os.mkfifo(tmp_path / "pipe")

    with pytest.raises(FaqError, match=r"source text 'pipe' is not a plain file"):
        load_faq(path)


# -- problems inside an entry ---------------------------------------------------

ENTRY_PROBLEMS = [
    pytest.param("    source: How to Add Micro Needling to Your Skin Care Routine\n", "",
                 r"missing required field 'source'", 5, "session-length", id="missing-field"),
    pytest.param("question: How long does a session take?", "question: '   '",
                 r"'question' is empty", 6, "session-length", id="empty-field"),
    pytest.param("question: How long does a session take?", "question:",
                 r"'question' must be text, not empty", 6, "session-length", id="null-field"),
    pytest.param("question: How long does a session take?", "question: 42",
                 r"'question' must be text, not a number \(to mean the text, put it in quotes: '42'\)", 6,
                 "session-length", id="number-for-question"),
    pytest.param("    alternates:\n      - how long is a session\n      - session duration\n",
                 "    alternates: {how long: is a session}\n",
                 r"'alternates' must be a list of text .*not a mapping", 7, "session-length",
                 id="mapping-for-alternates"),
    pytest.param("    alternates:\n      - how long is a session\n      - session duration\n",
                 "    alternates: how long is a session\n",
                 r"'alternates' must be a list of text .*not text", 7, "session-length", id="string-for-alternates"),
    pytest.param("    alternates:\n      - how long is a session\n      - session duration\n",
                 "    alternates: []\n",
                 r"'alternates' is empty: give at least one", 7, "session-length", id="empty-alternates"),
    pytest.param("      - aftercare tips", "      - [nested, list]",
                 r"'alternates item' must be text, not a list", 17, "aftercare", id="list-as-an-alternate"),
    pytest.param("id: aftercare", "id: After_Care",
                 r"id 'After_Care' must be lower-case kebab-case, like 'after-care'", 14, "After_Care",
                 id="id-not-kebab-case"),
    pytest.param("id: aftercare", "id: session-length",
                 r"duplicate id 'session-length' \(first used at line 5\)", 14, "session-length", id="duplicate-id"),
    pytest.param("    answer: Around", "    anwser: Around",
                 r"unknown key 'anwser' \(did you mean 'answer'\?\)", 10, "session-length", id="misspelt-key"),
    pytest.param("related: [aftercare]", "related: [after-care]",
                 r"'related' names unknown id 'after-care' \(did you mean 'aftercare'\?\)", 13, "session-length",
                 id="related-unknown-id"),
    pytest.param("related: [aftercare]", "related: [session-length]",
                 r"'related' lists the entry itself", 13, "session-length", id="related-itself"),
    pytest.param("      - aftercare tips", "      - How long is a SESSION?!",
                 r"phrasing 'How long is a SESSION\?!' is claimed twice: by 'session-length' \(line 8\)",
                 17, "aftercare", id="phrasing-in-two-entries"),
    pytest.param("      - session duration", "      - how long is a session...",
                 r"phrasing 'how long is a session\.\.\.' is listed twice .*\(also at line 8\)", 9, "session-length",
                 id="phrasing-twice-in-one-entry"),
    pytest.param("      - session duration", "      - How long does a session take",
                 r"phrasing 'How long does a session take' is listed twice .*\(also at line 6\)", 9, "session-length",
                 id="alternate-repeats-the-question"),
    pytest.param("      - aftercare tips", "      - '?!'",
                 r"phrasing '\?!' has no letters or digits", 17, "aftercare", id="phrasing-without-words"),
    pytest.param("    answer: Apply", "    42: x\n    answer: Apply",
                 r"keys must be words, not a number", 18, "aftercare", id="number-as-key"),
    pytest.param("    answer: Apply soothing serums and sunscreen of SPF 30 or higher daily.\n",
                 "    answer: !!python/object/apply:os.system ['true']\n",
                 r"tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed", 18, "aftercare",
                 id="python-tag-in-an-entry"),
]


@pytest.mark.parametrize(("old", "new", "pattern", "line", "entry"), ENTRY_PROBLEMS)
def test_entry_problems_name_file_line_and_entry(write_faq, minimal_faq_text, old, new, pattern, line, entry):
    """Each way an entry can be wrong is reported with the file, the line and the entry's id."""
    path = write_faq(edit(minimal_faq_text, old, new))

    with pytest.raises(FaqError, match=pattern) as caught:
        load_faq(path)

    problem = the_problem(caught.value, pattern)
    assert (problem.path, problem.line, problem.entry) == (str(path), line, entry)
    about = f" entry '{entry}':" if entry else ""
    assert f"{path}:{line}:{about} " in str(caught.value)


def test_entry_without_a_usable_id_is_named_by_its_line(minimal_faq_text):
    """An entry whose id is missing is still named, by the line it starts on."""
    text = edit(minimal_faq_text, "  - id: aftercare\n    question:", "  - question:")

    with pytest.raises(FaqError, match=r"missing required field 'id'") as caught:
        parse_faq(text, path="faq.yaml")

    assert the_problem(caught.value, r"missing required field 'id'").entry == "(entry at line 14)"


def test_synonym_variant_claimed_by_two_canonical_forms(minimal_faq_text):
    """A variant listed under two synonym keys (after folding) is refused with both keys named."""
    text = edit(minimal_faq_text, "  microneedling: [micro needling, dermaroller]\n",
                "  microneedling: [micro needling, dermaroller]\n  roller: [DermaRoller]\n")

    with pytest.raises(FaqError, match=r"variant 'DermaRoller' is claimed by both 'microneedling' and 'roller'") \
            as caught:
        parse_faq(text, path="faq.yaml")

    assert caught.value.problems[0].line == 4


def test_synonym_variant_equal_to_its_key(minimal_faq_text):
    """A variant that is its own key (after folding) is refused as pointless."""
    text = edit(minimal_faq_text, "[micro needling, dermaroller]", "[micro needling, dermaroller, MicroNeedling]")

    with pytest.raises(FaqError, match=r"variant 'MicroNeedling' is the same as its key 'microneedling'"):
        parse_faq(text, path="faq.yaml")


def test_every_problem_is_listed_at_once(broken_faq):
    """Several problems in one file are all reported together, each with its own line."""
    with pytest.raises(FaqError, match=r"^5 problems in the FAQ file:") as caught:
        load_faq(broken_faq)

    problems = caught.value.problems
    assert len(problems) == 5
    assert sorted(p.line for p in problems) == [1, 2, 6, 11, 18]
    for problem in problems:
        assert f"  {problem}" in str(caught.value)


def test_related_is_checked_even_when_the_entry_has_another_problem(minimal_faq_text):
    """A wrong question and a bad related id in the same entry are both reported in one run."""
    text = edit(edit(minimal_faq_text, "question: How long does a session take?", "question: 42"),
                "related: [aftercare]", "related: [after-care]")

    with pytest.raises(FaqError) as caught:
        parse_faq(text, path="faq.yaml")

    assert [p.line for p in caught.value.problems] == [6, 13], str(caught.value)


def test_a_problem_after_dropped_items_names_its_own_line():
    """Bad list items are reported and left out; a problem after them still names its own line
    (phrasings, related ids and synonym variants alike), not the line of the item in its place."""
    text = """version: 1
synonyms:
  microneedling:
    - 42
    - microneedling
entries:
  - id: first
    question: How long does a session take?
    answer: A while.
    source: Procedure
    related:
      - [nested]
      - first
    alternates:
      - [nested]
      - 42
      - session duration
      - session duration
  - id: second
    question: What does a session feel like?
    answer: It varies.
    source: Procedure
    alternates:
      - ""
      - how long does a session take
"""
    with pytest.raises(FaqError) as caught:
        parse_faq(text, path="faq.yaml")

    found = {p.line: p.message for p in caught.value.problems}
    assert "is the same as its key" in found[5], str(caught.value)
    assert "'related' lists the entry itself" in found[13], str(caught.value)
    assert "listed twice here (also at line 17)" in found[18], str(caught.value)
    assert "claimed twice: by 'first' (line 8)" in found[25], str(caught.value)


def test_copied_entry_reports_phrasings_shared_with_the_original(minimal_faq_text):
    """An entry pasted twice is reported as a duplicate id and as phrasings shared by two entries."""
    start, end = minimal_faq_text.index("  - id: session-length"), minimal_faq_text.index("  - id: aftercare")
    text = minimal_faq_text + minimal_faq_text[start:end]

    with pytest.raises(FaqError, match=r"duplicate id 'session-length'") as caught:
        parse_faq(text, path="faq.yaml")

    assert "listed twice" not in str(caught.value), str(caught.value)


# -- hostile files --------------------------------------------------------------


def test_python_tag_is_refused_without_running_code(write_faq, tmp_path):
    """`!!python/object/apply:os.system` is an error, and the command it names never runs."""
    marker = tmp_path / "pwned"
    path = write_faq(f"version: 1\nentries: !!python/object/apply:os.system ['touch {marker}']\n")

    with pytest.raises(FaqError, match=r"faq\.yaml:2: tag .*python/object/apply:os\.system.* is not allowed"):
        load_faq(path)

    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(write_faq):
    """A 'billion laughs' file (9 levels of 9 aliases) is refused within a loose safety bound."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    path = write_faq("\n".join(lines) + "\n")

    started = time.monotonic()
    with pytest.raises(FaqError, match=r"expands to too many values"):
        load_faq(path)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("text", [
    pytest.param("[" * 10_000, id="10000-open-brackets"),
    pytest.param("[" * 10_000 + "]" * 10_000, id="10000-nested-lists"),
    pytest.param("version: 1\nentries: " + "[" * 40 + "]" * 40 + "\n", id="40-levels"),
])
def test_deep_nesting_is_an_faq_error_not_a_recursion_error(write_faq, text):
    """Absurdly nested YAML is refused as an FaqError (never RecursionError)."""
    path = write_faq(text)

    with pytest.raises(FaqError, match=r"nest"):
        load_faq(path)
