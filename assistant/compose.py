"""Turning a message into the :class:`Reply` a person reads.

:class:`Responder` decides what kind of reply a message gets and writes it:

* ``urgent``: the message describes warning signs (:mod:`assistant.safety`
  reads it first, whole); stop and seek care, no FAQ answer;
* ``smalltalk``: hello, thanks, bye, who are you, help;
* ``answer``: the best entry is likely enough to be right; its answer and
  follow-ups;
* ``clarify``: a close call; up to three "did you mean" suggestions;
* ``fallback``: the FAQ does not cover it; said plainly, naming the topic
  when it is one the FAQ declines on purpose.

Between answer, clarify and decline the responder weighs five measured
signals of the best matches (:func:`decision_features`) with weights fitted
on labelled questions (:mod:`assistant.calibration`): the chance that
answering with the best entry is right.

Every reply text, whatever its kind, ends by advising a consultation with a
dermatologist, in words that fit the reply (:data:`ADVICE`); nothing in the
FAQ file can switch that off.

>>> from assistant import load_faq
>>> responder = Responder(load_faq())
>>> reply = responder.reply("how long is a micro needling session?")
>>> reply.kind, reply.entry_id
(<ReplyKind.ANSWER: 'answer'>, 'session-length')
>>> reply.text.endswith(DERMATOLOGIST_ADVICE)
True
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from enum import StrEnum

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .calibration import FITTED, Calibration
from .faq import Entry, Faq, Gap
from .matcher import EXACT_SCORE, Match, Matcher, Query
from .normalize import MAX_QUERY_CHARS, LazyPattern, clean_text, fold, looks_foreign, question_parts
from .records import record
from .safety import EVERY_MESSAGE, triage, without_denied_signs

__all__ = ["ADVICE", "CLOSINGS", "DERMATOLOGIST_ADVICE", "GOODBYE_ADVICE", "SHORT_ADVICE", "URGENT_DERMATOLOGIST_ADVICE",
           "Decision", "Reply", "ReplyKind", "Responder", "answer_chance", "clarify_chance", "decide",
           "decision_features", "ends_with_advice", "with_advice"]


class ReplyKind(StrEnum):
    """What kind of reply a message got (a plain string in JSON)."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    SMALLTALK = "smalltalk"
    URGENT = "urgent"


#: The last line of an answer: the article's own advice.
DERMATOLOGIST_ADVICE = "Please consult a dermatologist before starting micro needling, or about your own skin."
#: The last line of an urgent reply instead: the person should be seen, not plan a treatment.
URGENT_DERMATOLOGIST_ADVICE = ("Once you have had care, please also see a dermatologist promptly about your skin, "
                               "and do no more micro needling until they have seen it.")
#: The closing advice of each kind of reply.
ADVICE = {
    ReplyKind.ANSWER: DERMATOLOGIST_ADVICE,
    ReplyKind.CLARIFY: DERMATOLOGIST_ADVICE,
    ReplyKind.FALLBACK: "A dermatologist can answer this for your own skin: please consult one.",
    ReplyKind.SMALLTALK: "For anything about your own skin, please consult a dermatologist.",
    ReplyKind.URGENT: URGENT_DERMATOLOGIST_ADVICE,
}
#: The short form for help screens and session messages.
SHORT_ADVICE = "For your own skin, consult a dermatologist."
#: The goodbye's own closing.
GOODBYE_ADVICE = "Before you start micro needling, do consult a dermatologist."
#: Every closing a text of the program may end with.
CLOSINGS = (*dict.fromkeys(ADVICE.values()), SHORT_ADVICE, GOODBYE_ADVICE)


def ends_with_advice(text: str) -> bool:
    """Whether *text* ends, as every reply and message does, by advising a consultation with a dermatologist.

    >>> ends_with_advice(with_advice("Hello."))
    True
    """
    return text.rstrip().endswith(CLOSINGS)

#: The matches the decision looks at: the best POOL documents, entries and
#: declined topics alike.
POOL = 5
#: "Did you mean" offers the entries at most this far (in log-odds) below the best.
CLARIFY_SPREAD = 2.0
#: A declined topic at most this far (in log-odds) below the best entry, and
#: scoring at least NAME_TOPIC_SCORE, is named when the question is declined
#: ("recipe for banana bread" is not a question about acne).
NAME_TOPIC_WITHIN = 1.5
NAME_TOPIC_SCORE = 20.0
#: A declined topic less than this far (in log-odds) ahead of the best entry is a near tie: the
#: question may be either ("numbing cream before microneedling": which cream to use is not covered,
#: whether a clinic numbs the face is). It is then asked about, saying what the FAQ does not cover,
#: when "did you mean" is likely enough to offer the right entry; the entries offered are those as
#: close to the best entry as the topic is ("how much is a session" offers the session's length, not
#: how much stretch marks improve).
GAP_TIE = 1.0
#: A close call among the entries of one topic (each a related entry of the best one, with a tag in
#: common) is answered with the best one when its phrasing says at least this much of the question
#: (its overlap): its reply lists the others to ask next, where "did you mean" would list them to pick from.
SIBLING_OVERLAP = 0.75
#: The largest lead counted in the decision features (log-odds): beyond it, a lead is a lead.
MAX_LEAD = 2.0
#: How many of the best entries the phrasing models weigh against each other.
FIT_POOL = 4
#: A question of more parts than this is read part by part only as far as this (a pasted page of
#: questions costs a few of them, not one search each).
MAX_PARTS = 6
#: A question mostly made of words the FAQ never uses ("explain bitcoin to
#: me") is about something else: declined rather than offered "did you mean" (see :func:`may_offer`).
KNOWN_SHARE = 0.5


