"""Speed and scale of the micro needling FAQ assistant, each against a baseline.

Run from the repository root::

    python benchmarks/bench.py            # full run (a few minutes: three synthetic FAQs up to 100,000 phrasings)
    python benchmarks/bench.py --quick    # under a minute: sizes 1,000 and 10,000, fewer repeats
    python benchmarks/bench.py --sizes 1000,100000 --json   # chosen sizes; figures as JSON too
    python benchmarks/bench.py --faqs zipf --sizes 100000   # one synthetic FAQ

It measures, and prints in one table with the targets and whether each is met:

1. **Matching on the shipped FAQ**: per-query time of ``Matcher.match(q, limit=3)``
   over the questions of ``tests/data/questions.tsv`` (median and 99th
   percentile), against a plain ``rapidfuzz.process.extractOne`` with
   ``fuzz.WRatio`` and ``utils.default_process`` over the same phrasings; and
   the median of a whole ``Responder.reply(q)``. Each round uses a freshly
   built matcher, so the spelling-correction cache is cold, as it is for a
   question nobody asked before; per-query times are the median over rounds.
2. **Scale**: three synthetic FAQs, generated deterministically
   (``random.Random(0)``), with 1,000, 10,000 and 100,000 phrasings each,
   written as YAML files: ``project`` (real words: the FAQ's source article, a
   few hundred common English words, and skincare-like rare topic words made
   from stems and suffixes), ``uniform`` (6,000 made-up words, each as likely
   as any other, so every word is in about a hundred entries at 100,000) and
   ``zipf`` (30,000 made-up words drawn with Zipf's law). Each size runs in a
   fresh subprocess: time to load the file (against a bare ``yaml.load`` of
   it), to build the matcher (against ``default_process`` of every phrasing),
   the peak resident memory (against a subprocess that only imports the
   modules; read as VmHWM, which is ru_maxrss without the parent's peak that
   Linux carries over an exec), and the per-query time over 225 queries: 200
   made from the phrasings (typos, dropped words) and unrelated questions, and
   25 made only of the FAQ's commonest words (reported on their own too),
   against the same extractOne/WRatio baseline at that size (fewer baseline
   queries at 100,000). Query times are from one pass, cold cache; warm
   passes are shown too. Then the first reply of a fresh process against the
   same reply warm.
3. **Start-up**: wall time of ``chat.py --json "..."`` against the floor
   ``python -c "import rapidfuzz, yaml"``, runs interleaved; and the time until
   the REPL shows its prompt in a pseudo-terminal.
4. **Throughput** of ``chat.py --jsonl`` on 20,000 distinct questions (every
   labelled question of ``tests/data``, then variants of them: greetings,
   closing words, typos, case) piped through one command as a user runs it
   (process start included; reported separately too): by default it shares
   the waiting lines with a helper process per core, so ``--jobs 1`` (one
   process) is measured beside it. ``--quick`` uses 5,000.

Only the standard library and the project are used. Every figure with a
target is compared with a baseline measured in the same run, so the ratios
hold on a noisy shared machine even when the absolute times drift.
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import itertools
import json
import os
import platform
import pty
import random
import re
import resource
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from assistant import FaqError, Matcher, Responder, load_faq  # noqa: E402
from assistant.normalize import STOPWORDS, fold  # noqa: E402

FAQ_PATH = ROOT / "knowledge" / "faq.yaml"
QUESTIONS_PATH = ROOT / "tests" / "data" / "questions.tsv"
ARTICLE_PATH = ROOT.parent / "shared" / "source" / "microneedling-article.txt"
JSON_QUESTION = "how long does a session take"

#: The synthetic FAQs: how their words are drawn (see :func:`generate_faq`).
VOCABULARIES = ("project", "uniform", "zipf")

# Targets: figure key -> (comparison, limit, target as shown, what it is, unit).
TARGETS = {
    "shipped.reply_median_ms": ("<=", 0.15, "<= 0.15 ms", "shipped FAQ, median reply", "ms"),
    "shipped.reply_p99_ms": ("<=", 0.6, "<= 0.6 ms", "shipped FAQ, 99th percentile reply", "ms"),
    "first.ratio": ("<=", 2.0, "<= 2x warm", "first reply in a fresh process / warm", "x"),
}
for _vocabulary in VOCABULARIES:
    _k, _at = f"scale.{_vocabulary}.100000.", f"100k {_vocabulary}, "
    TARGETS.update({
        _k + "load_build_s": ("<=", 4.0, "<= 4 s", _at + "load + build", "s"),
        _k + "query_median_ms": ("<=", 1.0, "<= 1 ms", _at + "median query", "ms"),
        _k + "query_p99_ms": ("<=", 5.0, "<= 5 ms", _at + "99th percentile query", "ms"),
        _k + "query_max_ms": ("<=", 20.0, "<= 20 ms", _at + "slowest query", "ms"),
        _k + "rss_mb": ("<=", 350.0, "<= 350 MB", _at + "peak resident memory", "MB"),
        _k + "speedup": (">=", 50.0, ">= 50x", _at + "speed-up over extractOne", "x"),
    })
TARGETS.update({
    "scale.zipf.growth_100000_over_1000": ("<=", 8.0, "<= 8x", "median query at 100k / at 1k, zipf", "x"),
    "startup.json_ratio": ("<=", 1.4, "<= 1.4x floor", "--json start-up / import floor", "x"),
    "jsonl.questions_per_s": (">=", 5000.0, ">= 5,000/s", "--jsonl replies per second, distinct", "/s"),
})


# -- small helpers -----------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """The *q*-th percentile (0-100) of *values*, linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timed(function, *args) -> tuple[float, object]:
    """Seconds taken by ``function(*args)``, and its result."""
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def per_query_times(function, queries: list[str]) -> list[float]:
    """Seconds taken by ``function(q)`` for each query."""
    clock = time.perf_counter
    out = []
    for query in queries:
        start = clock()
        function(query)
        out.append(clock() - start)
    return out


