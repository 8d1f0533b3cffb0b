"""What every inventory reader returns: the images one file names, where, and what else it says.

A pull script, a compose file, a Dockerfile, a Kubernetes manifest, Helm values
and a plain list are all read into `SourceImages`, so the inventory is built the
same way whatever file named an image.
"""

from __future__ import annotations

from ..model import Diagnostic, SourceKind
from ..records import record

__all__ = ["Candidate", "PortClaim", "SourceImages", "SourceKind", "file_lines"]


@record
class Candidate:
    """A text a source names as an image: an image reference, not yet validated."""

    text: str
    line: int  # 1-based
    column: int = 0
    scope: int | None = None  # the array or heredoc it stands in (pull scripts), for categories
    path: str | None = None  # the file it stands in when not the source's own (a list it reads)
    # The tag or digest as written, from its `:` or `@` on, when the source does not let it
    # be known (`:${TAG}`, `@$(cat DIGEST)`): `text` is then the reference before it.
    unknown_tag: str | None = None
    # The start as written, to the `/` after its part not known, when the source does not
    # let it be known (`${REGISTRY}/`): `text` is then the reference after it.
    unknown_start: str | None = None
    # Used by a command that takes an image it expects at hand (`docker tag`, `save`,
    # `run` after a pull): a repeat of a listed image that says nothing.
    follows: bool = False

    @property
    def written(self) -> str:
        """The reference as the source writes it, a part not known as written."""
        return (self.unknown_start or "") + self.text + (self.unknown_tag or "")


@record
class PortClaim:
    """A host port a source gives an image (`ports: ["8080:80"]` in compose)."""

    image: Candidate  # the image's candidate
    port: int
    line: int
    protocol: str = "tcp"  # `8080:80/udp` says otherwise


@record
class SourceImages:
    """The candidates of one file, with their categories, in file order."""

    path: str
    candidates: tuple[tuple[Candidate, str | None], ...]
    warnings: tuple[Diagnostic, ...]
    kind: SourceKind = SourceKind.PULL_SCRIPT
    ports: tuple[PortClaim, ...] = ()
    read: tuple[str, ...] = ()  # other repository files read to know the images (a list)
    # The globs of repository files a pull script wrote (root-relative) and the files each
    # named: another tree's files may give another answer.
    globbed: tuple[tuple[str, tuple[str, ...]], ...] = ()


def file_lines(text: str) -> list[str]:
    r"""The lines of a Dockerfile, list or `.env` file as the tools that read it see them:
    ended by a newline only (bash's `read`, Docker's parser).

    `str.splitlines` also ends a line at a form feed, a vertical tab, `\x1c` to `\x1e`,
    NEL and the Unicode line and paragraph separators, which those tools keep in the
    line: `FROM\fbase:1` is one instruction to Docker (a form feed is whitespace there),
    and two lines, neither naming an image, to `splitlines`.
    """
    return text.split("\n")
