"""One sticky comment per pull request and per configuration.

A comment is ours when its body *starts* with our hidden marker and its author
is the token's identity, across every page of the pull request's comments: a
user, or another bot signed by the same account, quoting the marker is never
edited or deleted, and a second workflow (another marker id) never fights this
one. Two runs racing may both create one: the oldest is kept, the others deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .client import GitHubClient, GitHubError

# Comments written with the workflow's GITHUB_TOKEN are signed by this account,
# which cannot read its own profile (`GET /user` answers 403).
ACTIONS_BOT = "github-actions[bot]"


def marker(comment_id: str) -> str:
    return f"<!-- image-docs-audit: sticky comment {comment_id} -->"


@dataclass(frozen=True)
class CommentResult:
    action: str  # "created", "updated", "unchanged", "skipped"
    url: str | None
    deleted: int = 0  # duplicates removed


def upsert_comment(
    client: GitHubClient,
    repository: str,
    number: int,
    body: str,
    mark: str,
    *,
    create: bool,
) -> CommentResult:
    """Post `body` (which holds `mark`) as the sticky comment, or update the one there is.

    With `create=False` an existing comment is updated but none is created.
    """
    if not body.startswith(mark):
        raise ValueError("the comment body must start with its marker")
    body = valid_utf8(body)
    author = _author(client)
    path = f"/repos/{repository}/issues/{number}/comments"
    mine = [c for c in client.paginate(path) if _is_ours(c, mark, author)]
    mine.sort(key=lambda comment: int(comment["id"]))
    deleted = _delete_duplicates(client, repository, mine[1:])
    if not mine:
        if not create:
            return CommentResult("skipped", None, deleted)
        created = client.request("POST", path, json={"body": body}).data
        return CommentResult("created", _url(created), deleted)
    kept = mine[0]
    if kept.get("body") == body:
        return CommentResult("unchanged", _url(kept), deleted)
    comment_path = f"/repos/{repository}/issues/comments/{kept['id']}"
    updated = client.request("PATCH", comment_path, json={"body": body}).data
    return CommentResult("updated", _url(updated) or _url(kept), deleted)


def _author(client: GitHubClient) -> str:
    try:
        login = client.request("GET", "/user").data.get("login")
    except GitHubError as error:
        if error.status not in (401, 403, 404):
            raise
        return ACTIONS_BOT
    return login if isinstance(login, str) else ACTIONS_BOT


def _is_ours(comment: Any, mark: str, author: str) -> bool:
    if not isinstance(comment, dict):
        return False
    user = comment.get("user") or {}
    body = comment.get("body")
    return isinstance(body, str) and body.startswith(mark) and user.get("login") == author


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
