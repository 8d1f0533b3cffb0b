"""`${VAR:-default}` in the files that name images besides pull scripts.

Compose files and Dockerfiles expand variables with the same few forms, from
values they know (a `.env` file, `ARG` defaults): `$VAR`, `${VAR}`,
`${VAR:-default}`, `${VAR-default}`, `${VAR:+other}`, `${VAR:?error}`. A default
may hold variables of its own (`${REGISTRY:-${MIRROR:-ghcr.io}}`), as both tools
read it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..lazy_pattern import LazyPattern
from .reference import partly_known
from .sources import Candidate

_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATOR = LazyPattern(r":?[-?+]")
# Defaults inside defaults: deeper than this is no file a person wrote.
_MAX_NESTING = 8

Lookup = Callable[[str], str | None]


# Stands in the expanded text where a reference nothing sets was (no file holds it: a
# value that does is read whole, see `interpolate_parts`).
_MARK = "\0"


def interpolate(value: str, lookup: Lookup, *, dollar_escape: bool) -> tuple[str, str | None]:
    """`value` with its variables expanded, and the first reference nothing sets (or None).

    `dollar_escape`: `$$` stands for `$` (compose), or is left as written (Dockerfile).
    """
    missing: list[str] = []
    expanded = _expand(value, lookup, dollar_escape, missing, 0).replace(_MARK, "")
    return expanded, (missing[0] if missing else None)


def interpolate_parts(
    value: str, lookup: Lookup, *, dollar_escape: bool
) -> tuple[list[str], list[str]] | None:
    """`value` expanded as the known texts between the references nothing sets, and those
    references as written (one fewer): `${REGISTRY}/app:1` with `REGISTRY` unset gives
    `["", "/app:1"]` and `["${REGISTRY}"]`. None for a value that holds the mark itself."""
    if _MARK in value:
        return None
    missing: list[str] = []
    pieces = _expand(value, lookup, dollar_escape, missing, 0).split(_MARK)
    return (pieces, missing) if len(pieces) == len(missing) + 1 else None


def _expand(value: str, lookup: Lookup, dollar_escape: bool, missing: list[str], depth: int) -> str:
    out: list[str] = []
    index = 0
    while index < len(value):
        dollar = value.find("$", index)
        if dollar == -1:
            out.append(value[index:])
            break
        out.append(value[index:dollar])
        if value.startswith("$$", dollar):
            out.append("$" if dollar_escape else "$$")
            index = dollar + 2
        elif value.startswith("${", dollar):
            end = _closing(value, dollar + 2)
            if end == -1 or depth >= _MAX_NESTING:
                out.append(value[dollar:])  # unclosed, or nested past reason: as written
                break
            out.append(_braced(value[dollar : end + 1], lookup, dollar_escape, missing, depth))
            index = end + 1
        else:
            name = _NAME.match(value, dollar + 1)
            if name is None:
                out.append("$")
                index = dollar + 1
                continue
            current = lookup(name.group(0))
            if current is None:
                missing.append(f"${name.group(0)}")
            out.append(_MARK if current is None else current)
            index = name.end()
    return "".join(out)


def _closing(value: str, start: int) -> int:
    """The `}` that closes the `${` before `start`, nested `${...}` skipped; -1 if none."""
    depth = 0
    index = start
    while index < len(value):
        char = value[index]
        if char == "}":
            if depth == 0:
                return index
            depth -= 1
        elif char == "$" and value.startswith("${", index):
            depth += 1
            index += 1
        index += 1
    return -1


def _braced(
    written: str, lookup: Lookup, dollar_escape: bool, missing: list[str], depth: int
) -> str:
    """One `${NAME...}` expression."""
    inner = written[2:-1]
    name = _NAME.match(inner)
    if name is None:
        missing.append(written)
        return _MARK
    operator = _OPERATOR.match(inner, name.end())
    rest = inner[operator.end() :] if operator is not None else inner[name.end() :]
    if operator is None and rest:
        missing.append(written)  # `${NAME/x/y}` and the like: not a form these files use
        return _MARK
    current = lookup(name.group(0))
    kind = operator.group(0) if operator is not None else ""
    if kind in (":-", "-"):
        unset = current is None or (kind == ":-" and current == "")
        return _expand(rest, lookup, dollar_escape, missing, depth + 1) if unset else current or ""
    if kind in (":+", "+"):
        return _expand(rest, lookup, dollar_escape, missing, depth + 1) if current else ""
    if current is None or (kind == ":?" and not current):
        missing.append(written)
        return _MARK
    return current


def image_candidate(
    value: str, line: int, lookup: Lookup, *, dollar_escape: bool
) -> Candidate | str:
    """The image `value` names, expanded: where a reference nothing sets stands in its tag
    or its start only (`app:${TAG}`, `${REGISTRY}/team/app:1`), the image it names by its
    repository or name (see Candidate); else the first such reference as written, for
    the warning."""
    parts = interpolate_parts(value, lookup, dollar_escape=dollar_escape)
    if parts is None:
        expanded, missing = interpolate(value, lookup, dollar_escape=dollar_escape)
        return Candidate(expanded, line) if missing is None else missing
    pieces, written = parts
    if not written:
        return Candidate(pieces[0], line)
    split = partly_known(pieces, written)
    if split is None:
        return written[0]
    start, reference, tag = split
    return Candidate(reference, line, unknown_tag=tag, unknown_start=start)
