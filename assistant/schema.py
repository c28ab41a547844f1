"""Reading FAQ YAML safely and checking it against the schema.

Only plain YAML types are accepted (``!!python/...`` and every other custom
tag is an error, never code), aliases are expanded under a budget (no
"billion laughs"), nesting depth is bounded, and every problem found is
collected, each with its file, line and entry id, into one
:class:`~assistant.faq.FaqError`. When the file names the text its answers
are written from (``source_text``), every entry's ``evidence`` quotes are
checked against that text. Kept apart from :mod:`assistant.faq` (whose
records it builds) so that PyYAML is imported only when a file is really
parsed: ``import assistant`` reaches this module only on first use of
:func:`load_faq` or :func:`parse_faq`.
"""

from __future__ import annotations

import difflib
import os
import re
from types import MappingProxyType
from typing import Any

import yaml

from . import faq
from .faq import Entry, Faq, FaqError, Gap, Problem, decode_faq, read_faq, shipped_faq_path
from .normalize import clean_text, fold

__all__ = ["MAX_DEPTH", "MAX_NODES", "load_faq", "parse", "parse_faq"]

#: Deepest nesting accepted; the schema needs four levels.
MAX_DEPTH = 32
#: Most YAML nodes visited, aliases counted each time they are used.
MAX_NODES = 1_500_000

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS = ("version", "source_text", "synonyms", "concepts", "entries", "not_covered")
_GAP_KEYS = ("topic", "phrasings")
_REQUIRED = ("id", "question", "alternates", "answer", "source")
_OPTIONAL = ("tags", "related", "evidence")
_ENTRY_KEYS = _REQUIRED + _OPTIONAL
_SUPPORTED_VERSIONS = (1,)

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    _STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary",
}

try:  # libyaml is much faster on large files; the pure loader is the same language.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


#: Deepest bracket nesting and widest indentation let through to the YAML
#: parser. Some PyYAML builds recurse in C on nesting and crash the process
#: (a segmentation fault, not an exception) on a few thousand levels, so
#: hostile nesting is refused before parsing. The schema needs two and ~10.
MAX_FLOW_DEPTH = 64
MAX_INDENT = 200
_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_INDENT = re.compile(rf"^[ \t-]{{{MAX_INDENT},}}", re.MULTILINE)


def _nesting_problem(text: str, path: str) -> Problem | None:
    """A problem when the text nests deeper than any FAQ needs (a cheap scan, no parsing)."""
    depth = 0
    for bracket in _BRACKETS.finditer(text):
        if bracket.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line = text.count("\n", 0, bracket.start()) + 1
                return Problem(path, line, f"the YAML is nested too deeply (more than {MAX_FLOW_DEPTH} "
                                           "levels of [ ] or { }); the FAQ schema needs two")
        elif depth:
            depth -= 1
    deep = _DEEP_INDENT.search(text)
    if deep is not None:
        line = text.count("\n", 0, deep.start()) + 1
        return Problem(path, line, f"the YAML is nested too deeply (indented {MAX_INDENT} or more columns); "
                                   "the FAQ schema needs a few levels")
    return None


def load_faq(path: str | os.PathLike[str] | None = None) -> Faq:
    """Read, parse and validate the FAQ at *path* (by default the one shipped
    with the program); raise :class:`~assistant.faq.FaqError` listing every problem."""
    path = shipped_faq_path() if path is None else path
    return parse_faq(decode_faq(path, read_faq(path)), path=str(path))


def parse_faq(text: str, *, path: str = "<string>") -> Faq:
    """Parse and validate FAQ YAML given as text; raise :class:`~assistant.faq.FaqError`."""
    return parse(text, path)


def parse(text: str, path: str) -> Faq:
    """Parse and validate FAQ YAML given as text; raise :class:`FaqError`."""
    with faq.paused_gc():  # millions of small objects, no cycles worth collecting
        return _parse(text, path)


