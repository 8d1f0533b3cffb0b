"""Regular expressions compiled where first used (lazy_pattern.py): they answer as
`re.compile`'s do, and a run compiles only those it uses."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import subprocess
import sys
from typing import Any

import pytest

import image_docs_audit
from image_docs_audit.lazy_pattern import LazyPattern

SOURCES: list[tuple[str | bytes, int]] = [
    (r"(?P<word>[a-z]+)-(\d+)", 0),
    (r"^#+ (.*)$", re.MULTILINE),
    (r"port", re.IGNORECASE),
    (rb"\$\[([^\[\]\n]*)\]", 0),
]
TEXT = "Port app-12 and db-7\n## Ports\n# x\n"


@pytest.mark.parametrize(("source", "flags"), SOURCES)
def test_a_lazy_pattern_answers_as_the_compiled_one(source: Any, flags: int) -> None:
    lazy: Any = LazyPattern(source, flags)
    compiled: Any = re.compile(source, flags)
    text: Any = TEXT if isinstance(source, str) else b"a $[1+2] b $[x]\n"
    spans = [(m.span(), m.groups()) for m in compiled.finditer(text)]
    assert spans  # each source matches its text: the comparisons below see matches
    assert [(m.span(), m.groups()) for m in lazy.finditer(text)] == spans
    for method in ("match", "fullmatch", "search"):
        for pos, endpos in ((0, len(text)), (5, 12), (len(text), len(text))):
            mine = getattr(lazy, method)(text, pos, endpos)
            theirs = getattr(compiled, method)(text, pos, endpos)
            assert (mine and mine.span()) == (theirs and theirs.span())
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.split(text, 1) == compiled.split(text, 1)
    empty = text[:0]
    assert lazy.sub(empty, text) == compiled.sub(empty, text)
    assert lazy.subn(empty, text, 1) == compiled.subn(empty, text, 1)
    assert lazy.pattern == source


def test_it_is_compiled_by_its_first_use_once() -> None:
    lazy = LazyPattern(r"a+")
    assert lazy._compiled is None
    assert lazy.search("baa") is not None
    first = lazy._compiled
    assert first is not None and lazy.compiled is first
    assert lazy.sub("", "baab") == "bb" and lazy._compiled is first


_COUNT = """
import json, sys
from image_docs_audit.lazy_pattern import LazyPattern
import image_docs_audit.cli, image_docs_audit.app, image_docs_audit.inventory.pullscript
import image_docs_audit.render.escape
def lazy():
    return [v for m in list(sys.modules.values()) if m and m.__name__.startswith("image_docs_audit")
            for v in vars(m).values() if isinstance(v, LazyPattern)]
at_import = sum(p._compiled is not None for p in lazy())
from io import StringIO
code = image_docs_audit.cli.main(["demo", "--format", "json"], stdout=StringIO())
print(json.dumps([code, at_import, sum(p._compiled is not None for p in lazy()), len(lazy())]))
"""


def test_importing_compiles_none_and_the_sample_project_a_few() -> None:
    """The reason for them: the pull script's reader and the renderers define dozens of
    expressions for shell constructs and output formats a run seldom meets."""
    done = subprocess.run(
        [sys.executable, "-c", _COUNT], capture_output=True, text=True, check=True
    )
    code, at_import, used, defined = json.loads(done.stdout.splitlines()[-1])
    assert code == 0  # the sample project's verdict (tests/test_cli.py)
    assert at_import == 0
    assert defined >= 80
    assert 0 < used < defined / 2


def test_every_lazy_pattern_of_the_package_compiles() -> None:
    """An expression no test happens to use would otherwise fail a user's run only, where
    `re.compile` at import failed every run at once."""
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(image_docs_audit.__path__, "image_docs_audit.")
        if not info.name.endswith("__main__") and ".sample" not in info.name
    ]
    found = [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, LazyPattern)
    ]
    assert len(found) >= 80
    for pattern in found:
        assert pattern.compiled.pattern == pattern.pattern
