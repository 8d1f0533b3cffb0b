"""`mode: comment`: post a comment body that an earlier, unprivileged run rendered.

The safe split for fork pull requests: the check runs on `pull_request` with a read-only
token and uploads the rendered body; a `workflow_run` workflow, which never runs the pull
request's code, posts it with a write token. The body comes from that artifact, which a
fork can change (it can edit the first workflow), so it is untrusted here: the pull request
is taken from the `workflow_run` event, its @mentions cannot ping nor its issue references
leave a note in an issue, the body is capped,
and the only write is the one sticky comment (our marker is put first, whatever it says).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from .client import GitHubClient
from .comment import CommentResult, Lifecycle, marker, upsert_comment

MAX_BODY = 60_000  # characters, after escaping; GitHub refuses more than 65,536
_CUT_NOTE = "\n\n_… the comment was cut; see the job summary of the check._\n"
# Markdown turns a character reference into the character: `&#64;`, `&#x40;` and `&commat;`
# are an `@` to GitHub's mention filter, which reads the rendered text.
_AT_REFERENCE = re.compile(r"&(?:#0*64|#[xX]0*40|commat);")
# An `@` that may ping: one not after a letter or digit (`ops@example.com` does not). After
# `_` it may: `__a__@name` is bold `a`, then `@name`. Whatever follows it counts, since a
# name can be spelled with references too (`@&#97;dmin`). One the check already broke
# (`@&#8203;name`, as it renders every mention) is left as it is.
_ZERO_WIDTH_SPACE = "&#8203;"
_MENTION = re.compile(r"(?<![A-Za-z0-9])@(?!" + _ZERO_WIDTH_SPACE + ")")
# As render/escape.py's, where Markdown's character references are read as GitHub reads
# them (`&#35;&#49;` is `#1`), and the `#` of one (`&#8203;`) is none.
_HASH = r"(?:(?<!&)#|&#0*35;|&#x0*23;|&num;)"
_DIGIT = r"(?:\d|&#0*(?:4[89]|5[0-7]);|&#x0*3\d;)"
_HYPHEN = r"(?:-|&#0*45;|&#x0*2d;)"
_ISSUE_REFERENCE = re.compile(rf"({_HASH}|\bGH{_HYPHEN})(?={_DIGIT})", re.IGNORECASE)
# A link to an issue or a pull request (`https://github.com/o/r/issues/1`) leaves a note
# in its timeline as a reference does: its host is broken by a zero-width space.
_ISSUE_URL = re.compile(r"github\.com(?=/[^/\s]+/[^/\s]+/(?:issues|pull|discussions)/\d)")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
# A reference the cut would leave half-written (`@&#82`): dropped whole.
_PARTIAL_REFERENCE = re.compile(r"&#?[0-9A-Za-z]*\Z")
_OUR_MARKER = re.compile(r"\A\s*<!-- image-docs-audit: sticky comment [^>]*-->\s*")


def read_body(path: Path) -> str:
    """The body file, at most MAX_BODY characters read; any bytes decode."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BODY * 4 + 1)
    except OSError as error:
        message = f"cannot read the comment body ({error.strerror}); check 'comment-body-file'"
        raise InputError(str(path), message) from None
    return data.decode("utf-8", "replace")


def inert_body(text: str, comment_id: str) -> str:
    """`text` as the sticky comment: our marker first, no mention pings, capped.

    The cap comes last: escaping makes each `@` seven characters longer, so a body cut
    before it could still pass GitHub's limit.
    """
    text = _OUR_MARKER.sub("", text, count=1)
    text = _MENTION.sub("@" + _ZERO_WIDTH_SPACE, _AT_REFERENCE.sub("@", text))
    text = _outside_code_spans(text, _broken_references, _broken_in_code)
    text = _ISSUE_URL.sub("github\u200b.com", text)
    if len(text) > MAX_BODY:
        text = _PARTIAL_REFERENCE.sub("", text[:MAX_BODY]) + _CUT_NOTE
    return f"{marker(comment_id)}\n{text}"