@record
class Reply:
    """What the assistant says to one message.

    Attributes:
        kind: Which kind of reply (:class:`ReplyKind`).
        text: The whole reply as a person reads it, the dermatologist advice last.
        question: The message as received (cut to the length that was read).
        entry_id: The answered entry's id, for answers only.
        score: Confidence in the best match, 0-100.
        suggestions: Entry ids offered next: the "did you mean" list, or an answer's follow-ups.
        matches: The best matches considered, best first (for /why).
        truncated: The message was longer than the limit and was cut.
        notes: How the reply was chosen, in words (for /why).
        topic: For a decline, the topic the FAQ does not cover that the question matched; for a
            "did you mean" that such a topic nearly won, that topic.
    """

    kind: ReplyKind
    text: str
    question: str
    entry_id: str | None = None
    score: float = 0.0
    suggestions: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()
    truncated: bool = False
    notes: tuple[str, ...] = ()
    topic: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The JSON form of the reply."""
        return {
            "question": self.question,
            "id": self.entry_id,
            "score": self.score,
            "kind": str(self.kind),
            "suggestions": list(self.suggestions),
            "text": self.text,
            "truncated": self.truncated,
            "topic": self.topic,
        }

    def __repr__(self) -> str:
        return f"Reply({self.kind.value}, entry_id={self.entry_id!r}, score={self.score})"


# -- small talk, as data ---------------------------------------------------------------------

def _either(*phrases: str) -> str:
    """The *phrases* as one alternation, their spaces escaped: the patterns below are verbose."""
    return "(?:" + "|".join(phrase.replace(" ", r"\ ") for phrase in phrases) + ")"


_ACK = _either("ok", "okay", "great", "cool", "awesome", "perfect", "nice", "alright", "lovely", "brilliant")
_THANK = _either("thanks?", "thank you", "thank u", "thanks a lot", "many thanks", "thx", "ty", "cheers",
                 "much appreciated", "appreciate it")
_HELPED = _either("helped", "helps", "helpful", "great", "useful", "answered my question", "answers my question",
                  "answered it", "answers it", "clears it up", "cleared it up", "cleared that up")
_MUCH = _either("a lot", "so much", "very much", "loads", "a ton", "heaps", "thanks", "thank you")
# Matched against folded text, where "gotta" is "have to".
_BYE = _either("bye+", "goodbye", "good bye", "bye bye", r"see (?:you|ya)(?: later)?", "cya", "later", "farewell",
               "good night", "have to go", "i have to go", "that is all", "i am done", "quit", "exit")
_BOT = _either("bot", "robot", "human", "real", "ai", "person", "doctor", "dermatologist", "chat ?bot", "machine",
               "computer", "program")
_MAKE = _either("made", "built", "created", "programmed", "wrote", "designed", "owns", "runs", "trained")
_TALK = _either("talking", "chatting", "speaking")
_GREETING_WORDS = (r"(?:hi+|hello+|hey+|hiya|howdy|yo|greetings|good\ (?:morning|afternoon|evening|day)|hola|sup"
                   r"|whats\ up|what\ is\ up)(?:\ there|\ you|\ bot|\ all|\ everyone)?")

# Each kind of small talk, as one pattern over the whole folded message.
_SMALLTALK: tuple[tuple[str, LazyPattern], ...] = tuple((kind, LazyPattern(pattern, re.VERBOSE)) for kind, pattern in (
    ("thanks", rf"""^(?:{_ACK}\ )*
                   {_THANK} (?:\ (?:so\ much|very\ much|a\ lot|again|for\ (?:the|your)\ (?:help|info|answer)))*
                   (?:\ (?:that|this|it|you)\ (?:really\ |have\ |has\ |was\ |is\ |were\ |so\ |very\ )*{_HELPED}
                      (?:\ {_MUCH})?)?$"""),
    ("ack", rf"""^(?:{_ACK}\ )*(?: great | awesome | cool | perfect | nice | ok | okay | alright | got\ it | i\ see
                                | makes\ sense | good\ to\ know | understood | noted )$"""),
    ("more", r"""^(?: tell\ me\ more | more | more\ please | go\ on | what\ else | anything\ else | and\ then
                  | what\ else\ (?:should|can|do)\ i\ know | tell\ me\ something\ else )$"""),
    ("source", r"""^(?: sources? | what\ is\ your\ source | what\ are\ your\ sources | where\ did\ you\ get\ (?:that|this)
                    | (?:what|which)\ article | where\ (?:is|does)\ (?:this|that)\ (?:from|come\ from)
                    | how\ do\ you\ know(?:\ that)? | says\ who | is\ that\ true | are\ you\ sure )$"""),
    ("question", r"""^(?: i\ have\ (?:a|one|some|a\ few)\ (?:quick\ )?questions? | (?:quick\ )?question
                      | can\ i\ ask\ (?:you\ )?(?:a\ (?:quick\ )?question|something) )$"""),
    ("confused", r"""^(?: why | how | what | huh | really | what\ do\ you\ mean | i\ do\ not\ understand
                      | i\ do\ not\ get\ it | i\ am\ confused | that\ makes\ no\ sense )$"""),
    ("bye", rf"^(?:(?:ok|okay|cool|great|alright|thanks|thank\ you|cheers)\ )* {_BYE} $"),
    ("who", rf"""^(?: (?:who|what)\ (?:are|r)\ (?:you|u)
                  | what\ (?:can|do)\ you\ (?:do|know|answer)
                  | (?:are\ (?:you|u)|is\ this|am\ i\ {_TALK}\ (?:to|with))\ (?:a\ |an\ )?(?:real\ )?{_BOT}
                  | who\ {_MAKE}\ (?:you|u|this)
                  | who\ am\ i\ (?:actually\ |really\ )?{_TALK}\ (?:to|with)
                  | (?:what\ is|whats)\ (?:this|your\ name)$ )"""),
    ("help", r"""^(?: help | help\ me | what\ can\ i\ ask | what\ (?:can|should)\ i\ ask(?:\ you)? | how\ does\ this\ work
                  | how\ do\ i\ use\ this | menu | options | commands | \?+
                  | what\ (?:can|could|do)\ (?:you|u)\ (?:help(?:\ me)?(?:\ with)? | do(?:\ for\ me)? | tell\ me(?:\ about)?
                                                 | answer | know(?:\ about)? | cover)
                  | what\ (?:do|can)\ (?:you|u)\ know | what\ are\ (?:you|u)\ for | what\ topics(?:\ do\ (?:you|u)\ cover)?
                  )$"""),
    ("greeting", f"^{_GREETING_WORDS}$"),
    ("how", r"^how\ (?:are|r)\ (?:you|u)(?:\ doing)?(?:\ today)?$"),
))
# A greeting before a question is skipped ("hi, does it hurt?").
_GREETING = LazyPattern("^" + _GREETING_WORDS + r"\b")
#: A line that is only a session command's name ("/topics"), outside the session.
_COMMAND = re.compile(r"/[A-Za-z]+")
#: The commands whose word is also small talk anywhere ("/help" is "help", "/quit" is "quit").
_SAID_ANYWHERE = frozenset(("help", "quit", "exit"))
#: The patterns every reply tries, whatever the message (the others are compiled on first use).
_EVERY_REPLY = (*(pattern for _, pattern in _SMALLTALK), _GREETING, *EVERY_MESSAGE)


@functools.cache
def _prepare() -> None:
    """Make, once per process, what every reply uses and would otherwise make on its first use: the
    patterns of :data:`_EVERY_REPLY`, and rapidfuzz's scorers (each loads its implementation on its
    first call). A :class:`Responder` calls it when it is built, so that its first reply costs about
    what the next ones do; a one-shot question pays the same either way."""
    for pattern in _EVERY_REPLY:
        pattern.compiled()
    fuzz.ratio("a", "b")
    process.extractOne("a", ("b",), scorer=OSA.distance)


@record
class Decision:
    """What to do with a question, from its best matches (see :func:`decide`).

    Attributes:
        kind: Answer, clarify ("did you mean") or fallback (decline).
        best: The entry to answer with, for an answer.
        offered: The entries to offer, for "did you mean".
        gap: The not-covered topic to name, for a decline that matched one, or for "did you mean" when
            such a topic is nearly as close as the entries offered.
        why: How it was decided, in words (for /why).
    """

    kind: ReplyKind
    best: Match | None = None
    offered: tuple[Match, ...] = ()
    gap: Gap | None = None
    why: tuple[str, ...] = ()


def decide(pool: Sequence[Match], query: Query, fits: Sequence[float], calibration: Calibration = FITTED
           ) -> Decision:
    """Answer, ask "did you mean" or decline, from the best matches *pool* (entries and
    declined topics, best first), the analysed *query* and the phrasing models' *fits* of
    the best :data:`FIT_POOL` entries.

    A declined topic that outranks every entry is declined by name, unless it is only a near tie
    (:data:`GAP_TIE`): then "did you mean" offers the entries, saying first what the FAQ does not
    cover, when it is likely enough to offer the right one; a question that is one
    of an entry's own phrasings is answered; otherwise the fitted chance that the best entry
    is right decides, then the chance that "did you mean" offers the right one (never for a
    question mostly made of words the FAQ does not know). A "did you mean" among the entries
    of one topic whose best one says most of the question is an answer (:data:`SIBLING_OVERLAP`);
    an entry that does not speak of what the question names as its subject (:attr:`Query.named`:
    "how long does a Botox appointment take") is never the answer, only offered; nor is an entry
    about the FAQ's subject for a question that may be about something else (:attr:`Query.elsewhere`:
    "what spf do I need for skiing"; :attr:`Query.loose`: "what spf should I wear every day in
    winter?"), nor, for a question asking what a thing is ("what is sunscreen?"), an entry that never
    says what things are.
    """
    entries = [m for m in pool if m.covered]
    gaps = [m for m in pool if not m.covered]
    top = entries[0] if entries else None
    if gaps and (top is None or gaps[0].score > top.score):
        gap = gaps[0].doc
        assert isinstance(gap, Gap)
        named = gap if gaps[0].score >= NAME_TOPIC_SCORE or gap is query.named_topic else None
        why: tuple[str, ...] = (f"closest to a topic the FAQ does not cover: {gap.topic}",)
        lead = _near_tie(entries, gaps, query, calibration)
        if lead is not None:
            offered = clarify_chance(decision_features(entries, gaps, query, list(fits), calibration), calibration)
            if offered >= calibration.clarify_at:
                assert top is not None
                return Decision(ReplyKind.CLARIFY, offered=_close(entries, calibration, GAP_TIE), gap=named, why=why + (
                    f"but only {lead:.2f} (log-odds) ahead of {top.id}: a near tie, so the entries are offered; "
                    f"the chance that \"did you mean\" offers the right one is {offered:.0%}",))
        return Decision(ReplyKind.FALLBACK, gap=named, why=why)
    if top is None:
        return Decision(ReplyKind.FALLBACK, why=("no entry shares the question's words",))
    if _exact(top):
        return Decision(ReplyKind.ANSWER, best=top,
                        why=(f"the question is one of {top.id}'s own phrasings: {top.phrasing!r}",))
    if query.implied:  # "it" read as the FAQ's subject is a guess: answered only in an entry's own words
        return Decision(ReplyKind.CLARIFY, offered=_close(entries, calibration),
                        why=("the question's only subject is an \"it\", read as the FAQ's subject",))
    # A question about another subject, which a declined topic names ("my new tattoo looks red, is that
    # normal?": "tattoos and tattoo removal"), is told so first, when its best entry does not speak of it.
    other = query.named_topic if not top.evidence.names else None
    features = decision_features(entries, gaps, query, list(fits), calibration)
    chance = answer_chance(features, calibration)
    why = (f"best entry {top.id} scores {top.score:.0f}; the chance that it is right is {chance:.0%}",)
    if chance >= calibration.answer_at:
        if features[1] < calibration.answer_lead:
            why += (f"but {entries[1].id} fits almost as well",)
        elif top.score < calibration.answer_score:
            why += (f"but a score of {top.score:.0f} is too low to answer on",)
        elif not top.evidence.names:  # "how long does a Botox appointment take?" is not about a session here
            offerable = may_offer(query)
            fate = "only offered" if offerable else "not offered either"
            if query.elsewhere:
                reason = (f"but the question does not name the FAQ's subject, and asks with words the FAQ "
                          f"does not know: it may be about something else, so {top.id} is {fate}")
            elif query.defining:
                reason = f"but the question asks what {query.named!r} is, and {top.id} does not say what things are"
            elif query.outside(top.evidence.foreign):
                asks = f" (it asks about {query.named!r})" if query.named else ""
                reason = (f"but nothing in the question ties it to the FAQ's subject{asks}, and {top.id} never speaks "
                          f"of {top.evidence.foreign:.0%} of it: it may be about something else, so it is {fate}")
            else:
                reason = f"but the question is about {query.named!r}, which {top.id} does not speak of"
            if not offerable:
                return Decision(ReplyKind.FALLBACK, gap=other, why=why + (reason, _mostly_unknown(query)))
            return Decision(ReplyKind.CLARIFY, offered=_close(entries, calibration), gap=other, why=why + (reason,))
        else:
            return Decision(ReplyKind.ANSWER, best=top, why=why)
    offered = clarify_chance(features, calibration)
    why += (f"the chance that \"did you mean\" offers the right entry is {offered:.0%}",)
    if not may_offer(query):
        why += (_mostly_unknown(query),)
    elif offered >= calibration.clarify_at:
        close = _close(entries, calibration)
        if _answers_its_topic(top, close) and top.evidence.names:
            others = ", ".join(m.id for m in close[1:])
            return Decision(ReplyKind.ANSWER, best=top, why=why + (
                f"a close call within one topic ({others} too): the phrasing of {top.id} says most of the "
                f"question, and its reply offers the others",))
        return Decision(ReplyKind.CLARIFY, offered=close, gap=other, why=why + ("not sure enough to answer",))
    near = gaps[0].doc if gaps and features[2] <= NAME_TOPIC_WITHIN and gaps[0].score >= NAME_TOPIC_SCORE else other
    assert near is None or isinstance(near, Gap)
    return Decision(ReplyKind.FALLBACK, gap=near, why=why + ("too unlikely to be right",))


def may_offer(query: Query) -> bool:
    """Whether "did you mean" may be the reply to *query*: not when it is mostly words the FAQ never uses
    (:data:`KNOWN_SHARE`: "explain bitcoin to me"), unless it names the FAQ's subject itself, which
    the FAQ's entries are about ("microneedling stretch marks stomach", when the FAQ never says stomach)."""
    return query.known_share >= KNOWN_SHARE or query.about


