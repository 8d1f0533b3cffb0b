"""One sticky comment per pull request and per configuration.

A comment is ours when its body *starts* with our hidden marker and its author
is the token's identity, across every page of the pull request's comments: a
user, or another bot signed by the same account, quoting the marker is never
edited or deleted, and a second workflow (another marker id) never fights this
one. Two runs racing may both create one: the oldest is kept, the others deleted.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ..records import record
from .client import GitHubClient, GitHubError

# Comments written with the workflow's GITHUB_TOKEN are signed by this account,
# which cannot read its own profile (`GET /user` answers 403).
ACTIONS_BOT = "github-actions[bot]"


# Hide an outdated comment as GitHub's "Hide > Outdated" does; REST has no such call.
MINIMIZE = (
    "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) "
    "{ minimizedComment { isMinimized } } }"
)


class Lifecycle(StrEnum):
    """What a new body does to the sticky comment (input `comment-mode`)."""

    UPDATE = "update"  # edit it in place: one comment for the whole pull request
    HIDE_AND_RECREATE = "hide-and-recreate"  # hide it as outdated, post a new one below
    ONLY_UPDATE = "only-update"  # edit one that exists; never create one


def marker(comment_id: str) -> str:
    return f"<!-- image-docs-audit: sticky comment {comment_id} -->"


def outdated_marker(comment_id_marker: str) -> str:
    """The marker a hidden comment gets instead: it is no longer the sticky one."""
    return comment_id_marker.replace(": sticky comment ", ": outdated comment ", 1)


@record
class CommentResult:
    action: str  # "created", "updated", "recreated", "unchanged", "skipped"
    url: str | None
    deleted: int = 0  # duplicates removed
    hidden: bool = False  # the outdated comment was hidden (hide-and-recreate)


def upsert_comment(
    client: GitHubClient,
    repository: str,
    number: int,
    body: str,
    mark: str,
    *,
    create: bool,
    lifecycle: Lifecycle = Lifecycle.UPDATE,
) -> CommentResult:
    """Post `body` (which holds `mark`) as the sticky comment, or update the one there is.

    With `create=False`, or `Lifecycle.ONLY_UPDATE`, an existing comment is updated but
    none is created; with `Lifecycle.HIDE_AND_RECREATE` a changed body hides the old
    comment and is posted as a new one.
    """
    if not body.startswith(mark):
        raise ValueError("the comment body must start with its marker")
    body = valid_utf8(body)
    author = _author(client)
    path = f"/repos/{repository}/issues/{number}/comments"
    mine = [c for c in client.paginate(path) if _is_ours(c, mark, author, path)]
    mine.sort(key=lambda comment: int(comment["id"]))
    deleted = _delete_duplicates(client, repository, mine[1:])
    if not mine:
        if not create or lifecycle is Lifecycle.ONLY_UPDATE:
            return CommentResult("skipped", None, deleted)
        created = client.request("POST", path, json={"body": body}).data
        return CommentResult("created", _url(created), deleted)
    kept = mine[0]
    if kept.get("body") == body:
        return CommentResult("unchanged", _url(kept), deleted)
    if lifecycle is Lifecycle.HIDE_AND_RECREATE:
        hidden = _retire(client, repository, kept, mark)
        created = client.request("POST", path, json={"body": body}).data
        return CommentResult("recreated", _url(created), deleted, hidden)
    comment_path = f"/repos/{repository}/issues/comments/{kept['id']}"
    updated = client.request("PATCH", comment_path, json={"body": body}).data
    return CommentResult("updated", _url(updated) or _url(kept), deleted)


def _retire(client: GitHubClient, repository: str, comment: dict[str, Any], mark: str) -> bool:
    """Take the sticky marker off `comment` and hide it as outdated; whether it is hidden.

    The marker goes first, so the comment is no longer ours to find even when hiding
    fails (an Enterprise server without the call, a token that may not): the new comment
    is posted all the same.
    """
    body = str(comment.get("body", ""))
    retired = outdated_marker(mark) + body.removeprefix(mark)
    comment_path = f"/repos/{repository}/issues/comments/{comment['id']}"
    client.request("PATCH", comment_path, json={"body": retired})
    node_id = comment.get("node_id")
    if not isinstance(node_id, str):
        return False
    try:
        client.graphql(MINIMIZE, {"id": node_id})
    except GitHubError:
        return False
    return True


def _author(client: GitHubClient) -> str:
    try:
        user = client.request("GET", "/user")
    except GitHubError as error:
        if error.status not in (401, 403, 404):
            raise
        return ACTIONS_BOT
    if not isinstance(user.data, dict):  # a proxy's answer, not GitHub's
        raise GitHubError(user.status, "expected a JSON object", method="GET", path="/user")
    login = user.data.get("login")
    return login if isinstance(login, str) else ACTIONS_BOT


def _is_ours(comment: Any, mark: str, author: str, path: str) -> bool:
    """Whether `comment` is the sticky one (or a duplicate of it). Ours must have the numeric
    `id` every later call is built on; anything else in the list is simply not ours."""
    if not isinstance(comment, dict):
        return False
    user = comment.get("user")
    body = comment.get("body")
    ours = (
        isinstance(body, str)
        and body.startswith(mark)
        and isinstance(user, dict)
        and user.get("login") == author
    )
    comment_id = comment.get("id")
    if ours and (not isinstance(comment_id, int) or isinstance(comment_id, bool)):
        raise GitHubError(200, "our comment has no numeric id", method="GET", path=path)
    return ours


def valid_utf8(text: str) -> str:
    """`text` as GitHub can take it: a lone surrogate (a file name that is not UTF-8,
    should one slip past the renderers) is written as its escape, never an encoding error."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _delete_duplicates(client: GitHubClient, repository: str, extra: list[dict[str, Any]]) -> int:
    for comment in extra:
        client.request("DELETE", f"/repos/{repository}/issues/comments/{comment['id']}")
    return len(extra)


def _url(comment: Any) -> str | None:
    url = comment.get("html_url") if isinstance(comment, dict) else None
    return url if isinstance(url, str) else None
