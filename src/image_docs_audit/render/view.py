"""What every rendering shares: images grouped by category, in report order.

The templates only lay out; anything counted, ordered or chosen is decided here
so the text, Markdown and JSON renderings cannot disagree.
"""

from __future__ import annotations

from ..model import (
    AliasSuggestion,
    Diagnostic,
    Evidence,
    Group,
    ImageResult,
    OrphanDoc,
    OrphanKind,
    Port,
    Report,
    Status,
)
from ..records import record

# The section for images that stand under no comment header in the pull script.
UNCATEGORIZED = "Uncategorized"


@record
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


def port_list(ports: tuple[Port, ...], *, unique: bool = True) -> list[str]:
    """`8080`, `8600/udp`: each port once (unless `unique` is off), however many places give it."""
    shown = [str(p.number) if p.protocol == "tcp" else f"{p.number}/{p.protocol}" for p in ports]
    return list(dict.fromkeys(shown)) if unique else shown


def describe_orphan(orphan: OrphanDoc) -> str:
    if orphan.kind is OrphanKind.NO_IMAGE:
        return f"{orphan.path} names no image of the pull scripts"
    where = "title" if orphan.line else "file name"
    return (
        f"{place(orphan.path, orphan.line)}: its {where} names {orphan.name}, "
        "which is not in the inventory (retired or renamed?)"
    )


def describe_suggestion(image: str, item: AliasSuggestion) -> str:
    return (
        f"{place(item.location.path, item.location.line)}: '{item.alias}' looks like {image}; "
        "add it under `aliases:` to count it"
    )