def ru_maxrss_mb() -> float:
    """``getrusage(RUSAGE_SELF).ru_maxrss`` in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def max_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    On Linux, ru_maxrss survives execve: a subprocess reports at least the
    peak of the parent that started it (here, the one that generated a
    100,000-phrasing FAQ). VmHWM in /proc/self/status belongs to the new
    process image only, so it is used when there is one.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return ru_maxrss_mb()


def child_env(pycache: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for a subprocess: the shipped FAQ, no user settings.

    With *pycache*, bytecode is cached there (PYTHONPYCACHEPREFIX), even when
    PYTHONDONTWRITEBYTECODE is set: an installed program starts from cached
    bytecode, and the dependencies in the floor have theirs. Without it the
    environment is inherited as it is.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICRONEEDLING_FAQ")}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.update(extra)
    return env


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def labelled_questions() -> list[str]:
    """The first column of tests/data/questions.tsv, header skipped."""
    return _first_column(QUESTIONS_PATH)


def _first_column(path: Path) -> list[str]:
    """The first column of a labelled file: its header, blank lines and comments skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t", 1)[0] for line in lines if line.strip() and not line.startswith("#")]


def all_phrasings(faq) -> list[str]:
    return [phrasing for entry in faq.entries for phrasing in entry.phrasings]


def baseline_query(phrasings: list[str]):
    """The plain rapidfuzz search every figure is compared with."""
    def search(query: str):
        return process.extractOne(query, phrasings, scorer=fuzz.WRatio, processor=utils.default_process)
    return search


# -- 1. matching on the shipped FAQ ----------------------------------------------

def bench_shipped(rounds: int) -> dict:
    """Per-query time of Matcher.match and Responder.reply, and of the baseline."""
    faq = load_faq(FAQ_PATH)
    questions = labelled_questions()
    baseline = baseline_query(all_phrasings(faq))
    match_rounds, reply_rounds, base_rounds = [], [], []
    for _ in range(rounds):
        gc.collect()
        matcher = Matcher(faq)  # fresh each round: cold spelling-correction cache
        match_rounds.append(per_query_times(lambda q, matcher=matcher: matcher.match(q, limit=3), questions))
        base_rounds.append(per_query_times(baseline, questions))
        responder = Responder(faq)
        reply_rounds.append(per_query_times(responder.reply, questions))
    match = [statistics.median(t) for t in zip(*match_rounds)]
    base = [statistics.median(t) for t in zip(*base_rounds)]
    reply = [statistics.median(t) for t in zip(*reply_rounds)]
    build = min(timed(Matcher, faq)[0] for _ in range(rounds))
    return {
        "entries": len(faq.entries),
        "phrasings": len(all_phrasings(faq)),
        "questions": len(questions),
        "rounds": rounds,
        "build_ms": build * 1e3,
        "query_median_ms": statistics.median(match) * 1e3,
        "query_p99_ms": percentile(match, 99) * 1e3,
        "baseline_median_ms": statistics.median(base) * 1e3,
        "baseline_p99_ms": percentile(base, 99) * 1e3,
        "speedup": statistics.median(base) / statistics.median(match),
        "query_mean_ms": statistics.mean(match) * 1e3,
        "reply_median_ms": statistics.median(reply) * 1e3,
        "reply_mean_ms": statistics.mean(reply) * 1e3,
        "reply_p99_ms": percentile(reply, 99) * 1e3,
    }


# -- 2. synthetic FAQs -------------------------------------------------------------

COMMON_WORDS = """
time year people way day man thing woman life child world school state family
student group country problem hand part place case week company system program
work government number night point home water room mother area money story fact
month lot right study book eye job word business issue side kind head house
service friend father power hour game line end member law car city community
name president team minute idea kid body information back parent face others
level office door health person art war history party result change morning
reason research girl guy moment air teacher force education foot boy age policy
music market sense nation plan college interest death experience effect use class
control care field development role effort rate heart drug show leader light
voice wife police mind price report decision son view relationship town road arm
difference value building action model season society tax director position
player record paper space ground form event official matter center couple site
project activity star table need court oil situation cost industry figure street
image phone data picture practice piece land product doctor wall patient worker
news test movie north love support technology step baby computer type attention
film tree source organization hair window evidence population site training
good new first last long great little own other old big high different small
large next early young important few public bad same able late hard major
better best sure free simple easy clear full special whole strong certain real
possible low open ready normal dry warm cold fresh soft gentle quick slow safe
daily weekly gentle natural common deep light dark red thin thick oily
make know take see come think look want give find tell ask work seem feel try
leave call keep start show hear play run move live believe hold bring happen
write provide sit stand lose pay meet include continue set learn lead understand
watch follow stop create speak read spend grow open walk offer remember love
consider appear buy wait serve die send expect build stay fall cut reach remove
apply wash rinse dry wear avoid mix combine help improve reduce heal protect
""".split()

STEMS = """
derm coll pigm retin hydr lipid kerat melan sebac cort glyc lact salic azel niac
pept ceram squal toco panth allant cent bakuch tranex arbut koj mand ferul resver
epid fibr elast ret vasc capill follic pil sudor adip coll vitil ros eczem psor
hyal gluc lumin clar tonal texture nour barr calm sooth bright glow firm smooth
plump tight scrub exfol cleans moist serum tonic balm mist drop patch mask peel
garden kitchen river market window paper winter summer autumn spring harbor
mountain valley forest desert island meadow orchard cottage village temple
copper silver amber coral ivory jasmine lavender lotus orchid saffron cedar
willow maple birch aloe neem argan jojoba marula rosehip moringa baobab kakadu
ginseng licor turmer matcha cacao honey oat rice bamboo seaweed algae kelp
charcoal clay kaolin bentonite zinc sulfur iron magnes calc potass sodium
""".split()

SUFFIXES = ["", "ate", "ide", "ine", "ol", "ic", "al", "ase", "ium", "oid", "ity", "ism",
            "ist", "ment", "ology", "osis", "itis", "ian", "ar", "ous", "ive", "ent", "on", "ex"]

