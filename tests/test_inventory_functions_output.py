"""What a script's own function prints, read as bash gives it: `$(list_images)`,
`"$(tag web 1.0)"`, `list_images | xargs docker pull`, and `printf -v NAME`.

Every script whose values can all be known is also run under bash with logging stubs
(`test_inventory_usage.images_used_by_a_run`): the images it pulls must be the ones read.
Where a function's output cannot be known (a branch on a value the script does not set,
a loop that `while` or `break` steers, a command whose output is not modelled), a
warning names the line of the `$(...)`: the reader never guesses a branch.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tree_sitter import Node

from image_docs_audit.inventory.bash_values import literal_text
from image_docs_audit.inventory.printing import stdout_kept
from image_docs_audit.inventory.pullscript import parse_at
from test_inventory_lists import inventory  # the same reading of a script and its files
from test_inventory_usage import images_used_by_a_run

WARNING_TAIL = (
    "without running the script; the image is not audited (set the variable in the script "
    "or list the image literally)"
)


def _cannot_know(line: int, expression: str) -> str:
    return f"scripts/pull.sh:{line}: cannot know the value of {expression} {WARNING_TAIL}"


# A script whose every value can be known, and its exact inventory (`file:line ref category`).
RESOLVED: dict[str, tuple[str, list[str]]] = {
    "lines-of-a-list-function": (
        """\
list_images() {
  # Web
  echo "nginx:1.25"
  # Caches
  echo "redis:7"
}
for img in $(list_images); do docker pull "$img"; done
""",
        # each text stands where it is written whole, under its header there
        ["scripts/pull.sh:3 nginx:1.25 Web", "scripts/pull.sh:5 redis:7 Caches"],
    ),
    "printf-of-one-reference": (
        """\
base() { printf '%s' "postgres:16"; }
docker pull "$(base)"
""",
        ["scripts/pull.sh:1 postgres:16 None"],
    ),
    "arguments-as-positionals": (
        """\
tag() { echo "app/$1:${2:-latest}"; }
docker pull "$(tag web 1.0)"
docker pull "$(tag worker)"
""",
        # built from the call's arguments: it stands at the call
        ["scripts/pull.sh:2 app/web:1.0 None", "scripts/pull.sh:3 app/worker:latest None"],
    ),
    "output-assigned-then-looped-over": (
        """\
list_images() {
  echo "nginx:1.25"
  echo "redis:7"
}
IMAGES=$(list_images)
for i in $IMAGES; do docker pull "$i"; done
""",
        ["scripts/pull.sh:2 nginx:1.25 None", "scripts/pull.sh:3 redis:7 None"],
    ),
    "output-through-pipes": (
        """\
list_images() {
  echo "nginx:1.25"
  echo "test/fixture:1"
  echo "redis:7"
  echo "nginx:1.25"
}
for i in $(list_images | sort -u); do docker pull "$i"; done
for i in $(list_images | grep -v test/); do podman pull "$i"; done
list_images | xargs -n1 docker save -o all.tar
""",
        [
            "scripts/pull.sh:2 nginx:1.25 None",
            "scripts/pull.sh:3 test/fixture:1 None",
            "scripts/pull.sh:4 redis:7 None",
        ],
    ),
    "helpers-called-inside": (
        """\
reg() { echo "ghcr.io/acme"; }
image() {
  local name=$1
  echo "$(reg)/$name:${2:-1.0}"
}
all() {
  image api 2.0
  image web
}
for i in $(all); do docker pull "$i"; done
""",
        [
            "scripts/pull.sh:7 ghcr.io/acme/api:2.0 None",
            "scripts/pull.sh:8 ghcr.io/acme/web:1.0 None",
        ],
    ),
    "branches-the-arguments-decide": (
        """\
ref() {
  if [ -n "$2" ]; then
    echo "$1:$2"
  else
    echo "$1:latest"
  fi
}
image_for() {
  case "$1" in
    db) echo "postgres:16" ;;
    *) echo "busybox:1.36" ;;
  esac
}
docker pull "$(ref nginx 1.25)"
docker pull "$(ref redis)"
docker pull "$(image_for db)"
""",
        [
            "scripts/pull.sh:10 postgres:16 None",
            "scripts/pull.sh:14 nginx:1.25 None",
            "scripts/pull.sh:15 redis:latest None",
        ],
    ),
    "a-case-on-a-local-copy-of-an-argument": (
        """\
