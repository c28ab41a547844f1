"""The on-disk index cache: a hit is a hit, never stale, never trusted blindly, never a reason to fail."""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from assistant import FaqError, Matcher, cache
from assistant.cache import MAGIC, load_matcher, load_matcher_explained


@pytest.fixture
def faq_copy(tmp_path: Path, shipped_faq_path: Path) -> Path:
    """A copy of the shipped FAQ that tests may edit, with the source text it names beside it."""
    target = tmp_path / "faq.yaml"
    shutil.copyfile(shipped_faq_path, target)
    shutil.copyfile(shipped_faq_path.with_name("microneedling-article.txt"), tmp_path / "microneedling-article.txt")
    return target


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the tests keep their cache."""
    return tmp_path / "cache"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".tmp-"))


def test_a_second_start_is_a_cache_hit(faq_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first load builds and writes one private file; the second loads it without building or parsing."""
    first, how = load_matcher_explained(faq_copy, cache_dir=folder)
    assert how.startswith("built")
    [stored] = _files(folder)
    assert stored.stat().st_mode & 0o077 == 0

    def no_building(*args, **kwargs):
        raise AssertionError("a cache hit must not build a matcher")

    monkeypatch.setattr(Matcher, "__init__", no_building)
    second, how = load_matcher_explained(faq_copy, cache_dir=folder)
    assert how == "from the cache"
    assert second.rank("does it hurt", limit=6) == first.rank("does it hurt", limit=6)


def test_an_edited_file_is_never_served_stale(faq_copy: Path, folder: Path) -> None:
    """Changing the FAQ's content changes what is loaded, and the file's old index is replaced."""
    load_matcher(faq_copy, cache_dir=folder)
    text = faq_copy.read_text().replace("How long does a micro needling session take?",
                                        "How many minutes is a needling appointment?")
    faq_copy.write_text(text)
    fresh, how = load_matcher_explained(faq_copy, cache_dir=folder)
    assert "changed" in how
    assert fresh.faq.get("session-length").question == "How many minutes is a needling appointment?"
    assert len(_files(folder)) == 1


def test_an_edited_source_text_is_never_served_stale(faq_copy: Path, folder: Path) -> None:
    """The source text the FAQ names is part of what the cache stands for."""
    load_matcher(faq_copy, cache_dir=folder)
    article = faq_copy.with_name("microneedling-article.txt")
    article.write_text(article.read_text() + "\n")
    assert "changed" in load_matcher_explained(faq_copy, cache_dir=folder)[1]


def test_another_faqs_index_under_this_name_is_not_used(faq_copy: Path, folder: Path, write_faq,
                                                       minimal_faq_text: str) -> None:
    """A cache file built from another FAQ, copied under this FAQ's name, is a miss, not its answers."""
    other = write_faq(minimal_faq_text, name="other.yaml")
    load_matcher(other, cache_dir=folder)
    load_matcher(faq_copy, cache_dir=folder)
    mine, theirs = sorted(_files(folder), key=lambda p: p.stat().st_mtime, reverse=True)
    shutil.copyfile(theirs, mine)
    matcher, how = load_matcher_explained(faq_copy, cache_dir=folder)
    assert "changed" in how and len(matcher.faq.entries) > 2


