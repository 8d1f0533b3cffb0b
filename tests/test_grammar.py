"""The bash grammar loaded from its binding alone is the grammar package's own."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import tree_sitter_bash
from tree_sitter import Language, Parser

from image_docs_audit.inventory import grammar

SCRIPTS = [
    b"docker pull nginx:1.27\n",
    b'for image in "${IMAGES[@]}"; do docker pull "$image"; done\n',
    b"cat <<EOF | xargs -n1 docker pull\nredis:7\nEOF\n",
    b'if [ -n "$X" ]; then\n  docker pull $(echo alpine:3)\nfi\n',
    b"case $1 in a) docker pull a:1 ;; *) : ;; esac\n",
    b"broken ( syntax\n",
]


def _trees(language: object) -> list[str]:
    parser = Parser(Language(language))
    return [str(parser.parse(script).root_node) for script in SCRIPTS]


def test_the_binding_alone_parses_as_the_package_does() -> None:
    assert _trees(grammar.bash_language()) == _trees(tree_sitter_bash.language())


def test_without_the_binding_where_it_is_kept_the_package_is_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another layout of the package (no `_binding` in its folder): the usual import."""
    monkeypatch.delitem(sys.modules, "tree_sitter_bash._binding", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert _trees(grammar.bash_language()) == _trees(tree_sitter_bash.language())


def test_the_grammar_loads_without_the_packages_resources() -> None:
    """What the package's `__init__` would import (`importlib.resources`, `tempfile`) is
    not imported, and the binding is where an import of the package finds it."""
    script = (
        "import sys\n"
        "from image_docs_audit.inventory.grammar import bash_language\n"
        "bash_language()\n"
        "print(sorted(n for n in ('importlib.resources', 'tempfile', 'tree_sitter_bash')"
        " if n in sys.modules))\n"
        "loaded = sys.modules['tree_sitter_bash._binding']\n"
        "import tree_sitter_bash\n"
        "print(tree_sitter_bash.language is loaded.language)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.split("\n")[:2] == ["[]", "True"], found.stderr
