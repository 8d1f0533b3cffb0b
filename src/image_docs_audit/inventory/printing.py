"""Where a statement's output goes, and which statements print nothing.

A function's output (`$(list_images)`) is what its statements print, in order. A
statement that sets a variable, tests, shifts or makes a folder prints nothing, and
one whose standard output is redirected (`echo "pulling" >&2`, `> list.txt`,
`&> /dev/null`) prints nothing where the caller reads. Anything else may print: the
reader then knows what only where `streams.output` does.
"""

from __future__ import annotations

from collections.abc import Callable, Container

from tree_sitter import Node

from .bash_values import literal_text, text
from .syntax import command_words, is_arithmetic, redirects

# The known value of a word (a redirect's file), None when it is not known.
WordValue = Callable[[Node], "str | None"]

# Where a file descriptor points: the output being read, the script's standard error,
# somewhere else (a file, /dev/null, closed), or a place the reader does not follow.
_OUT, _ERR, _ELSEWHERE, _UNKNOWN = "out", "err", "elsewhere", "unknown"


def stdout_kept(node: Node, value: WordValue) -> bool | None:
    """Whether what a redirected statement writes to its standard output reaches the
    statement's own output: not after `>&2`, `> FILE`, `&> /dev/null` or `>&-`. The
    redirects apply left to right (`2>&1 >/dev/null` sends only standard output away).
    None where it cannot be told: a file named by a value not known (it may be
    /dev/stdout), a descriptor the script opened itself (`>&3`), `exec` redirecting the
    shell's own."""
    body = node.child_by_field_name("body")
    if body is not None and [text(word) for word in command_words(body)] == ["exec"]:
        return None  # `exec >&2` sends the output of every statement after it there
    targets = {1: _OUT, 2: _ERR}
    for redirect in redirects(node):
        if redirect.type == "file_redirect":
            _apply(redirect, targets, value)
    target = targets.get(1, _UNKNOWN)
    return None if target == _UNKNOWN else target == _OUT


def _apply(redirect: Node, targets: dict[int, str], value: WordValue) -> None:
    """One `N>FILE`, `N>&M`, `&>FILE` or `N>&-` applied to where each descriptor points."""
    operator = next((text(c) for c in redirect.children if not c.is_named), "")
    descriptor = next((c for c in redirect.children if c.type == "file_descriptor"), None)
    given = text(descriptor) if descriptor is not None else None
    if given is not None and not given.isdigit():
        return  # `{fd}>FILE` opens a descriptor of its own: 1 and 2 stay
    fd = int(given) if given is not None else (0 if operator.startswith("<") else 1)
    if operator.endswith("-"):  # `>&-`: closed, what is written reaches no one
        targets[fd] = _ELSEWHERE
        return
    destination = next((c for c in redirect.named_children if c.type != "file_descriptor"), None)
    name = value(destination) if destination is not None else None
    if operator in (">&", "<&") and (name is None or name.isdigit()):
        # `>&2`: a copy of that descriptor; `>& FILE` is `&> FILE`
        place = targets.get(int(name), _UNKNOWN) if name is not None else _UNKNOWN
        targets[fd] = place
        if given is None and name is None:
            targets[2] = place
        return
    place = _file_place(name, targets)
    if operator in ("&>", "&>>") or (operator == ">&" and given is None):
        targets[1] = targets[2] = place
    else:
        targets[fd] = place


def _file_place(name: str | None, targets: dict[int, str]) -> str:
    """Where writing to the file `name` goes (None: a name not known)."""
    if name is None:
        return _UNKNOWN
    if name in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"):
        return targets.get(1, _UNKNOWN)
    if name in ("/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"):
        return targets.get(2, _UNKNOWN)
    return _UNKNOWN if name.startswith(("/dev/fd/", "/proc/self/fd/")) else _ELSEWHERE


def prints_nothing(node: Node, functions: Container[str], value: WordValue) -> bool:
    """Whether a statement, whichever way its branches go, writes nothing to its output:
    assignments, tests, `shift`, `mkdir -p`, output sent elsewhere, and blocks, loops
    and branches made of such statements only. A call of a script function may print
    (`functions` names them)."""
    pending = [node]
    while pending:
        current = pending.pop()
        inner = _inner_statements(current, value)
        if inner is not None:
            pending.extend(inner)
        elif not _quiet(current, functions):
            return False
    return True


