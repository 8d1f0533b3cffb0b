"""Categories: the comment headers images stand under in a pull script.

A header is a comment on a line of its own (`# Phase 2: Core Services`). Inside
an array (or a heredoc list) every such comment is a header for the elements
below it. Outside, a comment block is a header only when the statement right
after it brings images, so that `# Strict mode` above `set -e` is not one.
Directives (`#!`, `# shellcheck ...`) and commented-out code never are.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .reference import looks_like_reference

_DIRECTIVE_RE = re.compile(r"^(?:!|\s*(?:shellcheck|-\*-|vim?:|shfmt|noqa|type:|pylint))", re.I)
_DECORATION = "#=-*~_+ \t"
_CODE_WORDS = frozenset(
    {
        "docker",
        "podman",
        "nerdctl",
        "crane",
        "ctr",
        "skopeo",
        "sudo",
        "echo",
        "printf",
        "for",
        "while",
        "if",
        "then",
        "do",
        "done",
        "fi",
        "set",
        "export",
        "local",
        "readonly",
        "declare",
        "source",
        "exit",
        "return",
        "cd",
        "pull_image",
        "pull",
    }
)
_CODE_MARKS = ("=(", "$(", "${", "&&", "||", "\\", "; ")


@dataclass(frozen=True)
class CommentLine:
    line: int
    text: str  # with its `#`
    standalone: bool  # nothing but white space before it on its line
    scope: int | None  # the array or heredoc it stands in; None outside


class _Placed(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def scope(self) -> int | None: ...


_T = TypeVar("_T", bound=_Placed)


def heredoc_comment(line: int, text: str, scope: int) -> CommentLine:
    return CommentLine(line=line, text=text, standalone=True, scope=scope)


def header_text(comment: str) -> str | None:
    """The category a comment line names, or None for directives, code and rulers."""
    body = comment[1:] if comment.startswith("#") else comment
    if _DIRECTIVE_RE.match(body):
        return None
    stripped = body.strip(_DECORATION)
    if not stripped or _looks_like_code(stripped):
        return None
    return stripped


def _looks_like_code(text: str) -> bool:
    first = text.split(maxsplit=1)[0]
    if first[0] in "\"'$" or first.lower() in _CODE_WORDS:
        return True
    if any(mark in text for mark in _CODE_MARKS):
        return True
    # A lone image reference is a commented-out array element, not a title.
    return " " not in text and ("/" in text or ":" in text) and looks_like_reference(text)


@dataclass(frozen=True)
class _Header:
    line: int
    scope: int | None
    name: str


def _blocks(comments: Sequence[CommentLine]) -> list[list[CommentLine]]:
    """Runs of standalone comments on consecutive lines in one scope."""
    blocks: list[list[CommentLine]] = []
    for comment in sorted((c for c in comments if c.standalone), key=lambda c: c.line):
        last = blocks[-1][-1] if blocks else None
        if last is not None and last.line + 1 == comment.line and last.scope == comment.scope:
            blocks[-1].append(comment)
        else:
            blocks.append([comment])
    return blocks


def _headers(
    comments: Sequence[CommentLine],
    anchored: frozenset[int],
    statement_rows: Sequence[tuple[int, int]],
) -> list[_Header]:
    headers: list[_Header] = []
    starts = sorted({start for start, _ in statement_rows})
    for block in _blocks(comments):
        named = ((c.line, header_text(c.text)) for c in block)
        line, name = next(((line, name) for line, name in named if name), (0, None))
        if name is None:
            continue
        if block[0].scope is None:
            after = bisect.bisect_right(starts, block[-1].line)
            if after == len(starts) or starts[after] not in anchored:
                continue
        headers.append(_Header(line, block[0].scope, name))
    return headers


def _anchored_starts(
    lines: Sequence[int], statement_rows: Sequence[tuple[int, int]]
) -> frozenset[int]:
    """Start lines of the statements that hold an image line."""
    ordered = sorted(lines)
    anchored = set()
    for start, end in statement_rows:
        first = bisect.bisect_left(ordered, start)
        if first < len(ordered) and ordered[first] <= end:
            anchored.add(start)
    return frozenset(anchored)


def assign_categories(
    candidates: Sequence[_T],
    comments: Sequence[CommentLine],
    statement_rows: Sequence[tuple[int, int]],
) -> list[tuple[_T, str | None]]:
    """Each candidate with the category it stands under (None: no header above it)."""
    anchored = _anchored_starts([c.line for c in candidates], statement_rows)
    by_scope: dict[int | None, list[_Header]] = {}
    for header in sorted(_headers(comments, anchored, statement_rows), key=lambda h: h.line):
        by_scope.setdefault(header.scope, []).append(header)
    lines = {scope: [h.line for h in found] for scope, found in by_scope.items()}
    result: list[tuple[_T, str | None]] = []
    for candidate in candidates:
        name = None
        for scope in (candidate.scope, None) if candidate.scope is not None else (None,):
            before = bisect.bisect_left(lines.get(scope, []), candidate.line)
            if before:
                name = by_scope[scope][before - 1].name
                break
        result.append((candidate, name))
    return result
