"""What docs say they are about: renamed images and docs about retired ones. Pure.

A doc's subject is what its file name, title or a heading names, less the words
every report has (`step04`, `build`, `smoke test`, `protocol`...). A subject that
names no image of the inventory is either a variant of one that does (`xrdp` for
`xrdp-integration`, `payments-gw` for `payment-gateway`: an alias to suggest,
never counted without `aliases:`), or, when it carries the project prefix
(`app-legacy`), an image the inventory no longer has (an orphan doc).

A landing page is about the whole site or a folder of it, not an image: the
`index.md`, `README.md`, `home.md` or `_index.md` of a folder, or a doc titled
with the project's own name (`ACME Platform` where the prefix is `acme-`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from ..model import Image
from ..selector import folder_path
from .outline import words
from .rubric import stem
from .scan import doc_stem
from .words import ORDINARY_WORDS, fold

# Words of report titles and file names that say what kind of doc it is, not what about.
_REPORT: Final = """
    build builds report reports smoke test tests testing protocol notes note summary results
    result readme runbook guide doc docs documentation overview status checklist log logs
    verification changelog faq design architecture plan md draft final old new v1 v2 the of
    and for how howto about intro introduction
"""
REPORT_WORDS = frozenset(_REPORT.split())
_COUNTER: Final = re.compile(r"(?:step|phase|part|stage|section|chapter)?\d+[a-z]?")
# Words a project's own name may add to its prefix (`ACME Platform`, `Acme stack`): they
# name a whole, so a title of them is the project's, not an image's the inventory lost.
_WHOLE: Final = """
    platform project stack suite system systems services site wiki home handbook homelab
    infrastructure infra cluster monorepo
"""
_WHOLE_WORDS: Final = frozenset(_WHOLE.split())
# The file names of a folder's landing page (a wiki's `Home.md`, Hugo's `_index.md`).
LANDING_NAMES = frozenset({"index", "readme", "home", "_index"})
# A GitHub wiki's sidebar, footer and header: shown around every page, no page of their own.
_CHROME_NAMES: Final = frozenset({"_sidebar", "_footer", "_header"})
_ABBREVIATION_MIN: Final = 2
_CLOSE_RATIO: Final = 0.8


@dataclass(frozen=True)
class Names:
    """The word lists each image goes by: its name, its short name, its aliases."""

    by_image: dict[str, tuple[tuple[str, ...], ...]]  # Image.key -> word lists
    prefix: tuple[str, ...]  # the project prefix's words, if any
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index(self.by_image, self.prefix))

    @property
    def exhausted(self) -> bool:
        """Whether `variant_of` left a subject uncompared: see `COMPARISONS`."""
        return self._index.exhausted

    def named(self, subject: Sequence[str]) -> bool:
        """Whether `subject` holds an image's name (any of its word lists) as a run."""
        index = self._index
        return any(
            tuple(subject[i : i + size]) in index.names
            for i, word in enumerate(subject)
            if word in index.first_words
            for size in index.sizes
        )


