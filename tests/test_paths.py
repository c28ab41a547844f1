"""Where the program's files go, how it creates them and how it reads them (assistant.paths)."""

from __future__ import annotations

import errno
import os
import re
import stat
import types
from pathlib import Path

import pytest

from assistant import paths
from assistant.paths import (
    APP_NAME,
    FileChanged,
    FileTooLarge,
    NotRegularFile,
    cache_dir,
    data_dir,
    home_dir,
    private_dir,
    read_file,
)

HOME = "/home/ada"


@pytest.fixture
def password_home(monkeypatch) -> str:
    """The password database says the user's home is /home/from-passwd (whatever the machine says)."""
    import pwd

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: types.SimpleNamespace(pw_dir="/home/from-passwd"))
    return "/home/from-passwd"


@pytest.fixture
def no_password_entry(monkeypatch) -> None:
    """This user has no entry in the password database (a container started with a bare uid)."""
    import pwd

    def missing(uid):
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", missing)


@pytest.mark.parametrize(("environ", "data", "cache"), [
    pytest.param({"HOME": HOME}, f"{HOME}/.local/share", f"{HOME}/.cache", id="xdg-defaults"),
    pytest.param({"HOME": HOME, "XDG_DATA_HOME": "/data", "XDG_CACHE_HOME": "/cache"}, "/data", "/cache",
                 id="absolute-xdg-variables"),
    pytest.param({"HOME": HOME, "XDG_DATA_HOME": "reldata", "XDG_CACHE_HOME": "./relcache"},
                 f"{HOME}/.local/share", f"{HOME}/.cache", id="relative-xdg-variables-are-ignored"),
    pytest.param({"HOME": HOME, "XDG_DATA_HOME": "", "XDG_CACHE_HOME": ""}, f"{HOME}/.local/share",
                 f"{HOME}/.cache", id="empty-xdg-variables-are-ignored"),
])
def test_data_and_cache_dirs_follow_the_xdg_spec(environ: dict, data: str, cache: str) -> None:
    """An absolute $XDG_DATA_HOME / $XDG_CACHE_HOME is used; an empty or relative one is ignored, as
    the XDG spec says, for the default under $HOME."""
    assert data_dir(environ) == f"{data}/{APP_NAME}"
    assert cache_dir(environ) == f"{cache}/{APP_NAME}"


@pytest.mark.parametrize("home", [pytest.param("", id="empty"), pytest.param("relative/home", id="relative"),
                                  pytest.param(None, id="unset")])
def test_an_unusable_home_falls_back_to_the_password_database(home: str | None, password_home: str) -> None:
    """An empty, relative or unset $HOME is not used (no /.cache, nothing relative to the current
    directory): the home directory the password database gives is."""
    environ = {} if home is None else {"HOME": home}

    assert home_dir(environ) == password_home
    assert cache_dir(environ) == f"{password_home}/.cache/{APP_NAME}"
    assert data_dir(environ) == f"{password_home}/.local/share/{APP_NAME}"


def test_no_home_at_all_means_no_directory(no_password_entry) -> None:
    """With no usable $HOME and no password entry, there is no data or cache directory (None), rather
    than one at the root of the file system or in the current directory."""
    assert (home_dir({"HOME": ""}), data_dir({"HOME": ""}), cache_dir({"HOME": ""})) == (None, None, None)
    assert data_dir({"HOME": "", "XDG_DATA_HOME": "/data"}) == f"/data/{APP_NAME}"