def _mostly_unknown(query: Query) -> str:
    """Why a question :func:`may_offer` refuses is declined, in words (for /why)."""
    return f"only {query.known_share:.0%} of the question is about things the FAQ knows"


def _near_tie(entries: list[Match], gaps: list[Match], query: Query, calibration: Calibration) -> float | None:
    """For a declined topic ahead of every entry: its lead (log-odds) over the best entry when that is a
    near tie the decision may ask about (:data:`GAP_TIE`), else ``None``."""
    if not entries or not gaps or query.implied or not may_offer(query):
        return None
    lead = gaps[0].evidence.z(calibration) - entries[0].evidence.z(calibration)
    return lead if lead < GAP_TIE else None


def _answers_its_topic(top: Match, close: tuple[Match, ...]) -> bool:
    """Whether "did you mean" would offer only *top* and entries of its topic (see :data:`SIBLING_OVERLAP`),
    and *top* is as much about the question as any of them."""
    if len(close) < 2 or top.evidence.overlap < SIBLING_OVERLAP:
        return False
    entry = top.entry
    return all(m.id in entry.related and not set(entry.tags).isdisjoint(m.entry.tags)
               and m.evidence.coverage <= top.evidence.coverage for m in close[1:])


def _close(entries: list[Match], calibration: Calibration, spread: float = CLARIFY_SPREAD) -> tuple[Match, ...]:
    """What "did you mean" offers: the best three entries at most *spread* (log-odds) below the best."""
    lowest = entries[0].evidence.z(calibration) - spread
    return tuple(m for m in entries[:3] if m.evidence.z(calibration) >= lowest)


