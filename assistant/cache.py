"""An on-disk cache of built matchers, so the program starts at once.

Parsing the YAML and building the index take longer than answering; the
command line keeps what the :class:`~assistant.matcher.Matcher` built, as
the plain data of :meth:`~assistant.matcher.Matcher.to_state`, in the XDG
cache directory. A cache file holds, before that data, what it stands for:
its format, the program's version and code, and a digest of the FAQ file's
bytes (and of the source text the FAQ names). It is used only when all of
them match the file being loaded; anything else (another FAQ's index, an
older program, a truncated or foreign file, a directory, a FIFO, a link) is
a miss, and the matcher is built and stored again. A miss is never an error,
a hang or a wrong answer: the reason is reported (``--debug``, ``/why``) and
the program goes on.

The data is read with :mod:`marshal`, which knows only plain values (no
classes, no code), so a planted file cannot run anything. Files are
private to their owner whatever the umask, written atomically, and the
folder keeps at most :data:`MAX_FILES` files and :data:`MAX_BYTES` bytes,
oldest removed first.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> first, how = load_matcher_explained("knowledge/faq.yaml", cache_dir=folder)
>>> again, how_again = load_matcher_explained("knowledge/faq.yaml", cache_dir=folder)
>>> how.startswith("built"), how_again
(True, 'from the cache')
>>> again.best("does it hurt").id == first.best("does it hurt").id
True
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import sys
import time
import zlib

from .faq import MAX_FAQ_BYTES, decode_faq, read_faq, shipped_faq_path
from .matcher import Matcher
from .paths import NotRegularFile, private_dir, read_file
from .paths import cache_dir as _xdg_cache_dir

__all__ = ["MAX_BYTES", "MAX_FILES", "default_cache_dir", "load_matcher", "load_matcher_explained"]

APP_NAME = "microneedling-faq"
#: The cache file's first bytes; a file without them is not ours.
MAGIC = b"microneedling-faq matcher cache\n"
#: Most cache files kept, and most bytes in all; the oldest go first.
MAX_FILES = 8
MAX_BYTES = 64 * 1024 * 1024
#: A cache file larger than this is not read.
MAX_FILE_BYTES = 16 * MAX_FAQ_BYTES
#: A temporary file older than this (seconds) was left by a start that was killed.
STALE_AFTER = 3600
_SUFFIX = ".index"
_SOURCE_TEXT = re.compile(rb"^source_text:[ \t]*['\"]?([^'\"\r\n#]+?)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


def default_cache_dir(environ: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """``$XDG_CACHE_HOME/microneedling-faq``, or ``~/.cache/microneedling-faq``."""
    return _xdg_cache_dir(environ) or os.devnull  # no home at all: a folder that cannot exist, nothing is cached


def load_matcher(path: str | os.PathLike[str] | None = None, *,
                 cache_dir: str | os.PathLike[str] | None = None) -> Matcher:
    """The matcher for the FAQ at *path* (by default the one shipped with the program), from the
    cache when it is there.

    Raises :class:`~assistant.faq.FaqError` for a bad file, exactly as
    :func:`~assistant.schema.load_faq` does. ``cache_dir=None`` uses
    :func:`default_cache_dir`; pass a folder of your own to keep it elsewhere.
    """
    return load_matcher_explained(path, cache_dir=cache_dir)[0]


def load_matcher_explained(path: str | os.PathLike[str] | None = None, *,
                           cache_dir: str | os.PathLike[str] | None = None) -> tuple[Matcher, str]:
    """:func:`load_matcher`, and how it went: ``"from the cache"`` or ``"built (...why...)"``."""
    path = shipped_faq_path() if path is None else path
    data = read_faq(path)
    folder = os.fspath(cache_dir) if cache_dir is not None else default_cache_dir()
    stamp = _stamp(data, os.fspath(path))
    cached = os.path.join(folder, _digest(os.path.realpath(path).encode("utf-8", "surrogateescape")) + _SUFFIX)
    matcher, why = _read(cached, stamp)
    if matcher is not None:
        return matcher, "from the cache"
    from .schema import parse_faq  # PyYAML only when the cache cannot serve

    matcher = Matcher(parse_faq(decode_faq(path, data), path=str(path)))
    stored = _store(folder, cached, stamp, matcher)
    return matcher, f"built ({why}{'' if stored is None else '; ' + stored})"


# -- what a cache file must match ------------------------------------------------------------------

def _digest(data: bytes) -> str:
    """A 64-bit content key (CRC-32 and Adler-32 together) plus the length.

    Only staleness is at stake, not security (marshal is what keeps foreign
    content harmless), and zlib is far cheaper to import than hashlib.
    """
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _code_stamp() -> str:
    """The program's version and the names, sizes and times of its source files: new code, new stamp."""
    from . import __version__

    package = os.path.dirname(os.path.realpath(__file__))
    parts = [__version__, sys.version, str(Matcher.STATE_FORMAT)]
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            info = os.stat(os.path.join(package, name))
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return _digest("\0".join(parts).encode())