@pytest.fixture
def umask_000():
    """Run the test under umask 000, the most permissive there is."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_private_dir_makes_every_missing_directory_0o700(tmp_path: Path, umask_000) -> None:
    """private_dir creates the directory and every missing parent 0o700 even under umask 000, and
    leaves the directories that already existed as they were."""
    existing = tmp_path / "existing"
    existing.mkdir(mode=0o755)
    existing.chmod(0o755)

    made = private_dir(existing / "a" / "b" / "c")

    assert made == str(existing / "a" / "b" / "c")
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode) for p in [existing, *existing.rglob("*")]}
    assert modes == {"existing": 0o755, "existing/a": 0o700, "existing/a/b": 0o700, "existing/a/b/c": 0o700}


def test_private_dir_is_exactly_0o700_under_a_strict_umask(tmp_path: Path) -> None:
    """Under umask 0o277 (which would leave a new directory 0o500, unwritable) it is still 0o700."""
    old = os.umask(0o277)
    try:
        private_dir(tmp_path / "a" / "b")
    finally:
        os.umask(old)

    assert [stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ("a", "a/b")] == [0o700, 0o700]


def test_private_dir_of_an_existing_directory_changes_nothing(tmp_path: Path) -> None:
    """An existing directory (the person's own ~/notes, say) is used as it is, never chmodded."""
    tmp_path.chmod(0o751)

    assert private_dir(tmp_path) == str(tmp_path)
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o751


def test_private_dir_where_a_file_is_in_the_way_raises(tmp_path: Path) -> None:
    """A file where a directory should be is an OSError, for the caller to warn about."""
    (tmp_path / "file").write_text("x")

    with pytest.raises(OSError):
        private_dir(tmp_path / "file" / "sub")


# -- reading ------------------------------------------------------------------------------------


def test_read_file_returns_the_bytes(tmp_path: Path) -> None:
    """A regular file within the limit is read whole."""
    path = tmp_path / "f"
    path.write_bytes(b"abc\n" * 1000)

    assert read_file(path, 4000) == b"abc\n" * 1000


def test_read_file_over_the_limit_names_size_and_limit(tmp_path: Path) -> None:
    """A file larger than the limit is refused before reading, with its size and the limit."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * 4001)

    with pytest.raises(FileTooLarge, match=r"the file is 4,001 bytes; the limit is 4,000 bytes"):
        read_file(path, 4000)


def _special(kind: str, tmp_path: Path) -> Path:
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo")
        return tmp_path / "fifo"
    if kind == "device":
        return Path("/dev/zero")
    if kind == "directory":
        return tmp_path
    raise AssertionError(kind)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs POSIX files")
@pytest.mark.parametrize(("kind", "says"), [
    pytest.param("fifo", "a named pipe (FIFO)", id="fifo"),
    pytest.param("device", "a character device", id="dev-zero"),
    pytest.param("directory", "a directory", id="directory"),
])
@pytest.mark.parametrize("through_a_link", [pytest.param(False, id="direct"), pytest.param(True, id="symlink")])
def test_read_file_refuses_what_is_not_a_regular_file(kind: str, says: str, through_a_link: bool,
                                                      tmp_path: Path) -> None:
    """A named pipe (no writer: it would block), /dev/zero (st_size 0, it never ends) and a directory,
    directly or through a symbolic link, raise NotRegularFile saying what they are, without reading."""
    path = _special(kind, tmp_path)
    if through_a_link:
        (tmp_path / "link").symlink_to(path)
        path = tmp_path / "link"

    with pytest.raises(NotRegularFile, match=re.escape(f"this is {says}, not a regular file")) as caught:
        read_file(path, 1000)
    assert caught.value.kind == says


def test_read_file_without_following_links(tmp_path: Path) -> None:
    """follow_symlinks=False refuses a symbolic link even to a good file (ELOOP), and reads a file."""
    target = tmp_path / "target"
    target.write_bytes(b"data\n")
    (tmp_path / "link").symlink_to(target)

    with pytest.raises(OSError) as caught:
        read_file(tmp_path / "link", 100, follow_symlinks=False)
    assert caught.value.errno == errno.ELOOP
    assert read_file(target, 100, follow_symlinks=False) == b"data\n"


def test_read_file_reads_no_more_than_the_limit_when_the_size_lies(tmp_path: Path, monkeypatch) -> None:
    """When fstat's st_size is too small (a file growing, or one whose size is not known), no more than
    limit + 1 bytes are read before FileTooLarge."""
    path = tmp_path / "f"
    path.write_bytes(b"y" * 10_000)
    real_fstat = os.fstat

    def small_fstat(descriptor):
        status = real_fstat(descriptor)
        return os.stat_result((*status[:6], 0, *status[7:]))  # st_size 0, like /proc files

    asked = []
    real_read = os.read
    monkeypatch.setattr(os, "fstat", small_fstat)
    monkeypatch.setattr(os, "read", lambda fd, n: asked.append(n) or real_read(fd, n))

    with pytest.raises(FileTooLarge, match="larger than the limit of 1,000 bytes"):
        read_file(path, 1000)
    assert sum(asked) <= 1001


def test_read_file_reads_a_changing_file_again(tmp_path: Path, monkeypatch) -> None:
    """A file that changes while it is read is read again, and its new content returned whole."""
    path = tmp_path / "f"
    path.write_bytes(b"first half")
    real_read = os.read
    writes = ["first half, and the rest\n"]

    def read_while_writing(descriptor, n):
        data = real_read(descriptor, n)
        if writes:
            path.write_text(writes.pop())  # the writer goes on after the first read
        return data

    monkeypatch.setattr(os, "read", read_while_writing)

    assert read_file(path, 1000) == b"first half, and the rest\n"


def test_read_file_refuses_a_file_that_never_stops_changing(tmp_path: Path, monkeypatch) -> None:
    """A file that changes during every read is refused with FileChanged, saying it is being written."""
    path = tmp_path / "f"
    path.write_bytes(b"x\n")
    real_open, real_read = os.open, os.read
    opened = []

    def open_and_count(*args, **kwargs):
        opened.append(True)
        return real_open(*args, **kwargs)

    def read_while_writing(descriptor, n):
        data = real_read(descriptor, n)
        if opened:  # once each time the file is opened: the writer is always one step ahead
            opened.clear()
            with path.open("ab") as stream:
                stream.write(b"more\n")
        return data

    monkeypatch.setattr(os, "open", open_and_count)
    monkeypatch.setattr(os, "read", read_while_writing)
    monkeypatch.setattr(paths.time, "sleep", lambda seconds: None)

    with pytest.raises(FileChanged, match="changed while it was being read"):
        read_file(path, 1000)
