"""What `tr` does to a text, as GNU tr does it in the C locale.

`name=$(echo "$s" | tr '_' '-')` and `tr '[:upper:]' '[:lower:]'` make image names: a
pipe through `tr` changes them, and reading it as a pass-through reported `user_service`
where bash pulls `user-service`. `program` reads tr's options and sets (characters,
escapes, ranges, classes); a set or an option it does not model gives None, and the
caller says the value is not known.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence

from ..records import record

# Each class in the order of its characters' codes, as tr lists it (which matters when
# one is translated: `[:alnum:]` starts with the digits).
_CLASSES = {
    name: "".join(sorted(chars))
    for name, chars in {
        "upper": string.ascii_uppercase,
        "lower": string.ascii_lowercase,
        "digit": string.digits,
        "alpha": string.ascii_letters,
        "alnum": string.ascii_letters + string.digits,
        "xdigit": string.hexdigits,
        "space": " \t\n\v\f\r",
        "blank": " \t",
        "punct": string.punctuation,
    }.items()
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "b": "\b"}
_FLAGS = {"--delete": "d", "--squeeze-repeats": "s", "--complement": "c"}


@record
class Program:
    """A tr command: `apply` changes a text; `joins_lines` when it deletes or translates
    the line end, so that the lines must be changed as one text."""

    apply: Callable[[str], str]
    joins_lines: bool


def program(words: Sequence[str | None]) -> Program | None:
    """The tr of `words` (its arguments), or None for one not modelled."""
    flags, sets = "", list[str]()
    for word in words:
        if word is None:
            return None
        if sets or not word.startswith("-") or word == "-":
            sets.append(word)
        elif word in _FLAGS:
            flags += _FLAGS[word]
        elif word[1:] and set(word[1:]) <= set("dsc"):
            flags += word[1:]
        else:
            return None  # -t, --help...
    parsed = [_set(spec) for spec in sets]
    if any(chars is None for chars in parsed):
        return None
    if "d" not in flags and len(sets) == 2 and "[:" in sets[1] and sets not in _CASE_CHANGES:
        return None  # tr refuses a class in SET2 but to change case
    return _program(flags, [chars for chars in parsed if chars is not None])


_CASE_CHANGES = (["[:lower:]", "[:upper:]"], ["[:upper:]", "[:lower:]"])


def _program(flags: str, sets: list[str]) -> Program | None:
    delete, squeeze, complement = "d" in flags, "s" in flags, "c" in flags
    if delete:
        if len(sets) != (2 if squeeze else 1):
            return None
        gone = sets[0]
        squeezed = sets[1] if squeeze else ""
        return Program(
            lambda text: _squeeze(_delete(text, gone, complement), squeezed, False),
            ("\n" in gone) != complement,
        )
    if len(sets) == 1 and squeeze:
        return Program(lambda text: _squeeze(text, sets[0], complement), False)
    return None if complement else _translating(sets, squeeze)


def _translating(sets: list[str], squeeze: bool) -> Program | None:
    """`tr SET1 SET2` (`-s`: then runs of a SET2 character as one)."""
    if len(sets) != 2 or not sets[1]:
        return None
    table = _table(sets[0], sets[1])
    squeezed = sets[1] if squeeze else ""
    moved = table.get(ord("\n"), ord("\n")) != ord("\n")
    return Program(lambda text: _squeeze(text.translate(table), squeezed, False), moved)


def _table(first: str, second: str) -> dict[int, int]:
    """SET1 -> SET2, a short SET2 going on with its last character (as GNU tr does)."""
    padded = second + second[-1] * max(0, len(first) - len(second))
    return {ord(a): ord(b) for a, b in zip(first, padded, strict=False)}


def _delete(text: str, chars: str, complement: bool) -> str:
    if complement:
        return "".join(char for char in text if char in chars)
    return text.translate({ord(char): None for char in chars})


def _squeeze(text: str, chars: str, complement: bool) -> str:
    """Each run of one character of `chars` (of any other, with `complement`) as one."""
    if not chars and not complement:
        return text
    kept: list[str] = []
    for char in text:
        if kept and kept[-1] == char and (char in chars) != complement:
            continue
        kept.append(char)
    return "".join(kept)


def _set(spec: str) -> str | None:
    """The characters of a tr set: escapes, `a-z` ranges and `[:class:]`; None for one
    with `[=c=]` or `[c*n]`."""
    chars: list[str] = []
    index = 0
    while index < len(spec):
        if spec.startswith("[:", index):
            end = spec.find(":]", index + 2)
            found = _CLASSES.get(spec[index + 2 : end]) if end > 0 else None
            if found is None:
                return None
            chars.append(found)
            index = end + 2
            continue
        if spec.startswith("[=", index) or (spec[index] == "[" and "*" in spec[index:]):
            return None
        char, index = _char(spec, index)
        if spec[index : index + 1] == "-" and index + 1 < len(spec):
            last, after = _char(spec, index + 1)
            if ord(last) < ord(char):
                return None  # tr refuses a range in reverse
            chars.append("".join(map(chr, range(ord(char), ord(last) + 1))))
            index = after
        else:
            chars.append(char)
    return "".join(chars)


def _char(spec: str, index: int) -> tuple[str, int]:
    """The character at `index` (an escape read as tr reads it) and the index after it."""
    if spec[index] != "\\" or index + 1 == len(spec):
        return spec[index], index + 1
    following = spec[index + 1]
    if following in "01234567":
        end = index + 1
        while end < min(index + 4, len(spec)) and spec[end] in "01234567":
            end += 1
        if int(spec[index + 1 : end], 8) > 0o377:
            end -= 1  # `\777` is `\77` then `7`: a byte has three octal digits at most
        return chr(int(spec[index + 1 : end], 8)), end
    return _ESCAPES.get(following, following), index + 2
