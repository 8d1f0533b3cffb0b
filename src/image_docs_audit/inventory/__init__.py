"""The inventory: every image the pull scripts name, where they name it."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Diagnostic, Image, Inventory, Location
from .pullscript import ScriptImages, parse_pull_script
from .reference import ReferenceError, parse_reference

__all__ = ["ScriptImages", "build_inventory", "parse_pull_script", "read_inventory"]


def read_inventory(scripts: Iterable[tuple[str, bytes]]) -> Inventory:
    """The images of the pull scripts, given as (path, bytes), in script and line order."""
    return build_inventory(parse_pull_script(path, source) for path, source in scripts)


def build_inventory(scripts: Iterable[ScriptImages]) -> Inventory:
    """The inventory of parsed pull scripts.

    Inventory identity is the canonical reference: an image listed twice is one
    image, reported where it is listed first.
    """
    images: dict[str, Image] = {}
    warnings: list[Diagnostic] = []
    paths: list[str] = []
    for found in scripts:
        path = found.path
        paths.append(path)
        warnings.extend(found.warnings)
        for candidate, category in found.candidates:
            where = Location(path, candidate.line)
            try:
                parsed = parse_reference(candidate.text)
            except ReferenceError as error:
                warnings.append(
                    Diagnostic(where, f"'{candidate.text}' is not an image reference: {error}")
                )
                continue
            first = images.get(parsed.canonical)
            if first is None:
                images[parsed.canonical] = Image(candidate.text, parsed, category, where)
            elif first.source != where:
                warnings.append(
                    Diagnostic(where, f"{candidate.text} is listed again (first at {first.source})")
                )
    return Inventory(tuple(images.values()), tuple(paths), tuple(warnings))
