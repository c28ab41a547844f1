"""Turning a question into the :class:`Reply` a person reads.

:class:`Responder` decides what kind of reply a question gets and writes it:

* ``answer``: a confident match; the entry's answer and its follow-ups.
  A sure score is enough; below it, the matcher's second opinion (which
  document's phrasings, taken together, fit the question best) must not
  disagree with a clear score, and must agree with a close call;
* ``clarify``: a close call or middling confidence that the second opinion
  does not settle; up to three numbered "did you mean" suggestions;
* ``fallback``: the FAQ does not cover it; said plainly, with its topics;
* ``smalltalk``: hello, thanks, bye, who are you, help;
* ``urgent``: the message describes warning signs; stop and seek care.

Every reply text, whatever its kind, ends with :data:`DERMATOLOGIST_ADVICE`;
nothing in the FAQ file can switch that off.

>>> from assistant import load_faq
>>> responder = Responder(load_faq("knowledge/faq.yaml"))
>>> reply = responder.reply("how long is a micro needling session?")
>>> reply.kind, reply.entry_id
('answer', 'session-length')
>>> reply.text.endswith(DERMATOLOGIST_ADVICE)
True
"""

from __future__ import annotations

import re

from .faq import Entry, Faq
from .matcher import EXACT_SCORE, Match, Matcher
from .normalize import MAX_QUERY_CHARS, clean_text, fold
from .records import record
from .safety import triage, without_denied_signs

__all__ = ["ANSWER_SCORE", "CLARIFY_SCORE", "DERMATOLOGIST_ADVICE", "Reply", "Responder", "with_advice"]

#: The last line of every reply.
DERMATOLOGIST_ADVICE = "Please consult a dermatologist before starting micro needling, or about your own skin."
#: The last line of an urgent reply instead: the person should be seen, not plan a treatment.
URGENT_DERMATOLOGIST_ADVICE = ("Once you have had care, please also see a dermatologist promptly about your skin, "
                               "and do no more micro needling until they have seen it.")

#: A best match at or above this score, clear of the runner-up, is answered.
#: The thresholds are calibrated on tests/data/questions.tsv so that a wrong
#: answer stays rare: in a health topic "did you mean" is better than a guess.
ANSWER_SCORE = 50.0
#: A best match at or above this score (and below an answer) is offered as "did you mean".
CLARIFY_SCORE = 36.0
#: How far ahead of the runner-up an answer must be, unless it scores very high.
ANSWER_GAP = 7.0
#: A question mostly made of words the FAQ never uses is declined rather than
#: offered a "did you mean" (it is about something else).
KNOWN_SHARE = 0.45
#: "Did you mean" offers the entries at most this far below the best one.
SUGGEST_WITHIN = 20.0
#: The candidates the matcher's second opinion weighs: the best POOL matches
#: scoring over POOL_CUTOFF and at most POOL_WITHIN below the best.
POOL = 4
POOL_CUTOFF = 20.0
POOL_WITHIN = 25.0
#: At this score (the question is one of the FAQ's phrasings) the gap does not matter.
SURE_SCORE = EXACT_SCORE


@record
class Reply:
    """What the assistant says to one message."""

    kind: str
    """One of ``answer``, ``clarify``, ``fallback``, ``smalltalk``, ``urgent``."""
    text: str
    """The whole reply as a person reads it, dermatologist advice last."""
    question: str
    """The message as received (cut to the length that was read)."""
    entry_id: str | None = None
    """The answered entry's id, for ``answer`` replies only."""
    score: float = 0.0
    """Confidence in the best match, 0-100."""
    suggestions: tuple[str, ...] = ()
    """Entry ids offered to pick from next: the "did you mean" list, or an answer's follow-ups."""
    matches: tuple[Match, ...] = ()
    """The top matches considered, best first (for /why)."""
    truncated: bool = False
    """The message was longer than the limit and was cut."""
    notes: tuple[str, ...] = ()
    """How the reply was chosen, in words (for /why)."""

    def to_dict(self) -> dict:
        """The JSON-lines form of the reply."""
        return {
            "question": self.question,
            "id": self.entry_id,
            "score": self.score,
            "kind": self.kind,
            "suggestions": list(self.suggestions),
            "text": self.text,
            "truncated": self.truncated,
        }


# A greeting alone is small talk; before a question it is skipped.
_GREETING_WORDS = (r"^(?:hi+|hello+|hey+|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|hola|sup"
                   r"|whats up|what is up)(?: there| you| bot| all| everyone)?")
