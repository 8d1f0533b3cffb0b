"""Read the images a bash pull script uses, statically.

The script is parsed with tree-sitter-bash and never executed; a file it sources
is read the same way (see `sourced`). The reader walks the statements in the
order bash would run them, keeping what a static reader can know
(`bash_values.State`), and records every value that reaches an image argument
of a command (`commands.image_use`): a pull, save, run, create, tag, copy,
directly, through xargs or parallel, a loop, a function call or a command held
in a variable. Both sides of an `if` and every `case` branch are
read, and the values they leave are the union of the branches.

What a command prints flows on where the script reads it (`$(...)`, a pipe, a file
it writes): `echo`, `printf`, `cat` and the filters of `streams`, and a function of
the script, whose output is what its statements print in turn (`_body_output`).

An array whose name says it holds images (`ALL_IMAGES`) counts on its own only
when no such command uses its elements: scripts that only list images keep
working, and `docker pull mirror/$name` over `images=(...)` reports the
mirrored references, not the bare elements.

Each image is reported where its text stands: the array element, the loop
word, the heredoc line, the function call's argument, or the command itself.
A value the reader cannot know gives a warning naming its line and expression; a
reference of which only the tag (or digest) is not known (`example/app:${TAG}`) is
its repository's image instead (see `reference.unknown_tag_split`).
"""

from __future__ import annotations

import itertools
import math
import posixpath
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from tree_sitter import Language, Node, Parser, Point, Range, Tree

from ..lazy_pattern import LazyPattern
from ..model import Diagnostic, Location
from ..records import record

# The readers of YAML files (compose files, skopeo sync files, the files jq and yq
# query) are imported where a command needs one: importing PyYAML is an eighth of the
# start-up, and most scripts need none of them.
if TYPE_CHECKING:
    import yaml

    from ..selector import TreeFiles
    from .compose import Service
from .arithmetic import assigned_names
from .bash_values import (
    UNKNOWN_KEY,
    Alt,
    Evaluator,
    Item,
    State,
    Unknown,
    Values,
    between,
    expand_braces,
    expand_line,
    known,
    line_of,
    literal_text,
    opaque,
    part_of,
    placed,
    plain_string,
    product,
    text,
    unique,
)
from .categories import CommentLine, assign_categories, header_text
from .commands import (
    PRINTERS,
    ComposeUse,
    ImageUse,
    Parallel,
    SyncFile,
    archive,
    arg_file,
    compose_use,
    container_command,
    download_target,
    image_use,
    parallel,
    parallel_script,
    sync_file,
    xargs,
)
from .grammar import bash_language
from .limits import (
    MAX_CALL_DEPTH,
    MAX_CANDIDATES,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_GLOBBED,
    MAX_SCRIPT_BYTES,
    MAX_SUBSTITUTION_DEPTH,
    MAX_TEXT,
    Budget,
    BudgetExceededError,
)
from .loops import (
    NULL_DEVICE,
    NUMERIC_TESTS,
    arithmetic_inside,
    c_for_parts,
    decimal,
    numeric_test,
    reads_alike,
    statements,
    steady,
)
from .patterns import case_pattern_matches, pieces_match
from .printing import prints_nothing, stdout_kept
from .reference import PartlyKnown, unknown_start_split, unknown_tag_split
from .sourced import SourcedLines
from .sources import Candidate, SourceImages, file_lines
from .streams import (
    DEFAULT_IFS,
    Lines,
    fields,
    heredoc,
    herestring,
    output,
    printf_text,
    printf_words,
    read_fields,
    split_fields,
    split_lines,
    split_words,
    unread_file,
    xargs_items,
)
from .syntax import (
    command_words,
    first_error_line,
    if_parts,
    if_test,
    ifs_value,
    is_arithmetic,
    is_statement,
    misparsed,
    own_ifs,
    placeholder_text,
    read_command,
    read_options,
    redirects,
    rejoined,
    stages,
    template_groups,
)

_LANGUAGE = Language(bash_language())
ReadFile = Callable[[str], bytes | None]  # a repository file's bytes by root-relative path
MAX_LISTS = 32  # repository files one script may read
MAX_LIST_BYTES = 1 << 20

# A loop is read once per item (so `read -r name tag` keeps each line's pair)
# while items x body bytes stay under this; past it, once with every item at once.
_PER_ITEM_BYTES = 400_000
# A pass of a loop's header run alone (a test, a step, a look at what it reads) costs
# about as much time as this many statements read.
_COUNTED_PASS_STEPS = 8
_TRANSPORT_RE = LazyPattern(
    r"^(?:oci|oci-archive|dir|docker-archive|docker-daemon|containers-storage|sif|tarball):"
)
_BLOCKS = frozenset(
    {"program", "compound_statement", "do_group", "list", "negated_command", "else_clause"}
)


# A pull script's reading is a `SourceImages` like any other source's.
ScriptImages = SourceImages


def parse_pull_script(
    path: str, source: bytes, read_file: ReadFile | None = None, files: TreeFiles | None = None
) -> ScriptImages:
    """The image candidates of the pull script `path` whose bytes are `source`.

    `read_file` gives the bytes of a repository file by its root-relative path (None
    when there is none): the lists a script reads (`< images.txt`) are read through it.
    `files`: the repository's files, which a glob the script writes (`k8s/*.yaml`) names.
    """
    reader = _Reader(path, read_file, files)
    if len(source) > MAX_SCRIPT_BYTES:
        reader.warn(1, _SIZE_WARNING)
        return ScriptImages(path, (), tuple(reader.warnings))
    tree = parse_at(source, 1)
    reader.read(tree.root_node)
    if tree.root_node.has_error:
        line = first_error_line(tree.root_node)
        reader.warn(line, _syntax_warning(source, line))
    sourced = reader.sourced
    categorised = [
        (sourced.candidate(candidate), category) for candidate, category in _categorised(reader)
    ]
    categorised.sort(key=lambda pair: (pair[0].path or "", pair[0].line, pair[0].column))
    warnings = tuple(sourced.warning(warning) for warning in reader.warnings)
    globbed = tuple(reader.globbed.items())
    return ScriptImages(path, tuple(categorised), warnings, read=reader.read_paths, globbed=globbed)


def _categorised(reader: _Reader) -> list[tuple[Candidate, str | None]]:
    """Each candidate with its category: from the headers of the list file it stands in,
    or from the comment headers above it in the script or sourced file it stands in.

    A value with no header of its own in the list, JSON or sourced file it stands in
    takes, for its category, the header above the script's command that uses it:
    `# Services` above `jq -r '.services[]' images.json | ...`, or above
    `docker pull "$API_IMAGE"` when a header-less `versions.env` sets API_IMAGE.
    """
    candidates = sorted(reader.candidates(), key=lambda c: (c.path or "", c.line, c.column))
    found = _headed(reader, candidates)
    stand_ins = {}
    for index, (candidate, header) in enumerate(found):
        where = _file_of(reader, candidate)
        site = reader.sites.get((candidate.path or "", candidate.line, candidate.text))
        # Used in another file than its own: where a header may be found for it.
        used_elsewhere = site is not None and reader.sourced.file_range(site) != where
        if header is None and where != 0 and site is not None and used_elsewhere:
            stand_ins[index] = Candidate(candidate.text, site)
    # Headed among the others: a header holds for the statements below it when one of
    # them brings images (`# Nodes` above two pulls and then `bash node.sh`).
    stood = _headed(reader, [*candidates, *stand_ins.values()])[len(candidates) :]
    for index, (_, header) in zip(stand_ins, stood, strict=True):
        found[index] = (found[index][0], header)
    return found


def _headed(reader: _Reader, candidates: list[Candidate]) -> list[tuple[Candidate, str | None]]:
    """Each candidate with the header above it where it stands, in the order given."""
    in_file = reader.sourced.file_range
    groups: dict[int, list[int]] = {}
    for index, candidate in enumerate(candidates):
        groups.setdefault(_file_of(reader, candidate), []).append(index)
    comments = sorted(reader.comments.values(), key=lambda c: c.line)
    rows = sorted(reader.statement_rows)
    found: list[tuple[Candidate, str | None]] = [(candidate, None) for candidate in candidates]
    for key, members in groups.items():
        if key < 0:  # in a list or JSON file: under that file's own headers
            for index in members:
                candidate = candidates[index]
                found[index] = (
                    candidate,
                    reader.listed_categories.get((candidate.path, candidate.line)),
                )
            continue
        headers = [comment for comment in comments if in_file(comment.line) == key]
        statements = [row for row in rows if in_file(row[0]) == key]
        group = [candidates[index] for index in members]
        assigned = assign_categories(group, headers, statements, frozenset(reader.assignments))
        for index, (_, header) in zip(members, assigned, strict=True):
            found[index] = (candidates[index], header)
    return found


def _file_of(reader: _Reader, candidate: Candidate) -> int:
    """Where a candidate stands: -1 in a list or JSON file, 0 in the script, k in the
    k-th file it sources."""
    return -1 if candidate.path else reader.sourced.file_range(candidate.line)


def parse_at(source: bytes, line: int) -> Tree:
    """`source` parsed as if it started at `line` (1-based) of a file: its nodes give the
    lines of that file.

    The lines before it are not written out: the parser reads only the range given
    (one byte stands for each line before it, for the byte offsets), so an `sh -c` at
    line 3,000,000 costs its own length, not three million newlines each time.

    tree-sitter-bash can run a command on into the next line when that line has a
    redirect (`a | b | c` then `d < f | e`: `c d` is one command to it, and no error).
    bash ends a command at a newline: where the tree says otherwise, a `;` is put
    before that newline and the text parsed again.
    """
    # POSIX `for name do` (no `in`, no `;`) is a syntax error to tree-sitter-bash: the
    # blank before `do` becomes the `;` it accepts, which moves no byte.
    source = _POSIX_FOR.sub(lambda m: m[1] + m[2][:-1] + b";do", source)
    if b"`" in source:
        # An inline comment in backquotes (`docker run \`, then `-e X=1 `# why` \`), which
        # bash expands to nothing: tree-sitter-bash reads the comment to the line's end,
        # its closing backquote too. Blanks of its length move no line nor column.
        source = _BACKQUOTED_COMMENT.sub(lambda found: b" " * len(found[0]), source)
    if b"<<" in source:
        # A heredoc's word ends at an operator, as bash reads it (`cat <<EOF>list`,
        # `<<EOF|xargs`): tree-sitter-bash takes the operator into the word, and every
        # line after into the heredoc. A blank after the word moves no line.
        source = _GLUED_HEREDOC.sub(rb"\1 ", source)
    tree = _parse_range(source, line - 1)
    if tree.root_node.has_error:
        # Errors to tree-sitter-bash that bash reads: a heredoc with no command (a block
        # comment, which bash reads and throws away, as `: <<'COMMENT'` does), the old
        # arithmetic `$[ ... ]`, which is `$(( ... ))`, and `=` between a word and a glob
        # in `[[ ... ]]` joined by `||` or `&&`, which is `==`.
        rewritten = _BARE_HEREDOC.sub(rb"\1: \2", source)
        rewritten = _OLD_ARITHMETIC.sub(rb"$((\1))", rewritten)
        rewritten = _double_equals(rewritten)
        if rewritten != source:
            source = rewritten
            tree = _parse_range(source, line - 1)
    for _ in range(_MAX_HEREDOC_ROUNDS if b"<<" in source else 0):
        # A heredoc read before the rest of its statement (`cat <<EOF | while ...; do`
        # over lines): written as bash reads it, no line moved (see `heredoc_order`,
        # imported for a script with a heredoc only: its import is 3 ms of the start-up).
        from .heredoc_order import heredocs_read_first  # noqa: PLC0415

        moved = heredocs_read_first(tree, source, line - 1)
        if moved is None:
            break
        source = moved
        tree = _parse_range(source, line - 1)
    for _ in range(_MAX_REPARSES):
        ends = _swallowed_newlines(tree, source, line - 1)
        if not ends:
            break
        for offset in sorted(ends, reverse=True):
            source = source[:offset] + b";" + source[offset:]
        tree = _parse_range(source, line - 1)
    return tree


_OLD_ARITHMETIC = LazyPattern(rb"\$\[([^\[\]\n]*)\]")
_BARE_HEREDOC = LazyPattern(rb"(?m)^([ \t]*)(<<-?[ \t]*[\"']?[A-Za-z_])")
# A backquoted comment on one line: a backquote, blanks, `#`, then no backquote to the next.
_BACKQUOTED_COMMENT = LazyPattern(rb"`[ \t]*+#[^`\n]*+`")
# An unquoted heredoc word with an operator right after it (the runs taken whole: no
# going back through them).
_GLUED_HEREDOC = LazyPattern(rb"(<<-?[ \t]*+[A-Za-z_][A-Za-z0-9_]*+)(?=[|&;<>()])")
_POSIX_FOR = LazyPattern(rb"(?m)^([ \t]*for[ \t]+[A-Za-z_][A-Za-z0-9_]*)([ \t]+)do(?![\w-])")
# Each parse ends every swallowed newline found: a handful of rounds is far more than
# any script needs (a bound, not a tuning).
_MAX_REPARSES = 8
# Each parse writes anew every heredoc read late that shares no line with another: one
# inside another's loop waits for the next (a bound, not a tuning: a script nests few).
_MAX_HEREDOC_ROUNDS = 4


def _double_equals(source: bytes) -> bytes:
    """`source` with ` = ` made ` == ` on the lines that hold a `[[ ` test."""
    if b"[[ " not in source:
        return source
    lines = source.split(b"\n")
    return b"\n".join(
        line.replace(b" = ", b" == ") if b"[[ " in line and b" = " in line else line
        for line in lines
    )


def _commands(tree: Tree) -> Iterator[Node]:
    """The command nodes of `tree`, by one walk of its nodes (a query over a deeply
    nested tree, a megabyte of `$($($(`, takes the square of its size, in C)."""
    cursor = tree.walk()
    while True:
        if cursor.node is not None and cursor.node.type == "command":
            yield cursor.node
        if cursor.goto_first_child() or cursor.goto_next_sibling():
            continue
        while cursor.goto_parent():
            if cursor.goto_next_sibling():
                break
        else:
            return


def _swallowed_newlines(tree: Tree, source: bytes, row: int) -> set[int]:
    """Offsets in `source` of the newlines tree-sitter took into a command."""
    found: set[int] = set()
    for command in _commands(tree):
        if command.end_point[0] == command.start_point[0]:
            continue
        children = command.children
        for before, after in itertools.pairwise(children):
            start, end = before.end_byte - row, after.start_byte - row
            if source[end : end + 1] == b"\n":
                end += 1  # a word that starts with the newline: `\\docker` on the next line
            elif after.start_point[0] == before.end_point[0]:
                continue
            newline = source.find(b"\n", start, end)
            while newline != -1 and _continued(source, newline):
                newline = source.find(b"\n", newline + 1, end)
            if newline != -1 and after.type not in ("heredoc_body", "heredoc_end"):
                found.add(newline)
    return found


def _continued(source: bytes, newline: int) -> bool:
    """Whether the line ending at `newline` goes on: a backslash before it (or before the
    carriage return of a Windows line end, which tree-sitter reads alike)."""
    before = source[max(newline - 2, 0) : newline]
    return before.endswith(b"\\") or before == b"\\\r"