images_for() {
  local kind=$1
  case "$kind" in
    web|api) echo "ghcr.io/acme/$kind:1.0" ;;
    *) echo "busybox:1.36" ;;
  esac
}
for k in web other; do docker pull "$(images_for "$k")"; done
""",
        ["scripts/pull.sh:5 busybox:1.36 None", "scripts/pull.sh:8 ghcr.io/acme/web:1.0 None"],
    ),
    "tests-in-and-or-lists": (
        """\
image() {
  local tag=${2:-}
  [[ -z $tag ]] && tag=latest
  [ -n "$1" ] || return 1
  echo "$1:$tag"
}
docker pull "$(image nginx 1.25)"
docker pull "$(image redis)"
pick() { [ "$1" = db ] && echo "postgres:16"; [ "$1" = db ] || echo "busybox:1.36"; }
docker pull "$(pick db)"
for i in $(pick web); do docker pull "$i"; done
""",
        [
            "scripts/pull.sh:7 nginx:1.25 None",
            "scripts/pull.sh:8 redis:latest None",
            "scripts/pull.sh:9 postgres:16 None",
            "scripts/pull.sh:9 busybox:1.36 None",
        ],
    ),
    # the same test decides a pull: no `nginx:latest` the call with a tag never pulls
    "a-default-set-by-a-list": (
        """\
pull() {
  local tag=$2
  [ -n "$tag" ] || tag=latest
  docker pull "$1:$tag"
}
pull nginx 1.25
pull redis
""",
        ["scripts/pull.sh:6 nginx:1.25 None", "scripts/pull.sh:7 redis:latest None"],
    ),
    "a-for-loop-over-an-array": (
        """\
SERVICES=(api web)
list() {
  for s in "${SERVICES[@]}"; do
    echo "ghcr.io/acme/$s:1.0"
  done
}
for i in $(list); do docker pull "$i"; done
""",
        [
            "scripts/pull.sh:1 ghcr.io/acme/api:1.0 None",
            "scripts/pull.sh:1 ghcr.io/acme/web:1.0 None",
        ],
    ),
    "nothing-after-return": (
        """\
first() {
  echo "nginx:1.25"
  return 0
  echo "redis:7"
}
docker pull "$(first)"
""",
        ["scripts/pull.sh:2 nginx:1.25 None"],
    ),
    "output-sent-elsewhere-is-not-read": (
        """\
image() {
  local reg="${REGISTRY:-docker.io}"
  set -euo pipefail
  echo "pulling $1" >&2
  echo "debug:1" 2>&1 >/dev/null
  mkdir -p cache
  docker pull "alpine:3.19" > /dev/null
  echo "$reg/library/$1:latest" > cache/last.txt
  echo "$reg/library/$1:latest"
}
docker tag "$(image redis)" mirror.local/redis:latest
docker pull "$(echo "busybox:1.36" >&2)"
""",
        # the pull inside the function is still read; what >&2 and > FILE write is not output
        [
            "scripts/pull.sh:7 alpine:3.19 None",
            "scripts/pull.sh:11 docker.io/library/redis:latest None",
        ],
    ),
    "read-from-its-output": (
        """\
list() { printf '%s\\n' nginx:1.25 redis:7; }
list | while read -r i; do docker pull "$i"; done
mapfile -t L < <(list)
for i in "${L[@]}"; do podman pull "$i"; done
list > images.txt
while read -r i; do docker save -o out.tar "$i"; done < images.txt
clean() { grep -v '^#'; }
printf '%s\\n' '# skip' busybox:1.36 | clean | xargs -n1 docker pull
""",
        [
            "scripts/pull.sh:1 nginx:1.25 None",
            "scripts/pull.sh:1 redis:7 None",
            "scripts/pull.sh:8 busybox:1.36 None",
        ],
    ),
    "a-function-that-prints-nothing": (
        """\
quiet() { :; }
docker pull "nginx:1.25$(quiet)"
for i in $(quiet); do docker pull "mirror/$i"; done
""",
        # the empty text in quotes; out of quotes, no word at all (the loop never runs)
        ["scripts/pull.sh:2 nginx:1.25 None"],
    ),
    "a-word-tree-sitter-cuts": (
        """\
REG=ghcr.io/acme
TAG=1.0
ARCH=amd64
img() { echo $REG/app:$TAG-$ARCH; }
docker pull "$(img)"
""",
        ["scripts/pull.sh:4 ghcr.io/acme/app:1.0-amd64 None"],
    ),
    "printf-v-sets-the-variable": (
        """\