def decision_features(entries: list[Match], gaps: list[Match], query: Query, fits: list[float],
                      calibration: Calibration = FITTED) -> tuple[float, float, float, float, float, float]:
    """What the decision weighs, for the best entry of *entries* (best first; at least one).

    The best entry's log-odds; its lead over the next entry and over the best
    declined topic; how much of the question it covers; how much of the
    question the FAQ knows at all; and its lead in how well the entries'
    phrasings, taken whole, fit the question (*fits*, one per entry, see
    :meth:`Matcher.fit`). Leads are capped at :data:`MAX_LEAD`.
    """
    top = entries[0].evidence.z(calibration)
    # A rival that shares nothing with the question has the z of no evidence at all: the bias.
    nothing = calibration.score_bias
    after = max(entries[1].evidence.z(calibration), nothing) if len(entries) > 1 else nothing
    gap = max(gaps[0].evidence.z(calibration), nothing) if gaps else nothing
    fit = fits[0] - max(fits[1:]) if len(fits) > 1 else MAX_LEAD
    return (top, _capped(top - after), _capped(top - gap), entries[0].evidence.coverage, query.known_share,
            _capped(fit))


def _exact(match: Match) -> bool:
    """Whether the question, normalised, is the match's phrasing itself (it then scores EXACT_SCORE or more)."""
    return match.evidence.chars >= 1.0 and match.score >= EXACT_SCORE