class _Index:
    """Which images a subject may name or be a variant of.

    Every file name, title and heading of every doc is a subject: comparing each
    with every name of the inventory costs docs x headings x images. The index
    narrows the names to those that pass a test each rule of `_variant` implies
    (a shorter subject has its first word's stem in the name; a subject as long
    has one word's stem at the same place, or is a single word spelled alike), and
    remembers the answer per subject, since headings repeat from doc to doc. Even
    so, distinct subjects times alike names may be billions: a budget bounds them.
    """

    def __init__(
        self, by_image: Mapping[str, tuple[tuple[str, ...], ...]], prefix: tuple[str, ...]
    ) -> None:
        self.prefix = prefix
        self.order = {image: position for position, image in enumerate(by_image)}
        # Every name, the words names start with, and their lengths: a subject holds a
        # name as a run when one of its runs of such a length is one.
        self.names = {name for lists in by_image.values() for name in lists}
        self.first_words = {name[0] for name in self.names}
        self.sizes = sorted({len(name) for name in self.names})
        self.unprefixed: dict[str, list[tuple[str, ...]]] = {}
        self.by_stem: dict[str, set[str]] = {}
        self.by_place: dict[tuple[int, int, str], set[str]] = {}
        # One-word names of `_SPELLED_MIN` letters or more, by first letter and by each
        # pair of letters they hold: see `_one_word_candidates`.
        self.by_first: dict[str, set[str]] = {}
        self.by_pair: dict[str, set[str]] = {}
        self.memo: dict[tuple[str, ...], list[str]] = {}
        # How many more names the subjects not remembered yet may be compared with.
        self.budget = COMPARISONS
        # Each name's stems, taken once: `variants` compares a subject with hundreds of names.
        self.stems: dict[tuple[str, ...], tuple[str, ...]] = {}
        stems: dict[str, str] = {}  # names share their words: each word's stem is taken once
        self.longest = 0  # the most words of a name without the prefix
        for image, lists in by_image.items():
            for name in lists:
                rest = _without_prefix(name, prefix)
                self.unprefixed.setdefault(image, []).append(rest)
                roots = []
                for place, word in enumerate(rest):
                    root = stems.get(word)
                    if root is None:
                        root = stems[word] = stem(word)
                    roots.append(root)
                    self.by_stem.setdefault(root, set()).add(image)
                    self.by_place.setdefault((len(rest), place, root), set()).add(image)
                self.stems[rest] = tuple(roots)
                self.longest = max(self.longest, len(rest))
                if len(rest) == 1 and len(rest[0]) >= _SPELLED_MIN:
                    self.by_first.setdefault(rest[0][0], set()).add(image)
                    for pair in _pairs(rest[0]):
                        self.by_pair.setdefault(pair, set()).add(image)

    @property
    def exhausted(self) -> bool:
        """Whether a subject went without comparisons, the budget being spent."""
        return self.budget < 0

    def variants(self, rest: tuple[str, ...]) -> list[str]:
        """The images `rest` (a subject without the prefix) is a variant of, in order;
        none once the budget of comparisons is spent."""
        found = self.memo.get(rest)
        if found is None and len(rest) > self.longest:
            # Longer than every name: none holds it, and only the names that share its
            # first word's stem are counted against the budget (most headings are
            # sentences; their other words' stems need not be taken).
            alike = len(self.by_stem.get(stem(rest[0]), ()))
            if alike and alike > self.budget:
                self.budget = -1  # spent, as below
                return []
            self.budget -= alike
            found = self.memo[rest] = []
        if found is None:
            stems = tuple(stem(word) for word in rest)
            candidates = set(self.by_stem.get(stems[0], ()))
            for place, word in enumerate(stems):
                candidates.update(self.by_place.get((len(rest), place, word), ()))
            if len(rest) == 1:
                candidates.update(self._one_word_candidates(rest[0]))
            if candidates and len(candidates) > self.budget:
                self.budget = -1  # spent: from here on, no subject is compared
                return []
            self.budget -= len(candidates)
            found = self.memo[rest] = [
                image
                for image in sorted(candidates, key=self.order.__getitem__)
                if any(
                    _stemmed_variant(rest, stems, name, self.stems[name])
                    for name in self.unprefixed[image]
                )
            ]
        return found

    def _one_word_candidates(self, word: str) -> set[str]:
        """The images whose one-word names `word` may be a variant of other than by its
        stem (`by_stem` has those): both words `_SPELLED_MIN` letters long or more
        (`_stemmed_variant` asks that of words with different stems), and the shorter
        one an abbreviation of the other (same first letter) or as close as
        `_CLOSE_RATIO` says, which needs a pair of letters in both: their matching
        blocks leave at most a fifth of the letters out, too few to part them all.

        Not every one-word name: a pull request's docs may hold a hundred thousand
        distinct one-word headings, its pull script thousands of one-word names."""
        if len(word) < _SPELLED_MIN:
            return set()
        found = set(self.by_first.get(word[0], ()))
        for pair in _pairs(word):
            found.update(self.by_pair.get(pair, ()))
        return found


