"""`${VAR:-default}` in the files that name images besides pull scripts.

Compose files and Dockerfiles expand variables with the same few forms, from
values they know (a `.env` file, `ARG` defaults): `$VAR`, `${VAR}`,
`${VAR:-default}`, `${VAR-default}`, `${VAR:+other}`, `${VAR:?error}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_VARIABLE_RE = re.compile(
    r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_]\w*)"
)


def interpolate(
    value: str, lookup: Callable[[str], str | None], *, dollar_escape: bool
) -> tuple[str, str | None]:
    """`value` with its variables expanded, and the first reference nothing sets (or None).

    `dollar_escape`: `$$` stands for `$` (compose), or is left as written (Dockerfile).
    """
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$" if dollar_escape else "$$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3) or ""
        current = lookup(name)
        if operator in (":-", "-"):
            unset = current is None or (operator == ":-" and current == "")
            return argument if unset else str(current)
        if operator in (":+", "+"):
            return argument if current else ""
        if current is None or (operator == ":?" and not current):
            missing.append(match.group(0))
            return ""
        return current

    result = _VARIABLE_RE.sub(replace, value)
    return result, (missing[0] if missing else None)
