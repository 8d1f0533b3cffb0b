"""What docs say they are about: renamed images and docs about retired ones. Pure.

A doc's subject is what its file name, title or a heading names, less the words
every report has (`step04`, `build`, `smoke test`, `protocol`...). A subject that
names no image of the inventory is either a variant of one that does (`xrdp` for
`xrdp-integration`, `payments-gw` for `payment-gateway`: an alias to suggest,
never counted without `aliases:`), or, when it carries the project prefix
(`app-legacy`), an image the inventory no longer has (an orphan doc).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Image
from .outline import words
from .rubric import stem
from .words import ORDINARY_WORDS, fold

# Words of report titles and file names that say what kind of doc it is, not what about.
_REPORT = """
    build builds report reports smoke test tests testing protocol notes note summary results
    result readme runbook guide doc docs documentation overview status checklist log logs
    verification changelog faq design architecture plan md draft final old new v1 v2 the of
    and for how howto about intro introduction
"""
REPORT_WORDS = frozenset(_REPORT.split())
_COUNTER = re.compile(r"(?:step|phase|part|stage|section|chapter)?\d+[a-z]?")
_ABBREVIATION_MIN = 2
_CLOSE_RATIO = 0.8


@dataclass(frozen=True)
class Names:
    """The word lists each image goes by: its name, its short name, its aliases."""

    by_image: dict[str, tuple[tuple[str, ...], ...]]  # Image.key -> word lists
    prefix: tuple[str, ...]  # the project prefix's words, if any

    def named(self, subject: Sequence[str]) -> bool:
        """Whether `subject` holds an image's name (any of its word lists) as a run."""
        return any(_contains(subject, name) for names in self.by_image.values() for name in names)


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
    longest = max((tuple(words(p)) for p in prefixes), key=len, default=())
    return Names(by_image, longest)


def subject(text: str) -> list[str]:
    """The words of `text` without report words and step or phase counters at either end."""
    found = words(text)
    while found and _filler(found[0]):
        found.pop(0)
    while found and _filler(found[-1]):
        found.pop()
    return found


def _filler(word: str) -> bool:
    return word in REPORT_WORDS or bool(_COUNTER.fullmatch(word))


def variant_of(found: Sequence[str], names: Names) -> list[str]:
    """The images `found` (a subject naming none of them) is a variant of."""
    rest = _without_prefix(found, names.prefix)
    if not rest or not any(_distinctive(word) for word in rest):
        return []
    return [
        image
        for image, lists in names.by_image.items()
        if any(_variant(rest, _without_prefix(name, names.prefix)) for name in lists)
    ]


def retired_name(found: Sequence[str], names: Names) -> str | None:
    """The image name a subject gives with the project prefix, when no image has it."""
    if not names.prefix or tuple(found[: len(names.prefix)]) != names.prefix:
        return None
    rest = found[len(names.prefix) :]
    if not any(_distinctive(word) for word in rest):
        return None
    return "-".join(found)


def _without_prefix(found: Sequence[str], prefix: tuple[str, ...]) -> tuple[str, ...]:
    if prefix and tuple(found[: len(prefix)]) == prefix and len(found) > len(prefix):
        return tuple(found[len(prefix) :])
    return tuple(found)


def _distinctive(word: str) -> bool:
    return len(word) >= 3 and word not in ORDINARY_WORDS and not _filler(word)


def _contains(found: Sequence[str], name: Sequence[str]) -> bool:
    size = len(name)
    return size > 0 and any(
        tuple(found[i : i + size]) == tuple(name) for i in range(len(found) - size + 1)
    )


def _variant(found: Sequence[str], name: Sequence[str]) -> bool:
    """`xrdp` of `xrdp-integration` (a part of the name), or `payments-gw` of
    `payment-gateway` (word by word: a plural, an abbreviation, a typo)."""
    if not found or tuple(found) == tuple(name):
        return False
    if len(found) < len(name):
        return _subsequence([stem(w) for w in found], [stem(w) for w in name])
    if len(found) != len(name):
        return False
    pairs = list(zip(found, name, strict=True))
    if not all(_close(a, b) for a, b in pairs):
        return False
    # One word at least must be the same word; otherwise two abbreviations are a guess.
    return any(stem(a) == stem(b) for a, b in pairs) or (
        len(pairs) == 1 and min(len(found[0]), len(name[0])) >= 5
    )


def _subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    remaining = iter(whole)
    return all(word in remaining for word in part)


def _close(a: str, b: str) -> bool:
    if stem(a) == stem(b):
        return True
    short, long = sorted((a, b), key=len)
    if (
        _ABBREVIATION_MIN <= len(short) < len(long)
        and short[0] == long[0]
        and _subsequence(list(short), list(long))
    ):
        return True
    return min(len(a), len(b)) >= 4 and difflib.SequenceMatcher(None, a, b).ratio() >= _CLOSE_RATIO


def joined(found: Iterable[str]) -> str:
    """A subject as an alias: its words joined by `-`, as a file name writes them."""
    return fold("-".join(found))