_GREETING = re.compile(_GREETING_WORDS + r"\b")
_SMALLTALK: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("thanks", (r"^(?:(?:ok|okay|great|cool|awesome|perfect|nice|alright|lovely|brilliant) )*"
                    r"(?:(?:thanks?|thank you|thank u|thanks a lot|many thanks|thx|ty|cheers|much appreciated|appreciate it)"
                    r"(?: (?:so much|very much|a lot|again|for (?:the|your) (?:help|info|answer)))*"
                    r"(?: (?:that|this|it|you) (?:really |have |has |was |is |were )*(?:helped|helps|helpful|great|useful))?"
                    r"|great|awesome|cool|perfect|nice|ok|okay|got it|i see|makes sense|good to know)$")),
        ("bye", (r"^(?:(?:ok|okay|cool|great|alright|thanks|thank you|cheers) )*"
                 r"(?:bye+|goodbye|good bye|bye bye|see (?:you|ya)(?: later)?|cya|later|farewell|good night|gotta go"
                 r"|that is all|i am done|quit|exit)$")),
        ("who", (r"^(?:who|what) (?:are|r) (?:you|u)|^what (?:can|do) you (?:do|know|answer)"
                 r"|^(?:are (?:you|u)|is this|am i (?:talking|chatting|speaking) (?:to|with)) (?:a |an )?(?:real )?"
                 r"(?:bot|robot|human|real|ai|person|doctor|dermatologist|chat ?bot|machine|computer|program)"
                 r"|^who (?:made|built|created|programmed|wrote|designed|owns|runs|trained) (?:you|u|this)"
                 r"|^who am i (?:actually |really )?(?:talking|chatting|speaking) (?:to|with)"
                 r"|^(?:what is|whats) (?:this|your name)$")),
        ("help", (r"^(?:help|help me|what can i ask|what (?:can|should) i ask(?: you)?|how does this work|how do i use this"
                  r"|menu|options|commands|\?+"
                  r"|what (?:can|could|do) (?:you|u) (?:help(?: me)?(?: with)?|do(?: for me)?|tell me(?: about)?|answer"
                  r"|know(?: about)?|cover)|what (?:do|can) (?:you|u) know|what are (?:you|u) for"
                  r"|what topics(?: do (?:you|u) cover)?)$")),
        ("greeting", _GREETING_WORDS + "$"),
        ("how", r"^how (?:are|r) (?:you|u)(?: doing| today)?$"),
    )
)


