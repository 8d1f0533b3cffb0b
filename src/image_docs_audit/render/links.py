"""Links that work where the Markdown is read.

A pull-request comment resolves a relative link under `/pull/N/`, where it 404s, so the
comment and the job summary link absolutely: `SERVER/OWNER/REPO/blob/SHA/PATH#LLINE`, at
the head commit for what is there and at the base commit for what the change deleted.
Without a repository URL there are no links at all, only plain paths: better no link
than one that leads nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..records import record
from .escape import md_url


@record
class Links:
    """Where the repository's files are shown: `repo_url` is `https://github.com/o/r`."""

    repo_url: str | None = None
    head_sha: str | None = None
    base_sha: str | None = None

    def head(self, path: str, line: int = 0) -> str | None:
        """The file at the head commit; None without a repository URL or head commit."""
        return _blob(self.repo_url, self.head_sha, path, line)

    def base(self, path: str, line: int = 0) -> str | None:
        """The file at the base commit: for what the change deleted or rewrote."""
        return _blob(self.repo_url, self.base_sha, path, line)


NO_LINKS = Links()


def _blob(repo_url: str | None, sha: str | None, path: str, line: int) -> str | None:
    if not repo_url or not sha:
        return None
    anchor = f"#L{line}" if line > 0 else ""  # line 0 stands for the whole file
    return f"{repo_url.rstrip('/')}/blob/{sha}/{md_url(path)}{anchor}"


def repo_url_from_env(env: Mapping[str, str]) -> str | None:
    """`GITHUB_SERVER_URL/GITHUB_REPOSITORY` when running inside GitHub Actions, else None."""
    if env.get("GITHUB_ACTIONS") != "true":
        return None
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    repository = env.get("GITHUB_REPOSITORY", "")
    if not server or repository.count("/") != 1:
        return None
    return f"{server}/{repository}"