OPENERS = [
    "what is", "what are", "how does", "how long does", "how long do", "can i use",
    "is it safe to use", "should i try", "why does", "when should i use", "where can i get",
    "does", "how often should i use", "what happens if i combine", "tell me about",
    "is there", "how much", "who should avoid", "what are the side effects of",
    "can you explain", "how do i apply", "is it normal for", "what about", "any tips on",
    "do you recommend", "how well does", "can microneedling help with", "explain",
]

TAILS = [
    "for my face", "after a week", "at home", "on sensitive skin", "before bed",
    "with a dermaroller", "in the morning", "for beginners", "every day", "after a session",
    "on dark skin", "for acne", "in winter", "for my neck", "with retinol", "long term",
]

OFF_TOPIC = [
    "what is the weather in paris tomorrow", "how do i bake sourdough bread",
    "who won the football match last night", "how do i change a flat tyre",
    "what is the capital of australia", "how to file my taxes online",
    "best way to train a puppy to sit", "how do i reverse a list in python",
    "recommend a good science fiction novel", "what time does the train leave",
    "how many calories in a banana", "can you book me a flight to rome",
    "why is the sky blue", "how do i fix a leaking kitchen tap",
    "what is the meaning of life", "how to grow tomatoes on a balcony",
    "translate good morning into spanish", "how much does a new laptop cost",
    "who painted the mona lisa", "how do i reset my router password",
    "what should i cook for dinner tonight", "is it going to snow this weekend",
    "how do i knit a scarf", "what is the stock price of apple",
    "how far is the moon from the earth", "tips for running a marathon",
    "how do i unblock a drain", "which phone has the best camera",
]


def build_vocabulary(rng: random.Random) -> tuple[list[str], list[str], list[int], list[str]]:
    """(common words, domain words, domain weights, rare topic words).

    Domain words, weighted by how often they occur, come from the source
    article (the FAQ file if the article is missing), so the synthetic FAQs
    stay the same while the shipped FAQ is edited.
    """
    common = list(dict.fromkeys(COMMON_WORDS))
    known = set(common) | STOPWORDS
    counts: dict[str, int] = {}
    source = ARTICLE_PATH if ARTICLE_PATH.is_file() else FAQ_PATH
    for line in source.read_text(encoding="utf-8").splitlines():
        for word in fold(line.split("#", 1)[0] if source == FAQ_PATH else line).split():
            if word.isalpha() and word.isascii() and len(word) >= 4 and word not in known:
                counts[word] = counts.get(word, 0) + 1
    domain = sorted(counts, key=lambda w: (-counts[w], w))
    weights = [counts[w] for w in domain]
    taken = known | set(domain)
    rare = sorted({stem + suffix for stem in STEMS for suffix in SUFFIXES} - taken)
    rare = [w for w in rare if len(w) >= 5 and w.isalpha()]
    rng.shuffle(rare)
    return common, domain, weights, rare


def _sentence(rng: random.Random, words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


VOCABULARY_NOTES = {
    "project": "real words, rare topic words",
    "uniform": "6,000 made-up words, used uniformly",
    "zipf": "30,000 made-up words, Zipf-distributed",
}


def made_up_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """*count* distinct pronounceable made-up words of five letters or more, none in *taken*."""
    onsets = "b br c cl d dr f fl g gr h j k l m n p pl r s st t tr v w z sh ch th".split()
    vowels = "a e i o u ai ea ou io".split()
    codas = ["", "n", "r", "l", "s", "m", "t", "nd", "st", "rk"]
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.choice((2, 2, 3))))
        word += rng.choice(codas)
        if len(word) >= 5 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


class _Words:
    """Where a synthetic FAQ's words come from: each entry's topic and theme, and filler."""

    def __init__(self, rng: random.Random, vocabulary: str) -> None:
        self.rng = rng
        if vocabulary == "project":
            # Real words: common English, the source article's (weighted by use), skincare-like rare ones.
            self.common, self.domain, self.weights, self.rare = build_vocabulary(rng)
            self.kind = vocabulary
            return
        taken = set(COMMON_WORDS) | STOPWORDS
        if vocabulary == "uniform":
            # 6,000 made-up words, each as likely as any other, for topics and filler alike: every
            # word ends up in about a hundred entries of the 100,000-phrasing FAQ.
            self.common = made_up_words(rng, 6000, taken)
        elif vocabulary == "zipf":
            # 30,000 made-up words drawn by rank with Zipf's law (p ~ 1/rank), as words of a language
            # are: a few very common ones, a long tail. Topics come from below the first 300.
            self.common = made_up_words(rng, 30000, taken)
            self.cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, len(self.common) + 1)))
            self.content = self.common[300:]
            self.content_cumulative = list(itertools.accumulate(1.0 / rank for rank in range(301, len(self.common) + 1)))
        else:
            raise ValueError(f"unknown vocabulary {vocabulary!r}; one of {', '.join(VOCABULARIES)}")
        self.kind = vocabulary

    def topic(self) -> list[str]:
        rng, size = self.rng, self.rng.choice((2, 2, 3))
        if self.kind == "project":
            return rng.sample(self.rare, size)
        if self.kind == "uniform":
            return rng.sample(self.common, size)
        return list(dict.fromkeys(rng.choices(self.content, cum_weights=self.content_cumulative, k=size)))

    def theme(self) -> list[str]:
        rng = self.rng
        if self.kind == "project":
            return list(dict.fromkeys(rng.choices(self.domain, self.weights, k=4)))
        if self.kind == "uniform":
            return rng.sample(self.common, 4)
        return list(dict.fromkeys(rng.choices(self.common, cum_weights=self.cumulative, k=4)))

    def filler(self, count: int) -> list[str]:
        """*count* words of no particular entry (distinct unless the vocabulary is Zipf's)."""
        rng = self.rng
        if self.kind == "zipf":
            return rng.choices(self.common, cum_weights=self.cumulative, k=count)
        return rng.sample(self.common, count)


