"""Where the program keeps its files, and how it creates them.

The data and cache directories are decided here, once (habit 8 of
STYLE.md: the command line puts its flag and its own variable first, see
``cli.history_path``): the XDG variable, then the XDG default. As the XDG
Base Directory spec says, an ``$XDG_DATA_HOME`` or ``$XDG_CACHE_HOME`` that
is not an absolute path is ignored; so is an empty or relative ``$HOME``,
for the home directory of the password database. Every directory the
program creates is private to its owner whatever the umask.

>>> environ = {"HOME": "/home/ada", "XDG_DATA_HOME": "relative/data"}
>>> data_dir(environ), cache_dir(environ)
('/home/ada/.local/share/microneedling-faq', '/home/ada/.cache/microneedling-faq')
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["APP_NAME", "cache_dir", "data_dir", "home_dir", "private_dir"]

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