def _parse(text: str, path: str) -> Faq:
    limit = faq.MAX_FAQ_BYTES
    if len(text) > limit:
        raise FaqError([Problem(path, None, f"the text is longer than {limit:,} characters")])
    nesting = _nesting_problem(text, path)
    if nesting is not None:
        raise FaqError([nesting])
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        # Where PyYAML noticed the problem, and where the construct it was reading began (a bracket is
        # noticed unclosed only on a later line): both lines, the beginning in an author's words.
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        began = error.context_mark.line + 1 if error.context_mark is not None else None
        what = error.problem or "the YAML cannot be read"
        opened = {  # PyYAML's context (the same in its C and Python loaders) -> what is open, and since where
            "while parsing a flow sequence": "the list opened with '[' at line {} is never closed",
            "while parsing a flow mapping": "the mapping opened with '{{' at line {} is never closed",
            "while scanning a quoted scalar": "the quoted text that starts at line {} is never closed",
            "while scanning a simple key": "the key that starts at line {} has no ':' after it",
            "while parsing a block mapping": "the keys of the mapping that starts at line {} do not line up",
            "while parsing a block collection": "the items of the list that starts at line {} do not line up",
        }.get(error.context or "", f"{error.context} that starts at line {{}}")
        if began is not None and began != line and error.context:
            what += "; " + opened.format(began)
        message = f"YAML syntax error: {what} (check indentation, colons, brackets and quotes)"
        raise FaqError([Problem(path, line, message)]) from None
    except yaml.YAMLError as error:
        raise FaqError([Problem(path, None, f"YAML error: {error}")]) from None
    except RecursionError:
        raise FaqError([Problem(path, None, "the YAML is nested too deeply")]) from None
    return _Validator(path).validate(root)


#: English function words (articles, pronouns, auxiliaries and modals, question words, conjunctions,
#: prepositions, yes and no): a phrase made only of them, or of numbers, names no topic. A fixed
#: list, apart from the matcher's tuning (``normalize.STOPWORDS``), so that tuning the matcher never
#: makes a valid FAQ file invalid.
_FUNCTION_WORDS = frozenset("""
a an the this that these those it its itself i me my mine myself you your yours we us our they them their
he him his she her hers one ones someone something anything
am is are was were be been being do does did doing done have has had having
can could will would shall should may might must
what whats which who whom whose how why when where whether if then than so because though while but and or nor
all any some each every both either neither other such same only also too very just
about above at by for from in into of off on out over through to up upon via with within without
no not yes ok okay please
""".split())


def _only_common_words(folded: str) -> bool:
    """Whether a folded phrase is only function words or numbers, which say nothing about a topic."""
    return all(word in _FUNCTION_WORDS or word.isdigit() for word in folded.split())


