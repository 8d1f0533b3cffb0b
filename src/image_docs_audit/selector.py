"""Image selectors and path globs, as the config and the command line write them."""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

from .model import Image


def image_names(image: Image) -> tuple[str, ...]:
    """Every spelling a selector may use for an image."""
    parsed = image.parsed
    familiar = parsed.familiar_repository
    tagged = familiar + (f":{parsed.tag}" if parsed.tag else "")
    return (
        image.ref,
        parsed.canonical,
        tagged,
        familiar,
        f"{parsed.domain}/{parsed.path}",
        parsed.name,
    )


def selects(selector: str, image: Image) -> bool:
    """Whether `selector` names `image`: exactly, or as a shell glob, on any spelling."""
    wanted = selector.strip().lower()
    names = [name.lower() for name in image_names(image)]
    if wanted in names:
        return True
    return any(ch in wanted for ch in "*?[") and any(
        fnmatch.fnmatchcase(name, wanted) for name in names
    )


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob with `**` (any number of folders), `*` and `?`; other characters are literal."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            out.append(_glob_char(pattern[index]))
            index += 1
    return re.compile("".join(out))


def _glob_char(char: str) -> str:
    if char == "*":
        return "[^/]*"
    if char == "?":
        return "[^/]"
    return re.escape(char)


def glob_match(pattern: str, path: str) -> bool:
    """Whether the root-relative `path` matches `pattern` or lies under a folder that does."""
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    regex = _glob_regex(pattern)
    if regex.fullmatch(path):
        return True
    parts = path.split("/")
    return any(regex.fullmatch("/".join(parts[:end])) for end in range(1, len(parts)))


def under(folder: str, path: str) -> bool:
    """Whether `path` lies in `folder` (both root-relative; "." or "" is the root)."""
    folder = folder.strip().removeprefix("./").strip("/")
    return folder in ("", ".") or path == folder or path.startswith(folder + "/")
