"""An on-disk cache of built matchers, so the program starts at once.

Parsing the YAML and building the index take longer than answering; the
command line keeps the built :class:`~assistant.matcher.Matcher` in the XDG
cache directory and reuses it while nothing has changed. The cache is keyed
on the FAQ file's bytes and on this package's own source files, so it is
never stale; it is read with an unpickler that accepts only this package's
records and plain containers (a file planted in the cache cannot run code);
and when it cannot be read or written the matcher is simply built, silently.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> first = load_matcher("knowledge/faq.yaml", cache_dir=folder)
>>> again = load_matcher("knowledge/faq.yaml", cache_dir=folder)
>>> again.best("does it hurt").entry.id == first.best("does it hurt").entry.id
True
>>> len(list(folder.iterdir()))
1
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import zlib

from .faq import decode_faq, parse_faq, read_faq
from .matcher import Matcher
from .paths import cache_dir

__all__ = ["default_cache_dir", "load_matcher"]

APP_NAME = "microneedling-faq"
_FORMAT = b"matcher-cache-1"
_ALLOWED = {
    ("assistant.matcher", "Matcher"),
    ("assistant.normalize", "Normalizer"),
    ("assistant.faq", "Entry"),
    ("assistant.faq", "Gap"),
    ("assistant.faq", "_restore_faq"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
}


def default_cache_dir(environ=os.environ) -> str:
    """``$XDG_CACHE_HOME/microneedling-faq``, or ``~/.cache/microneedling-faq``."""
    return cache_dir(environ) or os.devnull  # no home at all: a folder that cannot exist, nothing is cached


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def _code_stamp() -> bytes:
    """Names, sizes and times of this package's source files: new code, new key."""
    package = os.path.dirname(os.path.realpath(__file__))
    parts = [sys.version.encode()]
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            stat = os.stat(os.path.join(package, name))
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return b"\0".join(parts)


def _digest(data: bytes) -> str:
    """A 64-bit content key (CRC-32 and Adler-32 together) plus the length.

    Only staleness is at stake, not security (the unpickler is what refuses
    foreign content), and zlib is far cheaper to import than hashlib.
    """
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def load_matcher(path: str | os.PathLike, *, cache_dir: str | os.PathLike | None = None) -> Matcher:
    """The matcher for the FAQ at *path*, from the cache when it is there.

    Raises :class:`~assistant.faq.FaqError` for a bad file, exactly as
    :func:`~assistant.faq.load_faq` does. ``cache_dir=None`` uses
    :func:`default_cache_dir`; pass a folder of your own to keep it elsewhere.
    """
    data = read_faq(path)
    folder = os.fspath(cache_dir) if cache_dir is not None else default_cache_dir()
    where = _digest(os.path.realpath(path).encode("utf-8", "surrogateescape"))
    key = _digest(_FORMAT + b"\0" + _code_stamp() + b"\0" + data)
    cached = os.path.join(folder, f"{where}-{key}.pickle")
    try:
        with open(cached, "rb") as stream:
            matcher = _SafeUnpickler(io.BufferedReader(stream)).load()
        if isinstance(matcher, Matcher):
            return matcher
    except Exception:  # missing, unreadable, truncated or foreign: build instead
        pass
    matcher = Matcher(parse_faq(decode_faq(path, data), path=str(path)))
    _store(folder, cached, where, matcher)
    return matcher


def _store(folder: str, cached: str, where: str, matcher: Matcher) -> None:
    """Write the cache atomically and drop older ones for the same file; never fail."""
    import tempfile  # only when writing: it costs more to import than reading the cache

    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(matcher, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, cached)
        except BaseException:
            os.unlink(temporary)
            raise
        for name in os.listdir(folder):
            old = os.path.join(folder, name)
            if name.startswith(f"{where}-") and name.endswith(".pickle") and old != cached:
                os.unlink(old)
    except (OSError, pickle.PicklingError, RecursionError):
        pass