def _stamp(data: bytes, path: str) -> bytes:
    """What a cache file for this FAQ must carry: the code's stamp, the FAQ's digest and its source text's."""
    parts = [_code_stamp(), _digest(data)]
    named = _SOURCE_TEXT.search(data)
    if named is not None:
        source = os.path.join(os.path.dirname(path), os.fsdecode(named.group(1).strip()))
        try:
            parts.append(_digest(read_file(source, MAX_FAQ_BYTES)))
        except OSError as error:
            parts.append(f"unreadable:{error.errno}")
    return ("\0".join(parts) + "\n").encode()


# -- reading and writing ---------------------------------------------------------------------------

def _read(cached: str, stamp: bytes) -> tuple[Matcher | None, str]:
    """The cached matcher when the file holds one for exactly *stamp*, else ``None`` and why not."""
    try:
        raw = read_file(cached, MAX_FILE_BYTES, follow_symlinks=False)
    except FileNotFoundError:
        return None, "no cache yet"
    except NotRegularFile as error:
        return None, f"the cache file is unusable: it is {error.kind}"
    except OSError as error:
        return None, f"the cache file is unusable: {error.strerror or error}"
    if not raw.startswith(MAGIC):
        return None, "the cache file is not one of ours"
    body = raw[len(MAGIC):]
    if not body.startswith(stamp):
        return None, "the FAQ or the program changed since it was cached"
    try:
        matcher = Matcher.from_state(marshal.loads(body[len(stamp):]))
    except (EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        return None, f"the cache file is damaged ({type(error).__name__})"
    try:
        os.utime(cached)  # the folder keeps the files used last
    except OSError:
        pass
    return matcher, "from the cache"


def _store(folder: str, cached: str, stamp: bytes, matcher: Matcher) -> str | None:
    """Write the cache atomically, privately, and keep the folder bounded; ``None``, or why it was not written."""
    try:
        private_dir(folder)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return "the cache folder is not a folder"
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(folder, 0o700)
        temporary = os.path.join(folder, f".tmp-{os.getpid()}-{time.monotonic_ns()}{_SUFFIX}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            with os.fdopen(fd, "wb") as stream:
                stream.write(MAGIC)
                stream.write(stamp)
                marshal.dump(matcher.to_state(), stream)
            os.replace(temporary, cached)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
        _prune(folder)
        return None
    except (OSError, ValueError) as error:  # ValueError: marshal of an unexpected value
        return f"not cached: {getattr(error, 'strerror', None) or error}"


def _prune(folder: str) -> None:
    """Keep the newest cache files within MAX_FILES and MAX_BYTES; drop stale temporary files."""
    now = time.time()
    kept = []
    for name in os.listdir(folder):
        if not name.endswith(_SUFFIX):
            continue
        path = os.path.join(folder, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if name.startswith(".tmp-"):
            if now - info.st_mtime > STALE_AFTER:
                _remove(path)
            continue
        kept.append((info.st_mtime, info.st_size, path))
    kept.sort(reverse=True)
    total = 0
    for number, (_, size, path) in enumerate(kept):
        total += size
        if number >= MAX_FILES or (number > 0 and total > MAX_BYTES):
            _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