# How many names the subjects of one audit's docs (file names, titles, headings) may be
# compared with, each distinct subject once: the 20,000 docs of benchmarks/ take 13,000
# comparisons. A pull request's docs and pull script may hold a hundred thousand distinct
# headings and thousands of alike names; past the budget, no subject is compared.
COMPARISONS = 200_000
# Words with different stems are variants only from this length on (`_stemmed_variant`).
_SPELLED_MIN: Final = 5


def _pairs(word: str) -> set[str]:
    """The pairs of adjacent letters of `word`."""
    return {word[index : index + 2] for index in range(len(word) - 1)}


def image_names(
    images: Sequence[Image],
    short: dict[str, str],
    aliases: dict[str, tuple[str, ...]],
    prefixes: Sequence[str],
) -> Names:
    """The names of `images`: `short` is Naming.short, `aliases` Image.key -> aliases."""
    by_image = {}
    for image in images:
        lists = [tuple(words(image.name))]
        if image.key in short:
            lists.append(tuple(words(short[image.key])))
        lists += [tuple(words(alias)) for alias in aliases.get(image.key, ())]
        by_image[image.key] = tuple(dict.fromkeys(w for w in lists if w))
    return Names(by_image, prefix_words(prefixes))


def prefix_words(prefixes: Sequence[str]) -> tuple[str, ...]:
    """The words of the longest of the project `prefixes` (configured and detected)."""
    return max((tuple(words(p)) for p in prefixes), key=len, default=())


def subject(text: str) -> list[str]:
    """The words of `text` without report words and step or phase counters at either end."""
    found = words(text)
    # Cut once where the words start and end (popping them one by one from the front
    # takes the square of a heading of a hundred thousand report words).
    start = next((index for index, word in enumerate(found) if not _filler(word)), len(found))
    end = len(found)
    while end > start and _filler(found[end - 1]):
        end -= 1
    return found[start:end]


def _filler(word: str) -> bool:
    # A counter ends with a digit, or a digit and a letter: most words are not looked
    # at by the regular expression (a doc's headings are thousands of words).
    if word in REPORT_WORDS:
        return True
    return (word[-1:].isdigit() or word[-2:-1].isdigit()) and bool(_COUNTER.fullmatch(word))


def names_with_report_words(text: str, names: Names) -> bool:
    """Whether `text` names an image once its report words are kept: `## Audit log` spells
    `acme-audit-log`'s short name whole, though its subject (`audit`, the report word `log`
    left out) seems a shortened one. Its step or phase counters are still left out."""
    return names.named([word for word in words(text) if not _COUNTER.fullmatch(word)])


def variant_of(found: Sequence[str], names: Names) -> list[str]:
    """The images `found` (a subject naming none of them) is a variant of."""
    rest = _without_prefix(found, names.prefix)
    if not rest or not any(_distinctive(word) for word in rest):
        return []
    return list(names._index.variants(rest))


def retired_name(found: Sequence[str], names: Names) -> str | None:
    """The image name a subject gives with the project prefix, when no image has it."""
    if not names.prefix or tuple(found[: len(names.prefix)]) != names.prefix:
        return None
    rest = found[len(names.prefix) :]
    if not any(_distinctive(word) for word in rest) or project_name(found, names.prefix):
        return None
    return "-".join(found)


def project_name(found: Sequence[str], prefix: tuple[str, ...]) -> bool:
    """Whether a subject is the project's own name: its prefix alone, or with words that
    name a whole (`ACME Platform`)."""
    return (
        bool(prefix)
        and tuple(found[: len(prefix)]) == prefix
        and all(word in _WHOLE_WORDS for word in found[len(prefix) :])
    )


def landing_name(path: str) -> bool:
    """Whether the doc at `path` is its folder's landing page by its file name."""
    return doc_stem(path).lower() in LANDING_NAMES


def home_page(path: str, folders: Sequence[str]) -> bool:
    """Whether the doc at `path` is the landing page of one of the docs `folders`: the
    site's home page, whatever its file name (the folder's) or title say."""
    parent = path.rpartition("/")[0]
    return landing_name(path) and any(folder_path(folder) == parent for folder in folders)


