"""The doc-quality rubric: which of the `required-sections` an image's docs have. Pure.

A required section is found in a heading, a `Key:` line or the key column of a
two-column table, in the lines that are the image's own (its dedicated docs
whole, or its section, row or item in another doc; see `scopes.py`). Matching is
fuzzy on case, punctuation and plurals, and a longer heading still counts:
`Smoke test` is found in `## Smoke-test results`. A heading whose section holds
nothing but TODO lines (a scaffold not filled in yet) does not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .outline import Outline, words
from .scopes import Region


@dataclass(frozen=True)
class Quality:
    completeness: float  # percent of the required sections found
    missing: tuple[str, ...]  # the required sections not found, as configured


def stem(word: str) -> str:
    """A crude singular: `dependencies` -> `dependency`, `ports` -> `port`."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def names_section(required: str, candidate: str) -> bool:
    """Whether `candidate` (a heading or key) is the section `required`: its words, in order."""
    wanted = [stem(word) for word in words(required)]
    have = iter(stem(word) for word in words(candidate))
    return bool(wanted) and all(word in have for word in wanted)


def section_names(outline: Outline, region: Region) -> list[str]:
    """The headings and keys that stand in `region` of the doc."""
    names = [
        section.heading.text
        for section in outline.sections
        if region.covers(section.heading.line) and not section.placeholder
    ]
    names += [key for line, key in outline.keys if region.covers(line)]
    for table in outline.tables:  # a row that is the image's own: its table's headed cells
        if any(region.covers(line) for line in range(table.header + 2, table.end + 1)) and not (
            region.whole
        ):
            names += list(table.columns)
    return names


def grade(required: Sequence[str], names: Iterable[str]) -> Quality:
    found = list(names)
    missing = tuple(r for r in required if not any(names_section(r, name) for name in found))
    share = 100.0 * (len(required) - len(missing)) / len(required) if required else 100.0
    return Quality(share, missing)
