"""The inventory: every image the pull scripts name, where they name it."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import InputError
from ..model import Diagnostic, Image, Inventory, Location
from .pullscript import ScriptImages, parse_pull_script
from .reference import ReferenceError, parse_reference

__all__ = [
    "MAX_IMAGES",
    "MAX_INVENTORY_TEXT",
    "ScriptImages",
    "build_inventory",
    "parse_pull_script",
    "read_inventory",
]

# Every image becomes a few search terms, and the matcher costs time and memory per
# character of them: these caps keep a hostile inventory to seconds and a few hundred MB,
# well above the few thousand images a real pull script lists.
MAX_IMAGES = 5000
MAX_INVENTORY_TEXT = 500_000  # characters of canonical references, all images together


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
    text = 0
    for found in scripts:
        path = found.path
        paths.append(path)
        warnings.extend(found.warnings)
        for candidate, category in found.candidates:
            where = Location(path, candidate.line)
            try:
                parsed = parse_reference(candidate.text)
            except ReferenceError as error:
                shown = _short(candidate.text)
                warnings.append(Diagnostic(where, f"'{shown}' is not an image reference: {error}"))
                continue
            first = images.get(parsed.canonical)
            if first is None:
                text += len(parsed.canonical)
                _check_size(len(images) + 1, text, where)
                images[parsed.canonical] = Image(candidate.text, parsed, category, where)
            elif first.source != where:
                warnings.append(
                    Diagnostic(where, f"{candidate.text} is listed again (first at {first.source})")
                )
    return Inventory(tuple(images.values()), tuple(paths), tuple(warnings))


def _check_size(count: int, text: int, where: Location) -> None:
    if count > MAX_IMAGES:
        message = f"more than {MAX_IMAGES:,} images"
    elif text > MAX_INVENTORY_TEXT:
        message = f"the image references add up to more than {MAX_INVENTORY_TEXT:,} characters"
    else:
        return
    raise InputError(
        str(where),
        f"{message} (the limit is reached here); this is not a pull script a person wrote: "
        "check it, or audit its parts separately",
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
