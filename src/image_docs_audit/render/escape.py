"""Make untrusted text inert in Markdown and on a terminal.

Image references, names, categories, paths, reasons and messages all come from
files in the audited repository, which for a pull request means a fork. Every one
of them passes through one of these functions before it reaches a rendering.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from ..lazy_pattern import LazyPattern

# Characters that start Markdown syntax anywhere in a line: emphasis, code spans,
# links, raw HTML, table cells, strikethrough, math, entities (`&#64;` renders an `@`).
_MD_SPECIAL = LazyPattern(r"([\\`*_\[\]<>|~$&])")
_LINE_BREAK = LazyPattern(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_HEADING = LazyPattern(r"^(\s*)#")
# GitHub pings `@name` only when no ASCII word character stands before the `@`.
_MENTION = LazyPattern(r"(?<![A-Za-z0-9_])@(?!&#8203;)")  # one an address broke stays so
_ZERO_WIDTH_SPACE = "&#8203;"
# GitHub links `#123`, `GH-123` and `owner/repo#123` to issues, and `www.x` and `http://x`
# to sites, in any text it renders: a zero-width space breaks each reference apart.
_ISSUE_REFERENCE = LazyPattern(r"(#|\bGH-)(?=\d)", re.IGNORECASE)
# Broken wherever they stand, not at a word boundary: GitHub's autolinker starts `www.`
# after `_`, `*`, `~` or `(`, and a scheme after any character that is not an ASCII letter
# (`1https://`, `_https://`, `éhttps://`), where a regex sees no boundary.
_AUTOLINK = LazyPattern(r"(www)(?=\.)|(https?|ftp)(?=:)", re.IGNORECASE)
# GitHub links `ops@example.com` as an address: a local part, `@`, and a domain with a dot
# before a letter or digit, anywhere in it (`x@.io` too; `redis@sha256:...` has none). A
# zero-width space after the `@` breaks the domain off.
_EMAIL = LazyPattern(r"(?<=[A-Za-z0-9.+_-])@(?=[A-Za-z0-9_\\.-]*\.[A-Za-z0-9])")

# Bidirectional controls reorder what a terminal shows ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# A file name that is not UTF-8 arrives with its bad bytes as lone surrogates (PEP 383):
# they cannot be encoded, so they are shown as the bytes they stand for.
_SURROGATES = "\udc80-\udcff"
# Characters that show nothing, so that two names look alike (`docs/a\u200bpp.md` and
# `docs/app.md`): zero-width spaces and joiners but the emoji's, the soft hyphen, fillers,
# the byte order mark, tag characters. Shown as escapes, as control characters are.
_INVISIBLE = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b\u200c\u2060-\u2064"
    "\u3164\ufeff\uffa0\U000e0000-\U000e007f"
)
# Control characters (category Cc), the bidirectional marks above, invisible characters
# and surrogate escapes.
_UNSAFE_RE = LazyPattern(
    "[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + _INVISIBLE + _SURROGATES + "]"
)
# A log line is also ended by these, so they are shown too (as in `plain`, they are breaks).
_LOG_UNSAFE_RE = LazyPattern(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + _INVISIBLE + _SURROGATES + "]"
)
_INVISIBLE_RE = LazyPattern(f"[{_INVISIBLE}]")
# The runner reads workflow commands on stdout and stderr: a line that starts with `::`
# (after blanks), and the old `##[command]` form anywhere in a line.
# The runner splits lines on CR as well as LF, and trims any Unicode blank before `::`.
_COMMAND_LINE = LazyPattern(r"(^|\r)([^\S\r\n]*):(?=:)", re.MULTILINE)
_OLD_COMMAND = "##["


def md_cell(text: str) -> str:
    """`text` as literal Markdown, safe in a table cell, a heading and prose.

    Newlines become spaces (a cell is one line), control characters show as
    escapes (as in `plain`), syntax characters get a backslash, a leading `#`
    cannot open a heading, `@mention`s do not ping, and issue references (`#12`,
    `GH-12`), bare web addresses (`www.`, `http:`) and e-mail addresses are not linked.
    """
    text = _MD_SPECIAL.sub(r"\\\1", plain(text))
    text = _HEADING.sub(r"\1\\#", text)
    text = _ISSUE_REFERENCE.sub(lambda found: found.group(1) + _ZERO_WIDTH_SPACE, text)
    text = _AUTOLINK.sub(lambda found: found.group(0) + _ZERO_WIDTH_SPACE, text)
    text = _EMAIL.sub("@" + _ZERO_WIDTH_SPACE, text)
    return _MENTION.sub("@" + _ZERO_WIDTH_SPACE, text)


def md_code(text: str, *, table: bool = True) -> str:
    """`text` as an inline code span, safe in a table cell: nothing in it is a link, a
    reference or a mention. The fence is one backtick longer than any run inside.
    Without `table` (a paragraph's span), a `|` stays as it is: only a table reads `\\|`
    in code as a pipe, anywhere else it shows the backslash."""
    text = plain(text)
    if table:  # a table splits cells on `|` even in code
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick needs a space inside its fence.
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def utf8_bytes(text: str) -> bytes:
    """`text` as the UTF-8 bytes a hash, a link or a size is taken of; never an error.

    A file name that is not UTF-8 arrives with surrogate escapes (PEP 383): those are its
    real bytes. Any other lone surrogate (a config's `"\\ud800"`, which YAML allows) has
    no bytes at all: it is `?`, as every writer of a report writes it.
    """
    if _OTHER_SURROGATE.search(text):
        text = _OTHER_SURROGATE.sub("?", text)
    return text.encode("utf-8", "surrogateescape")


# The lone surrogates that are no surrogate escape of a byte.
_OTHER_SURROGATE = LazyPattern("[\ud800-\udc7f\udd00-\udfff]")


def md_url(path: str) -> str:
    """A repository path as a relative link target.

    Everything but `/` and the unreserved characters is percent-encoded, so
    spaces, parentheses and `<>` cannot end the target, `#` cannot start a
    fragment and a `:` cannot turn `javascript:...` into a scheme.
    """
    # A file name that is not UTF-8 arrives with surrogate escapes: encode its real bytes.
    return quote(utf8_bytes(path), safe="/")


def plain(text: str) -> str:
    """`text` for a terminal: one line, no control or reordering characters.

    Escape sequences (`\\x1b[...`) could recolour or rewrite the screen, so every
    control character is shown as its Python escape instead.
    """
    text = _LINE_BREAK.sub(" ", text).replace("\t", " ")
    if not _UNSAFE_RE.search(text):  # the common case: nothing to show differently
        return text
    return "".join(_visible(char) for char in text)


def _visible(char: str) -> str:
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    if (
        char in _BIDI
        or unicodedata.category(char) in ("Cc", "Zl", "Zp")
        or _INVISIBLE_RE.match(char)
    ):
        return ascii(char)[1:-1]
    return char


def log_text(text: str) -> str:
    """Untrusted text for a log line or an error message (stdout, stderr, annotations).

    The one escaping every repository string passes before it reaches the runner's
    log: it stays on one line (line breaks show as `\\n`), control, escape, C1 and
    bidirectional characters and undecodable bytes show as escapes, and it cannot
    carry a workflow command (`##[` is broken up; a message never starts a line).
    """
    if _LOG_UNSAFE_RE.search(text):
        text = "".join(_visible(char) if _LOG_UNSAFE_RE.match(char) else char for char in text)
    return text.replace(_OLD_COMMAND, "#\\x23[")


def inert_output(text: str, *, json: bool = False) -> str:
    """A whole rendering printed where the runner reads commands: no line of it is one.

    Each piece was escaped by its renderer; this only guards the line starts and the
    old command form, which no single piece can see. JSON keeps its value: `\\u0023`
    is `#`, and the characters a log would show as something else are escapes too.
    """
    if json:
        return _json_log_text(text).replace(_OLD_COMMAND, "#\\u0023[")
    return _COMMAND_LINE.sub(r"\1\2\\x3a", text).replace(_OLD_COMMAND, "#\\x23[")


def inert_json_bytes(data: bytes) -> bytes:
    """`inert_output(text, json=True)` for the UTF-8 bytes of `text`."""
    if not data.isascii():  # most reports are ASCII: 30 ms for 150 MB
        escaped = _json_log_text(text := data.decode("utf-8"))
        data = data if escaped is text else escaped.encode("utf-8")
    return data.replace(_OLD_COMMAND_BYTES, b"#\\u0023[")


# What JSON leaves as it is in a string and a log or terminal shows as something else:
# C1 controls (CSI), line and paragraph separators, bidirectional controls. JSON escapes
# the C0 controls (ESC) itself.
_JSON_LOG_UNSAFE_RE = LazyPattern("[\x80-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]")


def _json_log_text(text: str) -> str:
    """JSON text with those characters as `\\uXXXX` escapes: the same value, inert in a log.
    `text` itself when it holds none."""
    if text.isascii() or not _JSON_LOG_UNSAFE_RE.search(text):
        return text
    return _JSON_LOG_UNSAFE_RE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


_OLD_COMMAND_BYTES = _OLD_COMMAND.encode()


def width(text: str) -> int:
    """How many terminal columns `text` takes: wide characters two, combining none."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def pad(text: str, columns: int) -> str:
    """`text` followed by spaces up to `columns` terminal columns."""
    return text + " " * max(columns - width(text), 0)


def percent(value: float) -> str:
    """A coverage as the reports show it: `66.7%`."""
    return f"{value:.1f}%"
