"""A loop body read once for all its items reads as it does once per item.

`loops.reads_alike` lets the pull-script reader read a plain body once with every item
bound; each script here is read both ways (the other way by turning the test off), and
the candidates, their places and the warnings must be the same.
"""

from __future__ import annotations

import random

import pytest

from image_docs_audit.inventory import loops, pullscript
from image_docs_audit.inventory.pullscript import parse_pull_script

ITEMS = '"redis:7" "ghcr.io/acme/app:1.2" quay.io/x/y@sha256:' + "ab" * 32

# (script, whether its loop body is read once)
SCRIPTS = [
    (f'for i in {ITEMS}; do docker pull "$i"; done', True),
    (f"for i in {ITEMS}; do docker pull $i; done", True),
    (f'for i in {ITEMS}; do\n  echo "pulling $i" >&2\n  docker pull "${{i}}" 2>&1\ndone', True),
    (
        f'for i in {ITEMS}; do\n  echo "$i" >> list.txt\ndone\n'
        'while read -r x; do docker pull "$x"; done < list.txt',
        False,
    ),
    (f'for i in {ITEMS}; do docker pull "$i" > /dev/null 2>&1; done', True),
    (f'for i in {ITEMS}; do docker pull "$i" &>/dev/null; echo "$i" 2>/dev/null; done', True),
    (
        f'for i in {ITEMS}; do echo "$i" > /dev/null; done\n'
        'while read -r x; do docker pull "$x"; done < /dev/null\ndocker pull "$i"',
        True,  # /dev/null keeps nothing: the second loop reads no items either way
    ),
    (f'for i in {ITEMS}; do docker pull "$i" > log.txt; done', False),
    (f'for i in {ITEMS}; do docker pull "$i" < /dev/null; done', False),
    (f'for i in {ITEMS}; do docker pull "$i" | tee log; done', False),
    (f'for i in {ITEMS}; do\n  info "pulling $i..."\n  podman pull --quiet "${{i}}"\ndone', True),
    (f'L=({ITEMS})\nfor i in "${{L[@]}}"; do docker pull --platform linux/arm64 "$i"; done', True),
    (f'for i in {ITEMS}; do docker run --rm "$i" echo hi; done', True),
    (f'for i in {ITEMS}; do docker run --rm redis:7 echo "$i"; done', False),
    (f'for i in {ITEMS}; do log "$(date) $i"; docker pull "$i"; done', False),
    (f'for i in {ITEMS}; do docker tag "$i" "$i"; done', False),
    (f'REG=mirror.local\nfor i in {ITEMS}; do docker pull "$REG/$i"; done', False),
    (f'for i in {ITEMS}; do docker pull "${{i:-redis:6}}"; done', False),
    (f'for i in {ITEMS}; do docker pull redis:6; docker pull "$i"; done', False),
    (f'for i in {ITEMS}; do x="$i"; docker pull "$x"; done', False),
    (f'pull() {{ docker pull "$1"; }}\nfor i in {ITEMS}; do pull "$i"; done', False),
    (f'for i in {ITEMS}; do echo "$i" | xargs docker pull; done', False),
    (f'for i in {ITEMS}; do sh -c \'docker pull "$1"\' _ "$i"; done', False),
    ('for v in pull save; do docker "$v" redis:7; done', False),
    ('for t in docker podman; do "$t" pull redis:7; done', False),
    ('for i in "a b" redis:7; do docker pull $i; done', False),
    ('for i in --all redis:7; do docker pull "$i"; done', False),
    ('for i in "{{ .Values.image }}" redis:7; do docker pull "$i"; done', False),
    ('for i in "$UNSET" redis:7; do docker pull "$i"; done', False),
    ('for i in docker redis:7; do sudo docker pull "$i"; done', True),
    (f'for i in {ITEMS}; do skopeo copy "$i" dir:/tmp/x; done', True),
    (f'for i in {ITEMS}; do for a in amd64 arm64; do docker pull "$i-$a"; done; done', False),
    (f'while read -r i; do docker pull "$i"; done <<EOF\n{ITEMS.replace(" ", chr(10))}\nEOF', True),
    (f'while read -r i; do echo "$i"; docker pull "$i"; done < <(printf "%s\\n" {ITEMS})', True),
]


def _read(source: str) -> tuple[object, ...]:
    found = parse_pull_script("pull.sh", source.encode())
    scopes: dict[int | None, int] = {}
    candidates = [
        (c.text, c.line, c.column, c.path, category, scopes.setdefault(c.scope, len(scopes)))
        for c, category in found.candidates
    ]
    return tuple(candidates), tuple(str(w) for w in found.warnings)


def _both_ways(source: str, monkeypatch: pytest.MonkeyPatch) -> tuple[bool, bool]:
    """(whether the first loop's body is read once, whether that reads as per item), the
    script read with the fast path, then with it turned off."""
    answers: list[bool] = []

    def spy(*args: object) -> bool:
        answers.append(loops.reads_alike(*args))  # type: ignore[arg-type]
        return answers[-1]

    monkeypatch.setattr(pullscript, "reads_alike", spy)
    fast = _read(source)
    monkeypatch.setattr(pullscript, "reads_alike", lambda *args: False)
    slow = _read(source)
    assert fast[0]  # every script here uses images
    return bool(answers and answers[0]), fast == slow


@pytest.mark.parametrize(("source", "once"), SCRIPTS)
def test_a_body_read_once_reads_as_once_per_item(
    source: str, once: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _both_ways(source, monkeypatch) == (once, True)


_STATEMENTS = [
    'docker pull "$i"', "docker pull $i", 'docker pull "${i}"', 'podman pull -q "$i"',
    'echo "pulling $i"', 'echo "$i" >&2', 'docker pull "$i" 2>&1', "docker pull redis:6",
    'docker tag "$i" mirror', 'docker "$i" x', 'docker run --rm "$i" true', "sleep 1",
    'docker pull "$i:latest"', 'x="$i"', 'docker pull "$x"', 'log "$i"', 'docker push "$i"',
    'docker pull "$i" >/dev/null', 'echo "$i" >> list', 'echo "$i" > /dev/null 2>&1',
    'crane copy "$i" reg.local/x', 'docker run redis:7 echo "$i"',
    'docker pull --platform "$i" redis:7', "docker pull -- $i",
]  # fmt: skip
_ITEMS = ["redis:7", "docker", "pull", "-q", "--", "a b", "{{x}}", "$UNSET", "x/y:1", "é:1"]


def test_random_bodies_read_once_read_as_once_per_item(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(9)
    once = 0
    for _ in range(400):
        items = " ".join(f'"{item}"' for item in rng.sample(_ITEMS, rng.randint(2, 4)))
        body = "\n  ".join(rng.sample(_STATEMENTS, rng.randint(1, 3)))
        source = f"log() {{ :; }}\nfor i in {items}; do\n  {body}\ndone\ndocker pull redis:8\n"
        read_once, alike = _both_ways(source, monkeypatch)
        assert alike, source
        once += read_once
    assert once > 5, once  # and so both ways are compared, not the same way twice
