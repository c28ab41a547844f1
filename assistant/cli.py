"""Command line: argument parsing, paths, modes and exit codes.

Modes: the REPL (a terminal on stdin), one question given as arguments (plain
text or ``--json``), ``--jsonl`` (one JSON object per input line, for other
programs), plain piped lines, ``--check`` and ``--eval``. Only the REPL
imports prompt_toolkit, so the other modes start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from .compose import DERMATOLOGIST_ADVICE, Reply, ReplyKind, Responder
from .faq import MAX_FAQ_BYTES, FaqError
from .matcher import Matcher
from .normalize import clean_text
from .paths import APP_NAME, data_dir, read_file
from .terminal import COLOR_MODES, Look, answered_question, is_terminal, wants_color

if TYPE_CHECKING:
    from .log import ReplyLog

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "command_line", "default_faq_path",
           "history_path", "log_path", "main", "main_exit", "program_name"]

EXIT_OK = 0
EXIT_ERROR = 1  # the FAQ or labelled file is unusable, or a stream is closed
EXIT_USAGE = 2  # argparse's own code for bad arguments
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it

#: At most this many processes answer a stream by default (the main one and its helpers).
MAX_JOBS = 4

FAQ_ENV = "MICRONEEDLING_FAQ"
HISTORY_ENV = "MICRONEEDLING_FAQ_HISTORY"
LOG_ENV = "MICRONEEDLING_FAQ_LOG"

_DESCRIPTION = """\
A micro needling FAQ assistant. It answers questions from a curated FAQ
written from one article, says so when the FAQ does not cover something, and
always advises consulting a dermatologist.

With no question and a terminal on stdin, it starts an interactive session
(commands: /help, /topics, /why, /good, /wrong, /reload, /quit; Ctrl-D to
leave). With stdin piped, it answers each line in plain text. Nothing is
logged unless --log FILE (or $MICRONEEDLING_FAQ_LOG) is given; --review
reads such logs back for the FAQ's author."""

#: The modes, as arguments after the command and what they do (the epilog of --help).
_MODES = (
    ("", "interactive session (a terminal on stdin)"),
    (' "does it hurt?"', "one reply, plain text"),
    (' --json "does it hurt?"', "one reply as a JSON object"),
    (" --jsonl < questions", "one JSON object per input line, flushed"),
    (" < questions", "one plain reply per input line"),
    (" --check [PATH]", "validate an FAQ file (exit 0 or 1)"),
    (" --eval FILE", "accuracy on a labelled question file"),
    (" --review LOG [LOG...]", "what logged questions propose for the FAQ"),
)

_EPILOG = f"""\
JSON fields (plain ASCII JSON): question, id (answered entry or null), score
(0-100), kind (answer, clarify, fallback, smalltalk, urgent), suggestions
(entry ids, best first), text (the reply as a person reads it), truncated,
topic (for a decline, the not-covered topic it matched, or null).

environment:
  {FAQ_ENV}            FAQ file to use when --faq is not given
  {HISTORY_ENV}    history file when --history-file is not given
  {LOG_ENV}        log file when --log is not given (unset: no log)
  XDG_DATA_HOME                history in $XDG_DATA_HOME/{APP_NAME}/history
  XDG_CACHE_HOME               index cache in $XDG_CACHE_HOME/{APP_NAME}

exit codes: 0 ok, 1 unusable FAQ or labelled file (or a closed stream),
2 bad arguments, 130 interrupted"""


def program_name(argv0: str) -> str:
    """The name the program was started as, for its messages: ``chat.py`` or ``microneedling-faq``."""
    return os.path.basename(argv0) or APP_NAME


def command_line(prog: str) -> str:
    """What a person types to run *prog* again, for hints: ``python chat.py``, ``python -m assistant``..."""
    return f"python {prog}" if prog.endswith(".py") else prog


def default_faq_path() -> str:
    """The FAQ shipped with the program: beside the package in a checkout, inside it when installed."""
    package = os.path.dirname(os.path.realpath(__file__))
    beside = os.path.join(os.path.dirname(package), "knowledge", "faq.yaml")
    inside = os.path.join(package, "knowledge", "faq.yaml")
    return inside if not os.path.isfile(beside) and os.path.isfile(inside) else beside


