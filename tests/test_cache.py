"""The on-disk index cache: never stale, never trusted blindly, never a reason to fail."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from assistant import FaqError, Matcher
from assistant.cache import load_matcher


@pytest.fixture
def faq_copy(tmp_path: Path, shipped_faq_path: Path) -> Path:
    """A copy of the shipped FAQ that tests may edit."""
    target = tmp_path / "faq.yaml"
    shutil.copyfile(shipped_faq_path, target)
    return target


def test_second_load_comes_from_the_cache(faq_copy: Path, tmp_path: Path) -> None:
    """The first load writes one cache file; the second gives the same answers."""
    folder = tmp_path / "cache"
    first = load_matcher(faq_copy, cache_dir=folder)
    files = list(folder.iterdir())
    assert len(files) == 1 and (files[0].stat().st_mode & 0o077) == 0
    second = load_matcher(faq_copy, cache_dir=folder)
    assert isinstance(second, Matcher)
    assert second.best("does it hurt").entry.id == first.best("does it hurt").entry.id


def test_an_edited_file_is_never_served_stale(faq_copy: Path, tmp_path: Path) -> None:
    """Changing the FAQ's content changes what is loaded, and the old cache file goes."""
    folder = tmp_path / "cache"
    load_matcher(faq_copy, cache_dir=folder)
    text = faq_copy.read_text().replace("How long does a micro needling session take?",
                                        "How many minutes is a needling appointment?")
    faq_copy.write_text(text)
    fresh = load_matcher(faq_copy, cache_dir=folder)
    assert fresh.faq.get("session-length").question == "How many minutes is a needling appointment?"
    assert len(list(folder.iterdir())) == 1


def test_a_broken_file_still_raises(faq_copy: Path, tmp_path: Path) -> None:
    """A bad FAQ raises FaqError through the cache exactly as through load_faq."""
    folder = tmp_path / "cache"
    load_matcher(faq_copy, cache_dir=folder)
    faq_copy.write_text("version: 1\nentries: [\n")
    with pytest.raises(FaqError, match="YAML syntax error"):
        load_matcher(faq_copy, cache_dir=folder)


def test_unwritable_cache_does_not_fail(faq_copy: Path, tmp_path: Path) -> None:
    """A cache folder that cannot be created just means no cache."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert load_matcher(faq_copy, cache_dir=blocker / "cache").best("does it hurt") is not None


def test_a_planted_pickle_runs_no_code(faq_copy: Path, tmp_path: Path) -> None:
    """Only this package's records are unpickled: a malicious cache file is ignored and replaced."""
    folder = tmp_path / "cache"
    load_matcher(faq_copy, cache_dir=folder)
    cached = next(folder.iterdir())
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    cached.write_bytes(pickle.dumps(Evil()))
    matcher = load_matcher(faq_copy, cache_dir=folder)
    assert not marker.exists()
    assert matcher.best("does it hurt") is not None


def test_a_truncated_cache_is_rebuilt(faq_copy: Path, tmp_path: Path) -> None:
    """A half-written cache file is ignored."""
    folder = tmp_path / "cache"
    load_matcher(faq_copy, cache_dir=folder)
    cached = next(folder.iterdir())
    cached.write_bytes(cached.read_bytes()[:100])
    assert load_matcher(faq_copy, cache_dir=folder).best("does it hurt") is not None
