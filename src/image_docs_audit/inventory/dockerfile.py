"""Images of a Dockerfile: the bases of `FROM`, the images of `COPY --from` and those a
`RUN --mount` mounts (`from=`).

`ARG` defaults written before a `FROM` are expanded in it (`FROM python:${PY}-slim`);
a stage name (`FROM build AS test`, `COPY --from=build`) and `scratch` are not
images; `--platform` is skipped. An `ARG` without a default gives a warning. Lines are
continued as Docker continues them: with a backslash, or with the character an `escape`
parser directive at the top of the file sets; the lines of a heredoc (`RUN <<EOF`) are
the heredoc's, not instructions.
"""

from __future__ import annotations

import re

from ..lazy_pattern import LazyPattern
from ..model import Diagnostic, Location
from .interpolate import image_candidate, interpolate
from .sources import Candidate, SourceImages, SourceKind, file_lines

_FROM_RE = LazyPattern(r"^FROM\s+(.*)$", re.IGNORECASE)
_ARG_RE = LazyPattern(r"^ARG\s+([A-Za-z_]\w*)(?:=(.*))?$", re.IGNORECASE)
_COPY_FROM_RE = LazyPattern(r"^(?:COPY|ADD)\s.*?--from=(\S+)", re.IGNORECASE)
_RUN_RE = LazyPattern(r"^RUN\s+(.*)$", re.IGNORECASE)
_MAX_LINES = 100_000


def read_dockerfile(path: str, data: bytes) -> SourceImages:
    """The images the Dockerfile `path` builds from."""
    reader = _Dockerfile(path)
    for line, instruction in _instructions(data.decode("utf-8", "replace")):
        reader.instruction(line, instruction)
    return SourceImages(path, tuple(reader.found), tuple(reader.warnings), SourceKind.DOCKERFILE)


def _instructions(text: str) -> list[tuple[int, str]]:
    """Instructions with their first line; continuations joined, comments dropped."""
    found: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    lines = file_lines(text)[:_MAX_LINES]
    escape = _escape(lines)
    ends: list[str] = []  # the words that end the heredocs of the instruction read last
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if ends:  # a line of a heredoc (`RUN <<EOF`): the text of a file or a script
            if line == ends[0]:
                ends.pop(0)
            continue
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if not pending:
            start = number
        pending.append(line.removesuffix(escape).strip())
        if not line.endswith(escape):
            found.append((start, " ".join(pending)))
            ends = _heredoc_ends(found[-1][1])
            pending = []
    if pending:
        found.append((start, " ".join(pending)))
    return found


# `<<EOF`, `<<-EOF`, `<<"EOF"`: a heredoc of RUN, COPY or ADD, whose lines follow the
# instruction up to a line of its word alone.
_HEREDOC = LazyPattern(r"<<-?([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")
_WITH_HEREDOCS = LazyPattern(r"^(?:RUN|COPY|ADD)\s", re.IGNORECASE)


def _heredoc_ends(instruction: str) -> list[str]:
    """The words that end the heredocs an instruction opens, in order (a `<<` in quotes
    opens none). One pass: the quotes are followed up to each match in turn."""
    if "<<" not in instruction or _WITH_HEREDOCS.match(instruction) is None:
        return []
    ends: list[str] = []
    quote: str | None = None
    index = 0
    for match in _HEREDOC.finditer(instruction):
        while index < match.start():
            char = instruction[index]
            if quote is None and char in "'\"":
                quote = char
            elif char == quote:
                quote = None
            elif char == "\\" and quote != "'":
                index += 1  # an escaped character: no quote starts or ends at it
            index += 1
        if quote is None and index == match.start():
            ends.append(match.group(2))
    return ends


# A parser directive (`# escape=\``), which Docker reads only in the lines at the top of
# the file, up to the first line that is not a directive it knows.
_DIRECTIVE = LazyPattern(r"#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(\S+)[ \t]*")
_DIRECTIVES = frozenset({"syntax", "escape", "check"})


def _escape(lines: list[str]) -> str:
    """The character that continues a line: a backslash, unless an `escape` directive
    makes it a backtick (Windows images, where a backslash is in every path)."""
    for line in lines:
        directive = _DIRECTIVE.fullmatch(line.rstrip("\r"))
        if directive is None or directive.group(1).lower() not in _DIRECTIVES:
            break
        if directive.group(1).lower() == "escape" and directive.group(2) in ("\\", "`"):
            return directive.group(2)
    return "\\"


class _Dockerfile:
    def __init__(self, path: str) -> None:
        self.path = path
        self.args: dict[str, str | None] = {}
        self.stages: set[str] = set()
        self.found: list[tuple[Candidate, str | None]] = []
        self.warnings: list[Diagnostic] = []

    def instruction(self, line: int, text: str) -> None:
        argument = _ARG_RE.match(text)
        if argument is not None and not self.stages:  # only ARGs before the first FROM
            default = argument.group(2)
            self.args[argument.group(1)] = None if default is None else self.default(default)
            return
        base = _FROM_RE.match(text)
        if base is not None:
            self.base(line, base.group(1).split())
            return
        copied = _COPY_FROM_RE.match(text)
        if copied is not None:
            self.image(line, copied.group(1))
        else:
            run = _RUN_RE.match(text)
            for image in _mounted(run.group(1)) if run is not None else ():
                self.image(line, image)

    def default(self, written: str) -> str | None:
        """An ARG's default, expanded as Docker expands it (`ARG BASE=${MIRROR:-docker.io}/x`);
        None when it names an ARG with no value: a FROM that uses it then warns."""
        value, missing = interpolate(_unquote(written), self.args.get, dollar_escape=False)
        return None if missing is not None else value

    def base(self, line: int, words: list[str]) -> None:
        words = [w for w in words if not w.lower().startswith("--platform")]
        if not words:
            return
        if len(words) >= 3 and words[-2].lower() == "as":
            self.image(line, words[0])
            self.stages.add(words[-1].lower())
        else:
            self.image(line, words[0])
            self.stages.add(f"#{len(self.stages)}")  # an unnamed stage: `--from=0`

    def image(self, line: int, written: str) -> None:
        """The image `written` names (a stage, `scratch` or a stage's number is none), as
        Docker expands it; a warning when an ARG with no value may stand in its name."""
        found = image_candidate(_unquote(written), line, self.args.get, dollar_escape=False)
        if isinstance(found, str):
            message = (
                f"cannot know the value of {found}: the ARG has no default before the "
                "first FROM; the image is not audited (give the ARG a default)"
            )
            self.warnings.append(Diagnostic(Location(self.path, line), message))
            return
        value = found.written
        if value.lower() in self.stages or value == "scratch" or value.isdigit():
            return
        self.found.append((found, None))


def _mounted(arguments: str) -> list[str]:
    """What the `--mount` flags of a RUN mount `from` (`type=bind,from=example/tools:1`):
    the flags before its command only."""
    found = []
    for word in arguments.split():
        if not word.startswith("--"):
            break
        if word.lower().startswith("--mount="):
            for option in word[len("--mount=") :].split(","):
                key, _, value = option.partition("=")
                if key.lower() == "from" and value:
                    found.append(value)
    return found


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text