def faq_path(flag: str | None, environ: dict | os._Environ = os.environ) -> str:
    """FAQ path: the flag, then $MICRONEEDLING_FAQ, then the shipped file."""
    return flag or environ.get(FAQ_ENV) or default_faq_path()


def history_path(flag: str | None, disabled: bool, environ: dict | os._Environ = os.environ) -> str | None:
    """History path: ``--no-history``, then the flag, then the environment, then the XDG data dir
    (:func:`assistant.paths.data_dir`; ``None``, no history on disk, when there is no home at all).

    (Plain strings, not pathlib: the one-shot modes start faster without it.)
    """
    if disabled:
        return None
    if flag or environ.get(HISTORY_ENV):
        return os.path.expanduser(flag or environ[HISTORY_ENV])
    folder = data_dir(environ)
    return os.path.join(folder, "history") if folder is not None else None


def log_path(flag: str | None, environ: dict | os._Environ = os.environ) -> str | None:
    """Reply log path: the flag, then $MICRONEEDLING_FAQ_LOG; ``None`` (nothing logged) when neither is set."""
    chosen = flag or environ.get(LOG_ENV)
    return os.path.expanduser(chosen) if chosen else None


def _positive(text: str) -> int:
    """A whole number of one or more, for argparse."""
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected one or more, got {value}")
    return value


def _count(text: str) -> int:
    """A whole number of zero or more, for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected zero or more, got {value}")
    return value


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help sized to the terminal (without importing shutil at every start): prose paragraphs of the
    description and epilog re-filled to its width, tables (paragraphs with indented lines) as written."""

    def __init__(self, prog: str) -> None:
        width = 78
        for fd in (1, 2, 0):  # stdout, or the terminal a pipe (`--help | less`) ends on
            try:
                width = os.get_terminal_size(fd).columns - 2
                break
            except (OSError, ValueError):
                continue
        super().__init__(prog, width=max(40, min(width, 100)))

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap  # as argparse does: only --help needs it

        return "\n\n".join(
            part if re.search(r"^ ", part, re.MULTILINE)
            else textwrap.fill(" ".join(part.split()), width, initial_indent=indent, subsequent_indent=indent)
            for part in text.split("\n\n"))