class _Validator:
    """Walks the composed YAML nodes, collecting every problem with its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._budget = MAX_NODES
        # folded phrasing -> (entry label or "not_covered: topic", line): no phrasing may serve two.
        self._claimed: dict[str, tuple[str, int, int]] = {}
        self._spans: list[tuple[int, int, str]] = []

    def problem(self, node: yaml.Node | None, message: str, entry: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        if entry is None and line is not None:
            entry = next((label for first, last, label in self._spans if first <= line <= last), None)
        self.problems.append(Problem(self.path, line, message, entry))

    def find_spans(self, root: yaml.Node) -> None:
        """Note which lines each entry covers, to name the entry in any problem inside it."""
        if not isinstance(root, yaml.MappingNode):
            return
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "entries" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if not isinstance(item, yaml.MappingNode):
                        continue
                    label = next((v.value for k, v in item.value if isinstance(k, yaml.ScalarNode)
                                  and k.value == "id" and isinstance(v, yaml.ScalarNode) and v.value), None)
                    first = item.start_mark.line + 1
                    self._spans.append((first, item.end_mark.line + 1, label or f"(entry at line {first})"))

    # -- node helpers -----------------------------------------------------

    def check_tags(self, node: yaml.Node, depth: int = 0) -> bool:
        """Refuse custom tags, deep nesting and alias bombs before reading values."""
        stack = [(node, depth)]
        while stack:
            current, level = stack.pop()
            self._budget -= 1
            if self._budget < 0:
                self.problem(current, "the file expands to too many values (aliases used too often?)")
                return False
            if level > MAX_DEPTH:
                self.problem(current, f"nesting deeper than {MAX_DEPTH} levels; the FAQ schema needs four")
                return False
            if current.tag not in _PLAIN_TAGS:
                self.problem(current, f"tag {current.tag!r} is not allowed: only plain YAML values "
                                      "(text, numbers, lists, mappings)")
                return False
            if isinstance(current, yaml.SequenceNode):
                stack.extend((child, level + 1) for child in current.value)
            elif isinstance(current, yaml.MappingNode):
                for key, value in current.value:
                    stack.append((key, level + 1))
                    stack.append((value, level + 1))
        return True

    @staticmethod
    def kind(node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return "a list"
        return {
            "tag:yaml.org,2002:null": "empty", "tag:yaml.org,2002:int": "a number",
            "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:bool": "true/false",
            "tag:yaml.org,2002:timestamp": "a date (quote it to make it text)",
            "tag:yaml.org,2002:binary": "binary data",
        }.get(node.tag, "text")

    def mapping(self, node: yaml.MappingNode, known: tuple[str, ...], entry: str | None = None,
                what: str = "") -> dict[str, tuple[yaml.Node, yaml.Node]]:
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != _STR:
                self.problem(key, f"keys must be words, not {self.kind(key)}", entry)
                continue
            name = key.value
            if name in out:
                self.problem(key, f"key '{name}' appears twice{what}", entry)
                continue
            if name not in known:
                if not name.isprintable():
                    self.problem(key, f"key {name!a}{what} contains hidden or control characters; "
                                      "retype it", entry)
                    continue
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
                self.problem(key, f"unknown key '{name}'{what} ({hint})", entry)
                continue
            out[name] = (key, value)
        return out

    def text(self, node: yaml.Node, label: str, entry: str | None) -> str | None:
        shown = label if "'" in label else f"'{label}'"  # "concept 'definition' item", not nested quotes
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            hint = (f" (to mean the text, put it in quotes: '{node.value}')"
                    if isinstance(node, yaml.ScalarNode) and node.value and "'" not in node.value else "")
            self.problem(node, f"{shown} must be text, not {self.kind(node)}{hint}", entry)
            return None
        value = clean_text(node.value).strip()
        if not value:
            self.problem(node, f"{shown} is empty", entry)
            return None
        return value

    def text_list(self, node: yaml.Node, label: str, entry: str | None,
                  allow_empty: bool = False) -> tuple[str, ...] | None:
        """The text items of a list (each bad item reported and left out), or ``None`` when it is no list."""
        items = self.text_items(node, label, entry, allow_empty)
        return None if items is None else tuple(value for value, _ in items)

    def text_items(self, node: yaml.Node, label: str, entry: str | None,
                   allow_empty: bool = False) -> list[tuple[str, yaml.Node]] | None:
        """:meth:`text_list` with each item's node, so that a later problem names the item's own line
        even when bad items before it were left out."""
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{label}' must be a list of text (one '- item' per line), not {self.kind(node)}", entry)
            return None
        items = []
        for child in node.value:
            value = self.text(child, f"{label} item", entry)
            if value is not None:
                items.append((value, child))
        if not node.value and not allow_empty:
            self.problem(node, f"'{label}' is empty: give at least one", entry)
            return None
        return items

    # -- the schema -------------------------------------------------------

    def validate(self, root: yaml.Node | None) -> Faq:
        if root is None:
            self.problem(None, "the file has no content (it is empty, or only blank lines and comments): "
                               "it needs 'version' and 'entries'")
            raise FaqError(self.problems)
        self.find_spans(root)
        if not self.check_tags(root):
            raise FaqError(self.problems)
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, f"the top level must be a mapping with 'version' and 'entries', not {self.kind(root)}")
            raise FaqError(self.problems)
        top = self.mapping(root, _TOP_KEYS, what=" at the top level")
        version = self.version(top, root)
        synonyms = self.synonyms(top["synonyms"][1]) if "synonyms" in top else {}
        concepts = self.concepts(top["concepts"][1]) if "concepts" in top else {}
        entries = self.entries(top, root)
        self.evidence(top)
        gaps = self.gaps(top["not_covered"][1]) if "not_covered" in top else []
        if self.problems:
            raise FaqError(self.problems)
        return Faq(entries=tuple(entries), synonyms=MappingProxyType(synonyms), version=version,
                   path=self.path, not_covered=tuple(gaps), concepts=MappingProxyType(concepts))

    def gaps(self, node: yaml.Node) -> list[Gap]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'not_covered' must be a list of '- topic: ...' with 'phrasings', not {self.kind(node)}")
            return []
        gaps = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.problem(item, f"each 'not_covered' item must be a mapping with topic and phrasings, not {self.kind(item)}")
                continue
            fields = self.mapping(item, _GAP_KEYS, what=" in 'not_covered'")
            for name in _GAP_KEYS:
                if name not in fields:
                    self.problem(item, f"'not_covered' item is missing '{name}'")
            topic = self.text(fields["topic"][1], "topic", None) if "topic" in fields else None
            items = (self.text_items(fields["phrasings"][1], "phrasings", f"not_covered: {topic}")
                     if "phrasings" in fields else None)
            if topic is None or items is None:
                continue
            self.claim(f"not_covered: {topic}", items)
            gaps.append(Gap(topic, tuple(value for value, _ in items), item.start_mark.line + 1))
        return gaps

    def claim(self, label: str, items: list[tuple[str, yaml.Node]], owner_line: int = 0) -> None:
        """Record who uses each phrasing (with its node); report one used twice (*owner_line* tells copies apart)."""
        for phrasing, child in items:
            key = fold(phrasing)
            if not key:
                self.problem(child, f"phrasing {phrasing!r} has no letters or digits", label)
                continue
            if _only_common_words(key):
                self.problem(child, f"phrasing '{phrasing}' has only common words or numbers, so no "
                                    "question can match it; add a word about the topic", label)
                continue
            owner = self._claimed.get(key)
            if owner is None:
                self._claimed[key] = (label, child.start_mark.line + 1, owner_line)
            elif owner[0] == label and owner[2] == owner_line:
                self.problem(child, f"phrasing '{phrasing}' is listed twice here "
                                    f"(also at line {owner[1]}); remove one", label)
            else:
                self.problem(child, f"phrasing '{phrasing}' is claimed twice: by '{owner[0]}' "
                                    f"(line {owner[1]}) and here; keep it in one", label)

    def version(self, top: dict, root: yaml.Node) -> int:
        if "version" not in top:
            self.problem(root, "missing 'version' at the top level (add 'version: 1')")
            return 1
        node = top["version"][1]
        try:
            number = int(node.value) if node.tag == "tag:yaml.org,2002:int" else None
        except ValueError:  # YAML also calls 0x1, 0b1 and 1:00 integers
            number = None
        if number not in _SUPPORTED_VERSIONS:
            if node.tag == "tag:yaml.org,2002:int":
                got = node.value
            elif node.tag == _STR:
                got = f"the text {node.value!r} (write the number without quotes)"
            else:
                got = self.kind(node)
            self.problem(node, f"'version' must be the number {', '.join(map(str, _SUPPORTED_VERSIONS))}, not {got}")
            return 1
        return number

    def synonyms(self, node: yaml.Node) -> dict[str, tuple[str, ...]]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"'synonyms' must be a mapping of a word to a list of variants, not {self.kind(node)}")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        owner: dict[str, str] = {}
        for key, value in node.value:
            canonical = self.text(key, "synonyms key", None)
            variants = self.text_items(value, f"synonyms of '{canonical}'", None)
            if canonical is None or variants is None:
                continue
            if not fold(canonical):
                self.problem(key, f"synonym key {canonical!r} has no letters or digits")
                continue
            if fold(canonical) in owner:
                self.problem(key, f"synonym '{canonical}' is already listed under '{owner[fold(canonical)]}'")
            owner.setdefault(fold(canonical), canonical)
            for variant, child in variants:
                folded = fold(variant)
                if not folded:
                    self.problem(child, f"synonym variant {variant!r} has no letters or digits")
                elif " " not in folded and _only_common_words(folded):
                    self.problem(child, f"synonym variant '{variant}' is a single common word or number, so "
                                        f"every question that has it would be read as '{canonical}'; "
                                        "give a word or phrase that only means that")
                elif folded == fold(canonical):
                    self.problem(child, f"variant '{variant}' is the same as its key '{canonical}'; remove it")
                elif folded in owner and owner[folded] != canonical:
                    self.problem(child, f"variant '{variant}' is claimed by both '{owner[folded]}' and '{canonical}'")
                else:
                    owner[folded] = canonical
            out[canonical] = tuple(variant for variant, _ in variants)
        return out

    def concepts(self, node: yaml.Node) -> dict[str, tuple[str, ...]]:
        """Concept -> the words and phrases that ask about it; a variant names one concept."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"'concepts' must be a mapping of a concept to a list of words, not {self.kind(node)}")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        owner: dict[str, str] = {}
        for key, value in node.value:
            concept = self.text(key, "concepts key", None)
            variants = self.text_items(value, f"concept '{concept}'", None)
            if concept is None or variants is None:
                continue
            if not fold(concept):
                self.problem(key, f"concept {concept!r} has no letters or digits")
                continue
            if concept in out:
                self.problem(key, f"concept '{concept}' is listed twice; merge the two lists")
                continue
            for variant, child in variants:
                folded = fold(variant)
                if not folded:
                    self.problem(child, f"concept variant {variant!r} has no letters or digits")
                elif folded == fold(concept):
                    self.problem(child, f"variant '{variant}' is the concept '{concept}' itself; remove it")
                elif folded in owner:
                    self.problem(child, f"variant '{variant}' is listed under '{owner[folded]}' and '{concept}'; "
                                        "keep it under one")
                else:
                    owner[folded] = concept
            out[concept] = tuple(variant for variant, _ in variants)
        return out

    def entries(self, top: dict, root: yaml.Node) -> list[Entry]:
        if "entries" not in top:
            self.problem(root, "missing 'entries' at the top level (a list of questions and answers)")
            return []
        node = top["entries"][1]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'entries' must be a list (one '- id: ...' per entry), not {self.kind(node)}")
            return []
        if not node.value:
            self.problem(node, "'entries' is empty: add at least one entry")
            return []
        entries: list[Entry] = []
        related: list[tuple[str, str | None, list[tuple[str, yaml.Node]]]] = []
        seen_ids: dict[str, int] = {}
        for item in node.value:
            entry, links = self.entry(item, seen_ids)
            if entry is not None:
                entries.append(entry)
            if links is not None:  # checked even when the entry has other problems
                related.append(links)
        ids = set(seen_ids)
        for label, own_id, targets in related:
            for target, child in targets:
                if target == own_id:
                    self.problem(child, "'related' lists the entry itself", label)
                elif target not in ids:
                    close = difflib.get_close_matches(target, sorted(ids), n=1, cutoff=0.6)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    self.problem(child, f"'related' names unknown id '{target}'{hint}", label)
        return entries

    def entry(self, node: yaml.Node, seen_ids: dict[str, int]
              ) -> tuple[Entry | None, tuple[str, str | None, list[tuple[str, yaml.Node]]] | None]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"each entry must be a mapping with {', '.join(_REQUIRED)}, not {self.kind(node)}")
            return None, None
        line = node.start_mark.line + 1
        # Name the entry in every message, even when its id is the problem.
        entry_id = None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
                entry_id = value.value or None
        label = entry_id or f"(entry at line {line})"
        fields = self.mapping(node, _ENTRY_KEYS, label)
        for name in _REQUIRED:
            if name not in fields:
                self.problem(node, f"missing required field '{name}'", label)
        values: dict[str, Any] = {}
        items: dict[str, list[tuple[str, yaml.Node]]] = {}  # a list field's text items, with their nodes
        for name, (_key, value) in fields.items():
            if name == "evidence":  # checked against the source text by evidence(), with every entry's node
                values[name] = tuple(clean_text(child.value).strip() for child in getattr(value, "value", ())
                                     if isinstance(value, yaml.SequenceNode) and isinstance(child, yaml.ScalarNode)
                                     and child.tag == _STR and child.value.strip())
                continue
            if name in ("alternates", "tags", "related"):
                found = self.text_items(value, name, label, allow_empty=name != "alternates")
                if found is not None:
                    items[name] = found
                values[name] = None if found is None else tuple(text for text, _ in found)
            else:
                values[name] = self.text(value, name, label)
        ok = all(values.get(name) is not None for name in _REQUIRED)
        entry_id = values.get("id")
        if entry_id is not None:
            id_node = fields["id"][1]
            if not _ID.match(entry_id):
                suggestion = re.sub(r"[^a-z0-9]+", "-", entry_id.lower()).strip("-")
                self.problem(id_node, f"id '{entry_id}' must be lower-case kebab-case, like '{suggestion}'", label)
                ok = False
            elif entry_id in seen_ids:
                self.problem(id_node, f"duplicate id '{entry_id}' (first used at line {seen_ids[entry_id]})", label)
                ok = False
            else:
                seen_ids[entry_id] = line
        if values.get("question") is not None:
            self.claim(label, [(values["question"], fields["question"][1])], line)
        if "alternates" in items:
            self.claim(label, items["alternates"], line)
        links = None
        if "related" in items:
            links = (label, entry_id, items["related"])
        if not ok:
            return None, links
        entry = Entry(
            id=str(entry_id), question=values["question"], alternates=values["alternates"],
            answer=values["answer"], source=values["source"], tags=values.get("tags") or (),
            related=values.get("related") or (), line=line, evidence=values.get("evidence") or (),
        )
        return entry, links

    # -- evidence: the source text and the quotes each answer rests on --------

    def evidence(self, top: dict) -> None:
        """Check every entry's 'evidence' against the file 'source_text' names.

        Without 'source_text', 'evidence' is optional and only its shape is
        checked; with it, every entry needs 'evidence' and each quote must be
        in the source text, compared after squeezing white space only.
        """
        named = "source_text" in top
        name, source = self.source_text(top["source_text"][1]) if named else (None, None)
        named_as = f" ('{name}')" if name else ""
        node = top["entries"][1] if "entries" in top else None
        if not isinstance(node, yaml.SequenceNode):
            return  # entries() has said why
        sentences: list[str] = []
        found: dict[str, bool] = {}  # quote -> in the source (aliases repeat quotes)
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            # reversed: a key given twice (reported by mapping()) counts at its first place, as there
            fields = {key.value: value for key, value in reversed(item.value) if isinstance(key, yaml.ScalarNode)}
            entry_id = fields["id"].value if isinstance(fields.get("id"), yaml.ScalarNode) else None
            label = entry_id or f"(entry at line {item.start_mark.line + 1})"
            quotes = fields.get("evidence")
            if quotes is None:
                if named:
                    self.problem(item, f"missing 'evidence': the FAQ names a source text{named_as}, so list "
                                       "the sentence or sentences of it that the answer rests on", label)
                continue
            if self.text_list(quotes, "evidence", label) is None or source is None:
                continue
            for child in quotes.value:
                if not isinstance(child, yaml.ScalarNode) or child.tag != _STR or not child.value.strip():
                    continue  # text_list has reported it
                quote = _squeeze(child.value)
                if quote not in found:
                    found[quote] = quote in source
                if not found[quote]:
                    hints = len(found) <= _MAX_HINTS  # past that, finding the nearest sentence is not worth its time
                    sentences = sentences or (_SENTENCE_END.split(source) if hints else [])
                    self.problem(child, f"evidence {_shorten(quote)!r} is not in the source text '{name}': "
                                        + _quote_hint(quote, source if hints else "", sentences), label)

    def source_text(self, node: yaml.Node) -> tuple[str | None, str | None]:
        """The name 'source_text' gives and that file's text, white space squeezed (None when unusable).

        The path is relative to the FAQ file's folder (the current folder for
        text that was not read from a file); only a regular file is read, so a
        device or a pipe named here can never block or flood the loader.
        """
        name = self.text(node, "source_text", None)
        if name is None:
            return None, None
        if os.path.isabs(name):
            self.problem(node, f"'source_text' must be a path relative to the FAQ file's folder, not the "
                               f"absolute path '{name}' (keep the copy beside the FAQ)")
            return name, None
        where = os.path.join(os.path.dirname(self.path), name)
        limit = MAX_SOURCE_BYTES
        try:
            if not os.path.exists(where):
                self.problem(node, f"source text '{name}' not found (looked for {where}): keep the copy of the "
                                   "article there, or correct 'source_text' (a path relative to the FAQ file)")
                return name, None
            if not os.path.isfile(where):
                self.problem(node, f"source text '{name}' is not a plain file ({where}); name the article's text file")
                return name, None
            if os.stat(where).st_size > limit:
                self.problem(node, f"source text '{name}' is larger than {limit:,} bytes; name the article's text file")
                return name, None
            with open(where, "rb") as stream:
                data = stream.read(limit + 1)
        except (OSError, ValueError) as error:  # ValueError: a NUL in the path
            reason = getattr(error, "strerror", None) or error
            self.problem(node, f"cannot read source text '{name}' ({where}): {reason}")
            return name, None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(node, f"source text '{name}' is not valid UTF-8 (byte {error.start}); save it as UTF-8")
            return name, None
        if not text.strip():
            self.problem(node, f"source text '{name}' is empty; it should hold the article the answers come from")
            return name, None
        return name, _squeeze(text)


