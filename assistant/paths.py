"""Where the program keeps its files, and how it creates and reads them.

The data and cache directories are decided here, once (habit 8 of
STYLE.md: the command line puts its flag and its own variable first, see
``cli.history_path``): the XDG variable, then the XDG default. As the XDG
Base Directory spec says, an ``$XDG_DATA_HOME`` or ``$XDG_CACHE_HOME`` that
is not an absolute path is ignored; so is an empty or relative ``$HOME``,
for the home directory of the password database. Every directory the
program creates is private to its owner whatever the umask, and every file
it reads is opened so that it cannot block (a named pipe), never end
(``/dev/zero``) or be read past its limit.

>>> environ = {"HOME": "/home/ada", "XDG_DATA_HOME": "relative/data"}
>>> data_dir(environ), cache_dir(environ)
('/home/ada/.local/share/microneedling-faq', '/home/ada/.cache/microneedling-faq')
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Mapping

__all__ = ["APP_NAME", "FileChanged", "FileTooLarge", "NotRegularFile", "cache_dir", "data_dir",
           "home_dir", "private_dir", "read_file", "regular_status"]

APP_NAME = "microneedling-faq"


def home_dir(environ: Mapping[str, str] = os.environ) -> str | None:
    """``$HOME`` when it is an absolute path, else the user's home in the password database, else ``None``."""
    home = environ.get("HOME", "")
    if os.path.isabs(home):
        return home
    try:
        import pwd

        home = pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, OSError):  # no such module (Windows) or no entry for this user
        return None
    return home if os.path.isabs(home) else None


def _xdg_dir(variable: str, default: tuple[str, ...], environ: Mapping[str, str]) -> str | None:
    base = environ.get(variable, "")
    if not os.path.isabs(base):  # unset, empty or relative: the spec says to ignore it
        home = home_dir(environ)
        if home is None:
            return None
        base = os.path.join(home, *default)
    return os.path.join(base, APP_NAME)


def data_dir(environ: Mapping[str, str] = os.environ) -> str | None:
    """``$XDG_DATA_HOME/microneedling-faq``, else ``~/.local/share/microneedling-faq``; ``None`` without a home."""
    return _xdg_dir("XDG_DATA_HOME", (".local", "share"), environ)


def cache_dir(environ: Mapping[str, str] = os.environ) -> str | None:
    """``$XDG_CACHE_HOME/microneedling-faq``, else ``~/.cache/microneedling-faq``; ``None`` without a home."""
    return _xdg_dir("XDG_CACHE_HOME", (".cache",), environ)


def private_dir(path: str | os.PathLike) -> str:
    """Create the directory *path* and any missing parent, each ``0o700`` whatever the umask; return it.

    Directories that already exist are left exactly as they are. Raises
    :class:`OSError` when a directory cannot be created.
    """
    path = os.path.abspath(path)
    missing = []
    head = path
    while not os.path.isdir(head):
        missing.append(head)
        parent = os.path.dirname(head)
        if parent == head:
            break
        head = parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            if os.path.isdir(directory):  # made at the same moment by another start of the program
                continue
            raise
        _set_mode(directory, 0o700)
    return path


def _set_mode(directory: str, mode: int) -> None:
    """mkdir's mode is masked by the umask (0o700 under 0o277 is 0o500): set it exactly, on the
    directory just made, never through a symbolic link put in its place."""
    if not hasattr(os, "fchmod") or not hasattr(os, "O_DIRECTORY"):  # pragma: no cover - Windows
        os.chmod(directory, mode)
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0))
    except PermissionError:  # umask 0o777 made it unreadable even to its owner, who may still chmod it
        os.chmod(directory, mode)
        return
    try:
        os.fchmod(descriptor, mode)
    finally:
        os.close(descriptor)


class NotRegularFile(OSError):
    """The path names a directory, a named pipe, a device or a socket, which the program never reads."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(errno.EINVAL, f"this is {kind}, not a regular file", path)
        self.kind = kind


class FileTooLarge(OSError):
    """The file is larger than the limit for its kind."""

    def __init__(self, path: str, size: int | None, limit: int) -> None:
        message = (f"the file is {size:,} bytes; the limit is {limit:,} bytes" if size is not None
                   else f"the file is larger than the limit of {limit:,} bytes")
        super().__init__(errno.EFBIG, message, path)
        self.size = size
        self.limit = limit


class FileChanged(OSError):
    """The file kept changing while it was read (it is still being written)."""

    def __init__(self, path: str) -> None:
        super().__init__(errno.EAGAIN, "the file changed while it was being read (is it still being written?); "
                                       "try again once it is saved", path)


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
#: Reads of a file that changes under them before it is refused with :class:`FileChanged`.
_READ_ATTEMPTS = 3


def regular_status(descriptor: int, path: str | os.PathLike) -> os.stat_result:
    """``fstat`` of the open *descriptor*; :class:`NotRegularFile` unless it is a regular file."""
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _KINDS if test(status.st_mode)), "a special file")
        raise NotRegularFile(os.fspath(path), kind)
    return status


def read_file(path: str | os.PathLike, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at *path*, at most *limit* of them, as one consistent read.

    It is opened without blocking (a named pipe with no writer opens at
    once) and checked with ``fstat`` before a byte is read, so a directory,
    a pipe or a device raises :class:`NotRegularFile`; ``st_size`` is not
    trusted, so at most *limit* + 1 bytes are ever read before
    :class:`FileTooLarge`; and a file that changes while it is read is read
    again, then refused with :class:`FileChanged`. With
    ``follow_symlinks=False`` a symbolic link is refused (``ELOOP``).
    Other failures are the usual :class:`OSError`.
    """
    flags = _READ_FLAGS | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    name = os.fspath(path)
    for attempt in range(_READ_ATTEMPTS):
        if attempt:
            time.sleep(0.02 * attempt)  # give a writer the moment it needs to finish
        descriptor = os.open(name, flags)
        try:
            before = regular_status(descriptor, name)
            if before.st_size > limit:
                raise FileTooLarge(str(name), before.st_size, limit)
            data = _read_at_most(descriptor, limit + 1, before.st_size)
            if len(data) > limit:
                raise FileTooLarge(str(name), None, limit)
            after = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        if (len(data), after.st_size, after.st_mtime_ns) == (before.st_size, before.st_size, before.st_mtime_ns):
            return data
    raise FileChanged(str(name))


def _read_at_most(descriptor: int, most: int, expected: int) -> bytes:
    """Up to *most* bytes from *descriptor*, in as few reads as the file allows."""
    chunks = []
    left = most
    while left > 0:
        chunk = os.read(descriptor, min(left, max(expected + 1, 1 << 16)))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