class _Parser(argparse.ArgumentParser):
    """argparse, writing to the streams main() was given instead of sys.stdout/sys.stderr."""

    def __init__(self, *args, stdout: TextIO | None = None, stderr: TextIO | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._out = stdout
        self._err = stderr

    def error(self, message: str) -> NoReturn:
        """A usage error: usage, the problem, and the advice every message ends with."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n{DERMATOLOGIST_ADVICE}\n")

    def _print_message(self, message: str, file=None) -> None:
        if message:
            stream = self._err if file is sys.stderr or (file is None and self._err) else self._out
            _safe_write(stream or file or sys.stderr, clean_text(message))


def build_parser(prog: str = "chat.py", stdout: TextIO | None = None,
                 stderr: TextIO | None = None) -> argparse.ArgumentParser:
    """The argument parser; *prog* is the name used in its usage line, --version and errors."""
    command = command_line(prog)
    width = max(len(command + arguments) for arguments, _ in _MODES) + 3
    modes = "\n".join(f"  {command + arguments:{width}}{about}" for arguments, about in _MODES)
    parser = _Parser(
        prog=prog, description=_DESCRIPTION, epilog=f"modes:\n{modes}\n\n{_EPILOG}",
        formatter_class=_Formatter, stdout=stdout, stderr=stderr)
    parser.add_argument("question", nargs="*", help="a question to answer once (omit for a session)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="answer the question as one JSON object")
    mode.add_argument("--jsonl", action="store_true",
                      help="read questions from stdin, one per line (text, or {\"question\": ...}); "
                           "write one JSON object per line")
    mode.add_argument("--check", nargs="?", const="", metavar="PATH",
                      help="validate an FAQ file (default: the one in use) and exit 0 or 1")
    mode.add_argument("--eval", metavar="FILE",
                      help="report accuracy on a labelled file (question<TAB>ids, -, ids,- or urgent)")
    mode.add_argument("--review", nargs="+", metavar="LOG",
                      help="read reply logs and propose alternates and not-covered phrasings for the FAQ "
                           "(it never writes the FAQ)")
    parser.add_argument("--format", choices=("text", "yaml"),
                        help="with --review: text for a person (default), or yaml snippets to paste into the FAQ")
    parser.add_argument("--log", metavar="FILE",
                        help=f"append one JSON line per reply to FILE, created readable by you only "
                             f"(default: ${LOG_ENV}; unset: nothing is logged)")
    parser.add_argument("--alternates", type=_count, metavar="N",
                        help="with --eval: measure the FAQ cut to each entry's first N alternates")
    parser.add_argument("--jobs", type=_positive, metavar="N",
                        help="with --jsonl or piped lines: how many processes answer the lines waiting "
                             f"(default: one per core, at most {MAX_JOBS}; 1 with --log). The replies "
                             "are the same and in the same order whatever N is")
    parser.add_argument("--faq", metavar="PATH", help=f"FAQ file to use (default: ${FAQ_ENV} or the shipped one)")
    parser.add_argument("--history-file", metavar="PATH",
                        help=f"where the session keeps its history (default: ${HISTORY_ENV} or the XDG data dir)")
    parser.add_argument("--no-history", action="store_true", help="keep no history on disk")
    parser.add_argument("--no-cache", action="store_true",
                        help="build the index from the FAQ file instead of reusing the one cached "
                             "in $XDG_CACHE_HOME/microneedling-faq (the cache is keyed on the file's content)")
    parser.add_argument("--color", "--colour", choices=COLOR_MODES, default="auto",
                        help="colour the session and plain replies: auto (a terminal, unless $NO_COLOR is set "
                             "or TERM=dumb), always or never")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for unexpected errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None, *, prog: str | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; return the exit code.

    *prog* is the name every message uses (default: how the process was started).
    """
    prog = prog or program_name(sys.argv[0])
    stdin = stdin or sys.stdin  # None when the descriptor is closed
    stderr = stderr or sys.stderr or open(os.devnull, "w")
    stdout = stdout or sys.stdout
    if stdout is None:
        _error(stderr, f"{prog}: standard output is closed, so there is nowhere to answer")
        return EXIT_ERROR
    for stream in (stdout, stderr):
        _replace_what_cannot_be_shown(stream)
    try:
        args = build_parser(prog, stdout, stderr).parse_args(argv)
    except SystemExit as done:  # --help, --version, or a usage error already explained
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    try:
        return _run(args, prog, stdin, stdout, stderr)
    except KeyboardInterrupt:
        _error(stderr, "\nInterrupted.")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_broken_pipe(stdout)
        return EXIT_OK
    except Exception as error:  # the last line of defence: one line, no traceback
        if args.debug:
            raise
        _error(stderr, f"{prog}: unexpected error: {clean_text(str(error)) or type(error).__name__} "
                       "(run with --debug for details)")
        return EXIT_ERROR


def main_exit() -> None:
    """Console-script entry point (``microneedling-faq``)."""
    sys.exit(main())


def _run(args: argparse.Namespace, prog: str, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.check is not None:
        return _check(args.check or faq_path(args.faq), stdout, stderr)
    if args.json and not args.question:
        _error(stderr, f"{prog}: --json needs a question (or use --jsonl to read stdin)")
        return EXIT_USAGE
    if args.format and not args.review:
        _error(stderr, f"{prog}: --format goes with --review (--review LOG --format yaml)")
        return EXIT_USAGE
    if stdin is None and not args.question and not args.eval and not args.review:
        _error(stderr, f"{prog}: standard input is closed: give a question as arguments, "
                       "or pipe questions in")
        return EXIT_ERROR
    path = faq_path(args.faq)
    try:
        matcher, how = _load(path, use_cache=not args.no_cache)
    except FaqError as error:
        import shlex  # the hint is a command to paste, so the path is quoted for a shell

        hint = (f"Fix the file, or give another one with --faq PATH or ${FAQ_ENV} "
                f"(check it with: {command_line(prog)} --check {shlex.quote(path)}).")
        _error(stderr, clean_text(str(error)) + "\n" + clean_text(hint))
        return EXIT_ERROR
    if args.debug:
        _safe_write(stderr, f"debug: index {how}\n")
    faq = matcher.faq
    if args.eval:
        return _eval(matcher, args.eval, stdout, stderr, alternates=args.alternates)
    if args.review:
        return _review(matcher, args.review, args.format or "text", stdout, stderr)
    if args.question:
        reply = Responder(faq, matcher=matcher).reply(" ".join(args.question))
        with _reply_log(args.log, "one-shot", prog, stderr) as log:
            log.add(reply)
        if args.json:  # pretty for a person at a terminal, one line for a program
            _write(stdout, _json(reply, indent=2 if is_terminal(stdout) else None))
        else:
            _write(stdout, Look.of(stdout, args.color).render(reply.text, heading=answered_question(faq, reply)))
        return EXIT_OK
    if args.jsonl:
        with _reply_log(args.log, "jsonl", prog, stderr) as log:
            return _stream(Responder(faq, matcher=matcher), stdin, stdout, stderr, as_json=True, prog=prog, log=log,
                           jobs=_jobs(args.jobs))
    if is_terminal(stdin) and is_terminal(stdout):
        from .repl import Repl  # prompt_toolkit is only needed here

        history = history_path(args.history_file, args.no_history)
        with _reply_log(args.log, "repl", prog, stderr, held=True) as log:
            return Repl(faq, matcher=matcher, faq_path=path, history_file=history, stderr=stderr,
                        color=wants_color(args.color, stdout), index=how,
                        log=None if isinstance(log, _NoLog) else log).run()
    with _reply_log(args.log, "piped", prog, stderr) as log:
        return _stream(Responder(faq, matcher=matcher), stdin, stdout, stderr, as_json=False, prog=prog,
                       look=Look.of(stdout, args.color), log=log, jobs=_jobs(args.jobs))


class _NoLog:
    """The log of a run without --log or $MICRONEEDLING_FAQ_LOG outside the REPL: it keeps nothing,
    and spares the one-shot start importing assistant.log."""

    def __enter__(self) -> _NoLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def add(self, reply: object, **how: object) -> None:
        pass


def _reply_log(flag: str | None, mode: str, prog: str, stderr: TextIO, *, held: bool = False) -> ReplyLog | _NoLog:
    """The reply log the options ask for: a file, or one that keeps nothing (no --log, no $MICRONEEDLING_FAQ_LOG)."""
    path = log_path(flag)
    if path is None and not held:
        return _NoLog()
    from .log import ReplyLog

    def warn(message: str) -> None:
        _safe_write(stderr, clean_text(f"{prog}: warning: {message}") + "\n")

    return ReplyLog(path, mode=mode, held=held, warn=warn)


def _load(path: str, *, use_cache: bool) -> tuple[Matcher, str]:
    """The matcher for the FAQ at *path*, and where its index came from (for --debug and /why)."""
    if use_cache:
        from .cache import load_matcher_explained

        return load_matcher_explained(path)
    from .schema import load_faq  # PyYAML only when a file is parsed

    return Matcher(load_faq(path)), "built (--no-cache)"


def _check(path: str, stdout: TextIO, stderr: TextIO) -> int:
    from .schema import load_faq

    try:
        faq = load_faq(path)
    except FaqError as error:
        _error(stderr, clean_text(str(error)))
        return EXIT_ERROR
    phrasings = sum(len(e.phrasings) for e in faq.entries)
    warnings = Matcher(faq).warnings()
    for warning in warnings:
        _safe_write(stderr, clean_text(f"{path}: warning: {warning}") + "\n")
    _write(stdout, clean_text(f"{path}: OK, {len(faq.entries)} entries, {phrasings} phrasings, "
                              f"{len(faq.synonyms)} synonym groups, {len(faq.concepts)} concepts, "
                              f"{len(faq.not_covered)} not-covered topics"
                              + (f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''} above." if warnings
                                 else ".")))
    return EXIT_OK


def _eval(matcher: Matcher, cases_path: str, stdout: TextIO, stderr: TextIO, *, alternates: int | None) -> int:
    from .evaluate import CasesError, cut_faq, evaluate, read_cases

    faq = matcher.faq
    try:  # a regular file within the limit: read_cases alone would block on a pipe, never end on a device
        read_file(cases_path, MAX_FAQ_BYTES)
    except OSError as error:
        _error(stderr, clean_text(f"{cases_path}: cannot read: {error.strerror or error}"))
        return EXIT_ERROR
    try:
        cases = read_cases(cases_path, {e.id for e in faq.entries})
    except CasesError as error:
        _error(stderr, clean_text(str(error)))
        return EXIT_ERROR
    head = []
    if alternates is not None:
        faq = cut_faq(faq, alternates)
        matcher = Matcher(faq)
        head = [f"(the FAQ cut to each entry's question and first {alternates} alternates, "
                f"and each not-covered topic's first {alternates} phrasings)"]
    report = evaluate(Responder(faq, matcher=matcher), cases)
    _write(stdout, "\n".join(clean_text(line) for line in head + report.lines()))
    return EXIT_OK


def _review(matcher: Matcher, paths: list[str], form: str, stdout: TextIO, stderr: TextIO) -> int:
    """--review: what the logs at *paths* propose for the FAQ in use; bad lines are listed on stderr."""
    from .review import LogError, read_log, review

    reads, unreadable = [], []
    for path in paths:
        try:
            reads.append(read_log(path))
        except LogError as error:
            unreadable.append(clean_text(str(error)))
    for read in reads:
        for problem in read.problems():
            _safe_write(stderr, clean_text(problem) + "\n")
    if unreadable:
        _error(stderr, "\n".join(unreadable))
    if not reads:
        return EXIT_ERROR
    found = review(matcher.faq, matcher, reads)
    _write(stdout, found.yaml() if form == "yaml" else "\n".join(found.lines()))
    return EXIT_ERROR if unreadable else EXIT_OK


def _stream(responder: Responder, stdin: TextIO, stdout: TextIO, stderr: TextIO, *, as_json: bool,
            prog: str, look: Look | None = None, log: ReplyLog | _NoLog | None = None, jobs: int = 1) -> int:
    """Answer every line of *stdin* (plain replies drawn with *look*, each added to *log*), in input
    order; invalid UTF-8 is replaced and reported once. With *jobs* above 1 and no log, lines that
    wait in a batch are shared with helper processes (:mod:`assistant.streams`)."""
    from .streams import Helpers

    look = look or Look()
    warned: list[bool] = []
    written = [False]  # whether a plain reply is out already (the next one starts with a blank line)

    def bad_bytes() -> None:
        if not warned:
            warned.append(True)
            _safe_write(stderr, f"{prog}: the input is not valid UTF-8; unreadable bytes were replaced with \ufffd.\n")

    def answer(line: str) -> tuple[str | None, bool]:
        """The text to write for one line (``None`` for a blank plain line), and whether it declines."""
        text = line.rstrip("\r\n")
        if not as_json and not text.strip():
            return None, False
        question, problem = _question_in(text) if as_json else (text, None)
        reply = responder.reply(question)
        if problem is not None and reply.kind != ReplyKind.URGENT:  # a warning sign is answered whatever the shape
            reply = responder.unreadable(question, problem)
        if log is not None:
            log.add(reply)
        if as_json:
            return _json(reply, error=problem), reply.kind == ReplyKind.FALLBACK
        # the question first, so a reader of many replies knows which is which
        return (look.echo(reply.question) + "\n" + look.render(reply.text, heading=answered_question(responder.faq, reply)),
                reply.kind == ReplyKind.FALLBACK)

    def as_helper(line: str) -> tuple[str | None, bool]:
        responder.listed_topics = True  # (in a helper) the first decline of the session is answered here
        return answer(line)

    def write(texts: list[str | None]) -> None:
        shown = [text for text in texts if text is not None]
        if not shown:
            return
        if as_json:
            _write(stdout, "\n".join(shown))
            return
        _write(stdout, ("\n" if written[0] else "") + "\n\n".join(shown))
        written[0] = True

    def prepare_fork() -> None:
        for stream in (stdout, stderr):  # flushed: a helper must not write what is buffered here again
            _safe_write(stream, "")

    with Helpers(as_helper, jobs if log is None or isinstance(log, _NoLog) else 1, before_fork=prepare_fork) as helpers:
        for lines in _batches(stdin, bad_bytes):
            own, shares = helpers.shares(lines)
            taken = helpers.send(shares)
            write([answer(line)[0] for line in own])
            for helper, share in zip(taken, shares):
                got = helpers.receive(helper, share) if helper is not None else None
                if got is None:  # no helper took it, or it failed: answered here, nothing lost
                    write([answer(line)[0] for line in share])
                    continue
                # A helper took the topics as listed: the session's first decline is answered here.
                write([answer(line)[0] if declined and not responder.listed_topics else text
                       for line, (text, declined) in zip(share, got)])
    return EXIT_OK


def _jobs(asked: int | None) -> int:
    """How many processes answer a stream: as *asked*, or one per core up to :data:`MAX_JOBS`."""
    from .streams import available_cores

    return asked if asked is not None else min(available_cores(), MAX_JOBS)


def _batches(stdin: TextIO, bad_bytes) -> Iterator[list[str]]:
    """The lines of *stdin* as UTF-8 (bad bytes replaced, calling *bad_bytes*), in batches of those
    already waiting (one line at a time for a stream without a descriptor, a StringIO in tests)."""
    from .streams import LineReader

    try:
        fd = stdin.fileno() if getattr(stdin, "buffer", None) is not None else None
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        fd = None
    if fd is None:
        for line in _decoded_lines(stdin, bad_bytes):
            yield [line]
        return
    reader = LineReader(fd)
    while raws := reader.batch():
        yield [_decoded(raw, bad_bytes) for raw in raws]


def _question_in(line: str) -> tuple[str, str | None]:
    """The question a --jsonl line holds: the ``question`` of a JSON object (``{"question": "..."}``)
    or a JSON string (either may hold line breaks), else the line itself, as text; and, for a JSON
    object without a ``question`` string, what is wrong with it (the line is then the question, so
    that a warning sign in it is still read)."""
    start = line.lstrip()[:1]
    if start in ('{', '"'):
        try:
            value = json.loads(line)
        except ValueError:
            return line, None
        if isinstance(value, dict):
            if isinstance(value.get("question"), str):
                return value["question"], None
            return line, ('This JSON line has no "question" text: send {"question": "..."}, a JSON string, '
                          'or the question as plain text.')
        if isinstance(value, str):
            return value, None
    return line, None


def _decoded_lines(stdin: TextIO, bad_bytes) -> Iterator[str]:
    """Lines of *stdin* as UTF-8, bad bytes replaced (calling *bad_bytes*), one line at a time."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:  # already text (a StringIO in tests)
        yield from stdin
        return
    for raw in iter(buffer.readline, b""):
        yield _decoded(raw, bad_bytes)


def _decoded(raw: bytes, bad_bytes) -> str:
    """One line of input as UTF-8, bad bytes replaced (calling *bad_bytes*)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        bad_bytes()
        return raw.decode("utf-8", errors="replace")


def _json(reply: Reply, indent: int | None = None, error: str | None = None) -> str:
    """The reply as plain ASCII JSON (one line unless *indent*): every non-ASCII character escaped
    (U+2028 and U+2029 too, which some readers take for line ends), so any reader in any locale gets
    it whole; with an ``error`` when the line could not be read as asked."""
    fields = reply.to_dict()
    if error is not None:
        fields["error"] = error
    return json.dumps(fields, ensure_ascii=True, indent=indent)


#: Error handlers that fail on a character the encoding lacks (the C locale uses surrogateescape).
_FAILING_ERRORS = ("strict", "surrogateescape", "surrogatepass")


def _replace_what_cannot_be_shown(stream: TextIO) -> None:
    """Let *stream* write "?" for what its encoding cannot show (PYTHONIOENCODING=ascii, an ASCII
    terminal) instead of failing on the first such character and leaving the rest unanswered."""
    if getattr(stream, "errors", None) in _FAILING_ERRORS and hasattr(stream, "reconfigure"):
        try:
            stream.reconfigure(errors="replace")
        except (OSError, ValueError):  # closed, or not reconfigurable after all
            pass


def _write(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()


def _error(stream: TextIO, text: str) -> None:
    """An error shown to the person: like every reply, it ends with the dermatologist advice."""
    _safe_write(stream, f"{text}\n{DERMATOLOGIST_ADVICE}\n")


def _safe_write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass


def _quiet_broken_pipe(stdout: TextIO) -> None:
    """The reader went away: point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
