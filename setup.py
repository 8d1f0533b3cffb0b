"""The compiled build: with IMAGE_DOCS_AUDIT_COMPILE=1, the modules that read every line
of every doc are compiled to C with mypyc. Everything else is in pyproject.toml.

The compiled modules are the same source: mypyc compiles the type-annotated Python
(mypy --strict holds it to its annotations), so both builds give the same reports,
and the pure-Python package is what every other install gets. mypyc comes with mypy,
which must be in the build environment (pip's build isolation would not have it):

    pip install -r compile-requirements.txt
    IMAGE_DOCS_AUDIT_COMPILE=1 pip install --no-build-isolation .

An editable install is never compiled: a compiled module would hide its source's edits.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

# The scan (the line classifier, the judging of matches, the matcher's words, the outline
# of each doc for the facts) and what reads its results per piece of evidence (ports,
# scopes, facts). Measured on the benchmark's 700-doc project, these take the audit's
# whole process from 0.54 s to 0.45 s (benchmarks/RESULTS.md). The subjects (and the
# rubric's stems they take) gave nothing measurable there, but on real READMEs, thousands
# of distinct headings, their facts take 56 ms instead of 100 (697 docs), all of it while
# the parent waits: 0.15 MB of the container's 20 MB budget. The audit gave nothing.
#
# What the compiled build changes, and the source allows for: a nested function holds
# its enclosing function's variables in a cycle, and a generator expression given to a
# call may be made a list first, so these modules use classes and map; a class with a decorator
# other than @dataclass stays a Python class (the outline's records that pickle by hand);
# a compiled module calls its own functions directly, so tests that replace one are
# marked `pure_python` and skipped in this build.
COMPILED = [
    "src/image_docs_audit/docs/blocks.py",
    "src/image_docs_audit/docs/scan.py",
    "src/image_docs_audit/docs/outline.py",
    "src/image_docs_audit/docs/words.py",
    "src/image_docs_audit/docs/literals.py",
    "src/image_docs_audit/docs/lines.py",
    "src/image_docs_audit/docs/terms.py",
    "src/image_docs_audit/docs/ports.py",
    "src/image_docs_audit/docs/scopes.py",
    "src/image_docs_audit/facts.py",
    "src/image_docs_audit/docs/subjects.py",
    "src/image_docs_audit/docs/rubric.py",
]


def _compiled_modules() -> list[object]:
    if os.environ.get("IMAGE_DOCS_AUDIT_COMPILE") != "1" or "editable_wheel" in sys.argv:
        return []
    try:
        from mypyc.build import mypycify  # noqa: PLC0415  (only the compiled build needs it)
    except ImportError:
        raise SystemExit(
            "IMAGE_DOCS_AUDIT_COMPILE=1 needs mypyc in the build environment: "
            "pip install -r compile-requirements.txt, then build with --no-build-isolation"
        ) from None
    # The build checks the compiled modules' own annotations only: the libraries they
    # call (markdown-it, PyYAML) need not be installed, and are `Any` where they are
    # used. mypy --strict over the whole project is the test suite's job.
    options = ["--config-file=", "--ignore-missing-imports", "--python-version=3.11"]
    return list(mypycify([*options, *COMPILED], opt_level="3"))


setup(ext_modules=_compiled_modules())