class LandingPages:
    """The landing pages among docs, and a wiki's sidebar, footer and header, which are no
    pages either (`titles`: each doc's title, None for none), given
    the project prefix's words: a container, asked only of the docs that name no image
    (most docs of a large tree never are), since a title is split into words to tell."""

    def __init__(self, titles: Mapping[str, str | None], prefix: tuple[str, ...]) -> None:
        self.titles = titles
        self.prefix = prefix

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        if landing_name(path) or doc_stem(path).lower() in _CHROME_NAMES:
            return True
        title = self.titles.get(path)
        return title is not None and project_name(subject(title), self.prefix)


def _without_prefix(found: Sequence[str], prefix: tuple[str, ...]) -> tuple[str, ...]:
    if prefix and tuple(found[: len(prefix)]) == prefix and len(found) > len(prefix):
        return tuple(found[len(prefix) :])
    return tuple(found)


def _distinctive(word: str) -> bool:
    return len(word) >= 3 and word not in ORDINARY_WORDS and not _filler(word)


def _variant(found: Sequence[str], name: Sequence[str]) -> bool:
    """`xrdp` of `xrdp-integration` (a part of the name), or `payments-gw` of
    `payment-gateway` (word by word: a plural, an abbreviation, a typo)."""
    return _stemmed_variant(found, [stem(w) for w in found], name, [stem(w) for w in name])


def _stemmed_variant(
    found: Sequence[str], found_stems: Sequence[str], name: Sequence[str], stems: Sequence[str]
) -> bool:
    """`_variant`, given the stems of both word lists."""
    if not found or tuple(found) == tuple(name):
        return False
    if len(found) < len(name):
        return _subsequence(found_stems, stems)
    if len(found) != len(name):
        return False
    pairs = list(zip(found, name, strict=True))
    if not all(_close(a, b) for a, b in pairs):
        return False
    # One word at least must be the same word; otherwise two abbreviations are a guess.
    return any(a == b for a, b in zip(found_stems, stems, strict=True)) or (
        len(pairs) == 1 and min(len(found[0]), len(name[0])) >= _SPELLED_MIN
    )


def _subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    remaining = iter(whole)
    return all(word in remaining for word in part)


# Pairs of words repeat (a subject's words against every candidate name's): one answer
# each. Bounded: a project with more distinct pairs computes the rest again, and a pair
# with a long word (a pull request's docs may hold megabyte lines) is never remembered.
_REMEMBERED_PAIR: Final = 200  # characters of both words


def _close(a: str, b: str) -> bool:
    return _close_cached(a, b) if len(a) + len(b) <= _REMEMBERED_PAIR else _close_words(a, b)


def _close_words(a: str, b: str) -> bool:
    if stem(a) == stem(b):
        return True
    short, long = sorted((a, b), key=len)
    if (
        _ABBREVIATION_MIN <= len(short) < len(long)
        and short[0] == long[0]
        and _subsequence(list(short), list(long))
    ):
        return True
    if min(len(a), len(b)) < 4:
        return False
    # Both quick ratios are upper bounds of `ratio`: most pairs fail on them, cheaply,
    # before a matcher is made (its index of `b` costs more than both).
    total = len(a) + len(b)
    if 2.0 * len(short) / total < _CLOSE_RATIO:  # difflib's real_quick_ratio
        return False
    if 2.0 * _common_letters(a, b) / total < _CLOSE_RATIO:  # its quick_ratio
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= _CLOSE_RATIO


def _common_letters(a: str, b: str) -> int:
    """How many letters `a` and `b` have in common, each counted as often as both have it."""
    left: dict[str, int] = {}
    for letter in b:
        left[letter] = left.get(letter, 0) + 1
    common = 0
    for letter in a:
        count = left.get(letter, 0)
        if count > 0:
            left[letter] = count - 1
            common += 1
    return common


_close_cached = lru_cache(maxsize=1 << 16)(_close_words)


def joined(found: Iterable[str]) -> str:
    """A subject as an alias: its words joined by `-`, as a file name writes them."""
    return fold("-".join(found))
