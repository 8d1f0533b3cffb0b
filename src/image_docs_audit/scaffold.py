"""Starter docs for images without documentation. Pure: text in, text out.

A starter doc is named after the image and titled with its name, so once it is
committed it documents the image (dedicated). Its sections are the rubric's
`required-sections` (or the five the hand audit recommended), each holding a
TODO line, which the rubric does not count until someone replaces it. What the
audit knows is filled in: the reference, the category, where it is pulled, and
the ports other places give it.
"""

from __future__ import annotations

import re

from .docs.rubric import names_section
from .model import ImageResult, Location

# The sections the hand audit asked of every report, when the config names none.
DEFAULT_SECTIONS = ("Build status", "Ports", "Dependencies", "Smoke test", "Known issues")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def scaffold_name(result: ImageResult) -> str:
    """The file name of the image's starter doc: its name (`app-flag-service.md`)."""
    name = _UNSAFE_NAME.sub("-", result.image.name).strip(".-") or "image"
    return f"{name}.md"


def scaffold_doc(
    result: ImageResult, sections: tuple[str, ...], sources: tuple[Location, ...] = ()
) -> str:
    """The starter doc for `result`; `sources` are more places that name the image."""
    image = result.image
    places = [image.source, *(where for where in sources if where != image.source)]
    lines = [
        f"# {_line(image.name)}",
        "",
        "<!-- Starter doc from `image-docs-audit scaffold`: replace every TODO line. -->",
        "",
        "| Field | Value |",
        "|---|---|",
        f"| Image | `{_cell(image.ref)}` |",
        f"| Category | {_cell(image.category or '—')} |",
        *(f"| Source | {_cell(str(where))} |" for where in places),
        "",
    ]
    chosen = sections or DEFAULT_SECTIONS
    # The image's ports go under the first section about ports only: a config may require
    # 500 such sections, and an image may have a thousand ports.
    ports = next((index for index, name in enumerate(chosen) if names_section("Port", name)), -1)
    for index, section in enumerate(chosen):
        lines += [f"## {_line(section)}", "", *_body(result, section, ports=index == ports), ""]
    return "\n".join(lines)


_LISTED_PORTS = 100  # the ports a starter doc lists, then how many more


def _body(result: ImageResult, section: str, *, ports: bool) -> list[str]:
    if ports and result.ports:
        shown = result.ports[:_LISTED_PORTS]
        found = [f"- {port.number}/{port.protocol} (from {port.location})" for port in shown]
        more = len(result.ports) - len(shown)
        return found + ([f"- and {more} more: see the audit's report"] if more else [])
    return [f"TODO: {_line(section.lower())} of {_line(result.image.name)}."]


def _line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _line(text).replace("|", "\\|").replace("`", "'")
