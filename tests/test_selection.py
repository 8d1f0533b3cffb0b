"""`select_files` chooses what the plain rules choose: a pull script is a path that a
pattern matches or that lies under a folder one matches, a source a file whose name
passes its pattern's name test and whose path the pattern matches. Its quick tests (a
plain name held in the path, the name tests of every pattern at once) only spare work."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit import selector
from image_docs_audit.config import DEFAULT_INVENTORY, AuditSettings, InventoryEntry
from image_docs_audit.model import SourceKind
from image_docs_audit.selector import Selection, glob_match, select_files, under

_PARTS = ["docs", "pull-images.sh", "scripts", "values-a.yaml", "k8s", "Dockerfile", "x.md",
          "Dockerfile.dev", "a.Dockerfile", "compose.yml", "README.md", "images.txt"]  # fmt: skip
_PATHS = st.lists(
    st.lists(st.sampled_from(_PARTS), min_size=1, max_size=4).map("/".join),
    max_size=25,
    unique=True,
).map(sorted)
_PATTERNS = st.lists(
    st.sampled_from(["**/pull-images.sh", "scripts", "scripts/", "**/*.sh", "pull-images.sh/",
                     "k8s/**", "**/values-*.yaml", "**/Dockerfile*", "docs/x.md", "**/*"]),
    min_size=1, max_size=3,
).map(tuple)  # fmt: skip


def _reference(files: Sequence[str], config: AuditSettings) -> Selection:
    """The rules, one file and one pattern at a time."""

    def excluded(path: str) -> bool:
        return any(glob_match(pattern, path) for pattern in config.exclude)

    scripts = tuple(
        path
        for path in files
        if any(glob_match(pattern, path) for pattern in config.pull_scripts) and not excluded(path)
    )
    docs = tuple(
        path
        for path in files
        if path.lower().endswith((".md", ".markdown", ".mdown", ".mkd", ".mdx"))
        and any(under(folder, path) for folder in config.docs)
        and not excluded(path)
        and path not in scripts
    )
    found = set()
    for entry in config.inventory:
        for path in files:
            name = path.rsplit("/", 1)[-1]
            for pattern in entry.paths:
                last = pattern.rstrip("/").rsplit("/", 1)[-1]
                head, star, tail = last.partition("*")
                if not any(char in last for char in "*?["):
                    passes = name == last
                elif star and not any(char in head + tail for char in "*?["):
                    passes = name.startswith(head) and name.endswith(tail)
                else:
                    passes = True
                chosen = passes and glob_match(pattern, path) and path not in scripts
                if chosen and not excluded(path):
                    found.add((entry.kind, path))
    return Selection(scripts, docs, tuple(sorted(found, key=lambda f: (f[1], f[0].value))))


@settings(max_examples=300, deadline=None)
@given(_PATHS, _PATTERNS, _PATTERNS, st.lists(st.sampled_from(["**/*.md", "k8s"]), max_size=1))
def test_the_files_chosen_are_those_the_plain_rules_choose(
    files: list[str], scripts: tuple[str, ...], sources: tuple[str, ...], exclude: list[str]
) -> None:
    config = AuditSettings(
        pull_scripts=scripts,
        exclude=tuple(exclude),
        inventory=(*DEFAULT_INVENTORY, InventoryEntry(SourceKind.LIST, sources)),
    )
    assert select_files(files, config) == _reference(files, config)


def test_a_folder_named_as_a_pull_script_holds_pull_scripts() -> None:
    """`scripts` names a folder: every file in it is a pull script, whatever its name."""
    files = ["docs/a.md", "scripts/pull.sh", "scripts/sub/more.sh", "tools/x.sh"]
    chosen = select_files(files, AuditSettings(pull_scripts=("scripts",)))
    assert chosen.scripts == ("scripts/pull.sh", "scripts/sub/more.sh")


def test_a_large_tree_tests_each_file_name_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """100,000 files of a monorepo repeat a few hundred names: each distinct name takes
    the name tests once per kind of source, not each file (they were half an audit's
    time), and the choice is that of the plain rules."""
    calls: list[str] = []
    passes = selector._NameTests.passes

    def counted(self: selector._NameTests, name: str) -> bool:
        calls.append(name)
        return passes(self, name)

    monkeypatch.setattr(selector._NameTests, "passes", counted)
    files = sorted(
        [f"src/pkg{i}/m{j}.py" for i in range(400) for j in range(250)]
        + ["docs/a.md", "deploy/compose.yml", "scripts/pull-images.sh", "k8s/Dockerfile"]
    )
    config = AuditSettings()
    chosen = select_files(files, config)
    names = {path.rsplit("/", 1)[-1] for path in files}
    assert len(calls) == len(names) * len(config.inventory)
    assert chosen == _reference(files, config)
    assert chosen.scripts == ("scripts/pull-images.sh",)
    assert chosen.sources == ((SourceKind.COMPOSE, "deploy/compose.yml"),
                              (SourceKind.DOCKERFILE, "k8s/Dockerfile"))  # fmt: skip
