"""What xargs reads from its input, as GNU xargs reads it: quotes and backslashes group and
go (`image: "nginx:1.27"` cut by awk is `nginx:1.27` to it), except under `-0` or `-d`,
where each item is read as it is; a quote left open stops it there. The fixture
`xargs-quoted-items.sh` (test_inventory_usage) holds the main cases against bash."""

from __future__ import annotations

from pathlib import Path

import pytest

from image_docs_audit.inventory import build_inventory, parse_pull_script
from test_inventory_usage import images_used_by_a_run


def inventory(script: str) -> tuple[list[str], list[str]]:
    found = build_inventory([parse_pull_script("pull.sh", script.encode(), lambda _: None)])
    return [f"{i.source.line} {i.ref}" for i in found.images], [str(w) for w in found.warnings]


@pytest.mark.parametrize(
    "command",
    [
        "printf '%s\\n' '\"nginx:1.27\"' | xargs -d '\\n' -n1 docker pull",
        "printf '%s\\0' '\"nginx:1.27\"' | xargs -0 -n1 docker pull",
        "printf '%s\\0' '\"nginx:1.27\"' | xargs --null docker pull",
    ],
)
def test_under_0_or_d_an_item_keeps_its_quotes(command: str) -> None:
    images, warnings = inventory(command + "\n")
    assert images == []
    assert len(warnings) == 1
    assert "'\"nginx:1.27\"' is not an image reference" in warnings[0]


UNCLOSED = "printf '%s\\n' nginx:1.27 '\"redis:7.4' alpine:3.20 | xargs -n1 docker pull\ntrue\n"


def test_a_quote_left_open_stops_xargs_there(tmp_path: Path) -> None:
    images, warnings = inventory(UNCLOSED)
    assert images == ["1 nginx:1.27"]
    assert warnings == [
        'pull.sh:1: xargs finds no end to a quote in "redis:7.4, and stops there; the images '
        "from here on are not audited (close the quote, or give xargs -0 or -d '\\n')"
    ]
    script = tmp_path / "pull.sh"
    script.write_text(UNCLOSED)
    assert images_used_by_a_run(script, tmp_path / "run", {}) == {"nginx:1.27"}


def test_quotes_and_backslashes_join_a_word() -> None:
    """`a"b c"d` is one item, `ab cd`; a backslash keeps a blank in the word."""
    images, warnings = inventory(
        "echo 'ghcr.io/acme/\"api\":1' ghcr.io/acme/web\\\\:2 | xargs -n1 docker pull\n"
    )
    assert images == ["1 ghcr.io/acme/api:1", "1 ghcr.io/acme/web:2"]
    assert warnings == []
