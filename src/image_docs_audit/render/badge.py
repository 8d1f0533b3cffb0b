"""A coverage badge as SVG, for a README: `image docs | 57.1%`, coloured by thresholds.

Drawn here rather than fetched from a badge service: the action runs without network
access to anything but GitHub, and a file in the repository needs no third party.
"""

from __future__ import annotations

from html import escape

LABEL = "image docs"
# (lowest coverage, colour): the first threshold the coverage reaches gives the colour.
COLOURS = (
    (90.0, "#4c1"),  # bright green
    (75.0, "#97ca00"),  # green
    (60.0, "#a4a61d"),  # yellow green
    (45.0, "#dfb317"),  # yellow
    (30.0, "#fe7d37"),  # orange
    (0.0, "#e05d44"),  # red
)
# Verdana at 11 px, in pixels: enough to size the two halves of the badge.
_WIDTHS = {" ": 3.9, ".": 4.4, "%": 12.0, "i": 3.1, "m": 10.7, "a": 6.7, "g": 6.9, "e": 6.7}
_DEFAULT_WIDTH = 7.0
_PADDING = 10


def colour(coverage: float) -> str:
    return next(hex_colour for floor, hex_colour in COLOURS if coverage >= floor)


def _width(text: str) -> int:
    return round(sum(_WIDTHS.get(char, _DEFAULT_WIDTH) for char in text)) + _PADDING


def badge_svg(coverage: float, label: str = LABEL) -> str:
    """The badge for `coverage` (percent), shields.io's flat style."""
    value = f"{coverage:.1f}%"
    left, right = _width(label), _width(value)
    total = left + right
    text = escape(label, quote=False)  # &, < and >, as XML text needs
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{text}: {value}">\n'
        f"<title>{text}: {value}</title>\n"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\n'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>\n'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour(coverage)}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>\n'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\n'
        f"{_text(left / 2, text)}\n{_text(left + right / 2, value)}\n"
        "</g>\n</svg>\n"
    )


def _text(x: float, text: str) -> str:
    """A label with its shadow, as the flat style draws it."""
    return (
        f'<text x="{x:g}" y="15" fill="#010101" fill-opacity=".3">{text}</text>'
        f'<text x="{x:g}" y="14">{text}</text>'
    )
