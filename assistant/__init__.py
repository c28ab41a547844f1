"""A micro needling FAQ assistant: load a curated FAQ, match questions, compose replies.

The library never touches the terminal (prompt_toolkit is imported only by
the REPL), raises :class:`FaqError` for a bad FAQ file and returns "no match"
as a value.

>>> from assistant import load_faq, Matcher, Responder
>>> faq = load_faq("knowledge/faq.yaml")
>>> Matcher(faq).best("does it hurt").entry.id
'pain-and-numbing'
>>> reply = Responder(faq).reply("how much does it cost?")
>>> reply.kind, reply.text.splitlines()[-1].startswith("Please consult a dermatologist")
('fallback', True)
"""

from .compose import DERMATOLOGIST_ADVICE, Reply, Responder
from .faq import Entry, Faq, FaqError, Gap, Problem, load_faq, parse_faq
from .matcher import Match, Matcher

__all__ = [
    "DERMATOLOGIST_ADVICE", "Entry", "Faq", "FaqError", "Gap", "Match", "Matcher", "Problem",
    "Reply", "Responder", "load_faq", "parse_faq",
]
__version__ = "0.1.0"
