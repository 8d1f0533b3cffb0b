"""Renamed docs as git finds them, for the wording of a check: bounded however many change."""

from __future__ import annotations

import time
from pathlib import Path

from gitrepo import Repo
from image_docs_audit.renames import read_renames


def test_a_folder_moved_as_it_was_is_found_past_the_limit_of_edited_renames(
    tmp_path: Path,
) -> None:
    # Past 1,000 files, git compares no deleted file with every added one (2,000 of each
    # took 12 s), but finds the files moved as they were, however many.
    repo = Repo(tmp_path / "repo")
    docs = {f"docs/reports/r{n}.md": f"# report {n}\n" for n in range(1200)}
    repo.commit(docs)
    base = repo.git("rev-parse", "HEAD")
    moved = {f"documentation/r{n}.md": text for n, text in enumerate(docs.values())}
    repo.commit({**dict.fromkeys(docs), **moved})
    started = time.perf_counter()
    renames = read_renames(repo.root, base, repo.git("rev-parse", "HEAD"))
    assert time.perf_counter() - started < 30
    assert renames == {f"docs/reports/r{n}.md": f"documentation/r{n}.md" for n in range(1200)}
