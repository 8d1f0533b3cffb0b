"""Render a `Report` as text for a terminal, Markdown for people and JSON for scripts.

Templates are package data (`render/templates/*.j2`); every value that comes
from the audited repository is escaped by a filter from `escape`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .check import (
        COMMENT_BUDGET,
        CheckRefs,
        Target,
        check_json_bytes,
        check_to_dict,
        render_audit_comment,
        render_check_json,
        render_check_markdown,
        render_check_text,
    )
    from .data import SCHEMA_VERSION, render_json, report_json_bytes, report_to_dict
    from .links import NO_LINKS, Links, repo_url_from_env
    from .markdown import render_markdown
    from .sarif import render_check_sarif, render_sarif
    from .text import render_text

__all__ = [
    "COMMENT_BUDGET",
    "NO_LINKS",
    "SCHEMA_VERSION",
    "CheckRefs",
    "Links",
    "Target",
    "check_json_bytes",
    "check_to_dict",
    "render_audit_comment",
    "render_check_json",
    "render_check_markdown",
    "render_check_sarif",
    "render_check_text",
    "render_json",
    "render_markdown",
    "render_sarif",
    "render_text",
    "repo_url_from_env",
    "report_json_bytes",
    "report_to_dict",
]

# Where each name lives. A command imports only the renderers it uses: `audit --format
# json` starts about 10 ms sooner without the Markdown, check and SARIF ones.
_HOMES = {
    "COMMENT_BUDGET": "check",
    "CheckRefs": "check",
    "Target": "check",
    "check_json_bytes": "check",
    "check_to_dict": "check",
    "render_audit_comment": "check",
    "render_check_json": "check",
    "render_check_markdown": "check",
    "render_check_text": "check",
    "SCHEMA_VERSION": "data",
    "render_json": "data",
    "report_json_bytes": "data",
    "report_to_dict": "data",
    "NO_LINKS": "links",
    "Links": "links",
    "repo_url_from_env": "links",
    "render_markdown": "markdown",
    "render_check_sarif": "sarif",
    "render_sarif": "sarif",
    "render_text": "text",
}


def __getattr__(name: str) -> object:
    """A public name, imported from its module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
