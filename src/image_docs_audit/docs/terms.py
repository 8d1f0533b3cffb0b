"""The words that refer to an image in a doc, and one matcher for all of them.

Every image gives terms: its full reference (tag or digest included), its
repository, its name, its aliases from the config, and its short name (the name
without the project prefix, or the service in its tag; see `names.py`). A short
name of two or more words counts in file names and titles (`API Gateway`), one of
one word in file names only: the word `base` in prose does not document
`app-base`. Text and terms are folded alike (lower case, `_` and spaces read as
`-`) and one alternation finds the leftmost, longest term on word boundaries, so
`redis-exporter` is not read as `redis`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from ..config import AuditSettings
from ..model import Image
from ..records import fast_init
from ..selector import selects
from .literals import Finder, make_finder
from .names import Naming, name_images
from .words import fold

__all__ = ["Match", "Matcher", "Strength", "Term", "build_terms", "fold"]

_JOINERS: Final = frozenset({"-", "_"})
# A folded term without any of these is one word: it may be an ordinary word too.
_WORD_BREAKS: Final = re.compile(r"[-/:.@]")


class Strength(Enum):
    REFERENCE = "reference"  # the full reference: strong wherever it stands but in code
    NAME = "name"  # a repository, name or alias: as strong as the place it stands in
    TITLE = "title"  # a short name of two or more words: counts in file names and titles
    FILE_NAME = "file_name"  # a short name of one word: counts in file names only


@fast_init  # a project of 3,000 images has 12,751 terms
@dataclass(frozen=True, slots=True)
class Term:
    text: str  # folded
    images: tuple[str, ...]  # Image.key of every image it refers to
    strength: Strength
    # A reference also counts for the other tags of its repository (`app:latest` for a
    # mention of `app:v1.0`): the keys of its tags, its own among them, shared by the
    # group's terms; and the tag named, as evidence shows it.
    tag_group: tuple[str, ...] = ()
    tag: str | None = None

    @property
    def one_word(self) -> bool:
        """A name of one word (`gateway`), which may be an ordinary word as well."""
        return self.strength is Strength.NAME and not _WORD_BREAKS.search(self.text)


@dataclass(frozen=True)
class Match:
    start: int
    term: Term


class Matcher:
    """Finds every term in a folded text in one pass.

    Texts come as str (`find`, by a regex) or as bytes (`find_bytes`, by the
    fastest finder installed, see `literals.py`); both give the same matches
    where bytes can give them at all (UTF-8 text, ASCII terms: `ascii`). The
    regex and the finder are built on first use, once per matcher.
    """

    def __init__(self, terms: Sequence[Term], engine: str = "auto") -> None:
        self.terms = {term.text: term for term in terms}
        # Names this matcher's hits in a scan cache. Matchers of equal terms find the same
        # hits: the engine makes one per set of terms (`same_terms`), so they share scans.
        self.key = f"matcher-{next(_KEYS)}"
        self.ascii = all(text.isascii() and text for text in self.terms)
        self.engine = engine
        self._regex: re.Pattern[str] | None = None
        self._finder: Finder | None = None
        self._by_bytes: dict[bytes, Term] = {}
        self._piece: int | None = PIECE

    def same_terms(self, other: Matcher) -> bool:
        """Whether `other` finds the same hits: the same terms, images and strengths."""
        return self.terms == other.terms

    def _compiled(self) -> re.Pattern[str]:
        if self._regex is None:
            alternation = _trie_pattern(self.terms)
            self._regex = re.compile(rf"(?<![0-9a-z])(?:{alternation})(?![0-9a-z])")
        return self._regex

    def find(self, folded: str, original: str | None = None) -> Iterator[Match]:
        """Every term in `folded`; with the `original` text, also `-` and `_` join words.

        In a file name `step04-api-gateway-smoke-test` a hyphen separates words;
        in prose `app-api-gateway-v2` is another image than `app-api-gateway`.
        """
        if not self.terms:
            return
        for found in self._compiled().finditer(folded):
            start, end = found.span()
            if original is not None and (
                original[start - 1 : start] in _JOINERS or original[end : end + 1] in _JOINERS
            ):
                continue
            yield Match(start, self.terms[found.group()])

    def start(self) -> None:
        """Build the bytes finder now, and let Hyperscan compile it in a thread, if the
        scan will need it: Hyperscan does not hold the GIL, so the caller's own work goes
        on meanwhile. `prepare` waits for the thread (it must come before a fork)."""
        if self._finder is None and self.ascii and self.terms:
            self._build(background=True)

    def prepare(self) -> Finder:
        """The bytes finder, ready: built before a fork, so that the worker processes do not
        compile the terms again (a Hyperscan database of 12,000 terms takes 0.15 s)."""
        if self._finder is None:
            self._build(background=False)
        finder = self._finder
        assert finder is not None
        try:
            finder.ready()
        except BaseException:
            self._finder = None  # not a finder that cannot find: the next call builds again
            raise
        return finder

    def _build(self, *, background: bool) -> None:
        self._by_bytes = {text.encode("ascii"): term for text, term in self.terms.items()}
        # An alias may hold a line end (a YAML string can): then a match may cross lines.
        self._piece = PIECE if b"\n" not in b"".join(self._by_bytes) else None
        self._finder = make_finder(list(self._by_bytes), self.engine, background=background)

    def find_bytes(
        self, folded: bytes, original: bytes | None, most: int | None = None
    ) -> list[tuple[int, Term]]:
        """`find` for UTF-8 bytes folded by `fold_bytes`: (start, term) of each match.

        Only for an `ascii` matcher: then every byte of a term is one character. A long
        text is searched a piece of whole lines at a time (a term holds no line end); with
        `most`, the search ends with the piece where the matches that count in a doc's
        text (not `FILE_NAME`'s) outnumber it: a hostile doc of megabytes of mentions held
        every match of its whole text.
        """
        found: list[tuple[int, Term]] = []
        if not self.terms:
            return found
        finder = self.prepare()
        by_bytes = self._by_bytes
        counted = 0
        begin = 0
        for cut in _cuts(folded, self._piece):
            piece = folded if cut - begin == len(folded) else folded[begin:cut]
            for found_start, found_end in finder.spans(piece):
                start, end = found_start + begin, found_end + begin
                # By index, not by a slice from `start - 1`: compiled, a slice whose start is
                # -1 fails (a doc whose first bytes are a name was an internal error).
                if original is not None and (
                    (start > 0 and original[start - 1] in _BYTE_JOINERS)
                    or (end < len(original) and original[end] in _BYTE_JOINERS)
                ):
                    continue
                term = by_bytes[folded[start:end]]
                found.append((start, term))
                counted += 0 if term.strength is Strength.FILE_NAME else 1
            if most is not None and counted > most:
                break
            begin = cut
        return found


# The bytes `find_bytes` searches at once: a doc of the usual size (up to some hundred KB)
# in one piece, a hostile doc of megabytes in pieces of about this many.
PIECE = 1 << 20


def _cuts(folded: bytes, piece: int | None) -> list[int]:
    """Where the pieces of `folded` end: whole lines of about `piece` bytes (None: one)."""
    size = len(folded)
    cuts = []
    begin = 0
    while piece is not None and size - begin > piece:
        cut = folded.rfind(b"\n", begin, begin + piece)
        if cut < 0:  # a line longer than a piece: to its end
            cut = folded.find(b"\n", begin + piece)
            if cut < 0:
                break
        cuts.append(cut + 1)
        begin = cut + 1
    cuts.append(size)
    return cuts


_KEYS: Final = itertools.count()
_BYTE_JOINERS: Final = frozenset(b"-_")  # as byte values
_END: Final = ""


def _trie_pattern(terms: Iterable[str]) -> str:
    """One regex for all terms, shaped as their prefix tree.

    A flat alternation makes `re` try every term at every offset; a tree
    rejects an offset on its first character and shares common prefixes
    (`app-service-00`). A term that is the prefix of another ends in an
    optional group: greedy, so the longest term is tried first and the
    shorter one only on backtracking.
    """
    root: dict[str, Any] = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _node_pattern(root)


def _node_pattern(node: dict[str, Any]) -> str:
    branches = [
        re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{body})?"
    return body


def build_terms(
    images: Sequence[Image], settings: AuditSettings, naming: Naming | None = None
) -> list[Term]:
    """All terms of all images; a term two images share refers to both.

    `naming` is `name_images(images, settings)`, when the caller has it already.
    """
    naming = naming if naming is not None else name_images(images, settings)
    # Keyed by the strength's rank, not by the Strength: an enum member hashes through a
    # call to Python, and 3,000 images give 18,000 spellings.
    spellings: dict[tuple[str, int], list[str]] = {}
    for image in images:
        key = image.key
        for text, rank in _image_terms(image, settings, naming):
            keys = spellings.setdefault((fold(text), rank), [])
            # An image's spellings come together: it is in the list already only if last.
            # (`key in keys` read the list: an alias of 5,000 images took their square.)
            if not keys or keys[-1] != key:
                keys.append(key)
    by_key = {image.key: image for image in images}
    strongest: dict[str, Term] = {}
    ranks: dict[str, int] = {}
    for (text, rank), keys in spellings.items():
        known = ranks.get(text)
        # One spelling, one meaning: a reference beats a name, a name beats a short name.
        if known is None or rank < known:
            ranks[text] = rank
            strongest[text] = _term(text, tuple(keys), _STRENGTHS[rank], by_key, naming)
    return list(strongest.values())


def _term(
    text: str, keys: tuple[str, ...], strength: Strength, by_key: dict[str, Image], naming: Naming
) -> Term:
    """The term; a reference to one tag also names the other tags of its repository."""
    if strength is not Strength.REFERENCE or len(keys) != 1 or keys[0] not in naming.siblings:
        return Term(text, keys, strength)
    parsed = by_key[keys[0]].parsed
    tag = parsed.familiar_repository + (f":{parsed.tag}" if parsed.tag else "")
    return Term(text, keys, strength, naming.siblings[keys[0]], tag)


# The strengths by rank: the first beats the others.
_STRENGTHS: Final = (Strength.REFERENCE, Strength.NAME, Strength.TITLE, Strength.FILE_NAME)
_REFERENCE, _NAME, _TITLE, _FILE_NAME = range(len(_STRENGTHS))


def _image_terms(image: Image, settings: AuditSettings, naming: Naming) -> list[tuple[str, int]]:
    """The spellings of `image`, each with the rank of its strength (see `_STRENGTHS`)."""
    parsed = image.parsed
    familiar = parsed.familiar_repository
    found = []
    if parsed.tag is not None or parsed.digest is not None:
        suffix = (f":{parsed.tag}" if parsed.tag else "") + (
            f"@{parsed.digest}" if parsed.digest else ""
        )
        found.append((familiar + suffix, _REFERENCE))
        found.append((f"{parsed.domain}/{parsed.path}{suffix}", _REFERENCE))
        found.append((image.ref, _REFERENCE))
    # The repository of one image per service names all of them, so it documents none.
    if image.key not in naming.service_tagged:
        found.append((familiar, _NAME))
        found.append((parsed.name, _NAME))
    for selector, aliases in settings.aliases:
        if selects(selector, image):
            found.extend((alias, _NAME) for alias in aliases)
    short = naming.short.get(image.key)
    if short:
        found.append((short, _TITLE if "-" in short else _FILE_NAME))
    return found