def generate_faq(phrasings: int, seed: int = 0, vocabulary: str = "project") -> tuple[str, list[dict]]:
    """YAML text of a synthetic FAQ with exactly *phrasings* phrasings, and its entries.

    *vocabulary* is one of :data:`VOCABULARIES`: ``project`` (real words: common
    English, the source article's, skincare-like rare topic words), ``uniform``
    (6,000 made-up words used uniformly) or ``zipf`` (30,000 made-up words drawn
    with Zipf's law).
    """
    rng = random.Random(seed)
    words = _Words(rng, vocabulary)
    n_entries = max(1, phrasings // 10)
    per_entry = [10] * n_entries
    per_entry[-1] += phrasings - 10 * n_entries
    used: set[str] = set()
    topics: set[frozenset[str]] = set()
    entries = []
    for index, count in enumerate(per_entry):
        while True:
            topic = words.topic()
            if len(topic) >= 2 and frozenset(topic) not in topics:
                topics.add(frozenset(topic))
                break
        theme = words.theme()
        found: list[str] = []
        tries = 0
        while len(found) < count:
            text = _phrasing(rng, topic, theme, words, question=not found)
            if tries > 40:  # practically never: make it unique by its position
                text += f" {index} {len(found)}"
            key = fold(text)
            tries += 1
            if key and key not in used:
                used.add(key)
                found.append(text)
                tries = 0
        answer = " ".join(_sentence(rng, rng.sample(topic, len(topic)) + words.filler(3)
                                    + rng.sample(theme, min(2, len(theme))) + words.filler(3))
                          for _ in range(2))
        entries.append({"id": "-".join(topic) + f"-{index}", "question": found[0],
                        "alternates": found[1:], "answer": answer, "source": f"Section {index % 50}"})
    lines = ["version: 1", "entries:"]
    for entry in entries:
        lines.append(f"  - id: {entry['id']}")
        lines.append(f"    question: {json.dumps(entry['question'])}")
        lines.append("    alternates:")
        lines.extend(f"      - {json.dumps(text)}" for text in entry["alternates"])
        lines.append(f"    answer: {json.dumps(entry['answer'])}")
        lines.append(f"    source: {json.dumps(entry['source'])}")
    return "\n".join(lines) + "\n", entries


def _phrasing(rng: random.Random, topic: list[str], theme: list[str], words: _Words,
              question: bool) -> str:
    opener = rng.choice(OPENERS).split()
    picked = rng.sample(topic, len(topic) if question else rng.randint(1, len(topic)))
    extra = rng.sample(theme, rng.randint(0, min(2, len(theme))))
    tail = rng.choice(TAILS).split() if rng.random() < 0.5 else []
    if rng.random() < 0.3:
        tail = words.filler(1) + tail
    parts = (opener + picked + extra + tail)[:12]
    while len(parts) < 3:
        parts += words.filler(1)
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "?" if question else text


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # swap
    if kind == 1:
        return word[:i] + word[i + 1:]  # drop a letter
    if kind == 2:
        return word[:i] + rng.choice("aeioustrnl") + word[i + 1:]  # wrong letter
    return word[:i] + word[i] + word[i:]  # doubled letter


def make_queries(entries: list[dict], count: int = 200, seed: int = 1) -> list[dict]:
    """Queries from the phrasings (typos, dropped words, verbatim) and unrelated ones."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.2:
            text = rng.choice(OFF_TOPIC)
            if rng.random() < 0.5:
                text = rng.choice(("hey ", "quick question: ", "so ", "")) + text + rng.choice(("?", " please", ""))
            queries.append({"text": text, "expected": None, "kind": "unrelated"})
            continue
        entry = rng.choice(entries)
        words = rng.choice([entry["question"], *entry["alternates"]]).rstrip("?").lower().split()
        kind = "verbatim"
        topic = set(entry["id"].split("-"))
        if roll >= 0.3 and len(words) > 3:
            for _ in range(rng.randint(1, 2)):
                others = [i for i, w in enumerate(words) if w not in topic]
                if len(words) > 3 and others:
                    words.pop(rng.choice(others))
            kind = "dropped words"
        if roll >= 0.5:
            long_words = [i for i, w in enumerate(words) if len(w) >= 5]
            for i in rng.sample(long_words, min(len(long_words), rng.randint(1, 2))):
                words[i] = _typo(rng, words[i])
            kind = "typos"
        queries.append({"text": " ".join(words), "expected": entry["id"], "kind": kind})
    return queries


def common_queries(entries: list[dict], count: int = 25, seed: int = 2) -> list[dict]:
    """Questions made only of the FAQ's commonest words: the ones whose postings are longest.

    An opener ("why does", "what is") and one to three of the 30 words its
    phrasings use most, stop words aside; no entry is intended.
    """
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    for entry in entries:
        for text in (entry["question"], *entry["alternates"]):
            for word in fold(text).split():
                if word not in STOPWORDS and word.isalpha():
                    counts[word] = counts.get(word, 0) + 1
    commonest = sorted(counts, key=lambda w: (-counts[w], w))[:30]
    return [{"text": f"{rng.choice(OPENERS)} {' '.join(rng.sample(commonest, rng.randint(1, 3)))}",
             "expected": None, "kind": "common terms"} for _ in range(count)]


def varied_questions(count: int, seed: int = 3) -> list[str]:
    """*count* distinct questions for the shipped FAQ: every labelled question, then variants of them.

    A variant adds a greeting, a closing word or a typo, or changes case, so no
    line repeats another and the spelling cache cannot serve one from the last.
    """
    rng = random.Random(seed)
    base = list(dict.fromkeys(q for path in sorted((ROOT / "tests" / "data").glob("*.tsv"))
                              for q in _first_column(path)))
    prefixes = ["", "hi, ", "hello! ", "quick question: ", "so ", "ok so ", "hey, ", "one more: ", "and ", "um "]
    suffixes = ["", "?", " please", " thanks", "??", " - asking for a friend", " at all", " really", "!"]
    seen: set[str] = set()
    out: list[str] = []
    for question in base:
        if question not in seen and len(out) < count:
            seen.add(question)
            out.append(question)
    while len(out) < count:
        words = rng.choice(base).split()
        long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long_words and rng.random() < 0.4:
            i = rng.choice(long_words)
            words[i] = _typo(rng, words[i])
        text = rng.choice(prefixes) + " ".join(words) + rng.choice(suffixes)
        if rng.random() < 0.2:
            text = text.lower() if rng.random() < 0.5 else text.capitalize()
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def child_imports() -> dict:
    """Subprocess body: only the imports, for the memory baseline."""
    return {"rss_mb": max_rss_mb(), "ru_maxrss_mb": ru_maxrss_mb()}


def child_scale(faq_path: str, queries_path: str, baseline_count: int, warm_rounds: int) -> dict:
    """Subprocess body for one size: load, build, memory, queries, baselines."""
    queries = json.loads(Path(queries_path).read_text(encoding="utf-8"))
    texts = [q["text"] for q in queries]
    rss_start = max_rss_mb()
    gc.collect()
    load_s, faq = timed(load_faq, faq_path)
    build_s, matcher = timed(Matcher, faq)
    cold_results = []
    clock = time.perf_counter
    cold = []
    for text in texts:  # one pass, cold spelling-correction cache
        start = clock()
        cold_results.append(matcher.match(text, limit=3))
        cold.append(clock() - start)
    warm_rounds_times = [per_query_times(lambda q: matcher.match(q, limit=3), texts) for _ in range(warm_rounds)]
    rss, ru_maxrss = max_rss_mb(), ru_maxrss_mb()  # before the baselines, which allocate their own

    phrasings = all_phrasings(faq)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    yaml_s = min(timed(lambda: yaml.load(Path(faq_path).read_text(encoding="utf-8"), Loader=loader))[0]
                 for _ in range(1 if len(phrasings) > 20_000 else 3))
    process_s = min(timed(lambda: [utils.default_process(p) for p in phrasings])[0] for _ in range(3))
    baseline = baseline_query(phrasings)
    sample = texts[:baseline_count]
    base = per_query_times(baseline, sample)

    common = [t for q, t in zip(queries, cold) if q["kind"] == "common terms"] or [float("nan")]
    on_topic = [(q, r) for q, r in zip(queries, cold_results) if q["expected"]]
    hits = sum(1 for q, r in on_topic if r and r[0].id == q["expected"])
    warm = [statistics.median(t) for t in zip(*warm_rounds_times)] if warm_rounds else cold
    return {
        "phrasings": len(phrasings),
        "entries": len(faq.entries),
        "file_mb": Path(faq_path).stat().st_size / 1e6,
        "vocabulary": len(matcher.normalizer.vocabulary),
        "load_s": load_s,
        "yaml_load_s": yaml_s,
        "build_s": build_s,
        "default_process_s": process_s,
        "load_build_s": load_s + build_s,
        "rss_mb": rss,
        "rss_start_mb": rss_start,
        "ru_maxrss_mb": ru_maxrss,
        "queries": len(texts),
        "query_median_ms": statistics.median(cold) * 1e3,
        "query_p99_ms": percentile(cold, 99) * 1e3,
        "query_max_ms": max(cold) * 1e3,
        "common_queries": len(common),
        "common_median_ms": statistics.median(common) * 1e3,
        "common_p99_ms": percentile(common, 99) * 1e3,
        "common_max_ms": max(common) * 1e3,
        "warm_median_ms": statistics.median(warm) * 1e3,
        "warm_p99_ms": percentile(warm, 99) * 1e3,
        "baseline_queries": len(sample),
        "baseline_median_ms": statistics.median(base) * 1e3,
        "baseline_p99_ms": percentile(base, 99) * 1e3,
        "matcher_median_on_sample_ms": statistics.median(cold[:len(sample)]) * 1e3,
        "speedup": statistics.median(base) / statistics.median(cold[:len(sample)]),
        "top1_hit_rate": hits / len(on_topic) if on_topic else float("nan"),
    }


def child_first() -> dict:
    """Subprocess body: the first reply of a fresh process, then the same question warm."""
    responder = Responder(load_faq(FAQ_PATH))
    questions = labelled_questions()
    clock = time.perf_counter
    start = clock()
    responder.reply(JSON_QUESTION)
    first = clock() - start
    for question in questions:  # warm everything, then time the same question again
        responder.reply(question)
    warm = per_query_times(responder.reply, [JSON_QUESTION] * 50)
    return {"first_ms": first * 1e3, "warm_ms": statistics.median(warm) * 1e3}


def bench_first(runs: int, workdir: Path) -> dict:
    """The first reply of a fresh process against the same reply warm (median of *runs* processes)."""
    pycache = workdir / "pycache"
    done = [run_child(["--child", "first"], pycache) for _ in range(runs)]
    first = statistics.median(d["first_ms"] for d in done)
    warm = statistics.median(d["warm_ms"] for d in done)
    return {"runs": runs, "first_ms": first, "warm_ms": warm, "ratio": first / warm}


def run_child(args: list[str], pycache: Path) -> dict:
    """Run this script in a fresh interpreter for one measurement; return its JSON."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=ROOT,
                          capture_output=True, text=True, env=child_env(pycache))
    if done.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed ({done.returncode}):\n{done.stderr.strip()}")
    return json.loads(done.stdout)


