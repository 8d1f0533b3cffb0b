"""Turn any bytes into text: a doc never stops the audit for its encoding."""

from __future__ import annotations

import codecs

from .lines import SplitText

_SNIFF = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes a doc starts with when it is not plain UTF-8: the scan reads those by their text.
BOM_BYTES = tuple(bom for bom, _ in _BOMS)


# Docs larger than this are not read. Reading a doc takes up to 70 times its size in
# memory meanwhile (its lines, matches, headings and ports: 18 MB of `Port: 80` lines took
# 0.8 GB, of mentions 1.3 GB), and a pull request may add docs of 100 MB, the largest file
# GitHub takes. The reports this reads are kilobytes.
MAX_DOC_BYTES = 8 << 20
# The most of a file any reader here takes (a doc; a pull script, list or config takes
# less): a tree reads no more of a larger one (see `Truncated`).
MAX_READ_BYTES = MAX_DOC_BYTES


class Truncated(bytes):
    """The first `MAX_READ_BYTES + 1` bytes of a file larger than that, and its `size`.

    A tree reads no more of such a file, so that a pull request's 100 MB file costs
    8 MB of memory, not twice its size: every reader refuses more than `MAX_READ_BYTES`
    (one byte more tells them), and the size is what a warning says."""

    size: int

    def __new__(cls, data: bytes, size: int) -> Truncated:
        made = super().__new__(cls, data)
        made.size = size
        return made

    def __reduce__(self) -> tuple[type[Truncated], tuple[bytes, int]]:
        return Truncated, (bytes(self), self.size)


def file_size(data: bytes) -> int:
    """The size of the file `data` was read from (see `Truncated`)."""
    return data.size if isinstance(data, Truncated) else len(data)


def unread(data: bytes) -> str | None:
    """Why the doc of `data` is not read, or None when it is: a binary file, or too large."""
    if len(data) > MAX_DOC_BYTES:
        return f"skipped: larger than {MAX_DOC_BYTES >> 20} MiB ({file_size(data):,} bytes)"
    if is_binary(data):
        return "skipped: binary file"
    return None


def is_binary(data: bytes) -> bool:
    """A NUL byte near the start, without a UTF-16/32 BOM, means this is no text file."""
    return data.find(b"\0", 0, _SNIFF) >= 0 and not data.startswith(BOM_BYTES)


def decode(data: bytes) -> tuple[str, bool]:
    """The text of `data` and whether some bytes had to be replaced.

    A text with a lone carriage return (the line ends of classic Mac OS) has its line
    ends made newlines: CommonMark ends a line there, as markdown-it and GitHub do,
    and every reader of a doc here counts lines by newlines. (Read as one line, such a
    doc's first heading would run to its end and name every image in it.)
    """
    text, replaced = _decoded(data)
    # Every encoding read here writes a carriage return with a 0x0D byte: without one,
    # the text holds none (found in the bytes at a tenth of the time, see SplitText).
    if b"\r" in data and _has_lone_cr(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, replaced


def decode_split(data: bytes) -> tuple[SplitText, bool]:
    """`decode(data)` as a `SplitText`, which holds `data` where that is the text's UTF-8
    encoding: valid UTF-8 with no byte order mark, its line ends as they were."""
    text, replaced = decode(data)
    same = (
        not replaced
        and not data.startswith(BOM_BYTES)
        and (b"\r" not in data or "\r" in text)  # a lone `\r` made every `\r` a newline
    )
    return SplitText(text, data if same else None), replaced


def _has_lone_cr(text: str) -> bool:
    """Whether `text` has a carriage return that is not followed by a newline."""
    return "\r" in text and text.count("\r") != text.count("\r\n")


def _decoded(data: bytes) -> tuple[str, bool]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), False
            except UnicodeDecodeError:
                return data.decode(encoding, "replace"), True
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace"), True
