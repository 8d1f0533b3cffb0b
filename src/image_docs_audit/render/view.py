"""What every rendering shares: images grouped by category, in report order.

The templates only lay out; anything counted, ordered or chosen is decided here
so the text, Markdown and JSON renderings cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Diagnostic, Evidence, Group, ImageResult, Report, Status

# The section for images that stand under no comment header in the pull script.
UNCATEGORIZED = "Uncategorized"


@dataclass(frozen=True)
class Section:
    """The images of one category, with the category's counts if the report has them."""

    category: str
    group: Group | None
    results: tuple[ImageResult, ...]


def category_of(result: ImageResult) -> str:
    return result.image.category or UNCATEGORIZED  # as `audit` groups them: "" too


def sections(report: Report, *statuses: Status) -> tuple[Section, ...]:
    """The images with one of `statuses` (all if none given), one section per category.

    Categories come in the order of `report.groups`, then any category the groups
    lack in the order its first image appears; empty sections are left out.
    """
    groups = {group.name: group for group in report.groups}
    found: dict[str, list[ImageResult]] = {name: [] for name in groups}
    for result in report.images:
        found.setdefault(category_of(result), [])  # keeps the order of first appearance
    for result in report.images:
        if not statuses or result.status in statuses:
            found[category_of(result)].append(result)
    return tuple(
        Section(name, groups.get(name), tuple(results))
        for name, results in found.items()
        if results
    )


def headline_evidence(evidence: tuple[Evidence, ...]) -> Evidence | None:
    """The evidence to show first: the first strong one, else the first one."""
    strong = (item for item in evidence if item.kind.strong)
    return next(strong, evidence[0] if evidence else None)


def describe_kind(item: Evidence) -> str:
    """`reference`, or `reference of app:v1.0` for evidence that names another tag."""
    kind = item.kind.value
    return f"{kind} of {item.other_tag}" if item.other_tag else kind


def place(path: str, line: int) -> str:
    """`path:line`, or just `path` for line 0: the whole file (a filename match, say)."""
    return f"{path}:{line}" if line > 0 else path


def describe(warning: Diagnostic) -> str:
    location = warning.location
    return (
        f"{place(location.path, location.line)}: {warning.message}" if location else warning.message
    )