#: Largest source text read, in bytes: an article, with room to spare (the shipped one is 4 kB).
MAX_SOURCE_BYTES = 1024 * 1024
#: Quotes checked before hints stop looking for the nearest sentence.
_MAX_HINTS = 50
#: Where the source text's sentences end, for the nearest sentence in a hint.
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")
#: Apostrophes and quotation marks, each folded to its plain form, for a hint.
_QUOTE_MARKS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _squeeze(text: str) -> str:
    """*text* with each run of white space made one space: the only way a quote may differ from its source."""
    return " ".join(text.split())


def _shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _quote_hint(quote: str, source: str, sentences: list[str]) -> str:
    """How to fix a quote that is not in the source text."""
    if quote.translate(_QUOTE_MARKS) in source.translate(_QUOTE_MARKS):
        return ("it differs only in apostrophes or quotation marks; copy them as the source text has them "
                "(\u2019 is the curly apostrophe)")
    if quote.casefold() in source.casefold():
        return "it differs only in capital letters; copy it exactly"
    close = difflib.get_close_matches(quote, sentences, n=1, cutoff=0.6)
    if close:
        return f"the nearest sentence there is {_shorten(close[0])!r}; copy it exactly (only white space may differ)"
    return "copy the sentence or sentences exactly as the source text has them (only white space may differ)"
