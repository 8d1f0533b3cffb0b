"""The one jinja2 environment: templates shipped as package data, escaping filters."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from . import escape

if TYPE_CHECKING:
    import jinja2


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2  # noqa: PLC0415  (on first use: JSON output and the scan do without it)

    # autoescape stays off: HTML escaping is wrong for Markdown and text; every
    # untrusted value goes through an explicit filter from `escape` instead.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("image_docs_audit", "render/templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        md_cell=escape.md_cell,
        md_url=escape.md_url,
        md_code=escape.md_code,
        plain=escape.plain,
        pad=escape.pad,
        percent=escape.percent,
    )
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