def _broken_references(text: str) -> str:
    """`#12`, `GH-12`, `owner/repo#12` with a zero-width space after the `#` or `-`: GitHub
    links each to an issue and writes a note into that issue's timeline, in any
    repository, for a comment the write token posts. The check breaks them as it renders
    (one it broke is left as it is); in code they are no references, and stay."""
    return _ISSUE_REFERENCE.sub(lambda found: found.group(1) + _ZERO_WIDTH_SPACE, text)


def _broken_in_code(code: str) -> str:
    """What looks like a code span, its references broken too, by the character itself:
    Markdown shows no `&#8203;` there, and the pairing of backticks above is no parser's
    (a span that is none, `` `x\n# see #1\n` `` a heading in it, is text GitHub links)."""
    return _ISSUE_REFERENCE.sub(lambda found: found.group(1) + "\u200b", code)


def _outside_code_spans(
    text: str, change: Callable[[str], str], inside: Callable[[str], str] = str
) -> str:
    """`text` with `change` applied to what lies outside its code spans (`inside` to
    what lies in them): a run of backticks opens one that the next run of as many
    backticks closes. Where Markdown may read text, so is it read: a run with none after
    it, after a backslash, or with a blank line before the next (a span ends with its
    paragraph). Linear in the runs: the runs of each length, and the blank lines, are
    found by bisection."""
    runs = [(found.start(), found.end()) for found in _BACKTICKS.finditer(text)]
    blanks = [found.start() for found in _BLANK_LINE.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for start, end in runs:
        by_length.setdefault(end - start, []).append(start)
    pieces, done, index = [], 0, 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        after = bisect_right(same, start)
        close = same[after] if after < len(same) else -1
        blank = bisect_left(blanks, end)
        paragraph_ends = blank < len(blanks) and blanks[blank] < close
        if close < 0 or text[start - 1 : start] == "\\" or paragraph_ends:
            index += 1  # the run is text
            continue
        pieces += [change(text[done:start]), inside(text[start : close + end - start])]
        done = close + end - start
        index = bisect_left(runs, (done, 0))
    pieces.append(change(text[done:]))
    return "".join(pieces)


def pull_request_of(client: GitHubClient, repository: str, event: dict[str, Any]) -> int | None:
    """The pull request the `workflow_run` event's run checked: from the event, never from
    the artifact. A fork's run lists none, so its head branch is looked up and the pull
    request kept only when its head commit is the run's."""
    run = event.get("workflow_run")
    if not isinstance(run, dict):
        return None
    pulls = run.get("pull_requests")
    for pull in pulls if isinstance(pulls, list) else []:
        number = _field(pull, "number")
        if isinstance(number, int):
            return number
    owner = _field(run, "head_repository", "owner", "login")
    branch, sha = run.get("head_branch"), run.get("head_sha")
    if not all(isinstance(value, str) for value in (owner, branch, sha)):
        return None
    params = {"state": "open", "head": f"{owner}:{branch}"}
    for pull in client.paginate(f"/repos/{repository}/pulls", params):
        if _field(pull, "head", "sha") == sha:
            number = _field(pull, "number")
            return number if isinstance(number, int) else None
    return None


def _field(value: object, *keys: str) -> object:
    """`value[key][key]...`, or None where a step is no object holding the key: an event
    or an answer of another shape says no pull request, it does not crash the poster."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def post(
    client: GitHubClient,
    repository: str,
    event: dict[str, Any],
    body: str,
    comment_id: str,
    *,
    lifecycle: Lifecycle = Lifecycle.UPDATE,
) -> CommentResult | None:
    """Create or update the sticky comment; None when the run was for no pull request."""
    number = pull_request_of(client, repository, event)
    if number is None:
        return None
    text = inert_body(body, comment_id)
    mark = marker(comment_id)
    return upsert_comment(client, repository, number, text, mark, create=True, lifecycle=lifecycle)
