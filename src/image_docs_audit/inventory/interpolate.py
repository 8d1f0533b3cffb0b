"""`${VAR:-default}` in the files that name images besides pull scripts.

Compose files and Dockerfiles expand variables with the same few forms, from
values they know (a `.env` file, `ARG` defaults): `$VAR`, `${VAR}`,
`${VAR:-default}`, `${VAR-default}`, `${VAR:+other}`, `${VAR:?error}`. A default
may hold variables of its own (`${REGISTRY:-${MIRROR:-ghcr.io}}`), as both tools
read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATOR = re.compile(r":?[-?+]")
# Defaults inside defaults: deeper than this is no file a person wrote.
_MAX_NESTING = 8

Lookup = Callable[[str], str | None]


def interpolate(value: str, lookup: Lookup, *, dollar_escape: bool) -> tuple[str, str | None]:
    """`value` with its variables expanded, and the first reference nothing sets (or None).

    `dollar_escape`: `$$` stands for `$` (compose), or is left as written (Dockerfile).
    """
    missing: list[str] = []
    return _expand(value, lookup, dollar_escape, missing, 0), (missing[0] if missing else None)


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
            out.append(current or "")
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
        return ""
    operator = _OPERATOR.match(inner, name.end())
    rest = inner[operator.end() :] if operator is not None else inner[name.end() :]
    if operator is None and rest:
        missing.append(written)  # `${NAME/x/y}` and the like: not a form these files use
        return ""
    current = lookup(name.group(0))
    kind = operator.group(0) if operator is not None else ""
    if kind in (":-", "-"):
        unset = current is None or (kind == ":-" and current == "")
        return _expand(rest, lookup, dollar_escape, missing, depth + 1) if unset else current or ""
    if kind in (":+", "+"):
        return _expand(rest, lookup, dollar_escape, missing, depth + 1) if current else ""
    if current is None or (kind == ":?" and not current):
        missing.append(written)
        return ""
    return current
