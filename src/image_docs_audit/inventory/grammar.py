"""tree-sitter-bash's grammar, loaded from its compiled binding alone.

The package's `__init__` imports `importlib.resources` for a highlighting query that no
reader here asks for, and with it `tempfile`, `shutil`, `random` and the compression
modules: 7.8 ms of an audit's start of about 100, where loading the binding alone takes
0.6 (benchmarks/RESULTS.md). Where the binding is not where the package keeps it (another
layout of another version), the package is imported as usual: the same grammar.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from types import ModuleType

_PACKAGE = "tree_sitter_bash"
_BINDING = f"{_PACKAGE}._binding"


def bash_language() -> object:
    """The grammar's language (what `tree_sitter.Language` takes)."""
    binding = sys.modules.get(_BINDING) or _load_binding()
    if binding is None:
        import tree_sitter_bash  # noqa: PLC0415  (the fallback: see the module's doc)

        return tree_sitter_bash.language()
    language: object = binding.language()
    return language


def _load_binding() -> ModuleType | None:
    """The package's compiled `_binding` module, loaded without the package's `__init__`
    (and kept where the package finds it if it is imported later); None if not found."""
    spec = importlib.util.find_spec(_PACKAGE)  # finds the package, runs none of it
    folders = spec.submodule_search_locations if spec is not None else None
    for folder in folders or ():
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_binding" + suffix)
            if not os.path.isfile(path):
                continue
            loader = importlib.machinery.ExtensionFileLoader(_BINDING, path)
            found = importlib.util.spec_from_file_location(_BINDING, path, loader=loader)
            if found is None:
                return None
            module = importlib.util.module_from_spec(found)
            loader.exec_module(module)
            sys.modules[_BINDING] = module
            return module
    return None