def _capped(lead: float) -> float:
    return max(-MAX_LEAD, min(lead, MAX_LEAD))


def answer_chance(features: tuple[float, ...], calibration: Calibration = FITTED) -> float:
    """The fitted chance (0-1) that answering with the best entry is right."""
    return _chance(features, calibration.decision_weights, calibration.decision_bias)


def clarify_chance(features: tuple[float, ...], calibration: Calibration = FITTED) -> float:
    """The fitted chance (0-1) that "did you mean" would offer the right entry."""
    return _chance(features, calibration.clarify_weights, calibration.clarify_bias)


def _chance(features: tuple[float, ...], weights: tuple[float, ...], bias: float) -> float:
    z = sum(w * f for w, f in zip(weights, features)) + bias
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


class Responder:
    """Composes replies from one FAQ. Built once; :meth:`reply` per message.

    *interactive* adds the hints that only make sense at a prompt ("type a
    number to pick one", "/topics"); a responder also remembers, as a session
    does, whether it has listed the FAQ's topics already (:attr:`listed_topics`:
    its first decline lists them, later ones stay short). Nothing else of one
    reply changes the next.
    """

    def __init__(self, faq: Faq, *, matcher: Matcher | None = None, interactive: bool = False,
                 calibration: Calibration | None = None) -> None:
        self.faq = faq
        self.matcher = matcher or Matcher(faq, calibration=calibration or FITTED)
        # The decision's thresholds for how densely this FAQ is written (few alternates: offer more).
        self.calibration = (calibration or self.matcher.calibration).for_density(
            self.matcher.faq.phrasings_per_entry)
        self.interactive = interactive
        self._entries = {entry.id: entry for entry in faq.entries}
        self._topics: str | None = None
        #: Whether a decline has listed the FAQ's topics already in this session.
        self.listed_topics = False
        _prepare()

    # -- the decision ------------------------------------------------------

    def reply(self, message: str) -> Reply:
        """The reply to *message*; never raises for any text."""
        routed = self.route(message)
        if isinstance(routed, Reply):
            return routed
        question, query, truncated, note = routed
        pool = tuple(self.matcher.candidates(query, limit=POOL, spread=MAX_LEAD))
        decision = self._decision(query, pool)
        if decision.kind != ReplyKind.ANSWER:  # not answered whole: perhaps one of its parts is
            part = self._answered_part(question, query, pool)
            if part is not None:
                return self._answer_part(question, truncated, note + decision.why, *part)
        return self._decided(decision, question, query, pool, truncated, note)

    def route(self, message: str) -> Reply | tuple[str, Query, bool, tuple[str, ...]]:
        """The reply to *message* when no match needs weighing (warning signs, small talk,
        nothing to match on); otherwise what the decision starts from: the
        question as read, its analysed query, whether it was cut, and notes."""
        question, truncated = _clip(message)
        note = ("message cut to the length limit",) if truncated else ()
        found = triage(message)
        if found.urgent:
            return self._urgent(question, truncated, note, found.severe, found.signs)
        folded = fold(question)
        if not folded:
            return self._reply(ReplyKind.SMALLTALK, "Ask me anything about micro needling, for example "
                               "\"How long does a session take?\"", question, truncated, note)
        smalltalk = self._smalltalk(folded)
        if not self.interactive and _COMMAND.fullmatch(question.strip()) and folded not in _SAID_ANYWHERE:
            # A session command on a piped line or in --jsonl ("/topics", "/why"): no session runs it.
            smalltalk = (f"{question.strip()} looks like a command: commands work only in the interactive "
                         f"session, and here each line is read as a question. {self._about()} Just ask.")
        if smalltalk is not None:
            return self._reply(ReplyKind.SMALLTALK, smalltalk, question, truncated, note,
                               advice=GOODBYE_ADVICE if self.is_goodbye(folded) else None)
        # "hi, does it hurt?": answer the question, not the greeting; and leave
        # out the signs the person says they do not have ("no bleeding, just pink").
        rest = without_denied_signs(_GREETING.sub("", folded, count=1))
        query = self.matcher.analyse(rest if rest and rest != folded else question)
        if query is None:
            return self._fallback(question, (), truncated, note + ("no word of the question is one the FAQ uses",))
        return question, query, truncated, note

    def is_goodbye(self, folded: str) -> bool:
        """Whether a folded message is a goodbye ("bye", "ok thanks bye")."""
        return dict(_SMALLTALK)["bye"].search(folded) is not None

    def unreadable(self, message: str, problem: str) -> Reply:
        """A decline that says why *message* could not be read as asked (a ``--jsonl`` line of the wrong shape)."""
        question, truncated = _clip(message)
        return self._reply(ReplyKind.FALLBACK, problem, question, truncated, (problem,))

    def choose(self, entry_id: str, *, question: str | None = None) -> Reply:
        """The answer reply for a known entry (a picked suggestion)."""
        entry = self._entries[entry_id]
        return self._answer(question or entry.question, entry, (), False, ("picked from the list",), score=100.0)

    def _decision(self, query: Query, pool: tuple[Match, ...]) -> Decision:
        """How to reply to *query*, from its best matches *pool* (see :func:`decide`); no reply is written."""
        entries = [m for m in pool if m.covered]
        fits = self.matcher.fit(query, entries[:FIT_POOL]) if entries else []
        return decide(pool, query, fits, self.calibration)

    def _answered_part(self, question: str, query: Query, pool: tuple[Match, ...]
                       ) -> tuple[str, tuple[Match, ...], Decision, list[Decision]] | None:
        """For a question of several parts that names the FAQ's subject and is not answered whole
        ("Does microneedling hurt, and how long does it take?"): its first part that an entry
        answers on its own, when the part names the subject too (an "it" in it is the subject the question
        named: "I booked microneedling for next week... Will it hurt?") and its entry is also one of the
        whole question's best two (the part, its matches, its decision, and the decisions of its
        other parts); else ``None``. A question that does not name the subject is left whole: its
        other part may say what it is about ("Does Botox hurt? Do they numb you first?"); and no
        part that does not is answered on its own ("can i get away with going to the office?"),
        nor the other answer an "or" goes on to ("does it work, or is it just another trend?")."""
        subject = self.matcher.subject
        if subject is None or subject not in query.weights:
            return None
        parts = question_parts(question)[:MAX_PARTS]
        if len(parts) < 2:
            return None
        near = {m.id for m in pool[:2] if m.covered}
        decisions: list[Decision] = []
        answered: tuple[str, tuple[Match, ...], Decision] | None = None
        for part, other_answer in parts:
            asked = None if other_answer else self.matcher.analyse(part, it_is_subject=True)
            if asked is None:
                continue
            found = tuple(self.matcher.candidates(asked, limit=POOL, spread=MAX_LEAD))
            decision = self._decision(asked, found)
            decisions.append(decision)
            if (answered is None and subject in asked.weights and decision.kind == ReplyKind.ANSWER
                    and decision.best is not None and decision.best.id in near):
                answered = (part, found, decision)
        if answered is None:
            return None
        return (*answered, [d for d in decisions if d is not answered[2]])

    def _answer_part(self, question: str, truncated: bool, notes: tuple[str, ...], part: str,
                     found: tuple[Match, ...], decision: Decision, others: list[Decision]) -> Reply:
        """The answer to one *part* of a question (see :meth:`_answered_part`): what its other parts
        ask is offered first when an entry answers it, and named when the FAQ does not cover it."""
        assert decision.best is not None and isinstance(decision.best.doc, Entry)
        entry = decision.best.doc
        also = [d.best.doc for d in others if d.kind == ReplyKind.ANSWER and d.best is not None
                and isinstance(d.best.doc, Entry) and d.best.doc is not entry]
        uncovered = [d.gap.topic for d in others if d.kind == ReplyKind.FALLBACK and d.gap is not None]
        return self._answer(question, entry, found, truncated, notes + (
            f"but its part {part!r} is answered on its own: " + "; ".join(decision.why),), also=also,
            uncovered=uncovered)

    def _decided(self, decision: Decision, question: str, query: Query, pool: tuple[Match, ...], truncated: bool,
                 note: tuple[str, ...]) -> Reply:
        """The reply *decision* makes for the question."""
        notes = note + decision.why
        if decision.kind == ReplyKind.ANSWER:
            assert decision.best is not None and isinstance(decision.best.doc, Entry)
            return self._answer(question, decision.best.doc, pool, truncated, notes)
        if decision.kind == ReplyKind.CLARIFY:
            return self._clarify(question, decision.offered, pool, truncated, notes, decision.gap)
        named = self.matcher.subject is not None and self.matcher.subject in query.weights
        return self._fallback(question, pool, truncated, notes, decision.gap, about_subject=named)

    # -- the texts ---------------------------------------------------------

    def _answer(self, question: str, entry: Entry, matches: tuple[Match, ...], truncated: bool,
                notes: tuple[str, ...], score: float | None = None, *, also: Sequence[Entry] = (),
                uncovered: Sequence[str] = ()) -> Reply:
        """An answer with *entry*; *also* are entries the question asks about too (offered first
        among the follow-ups), *uncovered* topics it asks about that the FAQ does not cover."""
        follow = list(dict.fromkeys([*also, *(self._entries[i] for i in entry.related if i in self._entries)]))
        lines = [entry.answer]
        for topic in dict.fromkeys(uncovered):
            lines += ["", f"You also asked about {clean_text(topic)}: the FAQ I answer from does not cover it."]
        if follow:
            lines += ["", "You might also ask:"]
            if self.interactive:
                lines += [f"  {n}. {e.question}" for n, e in enumerate(follow, 1)]
                lines.append("(Type a number to ask it.)")
            else:
                lines += [f"  - {e.question}" for e in follow]
        best = score if score is not None else next((m.score for m in matches if m.doc is entry), 0.0)
        return self._reply(ReplyKind.ANSWER, "\n".join(lines), question, truncated, notes, entry_id=entry.id,
                           score=best, suggestions=tuple(e.id for e in follow), matches=matches)

    def _clarify(self, question: str, close: tuple[Match, ...], matches: tuple[Match, ...],
                 truncated: bool, notes: tuple[str, ...], gap: Gap | None = None) -> Reply:
        if gap is not None:  # a near tie with a topic the FAQ does not cover: say so first
            lines = [f"The FAQ I answer from does not cover {clean_text(gap.topic)}. If you meant "
                     + ("this, I can answer it:" if len(close) == 1 else "one of these, I can answer it:")]
        else:
            lines = ["I'm not sure I understood. Did you mean:" if len(close) == 1
                     else "I'm not sure which of these you mean:"]
        if self.interactive:
            lines += [f"  {n}. {m.entry.question}" for n, m in enumerate(close, 1)]
            lines.append("Type its number to get the answer, or ask in other words." if len(close) == 1
                         else "Type a number to pick one, or ask in other words.")
        else:
            lines += [f"  - {m.entry.question}" for m in close]
            lines.append("Ask it that way, or ask in other words." if len(close) == 1
                         else "Ask one of these, or ask in other words.")
        return self._reply(ReplyKind.CLARIFY, "\n".join(lines), question, truncated, notes,
                           score=close[0].score, suggestions=tuple(m.doc.id for m in close), matches=matches,
                           topic=gap.topic if gap is not None else None)

    def _fallback(self, question: str, matches: tuple[Match, ...], truncated: bool,
                  notes: tuple[str, ...], gap: Gap | None = None, *, about_subject: bool = False) -> Reply:
        if gap is not None:
            lines = [f"The FAQ I answer from does not cover {clean_text(gap.topic)}, so I can't answer that."]
        elif looks_foreign(question):  # the words it shares with the FAQ were not enough: say why
            lines = ["I can only read questions in English, like the article my answers come from: "
                     "please ask again in English."]
        elif not about_subject and (not matches or max(m.score for m in matches) < 5):
            # (never said to a question that names micro needling: "what is CIT short for?")
            lines = ["That's outside what I can help with: I only answer questions about micro needling."]
        else:
            lines = ["I couldn't find that in the micro needling FAQ I answer from, and I'd rather not guess."]
        if not self.listed_topics:  # once a session: later declines stay short
            lines.append(f"I can tell you about {self.topics_sentence()}.")
            if self.interactive:
                lines.append("Type /topics to see every question I can answer.")
            self.listed_topics = True
        return self._reply(ReplyKind.FALLBACK, "\n".join(lines), question, truncated, notes,
                           score=matches[0].score if matches else 0.0, matches=matches,
                           topic=gap.topic if gap is not None else None)

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
        # No "I read only its first 1,000 characters": triage read all of it.
        return Reply(kind=ReplyKind.URGENT, text=with_advice(clean_text("\n".join(lines)), ADVICE[ReplyKind.URGENT]),
                     question=question, truncated=truncated, notes=note + (f"warning signs: {', '.join(signs)}",))

    def _smalltalk(self, folded: str) -> str | None:
        kind = next((kind for kind, pattern in _SMALLTALK if pattern.search(folded)), None)
        if kind is None:
            return None
        about = self._about()
        hint = " Type /topics to see them all, or just ask." if self.interactive else " Just ask."
        return {
            "greeting": f"Hello! {about}{hint}",
            "how": f"I'm fine, thank you. {about}{hint}",
            "thanks": "You're welcome. Ask me anything else about micro needling whenever you like.",
            "ack": "All right. Ask me anything else about micro needling whenever you like.",
            "more": ("Ask me about another part of it in your own words"
                     + (", pick one of the numbered follow-ups, or type /topics to see every question." if self.interactive
                        else ", for example \"What should I do after a session?\"")),
            "source": ("Every answer comes from a curated FAQ written from one article about micro needling, and "
                       "from nothing else; where the article does not say something, I say so rather than guess."),
            "question": "Go ahead: ask it in your own words.",
            "confused": f"Could you ask the whole question in other words? {about}{hint}",
            "bye": "Goodbye, and take care of your skin.",
            "who": f"I'm a small FAQ assistant, not a doctor. {about}{hint}",
            "help": f"{about}{hint} For example: \"Does micro needling hurt?\" or \"What should I do after a session?\"",
        }[kind]

    def _about(self) -> str:
        return f"I answer questions about micro needling from a curated FAQ: {self.topics_sentence()}."

    def topics_sentence(self) -> str:
        """A short list of what the FAQ covers, from its tags (or questions)."""
        if self._topics is None:
            tags = list(dict.fromkeys(t for e in self.faq.entries for t in e.tags))
            items = tags or [e.question.rstrip("?") for e in self.faq.entries[:6]]
            items = [clean_text(i) for i in items[:10]]
            self._topics = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        return self._topics

    def _reply(self, kind: ReplyKind, body: str, question: str, truncated: bool, notes: tuple[str, ...],
               advice: str | None = None, **fields) -> Reply:
        text = clean_text(body)
        if truncated:
            text = f"{text.rstrip()}\n\n(Your message was long, so I read only its first {MAX_QUERY_CHARS:,} characters.)"
        return Reply(kind=kind, text=with_advice(text, advice or ADVICE[kind]), question=question,
                     truncated=truncated, notes=notes, **fields)


def with_advice(text: str, advice: str = DERMATOLOGIST_ADVICE) -> str:
    """*text* followed by the dermatologist *advice*, as every reply and message ends."""
    return f"{text.rstrip()}\n\n{advice}"


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
