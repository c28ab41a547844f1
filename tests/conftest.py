"""Shared fixtures: the repository, the shipped FAQ, and small FAQ files in tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Faq, Matcher, Responder, load_faq

REPO_ROOT = Path(__file__).resolve().parents[1]
SHIPPED_FAQ = REPO_ROOT / "knowledge" / "faq.yaml"

#: A small valid FAQ. Tests that need a broken file replace one line of it, so
#: the line numbers below are part of the fixture (they are asserted on).
MINIMAL_FAQ = """\
version: 1
synonyms:
  microneedling: [micro needling, dermaroller]
entries:
  - id: session-length
    question: How long does a session take?
    alternates:
      - how long is a session
      - session duration
    answer: Around 20-30 minutes, according to the article.
    source: How to Add Micro Needling to Your Skin Care Routine
    tags: [session]
    related: [aftercare]
  - id: aftercare
    question: What should I do after a session?
    alternates:
      - aftercare tips
    answer: Apply soothing serums and sunscreen of SPF 30 or higher daily.
    source: How to Add Micro Needling to Your Skin Care Routine
"""


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout: chat.py, knowledge/ and tests/ live here."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shipped_faq_path() -> Path:
    """The curated FAQ the program uses by default."""
    return SHIPPED_FAQ


@pytest.fixture(scope="session")
def shipped_faq(shipped_faq_path: Path) -> Faq:
    """The curated FAQ, loaded once for the whole run."""
    return load_faq(shipped_faq_path)


@pytest.fixture(scope="session")
def shipped_matcher(shipped_faq: Faq) -> Matcher:
    """A matcher over the curated FAQ, built once."""
    return Matcher(shipped_faq)


@pytest.fixture(scope="session")
def shipped_responder(shipped_faq: Faq, shipped_matcher: Matcher) -> Responder:
    """A non-interactive responder over the curated FAQ, built once."""
    return Responder(shipped_faq, matcher=shipped_matcher)


@pytest.fixture
def minimal_faq_text() -> str:
    """The text of :data:`MINIMAL_FAQ`, a valid two-entry FAQ."""
    return MINIMAL_FAQ


#: A small FAQ whose replies are known (the reply log and --review tests rely on them):
#: "how long is the whole thing" is a "did you mean" of session-length and downtime, "how long"
#: answers session-length by a few points only, "aftercare tips" is a phrasing, "how long is the
#: redness" answers downtime, and tattoos are not in it.
THREE_ENTRY_FAQ = """\
version: 1
synonyms:
  microneedling: [micro needling, micro-needling, dermaroller]
entries:
  - id: session-length
    question: How long does a micro needling session take?
    alternates:
      - how long is a session
      - session duration
      - how many minutes is a treatment
    answer: Around 20-30 minutes, according to the article.
    source: How to Add Micro Needling to Your Skin Care Routine
    tags: [session length]
    related: [aftercare]
  - id: aftercare
    question: What should I do after a micro needling session?
    alternates:
      - aftercare tips
      - what to put on my skin after treatment
      - how do i look after my skin afterwards
    answer: Apply soothing serums and sunscreen of SPF 30 or higher daily.
    source: How to Add Micro Needling to Your Skin Care Routine
    tags: [aftercare]
  - id: downtime
    question: How long does the redness last after micro needling?
    alternates:
      - how long is the downtime
      - when does the redness go away
    answer: Redness usually fades within a few days, according to the article.
    source: How to Add Micro Needling to Your Skin Care Routine
    tags: [downtime]
not_covered:
  - topic: the cost of micro needling
    phrasings: [how much does micro needling cost, price of a session]
"""


@pytest.fixture
def three_entry_faq(tmp_path: Path) -> Path:
    """:data:`THREE_ENTRY_FAQ` written to tmp_path/three.yaml."""
    path = tmp_path / "three.yaml"
    path.write_text(THREE_ENTRY_FAQ, encoding="utf-8")
    return path


@pytest.fixture
def write_faq(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML (dedented) or raw bytes to a file in tmp_path and return its path."""

    def write(content: str | bytes, name: str = "faq.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return write


#: :data:`MINIMAL_FAQ` with five independent problems, on lines 1, 2, 6, 11 and 18.
BROKEN_FAQ = (
    MINIMAL_FAQ.replace("version: 1\n", "version: 2\nextra: true\n")  # wrong version, unknown top-level key
    .replace("    answer: Around", "    anwser: Around")  # unknown key, hence also a missing field
    .replace("      - aftercare tips\n", "      - 42\n")  # an alternate that is a number
)


@pytest.fixture
def broken_faq(write_faq: Callable[..., Path]) -> Path:
    """An FAQ file with the five problems of :data:`BROKEN_FAQ`."""
    return write_faq(BROKEN_FAQ, name="broken.yaml")


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the index cache of in-process CLI runs out of the real home directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(autouse=True)
def _no_reply_log_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test appends to the developer's own reply log ($MICRONEEDLING_FAQ_LOG)."""
    monkeypatch.delenv("MICRONEEDLING_FAQ_LOG", raising=False)