REG=ghcr.io/acme
TAG=2.1
printf -v IMG "%s/%s:%s" "$REG" app "$TAG"
docker pull "$IMG"
printf -vX -- '%s' busybox:1.36
docker pull "$X"
declare -a A
i=1
printf -v 'A[i+1]' '%s' alpine:3.19
docker pull "${A[2]}"
make_ref() { printf -v "$1" 'ghcr.io/acme/%s:%s' "$2" 3.0; }
make_ref API_IMG api
docker pull "$API_IMG"
docker pull "$(printf -v UNUSED '%s' nginx:1.25)redis:7"
""",
        # a value printf -v sets stands at the printf, as an assignment's does
        [
            "scripts/pull.sh:3 ghcr.io/acme/app:2.1 None",
            "scripts/pull.sh:5 busybox:1.36 None",
            "scripts/pull.sh:9 alpine:3.19 None",
            "scripts/pull.sh:11 ghcr.io/acme/api:3.0 None",
            "scripts/pull.sh:14 redis:7 None",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(RESOLVED))
def test_a_function_s_output_is_what_its_statements_print(name: str) -> None:
    script, expected = RESOLVED[name]
    assert inventory(script.encode(), {}) == (expected, [])


@pytest.mark.parametrize("name", sorted(RESOLVED))
def test_the_images_read_are_the_ones_bash_pulls(name: str, tmp_path: Path) -> None:
    script, expected = RESOLVED[name]
    (tmp_path / "pull.sh").write_text(script)
    ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / "run", {})
    assert ran == {shown.split()[1] for shown in expected}


# A script where a function's output cannot be known: the exact warnings. Each also calls
# `ok`, whose output is known, so that the rest of the script is seen read.
OK = 'ok() { echo "busybox:1.36"; }\ndocker pull "$(ok)"\n'
OK_IMAGE = "scripts/pull.sh:1 busybox:1.36 None"

UNRESOLVED: dict[str, tuple[str, list[str]]] = {
    "a-command-whose-output-is-not-modelled": (
        OK + 'versions() { curl -s https://example.invalid/v; }\ndocker pull "$(versions)"\n',
        [_cannot_know(4, "$(versions)")],
    ),
    "a-while-loop": (
        OK + "list() {\n  local n=0\n"
        '  while [ $n -lt 2 ]; do echo "app:$n"; n=$((n + 1)); done\n}\n'
        'for i in $(list); do docker pull "$i"; done\n',
        [_cannot_know(7, "$(list)")],
    ),
    "a-loop-left-by-break": (
        OK + 'first() { for i in nginx:1.25 redis:7; do echo "$i"; break; done; }\n'
        'docker pull "$(first)"\n',
        [_cannot_know(4, "$(first)")],
    ),
    "output-to-a-file-named-by-an-unknown-value": (
        OK + 'img() { echo "app:1" > "$LOG"; }\ndocker pull "$(img)"\n',
        [_cannot_know(4, "$(img)")],
    ),
    "exec-redirects-what-follows": (
        OK + 'img() { exec >&2; echo "app:1"; }\ndocker pull "$(img)"\n',
        [_cannot_know(4, "$(img)")],
    ),
    "a-printf-v-part-not-known": (
        OK + 'printf -v IMG "%s/app:%s" "$REGISTRY" 1.0\ndocker pull "$IMG"\n'
        'printf -v N "app:%d" 3\ndocker pull "$N"\n',
        [_cannot_know(3, "$REGISTRY"), _cannot_know(5, 'printf -v N "app:%d" 3')],
    ),
    "a-printf-v-name-not-known": (
        OK + 'printf -v "$OUT" "%s" app:1\n',
        [
            "scripts/pull.sh:3: cannot know which variable printf -v $OUT sets without running "
            "the script; the image it holds is not audited (name the variable literally)"
        ],
    ),
}


# bash runs one branch, on values from the environment: what any branch prints is a line
# the function may print, as a variable keeps what any branch sets. The runs with each
# environment together pull those images.
BRANCHED = """\
img() {
  if [ "$ARCH" = arm64 ]; then echo "app:arm"; else echo "app:amd"; fi
}
docker pull "$(img)"
extra() { echo busybox:1.36; [ -n "$DNS" ] && echo coredns/coredns:1.11.1; }
for i in $(extra); do docker pull "$i"; done
tagged() { [ -n "$TAG" ] && echo "web:$TAG"; }
docker pull "$(tagged)"
"""


def test_a_function_s_branches_print_what_any_of_them_prints(tmp_path: Path) -> None:
    assert inventory(BRANCHED.encode(), {}) == (
        [
            "scripts/pull.sh:2 app:arm None",
            "scripts/pull.sh:2 app:amd None",
            "scripts/pull.sh:5 busybox:1.36 None",
            "scripts/pull.sh:5 coredns/coredns:1.11.1 None",
            "scripts/pull.sh:7 web:$TAG None",  # its tag not known: audited by its name
        ],
        [],
    )
    (tmp_path / "pull.sh").write_text(BRANCHED)
    ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / "bare", {})
    ran |= images_used_by_a_run(
        tmp_path / "pull.sh", tmp_path / "set", {"ARCH": "arm64", "DNS": "1", "TAG": "2"}
    )
    assert ran == {"app:arm", "app:amd", "busybox:1.36", "coredns/coredns:1.11.1", "web:2"}


@pytest.mark.parametrize("name", sorted(UNRESOLVED))
def test_what_cannot_be_known_is_a_warning_not_a_guess(name: str) -> None:
    script, warnings = UNRESOLVED[name]
    assert inventory(script.encode(), {}) == ([OK_IMAGE], warnings)


def test_what_docker_writes_to_the_output_is_not_known() -> None:
    """`docker pull -q` prints the reference it pulled: the function's output is not the
    echo alone (the pull inside is read all the same)."""
    script = (
        'pull_name() { docker pull -q alpine:3.19; echo "alpine:3.19"; }\n'
        'docker tag "$(pull_name)" mirror/alpine:3.19\n'
    )
    assert inventory(script.encode(), {}) == (
        ["scripts/pull.sh:1 alpine:3.19 None"],
        [_cannot_know(2, "$(pull_name)")],
    )


def test_a_placeholder_a_function_prints_is_warned_about() -> None:
    script = 'img() { echo "{{ .Values.image }}"; }\ndocker pull "$(img)"\n'
    assert inventory(script.encode(), {}) == (
        [],
        [
            'scripts/pull.sh:1: "{{ .Values.image }}" is a template placeholder, not an image; '
            "the image it stands for is not audited (list it in a pull script, or audit the "
            "rendered file)"
        ],
    )


def test_an_element_printf_v_sets_at_a_key_not_known_is_still_one_of_the_array() -> None:
    script = (
        'declare -a A\nprintf -v "A[$n]" "%s" nginx:1.25\n'
        'for i in "${A[@]}"; do docker pull "$i"; done\n'
    )
    assert inventory(script.encode(), {}) == (["scripts/pull.sh:2 nginx:1.25 None"], [])


@pytest.mark.parametrize(
    "script",
    [
        'f() { echo "$(f)"; }\n',  # the same call inside itself
        'f() { echo "$(f "x$1")"; }\n',  # other arguments each time: the depth bounds end it
        "a() { b; }\nb() { a; }\n",
        'a() { b "x$1"; }\nb() { a "y$1"; }\n',
    ],
)
def test_a_function_whose_output_is_its_own_ends_with_a_warning(script: str) -> None:
    name = script[0]
    source = script + OK + f'docker pull "$({name})"\n'
    started = time.monotonic()
    shown, warnings = inventory(source.encode(), {})
    assert time.monotonic() - started < 10
    last = source.count("\n")
    assert shown == [f"scripts/pull.sh:{last - 2} busybox:1.36 None"]  # the rest is read
    assert warnings[-1] == _cannot_know(last, f"$({name})")


def _redirects(statement: str) -> Node:
    return parse_at(statement.encode(), 1).root_node.named_children[0]


@pytest.mark.parametrize(
    ("statement", "kept"),
    [
        ("echo x >&2", False),
        ("echo x 1>&2", False),
        ("echo x > list.txt", False),
        ("echo x >> list.txt", False),
        ("echo x &> /dev/null", False),
        ("echo x >& /dev/null", False),
        ("echo x >&-", False),
        ("echo x 2>&1 >/dev/null", False),  # standard error to the output, output away
        ("echo x >/dev/null 2>&1", False),
        ("echo x 2>/dev/null", True),
        ("echo x 2>&1", True),
        ("echo x > /dev/stdout", True),
        ("echo x 3>&1 1>&2 2>&3", False),  # swapped: the output is standard error's place
        ("echo x < list.txt", True),
        ('echo x > "$LOG"', None),  # a name not known may be /dev/stdout
        ("echo x >&3", None),  # a descriptor the script opened
        ("exec >&2", None),  # what every later statement prints goes there
    ],
)
def test_where_a_statement_s_output_goes(statement: str, kept: bool | None) -> None:
    assert stdout_kept(_redirects(statement), literal_text) is kept