class Responder:
    """Composes replies from one FAQ. Built once; :meth:`reply` per message.

    *interactive* adds the hints that only make sense at a prompt ("type a
    number to pick one", "/topics").
    """

    def __init__(self, faq: Faq, *, matcher: Matcher | None = None, interactive: bool = False) -> None:
        self.faq = faq
        self.matcher = matcher or Matcher(faq)
        self.interactive = interactive
        self._entries = {entry.id: entry for entry in faq.entries}
        self._topics: str | None = None

    # -- the decision ------------------------------------------------------

    def reply(self, message: str) -> Reply:
        """The reply to *message*; never raises for any text."""
        question, truncated = _clip(message)
        note = ("message cut to the length limit",) if truncated else ()
        folded = fold(question)
        if not folded:
            return self._reply("smalltalk", "Ask me anything about micro needling, for example "
                               "\"How long does a session take?\"", question, truncated, note)
        found = triage(message)
        if found.urgent:
            return self._urgent(question, truncated, note, found.severe, found.signs)
        smalltalk = self._smalltalk(folded)
        if smalltalk is not None:
            return self._reply("smalltalk", smalltalk, question, truncated, note)
        # "hi, does it hurt?": answer the question, not the greeting; and leave
        # out the signs the person says they do not have ("no bleeding, just pink").
        rest = without_denied_signs(_GREETING.sub("", folded, count=1))
        query = rest if rest and rest != folded else question
        # Nothing under POOL_CUTOFF, or further than POOL_WITHIN below the
        # best, changes the reply, so the search may skip it. The best three
        # are the reply's; all of them are the second opinion's to weigh.
        pool = tuple(self.matcher.rank(query, limit=POOL, score_cutoff=POOL_CUTOFF, within=POOL_WITHIN))
        return self._decide(question, query, pool, truncated, note)

    def choose(self, entry_id: str, *, question: str | None = None) -> Reply:
        """The answer reply for a known entry (a picked suggestion)."""
        entry = self._entries[entry_id]
        match = Match(entry, 100.0, entry.question)
        return self._answer(question or entry.question, entry, (match,), False, ("picked from the list",))

    def _decide(self, question: str, query: str, pool: tuple[Match, ...], truncated: bool,
                note: tuple[str, ...]) -> Reply:
        matches = tuple(m for m in pool[:3] if m.score >= CLARIFY_SCORE - 0.1
                        and m.score >= pool[0].score - SUGGEST_WITHIN)
        if not matches or matches[0].score < CLARIFY_SCORE:
            why = ("no entry shares enough of the question's words",) if not matches else (
                f"best score {matches[0].score:.0f} is below {CLARIFY_SCORE:.0f}",)
            return self._fallback(question, matches, truncated, note + why)
        top = matches[0]
        if top.entry is None:
            return self._fallback(question, matches, truncated,
                                  note + (f"closest to a topic the FAQ does not cover: {top.gap.topic}",),
                                  topic=top.gap.topic)
        gap = top.score - matches[1].score if len(matches) > 1 else top.score
        ahead = f"score {top.score:.0f}, {gap:.0f} ahead of the next"
        if top.score >= SURE_SCORE:
            return self._answer(question, top.entry, matches, truncated, note + (ahead,))
        # Below a sure score, the model of the FAQ's phrasings has a say: the
        # best match is answered only when it agrees, or when the score alone
        # is clear and it does not disagree.
        other = self.matcher.second_opinion(query, pool)
        agrees = other is not None and other.entry is top.entry
        if top.score >= ANSWER_SCORE and gap >= ANSWER_GAP:
            if other is None or agrees:
                return self._answer(question, top.entry, matches, truncated, note + (ahead,))
            # It may be the other entry, or, for a topic the FAQ does not
            # cover, nothing: ask rather than answer.
            if other.entry is None:
                fits = f"but the phrasings of a topic the FAQ does not cover fit it better: {other.gap.topic}"
                return self._clarify(question, (top,), matches, truncated, note + (ahead, fits))
            return self._clarify(question, (top, other), matches, truncated,
                                 note + (ahead, f"but the phrasings of {other.entry.id} fit it better"))
        known = self.matcher.known_share(query)
        if known < KNOWN_SHARE:
            return self._fallback(question, matches, truncated,
                                  note + (f"only {known:.0%} of the question is about things the FAQ knows",))
        if agrees:
            return self._answer(question, top.entry, matches, truncated,
                                note + (f"{ahead}, and its phrasings fit the question best",))
        close = [m for m in matches if m.entry is not None and m.score >= CLARIFY_SCORE
                 and top.score - m.score <= SUGGEST_WITHIN]
        return self._clarify(question, tuple(close), matches, truncated,
                             note + (f"{ahead}: not sure enough",))

    # -- the texts ---------------------------------------------------------

    def _answer(self, question: str, entry: Entry, matches: tuple[Match, ...], truncated: bool,
                notes: tuple[str, ...]) -> Reply:
        follow = [self._entries[i] for i in entry.related if i in self._entries]
        lines = [entry.answer]
        if follow:
            lines += ["", "You might also ask:"]
            lines += [f"  {n}. {e.question}" for n, e in enumerate(follow, 1)]
            if self.interactive:
                lines.append("(Type a number to ask it.)")
        return self._reply("answer", "\n".join(lines), question, truncated, notes, entry_id=entry.id,
                           score=matches[0].score, suggestions=tuple(e.id for e in follow), matches=matches)

    def _clarify(self, question: str, close: tuple[Match, ...], matches: tuple[Match, ...],
                 truncated: bool, notes: tuple[str, ...]) -> Reply:
        if len(close) == 1:
            lines = ["I'm not sure I understood. Did you mean:"]
        else:
            lines = ["I'm not sure which of these you mean:"]
        lines += [f"  {n}. {m.entry.question}" for n, m in enumerate(close, 1)]
        if self.interactive:
            lines.append("Type its number to get the answer, or ask in other words." if len(close) == 1
                         else "Type a number to pick one, or ask in other words.")
        else:
            lines.append("Ask it that way, or ask in other words." if len(close) == 1
                         else "Ask one of these, or ask in other words.")
        return self._reply("clarify", "\n".join(lines), question, truncated, notes,
                           score=matches[0].score, suggestions=tuple(m.entry.id for m in close),
                           matches=matches)

    def _fallback(self, question: str, matches: tuple[Match, ...], truncated: bool,
                  notes: tuple[str, ...], topic: str | None = None) -> Reply:
        if topic:
            first = (f"Sorry, I can't answer that: the FAQ I answer from does not cover {clean_text(topic)}, "
                     "and I won't guess on a health question.")
        else:
            first = ("Sorry, I don't know: that isn't covered by the micro needling FAQ I answer from, "
                     "and I'd rather not guess about your skin.")
        lines = [first, f"I can tell you about {self.topics_sentence()}."]
        if self.interactive:
            lines.append("Type /topics to see every question I can answer.")
        return self._reply("fallback", "\n".join(lines), question, truncated, notes,
                           score=matches[0].score if matches else 0.0, matches=matches)

    def _urgent(self, question: str, truncated: bool, note: tuple[str, ...], severe: bool,
                signs: tuple[str, ...]) -> Reply:
        # The whole message was read for warning signs, so no "I read only the first characters"
        # here; and the closing advice is to be seen, not to plan a treatment.
        if severe:
            lines = ["Please call your local emergency number or go to the nearest emergency department now.",
                     "Stop any further treatment, and if you can, have someone stay with you."]
        else:
            lines = [("Please stop any further treatment and contact a doctor promptly, today if you can "
                      "(or the clinic, if one did the treatment)."),
                     ("If it gets worse quickly, or you have trouble breathing, swelling of the face, lips or "
                      "throat, or you feel faint, call your local emergency number.")]
        lines.append("I can't assess symptoms, so I won't give an FAQ answer here.")
        text = "\n".join(lines) + "\n\n" + URGENT_DERMATOLOGIST_ADVICE
        return Reply(kind="urgent", text=text, question=question, truncated=truncated,
                     notes=note + (f"warning signs: {', '.join(signs)}",))

    def _smalltalk(self, folded: str) -> str | None:
        kind = next((kind for kind, pattern in _SMALLTALK if pattern.search(folded)), None)
        if kind is None:
            return None
        about = f"I answer questions about micro needling from a curated FAQ: {self.topics_sentence()}."
        hint = " Type /topics to see them all, or just ask." if self.interactive else " Just ask."
        return {
            "greeting": f"Hello! {about}{hint}",
            "how": f"I'm fine, thank you. {about}{hint}",
            "thanks": "You're welcome. Ask me anything else about micro needling whenever you like.",
            "bye": "Goodbye, and take care of your skin.",
            "who": f"I'm a small FAQ assistant, not a doctor. {about}{hint}",
            "help": f"{about}{hint} For example: \"Does micro needling hurt?\" or \"What should I do after a session?\"",
        }[kind]

    def topics_sentence(self) -> str:
        """A short list of what the FAQ covers, from its tags (or questions)."""
        if self._topics is None:
            tags = list(dict.fromkeys(t for e in self.faq.entries for t in e.tags))
            items = tags or [e.question.rstrip("?") for e in self.faq.entries[:6]]
            items = [clean_text(i) for i in items[:10]]
            self._topics = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        return self._topics

    def _reply(self, kind: str, body: str, question: str, truncated: bool, notes: tuple[str, ...],
               **fields) -> Reply:
        text = clean_text(body)
        if truncated:
            text = f"{text.rstrip()}\n\n(Your message was long, so I read only its first {MAX_QUERY_CHARS:,} characters.)"
        return Reply(kind=kind, text=with_advice(text), question=question, truncated=truncated,
                     notes=notes, **fields)


def with_advice(text: str) -> str:
    """*text* followed by the dermatologist advice, as every reply and message ends."""
    return f"{text.rstrip()}\n\n{DERMATOLOGIST_ADVICE}"


#: How much raw text is cleaned before the length limit applies: enough that
#: escape sequences or runs of spaces before a question do not hide it, small
#: enough that a pasted megabyte costs nothing.
_RAW_LIMIT = MAX_QUERY_CHARS * 64


def _clip(message: str) -> tuple[str, bool]:
    """The message cleaned, spaces collapsed, cut to MAX_QUERY_CHARS; and whether it was cut."""
    if not isinstance(message, str):
        message = str(message)
    text = " ".join(clean_text(message[:_RAW_LIMIT]).split())
    if len(text) > MAX_QUERY_CHARS:
        return text[:MAX_QUERY_CHARS], True
    return text, len(message) > _RAW_LIMIT
