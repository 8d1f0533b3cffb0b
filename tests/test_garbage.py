"""The console script runs with the cyclic garbage collector off (see `cli.run`): that is
safe only while a run leaves no more garbage in cycles for a large tree than for a
small one. Each run here is measured in a fresh interpreter, after a first run that
loads the modules and fills the caches."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from gitrepo import Repo

SAMPLE = Path(__file__).parent.parent / "src" / "image_docs_audit" / "sample"

# What the reference parser reads (a block quote holding a list, a link reference
# definition), so that its path is measured too.
FALLBACK = "> - quoted\n>   item\n\n[ref]: https://example.com/x\n\n"

MEASURE = """
import gc, io, sys
from image_docs_audit.cli import main
argv = sys.argv[1:]
main(argv, stdout=io.StringIO(), env={})
gc.collect()
gc.disable()
main(argv, stdout=io.StringIO(), env={})
print(gc.collect())
"""


def _tree(root: Path, copies: int) -> Repo:
    """The sample project with `copies` copies of each of its docs, committed twice (the
    head changes one doc); every copy starts with what only the reference parser reads."""
    shutil.copytree(SAMPLE, root)
    docs = sorted((root / "docs").rglob("*.md"))
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for copy in range(copies):
            doc.with_name(f"{doc.stem}-{copy}.md").write_text(FALLBACK + text, encoding="utf-8")
    repo = Repo(root)
    repo.commit({}, "base")
    repo.commit({"docs/extra.md": "# redis\n\nNotes on redis:7.\n"}, "head")
    return repo


def _garbage(root: Path, *argv: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *argv, str(root)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return int(done.stdout.split()[-1])


def test_a_run_leaves_no_more_cyclic_garbage_for_more_docs(tmp_path: Path) -> None:
    small, large = tmp_path / "small", tmp_path / "large"
    _tree(small, 1)
    _tree(large, 30)  # 540 docs: the audit forks its second worker
    for command in (("audit", "--format", "json"), ("check", "--base", "HEAD~1")):
        few, many = _garbage(small, *command), _garbage(large, *command)
        # A handful of objects either way (a cycle per doc would be hundreds more).
        assert many <= few + 50, (command, few, many)
        assert few < 2_000, (command, few)
