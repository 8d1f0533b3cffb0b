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
from typing import Protocol, TypeVar

from ..lazy_pattern import LazyPattern
from ..records import record
from .reference import looks_like_reference

_DIRECTIVE_RE = LazyPattern(r"^(?:!|\s*(?:shellcheck|-\*-|vim?:|shfmt|noqa|type:|pylint))", re.I)
# Every character `str.isspace` takes (tests/test_inventory.py checks the list): a script
# checked out with Windows line ends leaves `\r` on each comment, an editor a no-break space.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_DECORATION = "#=-*~_+" + WHITESPACE
# Commands that open a commented-out line of code (`# docker pull x`, `# kubectl get ...`).
# Only names that are not also English words: the first word of a header may be a verb
# ("Pull Docker images", "Set up the base").
_COMMANDS = frozenset(
    {
        "docker", "podman", "nerdctl", "finch", "crane", "ctr", "crictl", "skopeo", "buildah",
        "kubectl", "helm", "sudo", "echo", "printf", "xargs", "grep",
        "sed", "awk", "jq", "curl", "wget", "mkdir", "rm", "cp", "mv", "tar", "apt-get", "yum",
        "dnf", "apk", "pip", "npm", "git", "eval", "exec", "fi", "esac", "done", "declare",
        "readonly", "unset", "export", "local",
    }
)  # fmt: skip
# What follows a command in code: a subcommand or argument in lower case, or a flag.
_ARGUMENT_RE = LazyPattern(r"[a-z0-9][a-z0-9._/:@-]*|-.+")
# Marks of shell code: pipes, substitutions, assignments, separators, continuations.
_CODE_RE = LazyPattern(r"[|;`]|\$[({\w]|=|&&|\\$|(?:^|\s)--?[A-Za-z]|\b\w+\(\)")
# A header is a short title, not a paragraph.
_MAX_HEADER = 80


@record
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
    """Whether a comment is commented-out code rather than words.

    Code shows by its marks (a pipe, `$(`, `--flag`, `=`, `;`, a trailing `\\`), by
    a command name in lower case first (`# docker pull x`, `# kubectl get pods`), by a
    leading quote (`# "example/app:old"`), or by being a lone image reference.
    """
    words = text.split()
    first = words[0]
    if first[0] in "\"'$" or _CODE_RE.search(text):
        return True
    if first in _COMMANDS and (len(words) == 1 or _ARGUMENT_RE.fullmatch(words[1])):
        return True
    if len(text) > _MAX_HEADER:
        return True
    # A lone image reference is a commented-out array element, not a title.
    return len(words) == 1 and ("/" in text or ":" in text) and looks_like_reference(text)


@record
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
    assignments: frozenset[int],
) -> list[_Header]:
    headers: list[_Header] = []
    rows = sorted(set(statement_rows))
    for block in _blocks(comments):
        named = ((c.line, header_text(c.text)) for c in block)
        line, name = next(((line, name) for line, name in named if name), (0, None))
        if name is None:
            continue
        scope = block[0].scope
        if scope is None and not _brings_images(block[-1].line, rows, anchored, assignments):
            continue
        headers.append(_Header(line, block[0].scope, name))
    return headers


def _brings_images(
    line: int,
    rows: Sequence[tuple[int, int]],
    anchored: frozenset[int],
    assignments: frozenset[int],
) -> bool:
    """Whether the statement right after a comment block ending at `line` brings images,
    or the first that follows a run of assignments right below the block, with no blank
    line or comment between (`# Proxied`, `UPSTREAM=nginx:1.27`, `docker pull "$UPSTREAM"`).
    `# Strict mode` above `set -e` and a pull is no header."""
    index = bisect.bisect_right(rows, (line, line))
    previous_end: int | None = None
    while index < len(rows):
        start, end = rows[index]
        index += 1
        if previous_end is not None:
            if start <= previous_end:
                previous_end = max(previous_end, end)  # a statement inside the one before
                continue
            if start != previous_end + 1:
                return False  # a blank line or a comment between
        if start in anchored:
            return True
        if start not in assignments:
            return False
        previous_end = end
    return False


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
    assignments: frozenset[int] = frozenset(),
) -> list[tuple[_T, str | None]]:
    """Each candidate with the category it stands under (None: no header above it).

    `assignments` are the first lines of the statements that only set variables.
    """
    anchored = _anchored_starts([c.line for c in candidates], statement_rows)
    by_scope: dict[int | None, list[_Header]] = {}
    found = _headers(comments, anchored, statement_rows, assignments)
    for header in sorted(found, key=lambda h: h.line):
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
