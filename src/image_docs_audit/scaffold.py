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
        f"# {_line(_title(result, qualified=qualified))}",
        "",
        "<!-- Starter doc from `image-docs-audit scaffold`: replace every TODO line. -->",
        "",
        "| Field | Value |",
        "|---|---|",
        f"| Image | {_code(image.ref)} |",
        f"| Category | {_cell(image.category or '—')} |",
        *(f"| Source | {_code(str(where))} |" for where in places),
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
    """`text` as table cell text: on one line, a `|` or backtick in it shown as it is."""
    return _line(text).replace("|", "\\|").replace("`", "\\`")


def _code(text: str) -> str:
    """`text` (a reference, a path) as a code span in a table cell, shown exactly: the
    fence is one backtick longer than any run of them in `text`, a `|` is escaped as a
    table needs it even in a code span, and a character that is not printable (a line
    end) is written escaped."""
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    longest = max((len(run) for run in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {shown} " if shown.startswith("`") or shown.endswith("`") else shown
    return f"{fence}{padded.replace('|', chr(92) + '|')}{fence}"
