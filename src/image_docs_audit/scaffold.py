"""Starter docs for images without documentation. Pure: text in, text out.

A starter doc is named after the image and titled with its name, so once it is
committed it documents the image (dedicated). Its sections are the rubric's
`required-sections` (or the five the hand audit recommended), each holding a
TODO line, which the rubric does not count until someone replaces it. What the
audit knows is filled in: the reference, the category, where it is pulled, and
the ports other places give it.

All of that comes from the repository (a pull request's script, compose files, doc
names) or its config, so each value is escaped for where it stands as the comment
escapes it (`render/escape.py`): text in a heading, a table cell or a line goes through
`md_cell`, a reference or a path in a code span through `md_code`. Nothing of it can
open a heading, a link, raw HTML, a mention or a reference; the doc's own lines are
written as they are.
"""

from __future__ import annotations

import re

from .docs.rubric import names_section
from .model import ImageResult, Location, Port
from .render.escape import md_cell, md_code

# The sections the hand audit asked of every report, when the config names none.
DEFAULT_SECTIONS = ("Build status", "Ports", "Dependencies", "Smoke test", "Known issues")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def scaffold_name(result: ImageResult, *, qualified: bool = False) -> str:
    """The file name of the image's starter doc: its name (`app-flag-service.md`), or
    with `qualified` its repository (`other-app-flag-service.md`, for an image whose name
    another repository's image has too)."""
    title = _title(result, qualified=qualified)
    name = _UNSAFE_NAME.sub("-", title).strip(".-") or "image"
    return f"{name}.md"


def _title(result: ImageResult, *, qualified: bool) -> str:
    return result.image.parsed.familiar_repository if qualified else result.image.name


def scaffold_doc(
    result: ImageResult,
    sections: tuple[str, ...],
    sources: tuple[Location, ...] = (),
    *,
    qualified: bool = False,
) -> str:
    """The starter doc for `result`; `sources` are more places that name the image.
    It is titled with the image's name, or with `qualified` with its repository."""
    image = result.image
    places = [image.source, *(where for where in sources if where != image.source)]
    lines = [
        f"# {_text(_title(result, qualified=qualified))}",
        "",
        "<!-- Starter doc from `image-docs-audit scaffold`: replace every TODO line. -->",
        "",
        "| Field | Value |",
        "|---|---|",
        f"| Image | {md_code(image.ref)} |",
        f"| Category | {_text(image.category) if image.category else '—'} |",
        *(f"| Source | {md_code(str(where))} |" for where in places),
        "",
    ]
    chosen = sections or DEFAULT_SECTIONS
    # The image's ports go under the first section about ports only: a config may require
    # 500 such sections, and an image may have a thousand ports.
    ports = next((index for index, name in enumerate(chosen) if names_section("Port", name)), -1)
    for index, section in enumerate(chosen):
        lines += [f"## {_text(section)}", "", *_body(result, section, ports=index == ports), ""]
    return "\n".join(lines)


_LISTED_PORTS = 100  # the ports a starter doc lists, then how many more


def _body(result: ImageResult, section: str, *, ports: bool) -> list[str]:
    if ports and result.ports:
        shown = result.ports[:_LISTED_PORTS]
        found = [f"- {_port(port)} (from {_text(str(port.location))})" for port in shown]
        more = len(result.ports) - len(shown)
        return found + ([f"- and {more} more: see the audit's report"] if more else [])
    return [f"TODO: {_text(section.lower())} of {_text(result.image.name)}."]


def _port(port: Port) -> str:
    return f"{port.number}/{_text(port.protocol)}"


def _text(text: str) -> str:
    """`text` on one line, its blanks made single spaces, as literal Markdown (`md_cell`:
    safe in a heading, a table cell and a line of text)."""
    return md_cell(" ".join(text.split()))