def _inner_statements(node: Node, value: WordValue) -> list[Node] | None:
    """The statements whose output is a compound statement's output (None: not one)."""
    kind = node.type
    if kind == "pipeline":  # the earlier stages write into the pipe
        found = [c for c in node.named_children if c.type != "comment"][-1:]
    elif kind == "redirected_statement":
        return _redirected_inner(node, value)
    elif kind == "case_statement":
        found = [c for c in node.named_children if c.type == "case_item"]
    elif kind == "case_item":  # the statements after the patterns' `)`
        close = next((i for i, c in enumerate(node.children) if c.type == ")"), len(node.children))
        found = [c for c in node.children[close + 1 :] if _statement(c)]
    elif kind in ("for_statement", "c_style_for_statement"):
        found = [body] if (body := node.child_by_field_name("body")) is not None else []
    elif kind in _BLOCKS and not is_arithmetic(node):
        found = [c for c in node.named_children if _statement(c)]
    else:
        return None
    return found


def _redirected_inner(node: Node, value: WordValue) -> list[Node] | None:
    kept = stdout_kept(node, value)
    if kept is False:
        return []
    body = node.child_by_field_name("body")
    if kept is None or body is None or any(_continues(r) for r in redirects(node)):
        return None  # not followed: it may print
    return [body]


def _continues(redirect: Node) -> bool:
    """`cat <<EOF | grep x`: a heredoc whose statement goes on after it."""
    return redirect.type == "heredoc_redirect" and any(
        _statement(c) for c in redirect.named_children
    )


def _statement(node: Node) -> bool:
    return node.is_named and node.type not in _NOT_STATEMENTS


def _quiet(node: Node, functions: Container[str]) -> bool:
    """Whether a simple statement prints nothing."""
    kind = node.type
    if kind in _QUIET_KINDS or (kind == "compound_statement" and is_arithmetic(node)):
        return True
    if kind == "declaration_command":  # `local x=1`, not `declare -p x` nor a bare `export`
        written = [text(c) for c in node.named_children]
        flags = "".join(w[1:] for w in written if w.startswith("-"))
        return any(not w.startswith("-") for w in written) and not set(flags) & set("pfF")
    if kind != "command":
        return False
    words = command_words(node)
    name = literal_text(words[0]) if words else None
    if name is None or name in functions:
        return False
    # A word not known stands for an operand: an option (`-v`) is written out.
    return _quiet_command(name, [literal_text(word) or "?" for word in words[1:]])


def _quiet_command(name: str, arguments: list[str]) -> bool:
    """Whether the command `name ARGUMENTS...` prints nothing (a builtin that only sets,
    or a tool that only changes files, without its verbose option)."""
    if name in _SILENT:
        return True
    quiet = _QUIET_WHEN.get(name)
    return quiet is not None and quiet(arguments)


def _not_verbose(arguments: list[str]) -> bool:
    options = [word for word in arguments if word.startswith("-") and word != "-"]
    return not any(w == "--verbose" or (w[1:2] != "-" and "v" in w) for w in options)


def _changes_directory(arguments: list[str]) -> bool:
    """`cd DIR`; `cd -` prints the folder (a CDPATH match would too: no script sets it)."""
    operands = [word for word in arguments if word not in ("-L", "-P", "-e", "-@")]
    return len(operands) == 1 and operands[0] != "-"


_QUIET_WHEN: dict[str, Callable[[list[str]], bool]] = {
    **dict.fromkeys(("mkdir", "touch", "rm", "cp", "mv", "ln", "chmod"), _not_verbose),
    "cd": _changes_directory,
    # `printf -v NAME ...` sets NAME
    "printf": lambda arguments: bool(arguments) and arguments[0].startswith("-v"),
    # bare `set` and `set -o` list the settings; `shopt NAME` prints whether it is set
    "set": lambda arguments: bool(arguments) and arguments[-1] not in ("-o", "+o"),
    "shopt": lambda arguments: bool({"-s", "-u", "-q"} & set(arguments)),
}


# Builtins and tools that print nothing on success (their errors go to standard error).
_SILENT = frozenset(
    {":", "true", "false", "shift", "let", "test", "[", "read", "mapfile", "readarray",
     "unset", "sleep", "wait"}
)  # fmt: skip
_QUIET_KINDS = frozenset(
    {"variable_assignment", "variable_assignments", "unset_command", "function_definition",
     "test_command", "comment"}
)  # fmt: skip
_BLOCKS = frozenset(
    {"compound_statement", "subshell", "list", "negated_command", "if_statement",
     "elif_clause", "else_clause", "do_group", "while_statement"}
)  # fmt: skip
_NOT_STATEMENTS = frozenset(
    {"comment", "heredoc_start", "heredoc_body", "heredoc_end", "file_redirect",
     "herestring_redirect", "heredoc_redirect", "word", "string", "raw_string",
     "concatenation", "simple_expansion", "expansion", "command_substitution", "number"}
)  # fmt: skip
