"""Real git repositories for tests: commit a base, change it, commit a head."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ISOLATED = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    # Fixed dates: the same commits get the same ids, so golden files can show them.
    "GIT_AUTHOR_DATE": "2024-06-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-06-01T12:00:00+00:00",
}


def run_git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` with no user or system config, and return what it printed."""
    env = {**os.environ, **ISOLATED}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


class Repo:
    """A repository under `root` whose commits the test writes file by file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        return run_git(self.root, *args)

    def write(self, files: dict[str, str | None]) -> None:
        """Write (or, for None, delete) files in the working tree."""
        for path, text in files.items():
            target = self.root / path
            if text is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def commit(self, files: dict[str, str | None], message: str = "change") -> str:
        """Write the files, commit everything, and return the new commit's sha."""
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")