@pytest.mark.parametrize(("content", "why"), [
    pytest.param(b"", "not one of ours", id="empty"),
    pytest.param(b"\x00\xff" * 500, "not one of ours", id="garbage"),
    pytest.param(pickle.dumps({"format": 1}), "not one of ours", id="a-pickle"),
    pytest.param("truncated", "damaged", id="truncated"),
    pytest.param("wrong-shape", "damaged", id="our-header-then-the-wrong-shape"),
    pytest.param("old-format", "damaged", id="our-header-then-an-older-format"),
    pytest.param("no-documents", "damaged", id="our-header-then-a-state-without-documents"),
    pytest.param("stray-posting", "damaged", id="our-header-then-a-state-pointing-past-its-documents"),
])
def test_a_damaged_or_foreign_cache_file_is_a_miss(faq_copy: Path, folder: Path, content, why: str) -> None:
    """Whatever the cache file holds, the start is a rebuild with the right answers, and the file is replaced."""
    matcher = load_matcher(faq_copy, cache_dir=folder)
    [stored] = _files(folder)
    good = stored.read_bytes()
    header = good[: good.index(b"\n", len(MAGIC)) + 1]
    state = matcher.to_state()
    if content == "truncated":
        content = good[: len(good) // 2]
    elif content == "wrong-shape":
        content = header + marshal.dumps([1, 2, 3])
    elif content == "old-format":
        content = header + marshal.dumps({**state, "format": Matcher.STATE_FORMAT - 1})
    elif content == "no-documents":
        content = header + marshal.dumps({**state, "docs": [], "postings": {}, "exact": {}})
    elif content == "stray-posting":
        content = header + marshal.dumps({**state, "postings": {**state["postings"], "pain": [10_000]}})
    stored.write_bytes(content)
    matcher, how = load_matcher_explained(faq_copy, cache_dir=folder)
    assert how.startswith("built") and why in how, how
    assert matcher.best("does it hurt").id == "pain-and-numbing"
    assert load_matcher_explained(faq_copy, cache_dir=folder)[1] == "from the cache"


def test_a_planted_pickle_runs_no_code(faq_copy: Path, folder: Path, tmp_path: Path) -> None:
    """The cache is read with marshal, which knows no classes: a pickle that would run a command runs nothing."""
    load_matcher(faq_copy, cache_dir=folder)
    [stored] = _files(folder)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    good = stored.read_bytes()
    header = good[: good.index(b"\n", len(MAGIC)) + 1]  # the magic and the right stamp: past every check
    for planted in (pickle.dumps(Evil()), header + pickle.dumps(Evil())):
        stored.write_bytes(planted)
        matcher, how = load_matcher_explained(faq_copy, cache_dir=folder)
        assert not marker.exists()
        assert how.startswith("built"), how
        assert matcher.best("does it hurt") is not None


def test_new_code_is_a_new_stamp(faq_copy: Path, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache written by other code is not used: the stamp holds each source file's size and time."""
    package = tmp_path / "package"
    shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    load_matcher(faq_copy, cache_dir=folder)
    assert load_matcher_explained(faq_copy, cache_dir=folder)[1] == "from the cache"
    edited = package / "compose.py"
    os.utime(edited, ns=(edited.stat().st_atime_ns, edited.stat().st_mtime_ns + 1_000_000_000))
    assert "changed" in load_matcher_explained(faq_copy, cache_dir=folder)[1]


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink-to-fifo", "symlink"])
def test_a_special_file_in_the_cache_never_hangs(faq_copy: Path, folder: Path, kind: str) -> None:
    """A FIFO, a directory or a link where the cache file is expected is a miss: no hang, no error."""
    load_matcher(faq_copy, cache_dir=folder)
    [stored] = _files(folder)
    stored.unlink()
    if kind == "fifo":
        os.mkfifo(stored)
    elif kind == "directory":
        stored.mkdir()
    elif kind == "symlink-to-fifo":
        os.mkfifo(folder / "fifo")
        stored.symlink_to(folder / "fifo")
    else:
        (folder / "elsewhere").write_bytes(b"x")
        stored.symlink_to(folder / "elsewhere")
    matcher, how = load_matcher_explained(faq_copy, cache_dir=folder)
    assert "unusable" in how
    assert matcher.best("does it hurt").id == "pain-and-numbing"


def test_a_broken_file_still_raises(faq_copy: Path, folder: Path) -> None:
    """A bad FAQ raises FaqError through the cache exactly as through load_faq."""
    load_matcher(faq_copy, cache_dir=folder)
    faq_copy.write_text("version: 1\nentries: [\n")
    with pytest.raises(FaqError, match="YAML syntax error"):
        load_matcher(faq_copy, cache_dir=folder)


def test_an_unwritable_cache_does_not_fail(faq_copy: Path, tmp_path: Path) -> None:
    """A cache folder that cannot be created just means no cache, and says why."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    matcher, how = load_matcher_explained(faq_copy, cache_dir=blocker / "cache")
    assert matcher.best("does it hurt") is not None and "not cached" in how


def test_files_are_private_whatever_the_umask(faq_copy: Path, folder: Path) -> None:
    """Under umask 000 the folder and the file are still readable by their owner only."""
    old = os.umask(0)
    try:
        load_matcher(faq_copy, cache_dir=folder)
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o077 == 0
    assert all(p.stat().st_mode & 0o077 == 0 for p in _files(folder))


def test_the_folder_keeps_only_the_newest_files(tmp_path: Path, folder: Path, write_faq,
                                               minimal_faq_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Indexes of many FAQ files are bounded by MAX_FILES, the oldest removed first."""
    monkeypatch.setattr(cache, "MAX_FILES", 3)
    paths = [write_faq(minimal_faq_text, name=f"faq{n}.yaml") for n in range(5)]
    for path in paths:
        load_matcher(path, cache_dir=folder)
        time.sleep(0.02)  # distinct modification times, whatever the file system's resolution
    assert len(_files(folder)) == 3
    assert load_matcher_explained(paths[-1], cache_dir=folder)[1] == "from the cache"
    assert load_matcher_explained(paths[0], cache_dir=folder)[1].startswith("built")


def test_the_folder_is_bounded_in_bytes(folder: Path, write_faq, minimal_faq_text: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """When the files pass MAX_BYTES, the oldest go, but the newest always stays."""
    monkeypatch.setattr(cache, "MAX_BYTES", 1)
    for n in range(3):
        load_matcher(write_faq(minimal_faq_text, name=f"faq{n}.yaml"), cache_dir=folder)
    assert len(_files(folder)) == 1


def test_a_stale_temporary_file_is_cleaned(faq_copy: Path, folder: Path) -> None:
    """A temporary file left by a start that was killed while writing is removed by a later write."""
    folder.mkdir()
    stale = folder / ".tmp-999-1.index"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 2 * cache.STALE_AFTER,) * 2)
    fresh = folder / ".tmp-998-2.index"
    fresh.write_bytes(b"in progress")
    load_matcher(faq_copy, cache_dir=folder)
    assert not stale.exists() and fresh.exists()


def test_without_a_path_the_shipped_faq_is_loaded(folder: Path) -> None:
    """`load_matcher()` is the shipped FAQ's matcher, as `load_faq()` is the shipped FAQ."""
    matcher, how = load_matcher_explained(cache_dir=folder)
    assert how.startswith("built") and matcher.best("does it hurt").id == "pain-and-numbing"
    assert load_matcher(cache_dir=folder).faq.path == matcher.faq.path
