"""A micro needling FAQ assistant: load a curated FAQ, match questions, compose replies.

The library never touches the terminal (prompt_toolkit is imported only by
the REPL), raises :class:`FaqError` for a bad FAQ file and returns "no match"
as a value. PyYAML is imported only when a file is first parsed.

>>> from assistant import load_faq, Matcher, Responder
>>> faq = load_faq()                      # the FAQ shipped with the program
>>> Matcher(faq).best("does it hurt").id
'pain-and-numbing'
>>> reply = Responder(faq).reply("how much does it cost?")
>>> reply.kind, reply.topic, "dermatologist" in reply.text.splitlines()[-1]
(<ReplyKind.FALLBACK: 'fallback'>, 'the cost of micro needling', True)
"""

from typing import TYPE_CHECKING

from .compose import DERMATOLOGIST_ADVICE, Reply, ReplyKind, Responder
from .faq import Entry, Faq, FaqError, Gap, Problem
from .matcher import Evidence, Match, Matcher

if TYPE_CHECKING:
    from .schema import load_faq, parse_faq

__all__ = [
    "DERMATOLOGIST_ADVICE", "Entry", "Evidence", "Faq", "FaqError", "Gap", "Match", "Matcher", "Problem",
    "Reply", "ReplyKind", "Responder", "load_faq", "parse_faq",
]
__version__ = "0.2.0"


def __getattr__(name: str) -> object:
    # load_faq and parse_faq live in assistant.schema, beside the PyYAML
    # parser, which is imported only when they are first used.
    if name in ("load_faq", "parse_faq"):
        from . import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
