"""Render a `Report` as text for a terminal, Markdown for people and JSON for scripts.

Templates are package data (`render/templates/*.j2`); every value that comes
from the audited repository is escaped by a filter from `escape`.
"""

from __future__ import annotations

from .check import (
    COMMENT_BUDGET,
    CheckRefs,
    Target,
    check_json_pieces,
    check_to_dict,
    render_audit_comment,
    render_check_json,
    render_check_markdown,
    render_check_text,
)
from .data import SCHEMA_VERSION, render_json, report_json_pieces, report_to_dict
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
    "check_json_pieces",
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
    "report_json_pieces",
    "report_to_dict",
]