def _parse_range(source: bytes, row: int, *, cut: bool = False) -> Tree:
    """`source` parsed as if it started at line `row` (0-based), within a bound: a text
    that makes tree-sitter-bash go back and forth (a megabyte of `$[$[$[`, which takes it
    the square of its length) is read up to where the bound stops it, as if it ended
    there; the parse then has an error there, which the reader warns about."""
    if row == 0:
        parser = Parser(_LANGUAGE)
    else:
        end = Point(row + source.count(b"\n") + 1, 0)
        ranges = [Range(Point(row, 0), end, row, row + len(source))]
        parser = Parser(_LANGUAGE, included_ranges=ranges)
    calls, budget, parsing, lost = 0, _PARSE_READS * (len(source) // _CHUNK + 1), True, 0

    def read(byte: int, _: Point) -> bytes:
        # A chunk, not the rest: a node's text is read through this too, one call a node.
        # The bound holds while parsing only: a node's text read after it must be whole (an
        # empty read there makes tree-sitter read again forever).
        nonlocal calls, lost
        start = byte - row
        if parsing:
            calls += 1
            if calls > budget:
                return b""
            lost = start  # where the parser reads when the bound stops it
        return source[start : start + _CHUNK] if start >= 0 else b""

    tree = parser.parse(read)
    parsing = False
    if calls > budget and not cut:
        # Read up to the line it got lost in, which then holds a `;;` out of place (an
        # error in any block, that leaves the commands before it whole): the reader warns
        # there that the rest is not read. (Once: that text is read as it is.)
        line = source.rfind(b"\n", 0, max(lost, 0)) + 1
        return _parse_range(source[:line] + b";;\n", row, cut=True)
    if row == 0 and calls <= budget:
        # The script itself: read again from its bytes (the first tree is reused whole), so
        # that its nodes read their text from them, with no callback.
        tree = Parser(_LANGUAGE).parse(source, old_tree=tree)
    return tree


_CHUNK = 512
# Reads of the text per chunk of it while parsing: a script takes about one; the error
# recovery of a hostile one thousands. The bound keeps a megabyte to about a second.
_PARSE_READS = 64


_SPLIT_ARGUMENTS = (
    "this loop shifts the arguments differently in its branches (an option that takes a "
    "value?); images it pulls from the arguments after the first may be missed (pass "
    'options and images apart, or loop with `for image in "$@"`)'
)
_SYNTAX_WARNING = (
    "the pull script does not parse as bash here; images after this line may be missed "
    "(check it with `bash -n`)"
)
_HEREDOCS_WARNING = (
    "the pull script does not parse as bash here: this line opens more than one heredoc; "
    "their images, and those after this line, may be missed (give each heredoc a line of "
    "its own)"
)
# A heredoc's `<<` (not a herestring's `<<<`) and the start of its word.
_HEREDOC_OPERATOR = LazyPattern(rb"(?<!<)<<-?(?!<)[ \t]*[\"'\\]?[A-Za-z_]")


def _syntax_warning(source: bytes, line: int) -> str:
    """What to say of the first place the parse went wrong, at `line`: a line that opens
    two heredocs (`cat <<A <<B`, `cat <<A; cat <<B`), which tree-sitter-bash does not
    parse, is named as such."""
    text_lines = source.split(b"\n", line)
    written = text_lines[line - 1] if 0 < line <= len(text_lines) else b""
    several = len(_HEREDOC_OPERATOR.findall(written[:MAX_TEXT])) > 1
    return _HEREDOCS_WARNING if several else _SYNTAX_WARNING


_SIZE_WARNING = (
    f"the pull script is larger than {MAX_SCRIPT_BYTES >> 20} MiB and is not read; a pull "
    "script lists images: keep long data out of it"
)
_BUDGET_WARNING = (
    "the pull script is too large or intricate to read past this line; images after it may "
    "be missed (split it into smaller scripts)"
)
_TOO_MANY_IMAGES = f"more than {MAX_CANDIDATES} images in one script; the rest are not read"
_DEPTH_WARNING = (
    f"statements are nested more than {MAX_DEPTH} levels deep here; this part is not read"
)
_SUBSTITUTION_DEPTH_WARNING = (
    f"command substitutions are nested more than {MAX_SUBSTITUTION_DEPTH} deep here; what "
    "they run and print is not read, and the images they use are not audited"
)


def _cost(values: Values) -> int:
    """The steps of storing `values`: one each, and one for each `_TEXT_STEP` characters."""
    written = sum(len(item.text) for item in values if isinstance(item, Alt))
    return len(values) + written // _TEXT_STEP


_TEXT_STEP = 256  # a reference is at most a few hundred characters: one step or two
_ARGUMENTS_WARNING = (
    f"more than {MAX_ELEMENTS:,} arguments: the ones after them are not read (the images they"
    " name are not audited)"
)
_CALL_DEPTH_WARNING = (
    f"function calls are nested more than {MAX_CALL_DEPTH} deep here; this call of {{name}} is "
    "not read, and the images it pulls are not audited"
)
# A function call as `_call` tells calls apart: its name and its arguments' texts.
_CallKey = tuple[str, "tuple[tuple[str, ...], ...] | None"]


class _Shell:
    """The shell's own settings a script changes: `shopt -s NAME` options, the case of
    `declare -l` variables, and `alias
    NAME=TEXT` (None: a text not known), expanded where bash expands them: after `shopt -s
    expand_aliases`, as a script is not interactive."""

    def __init__(self) -> None:
        self.options: set[str] = set()
        self.cases: dict[str, str] = {}  # `declare -l` ("l") and `-u` ("u") variables
        self.integers: set[str] = set()  # `declare -i` variables
        self.aliases: dict[str, str | None] = {}
        self.expanding: set[str] = set()  # an alias is not expanded inside itself

    def expands(self, name: str) -> bool:
        return (
            "expand_aliases" in self.options and name in self.aliases and name not in self.expanding
        )


@record
class _Arg:
    """One word of a command: its node, its values and its text when known."""

    node: Node
    values: Values
    literal: str | None
    placeholder: str | None = None  # a `{{ ... }}` template placeholder, as written
    # An unquoted expansion whose values split into different numbers of words
    # (`$PLATFORM`, empty or `--platform linux/arm64`): the words of each, a command
    # line per value (`_argvs`).
    variants: tuple[tuple[Values, ...], ...] = ()


@record
class _LoopPass:
    """A loop read once per item: how deep in branches and calls its body is read (a
    `continue` deeper in a branch may not run), and what the pass bound its names to."""

    branches: int
    calls: int
    bound: dict[str, Values]


# A named tuple, not a dataclass: made at every start, where a dataclass has its methods
# compiled from source (0.4 ms each).
class _Counter(NamedTuple):
    """A loop whose header counts its passes (see `_Reader._counted`): `start` runs
    its initializer, `test` tells whether a pass runs (None: not known), `step` moves
    the counters on (False: not known); `reads`, the variables the header reads (the
    counters too); `shift`, 0 when the header steps the counters (C-style `for`), 1 when
    statements of the body do (`while`)."""

    names: list[str]
    start: Callable[[], bool]
    test: Callable[[], int | None]
    step: Callable[[], bool]
    reads: list[str]
    shift: int


class _LoopJump(Exception):  # noqa: N818  (a jump, not an error)
    """A `continue` (or, `stops`, a `break`) that ends the pass of a loop read per item."""

    def __init__(self, *, stops: bool) -> None:
        super().__init__()
        self.stops = stops


@record
class _Word:
    """A command's word before it is evaluated: its first node and pieces, or the text of
    a `{{ ... }}` template placeholder that bash splits into several words."""

    node: Node
    pieces: list[Node]
    placeholder: str | None


@record
class _Printed:
    """What statements print, in order (None: not known), and whether a `return` or `exit`
    among them ended the function there."""

    lines: Values | None
    ended: bool = False


def _placeholder(group: list[list[Node]]) -> str | None:
    if len(group) > 1 or placeholder_text(group[0][0]) is not None:
        return " ".join(text(word) for part in group for word in part)
    return None


class _Reader:
    """Walks the statements in the order bash runs them, keeping what a static reader can know."""

    calls: list[_CallKey]
    loops: list[_LoopPass | None]
    globbed: dict[str, tuple[str, ...]]
    unended: dict[str, int]  # a list file's last line when it has no line end
    lines_written: dict[str, list[str]]  # a list file's lines, as written (see `_listed`)
    shapes: dict[Node, list[_Word]]
    backquoted: dict[Node, Tree | None]

    def __init__(
        self, path: str, read_file: ReadFile | None = None, files: TreeFiles | None = None
    ) -> None:
        self.path, self.read_file = path, read_file
        self.read_paths: tuple[str, ...] = ()  # the repository files read, for caching
        # The repository's files, and each glob of them the script wrote (root-relative)
        # with the files it names.
        self.files, self.globbed = files, {}
        self.listed_files: dict[str, Values] = {}
        self.listed_categories: dict[tuple[str | None, int], str | None] = {}
        self.budget = Budget()
        self.state = State()
        self.values = Evaluator(self.state, self.budget)
        self.values.substitution = self._substitution
        self.functions: dict[str, Node] = {}
        self.shell = _Shell()
        # Each command's words as the syntax tree gives them, worked out once per command
        # node: a loop body is read once per item. A node keeps its tree alive, so a key
        # never stands for a node of another tree.
        # So are the trees of backquoted substitutions read again (see `_backquoted`).
        self.shapes, self.backquoted = {}, {}
        self.called: set[str] = set()
        # The calls being read, each a function and its arguments' texts (see `_call`), and
        # the loops, innermost last (None: one read once for all its items).
        self.calls, self.loops = [], []
        self.unknown_keys = 0  # elements stored under a key that is not known
        self.assigned: dict[int, frozenset[str]] = {}  # see `_assigned_in`
        self.runners: list[int] = []  # the lines running the scripts being read (`bash F`)
        self.written: dict[str, str] = {}  # a variable's last value as written (see `_run`)
        self.unended, self.lines_written = {}, {}
        self.allexport = False  # `set -a`: every variable set is exported
        # The folders the script may have changed to (`cd`), most likely first; none: the
        # usual places (beside the script, the root). `pushd` keeps the ones before.
        self.cwd: tuple[str, ...] = ()
        self.dirstack: list[tuple[str, ...]] = []
        # Per call being read: the caller's values of the names the function made local.
        self.locals: list[dict[str, _Outer]] = []
        self.used: list[Candidate] = []
        # (file or "", line, reference) of a value standing elsewhere -> the script line that
        # used it (one list line read by two loops makes two references, each with its site)
        self.sites: dict[tuple[str, int, str], int] = {}
        self.consumed: set[str] = set()  # arrays whose elements reach an image argument
        self.listed: dict[str, list[Item]] = {}  # every element ever set in an IMAGE array
        self.comments: dict[int, CommentLine] = {}
        self.statement_rows: set[tuple[int, int]] = set()
        self.assignments: set[int] = set()  # first lines of statements that only set variables
        self._warnings: dict[Diagnostic, None] = {}  # each said once, in order
        self.stdin: Values | None = None
        self.branches = 0
        self.depth = 0
        self.substitutions = 0  # `$(...)` being read inside one another
        self.line = 1
        self.sourced = SourcedLines()
        self.split_arguments = 0  # branches that left different `$1`, `$2`... (shift)
        self.sourced_trees: dict[str, Tree] = {}
        self.library: set[str] = set()  # functions a sourced file defines
        self.queried: dict[str, list[yaml.Node] | None] = {}  # JSON and YAML files jq reads
        # compose files, by path and the environment the command gives them
        self.composed: dict[tuple[str, tuple[tuple[str, str], ...], bytes | None], _Composed] = {}
        self.exported: set[str] = set()  # variables the tools the script runs see
        self.compose_variables: dict[str, frozenset[str]] = {}  # by compose file
        self.command_env: set[str] = set()  # those the command being read sets for itself
        self.synced: dict[str, tuple[list[Candidate], list[Diagnostic]]] = {}  # skopeo sync files
        self.file_bytes: dict[str, bytes | None] = {}  # files sourced or queried, by path
        self.sourcing: list[str] = []  # the files being sourced now, innermost last
        # `$0` and `${BASH_SOURCE[0]}`: the script's path from the repository root, so
        # that `source "$(dirname "$0")/versions.env"` finds the file beside it.
        self.state.scalars["0"] = (Alt(path),)
        self.state.arrays["BASH_SOURCE"] = {"0": (Alt(path),)}

    @property
    def warnings(self) -> list[Diagnostic]:
        return list(self._warnings)

    def warn(self, line: int, message: str) -> None:
        self._warnings[Diagnostic(Location(self.path, line), message)] = None

    def read(self, root: Node) -> None:
        try:
            self.nodes(_until_exit(root.children))
            for name, node in list(self.functions.items()):
                # One the script may call in ways a reader cannot see is read once; one of
                # a sourced library (`common.sh`) is left to the scripts that call it.
                if name not in self.called and name not in self.library:
                    self._call(name, node, None)
        except BudgetExceededError:
            self.warn(self.line, _BUDGET_WARNING)

    def candidates(self) -> list[Candidate]:
        found = list(self.used)
        for name, items in self.listed.items():
            if name in self.consumed:
                continue
            for item in unique(items):
                listed = _listed_reference(item)  # an element of a list of images
                if listed is None and isinstance(item, Unknown):
                    self.warn(item.line, _unknown_message(item))
                elif listed is not None and listed[0].line is not None:
                    at, (start, reference, tag) = listed
                    where = (at.line or 0, at.column, at.scope, at.path)
                    found.append(Candidate(reference, *where, tag, start))
        if len(found) > MAX_CANDIDATES:
            self.warn(found[MAX_CANDIDATES].line, _TOO_MANY_IMAGES)
        return found[:MAX_CANDIDATES]

    def _set_state(self, state: State) -> None:
        self.state = state
        self.values.state = state

    # -- statements -------------------------------------------------------

    def block(self, node: Node) -> None:
        self.nodes(node.children)

    def nodes(self, children: Iterable[Node], scope: int | None = None) -> None:
        """Statements in order; a comment is a header candidate when it starts its line."""
        last_row = -1
        for child in children:
            if child.type == "comment":
                self._comment(child, standalone=last_row < child.start_point[0], scope=scope)
            elif child.is_named:
                self.statement(child)
            last_row = child.end_point[0]

    def _comment(self, node: Node, standalone: bool, scope: int | None) -> None:
        line = line_of(node)
        self.comments.setdefault(line, CommentLine(line, text(node), standalone, scope))

    def statement(self, node: Node) -> None:
        self._mark(node)
        if _sets_only(node) or _reads_into_variables(node) or _fills(node):
            self.assignments.add(self.line)
        if self.depth >= MAX_DEPTH:
            self.warn(self.line, _DEPTH_WARNING)
            return
        self.depth += 1
        try:
            handler = _HANDLERS.get(node.type)
            if handler is not None:
                handler(self, node)
            elif node.type in _BLOCKS:
                self.block(node)
        finally:
            self.depth -= 1

    def _mark(self, node: Node) -> None:
        """A statement is being read: one step, and its line for warnings and headers."""
        self.budget.step()
        self.line = line_of(node)
        self.statement_rows.add((self.line, node.end_point[0] + 1))

    def _list(self, node: Node) -> None:
        """`a && b`, `a || b`: whether `b` runs depends on how `a` ends, which a reader
        cannot tell, so `b` is read as a branch: what it sets joins what was there
        (`[[ -n $X ]] || X=redis:6` leaves both values, where reading it as always run
        lost the first). Where `a` is a test an `if` could tell (`[ -z "$tag" ] &&
        tag=latest` in a function given its tag), `b` runs or not as bash decides."""
        parts = [child for child in node.children if child.is_named and child.type != "comment"]
        if len(parts) != 2:
            self.block(node)
            return
        self.statement(parts[0])
        runs = self._second_runs(node, parts[0])
        if runs is None:
            self._branches([[parts[1]]], exhaustive=False)
        elif runs:
            self.statement(parts[1])

    def _second_runs(self, node: Node, first: Node) -> bool | None:
        """Whether bash runs the second part of `a && b` (`a || b`), when `a` is a test
        whose outcome can be told (see `_test`); None when it cannot."""
        passed = self._test(first) if first.type == "test_command" else None
        if passed is None:
            return None
        return passed == (node.children[1].type == "&&")

    def _subshell(self, node: Node) -> None:
        self._subshell_nodes(list(node.children))

    def _compound(self, node: Node) -> None:
        """`{ ...; }`, a block; `(( expression ))`, arithmetic: what it assigns is kept."""
        if is_arithmetic(node):
            self.values.arithmetic([c for c in node.children if c.type not in ("((", "))")], node)
        else:
            self.block(node)

    def _let(self, args: Sequence[_Arg], node: Node) -> None:
        """`let i+=1 "n = n * 2"`: each argument an arithmetic expression."""
        for arg in args[1:]:
            self.values.arithmetic_text(known(self._arg_words(arg)), text(arg.node), line_of(node))

    def _assigned_in(self, node: Node) -> frozenset[str]:
        """`_assigned_in(node)`, worked out once per node (a loop in a function called
        in a loop is read many times), each node walked counted in the budget."""
        found = self.assigned.get(node.id)
        if found is None:
            self.budget.step(node.descendant_count // 16)
            found = self.assigned[node.id] = frozenset(_assigned_in(node))
        return found

    def _unsettle(self, names: frozenset[str], line: int, *within: Node) -> None:
        """Before a loop's statements (`within`) are read once for all its passes: each
        variable they assign (`names`) that has a value takes, besides it, one that is not
        known (a counter's next, a name's next), so that `${IMAGES[$i]}` is any element,
        not the first pass's. One they only set to fixed texts (`MIRROR=eu.gcr.io/x` in a
        `while getopts` loop) takes those texts instead: no pass can give it another."""
        constants = self._constants_in(within)
        for name in sorted(names):
            current = self.state.scalars.get(name)
            if current is None:
                continue
            fixed = constants.get(name)
            if fixed is None:
                later: tuple[Item, ...] = (Unknown(f"${name}", line, _changed_in_loop(name, line)),)
            else:
                later = tuple(Alt(value) for value in sorted(fixed))
            self.state.scalars[name] = unique((*current, *later))

    def _constants_in(self, nodes: Sequence[Node]) -> dict[str, frozenset[str] | None]:
        """`_constant_assignments` of `nodes` joined: a name with any assignment not fixed
        in one of them is None."""
        joined: dict[str, frozenset[str] | None] = {}
        for node in nodes:
            self.budget.step(node.descendant_count // 16)
            for name, fixed in _constant_assignments(node).items():
                before = joined.get(name, frozenset())
                joined[name] = None if before is None or fixed is None else before | fixed
        return joined

    def _function(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name is not None and body is not None:
            self.functions[text(name)] = body
            if self.sourcing:
                self.library.add(text(name))
            else:
                self.library.discard(text(name))  # the script's own, defined again

    def _call(self, name: str, body: Node, args: Sequence[_Arg] | None) -> None:
        """Read a function's body with its arguments as `$1`, `$2`, `"$@"`.

        A function that calls itself is read again for other arguments (`docker pull "$1";
        shift; pull_all "$@"`), not for the same ones: the reading would be the same."""
        with self._frame(name, args) as entered:
            if entered:
                self.statement(body)

    def _call_output(self, name: str, body: Node, args: Sequence[_Arg]) -> Values | None:
        """Read a function's body as `_call` does, and give what it prints (`$(list_images)`);
        None when that cannot be known, as for a call in itself (`f() { echo "$(f)"; }`),
        whose output is what is being worked out."""
        with self._frame(name, args) as entered:
            return self._body_output(body) if entered else None

    @contextmanager
    def _frame(self, name: str, args: Sequence[_Arg] | None) -> Iterator[bool]:
        """A call of `name` being read: its arguments, its `local` names, and whether to
        read it (not the same call inside itself, nor past MAX_CALL_DEPTH)."""
        positionals = None if args is None else self._positionals(args)
        key = (name, _texts(positionals))
        if key in self.calls:
            yield False  # the same call in itself: read already
            return
        if len(self.calls) >= MAX_CALL_DEPTH:
            self.warn(self.line, _CALL_DEPTH_WARNING.format(name=name[:80]))
            yield False
            return
        self.called.add(name)
        saved = self.state.positionals
        self.state.positionals = positionals
        self.calls.append(key)
        self.locals.append({})
        try:
            yield True
        finally:
            self.calls.pop()
            self._restore(self.locals.pop())
            self.state.positionals = saved

    def _restore(self, outer: dict[str, _Outer]) -> None:
        """After a call: the variables the function declared `local` are the caller's
        again (a `local image` in a function called from a loop over `image`)."""
        state = self.state
        for name, (scalar, array, target) in outer.items():
            state.scalars.pop(name, None)
            state.arrays.pop(name, None)
            state.namerefs.pop(name, None)  # a `local -n list=$1` ends with the call
            if scalar is not None:
                state.scalars[name] = scalar
            if array is not None:
                state.arrays[name] = array
            if target is not None:
                state.namerefs[name] = target

    def _make_local(self, node: Node, flags: str) -> None:
        """`local NAME`, or `declare NAME` in a function (not `-g`): the caller's value is
        kept to be restored after the call; a name declared with no value starts unset
        (one with a value is assigned next, its value read before it turns local)."""
        keyword = text(node).split(None, 1)[0] if node.children else ""
        if not self.locals or not (
            keyword == "local" or (keyword in ("declare", "typeset") and "g" not in flags)
        ):
            return
        frame = self.locals[-1]
        for child in node.named_children:
            name_node = child if child.type == "variable_name" else None
            if child.type == "variable_assignment":
                name_node = child.child_by_field_name("name")
            if name_node is None or name_node.type != "variable_name":
                continue
            name = text(name_node)
            if name not in frame:
                state = self.state
                frame[name] = (
                    state.scalars.get(name),
                    state.arrays.get(name),
                    state.namerefs.get(name),
                )
            if child.type == "variable_name":
                self.state.scalars.pop(name, None)
                self.state.arrays.pop(name, None)

    # -- assignments ------------------------------------------------------

    def _assignment(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name_node is None:
            return
        appending = any(c.type == "+=" for c in node.children)
        if name_node.type == "subscript":
            self._element(name_node, value)
            return
        name = self.state.resolve(text(name_node))  # `ref=x` assigns ref's target
        if value is not None and value.type == "array":
            self._array(name, value, appending)
            return
        values = self.values.word(value) if value is not None else (Alt(""),)
        expression = known(values) if name in self.shell.integers else None
        if expression is not None:  # `declare -i N`, then `N+=1`: arithmetic
            operator = "+=" if appending else "="
            self.values.arithmetic_text(f"{name}{operator}({expression})", text(node), self.line)
            return
        if value is not None:  # a branch's value stands where that branch writes it
            values = placed(values, value, weak=not self.branches)
        case = self.shell.cases.get(name)
        if case is not None:
            values = tuple(_cased(item, case) for item in values)
        if name in self.state.arrays and name not in self.state.scalars:
            # `IMAGES=busybox` after `IMAGES=(a b)`: the array's first element
            first = self.state.arrays[name].get("0", ()) if appending else ()
            self._store(name, {"0": product([first, values], node) if first else values}, True)
            return
        if appending and name in self.state.scalars:
            values = product([self.state.scalars[name], values], node)
        self.state.scalars[name] = values
        if value is not None:
            self.written[name] = text(value)[:MAX_TEXT]
        if self.allexport:
            self.exported.add(name)

    def _element(self, subscript: Node, value: Node | None) -> None:
        """`NAME[key]=value`. An element whose key is not known (`LIST[$n]` where `n`
        counts in a way not followed) is kept apart from every other: a later one must not
        take its place."""
        parts = [c for c in subscript.children if c.type not in ("[", "]")]
        if len(parts) < 2 or value is None:
            return
        name = self.state.resolve(text(parts[0]))
        key = known(self.values.keys_of(name, parts[1:], subscript))
        if key is None:  # `?N EXPRESSION`: no index nor written key starts with `?`
            self.unknown_keys += 1
            key = f"{UNKNOWN_KEY}{self.unknown_keys} {text(subscript)[len(name) :][:80]}"
        values = placed(self.values.word(value), value)
        self._store(name, {key: values}, appending=True)

    def _array(self, name: str, node: Node, appending: bool) -> None:
        found: dict[str, Values] = {}
        last_row = -1
        index = len(self.state.arrays.get(name, {})) if appending else 0
        for child in node.children:
            if child.type == "comment":
                standalone = last_row < child.start_point[0]
                self._comment(child, standalone=standalone, scope=node.id)
            elif child.is_named:
                keyed = self._keyed_element(child, node.id)
                if keyed is not None:
                    found[keyed[0]] = keyed[1]
                else:
                    for value in self._element_words(child, node.id):
                        found[str(index)] = value
                        index += 1
            last_row = child.end_point[0]
        self._store(name, found, appending)

    def _element_words(self, child: Node, scope: int) -> list[Values]:
        """The elements a word of `NAME=( ... )` makes, each with its values. A word that
        is one word whatever its value (`"$X"`, where a loop or a `case` gave X two values)
        is one element of two values, not two elements: `B=("$X" x)` has `x` at index 1.
        An unquoted expansion whose values each split into as many words makes as many
        elements, the k-th word of each value the k-th element's values. Any other word
        (`"${LIST[@]}"`, `$@`, a brace expansion, values that split unevenly) makes an
        element of each of its values."""
        whole = child.text or b""
        if child.type == "string" and plain_string(whole) and b"{{" not in whole:
            # `"ghcr.io/acme/app:1"`, most elements of a list of images: its text where it
            # stands, as the steps below make it, at a third of their cost (3,000 of them).
            self.budget.step()  # as `word` does
            row, column = child.start_point
            return [(Alt(whole[1:-1].decode("utf-8", "replace"), row + 1, column, scope),)]
        placeholder = placeholder_text(child)
        if placeholder is not None:
            self._template(line_of(child), placeholder)
            return []
        values = self.values.word(child)
        # Each value is placed (and split) here: a word of a thousand values costs its
        # thousand (20,000 of them took a minute).
        self.budget.step(len(values) // _VALUES_PER_STEP)
        if len(values) > 1 and not _many_words(child, whole):
            columns = self._even_fields(values) if _splits(child) else [values]
            if columns is not None:
                return [placed(column, child, scope) for column in columns]
        if _splits(child):
            values = self._split(values)
        return [(item,) for item in placed(values, child, scope)]

    def _even_fields(self, values: Values) -> list[Values] | None:
        """The words of each of `values` split as bash splits an unquoted expansion, by
        position, when each splits into as many words (None otherwise)."""
        ifs = self._ifs()
        split = [split_fields((item,), ifs) for item in values]
        self.budget.step(len(values) + sum(map(len, split)) // 8)  # as `_split` charges
        if len({len(words) for words in split}) != 1:
            return None
        return [unique(words[index] for words in split) for index in range(len(split[0]))]

    def _keyed_element(self, child: Node, scope: int) -> tuple[str, Values] | None:
        """`[key]=value` in `declare -A T=( ... )`."""
        pieces = child.children if child.type == "concatenation" else []
        if not pieces or text(pieces[0]) != "[":
            return None
        close = next((i for i, p in enumerate(pieces) if text(p) == "]"), None)
        if close is None or close + 1 >= len(pieces) or not text(pieces[close + 1]).startswith("="):
            return None
        # A quoted key is its text (`["web"]=`, `['db']=`), as bash reads it.
        texts = [known(self.values.word(p)) for p in pieces[1:close]]
        key = "".join(
            found if found is not None else text(p)
            for found, p in zip(texts, pieces[1:close], strict=True)
        )
        pattern: list[str | Values] = [text(pieces[close + 1])[1:]]
        pattern.extend(self.values.word(p) for p in pieces[close + 2 :])
        return key, placed(expand_braces(pattern, child), child, scope)

    def _store(self, name: str, found: dict[str, Values], appending: bool) -> None:
        # `LIST+=("${LIST[@]}")` in a loop doubles it each pass: every value counts, and so
        # does its length (arrays of 10,000 texts of 4 KB each held a gigabyte in 2 s).
        self.budget.step(sum(map(_cost, found.values())))
        mark = frozenset({name})
        stamped = {
            key: tuple(_marked(item, mark) for item in values) for key, values in found.items()
        }
        # Appended to in place: an array filled one element at a time (`LIST[$n]=$x` in a
        # loop) costs each element once, not a copy of the array each time.
        array = self.state.arrays.setdefault(name, {}) if appending else {}
        self.state.arrays[name] = array
        dropped = False
        for key, values in stamped.items():
            if key in array or len(array) < MAX_ELEMENTS:
                array[key] = values
            else:
                dropped = True
        if dropped:
            message = f"the array {name} has more than {MAX_ELEMENTS} elements; the rest are unread"
            self.warn(self.line, message)
        if "IMAGE" in name.upper():
            listed = self.listed.setdefault(name, [])
            room = MAX_ELEMENTS - len(listed)
            listed.extend([item for values in stamped.values() for item in values][:room])

    def _declaration(self, node: Node) -> None:
        flags = "".join(text(c)[1:] for c in node.named_children if text(c).startswith("-"))
        if "A" in flags:  # `declare -A NAME`: its keys are texts, not arithmetic
            self.state.associative.update(_declared_names(node))
        if text(node).startswith("export") or "x" in flags:  # what the tools it runs see
            self.exported.update(_declared_names(node))
        for name in _declared_names(node):  # `declare -l REG`: its values lowered from now on
            if "l" in flags or "u" in flags:
                self.shell.cases[name] = "u" if flags.rfind("u") > flags.rfind("l") else "l"
            elif "+l" in text(node) or "+u" in text(node):
                self.shell.cases.pop(name, None)
            if "i" in flags:  # `declare -i N`: what is assigned to it is arithmetic
                self.shell.integers.add(name)
            elif "+i" in text(node):
                self.shell.integers.discard(name)
        self._make_local(node, flags)
        for child in node.named_children:
            if child.type == "variable_assignment" and "n" in flags:
                self._name_reference(child)
            elif child.type == "variable_assignment":
                self._assignment(child)
            elif (
                child.type == "variable_name"
                and text(child) not in self.state.arrays
                and ("a" in flags or "A" in flags)  # `declare -a NAME`, `local -ra NAME`
            ):
                self.state.arrays[text(child)] = {}

    def _name_reference(self, assignment: Node) -> None:
        """`declare -n ref=TARGET`, `local -n list=$1`: `ref` names the variable TARGET,
        whatever it holds when `ref` is used (it may be set after the declaration), and
        assigning `ref` assigns it. A target not known leaves `ref` unset: a warning where
        it is used."""
        name = assignment.child_by_field_name("name")
        value = assignment.child_by_field_name("value")
        target = known(self.values.word(value)) if value is not None else None
        if name is None or name.type != "variable_name":
            return
        self.state.scalars.pop(text(name), None)
        self.state.arrays.pop(text(name), None)
        if target is not None and _NAME.fullmatch(target) and target != text(name):
            self.state.namerefs[text(name)] = target
        else:
            self.state.namerefs.pop(text(name), None)

    def _assignments(self, node: Node) -> None:
        for child in node.named_children:
            if child.type == "variable_assignment":
                self._assignment(child)

    def _unset(self, node: Node) -> None:
        """`unset NAME`, `unset 'LIST[1]'` (one element), `unset -f NAME` (a function);
        `unset ref` unsets the target of a name reference, `unset -n ref` the reference."""
        functions = references = False
        for child in node.named_children:
            name = known(self.values.word(child)) or text(child)
            if name.startswith("-"):
                functions = functions or "f" in name
                references = references or "n" in name
                continue
            if references and self.state.namerefs.pop(name, None) is not None:
                continue
            element = _ELEMENT.fullmatch(name)
            if element is not None:
                array = self.state.arrays.get(self.state.resolve(element.group(1)))
                key = element.group(2)
                if array is not None:
                    array.pop(str(int(key)) if key.isdigit() else key, None)
            elif functions:
                self.functions.pop(name, None)
            else:
                self.state.scalars.pop(self.state.resolve(name), None)
                self.state.arrays.pop(name, None)

    # -- control flow -----------------------------------------------------

    def _branches(self, branches: Sequence[Sequence[Node]], exhaustive: bool) -> None:
        """Read each branch from the same state; keep the union of what they leave."""
        self._read_branches(branches, exhaustive, self.nodes)

    def _branches_output(self, branches: Sequence[Sequence[Node]], exhaustive: bool) -> _Printed:
        """What one of `branches` prints, when the reader cannot tell which runs: every
        line any of them prints (`if [ -n "$X" ]; then echo c/d:2; fi` in a function that
        lists images), as a variable keeps what any branch sets; not known when one's is
        not."""
        found = self._read_branches(branches, exhaustive, self._nodes_output)
        lines: list[Item] = []
        for printed in found:
            if printed is None or printed.lines is None:
                return _Printed(None)
            lines.extend(printed.lines)
        return _Printed(unique(lines)[:MAX_ELEMENTS])

    def _read_branches(
        self,
        branches: Sequence[Sequence[Node]],
        exhaustive: bool,
        read: Callable[[Sequence[Node]], _Printed | None],
    ) -> list[_Printed | None]:
        """`read` each branch from the same state; keep the union of what they leave."""
        before = self.state
        after: list[State] = []
        results: list[_Printed | None] = []
        for branch in branches:
            self.budget.step(before.size())
            self._set_state(before.copy())
            self.branches += 1
            try:
                results.append(read(branch))
            finally:
                self.branches -= 1
            after.append(self.state)
        if not exhaustive:
            after.append(before)
        merged = after[0]
        if any(state.positionals != merged.positionals for state in after[1:]):
            self.split_arguments += 1  # the first branch's are kept (see `_while_arguments`)
        merged.merge(after[1:])
        self._set_state(merged)
        return results

    def _if(self, node: Node) -> None:
        condition, branches, exhaustive = if_parts(node)
        self.nodes(condition)
        chosen = self._if_branch(node, len(branches), exhaustive)
        if chosen is not None:  # bash runs that branch alone (or none: -1)
            self.nodes(branches[chosen] if chosen >= 0 else [])
        else:
            self._branches(branches, exhaustive)

    def _if_branch(self, node: Node, count: int, exhaustive: bool) -> int | None:
        """The branch an `if` runs (-1: none), when each test before it can be told: a
        `[[ $1 == PATTERN ]]`, `[ "$1" = TEXT ]`, `-n "$1"` or `-z "$1"` on a function's
        argument the call gives (`if [[ $1 == *"/"* ]]; then docker pull "mirror/$1"`).
        None where one cannot be told: then every branch is read."""
        tests = [if_test(node)]
        tests += [if_test(c) for c in node.children if c.type == "elif_clause"]
        for index, test in enumerate(tests):
            decided = self._test(test) if test is not None else None
            if decided is None:
                return None
            if decided:
                return index
        return count - 1 if exhaustive else -1

    def _test(self, test: Node) -> bool | None:
        """The outcome of a test on a function's argument, when it can be told."""
        parts = test.named_children
        if len(parts) != 1 or parts[0].type not in ("binary_expression", "unary_expression"):
            return None
        children = list(parts[0].children)
        if parts[0].type == "unary_expression":  # `-n "$1"`, `-z "$1"`
            value = self._argument_value(children[1]) if len(children) == 2 else None
            operator = text(children[0])
            if value is None or operator not in ("-n", "-z"):
                return None
            return bool(value) == (operator == "-n")
        operator_at = next((i for i, c in enumerate(children) if c.type in _EQUALITY), None)
        if operator_at != 1:
            return None
        value = self._argument_value(children[0])
        operator = children[1].type
        pieces = children[2:]
        if value is None or not pieces:
            return None
        if text(test).startswith("[["):
            matched = pieces_match(pieces, value)
        else:  # `[ "$1" = x ]`: a plain text, no glob (unquoted, bash would glob files)
            right = known(self.values.word(pieces[0])) if len(pieces) == 1 else None
            plain = right is not None and (pieces[0].type != "word" or not _GLOBS & set(right))
            matched = (right == value) if plain else None
        return None if matched is None else matched == (operator != "!=")

    def _argument_value(self, node: Node) -> str | None:
        """The known value of `$N` (quoted or not) that the call gives the function, of a
        variable the function made `local` (`local image=$1`), or of a loop's variable
        in the pass of one item (while nothing else set it): no environment sets them."""
        local = _VARIABLE_WORD.fullmatch(text(node))
        if local is not None and self.locals and local.group(1) in self.locals[-1]:
            return known(self.state.scalars.get(local.group(1), (Alt(""),)))
        innermost = self.loops[-1] if self.loops else None
        if local is not None and innermost is not None:
            bound = innermost.bound.get(local.group(1))
            if bound is not None and self.state.scalars.get(local.group(1)) == bound:
                return known(bound)
        found = _POSITIONAL.fullmatch(text(node))
        positionals = self.state.positionals
        if found is None or positionals is None:
            return None
        index = int(found.group(1)) - 1
        return known(positionals[index]) if index < len(positionals) else ""

    def _case(self, node: Node) -> None:
        branches, patterns, exhaustive = _case_parts(node)
        chosen = self._case_branch(node, patterns)
        if chosen is not None:  # bash runs that branch alone (or none: -1)
            self.nodes(branches[chosen] if chosen >= 0 else [])
        elif branches:
            self._branches(branches, exhaustive)

    def _case_branch(self, node: Node, patterns: Sequence[Sequence[Node]]) -> int | None:
        """The branch a `case` on a function's argument runs (-1: none), when the call gave
        that argument one known value and every pattern before the match can be told:
        `case "$1" in -p|--platform) P=$2; shift 2 ;; *) docker pull "$1"; shift ;; esac`
        in a loop over the arguments; or on a `local` copy of it (`local kind=$1`). None
        where it cannot be told, or where the subject is a variable with a default the
        environment may change: then every branch is read."""
        subject = node.child_by_field_name("value")
        if subject is None or _falls_through(node):
            return None
        value = self._argument_value(subject)
        if value is None:
            return None
        for number, alternatives in enumerate(patterns):
            for pattern in alternatives:
                matched = case_pattern_matches(pattern, value)
                if matched is None:
                    return None
                if matched:
                    return number
        return -1

    def _for(self, node: Node) -> None:
        variable = node.child_by_field_name("variable")
        body = node.child_by_field_name("body")
        if variable is None or body is None:
            return
        self._loop([text(variable)], [[item] for item in self._for_items(node)], body)

    def _for_items(self, node: Node) -> Values:
        """The items a `for` loop binds its name to, each once."""
        words = node.children_by_field_name("value")
        items: list[Item] = []
        if not words:  # `for x; do`: the arguments
            items.extend(self.values.lookup("@") or (Unknown('"$@"', line_of(node)),))
        for word in words:
            values = self.values.word(word)
            names = self._glob_names(word, values)
            if names:  # `for f in lists/*.txt`: the files, as bash expands the word
                items.extend(placed(tuple(Alt(name) for name in names), word))
                continue
            items.extend(placed(self._split(values) if _splits(word) else values, word))
        # A step per item: a loop read per item inside another walks its items again on
        # each pass (3,000 words, twice nested: 9 million items, 29 s without a warning).
        self.budget.step(len(items))
        return unique(items)

    def _c_for(self, node: Node) -> None:
        """`for ((i = 0; i < n; i++))`: the body read once per pass when the header alone
        counts the passes (see `_counted`); else once, `i` any of its values."""
        body = node.child_by_field_name("body")
        if body is not None:
            counter = self._c_for_counter(node)
            if counter is not None and self._counted(counter, body):
                return
            header = (node.text or b"")[: body.start_byte - node.start_byte]
            counters = frozenset(assigned_names(header.decode("utf-8", "replace")))
            self._unsettle(counters, line_of(node))  # the header's arithmetic: not fixed
            self._unsettle(self._assigned_in(body) - counters, line_of(node), body)
            if c_for_parts(node)[1]:
                self._perhaps_no_pass(body)
            else:  # `for ((;;))`: no test, the body runs
                self.statement(body)

    def _c_for_counter(self, node: Node) -> _Counter | None:
        """The counting of `for ((init; test; update))`, when it is arithmetic alone."""
        init, condition, update = c_for_parts(node)
        if not steady([*init, *condition, *update]):
            return None
        names = assigned_names(" ".join(text(part) for part in (*init, *update)))

        def arithmetic(nodes: list[Node], empty: int | None) -> int | None:
            return self.values.arithmetic(nodes, node) if nodes else empty

        return _Counter(
            sorted(names),
            start=lambda: arithmetic(init, 0) is not None,
            test=lambda: arithmetic(condition, 1),  # `for ((;;))`: endless, past any bound
            step=lambda: arithmetic(update, 0) is not None,
            reads=_names_read([*condition, *update], names),
            shift=0,
        )

    def _while_counter(self, node: Node, condition: Node, body: Node) -> _Counter | None:
        """The counting of `while [ $i -lt ${#A[@]} ]; do ...; i=$((i + 1)); done` (also
        `(( ))`, `[[ ]]`, `let i++`, `until`): a numeric test on counters that statements
        of the body step on every pass, by arithmetic."""
        read = set(_names_read([condition], ()))
        steps = [step for step in statements(body) if self._assigned_in(step) & read]
        names: set[str] = set().union(*[self._assigned_in(step) & read for step in steps])
        if not steps or not steady([condition, *steps]):
            return None
        negated = node.children[0].type == "until"

        def test() -> int | None:
            found = self._counter_test(condition)
            return None if found is None else int(bool(found) != negated)

        return _Counter(
            sorted(names),
            start=lambda: True,
            test=test,
            step=lambda: all(self._arithmetic_step(step) for step in steps),
            reads=_names_read([condition], names),
            shift=1,  # after a pass, the body stepped the counter: the next test sees it
        )

    def _counter_test(self, condition: Node) -> int | None:
        """Whether a loop's numeric test holds (1) or not (0); None: not known."""
        expression = arithmetic_inside(condition)
        if expression is not None:
            value = self.values.arithmetic(expression, condition)
            return None if value is None else int(value != 0)
        sides = numeric_test(condition)
        if sides is None:
            return None
        left, operator, right = sides
        double = text(condition).startswith("[[")  # whose sides are arithmetic
        numbers: list[int | None] = []
        for side in (left, right):
            written = known(self.values.word(side))
            if written is None:
                return None
            numbers.append(
                self.values.arithmetic_text(written, written, line_of(side))
                if double
                else decimal(written)
            )
        first, second = numbers
        if first is None or second is None:
            return None
        return int(NUMERIC_TESTS[operator](first, second))

    def _arithmetic_step(self, statement: Node) -> bool:
        """Evaluate a counter's step (`i=$((i + 1))`, `((i++))`, `let i+=1`) as reading it
        would; False when it is no such step or has no known value."""
        expression = arithmetic_inside(statement)
        if expression is not None:
            return self.values.arithmetic(expression, statement) is not None
        value = statement.child_by_field_name("value")
        name = statement.child_by_field_name("name")
        if statement.type == "variable_assignment" and value is not None and name is not None:
            found = known(self.values.word(value)) if value.type == "arithmetic_expansion" else None
            if found is None or name.type != "variable_name":
                return False
            self.state.scalars[self.state.resolve(text(name))] = (Alt(found),)
            return True
        if statement.type != "command" or not _is_let(statement):
            return False
        words = [known(self.values.word(word)) for word in command_words(statement)[1:]]
        return bool(words) and all(
            word is not None and self.values.arithmetic_text(word, word, self.line) is not None
            for word in words
        )

    def _counted(self, counter: _Counter, body: Node) -> bool:
        """Read `body` once per pass of a loop that counts, its counters bound to their
        values: `${NAMES[$i]}:${TAGS[$i]}` pairs the elements as bash does. False when
        the passes cannot be counted ahead (nothing is read), or when a pass changed what
        the header reads, as the count did not foresee (the passes read stand): the caller
        then reads the loop as any other."""
        counted = self._passes(counter, body)
        if counted is None:
            return False
        rows, views, after = counted

        def foreseen(index: int) -> bool:
            return self._view(counter) == views[index + counter.shift]

        ended = self._each_row(counter.names, rows, body, foreseen) if rows else True
        if ended is None:
            return False
        for name, values in zip(counter.names, after, strict=True):
            if ended and values is not None:  # as the last test saw them (not after a break)
                self.state.scalars[name] = values
        return True

    def _passes(
        self, counter: _Counter, body: Node
    ) -> tuple[list[list[Item]], list[object], list[Values | None]] | None:
        """The counters' values at each pass, what the header reads at each test, and the
        counters after the loop: the header run alone, on a copy of the variables, up to
        as many passes as a loop over items is read per item; None past that, or where a
        value is not known."""
        size = max(body.end_byte - body.start_byte, 1)
        most = min(MAX_ELEMENTS, _PER_ITEM_BYTES // size)
        rows: list[list[Item]] = []
        views: list[object] = []
        with self._scratch():
            if not counter.start():
                return None
            while (passes := counter.test()) is not None:
                views.append(self._view(counter))
                if not passes:
                    return rows, views, [self.state.scalars.get(name) for name in counter.names]
                self.budget.step(_COUNTED_PASS_STEPS)
                row = [known(self.state.scalars.get(name, ())) for name in counter.names]
                if len(rows) >= most or None in row or not counter.step():
                    return None
                rows.append([Alt(value or "") for value in row])
        return None

    def _view(self, counter: _Counter) -> object:
        """What a loop's header reads now: the text of each variable it names and the
        length of each array (`${#A[@]}`), compared, not evaluated (once per pass)."""
        state = self.state
        return [
            (known(state.scalars.get(name, ())), len(state.arrays.get(name, ())))
            for name in counter.reads
        ]

    @contextmanager
    def _scratch(self) -> Iterator[None]:
        """The variables a copy while a loop's header is run alone (arithmetic assigns
        only variables, see `steady`)."""
        saved = self.state
        self.budget.step(1 + len(saved.scalars) // 16)
        self._set_state(replace(saved, scalars=dict(saved.scalars)))
        try:
            yield
        finally:
            self._set_state(saved)

    def _loop(
        self, names: list[str], rows: list[list[Item]], body: Node, *, array: bool = False
    ) -> None:
        """Read `body` with `names` bound to each row of values, or to all rows at once
        when that reads the same (see `loops.py`) or the rows are too many. `array`: the
        one name is an array, each row its elements (`while read -ra ROW`)."""
        size = body.end_byte - body.start_byte
        each = len(rows) > 1 and len(rows) * size <= _PER_ITEM_BYTES
        if each and len(names) == 1 and not array:
            each = not reads_alike(names[0], [row[0] for row in rows], body, self._special)
        columns = _columns(rows, None if array else len(names))
        if each:
            self._each_row(names, rows, body, array=array)
        else:
            self._bind(names, columns, array=array)
            # Each pass binds the loop's names afresh; others carry on. A row not known
            # (`while read -r line; do ... done < <(cat /etc/x)`) may be many passes, or none.
            unknown = any(isinstance(item, Unknown) for row in rows for item in row)
            if len(rows) > 1 or unknown:
                self._unsettle(self._assigned_in(body) - set(names), line_of(body), body)
            self.loops.append(None)  # a `continue` there may skip some passes, not all
            try:
                if unknown:
                    self._perhaps_no_pass(body, names)
                else:
                    self.statement(body)
            finally:
                self.loops.pop()
        self._bind(names, columns, array=array)

    def _perhaps_no_pass(self, body: Node, names: Sequence[str] = ()) -> None:
        """Read the body of a loop whose passes are not known, which may be none: what a
        variable held before it stays among its values after it (`MIRROR=docker.io`, then
        `MIRROR=$line` in a loop over lines of a file outside the repository). The loop's
        own `names` the caller binds after it, as set."""
        before = self.state
        self.budget.step(before.size())  # as a branch's copy (see `_read_branches`)
        self._set_state(before.copy())
        self.statement(body)
        after = self.state
        after.merge([before])
        for name in names:
            after.maybe_unset.pop(name, None)
        self._set_state(after)

    def _each_row(
        self,
        names: list[str],
        rows: list[list[Item]],
        body: Node,
        foreseen: Callable[[int], bool] | None = None,
        *,
        array: bool = False,
    ) -> bool | None:
        """The body read once per row, the names bound to its values: known there to the
        tests of `case` and `[[ ]]` (a filter: `case $img in *windows*) continue;; esac`),
        and a `continue` or `break` that surely runs ends the pass or the loop. True when
        every row was read, False when a `break` ended the loop, None when
        `foreseen(index)` says a pass left what the rows did not foresee (no more are read)."""
        frame = _LoopPass(self.branches, len(self.calls), {})
        self.loops.append(frame)
        try:
            for index, row in enumerate(rows):
                bound = [(value,) for value in row]
                self._bind(names, bound, array=array)
                if not array:
                    frame.bound.update(zip(names, bound, strict=False))
                try:
                    self.statement(body)
                except _LoopJump as jump:
                    if jump.stops:
                        return False
                if foreseen is not None and not foreseen(index):
                    return None
        finally:
            self.loops.pop()
        return True

    def _loop_jump(self, args: Sequence[_Arg], node: Node) -> None:
        """`continue` or `break` (without a count, or 1): the pass or the loop ends here,
        when the loop is read once per item and nothing before decided it by a branch the
        reader could not tell; elsewhere it changes nothing the reader reads."""
        innermost = self.loops[-1] if self.loops else None
        if len(args) > 2 or (len(args) == 2 and args[1].literal != "1") or innermost is None:
            return
        if (innermost.branches, innermost.calls) == (self.branches, len(self.calls)):
            raise _LoopJump(stops=args[0].literal == "break")

    def _special(self, command: str) -> bool:
        """Whether the reader reads `command` for more than its images: the script's own
        functions, the builtins that change its state, shells and xargs."""
        name = command.rsplit("/", 1)[-1]
        return command in self.functions or command in _BUILTINS or name in _SPECIAL_TOOLS

    def _bind(self, names: list[str], values: Sequence[Values], *, array: bool = False) -> None:
        """Each name set to its values; with `array`, the one name an array of `values`."""
        if array:
            self._bind_array(names[0], values)
            return
        for name, value in zip(names, values, strict=False):
            self.state.scalars[name] = value

    def _bind_array(self, name: str, columns: Sequence[Values]) -> None:
        """`name` an array of `columns`, by index. A line not known has fields not known
        (its one opaque value): any element may be one of them, so they stand at every
        index and under a key not known (an index no row reached)."""
        unknown = unique(item for column in columns for item in column if isinstance(item, Unknown))
        found = {str(index): unique((*column, *unknown)) for index, column in enumerate(columns)}
        if unknown:
            found[f"{UNKNOWN_KEY} read -a {name}"] = unknown
        self.state.scalars.pop(name, None)  # `$ROW` is its first element now
        self._store(name, found, appending=False)

    def _while(self, node: Node) -> None:
        condition = node.child_by_field_name("condition")
        body = node.child_by_field_name("body")
        if condition is None or body is None:
            return
        read = read_command(condition)
        if read is None:
            counter = self._while_counter(node, condition, body)
            if counter is None or not self._counted(counter, body):
                self._while_arguments(condition, body, endless=_endless(node, condition))
            return
        lines = self.stdin if self.stdin is not None else ()
        if self.stdin is None:
            unknown = Unknown("the input of `read`", line_of(condition))
            lines = (unknown,)
        elif "||" not in text(condition):  # `read -r x || [ -n "$x" ]` reads it too
            lines = self._ended_lines(lines, line_of(condition))
            if read.to_end and isinstance(lines, Lines) and lines:
                self.warn(line_of(condition), _NO_NUL)
                lines = ()
        separators = self._separators(read.ifs)
        if isinstance(separators, Unknown):
            lines = (separators,)
            separators = None
        if read.array is not None:  # `while read -ra ROW`: each line's fields, by index
            # One more than an array holds, so that `_store` warns of the rest.
            most = MAX_ELEMENTS + 1
            self.budget.step(_split_cost(lines))
            rows = [read_fields(line, separators, most) for line in lines]
            self._loop([read.array], rows or [[]], body, array=True)
            return
        names = read.names
        rows = [fields(line, len(names), separators) for line in lines]
        self._loop(names, rows or [[Alt("")] * len(names)], body)

    def _ended_lines(self, lines: Values, line: int) -> Values:
        """The lines a `while read` loop runs its body for: not the last line of a file
        of the repository that has no line end (`read` fails there), which gets a warning."""
        last = lines[-1] if lines else None
        if not isinstance(last, Alt) or last.path is None:
            return lines
        if last.line is None or self.unended.get(last.path) != last.line:
            return lines
        message = (
            f"the last line of {last.path} has no line end, so `while read` skips it, as bash "
            f"does: {last.text[:80]} is not pulled (end the file with a newline, or write "
            '`while read -r x || [ -n "$x" ]`)'
        )
        self.warn(line, message)
        return lines[:-1]

    def _while_arguments(self, condition: Node, body: Node, *, endless: bool = False) -> None:
        """A while loop, read once; one that shifts the arguments of a function it is in
        (`while [ $# -gt 0 ]; do docker pull "$1"; shift; done`) once per argument.
        `endless`: its test always passes (`while true`), so it runs its body once at least."""
        passes = 1
        if self.state.positionals is not None and _SHIFT.search(text(body)):
            passes = max(1, min(len(self.state.positionals), MAX_ELEMENTS))
        split = self.split_arguments
        if passes == 1:
            self._unsettle(
                self._assigned_in(condition) | self._assigned_in(body),
                line_of(condition),
                condition,
                body,
            )
        for _ in range(passes):
            before = self.state.positionals
            self.statement(condition)
            if passes == 1 and not endless:
                self._perhaps_no_pass(body)
            else:
                self.statement(body)
            if not self.state.positionals or self.state.positionals == before:
                break  # the arguments are used up, or this pass changed none
        if passes > 1 and self.split_arguments != split:
            # `--platform) shift 2 ;; *) shift ;;`: the branches leave different arguments,
            # and the reader follows one state (the first branch's), not one per branch.
            self.warn(line_of(body), _SPLIT_ARGUMENTS)

    # -- redirections and pipes ---------------------------------------------

    def _redirected(self, node: Node) -> None:
        body = node.child_by_field_name("body") or next(
            (c for c in node.named_children if not c.type.endswith("redirect")), None
        )
        stdin, target, appending, continuation = self.stdin, None, False, None
        for redirect in redirects(node):
            if redirect.type == "heredoc_redirect":
                found = heredoc(redirect, self.values)
                for comment in found.comments:
                    self.comments.setdefault(
                        comment.line, CommentLine(comment.line, comment.text, True, redirect.id)
                    )
                stdin = found.lines
                continuation = [c for c in redirect.named_children if is_statement(c)]
            elif redirect.type == "herestring_redirect":
                stdin = herestring(redirect, self.values)
            elif redirect.type == "file_redirect":
                target, appending, stdin = self._file_redirect(redirect, target, appending, stdin)
        saved = self.stdin
        self.stdin = stdin
        try:
            self._redirected_body(body, target, appending, continuation or [])
        finally:
            self.stdin = saved

    def _file_redirect(
        self, redirect: Node, target: str | None, appending: bool, stdin: Values | None
    ) -> tuple[str | None, bool, Values | None]:
        operator = next((text(c) for c in redirect.children if not c.is_named), "")
        destination = redirect.child_by_field_name("destination") or (
            redirect.named_children[-1] if redirect.named_children else None
        )
        if destination is None or any(c.type == "file_descriptor" for c in redirect.children):
            return target, appending, stdin
        if operator == "<" and destination.type == "process_substitution":  # `< <(cat F)`
            inner = [c for c in destination.named_children if is_statement(c)]
            found = self._with_stdin(None, inner[0]) if len(inner) == 1 else None
            unknown = (Unknown(text(destination)[:80], line_of(redirect)),)
            return target, appending, found if found is not None else unknown
        name = known(self.values.word(destination))
        if operator == "<":
            if name is None:
                return target, appending, (unread_file(text(destination), line_of(redirect)),)
            return target, appending, self.file_lines(name, line_of(redirect))
        if operator in (">", ">>", ">|", "&>", "&>>") and name is not None:
            return name, operator.endswith(">>"), stdin
        return target, appending, stdin

    def _redirected_body(
        self, body: Node | None, target: str | None, appending: bool, continuation: list[Node]
    ) -> None:
        if body is None:
            return
        printed = self._output(body)
        self.statement(body)
        if target is not None and target != NULL_DEVICE:
            if printed is None:  # the file holds lines that cannot be known
                printed = (Unknown(f"> {target}", line_of(body), _unknown_write(target)),)
            before = self.state.files.get(target, ()) if appending else ()
            # Lines one after another (`cat > list <<EOF`) stay so: a `read` of the file
            # takes its first.
            whole = printed if isinstance(printed, Lines) and not before else None
            self.state.files[target] = whole or (*before, *printed)[:MAX_ELEMENTS]
        for stage in continuation:
            self._pipelinestages(stages(stage), printed if target is None else None)

    def _pipeline(self, node: Node) -> None:
        self._pipelinestages(stages(node), self.stdin)

    def _pipelinestages(self, stages: list[Node], stream: Values | None) -> None:
        """Each stage of a pipe runs in a subshell, as bash runs it: what it sets does not
        outlive the pipe (`... | while read -r t; do TAG=$t; done`), but in the last stage
        after `shopt -s lastpipe`."""
        saved = self.stdin
        last = len(stages) - 1
        try:
            for index, stage in enumerate(stages):
                self.stdin = stream
                printed = self.printed(stage)  # `tr -d '\r' < list.txt | xargs ...` too
                if last and not (index == last and "lastpipe" in self.shell.options):
                    if self._function_name(stage) is None:  # a call was read with its output
                        self._subshell_nodes([stage])
                else:
                    self.statement(stage)
                stream = printed
        finally:
            self.stdin = saved

    def _output(self, node: Node) -> Values | None:
        """What a statement prints, when the script lets us know it."""
        if node.type != "command":
            return None
        called = self._function_name(node)
        if called is not None:
            return self._function_output(node, called)
        # As the command runs them: `$REG/app:$TAG-$ARCH`, which tree-sitter cuts, one word;
        # a `{{ ... }}` placeholder as written, for its warning where it is used.
        words = [
            arg.values if arg.placeholder is None else (Alt(arg.placeholder),)
            for arg in self._args(self._shape(node))
        ]
        tool = known(words[0]) if words else None
        if tool in ("jq", "yq"):
            return self._query(tool, words[1:], line_of(node))
        return output(words, self.stdin, self.file_lines, line_of(node), self.budget)

    def _query(self, tool: str, words: Sequence[Values], line: int) -> Values | None:
        """`jq -r '.images[]' images.json`: the texts a path query prints, each at its line
        of the file; None when the query is not a path over a file of the repository."""
        from .queries import evaluate, parsed, query  # noqa: PLC0415  (see the imports)

        found = query(tool, [known(values) for values in words])
        if found is None:
            return None
        printed: list[Item] = []
        for name in found.files:
            path, data = self._repository_file(name)
            if path is None or data is None or len(data) > MAX_LIST_BYTES:
                return (unread_file(name, line),)
            if path not in self.queried:  # parsed once, however often the script asks
                self.queried[path] = parsed(data)
                self._mark_read(path)
            nodes = self.queried[path]
            texts, visits = (
                (None, 0)
                if nodes is None
                else evaluate(found.steps, nodes, raw=found.raw, joined=found.joined)
            )
            self.budget.step(visits)
            if texts is None:
                return None
            printed.extend(Alt(text.value, text.line, 0, None, path=path) for text in texts)
        return tuple(printed[:MAX_ELEMENTS])

    def _glob_names(self, node: Node, values: Values) -> tuple[str, ...]:
        """The names bash gives a word that is a glob of repository files (`k8s/*.yaml`,
        unquoted, or an unquoted expansion of one), as the word writes them, relative to
        where the script runs; none for any other word, and for a glob that names no file
        (bash leaves it as it is). Each glob is matched once."""
        pattern = known(values)
        if pattern is None or self.files is None or not _GLOBS & set(pattern):
            return ()
        if not _globbed(node) or pattern.startswith("/") or "\0" in pattern:
            return ()
        for base in _script_bases(self.path, self.cwd):
            full = posixpath.normpath(posixpath.join(base, pattern))
            if full == ".." or full.startswith("../"):
                continue
            full += "/" if pattern.endswith("/") else ""  # `services/*/`: folders only
            if "globstar" not in self.shell.options:
                full = _single_stars(full)
            found = self.globbed.get(full)
            if found is None:
                found, tested = self.files.glob(full)
                self.budget.step(1 + tested // 8)  # 8 names tested: about one statement
                if len(self.globbed) < MAX_LISTS:
                    self.globbed[full] = found
            if found:
                if len(found) > MAX_GLOBBED:
                    self.warn(line_of(node), _too_many_globbed(pattern, found[MAX_GLOBBED - 1]))
                    found = found[:MAX_GLOBBED]
                return tuple(posixpath.relpath(path, base) if base else path for path in found)
        return ()

    def _repository_file(
        self, name: str, skipping: Sequence[str] = ()
    ) -> tuple[str | None, bytes | None]:
        """The first of the places `name` may be (see `_repository_paths`), other than
        `skipping`, that holds a file, and its bytes: each read once, however often the
        script sources or queries it."""
        for path in _repository_paths(self.path, name, self.cwd):
            if path in skipping:
                continue
            if path not in self.file_bytes:
                read = self.read_file
                self.file_bytes[path] = read(path) if read is not None else None
            data = self.file_bytes[path]
            if data is not None:
                return path, data
        return None, None

    def _mark_read(self, path: str) -> None:
        """Note that the script's images depend on the repository file `path`."""
        if path not in self.read_paths:
            self.read_paths = (*self.read_paths, path)

    def file_lines(self, name: str, line: int, written: bool = False) -> Values:
        """The lines of a file the script reads: one it wrote, or one of the repository;
        `written`: a repository file's lines whole, as grep and awk read them (see `_listed`)."""
        found = self._file_lines(name, line)
        # A file is read once, but its lines are walked at each use: a grep of a list of
        # thousands in a loop of thousands of passes walks millions (a step a line, as a
        # heredoc's).
        self.budget.step(1 + len(found))
        return tuple(self._as_written(item) for item in found) if written else found

    def _file_lines(self, name: str, line: int) -> Values:
        if name == NULL_DEVICE:
            return ()
        if name in self.state.files:
            return self.state.files[name]
        paths = _repository_paths(self.path, name, self.cwd)
        if any(path in (self.path, *self.sourcing) for path in paths):
            # `cat "$0"`, `tail -n +20 "$0"`: the script's own text, code and all
            return (Unknown(f"< {name}", line, _OWN_TEXT),)
        for path in paths:
            if path in self.listed_files:
                return self.listed_files[path]
            data = self.read_file(path) if self.read_file is not None else None
            if data is not None and len(self.listed_files) < MAX_LISTS:
                self._mark_read(path)
                self.listed_files[path] = self._listed(path, data)
                if data and not data.endswith(b"\n"):  # see `_ended_lines`
                    self.unended[path] = data.count(b"\n") + 1
                return self.listed_files[path]
        return (unread_file(name, line),)

    def _listed(self, path: str, data: bytes) -> Values:
        """A list file's lines as values standing in that file, under its `#` headers."""
        lines: list[Item] = []
        header: str | None = None
        text_lines = file_lines(data[:MAX_LIST_BYTES].decode("utf-8", "replace"))
        self.lines_written[path] = text_lines
        # A list's line may end with a comment (`redis:7  # cache`); a data file's line
        # (`image: app:1 # pinned` of a compose file that grep and awk read) is kept whole,
        # as bash reads it: `grep -v '#'` drops that line.
        listing = not path.lower().endswith(_DATA_FILE_SUFFIXES)
        for number, raw in enumerate(text_lines, 1):
            stripped = raw.strip()
            if stripped.startswith("#"):
                header = header_text(stripped) or header
            elif stripped:
                self.listed_categories[(path, number)] = header
                kept = stripped.split(" #", 1)[0].strip() if listing else stripped
                lines.append(Alt(kept, number, 0, None, path=path))
        # One after another, each on its line of the file (a `read` takes the first)
        return Lines(lines, [item.line - 1 for item in lines if item.line])

    def _as_written(self, item: Item) -> Item:
        """A line of a list file with its text as the file has it: its indent and comment."""
        lines = self.lines_written.get(item.path or "") if isinstance(item, Alt) else None
        if lines is None or not isinstance(item, Alt) or item.line is None:
            return item
        return replace(item, text=lines[item.line - 1])

    def _substitution(self, node: Node) -> Values | None:
        """`$(...)`: the images used inside it, and its output when that can be known."""
        reparsed = self._backquoted(node)
        statements = (reparsed or node).named_children
        inner = [c for c in statements if is_statement(c)]
        redirect = statements[0] if len(statements) == 1 else None
        if redirect is not None and redirect.type == "file_redirect":
            return self._file_text(redirect)
        if self.substitutions >= MAX_SUBSTITUTION_DEPTH:
            self.warn(line_of(node), _SUBSTITUTION_DEPTH_WARNING)
            return (Unknown(text(node)[:80], line_of(node)),)
        saved_stdin = self.stdin
        self.stdin = None
        self.substitutions += 1
        printed: Values | None = None
        try:
            if len(inner) == 1:
                printed = self.printed(inner[0])
            elif len(inner) == 2:  # `$(cd "$(dirname "$0")"; pwd -P)`
                printed = self._folder_changed_to(inner[0], inner[1])
            if len(inner) != 1 or self._function_name(inner[0]) is None:
                self._subshell_nodes(inner)  # (a function's call was read with its output)
        finally:
            self.stdin = saved_stdin
            self.substitutions -= 1
        if printed is None:
            return None
        if any(isinstance(item, Unknown) and item.head is None for item in printed):
            return (Unknown(text(node)[:80], line_of(node)),)
        # A line partly known (`example/app:$(cat VERSION)` of a heredoc) is one of its
        # lines as it is, with the known others. One that prints nothing is the empty
        # text (`"app:$(f)"` is `app:`), which an unquoted one splits into no word.
        return split_lines(printed) or (Alt(""),)

    def _backquoted(self, node: Node) -> Node | None:
        """The statements of `` `...` `` as bash reads them, when they hold an escape.

        Inside backquotes a backslash before `` ` ``, `$` or `\\` (and `"` when the
        backquotes stand in double quotes) only escapes that character, and what is left
        is parsed as a script: `` `echo \\`echo a:1\\`` `` holds a substitution of its own,
        which tree-sitter-bash reads as two words with backquotes. None: nothing to
        unescape, the tree is bash's view already."""
        if node in self.backquoted:
            tree = self.backquoted[node]
            return tree.root_node if tree is not None else None
        inside = (node.text or b"")[1:-1]
        escapes = _QUOTED_BACKQUOTE_ESCAPE if _in_double_quotes(node) else _BACKQUOTE_ESCAPE
        tree = None
        if node.children and node.children[0].type == "`" and escapes.search(inside):
            self.budget.step(1 + len(inside) // 64)  # parsed once per node, however often read
            tree = parse_at(escapes.sub(rb"\1", inside), line_of(node))
        self.backquoted[node] = tree
        return tree.root_node if tree is not None else None

    def _file_text(self, redirect: Node) -> Values | None:
        """`$(< images.txt)`: the file's lines, as `$(cat images.txt)` gives them."""
        operator = next((text(c) for c in redirect.children if not c.is_named), "")
        target = redirect.named_children[-1] if redirect.named_children else None
        if operator != "<" or target is None:
            return None
        name = known(self.values.word(target))
        if name is None:
            return None
        lines = self.file_lines(name, line_of(redirect))
        if any(isinstance(item, Unknown) for item in lines):
            return (Unknown(text(redirect.parent or redirect)[:80], line_of(redirect)),)
        return lines

    def printed(self, node: Node) -> Values | None:
        """What a statement prints, following its input: `cat <<EOF`, `grep -v '^#' < F`,
        `cat F | sort`; None when that cannot be known."""
        if node.type == "pipeline":
            stream = self.stdin
            for stage in stages(node):
                stream = self._with_stdin(stream, stage)
            return stream
        if node.type == "command":
            stdin = self.stdin
            for child in node.named_children:
                if child.type == "herestring_redirect":
                    stdin = herestring(child, self.values)
            saved, self.stdin = self.stdin, stdin
            try:
                return self._output(node)
            finally:
                self.stdin = saved
        if node.type == "redirected_statement":
            return self._printed_redirected(node)
        if node.type == "compound_statement" and not is_arithmetic(node):
            # `{ cat <<EOF ... }` (a heredoc read first is written so, see `parse_at`): a
            # group of one statement prints what that statement prints.
            inner = [child for child in node.named_children if child.type != "comment"]
            return self.printed(inner[0]) if len(inner) == 1 else None
        parts = node.named_children
        if node.type == "list" and len(parts) == 2 and node.children[1].type == "&&":
            return self._folder_changed_to(*parts)
        return None

    def _folder_changed_to(self, first: Node, second: Node) -> Values | None:
        """What `cd DIR && pwd` (or `cd DIR; pwd`) prints: DIR as the script names it, from
        the repository root (`SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)` is the script's
        folder)."""
        # `cd "$DIR" &> /dev/null && pwd`: what the redirect hides is not the output
        parts = [_redirected_body(part) for part in (first, second)]
        if not all(part.type == "command" for part in parts):
            return None
        change, show = (command_words(part) for part in parts)
        if len(change) != 2 or text(change[0]) != "cd" or text(show[0]) != "pwd":
            return None
        return None if len(show) > 2 else self.values.word(change[1])

    def _with_stdin(self, stdin: Values | None, node: Node) -> Values | None:
        saved, self.stdin = self.stdin, stdin
        try:
            return self.printed(node)
        finally:
            self.stdin = saved

    def _printed_redirected(self, node: Node) -> Values | None:
        kept = stdout_kept(node, self._known_word)
        if kept is not True:  # `echo x >&2`, `> list.txt`: printed elsewhere (None: unknown)
            return () if kept is False else None
        body = node.child_by_field_name("body") or next(
            (c for c in node.named_children if not c.type.endswith("redirect")), None
        )
        stdin, continuation = self.stdin, []
        for redirect in redirects(node):
            if redirect.type == "heredoc_redirect":
                stdin = heredoc(redirect, self.values).lines
                continuation = [c for c in redirect.named_children if is_statement(c)]
            elif redirect.type == "herestring_redirect":
                stdin = herestring(redirect, self.values)
            elif redirect.type == "file_redirect":
                _, _, stdin = self._file_redirect(redirect, None, False, stdin)
        stream = stdin if body is None else self._with_stdin(stdin, body)  # `$(< FILE)`
        for stage in continuation:
            for part in stages(stage):
                stream = self._with_stdin(stream, part)
        return stream

    def _subshell_nodes(self, nodes: list[Node]) -> None:
        """`( ... )` and `$( ... )`: what they set, and the folder they change to, do not
        outlive them."""
        saved, cwd = self.state, self.cwd
        self._set_state(saved.copy())
        self.budget.step(saved.size())
        try:
            self.nodes(nodes)
        finally:
            self._set_state(saved)
            self.cwd = cwd

    # -- what a function prints -------------------------------------------

    def _function_name(self, node: Node) -> str | None:
        """The script function a command calls (`list_images`, `tag web 1.0`), when bash
        would call it: not through an alias, nor a name `_unwrap` reads as a wrapper."""
        if node.type != "command":
            return None
        words = command_words(node)
        name = literal_text(words[0]) if words else None
        if name is None or name not in self.functions or name in _WRAPPERS:
            return None
        return None if self.shell.expands(name) else name

    def _function_output(self, node: Node, name: str) -> Values | None:
        """What a command calling the script function `name` prints. It is read as a
        subshell: what the call sets does not outlive this reading (where it runs in the
        script's own shell, `f > list.txt`, the statement is read again for that)."""
        saved, cwd = self.state, self.cwd
        self._set_state(saved.copy())
        self.budget.step(saved.size())
        try:
            args = self._args(self._shape(node))  # expanded before its own assignments
            for child in node.named_children:
                if child.type == "variable_assignment":
                    self._assignment(child)  # `TAG=2 tag web`: the function sees it
            return self._call_output(name, self.functions[name], args[1:])
        finally:
            self._set_state(saved)
            self.cwd = cwd

    def _body_output(self, body: Node) -> Values | None:
        """What a function's body prints: `{ ...; }`, or `( ... )`, a subshell."""
        self._mark(body)
        if body.type == "compound_statement" and not is_arithmetic(body):
            return self._nodes_output(body.children).lines
        if body.type != "subshell":
            return self._nodes_output([body]).lines
        saved, cwd = self.state, self.cwd
        self._set_state(saved.copy())
        try:
            return self._nodes_output(body.children).lines
        finally:
            self._set_state(saved)
            self.cwd = cwd

    def _nodes_output(self, children: Iterable[Node]) -> _Printed:
        """What statements print, in order, each read as `nodes` reads it. A `return` or
        `exit` ends them (bash runs nothing after it); once one prints what cannot be
        known, the rest are only read, for the images they use."""
        lines: list[Item] = []
        known_so_far = True
        last_row = -1
        for child in children:
            if child.type == "comment":
                self._comment(child, standalone=last_row < child.start_point[0], scope=None)
            elif child.is_named and (not known_so_far or _ends_function(child)):
                self.statement(child)
                if known_so_far:
                    return _Printed(tuple(lines), ended=True)
            elif child.is_named:
                found = self._statement_output(child)
                known_so_far = found.lines is not None
                lines.extend((found.lines or ())[: MAX_ELEMENTS - len(lines)])
                if found.ended:
                    return _Printed(tuple(lines) if known_so_far else None, ended=True)
            last_row = child.end_point[0]
        return _Printed(tuple(lines) if known_so_far else None)

    def _statement_output(self, node: Node) -> _Printed:
        """Read one statement of a function whose output is wanted: what it prints."""
        if self.depth >= MAX_DEPTH:
            self.statement(node)  # its warning
            return _Printed(None)
        self.depth += 1
        try:
            return self._statement_printed(node)
        finally:
            self.depth -= 1

    def _statement_printed(self, node: Node) -> _Printed:
        name = self._function_name(node)
        if name is not None and _plain_call(node):
            # `helper "$1"` inside: the helper's statements, read once with their output
            self._mark(node)
            args = self._args(self._shape(node))
            return _Printed(self._call_output(name, self.functions[name], args[1:]))
        if self._prints_nothing(node):
            self.statement(node)
            return _Printed(())
        chosen = self._chosen_output(node)
        if chosen is not None:
            return chosen
        printed = self.printed(node)
        if not self._only_prints(node):
            self.statement(node)
            return _Printed(printed)
        self._mark(node)  # `echo "$(g)"`: its words were read with its output
        # A text written whole in the function (`echo "nginx:1.25"`) stands there.
        return _Printed(None if printed is None else placed(printed, node, weak=True))

    def _only_prints(self, node: Node) -> bool:
        """Whether a statement is a plain `echo` or `printf` (not `printf -v`), which the
        reader reads for its output only."""
        words = command_words(node) if node.type == "command" and _plain_call(node) else []
        name = literal_text(words[0]) if words else None
        if name not in ("echo", "printf") or name in self.functions or self.shell.expands(name):
            return False
        return name == "echo" or len(words) < 2 or not text(words[1]).startswith("-v")

    def _prints_nothing(self, node: Node) -> bool:
        self.budget.step(node.descendant_count // 16)  # a walk of its statements
        return prints_nothing(node, self.functions, self._known_word)

    def _known_word(self, node: Node) -> str | None:
        return known(self.values.word(node))

    def _chosen_output(self, node: Node) -> _Printed | None:
        """What an `if`, `case` or `a && b` prints when the branch bash runs can be told (see
        `_if_branch`, `_case_branch`, `_second_runs`), and a `for` loop, each item in turn;
        None for any other statement, or a loop too long to read item by item."""
        if node.type == "if_statement":
            return self._if_output(node)
        if node.type == "case_statement":
            return self._case_output(node)
        if node.type == "for_statement":
            return self._for_output(node)
        if node.type == "list":
            return self._list_output(node)
        return None

    def _list_output(self, node: Node) -> _Printed | None:
        """What `[ -n "$2" ] && echo "$1:$2"` prints, when the test can be told."""
        parts = [child for child in node.children if child.is_named and child.type != "comment"]
        if len(parts) != 2 or parts[0].type != "test_command":
            return None
        runs = self._second_runs(node, parts[0])
        self._mark(node)
        self.statement(parts[0])
        if runs is None:  # it may run or not: what it prints, if anything
            return self._branches_output([[parts[1]]], exhaustive=False)
        return self._nodes_output([parts[1]]) if runs else _Printed(())

    def _if_output(self, node: Node) -> _Printed | None:
        condition, branches, exhaustive = if_parts(node)
        if not all(self._prints_nothing(c) for c in condition if is_statement(c)):
            return None
        self._mark(node)
        self.nodes(condition)
        chosen = self._if_branch(node, len(branches), exhaustive)
        if chosen is None:  # either branch may run: what any prints
            return self._branches_output(branches, exhaustive)
        return self._nodes_output(branches[chosen]) if chosen >= 0 else _Printed(())

    def _case_output(self, node: Node) -> _Printed:
        self._mark(node)
        branches, patterns, exhaustive = _case_parts(node)
        chosen = self._case_branch(node, patterns)
        if chosen is None:  # as for an `if`
            return self._branches_output(branches, exhaustive)
        return self._nodes_output(branches[chosen]) if chosen >= 0 else _Printed(())

    def _for_output(self, node: Node) -> _Printed | None:
        variable = node.child_by_field_name("variable")
        body = node.child_by_field_name("body")
        if variable is None or body is None:
            return None
        items = self._for_items(node)
        if len(items) * (body.end_byte - body.start_byte) > _PER_ITEM_BYTES:
            return None
        self._mark(node)
        name = text(variable)
        lines: list[Item] = []
        for index, item in enumerate(items):
            self._bind([name], [(item,)])
            found = self._nodes_output(body.children)
            if found.lines is None or found.ended:
                for rest in items[index + 1 :] if found.lines is None else ():
                    self._bind([name], [(rest,)])  # read for the images they use
                    self.statement(body)
                printed = None if found.lines is None else (*lines, *found.lines)
                return _Printed(printed, found.ended)
            lines.extend(found.lines[: MAX_ELEMENTS - len(lines)])
        self._bind([name], [items])  # as `_loop` leaves it
        return _Printed(tuple(lines))

    # -- commands ---------------------------------------------------------

    def _command(self, node: Node) -> None:
        stdin = self.stdin
        given = self.command_env
        self.command_env = set()
        assignments = [c for c in node.named_children if c.type == "variable_assignment"]
        # bash expands the command's words before its own assignments (`TAG=2.0 docker pull
        # "api:$TAG"` pulls the TAG set before), which hold for the command alone (`IFS=,
        # read -ra A`: the IFS of its `read`, not of the script).
        args = self._args(self._shape(node)) if assignments else None
        before = {name: self.state.scalars.get(name) for name in _assigned_names(assignments)}
        for child in node.named_children:
            if child.type == "variable_assignment":
                name = child.child_by_field_name("name")
                self.command_env.add(text(name) if name is not None else "")
                self._assignment(child)  # `REG=x pull_all`: the function sees it
            elif child.type == "herestring_redirect":
                stdin = herestring(child, self.values)
        saved, self.stdin = self.stdin, stdin
        try:
            self._run(node, args)
        finally:
            # A `read` of the input this command shares with the next ones took its line
            # (`_line_read`); a herestring of its own is this command's alone.
            self.stdin = self.stdin if stdin is saved else saved
            self.command_env = given
            for assigned, value in before.items():
                if value is None:
                    self.state.scalars.pop(assigned, None)
                else:
                    self.state.scalars[assigned] = value

    def _run(self, node: Node, words: list[_Arg] | None = None) -> None:
        """The command `node` runs, with its words (`words`: evaluated already): each
        command line it may be, when a word is as many words as its value has."""
        for argv in _argvs(words if words is not None else self._args(self._shape(node))):
            self._run_argv(node, argv)

    def _run_argv(self, node: Node, argv: list[_Arg]) -> None:
        args, wrapped = self._unwrap(argv)
        name = args[0].literal if args else None
        if name is None:
            self._unknown_command(args, node)
            return
        if not wrapped and self.shell.expands(name):
            self._expand_alias(name, args, node)
        elif not wrapped and name in self.functions:  # the script's own `log()` may pull
            self._call(name, self.functions[name], args[1:])
        elif name in _BUILTINS:
            _BUILTINS[name](self, args, node)
        elif name in PRINTERS:
            return
        elif (given := _command_text(args)) is not None:
            self._run_words([given[0]], node, name)
        elif _shell_script(args) is not None:
            self._shell(args, node)
        elif (index := _script_file(args)) is not None:
            self._run_file(args, index, node)
        elif _runs_a_script(args):
            self._unknown_script(args, node)
        elif name == "ssh":
            self._remote(args, node)
        elif (elsewhere := _elsewhere(args)) is not None:
            self._run_elsewhere(elsewhere, args, node)
        else:
            self._tool(args, node)

    def _unwrap(self, args: list[_Arg]) -> tuple[list[_Arg], bool]:
        """The command wrappers run (`sudo timeout 60 $CLI pull x`), and whether any did:
        a wrapper runs a program, so `sudo docker` or `command docker` in a function named
        docker runs docker itself, not the function (nor an alias)."""
        wrapped = False
        for _ in range(_MAX_WRAPPERS):
            inner = _unwrapped(args)
            wrapped = wrapped or inner is not args
            unwrapped = self._command_name(inner)
            if unwrapped == args:
                break
            args = unwrapped
        return args, wrapped

    def _run_file(self, args: list[_Arg], index: int, node: Node) -> None:
        """`bash other.sh a b`, `./other.sh` (`args[index]` names the file): a script of
        the repository run with its arguments, read as a subshell (what it sets is not seen
        after it). One the script names but the repository does not hold gives a warning;
        one that runs itself is read once."""
        name = args[index].literal
        path, data = (None, None) if name is None else self._repository_file(name)
        if name is None or path is None or data is None:
            shown = name if name is not None else text(args[index].node)
            self.warn(line_of(node), _unread(shown[:80], "script", "the images it uses"))
            return
        if path == self.path or path in self.sourcing or len(data) > MAX_LIST_BYTES:
            return  # itself (its own commands are being read) or no script of a pull
        arguments = tuple(placed(self._arg_words(arg), arg.node) for arg in args[index + 1 :])
        self._read_run(path, data, node, arguments)

    def _read_run(self, path: str, data: bytes, node: Node, arguments: tuple[Values, ...]) -> None:
        """The repository file `path` read as a script another shell runs (`bash FILE
        ARGS`, `bash < FILE`): as a subshell, `arguments` its `$1`..., its images used
        where `node` runs it."""
        saved = self.state
        self._set_state(saved.copy())
        self.state.positionals = arguments
        self.budget.step(saved.size())
        self.runners.append(line_of(node))
        try:
            self._read_sourced(path, data)
        finally:
            self.runners.pop()
            self._set_state(saved)

    def _unknown_command(self, args: list[_Arg], node: Node) -> None:
        """A command whose name is not known: a variable set to a command line with a part
        not known (`PULL="docker pull app:$TAG"`, then `$PULL`) gives a warning, as the
        line written out would."""
        found = _VARIABLE_WORD.fullmatch(text(args[0].node)) if args else None
        if found is None or found.group(1) not in self.written:
            return
        written = self.written[found.group(1)].strip("\"'").split()
        words = [None if "$" in word or "`" in word else word for word in written]
        if image_use(words) is not None:
            self.warn(line_of(node), _unknown_run(f"the command ${found.group(1)} runs"))

    def _remote(self, args: list[_Arg], node: Node) -> None:
        """`ssh [options] HOST COMMAND...`: the command, its words joined by spaces, read as
        a script (a pull on each node of a cluster). Without a command, the host's login
        shell runs the lines ssh reads (`ssh node1 <<EOF`, `... | ssh node1`)."""
        index, no_input = 1, False
        while index < len(args) and (args[index].literal or "").startswith("-"):
            no_input = no_input or _ssh_no_input(args[index].literal or "")
            index += 2 if args[index].literal in _SSH_VALUES else 1
        words = [arg.literal for arg in args[index + 1 :]]
        if not words:  # a login: its shell reads what ssh reads, if anything
            if self.stdin is not None and not no_input:
                self._remote_lines(self.stdin, node)
            return
        script = " ".join(word for word in words if word is not None)
        if None in words or len(script) > MAX_TEXT:
            self._run_words(words, node, "ssh")  # its warning
            return
        self._child_script(script, node, None, [], set())  # the host sees none of ours

    def _run_elsewhere(self, elsewhere: _Elsewhere, args: list[_Arg], node: Node) -> None:
        """A command run in a container, a machine or a host (`docker exec -i C sh <<EOF`,
        `kubectl exec P -- sh -c '...'`, `vagrant ssh -c '...'`): a shell there runs its
        script, or the lines it reads; it sees none of this script's variables. Any other
        command there is read as this one's words are (`docker exec C crictl pull x`)."""
        if isinstance(elsewhere, _Text):
            if elsewhere.login:
                if self.stdin is not None:
                    self._remote_lines(self.stdin, node)
            elif elsewhere.text is None:
                self.warn(line_of(node), _unknown_run(f"the command {elsewhere.runner} runs"))
            elif len(elsewhere.text) <= MAX_TEXT:
                self._child_script(elsewhere.text, node, None, [], set())
            return
        inner = elsewhere
        if inner and (inner[0].literal or "").rsplit("/", 1)[-1] in _SHELLS:
            if container_command([arg.literal for arg in args]) is not None:
                self._tool(args, node)  # `docker run IMAGE sh -c '...'`: the image too
            # A shell with a script, or with lines to read (an interactive one reads none).
            given = "-c" in [arg.literal for arg in inner] or self.stdin is not None
            if _runs_a_script(inner) and given:
                with self._elsewhere_state():
                    self._run_argv(node, inner)
            return
        self._tool(args, node)

    def _remote_lines(self, lines: Values, node: Node) -> None:
        """The lines an ssh host's shell reads, each a command line that sees none of this
        script's variables (an unquoted heredoc's were expanded here, before it went)."""
        with self._elsewhere_state():
            self._command_lines(lines, node, "the commands ssh sends")

    @contextmanager
    def _elsewhere_state(self) -> Iterator[None]:
        """Reading what runs on another host or in a container: none of this script's
        variables is set there, and what it sets does not come back."""
        saved = self.state
        self.budget.step(saved.size())
        self._set_state(State({}, {}, dict(saved.files), (), set()))
        try:
            yield
        finally:
            self._set_state(saved)

    def _unknown_script(self, args: list[_Arg], node: Node) -> None:
        """A shell whose script is not written out: `sh -c "$CMD"`, whose text is not
        known, or `... | sh`, whose commands are the lines it reads."""
        if len(args) > 1 and any(arg.literal == "-c" for arg in args[1:]):
            self.warn(line_of(node), _unknown_run("the command sh -c runs"))
            return
        lines = self.stdin
        if lines is None:  # (`< /dev/null` gives none: no command)
            lines = (Unknown("the input of sh", line_of(node)),)
        self._command_lines(lines, node, "the commands piped into a shell")

    def _command_lines(
        self, lines: Iterable[Item], node: Node, what: str, *, own_lines: bool = True
    ) -> None:
        """Each of `lines` a command line, read as a script (at its own line, or at the
        line of `node`); one not known (`what` runs it) gives a warning. The lines of a
        repository file (`bash < FILE`, `ssh HOST < FILE`) are that file read as a script,
        where its commands stand, as `bash FILE` reads it (in a subshell)."""
        listed = self._listed_file(lines)
        if listed is not None:
            self._read_run(*listed, node, ())
            return
        for item in lines:
            script = item.text if isinstance(item, Alt) else item.script
            if script is not None and len(script) <= MAX_TEXT:
                self._script(script, node, line=item.line if own_lines else None)
            else:
                self.warn(line_of(node), _unknown_run(what))

    def _listed_file(self, lines: Iterable[Item]) -> tuple[str, bytes] | None:
        """The path and bytes of the repository file whose lines `lines` are, if they are
        a whole one (`file_lines`), not this script nor one it is reading."""
        first = next(iter(lines), None) if isinstance(lines, tuple) else None
        path = first.path if isinstance(first, Alt) else None
        if path is None or self.listed_files.get(path) is not lines:
            return None
        if path == self.path or path in self.sourcing:
            return None
        data = self.file_bytes.get(path)
        if data is None and self.read_file is not None:
            data = self.read_file(path)
        return None if data is None or len(data) > MAX_LIST_BYTES else (path, data)

    def _tool(self, args: list[_Arg], node: Node) -> None:
        """A command that may use images: directly, or through xargs."""
        literals = [arg.literal for arg in args]
        downloaded = download_target(literals)
        if downloaded is not None:  # `curl -o images.txt URL`: lines no reader can know
            unknown = Unknown(f"> {downloaded}", line_of(node), _unknown_write(downloaded))
            self.state.files[downloaded] = (unknown,)
            return
        shape = xargs(literals)
        if shape is not None:
            self._xargs(args, shape.command, shape.replace, node, quoted=shape.quoted)
            return
        jobs = parallel(literals)
        if jobs is not None:
            self._parallel(args, jobs, node)
            return
        composed = compose_use(literals)
        if composed is not None:
            self._compose(composed, line_of(node))
            return
        synced = sync_file(literals)
        if synced is not None:
            self._sync(synced, line_of(node))
            return
        if _pulls_unnamed(literals):
            self.warn(line_of(node), _UNNAMED_PULL_WARNING)
            return
        use = image_use([_option_shape(arg) for arg in args])
        if use is not None:
            for each in use.chain():
                if each.unknown_option is not None:
                    self.warn(line_of(node), _unknown_option(each))
            self._use(args, use)

    def _compose(self, use: ComposeUse, line: int) -> None:
        """`docker compose -f FILE pull [SERVICE...]`: the images of the services it pulls,
        each where it stands in the compose file (read from the repository as a list is)."""
        if not use.files:
            use = replace(use, files=self._compose_file_variable())
        if any(name is None for name in use.files):
            self.warn(line, _COMPOSE_FILE_UNKNOWN)
            return
        if use.files:  # named from where the command runs, `--project-directory` or not
            names = [name for name in use.files if name is not None]
            paths = [self._repository_file(name)[0] for name in names]
        else:  # compose's own choice: the first default name that exists, and its override
            folder = f"{use.folder.rstrip('/')}/" if use.folder else ""
            main, override = (
                _first(self._repository_file(folder + name)[0] for name in group)
                for group in _DEFAULTS
            )
            names = [folder + _DEFAULTS[0][0]]
            paths = [main] if main is None or override is None else [main, override]
        # (An override file is only read when found: it has no name of its own here.)
        missing = next((n for n, path in zip(names, paths, strict=False) if path is None), None)
        if missing is not None:
            self.warn(line, _unread(missing, "compose file", "the images of its services"))
            return
        wanted = None if not use.services or None in use.services else set(use.services)
        enabled = self._profiles(use)
        env = self._env_files(use, line)
        merged: dict[str, tuple[Service, str]] = {}
        for path in filter(None, paths):
            services, warnings = self._composed(path, env)
            for variable in self._unknown_exports(path):
                self.warn(line, _unknown_export(path, variable))
            for name, warning in warnings:
                if name is None or wanted is None or name in wanted:
                    self.warn(line, f"{warning.location}: {warning.message}")
            for service in services:  # compose merges the files: a later one's image wins
                merged[service.name] = (service, path)
        chosen = [
            (service.image, path)
            for service, path in merged.values()
            if (wanted is None or service.name in wanted)
            # a service with profiles is pulled when one is enabled, or when named
            and (not service.profiles or enabled is None or service.profiles & enabled
                 or wanted is not None)
        ]  # fmt: skip
        self.budget.step(len(chosen))
        self._file_images(chosen)

    def _file_images(self, found: Sequence[tuple[Candidate, str]]) -> None:
        """The images a file the script reads names, each where it stands in `path`; one
        that file does not let us know in part (`image: app:${TAG}`) as it gives it."""
        known_ones = []
        for candidate, path in found:
            at = Alt(candidate.text, candidate.line, candidate.column, path=path)
            if candidate.unknown_tag is None and candidate.unknown_start is None:
                known_ones.append(at)
            else:
                self._candidate(at, candidate.text, candidate.unknown_tag, candidate.unknown_start)
        self._image(tuple(known_ones), False)

    def _unknown_exports(self, path: str) -> list[str]:
        """The variables the compose file uses that the script exports with a value it
        does not let us know (`export TAG=$(git describe)`): compose reads that value."""
        given = self.exported | self.command_env
        unknown = sorted(n for n in given if known(self.state.scalars.get(n, ())) is None)
        if not unknown:
            return []
        if path not in self.compose_variables:  # each file's names found once
            text = (self.file_bytes.get(path) or b"").decode("utf-8", "replace")
            self.compose_variables[path] = _variables_in(text)
        used = self.compose_variables[path]
        return [name for name in unknown if name in used]

    def _compose_file_variable(self) -> tuple[str | None, ...]:
        """The files `COMPOSE_FILE` names, when the script exports it (`a.yml:b.yml`,
        split at `COMPOSE_PATH_SEPARATOR`): compose reads them instead of its defaults.
        (None: a value not known.)"""
        given = self.exported | self.command_env
        if "COMPOSE_FILE" not in given:
            return ()
        files = known(self.state.scalars.get("COMPOSE_FILE", ()))
        separator = ":"
        if "COMPOSE_PATH_SEPARATOR" in given:
            separator = known(self.state.scalars.get("COMPOSE_PATH_SEPARATOR", ())) or ""
        if files is None or not separator:
            return (None,)
        return tuple(name for name in files.split(separator) if name)

    def _profiles(self, use: ComposeUse) -> set[str] | None:
        """The profiles a compose command enables (`--profile`, `COMPOSE_PROFILES`); None
        when one cannot be known: then every service counts."""
        exported = "COMPOSE_PROFILES" in self.exported | self.command_env
        given = known(self.state.scalars.get("COMPOSE_PROFILES", ())) if exported else ""
        if given is None or None in use.profiles:
            return None
        return {name for name in use.profiles if name} | set(filter(None, given.split(",")))

    def _sync(self, use: SyncFile, line: int) -> None:
        """`skopeo sync --src yaml FILE`: the images the file lists, where they stand in it."""
        if use.file is None:
            self.warn(line, _SYNC_FILE_UNKNOWN)
            return
        path, data = self._repository_file(use.file)
        if path is None or data is None:
            self.warn(line, _unread(use.file, "file", "the images skopeo sync mirrors from it"))
            return
        if path not in self.synced:
            from .syncfile import synced_images  # noqa: PLC0415  (see the imports)

            too_large = len(data) > MAX_LIST_BYTES
            self.synced[path] = ([], [_too_large(path)]) if too_large else synced_images(path, data)
            self._mark_read(path)
        found, warnings = self.synced[path]
        for warning in warnings:
            self.warn(line, f"{warning.location}: {warning.message}")
        self.budget.step(len(found))
        self._file_images([(candidate, path) for candidate in found])

    def _env_files(self, use: ComposeUse, line: int) -> bytes | None:
        """What `--env-file` files set (read instead of the `.env` beside the compose
        file), None without one; one not held or not known gives a warning."""
        if not use.env_files:
            return None
        found = []
        for name in use.env_files:
            data = self._repository_file(name)[1] if name is not None else None
            if data is None:
                shown = name if name is not None else "an --env-file"
                self.warn(line, _unread(shown, "env file", "the values it sets"))
                continue
            found.append(data[:MAX_LIST_BYTES])
        return b"\n".join(found)

    def _composed(self, path: str, env_given: bytes | None = None) -> _Composed:
        """The services' images of the compose file `path`, and its warnings, under the
        variables the script exports (or sets for the command) that it knows, and the
        `.env` beside it or the `--env-file` files given: read once for each such
        environment."""
        shell = tuple(
            sorted(
                (name, value)
                for name in self.exported | self.command_env
                if (value := known(self.state.scalars.get(name, ()))) is not None
            )
        )
        key = (path, shell, env_given)
        readings = [found for (done, _, _), found in self.composed.items() if done == path]
        if key not in self.composed and len(readings) >= MAX_COMPOSE_READINGS:
            return readings[0]  # a bound: a loop may give each reading other values
        if key not in self.composed:
            data = self.file_bytes.get(path)  # read when `_compose` found the file
            folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
            env = env_given
            if env is None and self.read_file is not None:
                env = self.read_file(f"{folder}.env")
            if data is not None and len(data) > MAX_LIST_BYTES:
                self.composed[key] = ([], [(None, _too_large(path))])
            else:
                from .compose import pulled_images  # noqa: PLC0415  (see the imports)

                self.composed[key] = pulled_images(path, data or b"", env, dict(shell))
            self._mark_read(path)
        return self.composed[key]

    def _command_name(self, args: list[_Arg]) -> list[_Arg]:
        """Args whose command name is known when it can be: `$CLI pull x`.

        A name held in a variable that branches set (`docker` or `podman`) is read as
        the first of its values that makes an image command; an unknown name followed
        by an image command (`$SUDO docker pull x`) is read as a wrapper of it, and one
        followed by a verb of the container tools (`$RUNTIME pull x`) as such a tool, so
        that the image it uses is reported rather than lost.
        """
        if not args or args[0].literal is not None:
            return args
        first, rest = args[0], args[1:]
        # A dry run (`DOCKER="echo docker"` or `RUN=echo` in one branch) prints in one
        # branch and pulls in the other: the value that runs the tool is read.
        dry = len(first.values) > 1
        for value in first.values:
            if dry and _prints(value):
                continue
            if isinstance(value, Alt) and value.text.split():
                words = [_Arg(first.node, (Alt(w),), w) for w in value.text.split()]
                if image_use([arg.literal for arg in (*words, *rest)]) is not None:
                    return [*words, *rest]
        if image_use([arg.literal for arg in rest]) is not None or (
            rest and rest[0].literal in _RUNS_TEXT
        ):
            # `$SUDO docker pull x`, `$SUDO bash -c '...'`: unset, the word is gone;
            # `sudo`, it runs the rest.
            return rest
        verb = rest[0].literal if rest else None
        if verb in _TOOL_VERBS:
            return [_Arg(first.node, (Alt("docker"),), "docker"), *rest]
        return args

    def _shape(self, node: Node) -> list[_Word]:
        shape = self.shapes.get(node)
        if shape is None:
            words = command_words(node)
            if len(words) > MAX_ELEMENTS:  # each word is walked several times before a step
                self.warn(line_of(node), _ARGUMENTS_WARNING)
                words = words[:MAX_ELEMENTS]
            shape = self.shapes[node] = [
                _Word(group[0][0], group[0], _placeholder(group))
                for group in template_groups(rejoined(words))
            ]
        return shape

    def _args(self, words: list[_Word]) -> list[_Arg]:
        """The command's words, evaluated; a known unquoted value is split into words,
        and `"$@"` is the arguments of the function or `sh -c` script, one word each."""
        args: list[_Arg] = []
        for word in words:
            if word.placeholder is not None:
                args.append(_Arg(word.node, (), None, placeholder=word.placeholder))
                continue
            written = "".join(text(piece) for piece in word.pieces)
            every = _ALL_ARGUMENTS.fullmatch(written)
            if every is not None and self.state.positionals is not None:
                # `retry() { "$@"; }` then `retry docker pull app:1`: the call is the command.
                skipped = int(every.group(1) or 1) - 1
                for values in self.state.positionals[skipped:]:
                    args.append(_Arg(word.node, values, known(values)))
                continue
            elements = self._elements(written)
            if elements is not None:  # `"${ARGS[@]}"`: a word per element
                args.extend(_Arg(word.node, values, known(values)) for values in elements)
                continue
            values = self._word(word.pieces)
            names = self._glob_names(word.node, values)
            if names:  # `cat lists/*.txt`: a word per file, as bash expands it
                args.extend(_Arg(word.node, (Alt(name),), name) for name in names)
                continue
            fields = self._fields(values) if _splits(word.node) else None
            if fields is None or (len(fields) == 1 and len(fields[0]) == 1):
                args.append(_Arg(word.node, values, known(values)))
            elif len(fields) > 1:  # as many words as it has values, or none
                args.append(_Arg(word.node, values, None, variants=tuple(map(tuple, fields))))
            else:  # each value the same number of words: the k-th of each is one word
                args.extend(_Arg(word.node, column, known(column)) for column in fields[0])
        # Each value of each word is a step: `"${A[@]}"`, `"$@"` and `"p${A[@]}s"` cost no
        # more to write than a word, and a loop over an array may expand it at every pass.
        self.budget.step(sum(len(arg.values) for arg in args))
        return args

    def _elements(self, written: str) -> list[Values] | None:
        """The elements of the array a word `"${NAME[@]}"` is, each its own word (a command
        kept in an array, `"${PULL[@]}" redis:7`, options in one, `docker "${CTX[@]}" pull`),
        when the array is set; an element not known is a word not known (`-v "$(pwd)":/w`
        in `RUN=(docker run --rm -v "$(pwd)":/w app:1)`)."""
        found = _WHOLE_ARRAY.fullmatch(written)
        array = self.state.arrays.get(found.group(1)) if found is not None else None
        if array is None or len(array) > MAX_ELEMENTS:
            return None
        return list(array.values())

    def _fields(self, values: Values) -> list[list[Values]] | None:
        """The words an unquoted expansion of known values becomes (None: a value is not
        known). When each value splits into as many words (`PLATFORM="--platform
        linux/arm64"` in one branch, `--platform linux/amd64` in the other), one list: the
        k-th word of each value is the k-th word's values (none for an empty value, which
        bash drops). Else a list per number of words: `$TTY`, empty or `-t`, makes two
        command lines (`_argvs`)."""
        if not values:
            return None
        by_count: dict[int, list[Values]] = {}
        for item in values:
            if not isinstance(item, Alt):
                return None
            # A word split out of a value stands where the command is, not where the value
            # is; a value that is one word stays where it stands.
            split = self._split((Alt(item.text),))
            one = len(split) == 1 and isinstance(split[0], Alt) and split[0].text == item.text
            by_count.setdefault(len(split), []).append((item,) if one else split)
        return [
            [unique(split[index] for split in group) for index in range(count)]
            for count, group in by_count.items()
        ]

    def _arg_words(self, arg: _Arg) -> Values:
        return self._split(arg.values) if _splits(arg.node) else arg.values

    def _split(self, values: Values) -> Values:
        """An unquoted expansion's values cut into words as bash cuts them: on the
        script's IFS when it sets one that is known (`IFS=,`), else on white space."""
        words = split_fields(values, self._ifs())
        self.budget.step(len(words) // 8)  # each word a value made (a loop may split often)
        return words

    def _ifs(self) -> str:
        """The separators an unquoted expansion is split on: the script's IFS when it sets
        one that is known, else white space."""
        ifs = known(self.state.scalars.get("IFS", (Alt(DEFAULT_IFS),)))
        if ifs is None:  # `IFS=$'\n'`: an ANSI-C string, as its assignment wrote it
            ifs = ifs_value("IFS=" + self.written.get("IFS", ""))
        return DEFAULT_IFS if ifs is None else ifs

    def _word(self, pieces: list[Node]) -> Values:
        if len(pieces) > 1 or misparsed(pieces[0]):
            # tree-sitter-bash splits some unquoted words (`$REG/app:$TAG-$ARCH`) and
            # leaves a bare `$`: read the word's text the way bash does instead.
            written = "".join(text(piece) for piece in pieces)
            return expand_line(written, self.values, line_of(pieces[0]))
        return self.values.word(pieces[0])

    def _use(self, args: Sequence[_Arg], use: ImageUse) -> None:
        for position in use.positions:
            arg = args[position]
            if arg.placeholder is not None:
                self._template(line_of(arg.node), arg.placeholder)
                continue
            values = placed(self._arg_words(arg), arg.node)
            if use.part != "all":  # `SRC=DST`, `--from=IMAGE`: one side of the `=`
                values = tuple(_side(item, use.part == "before") for item in values)
            if use.archives:  # `minikube image load "$TARBALL"`: a file, no image
                values = tuple(item for item in values if not _archive_value(item))
            self._image(values, use.transport, use.prefixed, follows=_follows(use))
        if use.inner is not None:  # the registry tool the container runs
            self._use(args, use.inner)

    def _image(
        self, values: Values, transport: bool, prefixed: bool = False, *, follows: bool = False
    ) -> None:
        """Record every value as an image candidate (one whose tag alone is not known as
        its repository's: see Candidate.unknown_tag), or warn about what is unknown. A
        reference two values share (`TAG=latest` in both branches of an `if`) is one use,
        where the first of them stands. `prefixed`: only a `docker://` value is one.
        `follows`: a command that uses an image it expects at hand (see `_follows`)."""
        seen: set[tuple[str, str | None, str]] = set()
        self.budget.step(len(values))  # a loop may pull a whole array at every pass
        for item in values:
            start = _known_start(item)
            if start is None:
                if isinstance(item, Unknown):  # nothing known of it
                    self.warn(item.line, _unknown_message(item))
                continue
            at, unknown = start
            # a value not known runs on past its head: only its start is trimmed
            reference = at.text.lstrip() if unknown else at.text.strip()
            key = (reference, unknown.why, unknown.after) if unknown else (reference, None, "")
            if key in seen:
                continue
            seen.add(key)
            if prefixed and not reference.startswith("docker://"):
                continue  # `apptainer run app.sif`, `library://...`: no registry image
            if transport:
                if _TRANSPORT_RE.match(reference) or "://" in reference.removeprefix("docker://"):
                    continue  # a local archive or store: not a registry image
                reference = reference.removeprefix("docker://")
            tag = written_start = None
            if unknown is not None:
                split = _partly_known_reference(unknown, reference)
                if split is None:
                    self.warn(unknown.line, _unknown_message(unknown))
                    continue
                written_start, reference, tag = split
            if reference:
                self._candidate(at, reference, tag, written_start, follows=follows)

    def _candidate(
        self, at: Alt, reference: str, tag: str | None, start: str | None, *, follows: bool = False
    ) -> None:
        """A reference the script uses, `at` the text it stands in (`tag`, `start`, `follows`:
        see Candidate)."""
        line = at.line or self.line
        if "{{" in reference or "}}" in reference:
            self._template(line, reference)
            return
        self.consumed |= at.origins
        if len(self.used) > MAX_CANDIDATES:
            return  # `candidates` warns
        place = (at.path or "", line, reference)
        if self.runners:  # in a script the script runs: it is used where that runs
            self.sites.setdefault(place, self.runners[0])
        elif at.path is not None or line != self.line:  # set elsewhere, used here
            self.sites.setdefault(place, self.line)
        self.used.append(
            Candidate(reference, line, at.column, at.scope, at.path, tag, start, follows)
        )

    def _template(self, line: int, placeholder: str) -> None:
        message = (
            f"{placeholder[:80]} is a template placeholder, not an image; the image it stands "
            "for is not audited (list it in a pull script, or audit the rendered file)"
        )
        self.warn(line, message)

    def _xargs(
        self,
        args: Sequence[_Arg],
        start: int,
        replace_text: str | None,
        node: Node,
        *,
        quoted: bool = True,
    ) -> None:
        """`xargs [options] COMMAND ...`: the lines it reads become the command's arguments."""
        items = self.stdin
        source = arg_file([arg.literal for arg in args])
        if source is not None:
            items = self.file_lines(source, line_of(node))
        elif any(arg.literal in ("-a", "--arg-file") for arg in args[:start]):
            # `xargs -a "$LIST"`: a file whose name is not known
            named = next(i + 1 for i, arg in enumerate(args) if arg.literal in ("-a", "--arg-file"))
            shown = text(args[named].node) if named < len(args) else "its file"
            items = (unread_file(shown, line_of(node)),)
        if items is None:
            items = (Unknown("the input of xargs", line_of(node)),)
        items = _xargs_input(items, replace_text, line_of(node), self.budget, quoted=quoted)
        inner = list(args[start:])
        if _shell_script(inner) is not None:  # `xargs -I{} sh -c 'docker pull {}'`
            self._shell(inner, node, items, replace_text)
            return
        literals: list[str | None] = [arg.literal for arg in inner]
        if replace_text is not None:
            slots = [i for i, lit in enumerate(literals) if lit is not None and replace_text in lit]
            for slot in slots:
                literals[slot] = "IMAGE"
        else:
            slots = [len(literals)]
            literals.append("IMAGE")
        found = image_use(literals)
        for use in found.chain() if found is not None else ():
            for position in use.positions:
                if position not in slots:
                    words = placed(self._arg_words(inner[position]), inner[position].node)
                    self._image(words, use.transport, follows=_follows(use))
                    continue
                values = items
                if replace_text is not None and position < len(inner):
                    values = _replaced(inner[position].literal or "", replace_text, items)
                self._image(values, use.transport, follows=_follows(use))

    def _parallel(self, args: Sequence[_Arg], shape: Parallel, node: Node) -> None:
        """`parallel docker pull ::: a b`: the command read as a script, the input sources
        its `$1`, `$2`... (where `{}`, `{1}`... stand, or after it), every combination."""
        line = line_of(node)
        sources = self._parallel_sources(args, shape, line)
        if sources is None:
            return
        words = [arg.literal for arg in args[slice(*shape.command)]]
        if None in words:
            self.warn(line, _unknown_run("the command parallel runs"))
            return
        if not words:  # `parallel ::: "docker pull a:1"`: each argument is a command line
            lines = sources[0] if sources else ()
            self._command_lines(lines, node, "a command line parallel runs", own_lines=False)
            return
        script = parallel_script(" ".join(word for word in words if word), shape, len(sources))
        if script is None:
            self.warn(line, _unknown_run("the arguments parallel passes ({/}, {.}, ...)"))
            return
        self._script(script, node, sources)

    def _parallel_sources(
        self, args: Sequence[_Arg], shape: Parallel, line: int
    ) -> list[Values] | None:
        """Each input source's values: `:::` words, `::::` and `-a` files, else stdin."""
        sources: list[Values] = []
        for separator, start, end in shape.sources:
            if separator.endswith("+"):  # linked to the source before it: pairs, not products
                self.warn(line, _unknown_run(f"the arguments {separator} pairs"))
                return None
            if separator == ":::":
                words = (placed(self._arg_words(arg), arg.node) for arg in args[start:end])
                sources.append(tuple(item for values in words for item in values))
            else:
                sources.append(self._lines_of(args[start:end], line))
        sources += [self._lines_of(args[index : index + 1], line) for index in shape.arg_files]
        if not sources:
            stdin = self.stdin
            sources = [split_lines(stdin) if stdin else (Unknown("the input of parallel", line),)]
        return sources

    def _lines_of(self, files: Sequence[_Arg], line: int) -> Values:
        """The lines of the files named by `files` (`:::: list.txt`)."""
        found: list[Item] = []
        for arg in files:
            if arg.literal is None:
                found.append(Unknown(text(arg.node), line))
            else:
                found.extend(self.file_lines(arg.literal, line))
        return tuple(found[:MAX_ELEMENTS])

    def _shell(
        self,
        args: Sequence[_Arg],
        node: Node,
        items: Values | None = None,
        replace_text: str | None = None,
    ) -> None:
        """`sh -c 'SCRIPT' NAME ARGS...`: the script read as part of this one.

        Its arguments are its `$1`...; under xargs, each item is `$1`, or stands where
        `-I {}` puts it. The script's lines count from the line of the command.
        """
        script = _shell_script(args) or ""
        given = [self._arg_words(arg) for arg in args[3:]]
        zero, positional = (given[0], given[1:]) if given else (None, [])
        if items is not None and replace_text is not None and _commands_given(script, replace_text):
            # `xargs -I{} sh -c "{}"`: xargs writes each line into the script, a command.
            written = (
                replace(item, text=script.replace(replace_text, item.text))
                if isinstance(item, Alt)
                else replace(item, script=script.replace(replace_text, item.script))
                if item.script is not None
                else item
                for item in items
            )
            self._command_lines(written, node, "the commands xargs runs")
            return
        if items is not None and replace_text is not None:
            script = script.replace(replace_text, '"$1"')
            positional = [items]
        elif items is not None and zero is None:
            zero = items  # `xargs sh -c '... "$0"'`: the first word xargs gives is `$0`
        elif items is not None:
            positional.append(items)
        self._child_script(script, node, zero, positional)

    def _child_script(
        self,
        script: str,
        node: Node,
        zero: Values | None,
        arguments: list[Values],
        seen: set[str] | None = None,
    ) -> None:
        """A script another shell runs (`sh -c 'SCRIPT' NAME ARGS...`): it sees the
        exported variables only (`seen`, when given: an ssh host's sees none), its `$0` is
        NAME, and what it sets does not come back."""
        saved = self.state
        visible = self.exported if seen is None else seen
        scalars = {name: values for name, values in saved.scalars.items() if name in visible}
        # bash exports no array
        child = State(scalars, {}, dict(saved.files), saved.positionals, set(saved.associative))
        if zero is not None:
            child.scalars["0"] = zero
        self.budget.step(saved.size())
        self._set_state(child)
        try:
            self._script(script, node, arguments)
        finally:
            self._set_state(saved)

    def _script(
        self,
        script: str,
        node: Node,
        arguments: Sequence[Values] | None = None,
        line: int | None = None,
    ) -> None:
        """Read `script` as part of this one, its lines counted from `line` (the line of
        `node` unless given); `arguments`, when given, are its `$1`, `$2`..."""
        self.budget.step(1 + len(script) // 64)  # each line piped into a shell is a script
        tree = parse_at(script.encode("utf-8", "surrogateescape"), line or line_of(node))
        if arguments is None:
            self.block(tree.root_node)
            return
        saved = self.state.positionals
        self.state.positionals = tuple(arguments)
        try:
            self.block(tree.root_node)
        finally:
            self.state.positionals = saved

    def _source(self, args: Sequence[_Arg], node: Node) -> None:
        """`source FILE` / `. FILE`: a file of the repository read as part of the script,
        at lines of its own (see `sourced`). One it cannot know or find is not read: a
        warning, as it may pull images itself, and the variables it would set warn where
        they are used."""
        if len(args) < 2:
            return  # `source` alone: bash refuses it
        name = args[1].literal
        path, data = (None, None) if name is None else self._repository_file(name, self.sourcing)
        if path is None or data is None:
            if name is not None and self._being_read(name):
                return  # a file sourcing itself, or one that sources it: read already
            shown = name if name is not None else text(args[1].node)
            self.warn(line_of(node), _unread(shown[:80], "file", "the images it pulls"))
            return
        new = path not in self.sourced.by_path
        if len(data) > MAX_LIST_BYTES or (new and len(self.sourced.paths) >= MAX_LISTS):
            self.warn(line_of(node), _too_much_to_source(path))
            return
        self._read_sourced(path, data)

    def _being_read(self, name: str) -> bool:
        """Whether `name` may be the script or a file it is sourcing now."""
        reading = (self.path, *self.sourcing)
        return any(path in reading for path in _repository_paths(self.path, name, self.cwd))

    def _read_sourced(self, path: str, data: bytes) -> None:
        tree = self.sourced_trees.get(path)
        if tree is None:
            self._mark_read(path)
            tree = self.sourced_trees[path] = parse_at(data, self.sourced.start_of(path, data))
        # Each reading walks every line of the file, comments too: a loop that sources it
        # ten thousand times spends the budget, not minutes.
        self.budget.step(tree.root_node.child_count)
        saved = self.state.arrays.get("BASH_SOURCE")
        self.state.arrays["BASH_SOURCE"] = {"0": (Alt(path),)}
        self.sourcing.append(path)
        try:
            self.block(tree.root_node)
        finally:
            self.sourcing.pop()
            if saved is not None:
                self.state.arrays["BASH_SOURCE"] = saved
        if tree.root_node.has_error:
            self.warn(first_error_line(tree.root_node), _SYNTAX_WARNING)

    def _eval(self, args: Sequence[_Arg], node: Node) -> None:
        """`eval "docker pull $IMAGE"`: its arguments, joined by spaces, read as a script."""
        self._run_words([arg.literal for arg in args[1:]], node, "eval")

    def _run_words(self, words: list[str | None], node: Node, runner: str) -> None:
        """The words `runner` (eval, ssh) runs, joined by spaces, read as a script; a
        warning when one is not known."""
        script = " ".join(word for word in words if word is not None)
        if None in words or len(script) > MAX_TEXT:
            # A longer one is no command of a pull script: `eval eval ... eval`, read
            # again at each level, would cost the square of its length.
            reason = "without running the script" if len(script) <= MAX_TEXT else "(too long)"
            message = (
                f"cannot know the command {runner} runs {reason}; the images it uses are not "
                "audited (write the command itself instead)"
            )
            self.warn(line_of(node), message)
            return
        self._script(script, node)

    def _mapfile(self, args: Sequence[_Arg], node: Node) -> None:
        """`mapfile -t NAME < FILE` and `readarray`: an array of the lines read, from the
        line after the first `-s N` and `-n M` of them (a CSV's header skipped)."""
        name = "MAPFILE"
        flag: str | None = None
        numbers: dict[str, int] = {}
        for arg in args[1:]:
            if flag is not None:
                if flag in ("-s", "-n", "-O") and (arg.literal or "").isdigit():
                    numbers[flag] = int(arg.literal or "0")
                flag = None
            elif arg.literal in _MAPFILE_VALUE_FLAGS:
                flag = arg.literal
            elif arg.literal is not None and not arg.literal.startswith("-"):
                name = arg.literal
        lines = self.stdin
        if lines is None:
            lines = (Unknown(f"mapfile {name}", line_of(node)),)
        origin = numbers.get("-O")
        found = {str((origin or 0) + index): values for index, values in _mapped(lines, numbers)}
        # `-O N` puts the lines from index N on, and keeps the elements it does not replace
        self._store(name, found, origin is not None)

    def _read(self, args: Sequence[_Arg], node: Node) -> None:
        """`IFS=, read -ra NAME <<< "$LIST"`: an array of the fields of the first line read
        (of every line of a file, one after another, with `-d ''`); `IFS='|' read -r image
        name <<< "$ROW"`: each name a field of it (a `while read` condition is read with
        its loop)."""
        name = _read_array_name([arg.literal for arg in args[1:]])
        if name is None:
            read = read_command(node)
            if read is not None:
                self._read_into(read[0], node)
            return
        if self.stdin is None:
            self._store(name, {"0": (Unknown(f"read -a {name}", line_of(node)),)}, False)
            return
        separators = self._separators(own_ifs(node))
        if isinstance(separators, Unknown):
            self._store(name, {"0": (separators,)}, False)
            return
        fields: dict[str, list[Item]] = {}
        whole = _reads_to_end([arg.literal for arg in args[1:]])
        lines, numbered = _lines_read(self.stdin, whole)
        self.budget.step(_split_cost(lines))
        after = 0  # the fields of the file's lines before this one
        for item in lines:
            if isinstance(item, Unknown):  # its fields are not known
                fields.setdefault(str(after), []).append(opaque(item))
                continue
            pieces = read_fields(item, separators, MAX_ELEMENTS + 1 - after)
            for index, piece in enumerate(pieces, after):
                fields.setdefault(str(index), []).append(piece)
            after += len(pieces) if numbered else 0
        self._store(name, {key: unique(found) for key, found in fields.items()}, False)
        if numbered:
            self.stdin = ()  # it read the file to its end
        else:
            self._line_read()

    def _read_into(self, names: list[str], node: Node) -> None:
        """Each of `names` a field of the first line read, the last one the rest of it."""
        lines = self.stdin
        if lines is None:
            lines = (Unknown(f"read {' '.join(names)}", line_of(node)),)
        separators = self._separators(own_ifs(node))
        if isinstance(separators, Unknown):
            lines, separators = (separators,), None
        columns: list[list[Item]] = [[] for _ in names]
        line = _first_line(lines)
        if not line and isinstance(lines, Lines) and lines:
            line = (Alt(""),)  # an empty (or `#`) line of a heredoc: each name empty
        for item in line:
            first = item if isinstance(item, Unknown) else part_of(item, item.text.split("\n")[0])
            for column, value in zip(columns, fields(first, len(names), separators), strict=True):
                column.append(value)
        for name, column in zip(names, columns, strict=True):
            self.state.scalars[name] = unique(column)
        self._line_read()

    def _line_read(self) -> None:
        """A `read` took the first line of a file: the next one reads the line after it
        (`{ read -r a; read -r b; } < list`), as bash reads on from where it stopped.
        Each read goes over the lines left (twice: its line, then the rest), charged to
        the budget: 10,000 reads of a heredoc of 10,000 lines took 41 s."""
        if self.stdin:
            self.budget.step(len(self.stdin) // _VALUES_PER_STEP)
        rest = _first_and_rest(self.stdin)[1] if self.stdin else None
        if rest is not None:
            self.stdin = rest

    def _separators(self, assignment: Node | None) -> str | Unknown | None:
        """What `IFS=...` sets for one `read`: its separators (None: white space, as
        without one, or as `IFS=` leaves a line of one name whole), or an Unknown. Without
        one of its own, the script's IFS (`IFS=:`, `local IFS=:`) when it can be told."""
        if assignment is None:
            return self._script_separators()
        written = ifs_value(text(assignment))
        if written is not None or text(assignment) in ("IFS=", "IFS=''", 'IFS=""'):
            return written
        value = assignment.child_by_field_name("value")
        separators = known(self.values.word(value)) if value is not None else None
        if separators is None:
            return Unknown(text(assignment)[:80], line_of(assignment))
        return separators or None

    def _script_separators(self) -> str | None:
        """The separators IFS holds where a `read` has none of its own: white space (None)
        when unset, or when its value cannot be told (`IFS=$X`)."""
        if "IFS" not in self.state.scalars:
            return None
        separators = known(self.state.scalars["IFS"])
        if separators is None:  # `IFS=$'\n\t'`: an ANSI-C string, as its assignment wrote it
            separators = ifs_value("IFS=" + self.written.get("IFS", ""))
        return separators or None

    def _set(self, args: Sequence[_Arg], node: Node) -> None:
        """`set -- a b c` (or `set a b`): the script's arguments from here on; `set -e` and
        other options leave them. `set -a` (`-o allexport`) exports what is set after it,
        until `set +a`: `set -a; source versions.env; set +a` before `docker compose pull`."""
        words = list(args[1:])
        ended = False  # after `--` every word is an argument, and none is one too
        while words and not ended and (option := words[0].literal or "")[:1] in ("-", "+"):
            words.pop(0)
            ended = option == "--"
            named = words[0].literal if not ended and option.endswith("o") and words else None
            if "a" in option[1:] or named == "allexport":
                self.allexport = option.startswith("-")
            if named is not None:
                words.pop(0)  # `set -o pipefail`, `set -euo pipefail`: the option's name
        if words or ended:
            self.state.positionals = self._positionals(words)

    def _positionals(self, args: Sequence[_Arg]) -> tuple[Values, ...]:
        """The arguments a call or `set --` gives (`$1`, `"$@"`), MAX_ELEMENTS at most:
        `f "$@" "$@"` in `f`, or `set -- "$@" "$@"` line after line, doubles them each time."""
        if len(args) > MAX_ELEMENTS:
            self.warn(self.line, _ARGUMENTS_WARNING)
            args = args[:MAX_ELEMENTS]
        return tuple(placed(self._arg_words(arg), arg.node) for arg in args)

    def _cd(self, args: Sequence[_Arg], node: Node) -> None:
        """`cd DIR`, `pushd DIR`: the folder relative file names are read from, where it
        can be known (`cd "$(dirname "$0")/stack"`); `popd` goes back."""
        command = args[0].literal
        if command == "popd":
            self.cwd = self.dirstack.pop() if self.dirstack else ()
            return
        if command == "pushd":
            self.dirstack.append(self.cwd)
        words = [arg for arg in args[1:] if (arg.literal or "x")[:1] != "-" or arg.literal == "-"]
        target = known(self._arg_words(words[0])) if words else None
        if target is None or target in ("-", "~") or target.startswith(("/", "~")):
            self.cwd = ()  # not known, or outside the repository: the usual places
            return
        script_folder = self.path.rsplit("/", 1)[0] if "/" in self.path else ""
        bases = self.cwd or (script_folder, "")
        if not self.cwd and script_folder and f"{target}/".startswith(f"{script_folder}/"):
            # `cd "$(dirname "$0")/.."`: `$0` is root-relative, so most likely is the root
            bases = ("", script_folder)
        found = [
            posixpath.normpath(posixpath.join(base, target)) for base in bases if base or target
        ]
        self.cwd = tuple(dict.fromkeys(p for p in found if p != ".." and not p.startswith("../")))

    def _trap(self, args: Sequence[_Arg], node: Node) -> None:
        """`trap 'docker pull x' EXIT`: the command runs when the signal comes (an EXIT trap
        when the script ends), read at the trap's line; `trap - EXIT`, `trap '' INT`, `-p`
        and `-l` run nothing."""
        words = [arg.literal for arg in args[1:]]
        if words[:1] == ["--"]:
            words = words[1:]
        if len(words) < 2 or words[0] in ("", "-") or (words[0] or "").startswith("-"):
            return
        self._run_words([words[0]], node, "trap")

    def _alias(self, args: Sequence[_Arg], node: Node) -> None:
        """`alias dp='docker pull'`: each NAME=TEXT kept for where it is used."""
        words = dict.fromkeys(arg.node for arg in args[1:])  # a word split by its spaces
        for word in words:
            values = self.values.word(word)
            known = values[0].text if len(values) == 1 and isinstance(values[0], Alt) else None
            name, equals, value = (known if known is not None else text(word)).partition("=")
            if equals and name and not name.startswith("-"):
                self.shell.aliases[name] = value if known is not None else None

    def _unalias(self, args: Sequence[_Arg], node: Node) -> None:
        for arg in args[1:]:
            if arg.literal == "-a":
                self.shell.aliases.clear()
            elif arg.literal is not None:
                self.shell.aliases.pop(arg.literal, None)

    def _shopt(self, args: Sequence[_Arg], node: Node) -> None:
        words = [arg.literal for arg in args[1:]]
        names = {word for word in words if word is not None and not word.startswith("-")}
        if "-s" in words:
            self.shell.options |= names
        elif "-u" in words:
            self.shell.options -= names

    def _expand_alias(self, name: str, args: Sequence[_Arg], node: Node) -> None:
        """A command that starts with an alias: its text, then the rest of the command as
        written, read as a script at the command's line, as bash reads it."""
        value = self.shell.aliases[name]
        if value is None:
            self._run_words([None], node, f"the alias {name}")
            return
        rest = (node.text or b"")[args[0].node.end_byte - node.start_byte :]
        self.shell.expanding.add(name)
        try:
            self._script(value + rest.decode("utf-8", "surrogateescape"), node)
        finally:
            self.shell.expanding.discard(name)

    def _printf(self, args: Sequence[_Arg], node: Node) -> None:
        """`printf -v NAME FORMAT ARGS...`: NAME set to the text printf would print, as
        bash's builtin sets it. A format or argument not known, or a conversion other than
        `%s`, leaves NAME not known. Without `-v`, printf only prints."""
        call = printf_words([self._arg_words(arg) for arg in args[1:]])
        if call.variable is None:
            return
        values = printf_text(call.arguments) if call.arguments else None
        if values is None:
            given = (item for values in call.arguments for item in values)
            unknown = next((item for item in given if isinstance(item, Unknown)), None)
            values = (opaque(unknown) if unknown else Unknown(text(node)[:80], line_of(node)),)
        values = placed(values, node, weak=not self.branches)  # as an assignment stands
        name = known(call.variable)
        # `printf -v "LIST[$n]"`: an element of LIST, which one not known
        written = name if name is not None else text(args[2].node).strip("\"'")
        element = _ELEMENT.fullmatch(written)
        if element is not None:
            array, key = element.groups()
            found = self._element_key(array, key if name is not None else None)
            self._store(array, {found: values}, True)
        elif name is not None and _NAME.fullmatch(name):
            self._set_scalar(name, values)
        elif name is None:
            self.warn(line_of(node), _unknown_target(written[:80]))

    def _element_key(self, name: str, written: str | None) -> str:
        """The key `NAME[KEY]` names, as `_element` reads a subscript: an associative
        array's text, an indexed array's arithmetic (`A[i+1]`), or a key not known
        (`written` None: a text not known)."""
        if written is not None and name in self.state.associative:
            return written
        value = (
            None if written is None else self.values.arithmetic_text(written, written, self.line)
        )
        if value is not None and value >= 0:
            return str(value)
        self.unknown_keys += 1
        return f"{UNKNOWN_KEY}{self.unknown_keys} [{(written or '')[:80]}]"

    def _set_scalar(self, name: str, values: Values) -> None:
        """`NAME` set to `values` by a builtin (not an assignment, whose text is kept)."""
        name = self.state.resolve(name)
        case = self.shell.cases.get(name)
        if case is not None:
            values = tuple(_cased(item, case) for item in values)
        if name in self.state.arrays and name not in self.state.scalars:
            self._store(name, {"0": values}, True)  # an array's first element
        else:
            self.state.scalars[name] = values
        self.written.pop(name, None)
        if self.allexport:
            self.exported.add(name)

    def _shift(self, args: Sequence[_Arg], node: Node) -> None:
        literal = args[1].literal if len(args) > 1 else None
        count = int(literal) if literal is not None and literal.isdigit() else 1
        if self.state.positionals is not None:
            self.state.positionals = self.state.positionals[count:]


_SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "zsh"})
# Statements that only set variables: a header above them may be the header of the
# command right after them that uses the values.
_ASSIGNMENTS = frozenset({"variable_assignment", "variable_assignments", "declaration_command"})
_READERS = frozenset({"read", "mapfile", "readarray"})
_SHIFT = LazyPattern(r"\bshift\b")
# A `case` subject that is one argument: `$1`, `"$1"`, `${1}`, `"${1}"`.
_EQUALITY = frozenset({"==", "=", "!="})
_WHOLE_ARRAY = LazyPattern(r'"\$\{([A-Za-z_][A-Za-z0-9_]*)\[@\]\}"')
# A word that is one variable: `$PULL`, `${PULL}`, `"$PULL"`.
# What a backslash escapes inside backquotes (see `_backquoted`).
_BACKQUOTE_ESCAPE = LazyPattern(rb"\\([\\`$])")
_QUOTED_BACKQUOTE_ESCAPE = LazyPattern(rb'\\([\\`$"])')


def _in_double_quotes(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "string"


_IDENTIFIER = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")


def _names_read(nodes: Sequence[Node], counters: Iterable[str]) -> list[str]:
    """Every name a loop header may read (`i < n`, `$N`, `${#A[@]}`; `lt` of `-lt`
    too, which no script sets), and its counters."""
    written = " ".join(text(node) for node in nodes)
    return sorted({*_IDENTIFIER.findall(written), *counters})


_VARIABLE_WORD = LazyPattern(r'"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?')
_GLOBS = frozenset("*?[")
_POSITIONAL = LazyPattern(r'"?\$\{?([1-9])\}?"?')


def _case_parts(node: Node) -> tuple[list[list[Node]], list[list[Node]], bool]:
    """A `case` statement's branches, the patterns of each, and whether a `*` closes them."""
    branches: list[list[Node]] = []
    patterns: list[list[Node]] = []
    exhaustive = False
    for item in node.named_children:
        if item.type != "case_item":
            continue
        children = list(item.children)
        close = next((i for i, c in enumerate(children) if c.type == ")"), -1)
        patterns.append([c for c in children[:close] if c.is_named])
        exhaustive = exhaustive or "*" in [text(c) for c in patterns[-1]]
        branches.append(children[close + 1 :])
    return branches, patterns, exhaustive


def _ends_function(node: Node) -> bool:
    """`return` or `exit`: bash runs nothing after it in the function (or the `$(...)`)."""
    words = command_words(node) if node.type == "command" else []
    return bool(words) and text(words[0]) in ("return", "exit")


def _plain_call(node: Node) -> bool:
    """Whether a command is its words alone: no assignment nor redirect of its own."""
    return not any(
        child.type in ("variable_assignment", "herestring_redirect", "file_redirect")
        for child in node.named_children
    )


def _falls_through(case: Node) -> bool:
    """Whether a branch of `case` goes on into the next (`;&`, `;;&`)."""
    return any(
        child.type in (";&", ";;&") for item in case.named_children for child in item.children
    )


def _redirected_body(node: Node) -> Node:
    """The command of a redirected statement (`cd x &> /dev/null`), or the node itself."""
    if node.type == "redirected_statement":
        return node.child_by_field_name("body") or node
    return node


def _reads_into_variables(node: Node) -> bool:
    """`IFS=, read -ra LIST <<< "$X"`, `mapfile -t LIST < f`: a command that sets variables."""
    node = _redirected_body(node)
    if node.type != "command":
        return False
    words = command_words(node)
    return bool(words) and text(words[0]) in _READERS


_SPECIAL_TOOLS = _SHELLS | {"xargs", "parallel"}


_OWN_TEXT = (
    "the script reads its own text here (a list after its code?); its lines are not read as "
    "images (keep the list in a file of its own, or in an array)"
)


def _too_much_to_source(path: str) -> str:
    return (
        f"{path} is not read: a sourced file is read up to {MAX_LIST_BYTES >> 20} MiB and "
        f"{MAX_LISTS} files a script; the images it sets are not audited"
    )


def _unknown_target(written: str) -> str:
    return (
        f"cannot know which variable printf -v {written} sets without running the script; "
        "the image it holds is not audited (name the variable literally)"
    )


def _unknown_run(what: str) -> str:
    return (
        f"cannot know {what} without running the script; the images it uses are not "
        "audited (list the images in an array and loop over it)"
    )


def _side(item: Item, before: bool) -> Item:
    """The text before (or after) the first `=` of a value."""
    if isinstance(item, Unknown):
        known = item.head
        if known is None or "=" not in known.text:  # the `=` may be in the unknown part
            return opaque(item)
        head, _, tail = known.text.partition("=")
        if before:
            return part_of(known, head)
        return replace(item, head=part_of(known, tail) if tail else None)
    if "=" not in item.text:
        return item
    head, _, tail = item.text.partition("=")
    return part_of(item, head if before else tail)


def _option_shape(arg: _Arg) -> str | None:
    """An argument's text, or for an unknown one written as an option that carries its
    value (`"--dest-password=${PASS}"`) that option, so that it is not taken for an image."""
    if arg.literal is not None:
        return arg.literal
    written = text(arg.node).lstrip("\"'")
    return written.split("=", 1)[0] + "=" if written.startswith("-") and "=" in written else None


def _prints(value: Item) -> bool:
    """Whether a command name's value starts with a command that only prints."""
    words = value.text.split() if isinstance(value, Alt) else []
    return bool(words) and words[0] in PRINTERS


def _follows(use: ImageUse) -> bool:
    """Whether a command uses an image it expects at hand (`docker tag`, `save`, `run`
    after the script pulled it): naming it again is no repeat of a listed image. A verb
    of more words is one when any is (`kubectl create deployment`, `minikube image load`)."""
    return any(word in _FOLLOWING_VERBS for word in use.verb.split())


_FOLLOWING_VERBS = frozenset(
    {"save", "run", "create", "tag", "inspect", "export", "load", "import", "digest",
     "manifest", "config"}
)  # fmt: skip


def _archive_value(item: Item) -> bool:
    """Whether a value names an image archive (`app.tar`, `$OUT/app.tar`), not an image."""
    written = item.text if isinstance(item, Alt) else item.rest or item.why
    return archive(written.strip())


def _argvs(args: list[_Arg]) -> list[list[_Arg]]:
    """The command lines `args` may be: one per choice of the words of each variant word
    (`docker run -i $TTY app:1`: with and without `-t`), at most `_MAX_ARGVS`; past it,
    `args` as they are (each variant one word of every value)."""
    if not any(arg.variants for arg in args):
        return [args]
    choices = [
        [[_Arg(arg.node, word, known(word)) for word in words] for words in arg.variants]
        if arg.variants
        else [[arg]]
        for arg in args
    ]
    if math.prod(len(choice) for choice in choices) > _MAX_ARGVS:
        return [args]
    return [
        [word for chosen in picked for word in chosen] for picked in itertools.product(*choices)
    ]


def _names_a_command(arg: _Arg) -> bool:
    """Whether each value of a word not known is a command's name (`sudo "$CTR" pull`,
    CTR `docker` or `podman`), not an option of the wrapper."""
    return bool(arg.values) and all(
        isinstance(value, Alt) and value.text[:1].isalpha() and not _NOT_IN_A_NAME & set(value.text)
        for value in arg.values
    )


# Not in a command's name: blanks, and `=` (`env "$PAIR" docker ...`: an assignment).
_NOT_IN_A_NAME = frozenset(" \t=")
# The most command lines one command is read as (each a choice of the words of its variant
# words): `$A $B $C`, each empty or an option, make eight.
_MAX_ARGVS = 8


def _unwrapped(args: list[_Arg]) -> list[_Arg]:
    """The command a wrapper runs (`sudo -E bash -c '...'`, `timeout 60 sh -c '...'`,
    `command eval "..."`), with the wrapper's own options and operands left out; `args`
    when it is no wrapper, or its words cannot be told apart."""
    wrapper = _WRAPPERS.get(args[0].literal or "") if args else None
    if wrapper is None:
        return args
    values, operands = wrapper
    index = 1
    while index < len(args):
        word = args[index].literal
        if word is None and not _names_a_command(args[index]):
            return args
        if word is None:
            break
        if word == "--":
            index += 1
            break
        if not word.startswith("-") and not (args[0].literal == "env" and "=" in word):
            break
        index += 2 if word in values else 1
    return args[index + operands :] if index + operands < len(args) else args


# Commands that run the command after them: their options that take a value, and how many
# operands come before the command (timeout's duration).
_WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    "command": (frozenset(), 0),
    "builtin": (frozenset(), 0),
    "exec": (frozenset({"-a"}), 0),
    "sudo": (frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user",
                        "--group", "--chdir", "--prompt", "--host"}), 0),
    "timeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), 1),
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "nohup": (frozenset(), 0),
    "stdbuf": (frozenset({"-i", "-o", "-e"}), 0),
    "env": (frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}), 0),
}  # fmt: skip
_MAX_WRAPPERS = 8
# A command that runs text as commands, behind an unknown wrapper (`$SUDO bash -c '...'`).
_RUNS_TEXT = frozenset({*_WRAPPERS, *_SHELLS, "eval", "ssh"})


def _ssh_no_input(option: str) -> bool:
    """Whether an ssh option reads no input (`-n`, also in a group: `-nT`)."""
    return not option.startswith("--") and "n" in option[1:] and option not in _SSH_VALUES


# The options of ssh that take a value (`-p 2222`, `-i key`, `-o Opt=x`).
_SSH_VALUES = frozenset(
    {"-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p",
     "-Q", "-R", "-S", "-W", "-w"}
)  # fmt: skip


def _unknown_write(target: str) -> str:
    return (
        f"cannot know the lines written to {target[:80]} without running the script; the "
        "images in them are not audited (list the images in the script)"
    )


def _commands_given(script: str, replace_text: str) -> bool:
    """Whether an `xargs -I` script starts with its replace text: the lines read are the
    commands (`sh -c "{}"`), not arguments to one."""
    return script.lstrip(" \t").startswith(replace_text)


def _script_file(args: Sequence[_Arg]) -> int | None:
    """The index of the script file a command runs: `bash [options] FILE ...` (not `-c`,
    nor `-s`, which read their script elsewhere), or a command named as a script
    (`./pull-more.sh`, `scripts/pull.sh`)."""
    command = args[0].literal if args else None
    if command is None:
        return None
    if command.rsplit("/", 1)[-1] in _SHELLS:
        words = [arg.literal for arg in args[1:]]
        for index, word in enumerate(words, 1):
            if word is None or not word.startswith("-"):
                return index  # a file not known (`bash "$1"`) is warned about, not skipped
            if word in ("-c", "-s", "--"):
                return None
        return None
    return 0 if command.endswith((".sh", ".bash")) else None


def _runs_a_script(args: Sequence[_Arg]) -> bool:
    """Whether `args` is a shell that runs a script not written out here: `sh -c` with a
    script whose text is not known, or a shell with options only (`sh`, `bash -s`), which
    runs the lines it reads."""
    shell = args[0].literal if args else None
    if shell is None or shell.rsplit("/", 1)[-1] not in _SHELLS:
        return False
    words = [arg.literal for arg in args[1:]]
    if "-c" in words:
        return True
    return all(word is not None and word.startswith("-") for word in words) and "--" not in words


# `NAME[KEY]`, as `unset` names one element.
_ELEMENT = LazyPattern(r"([A-Za-z_][A-Za-z0-9_]*)\[([^\]]+)\]")
_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
# Commands that run a command given as text, as another user or group.
_TEXT_RUNNERS = frozenset({"su", "sg", "runuser"})


def _command_text(args: Sequence[_Arg]) -> tuple[str | None] | None:
    """The text `su -c 'CMD' user` or `sg docker -c 'CMD'` runs, in a tuple (None: a text
    not known); None when `args` run no such text."""
    if not args or args[0].literal not in _TEXT_RUNNERS:
        return None
    for index, arg in enumerate(args[1:], 1):
        if arg.literal in ("-c", "--command") and index + 1 < len(args):
            return (args[index + 1].literal,)
        if arg.literal is not None and arg.literal.startswith("--command="):
            return (arg.literal.split("=", 1)[1],)
    return None


@record
class _Text:
    """The text of a command a runner runs elsewhere (None: not known)."""

    runner: str
    text: str | None
    login: bool = False  # no text: the shell there runs the lines the command reads


# A command run elsewhere: its words there, or its text.
_Elsewhere = list[_Arg] | _Text


def _elsewhere(args: Sequence[_Arg]) -> _Elsewhere | None:
    """What a command runs in a container, a machine or a host: the words of the command
    (`docker exec [options] C CMD...`, `kubectl exec P -- CMD...`), or the text of one
    (`vagrant ssh -c TEXT`, `gcloud compute ssh VM --command TEXT`; without one, a login
    there); None for any other command, or one that runs nothing (`docker exec C` alone)."""
    words = [arg.literal for arg in args]
    key = tuple(words[:3]) if words[:1] == ["gcloud"] else tuple(words[:2])
    if key in _TEXT_OPTIONS:
        runner = " ".join(word or "" for word in key)
        return _option_text(args, len(key), runner) or _Text(runner, None, login=True)
    if key not in _EXECUTORS:
        return _container_run(args)
    values, dashes = _EXECUTORS[key]
    index = len(key)
    while index < len(args) and (words[index] or "").startswith("-") and words[index] != "--":
        flag = words[index] or ""
        index += 2 if flag in values and "=" not in flag else 1
    if dashes:  # `kubectl exec P -- CMD`: the command is after the `--`
        index = words.index("--", index) + 1 if "--" in words[index:] else index + 1
    else:
        index += 1  # the container
    return list(args[index:]) or None


def _container_run(args: Sequence[_Arg]) -> list[_Arg] | None:
    """The command `docker run [options] IMAGE CMD...` runs in the container (with the
    `--entrypoint` it is given to, as its first word); None for no such command."""
    found = container_command([arg.literal for arg in args])
    if found is None:
        return None
    start, entrypoint = found
    inner = list(args[start:])
    if entrypoint is not None:  # `--entrypoint sh IMAGE -c '...'`
        inner.insert(0, _Arg(args[start - 1].node, (Alt(entrypoint),), entrypoint))
    return inner


def _option_text(args: Sequence[_Arg], start: int, runner: str) -> _Text | None:
    """The text after `-c`/`--command` (or `--command=`), if the command has one."""
    for index in range(start, len(args)):
        word = args[index].literal
        if word in ("-c", "--command"):
            given = args[index + 1].literal if index + 1 < len(args) else None
            return _Text(runner, given)
        if word is not None and word.startswith("--command="):
            return _Text(runner, word.split("=", 1)[1])
    return None


# Commands that run a command in a container or a machine: their options that take a
# value, and whether the command follows a `--` (`kubectl exec POD -- CMD`).
_EXEC_VALUES = frozenset({"-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir",
                          "--detach-keys"})  # fmt: skip
_KUBE_VALUES = frozenset({"-n", "--namespace", "-c", "--container", "-f", "--filename",
                          "--context", "--kubeconfig", "--pod-running-timeout"})  # fmt: skip
_EXECUTORS: dict[tuple[str | None, ...], tuple[frozenset[str], bool]] = {
    **{(tool, "exec"): (_EXEC_VALUES, False) for tool in ("docker", "podman", "nerdctl", "finch")},
    **{(tool, "exec"): (_KUBE_VALUES, True) for tool in ("kubectl", "oc")},
    **{(tool, "exec"): (frozenset({"-n", "--working-directory", "--cwd", "--env", "--user"}), True)
       for tool in ("multipass", "lxc", "incus")},
}  # fmt: skip
# Commands that run a command given as text on a machine: `vagrant ssh [NAME] -c TEXT`.
_TEXT_OPTIONS = frozenset({("vagrant", "ssh"), ("gcloud", "compute", "ssh")})


def _shell_script(args: Sequence[_Arg]) -> str | None:
    """The script of `sh -c 'SCRIPT' ...` when its text is known."""
    shell = args[0].literal if args else None
    if shell is None or shell.rsplit("/", 1)[-1] not in _SHELLS:
        return None
    if len(args) < 3 or args[1].literal != "-c":
        return None
    return args[2].literal


_UNNAMED_PULL_WARNING = (
    "kubeadm config images pull pulls the images of its Kubernetes version without naming "
    "them; they are not audited (list them in the script: `kubeadm config images list` "
    "prints them)"
)
# The most environments one compose file is read under (a script that exports other
# values in a loop): the reading under the first serves the others.
MAX_COMPOSE_READINGS = 8
# A variable's value, an array's elements and a name reference's target before a function
# made the name local.
_Outer = tuple["Values | None", "dict[str, Values] | None", "str | None"]
# A compose file's services' images and its warnings (see `compose.pulled_images`).
_Composed = tuple[list["Service"], list[tuple[str | None, Diagnostic]]]
# The files `docker compose` reads when none is named: the first of each group that exists.
_DEFAULTS = (
    ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"),
    ("compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml",
     "docker-compose.override.yml"),
)  # fmt: skip
_COMPOSE_FILE_UNKNOWN = (
    "cannot know which compose file this reads without running the script; the images of "
    "its services are not audited (name the file literally)"
)
_TOO_LARGE = (
    f"the file is larger than {MAX_LIST_BYTES >> 20} MiB, more than a list of images needs; "
    "its images are not read"
)
_SYNC_FILE_UNKNOWN = (
    "cannot know which file this skopeo sync reads without running the script; the images "
    "it lists are not audited (name the file literally)"
)


def _unknown_export(path: str, name: str) -> str:
    return (
        f"{path}: cannot know the value of ${name}, which the pull script exports for "
        "compose; its images are read with the .env file's value or the default"
    )


_VARIABLE_USE = LazyPattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _variables_in(text: str) -> frozenset[str]:
    """The names of the variables `text` uses: `$NAME`, `${NAME...}`."""
    return frozenset(_VARIABLE_USE.findall(text))


def _unread(name: str, kind: str, what: str) -> str:
    return (
        f"cannot read {name}: the repository has no such {kind} beside the script or at its "
        f"root; {what} are not audited"
    )


def _too_large(path: str) -> Diagnostic:
    return Diagnostic(Location(path, 1), _TOO_LARGE)


def _pulls_unnamed(words: Sequence[str | None]) -> bool:
    """Whether the command pulls images it does not name: `kubeadm config images pull`
    pulls the control plane of its Kubernetes version (flags may stand between)."""
    names = [(word or "").rsplit("/", 1)[-1] for word in words]
    if "kubeadm" not in names:
        return False
    rest = [name for name in names[names.index("kubeadm") + 1 :] if not name.startswith("-")]
    return any(rest[index : index + 3] == ["config", "images", "pull"] for index in range(4))


def _first(paths: Iterable[str | None]) -> str | None:
    return next((path for path in paths if path is not None), None)


def _repository_paths(script: str, name: str, cwd: Sequence[str] = ()) -> list[str]:
    """Where a file the script names may be: in the folder the script changed to (`cwd`,
    the places it may be), beside the script, or from the root.

    Only paths inside the repository: an absolute path or one that climbs out is not read.
    """
    if name.startswith("/") or "\0" in name:
        return []
    found = []
    for base in _script_bases(script, cwd):
        path = posixpath.normpath(posixpath.join(base, name)) if base else posixpath.normpath(name)
        if path != ".." and not path.startswith("../") and path not in found:
            found.append(path)
    return found


def _endless(node: Node, condition: Node) -> bool:
    """Whether a `while` or `until` loop's test always lets the body run: `while true`,
    `while :`, `until false`."""
    written = text(condition).strip().rstrip(";").strip()
    if node.children and node.children[0].type == "until":
        return written in ("false", "/bin/false")
    return written in ("true", ":", "/bin/true")


def _too_many_globbed(pattern: str, last: str) -> str:
    return (
        f"{pattern} names more than {MAX_GLOBBED} files of the repository; those after {last}"
        " are not read, and the images in them are not audited (name fewer files)"
    )


def _script_bases(script: str, cwd: Sequence[str] = ()) -> tuple[str, ...]:
    """The folders a relative name the script writes is read from, in order (see
    `_repository_paths`): where it changed to, its own folder, the root."""
    folder = script.rsplit("/", 1)[0] if "/" in script else ""
    return (*cwd, folder, "")


def _xargs_input(
    items: Values, replace_text: str | None, line: int, budget: Budget, *, quoted: bool
) -> Values:
    """The items xargs reads from `items`: with `-I`, each line is one, blanks and all;
    else each word is one; quotes and backslashes read as xargs reads them (`quoted`: not
    under -0 nor -d)."""
    if quoted:
        return xargs_items(items, line, budget, lines=replace_text is not None)
    return split_lines(items) if replace_text is not None else split_words(items)


# Files of data, not lists of images, that a script reads line by line (grep, awk, cat).
_DATA_FILE_SUFFIXES = (".yml", ".yaml", ".json", ".toml", ".xml", ".tf", ".hcl", ".ini")


def _single_stars(pattern: str) -> str:
    """`pattern` with each `**` segment a `*`: what it is to bash without `shopt -s
    globstar` (`TreeFiles.glob` reads `**` as globstar's)."""
    return "/".join("*" if segment == "**" else segment for segment in pattern.split("/"))


def _globbed(node: Node) -> bool:
    """Whether bash expands a word as a glob of files: its glob characters written out
    of quotes (`k8s/*.yaml`), or an unquoted expansion (`$PATTERN`) that may give them."""
    if node.type == "concatenation":
        return any(_globbed(child) for child in node.children)
    if node.type == "word":
        return bool(_GLOBS & set(text(node)))  # not `"lists/*"x`: its star is quoted
    return node.type in _SPLIT_EXPANSIONS


def _declared_names(node: Node) -> list[str]:
    """The names a declaration (`declare -A NAME`, `export A=1 B`) declares."""
    found = []
    for child in node.named_children:
        name = child.child_by_field_name("name") if child.type != "variable_name" else child
        if name is not None:
            found.append(text(name))
    return found


def _constant_assignments(node: Node) -> dict[str, frozenset[str] | None]:
    """The texts each variable is set to by `NAME=text` in `node`, where every assignment
    of it there is a fixed text (a word or a quoted string with no expansion, escape or
    glob); None for a name also set otherwise (`+=`, `$x`, arithmetic, a substitution)."""
    found: dict[str, frozenset[str] | None] = {}
    stack = [node]
    while stack:
        current = stack.pop()
        stack.extend(current.children)
        name = current.child_by_field_name("name")
        if current.type != "variable_assignment" or name is None or name.type != "variable_name":
            continue
        fixed, before = _fixed_text(current), found.get(text(name), frozenset())
        found[text(name)] = None if fixed is None or before is None else before | {fixed}
    counted = _assigned_in(node, plain=False)  # `((n++))`, `let n+=1`
    return {**found, **dict.fromkeys(counted)}


_FIXED_WORD = LazyPattern(r"[^\\$`*?\[\]{}~'\"]*")


def _fixed_text(assignment: Node) -> str | None:
    """The text `NAME=text` sets when it is fixed (`X=a`, `X="a b"`, `X='a'`, `X=`);
    None for `+=` and any value with an expansion, an escape or a glob."""
    if any(child.type == "+=" for child in assignment.children):
        return None
    value = assignment.child_by_field_name("value")
    if value is None:
        return ""
    written = text(value)
    if value.type == "word" and _FIXED_WORD.fullmatch(written):
        return written
    if value.type == "raw_string":
        return written[1:-1]
    if value.type == "string" and _FIXED_WORD.fullmatch(written[1:-1]):
        return written[1:-1]
    return None


def _assigned_in(node: Node, plain: bool = True) -> set[str]:
    """The variables a loop's statements may assign: by `NAME=value` (unless not `plain`)
    and by arithmetic (`((n++))`, `i=$((i + 1))`, `let i+=1`)."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind == "variable_assignment" and plain:
            name = current.child_by_field_name("name")
            if name is not None and name.type == "variable_name":
                names.add(text(name))
        elif kind == "arithmetic_expansion" or is_arithmetic(current):
            names |= assigned_names(text(current))
            continue
        elif kind == "command" and _is_let(current):
            names |= assigned_names(" ".join(text(word) for word in command_words(current)[1:]))
            continue
        stack.extend(current.children)
    return names


def _fills(node: Node) -> bool:
    """Whether `node` is a loop that only sets variables (`for l in $(cat f); do
    LIST[$n]=$l; ((n++)); done`): like an assignment, it leaves the header above it to
    the command after it that uses what it set."""
    body = node.child_by_field_name("body") if node.type in _LOOPS else None
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    return bool(statements) and all(_sets_only(statement) for statement in statements)


_LOOPS = frozenset({"for_statement", "c_style_for_statement", "while_statement"})


def _sets_only(node: Node) -> bool:
    """Whether a statement only sets what later ones read: variables, a counter, a file
    it writes (`grep image: deploy.yaml > images.list || true`), a function."""
    if node.type in _ASSIGNMENTS or node.type == "function_definition":
        return True
    if node.type == "compound_statement":
        return is_arithmetic(node)
    if node.type == "redirected_statement":
        return any(_writes_to_a_file(redirect) for redirect in redirects(node))
    if node.type == "list":  # `... > list.txt || true`
        parts = _list_parts(node)
        return bool(parts) and all(_sets_only(part) or _does_nothing(part) for part in parts)
    return node.type == "command" and _is_let(node)


def _unknown_option(use: ImageUse) -> str:
    option = (use.unknown_option or "")[:80]
    return (
        f"{use.tool} {use.verb}: the option {option} is not one the reader knows; if it takes "
        f"a value, that value was read as the image (write it {option}=VALUE)"
    )


def _lines_read(stdin: Values, whole: bool) -> tuple[Values, bool]:
    """What one `read -a` takes of its input, and whether it is lines one after another
    (their fields numbered on from line to line): with `-d ''` (up to a NUL) the whole of
    a file's or a heredoc's lines, in order; otherwise the first line."""
    if whole and isinstance(stdin, Lines):
        return tuple(stdin), bool(stdin)
    numbered = _file_lines(stdin) if whole else None
    if numbered:
        return tuple(item for _, item in numbered), True
    return _first_line(stdin), False


# What a read goes over for one step of the budget (a step is about 4 µs of the reader).
_VALUES_PER_STEP = 4


_NO_NUL = (
    "`read -d ''` reads up to a NUL, which a file, a heredoc or a herestring holds none of: "
    "it reads all of it at once and fails at its end, so the loop runs no pass, as in bash "
    "(write `while read -r x` to read its lines)"
)


def _columns(rows: Sequence[Sequence[Item]], width: int | None) -> list[Values]:
    """The values of each column of `rows`, `width` of them (None: as many as the longest
    row has; an array's rows may be of any length, and an element a row has not is not
    its value), in one walk of the rows."""
    columns: list[list[Item]] = [[] for _ in range(width or 0)]
    for row in rows:
        if width is None and len(row) > len(columns):
            columns.extend([] for _ in range(len(row) - len(columns)))
        for column, item in zip(columns, row, strict=False):
            column.append(item)
    return [unique(column) for column in columns]


def _split_cost(lines: Values) -> int:
    """The steps of cutting `lines` into fields: one for each `_VALUES_PER_STEP` lines,
    and one for each `_SPLIT_CHARACTERS` characters walked (a line of a MiB holds half a
    million fields)."""
    walked = sum(len(item.text) for item in lines if isinstance(item, Alt))
    return len(lines) // _VALUES_PER_STEP + walked // _SPLIT_CHARACTERS


# Characters a field split walks in a step of the budget (about 0.13 µs each).
_SPLIT_CHARACTERS = 32


def _first_line(lines: Values) -> Values:
    """What one `read` takes of its input: a file's first line; the alternatives a
    variable may stand for otherwise, each read as a first line."""
    return _first_and_rest(lines)[0]


def _first_and_rest(lines: Values) -> tuple[Values, Values | None]:
    """`_first_line` of `lines`, and the lines after it where they are a file's, a
    heredoc's or a herestring's (None for any other values: alternatives, not lines one
    after another)."""
    if isinstance(lines, Lines):
        return lines.first(), lines.rest()
    numbered = _file_lines(lines)
    if not numbered:  # not a file's lines, or none
        return lines, None
    first = min(number for number, _ in numbered)
    return (
        tuple(item for number, item in numbered if number == first),
        tuple(item for number, item in numbered if number != first),
    )


def _mapped(lines: Values, numbers: dict[str, int]) -> list[tuple[int, Values]]:
    """The elements `mapfile -s SKIP -n COUNT` makes of `lines`, by index. Lines one after
    another (a file's, a heredoc's) are each an element at its place, as bash reads them:
    a comment or an empty line too, though it holds no value (a list's `#` lines are no
    images, but `"${L[@]:1}"` skips a header line, and `${#L[@]}` counts it). Other values
    are each an element, in turn."""
    placed = _placed(lines, numbers) if isinstance(lines, Lines) else None
    return placed if placed is not None else list(enumerate(_lines_kept(lines, numbers)))


def _placed(lines: Lines, numbers: dict[str, int]) -> list[tuple[int, Values]] | None:
    """Each line's values at its index; None past the bound of an array (thousands of
    empty lines before an image: its values are then each an element, in turn)."""
    skip, count = numbers.get("-s", 0), numbers.get("-n", 0)
    found: dict[int, list[Item]] = {}
    for row, item in zip(lines.rows, lines, strict=True):
        if row >= skip and (not count or row < skip + count):
            found.setdefault(row - skip, []).append(item)
    ends = max(found, default=-1) + 1  # the lines after the last value are not known
    if ends > MAX_ELEMENTS:
        return None
    return [(index, unique(found.get(index, ()))) for index in range(ends)]


def _lines_kept(lines: Values, numbers: dict[str, int]) -> list[Values]:
    """The lines `mapfile -s SKIP -n COUNT` keeps, one value each. A file's lines come
    without its comments and blanks, so they are told by their line numbers there."""
    skip, count = numbers.get("-s", 0), numbers.get("-n", 0)
    split = split_lines(lines)
    numbered = _file_lines(split)
    if numbered is None:
        kept = list(split[skip : skip + count if count else None])
    else:
        kept = [item for n, item in numbered if n > skip and (not count or n <= skip + count)]
    return [(item,) for item in kept]


def _file_lines(lines: Values) -> list[tuple[int, Alt]] | None:
    """Each value with its line number, when `lines` are a repository file's (the values
    read from one carry its path and their line there); None for any other values."""
    numbered = [
        (item.line, item)
        for item in lines
        if isinstance(item, Alt) and item.path is not None and item.line
    ]
    return numbered if len(numbered) == len(lines) else None


def _cased(item: Item, case: str) -> Item:
    """A value assigned to a `declare -l` (or `-u`) variable: lowered (or raised)."""
    if not isinstance(item, Alt):
        return opaque(item)
    return replace(item, text=item.text.lower() if case == "l" else item.text.upper())


def _assigned_names(assignments: list[Node]) -> list[str]:
    names = (assignment.child_by_field_name("name") for assignment in assignments)
    return [text(name) for name in names if name is not None and name.type == "variable_name"]


def _texts(positionals: tuple[Values, ...] | None) -> tuple[tuple[str, ...], ...] | None:
    """The texts of a call's arguments, wherever they stand (an unknown one by its why)."""
    if positionals is None:
        return None
    return tuple(
        tuple(item.text if isinstance(item, Alt) else f"? {item.written}" for item in value)
        for value in positionals
    )


def _until_exit(statements: list[Node]) -> list[Node]:
    """The script's statements up to its first `exit` out of any condition or function:
    what follows never runs (a list of old images kept below `exit 0`)."""
    for index, node in enumerate(statements):
        words = command_words(node) if node.type == "command" else []
        if words and text(words[0]) == "exit":
            return statements[: index + 1]
    return statements


def _list_parts(node: Node) -> list[Node]:
    """The statements of `a && b || c ...`, which nests a list in a list for each operator:
    walked without recursion, as a pull request may chain thousands."""
    parts: list[Node] = []
    pending = [node]
    while pending:
        part = pending.pop()
        if part.type == "list":
            pending.extend(reversed(part.named_children))
        else:
            parts.append(part)
    return parts


def _writes_to_a_file(redirect: Node) -> bool:
    operators = [child.type for child in redirect.children if not child.is_named]
    target = redirect.named_children[-1] if redirect.named_children else None
    return (
        redirect.type == "file_redirect"
        and operators in ([">"], [">>"], [">|"])
        and target is not None
        and literal_text(target) != NULL_DEVICE
    )


def _does_nothing(node: Node) -> bool:
    return node.type == "command" and text(node) in ("true", ":")


def _is_let(node: Node) -> bool:
    words = command_words(node)
    return bool(words) and text(words[0]) == "let"


def _changed_in_loop(name: str, line: int) -> str:
    return (
        f"${name} changes from one pass of the loop at line {line} to the next, and its later "
        "values are not followed; the images they name are not audited"
    )


def _unknown_message(value: Unknown) -> str:
    if value.message is not None:
        return value.message
    return (
        f"cannot know the value of {value.why} without running the script; the image is not "
        "audited (set the variable in the script or list the image literally)"
    )


def _splits(node: Node) -> bool:
    """Whether bash splits the word's value on white space: only what an expansion out of
    quotes gives (`$LIST`, `$(cat list)`, `--opt=$X`); text written in the word is never
    split (`-e FOO="a b"`, `a\\ b`: `b` was read as the image of `docker run`)."""
    if node.type == "concatenation":
        return any(child.type in _SPLIT_EXPANSIONS for child in node.children)
    return node.type in _SPLIT_EXPANSIONS


def _many_words(word: Node, whole: bytes) -> bool:
    """Whether a word of an array may be several words whatever the values it holds: a
    whole array or the arguments (`"${LIST[@]}"`, `$@`, `${!MAP[@]}`), or out of quotes
    a glob or a brace expansion (not a pattern inside `${...}`: `${IMG%%:*}`)."""
    if _LISTS.search(whole):
        return True
    if word.type in ("string", "raw_string", "ansi_c_string"):
        return False
    return bool(_GLOB_OR_BRACES.search(_PLAIN_EXPANSION.sub(b"", whole)))


# `[@]`, `[*]`, `$@`, `${@:2}`, `${!PREFIX@}`: the expansions that are a list of words.
_LISTS = LazyPattern(rb"\[[@*]\]|\$[@*]|\$\{[@*]|\$\{![A-Za-z_][A-Za-z0-9_]*[@*]\}")
_GLOB_OR_BRACES = LazyPattern(rb"[*?\[]|\{[^{}]*(?:,|\.\.)")
_PLAIN_EXPANSION = LazyPattern(rb"\$\{[^{}]*\}")  # one with no expansion inside


_SPLIT_EXPANSIONS = frozenset(
    {"simple_expansion", "expansion", "command_substitution", "arithmetic_expansion"}
)


def _marked(item: Item, mark: frozenset[str]) -> Item:
    """`item` as an element of the array `mark` names (the constructor, not
    dataclasses.replace: this runs once per element of every array)."""
    if not isinstance(item, Alt):  # the known head of one not known is the array's too
        head = item.head
        if head is None:
            return item
        origins = head.origins | mark
        marked = Alt(head.text, head.line, head.column, head.scope, origins, head.weak, head.path)
        return replace(item, head=marked)
    origins = item.origins | mark
    return Alt(item.text, item.line, item.column, item.scope, origins, item.weak, item.path)


def _replaced(template: str, marker: str, items: Values) -> Values:
    head, _, tail = template.partition(marker)
    return tuple(
        replace(item, text=head + item.text + tail)
        if isinstance(item, Alt)
        else between(head, item, tail)
        for item in items
    )


_HANDLERS = {
    "compound_statement": _Reader._compound,
    "variable_assignment": _Reader._assignment,
    "variable_assignments": _Reader._assignments,
    "declaration_command": _Reader._declaration,
    "unset_command": _Reader._unset,
    "for_statement": _Reader._for,
    "c_style_for_statement": _Reader._c_for,
    "while_statement": _Reader._while,
    "if_statement": _Reader._if,
    "case_statement": _Reader._case,
    "redirected_statement": _Reader._redirected,
    "pipeline": _Reader._pipeline,
    "function_definition": _Reader._function,
    "subshell": _Reader._subshell,
    "command": _Reader._command,
    "list": _Reader._list,
}

# `"$@"`, `$@`, `"${@}"` and `"${@:2}"` (from the second argument on) as a whole word.
_ALL_ARGUMENTS = LazyPattern(r'"?\$(?:@|\{@(?::([1-9][0-9]{0,3}))?\})"?')
# Verbs that make an unknown command name a container tool: `$RUNTIME pull x`.
_TOOL_VERBS = frozenset({"pull", "save", "run", "create", "tag", "image", "images", "container"})
_MAPFILE_VALUE_FLAGS = frozenset({"-d", "-n", "-O", "-s", "-u", "-C", "-c"})


def _reads_to_end(words: Sequence[str | None]) -> bool:
    """Whether `read` is given `-d ''` (also `-rd ''`, `-d $'\\0'`, empty as bash reads
    it): it reads up to a NUL, the whole input. (`-d '\\0'` reads up to a backslash, which
    a list holds none of: the whole input too.)"""
    options = read_options(words)[0]
    return "d" in options and options["d"] in ("", "\\0")


def _read_array_name(words: Sequence[str | None]) -> str | None:
    """The NAME of `read -a NAME` (also `-ra NAME`, `-aNAME`), when it has one."""
    return read_options(words)[0].get("a")


_BUILTINS = {
    "continue": _Reader._loop_jump,
    "break": _Reader._loop_jump,
    "cd": _Reader._cd,
    "pushd": _Reader._cd,
    "popd": _Reader._cd,
    "let": _Reader._let,
    "source": _Reader._source,
    ".": _Reader._source,
    "eval": _Reader._eval,
    "read": _Reader._read,
    "mapfile": _Reader._mapfile,
    "readarray": _Reader._mapfile,
    "shift": _Reader._shift,
    "set": _Reader._set,
    "alias": _Reader._alias,
    "trap": _Reader._trap,
    "unalias": _Reader._unalias,
    "shopt": _Reader._shopt,
    "printf": _Reader._printf,
}


def _partly_known_reference(item: Unknown, reference: str) -> PartlyKnown | None:
    """A reference whose tag (or digest) is not known, or whose start is not known (a
    registry, `${REGISTRY}/team/app:1`, its tag maybe too), `reference` its known start;
    None when its name is not known."""
    split = unknown_tag_split(reference, item.after)
    if split is not None:
        return None, split[0], split[1] + (item.rest or item.why)
    return _start_not_known(item, reference)


def _start_not_known(item: Unknown, reference: str) -> PartlyKnown | None:
    """A reference whose start is not known (see `reference.unknown_start_split`)."""
    split = unknown_start_split(reference, item.after, item.gaps, (item.why, item.rest))
    if split is None:
        return None
    cut, known, tag_start = split
    written = reference + (item.rest or item.why)
    following = item.after[cut : cut + 1 + len(known) + len(tag_start or "")]
    # Where the known text from the `/` on stands in the text as written; a long one the
    # report shows shortened (see `Unknown.rest`), and then its start is the expression.
    if tag_start is None:
        at = len(written) - len(following) if written.endswith(following) else -1
    else:
        at = written.rfind(following, len(reference))
    if at < 0:
        start = reference + item.why + "/"
        return start, known, None if tag_start is None else f"{tag_start}..."
    start = written[: at + 1]
    return start, known, None if tag_start is None else written[len(start) + len(known) :]


def _known_start(item: Item) -> tuple[Alt, Unknown | None] | None:
    """The known text a value starts with, and the value when it goes on not known."""
    if isinstance(item, Alt):
        return item, None
    return None if item.head is None else (item.head, item)


def _listed_reference(item: Item) -> tuple[Alt, PartlyKnown] | None:
    """An element of a list of images as a reference: the text it stands in and the
    reference (see `_partly_known_reference`); None for no reference."""
    if isinstance(item, Alt):
        return (item, (None, item.text, None)) if item.text else None
    if item.head is None:
        return None
    split = _partly_known_reference(item, item.head.text.lstrip())
    return None if split is None else (item.head, split)
