"""Sentences with places in them, worded once and shown in every format.

A fix reads "restore docs/auth.md:5 (at base), or move the docs under docs/". The words are
ours; the path, the image and the folder come from the repository. A `Phrase` keeps them
apart, so the comment can link the place and escape the names while the terminal shows
the same sentence as plain text, and no format words it differently.
"""

from __future__ import annotations

from collections.abc import Callable

from ..records import record
from .escape import md_cell, md_code, plain
from .links import Links
from .view import place


@record
class Text:
    """Words; may quote the repository (a script path in a finding), so escaped all the same."""

    text: str


@record
class Strong:
    """Words to stress: the coverage in a headline."""

    text: str


@record
class Name:
    """A value from the repository shown as code: an image reference, a name, a folder."""

    text: str


@record
class Place:
    """A file and line; `at_base` for what the change deleted or rewrote."""

    path: str
    line: int = 0
    at_base: bool = False


Piece = Text | Strong | Name | Place
Phrase = tuple[Piece, ...]


def words(*pieces: Piece | str) -> Phrase:
    """A phrase from pieces, plain strings being words."""
    return tuple(Text(piece) if isinstance(piece, str) else piece for piece in pieces)


def md_phrase(phrase: Phrase, links: Links, *, table: bool = True) -> str:
    """The phrase as one line of Markdown: places linked when `links` can, names as code;
    without `table`, for a paragraph or a list item (see `md_code`)."""
    return "".join(_md_piece(piece, links, table) for piece in phrase)


def _md_piece(piece: Piece, links: Links, table: bool) -> str:
    if isinstance(piece, Text):
        return md_cell(piece.text)
    if isinstance(piece, Name):
        return md_code(piece.text, table=table)
    if isinstance(piece, Strong):
        return f"**{md_cell(piece.text)}**"
    shown = place(piece.path, piece.line)
    target = (links.base if piece.at_base else links.head)(piece.path, piece.line)
    if target is None:  # no repository URL: the plain path, never a link that 404s
        return md_code(shown, table=table) + (" (at base)" if piece.at_base else "")
    return f"[{md_cell(shown)}]({target})" + (" (at base)" if piece.at_base else "")


def text_phrase(phrase: Phrase) -> str:
    """The phrase as one line for a terminal."""
    return "".join(_text_piece(piece) for piece in phrase)


def _text_piece(piece: Piece) -> str:
    if isinstance(piece, Place):
        return plain(place(piece.path, piece.line)) + (" (at base)" if piece.at_base else "")
    return plain(piece.text)


Renderer = Callable[[Phrase], str]