def bench_scale(sizes: list[int], vocabularies: list[str], quick: bool, workdir: Path) -> dict:
    """Load, build, memory and query time for each synthetic FAQ and size."""
    pycache = workdir / "pycache"
    # Twice: the first run also compiles the package into the bytecode cache.
    imports = [run_child(["--child", "imports"], pycache)["rss_mb"] for _ in range(2)]
    results: dict = {"imports_rss_mb": imports[-1]}
    for vocabulary in vocabularies:
        figures_of: dict = {}
        for size in sizes:
            progress(f"generating a synthetic FAQ ({vocabulary} vocabulary) with {size:,} phrasings")
            text, entries = generate_faq(size, vocabulary=vocabulary)
            faq_file = workdir / f"faq-{vocabulary}-{size}.yaml"
            faq_file.write_text(text, encoding="utf-8")
            queries_file = workdir / f"queries-{vocabulary}-{size}.json"
            queries_file.write_text(json.dumps(make_queries(entries) + common_queries(entries)), encoding="utf-8")
            # extractOne is linear in the FAQ: ~0.15-0.3 s a query at 100,000 phrasings.
            baseline_count = max(10, min(200, 4_000_000 // size))
            if quick:
                baseline_count = max(10, baseline_count // 4)
            progress(f"measuring {size:,} phrasings in a fresh process ({baseline_count} baseline queries)")
            figures = run_child(["--child", "scale", str(faq_file), str(queries_file),
                                 str(baseline_count), "1" if quick else "3"], pycache)
            figures["rss_above_imports_mb"] = figures["rss_mb"] - results["imports_rss_mb"]
            figures_of[str(size)] = figures
            faq_file.unlink()
        if len(sizes) >= 2:
            small, large = min(sizes), max(sizes)
            figures_of[f"growth_{large}_over_{small}"] = (figures_of[str(large)]["query_median_ms"]
                                                          / figures_of[str(small)]["query_median_ms"])
        results[vocabulary] = figures_of
    return results


# -- 3. start-up ----------------------------------------------------------------

def _wall(command: list[str], pycache: Path | None, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, env=child_env(pycache), **kwargs)
    return time.perf_counter() - start, done


def bench_startup(runs: int, workdir: Path) -> dict:
    """``chat.py --json`` against ``python -c "import rapidfuzz, yaml"``, interleaved.

    Measured with bytecode cached (as installed) and, for information, with
    the environment as it is (no .pyc at all under PYTHONDONTWRITEBYTECODE).
    """
    pycache = workdir / "pycache"
    chat = [sys.executable, "chat.py", "--json", JSON_QUESTION]
    floor = [sys.executable, "-c", "import rapidfuzz, yaml"]
    for cache in (pycache, None):  # warm the file and bytecode caches
        _wall(chat, cache), _wall(floor, cache)
    times: dict[str, list[float]] = {"json": [], "floor": [], "json_as_is": [], "floor_as_is": []}
    answer = None
    for _ in range(runs):
        for suffix, cache in (("", pycache), ("_as_is", None)):
            seconds, done = _wall(chat, cache)
            if done.returncode != 0:
                raise RuntimeError(f"chat.py --json failed: {done.stderr.decode(errors='replace')}")
            answer = json.loads(done.stdout)
            times["json" + suffix].append(seconds)
            times["floor" + suffix].append(_wall(floor, cache)[0])
    median = {key: statistics.median(values) for key, values in times.items()}
    return {
        "runs": runs,
        "json_s": median["json"],
        "floor_s": median["floor"],
        "json_ratio": median["json"] / median["floor"],
        "json_as_is_s": median["json_as_is"],
        "floor_as_is_s": median["floor_as_is"],
        "json_as_is_ratio": median["json_as_is"] / median["floor_as_is"],
        "dont_write_bytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
        "json_answer": f"{answer.get('kind')} {answer.get('id')}",
    }


_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def _time_prompt(home: Path, prompt: str, pycache: Path, timeout: float = 20.0) -> tuple[float | None, str]:
    """Seconds until chat.py in a pseudo-terminal shows *prompt*, or None and why not.

    The prompt is matched without its trailing space: prompt_toolkit draws
    the space as a cursor movement, not as a character.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = child_env(pycache, PROMPT_TOOLKIT_NO_CPR="1", HOME=str(home), XDG_DATA_HOME=str(home),
                    TERM="xterm-256color")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "chat.py", "--no-history"], cwd=ROOT, env=env,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while True:
            left = start + timeout - time.perf_counter()
            if left <= 0:
                return None, f"no prompt within {timeout:.0f} s"
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                data = b""
            if not data:
                text = _ANSI.sub("", seen.decode(errors="replace")).strip()
                return None, f"chat.py exited before a prompt: {text[-160:] or 'no output'}"
            seen += data
            if prompt in _ANSI.sub("", seen.decode(errors="replace")):
                return time.perf_counter() - start, ""
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        os.close(master)


def bench_repl(runs: int, workdir: Path) -> dict:
    """Time until the REPL prompt, against importing rapidfuzz, yaml and prompt_toolkit."""
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    pycache = workdir / "pycache"
    floor = [sys.executable, "-c", "import rapidfuzz, yaml, prompt_toolkit"]
    try:
        from assistant.repl import PROMPT as prompt
    except Exception:  # no REPL module (yet), or no PROMPT constant: the usual prompt
        prompt = "> "
    prompt = prompt.rstrip() or prompt
    try:
        first, why = _time_prompt(home, prompt, pycache)
    except OSError as error:
        return {"skipped": f"pseudo-terminal unavailable: {error}"}
    if first is None:
        return {"skipped": why}
    prompt_times, floor_times = [], []
    for _ in range(runs):
        seconds, why = _time_prompt(home, prompt, pycache)
        if seconds is None:
            return {"skipped": why}
        prompt_times.append(seconds)
        floor_times.append(_wall(floor, pycache)[0])
    return {
        "runs": runs,
        "prompt": prompt,
        "prompt_s": statistics.median(prompt_times),
        "floor_s": statistics.median(floor_times),
        "prompt_ratio": statistics.median(prompt_times) / statistics.median(floor_times),
    }


# -- 4. --jsonl throughput ---------------------------------------------------------

def bench_jsonl(count: int, runs: int, workdir: Path) -> dict:
    """Questions per second through ``chat.py --jsonl`` on *count* distinct questions: as a user runs
    it (one process per core, see ``--jobs``), and in one process (``--jobs 1``), runs interleaved."""
    lines = varied_questions(count)
    payload = ("\n".join(lines) + "\n").encode()
    command = [sys.executable, "chat.py", "--jsonl"]
    pycache = workdir / "pycache"
    totals, singles, starts = [], [], []
    outputs = set()
    for _ in range(runs):
        for extra, into in (([], totals), (["--jobs", "1"], singles)):
            seconds, done = _wall(command + extra, pycache, input=payload)
            if done.returncode != 0:
                raise RuntimeError(f"chat.py --jsonl failed: {done.stderr.decode(errors='replace')}")
            answered = done.stdout.count(b"\n")
            if answered != count:
                raise RuntimeError(f"chat.py --jsonl answered {answered} of {count} questions")
            outputs.add(done.stdout)
            into.append(seconds)
        starts.append(_wall(command, pycache, input=b"")[0])
    if len(outputs) != 1:
        raise RuntimeError("chat.py --jsonl wrote other replies with --jobs 1 than by default")
    total, single, start = statistics.median(totals), statistics.median(singles), statistics.median(starts)
    return {
        "questions": count,
        "runs": runs,
        "jobs": _default_jobs(),
        "total_s": total,
        "start_s": start,
        "questions_per_s": count / total,
        "after_start_per_s": count / max(total - start, 1e-9),
        "one_process_s": single,
        "one_process_per_s": count / single,
    }


def _default_jobs() -> int:
    """How many processes ``chat.py --jsonl`` answers with here by default."""
    from assistant.cli import _jobs

    return _jobs(None)


# -- the report ------------------------------------------------------------------

def flatten(figures: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def verdict(flat: dict, key: str) -> tuple[str, str]:
    """(target text, "yes"/"NO"/"n/a") for a figure key."""
    if key not in TARGETS:
        return "", ""
    op, limit, text, _, _ = TARGETS[key]
    value = flat.get(key)
    if value is None:
        return text, "n/a"
    ok = value <= limit if op == "<=" else value >= limit
    return text, "yes" if ok else "NO"


def report(figures: dict, sizes: list[int]) -> str:
    flat = flatten(figures)
    rows: list[tuple[str, str, str]] = []  # (label, figure, key for the target)

    def section(title: str) -> None:
        rows.append((f"\n{title}", "", ""))

    def row(label: str, value: str, key: str = "") -> None:
        rows.append((f"  {label}", value, key))

    s = figures["shipped"]
    section(f"1. Shipped FAQ ({s['entries']} entries, {s['phrasings']} phrasings; "
            f"{s['questions']} questions x {s['rounds']} rounds, fresh matcher each round)")
    row("Matcher build", f"{s['build_ms']:.1f} ms")
    row("Matcher.match, median", f"{s['query_median_ms']:.3f} ms", "shipped.query_median_ms")
    row("Matcher.match, 99th percentile", f"{s['query_p99_ms']:.3f} ms")
    row("Matcher.match, mean", f"{s['query_mean_ms']:.3f} ms")
    row("baseline extractOne/WRatio, median", f"{s['baseline_median_ms']:.3f} ms")
    row("baseline extractOne/WRatio, 99th percentile", f"{s['baseline_p99_ms']:.3f} ms")
    row("speed-up over the baseline (medians)", f"{s['speedup']:.1f}x")
    row("Responder.reply, median", f"{s['reply_median_ms']:.3f} ms", "shipped.reply_median_ms")
    row("Responder.reply, 99th percentile", f"{s['reply_p99_ms']:.3f} ms", "shipped.reply_p99_ms")
    row("Responder.reply, mean (what --jsonl pays)", f"{s['reply_mean_ms']:.3f} ms")

    sc = figures["scale"]
    section(f"2. Scale (synthetic FAQs, a fresh process per size; "
            f"import-only process: {sc['imports_rss_mb']:.0f} MB)")
    for vocabulary in VOCABULARIES:
        of = sc.get(vocabulary)
        if of is None:
            continue
        rows.append((f"  == {vocabulary} vocabulary: {VOCABULARY_NOTES[vocabulary]}", "", ""))
        for size in sizes:
            f = of.get(str(size))
            if f is None:
                continue
            k = f"scale.{vocabulary}.{size}."
            rows.append((f"  -- {size:,} phrasings ({f['entries']:,} entries, {f['file_mb']:.1f} MB YAML, "
                         f"{f['vocabulary']:,} words)", "", ""))
            row("load_faq", f"{f['load_s']:.3f} s  (bare yaml.load {f['yaml_load_s']:.3f} s, "
                            f"{f['load_s'] / f['yaml_load_s']:.1f}x)")
            row("Matcher build", f"{f['build_s']:.3f} s  (default_process of all "
                                 f"{f['default_process_s'] * 1e3:.1f} ms, {f['build_s'] / f['default_process_s']:.0f}x)")
            row("load + build", f"{f['load_build_s']:.2f} s", k + "load_build_s")
            row("peak resident memory", f"{f['rss_mb']:.0f} MB  ({f['rss_above_imports_mb']:+.1f} MB over imports)",
                k + "rss_mb")
            row(f"query median ({f['queries']} queries, cold)", f"{f['query_median_ms']:.3f} ms",
                k + "query_median_ms")
            row("query 99th percentile (cold)", f"{f['query_p99_ms']:.3f} ms", k + "query_p99_ms")
            row("slowest query (cold)", f"{f['query_max_ms']:.3f} ms", k + "query_max_ms")
            row(f"only common terms ({f['common_queries']}): median / p99 / max",
                f"{f['common_median_ms']:.3f} / {f['common_p99_ms']:.3f} / {f['common_max_ms']:.3f} ms")
            row("query median / 99th percentile (warm)", f"{f['warm_median_ms']:.3f} / {f['warm_p99_ms']:.3f} ms")
            row(f"baseline median / 99th pct ({f['baseline_queries']} queries)",
                f"{f['baseline_median_ms']:.2f} / {f['baseline_p99_ms']:.2f} ms")
            row("speed-up over the baseline (same queries)", f"{f['speedup']:.0f}x", k + "speedup")
            row("top-1 = intended entry (on-topic queries)", f"{100 * f['top1_hit_rate']:.0f}%")
        for key in [key for key in of if key.startswith("growth_")]:
            large, small = key[len("growth_"):].split("_over_")
            row(f"query median at {int(large):,} / at {int(small):,}", f"{of[key]:.1f}x",
                f"scale.{vocabulary}.{key}")

    fr = figures["first"]
    section(f"2b. First reply in a fresh process (median of {fr['runs']} processes)")
    row(f'first Responder.reply("{JSON_QUESTION}")', f"{fr['first_ms']:.3f} ms")
    row("the same reply, warm", f"{fr['warm_ms']:.3f} ms")
    row("first / warm", f"{fr['ratio']:.1f}x", "first.ratio")

    st = figures["startup"]
    section(f"3. Start-up (median of {st['runs']} runs, interleaved; bytecode cached unless said)")
    row(f'chat.py --json "{JSON_QUESTION}"', f"{st['json_s'] * 1e3:.0f} ms  ({st['json_answer']})")
    row('floor: python -c "import rapidfuzz, yaml"', f"{st['floor_s'] * 1e3:.0f} ms")
    row("--json start-up / floor", f"{st['json_ratio']:.2f}x", "startup.json_ratio")
    as_is = "no .pyc: PYTHONDONTWRITEBYTECODE is set" if st["dont_write_bytecode"] else "environment as is"
    row(f"the same, {as_is}", f"{st['json_as_is_s'] * 1e3:.0f} / {st['floor_as_is_s'] * 1e3:.0f} ms = "
                              f"{st['json_as_is_ratio']:.2f}x")
    repl = figures["repl"]
    if "skipped" in repl:
        row("REPL prompt in a pseudo-terminal", f"skipped: {repl['skipped']}")
    else:
        row(f"REPL prompt {repl['prompt']!r} in a pseudo-terminal (median of {repl['runs']})", f"{repl['prompt_s'] * 1e3:.0f} ms")
        row("floor: import rapidfuzz, yaml, prompt_toolkit", f"{repl['floor_s'] * 1e3:.0f} ms")
        row("REPL prompt / floor", f"{repl['prompt_ratio']:.2f}x")

    j = figures["jsonl"]
    section(f"4. --jsonl throughput ({j['questions']:,} distinct questions through one command, "
            f"median of {j['runs']}; by default {j['jobs']} process{'es' if j['jobs'] != 1 else ''} here)")
    row("wall time, process start included", f"{j['total_s']:.2f} s")
    row("questions per second", f"{j['questions_per_s']:,.0f}/s", "jsonl.questions_per_s")
    row("questions per second with --jobs 1 (one process)", f"{j['one_process_per_s']:,.0f}/s")
    row("process start (empty input)", f"{j['start_s'] * 1e3:.0f} ms")
    row("questions per second after the start (info)", f"{j['after_start_per_s']:,.0f}/s")

    width = max(len(label) for label, value, _ in rows if value) + 2
    vwidth = max(len(value) for _, value, _ in rows) + 2
    lines = [f"{'measurement':<{width}}{'figure':<{vwidth}}{'target':<16}met"]
    for label, value, key in rows:
        if not value:
            lines.append(label)
            continue
        target, met = verdict(flat, key) if key else ("", "")
        lines.append(f"{label:<{width}}{value:<{vwidth}}{target:<16}{met}".rstrip())
    lines.append("\nTargets")
    for key, (_, _, target, what, unit) in TARGETS.items():
        value = flat.get(key)
        number = "" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.3g}"
        shown = "not measured (size not run)" if value is None else number + ("" if unit in ("x", "/s") else " ") + unit
        lines.append(f"  {what:<{width - 2}}{shown:<{vwidth}}{target:<16}{verdict(flat, key)[1]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="under a minute: sizes 1,000 and 10,000, fewer repeats")
    parser.add_argument("--sizes", help="comma-separated phrasing counts (default 1000,10000,100000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON after the table")
    parser.add_argument("--faqs", help=f"comma-separated synthetic FAQs (default {','.join(VOCABULARIES)})")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if args.child[0] == "imports":
            figures = child_imports()
        elif args.child[0] == "first":
            figures = child_first()
        else:
            _, faq_file, queries_file, baseline_count, warm = args.child
            figures = child_scale(faq_file, queries_file, int(baseline_count), int(warm))
        print(json.dumps(figures))
        return 0

    try:
        load_faq(FAQ_PATH)
    except FaqError as error:
        print(f"bench.py: the shipped FAQ does not load, so nothing can be measured:\n{error}", file=sys.stderr)
        return 1
    default_sizes = "1000,10000" if args.quick else "1000,10000,100000"
    sizes = sorted({int(s.replace("_", "")) for s in (args.sizes or default_sizes).split(",") if s.strip()})
    vocabularies = [v.strip() for v in (args.faqs or ",".join(VOCABULARIES)).split(",") if v.strip()]
    unknown = [v for v in vocabularies if v not in VOCABULARIES]
    if unknown:
        parser.error(f"unknown synthetic FAQ {unknown[0]!r}; choose from {', '.join(VOCABULARIES)}")
    started = time.perf_counter()
    figures: dict = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "mode": "quick" if args.quick else "full",
    }
    with tempfile.TemporaryDirectory(prefix="faq-bench-") as tmp:
        workdir = Path(tmp)
        progress("1. matching on the shipped FAQ")
        figures["shipped"] = bench_shipped(rounds=3 if args.quick else 9)
        progress("2. scale")
        figures["scale"] = bench_scale(sizes, vocabularies, args.quick, workdir)
        figures["first"] = bench_first(runs=3 if args.quick else 7, workdir=workdir)
        progress("3. start-up")
        figures["startup"] = bench_startup(runs=5 if args.quick else 15, workdir=workdir)
        figures["repl"] = bench_repl(runs=3 if args.quick else 7, workdir=workdir)
        progress("4. --jsonl throughput")
        figures["jsonl"] = bench_jsonl(count=5000 if args.quick else 20000, runs=1 if args.quick else 3,
                                       workdir=workdir)
    figures["elapsed_s"] = time.perf_counter() - started

    print(f"Micro needling FAQ assistant benchmark: {figures['mode']} run, Python {figures['python']}, "
          f"{figures['cpus']} CPUs, {figures['elapsed_s']:.0f} s")
    print(report(figures, sizes))
    if args.json:
        print(json.dumps(figures, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
