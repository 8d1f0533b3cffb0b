"""The inventory of pull scripts: exact images, lines, categories and warnings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory import (
    bash_values,
    build_inventory,
    parse_pull_script,
    pullscript,
    read_inventory,
)
from image_docs_audit.inventory.categories import WHITESPACE
from image_docs_audit.inventory.reference import ReferenceError, parse_reference
from image_docs_audit.inventory.sources import SourceImages
from image_docs_audit.model import ImageRef

# The fixture project's pull script holds every construct the reader understands.
EVERY_CONSTRUCT = Path(__file__).parent / "fixtures" / "project" / "scripts" / "pull-images.sh"


def inventory_of(source: str, path: str = "pull.sh") -> list[tuple[int, str, str | None]]:
    found = read_inventory([(path, source.encode())])
    return [(image.source.line, image.ref, image.category) for image in found.images]


def warnings_of(source: str, path: str = "pull.sh") -> list[str]:
    return [str(w) for w in read_inventory([(path, source.encode())]).warnings]


def test_every_construct_gives_the_exact_inventory() -> None:
    source = EVERY_CONSTRUCT.read_bytes()
    found = read_inventory([("scripts/pull-images.sh", source)])
    assert [(i.source.line, i.ref, i.category) for i in found.images] == [
        (12, "registry.example.com:5000/team/app-base:python-distroless-arm64", "Base Images"),
        (13, "registry.example.com:5000/team/app-base:java-distroless-arm64", "Base Images"),
        (16, "example/app-config-server:1.0", "Phase 1: Foundation Services"),
        (17, "example/app-secrets-vault:latest-arm64", "Phase 1: Foundation Services"),
        (20, "example/app-api-gateway:latest-arm64", None),
        (21, "example/app-session-api@sha256:" + "0123456789abcdef" * 4, None),
        (30, "example/app-payment-router:2.1", "Phase 2: Core Services"),
        (31, "quay.io/team/app-metrics:3", "Phase 2: Core Services"),
        (35, "redis:7", "Phase 3: Loops"),
        (35, "docker.io/library/nginx:1.27", "Phase 3: Loops"),
        (36, "example/app-worker:latest-arm64", "Phase 3: Loops"),
        (36, "example/app-mailer:latest-arm64", "Phase 3: Loops"),
        (45, "example/app-search:latest-arm64", "Phase 4a: Heredoc section"),
        (47, "ghcr.io/team/app-indexer:v2", "Phase 4a: Heredoc section"),
        (54, "example/app-backup:1", "Phase 5: Through a function"),
        (58, "example/app-crane:1", "Phase 5: Through a function"),
    ]
    assert [str(w) for w in found.warnings] == [
        "scripts/pull-images.sh:56: cannot know the value of ${UNKNOWN_IMAGE} without running "
        "the script; the image is not audited (set the variable in the script or list the image "
        "literally)",
        "scripts/pull-images.sh:57: redis:7 is listed again (first at scripts/pull-images.sh:35)",
    ]
    assert found.scripts == ("scripts/pull-images.sh",)


def test_array_pulled_by_a_loop_is_one_image_at_its_listed_line() -> None:
    source = 'IMAGES=(\n  "a/b:1"\n)\nfor i in "${IMAGES[@]}"; do docker pull "$i"; done\n'
    assert inventory_of(source) == [(2, "a/b:1", None)]


def test_array_not_named_for_images_counts_only_when_pulled() -> None:
    platforms = "PLATFORMS=(linux/arm64 linux/amd64)\nLIST=(a/b:1)\n"
    assert inventory_of(platforms) == []
    assert inventory_of(platforms + 'docker pull "${LIST[@]}"\n') == [(2, "a/b:1", None)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("docker pull redis\n", [(1, "redis", None)]),
        ("docker image pull -q redis:7\n", [(1, "redis:7", None)]),
        ("sudo -E docker pull --platform=linux/arm64 a/b:1\n", [(1, "a/b:1", None)]),
        (
            "timeout 60 podman pull --creds u:p a/b:1 c/d:2\n",
            [(1, "a/b:1", None), (1, "c/d:2", None)],
        ),
        ("ctr -n k8s.io images pull docker.io/a/b:1\n", [(1, "docker.io/a/b:1", None)]),
        ("docker pull \\\n  --platform linux/arm64 \\\n  a/b:1\n", [(3, "a/b:1", None)]),
        ("docker pull -a a/b\n", [(1, "a/b", None)]),
        ("echo docker pull a/b:1\n", []),
        ("printf '%s' 'docker pull a/b:1'\n", []),
        ("# docker pull a/b:1\n", []),
        ("docker run --rm -p 80:80 -e A=1 a/b:1 sh -c 'x'\n", [(1, "a/b:1", None)]),
        ("docker pull 'a/b:1'  # trailing comment\n", [(1, "a/b:1", None)]),
        (
            'X=a/b\ndocker pull $X:1 ${X}:2 "${Y:-c/d}:3"\n',
            [(2, "a/b:1", None), (2, "a/b:2", None), (2, "c/d:3", None)],
        ),
        (
            # A reference that is a variable's whole value stands where it is assigned.
            "IMAGES='a/b:1 c/d:2'\nfor i in $IMAGES; do docker pull $i; done\n",
            [(1, "a/b:1", None), (1, "c/d:2", None)],
        ),
        (
            "cat <<'EOF' | while read -r i; do docker pull \"$i\"; done\na/b:1\nEOF\n",
            [(2, "a/b:1", None)],
        ),
        # `\docker` (past an alias) on the next line: tree-sitter-bash takes the newline
        # and `\docker` for a word of the command before (a pull lost, or `docker` pulled).
        ('echo "pulling"\n\\docker pull a/b:1\n', [(2, "a/b:1", None)]),
        ("docker pull a/b:1\n\\docker pull c/d:2\n", [(1, "a/b:1", None), (2, "c/d:2", None)]),
        # Aliases, where bash expands them: after `shopt -s expand_aliases` (a script is not
        # interactive), the first word of a command, not inside themselves, until unalias.
        (
            "shopt -s expand_aliases\nalias dp='docker pull --platform linux/arm64' d=docker\n"
            'dp a/b:1 "c/d:2"\nd pull e/f:3\nalias docker="docker --debug"\ndocker pull g/h:4\n'
            "unalias dp\ndp i/j:5\n",
            [(3, "a/b:1", None), (3, "c/d:2", None), (4, "e/f:3", None), (6, "g/h:4", None)],
        ),
        ("alias dp='docker pull'\ndp a/b:1\n", []),
        # A wrapper runs the program, not a function of the same name: the function that
        # wraps docker was read as calling itself, and its pulls were lost.
        (
            'docker() { sudo docker "$@"; }\ndocker pull a/b:1\n'
            'podman() { echo "podman $*"; command podman "$@"; }\npodman pull c/d:2\n',
            [(2, "a/b:1", None), (4, "c/d:2", None)],
        ),
        # Only what an expansion out of quotes gives is split: text written in a word is
        # not (`b` was the image of these).
        (
            'docker run -e FOO="a b" nginx:1\ndocker run -e BAR=c\\ d --label x="y z" redis:7\n'
            'X="a/b:1 c/d:2"\ndocker pull $X\n',
            [(1, "nginx:1", None), (2, "redis:7", None), (4, "a/b:1", None), (4, "c/d:2", None)],
        ),
        (
            "docker run --cpu-count 2 --dns-opt ndots:1 --io-maxiops 10 busybox:1.36 true\n"
            "podman run --pod-id-file /tmp/pod --health-startup-cmd x --rmi nginx:1\n",
            [(1, "busybox:1.36", None), (2, "nginx:1", None)],
        ),
        # A pipe's stages are subshells: what they set does not outlive the pipe, but in the
        # last stage after `shopt -s lastpipe`.
        (
            "TAG=1.0\nprintf '2.0\\n' | while read -r t; do TAG=$t; done\n"
            "docker pull acme/app:$TAG\nshopt -s lastpipe\n"
            "printf '3.0\\n' | while read -r t; do TAG=$t; done\ndocker pull acme/web:$TAG\n",
            [(3, "acme/app:1.0", None), (6, "acme/web:3.0", None)],
        ),
        # A trap's command runs (an EXIT trap when the script ends); nothing after a
        # top-level `exit` runs; `unset 'A[1]'` drops one element; `A=x` sets element 0.
        (
            "trap 'docker pull acme/cleanup:1' EXIT\ntrap - INT\n"
            "IMAGES=(nginx:1 redis:7 old/x:1)\nunset 'IMAGES[2]'\nIMAGES=busybox:1.36\n"
            'docker pull "${IMAGES[@]}"\nexit 0\ndocker pull legacy/app:1\n',
            [(1, "acme/cleanup:1", None), (3, "redis:7", None), (5, "busybox:1.36", None)],
        ),
        # `declare -l` and `-u` change the case of every value assigned, until `+l`.
        (
            'declare -l REG=Registry.Example.COM\ndocker pull "$REG/app:1"\ndeclare -u TAG\n'
            'TAG=v1\ndocker pull "acme/x:$TAG"\ndeclare +l REG\nREG=Mixed.Io\n'
            'docker pull "$REG/z:3"\n',
            [
                (2, "registry.example.com/app:1", None),
                (5, "acme/x:V1", None),
                (8, "Mixed.Io/z:3", None),
            ],
        ),
        # The right side of `&&` / `||` may run or not: what it sets joins what was there.
        (
            'X=redis:7\n[[ -n $X ]] || X=redis:6\ndocker pull "$X"\n'
            "docker info >/dev/null 2>&1 && R=mirror.io || R=docker.io\n"
            'docker pull "$R/library/nginx:1.27"\n',
            [
                (1, "redis:7", None),
                (2, "redis:6", None),
                (4, "mirror.io/library/nginx:1.27", None),
                (4, "docker.io/library/nginx:1.27", None),
            ],
        ),
        # `"${LIST[*]}"` and `"$*"` in quotes are one text, joined by IFS's first character.
        (
            'PARTS=(ghcr.io acme api)\nIFS=/\nREF="${PARTS[*]}"\nunset IFS\n'
            'docker pull "$REF:1.0"\njoin() { local IFS=:; J="$*"; }\njoin nginx 1.27\n'
            'docker pull "$J"\n',
            [(5, "ghcr.io/acme/api:1.0", None), (6, "nginx:1.27", None)],
        ),
        # `"${@:N}"`, `"${@: -1}"`: arguments, not characters of them.
        (
            'pull_from() {\n  local registry=$1\n  for name in "${@:2}"; do docker pull'
            ' "$registry/$name"; done\n}\npull_from ghcr.io/acme api:1 web:1\n'
            'last() { docker pull "${@: -1}"; }\nlast x y nginx:1.27\n',
            [
                (5, "ghcr.io/acme/api:1", None),
                (5, "ghcr.io/acme/web:1", None),
                (7, "nginx:1.27", None),
            ],
        ),
        # `read` splits at the script's IFS when it has none of its own.
        (
            'split() { local IFS=:; read -r repo tag <<< "$1"; docker pull "mirror.io/$repo"; }\n'
            "split nginx:1.27\nIFS=$'\\n\\t'\nread -r a b <<< \"x/y:1 z/w:2\"\n"
            'docker pull "${a%% *}"\n',
            [(2, "mirror.io/nginx", None), (5, "x/y:1", None)],
        ),
        # Another shell sees the exported variables only, `sh -c 'S' NAME` has NAME as `$0`,
        # and an ssh host sees none of the script's variables.
        (
            "IMG=nginx:1.27\nexport TAG=3.20\nbash -c 'docker pull \"${IMG:-redis:7}\"'\n"
            "sh -c 'docker pull \"$0:$TAG\"' alpine\n"
            "ssh node1 'docker pull \"${IMG:-busybox:1.36}\"'\n",
            [(3, "redis:7", None), (4, "alpine:3.20", None), (5, "busybox:1.36", None)],
        ),
        # `declare -i`: what is assigned is arithmetic (`N+=1` adds, not appends).
        (
            'declare -i N=1\nN+=1\ndocker pull "acme/shard-$N:1"\nN=N*5\n'
            'docker pull "acme/shard-$N:1"\n',
            [(3, "acme/shard-2:1", None), (5, "acme/shard-10:1", None)],
        ),
        # A command's own assignments: after its words are expanded, for it alone (a
        # function called so sees them).
        (
            'TAG=1.0\nTAG=2.0 docker pull "api:$TAG"\ndocker pull "web:$TAG"\n'
            'f() { docker pull "db:$TAG"; }\nTAG=3.0 f\n',
            [(2, "api:1.0", None), (3, "web:1.0", None), (4, "db:3.0", None)],
        ),
        # `buildah from IMAGE` pulls it (not `scratch`, an empty container).
        (
            "buildah from --name b1 registry.access.redhat.com/ubi9:9.4\n"
            "ctr=$(buildah from --pull=always alpine:3.20)\nbuildah from scratch\n",
            [(1, "registry.access.redhat.com/ubi9:9.4", None), (2, "alpine:3.20", None)],
        ),
        # `sort -u` on a key keeps the first line of each key.
        (
            "printf '%s\\n' nginx:1.27 nginx:1.26 redis:7 b:2 | sort -t: -k1,1 -u"
            " | xargs -n1 docker pull\n",
            [(1, "nginx:1.27", None), (1, "redis:7", None), (1, "b:2", None)],
        ),
        # Text run as another group or user.
        (
            'sg docker -c "docker pull a/b:1"\nsu -c "docker pull c/d:2" deploy\n'
            "runuser deploy --command='docker pull e/f:3'\n",
            [(1, "a/b:1", None), (2, "c/d:2", None), (3, "e/f:3", None)],
        ),
        (
            "shopt -s expand_aliases\nalias dp='docker pull'\nshopt -u expand_aliases\ndp a/b:1\n",
            [],
        ),
        # An unquoted expansion that is empty is no word (bash drops it), nor an empty
        # array's `"${A[@]}"`: the image of `run` was that word, and lost.
        (
            'ARGS=""\nOPTS=()\ndocker run --rm $ARGS alpine:3.19 true\n'
            'docker run "${OPTS[@]}" ${EXTRA:-} busybox:1.36\n'
            "PF=${PLATFORM:+--platform=$PLATFORM}\nskopeo copy $PF docker://a/b:1 dir:/x\n",
            [(3, "alpine:3.19", None), (4, "busybox:1.36", None), (6, "a/b:1", None)],
        ),
        # One that is a different number of words in different branches (empty or an
        # option with its value) is read as each command line it makes.
        (
            'P=""\n[ "$(uname -m)" = aarch64 ] && P="--platform linux/arm64"\n'
            'docker pull $P haproxy:2.9\nT=""\n[ -t 1 ] && T="-t"\n'
            "docker run --rm -i $T python:3.12-slim python -V\n"
            'G=""\n[ -n "$X" ] && G="--gpus all"\ndocker run $G pytorch/pytorch:2.3.0 python\n',
            [
                (3, "haproxy:2.9", None),
                (6, "python:3.12-slim", None),
                (9, "pytorch/pytorch:2.3.0", None),
            ],
        ),
        # A loop read once per item knows its variable: a `case` or `[[ ]]` on it filters,
        # and a `continue` or `break` that surely runs ends the pass or the loop; one in
        # a branch the reader cannot tell ends nothing.
        (
            "for i in r/agent:1 r/wins:1-windows; do\n"
            '  case "$i" in *windows*) continue ;; esac\n  docker pull "$i"\ndone\n'
            "printf '%s\\n' A=1 B_IMAGE=redis:7 | while IFS== read -r k v; do\n"
            '  [[ $k == *_IMAGE ]] && docker pull "$v"\ndone\n'
            'for i in a/x:1 b/y:2 c/z:3; do\n  [ -f "$F" ] || continue\n  docker pull "$i"\n'
            '  [ "$i" = b/y:2 ] && break\ndone\n',
            [
                (1, "r/agent:1", None),
                (6, "redis:7", None),
                (8, "a/x:1", None),
                (8, "b/y:2", None),
            ],
        ),
        # A variable only some branches set may be unset: its default is one of its
        # values, until the script sets it again.
        (
            'if [ -n "${CI:-}" ]; then\n  REG=mirror.example.com\nfi\n'
            'docker pull "${REG:-docker.io}/library/redis:7"\n'
            '[ -n "$X" ] && TAG=latest\n: "${TAG:=1.25}"\ndocker pull "nginx:$TAG"\n'
            'TAG=2\ndocker pull "busybox:${TAG:-1.36}"\n',
            [
                (2, "mirror.example.com/library/redis:7", None),
                (4, "docker.io/library/redis:7", None),
                (5, "nginx:latest", None),
                (7, "nginx:1.25", None),
                (9, "busybox:2", None),
            ],
        ),
        # podman and buildah take a transport: `docker://` names a registry image, the
        # others local files.
        (
            "podman pull docker://quay.io/org/p1:1\nbuildah from docker://c/d:1\n"
            'podman pull "oci-archive:$DIR/x.tar"\npodman pull localhost:5000/e:1\n',
            [(1, "quay.io/org/p1:1", None), (2, "c/d:1", None), (4, "localhost:5000/e:1", None)],
        ),
        # skopeo's global options may follow its verb; a command array's element not known
        # is a word not known.
        (
            "skopeo copy --override-arch arm64 --command-timeout 5m docker://busybox:1.36 dir:/x\n"
            'RUN=(docker run --rm -v "$(pwd)":/w -u "$(id -u)")\n"${RUN[@]}" alpine:3.19 ls\n',
            [(1, "busybox:1.36", None), (3, "alpine:3.19", None)],
        ),
        # `docker manifest create LIST SRC... --amend SRC`: the sources; `inspect`: its image.
        (
            "docker manifest create localhost:5000/app:1.0 --amend my/app:1.0-amd64 "
            "--amend my/app:1.0-arm64\ndocker manifest inspect --verbose redis:7\n"
            "docker manifest push localhost:5000/app:1.0\n",
            [(1, "my/app:1.0-amd64", None), (1, "my/app:1.0-arm64", None), (2, "redis:7", None)],
        ),
        # `kubectl run --image` and `kubectl create deployment --image` (also oc) run the
        # image on a node; what follows `--` is the container's command.
        (
            "kubectl run pre --image=busybox:1.36 --restart=Never -- sleep 1\n"
            "kubectl -n ops run t --image nginx:1.27\noc run x --image=quay.io/a/b:1\n"
            "kubectl create deployment web --image=ghcr.io/acme/web:2\nkubectl get pods\n"
            "kubectl run y -- --image=not/this:1\n",
            [
                (1, "busybox:1.36", None),
                (2, "nginx:1.27", None),
                (3, "quay.io/a/b:1", None),
                (4, "ghcr.io/acme/web:2", None),
            ],
        ),
        # An ANSI-C string is its text; a `\n` written in a text cuts it on its own line.
        (
            "docker pull $'nginx:1.25'\nI=$'redis:7\\npostgres:16'\n"
            'while read -r i; do docker pull "$i"; done <<< "$I"\n'
            'L="a/b:1\\nc/d:2"\n# a comment\nfor i in $(echo -e "$L"); do docker pull "$i"; done\n',
            [
                (1, "nginx:1.25", None),
                (2, "redis:7", None),
                (3, "postgres:16", None),  # (the text's own line end: the next line)
                (4, "a/b:1", None),
                (4, "c/d:2", None),
            ],
        ),
        # `${!NAME}` is the variable NAME names; a range `{1..3}` alone or in a word.
        (
            "API_IMAGE=acme/api:1\nWEB_IMAGE=acme/web:2\nfor n in API WEB; do\n"
            '  v="${n}_IMAGE"\n  docker pull "${!v}"\ndone\n'
            'for i in {1..2}; do docker pull "acme/shard-$i:1"; done\ndocker pull acme/s{1..2}:1\n',
            [
                (1, "acme/api:1", None),
                (2, "acme/web:2", None),
                (7, "acme/shard-1:1", None),
                (7, "acme/shard-2:1", None),
                (8, "acme/s1:1", None),
                (8, "acme/s2:1", None),
            ],
        ),
        # printf's `\0` ends a part as a line end does: what `xargs -0` reads.
        (
            "printf '%s\\0' nginx:1.25 postgres:16.1 | xargs -0 -n1 docker pull\n"
            "printf 'a/b:1\\0c/d:2\\0' | xargs -0 docker pull\n",
            [
                (1, "nginx:1.25", None),
                (1, "postgres:16.1", None),
                (2, "a/b:1", None),
                (2, "c/d:2", None),
            ],
        ),
        # An associative array's quoted keys are their text.
        (
            "declare -A I=([\"web\"]=\"nginx:1.25\" ['db']='postgres:16' [c]=redis:7.2)\n"
            'docker pull "${I[web]}" "${I[db]}"\n'
            'declare -A M=(["busybox:1.36"]=x)\nfor i in "${!M[@]}"; do docker pull "$i"; done\n',
            [(1, "nginx:1.25", None), (1, "postgres:16", None), (4, "busybox:1.36", None)],
        ),
        # A wrapper before a tool held in a variable with two values (`docker`, `podman`),
        # and an empty-or-`sudo` variable before it.
        (
            "if command -v podman; then C=podman; else C=docker; fi\n"
            'sudo "$C" pull haproxy:2.9\nS=""\n[ "$EUID" -ne 0 ] && S=sudo\n$S $C pull redis:7\n',
            [(2, "haproxy:2.9", None), (5, "redis:7", None)],
        ),
    ],
)
def test_pull_forms(source: str, expected: list[tuple[int, str, str | None]]) -> None:
    assert inventory_of(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # tree-sitter-bash takes `tr -d x` into the xargs command when the next line has a
        # redirect after a pipeline of three stages; bash ends the command at the newline.
        ("echo a/b:1 | grep -v x | xargs docker pull\ntr -d x < f | sort\n", ["a/b:1"]),
        (
            "printf 'a/b:1' | sort | xargs docker pull\ncat < f > g\ndocker pull c/d:1\n",
            ["a/b:1", "c/d:1"],
        ),
        # a backslash continues the line, before a Windows line end too
        ("docker pull \\\r\n  a/b:1 \\\r\n  c/d:1\r\n", ["a/b:1", "c/d:1"]),
        ("docker pull \\\n  a/b:1 \\\n  c/d:1\n", ["a/b:1", "c/d:1"]),
    ],
)
def test_a_command_ends_at_a_newline_whatever_the_next_line_holds(
    source: str, expected: list[str]
) -> None:
    assert [ref for _, ref, _ in inventory_of(source)] == expected
    assert warnings_of(source) == []


def test_quoted_heredoc_is_not_expanded_and_says_why_it_was_skipped() -> None:
    source = "while read -r i; do docker pull \"$i\"; done <<'EOF'\na/b:$V\nc/d:1\nEOF\n"
    assert inventory_of(source) == [(3, "c/d:1", None)]
    assert warnings_of(source) == [
        "pull.sh:2: 'a/b:$V' is not an image reference: '$V' is not a valid tag"
    ]


@pytest.mark.parametrize(
    ("source", "expected_categories"),
    [
        # Outside arrays a comment is a header only when images follow it.
        ("# Strict mode\nset -e\ndocker pull a/b:1\n", [None]),
        # Variables set right below a header, then the command that uses them.
        ("# Proxied\nTAG=1\nexport REG=r.io\ndocker pull $REG/a:$TAG\n", ["Proxied"]),
        ("# Set up\nTAG=1\n\ndocker pull a/b:$TAG\n", [None]),  # a blank line between
        ("# Set up\nTAG=1\nset -e\ndocker pull a/b:$TAG\n", [None]),  # a command between
        (
            "# Phase 1\ndocker pull a/b:1\n\ndocker pull c/d:1\n# Phase 2\ndocker pull e/f:1\n",
            ["Phase 1", "Phase 1", "Phase 2"],
        ),
        ("# ---- Phase 1 ----\n# the first ones\ndocker pull a/b:1\n", ["Phase 1"]),
        ("#!/bin/bash\n# shellcheck disable=SC2034\ndocker pull a/b:1\n", [None]),
        ("IMAGES=(\n  # Base\n  a/b:1\n  # docker pull x/y:1\n  c/d:1\n)\n", ["Base", "Base"]),
        ("IMAGES=(\n  a/b:1  # not a header\n  c/d:1\n)\n", [None, None]),
        # A header inside an array does not leak to the pulls after it.
        ("# Listed\nIMAGES=(\n  # Inner\n  a/b:1\n)\ndocker pull c/d:1\n", ["Inner", "Listed"]),
        # Windows line ends: a ruler is no header and a header keeps no `\r` (the ruler
        # was an internal error, the header `Phase 1\r`).
        ("# =====\r\n# Phase 1\r\n# =====\r\ndocker pull a/b:1\r\n", ["Phase 1"]),
        # Comments of white space alone (a no-break space, a form feed) are no headers.
        ("# Base\n#\u00a0\ndocker pull a/b:1\n#\x0c\ndocker pull c/d:1\n", ["Base", "Base"]),
        ("#\u3000Base\u00a0\ndocker pull a/b:1\n", ["Base"]),
    ],
)
def test_categories(source: str, expected_categories: list[str | None]) -> None:
    assert [category for _, _, category in inventory_of(source)] == expected_categories


def test_a_header_is_stripped_of_every_kind_of_white_space() -> None:
    every = "".join(char for char in map(chr, range(0x110000)) if char.isspace())
    assert every == WHITESPACE


@pytest.mark.parametrize(
    ("source", "warning"),
    [
        ('docker pull "$(cat list.txt)"\n', "pull.sh:1: cannot know the value of $(cat list.txt)"),
        ("docker pull ${IMG#x}\n", "pull.sh:1: cannot know the value of ${IMG#x}"),
        (  # an option that takes a value shifts twice, its pattern not read (a bracket):
            # one state cannot follow both branches
            "f() {\n  while [ $# -gt 0 ]; do\n    case $1 in\n      -[p]) P=$2; shift 2 ;;\n"
            '      *) docker pull "$1"; shift ;;\n    esac\n  done\n}\nf -p x a:1 b:1\n',
            "pull.sh:2: this loop shifts the arguments differently in its branches",
        ),
        (  # separators the script does not set: not split at white space instead
            'IFS=$SEP read -ra L <<< "a:1;b:1"\ndocker pull "${L[@]}"\n',
            "pull.sh:1: cannot know the value of IFS=$SEP",
        ),
        (
            'while IFS="$SEP" read -r i t; do docker pull "$i:$t"; done <<< "a;1"\n',
            'pull.sh:1: cannot know the value of IFS="$SEP"',
        ),
        (
            'for i in "${MISSING[@]}"; do docker pull "$i"; done\n',
            "pull.sh:1: the array MISSING is not set in the script",
        ),
        ("docker pull Upper/Case:1\n", "pull.sh:1: 'Upper/Case:1' is not an image reference"),
        (  # an option the reader does not know may take the image's place
            "docker run --new-flag 2 nginx:1\n",
            "pull.sh:1: docker run: the option --new-flag is not one the reader knows; if it "
            "takes a value, that value was read as the image (write it --new-flag=VALUE)",
        ),
        (
            'shopt -s expand_aliases\nalias dp="$DOCKER pull"\ndp a/b:1\n',
            "pull.sh:3: cannot know the command the alias dp runs",
        ),
        ("IMAGES=(\n a/b:1\n", "pull.sh:2: the pull script does not parse as bash here"),
        # A list the script downloads over a file of the repository: its lines are not
        # the committed ones.
        (
            "curl -sfLo images.txt https://example.com/images.txt\n"
            'while read -r i; do docker pull "$i"; done < images.txt\n',
            "pull.sh:1: cannot know the lines written to images.txt",
        ),
        # What a container, a machine or a host runs, when its text is not known.
        ('docker exec c1 sh -c "$CMD"\n', "pull.sh:1: cannot know the command sh -c runs"),
        ('vagrant ssh -c "$CMD"\n', "pull.sh:1: cannot know the command vagrant ssh runs"),
        (
            'echo hi\ngcloud compute ssh vm --command "$X"\n',
            "pull.sh:2: cannot know the command gcloud compute ssh runs",
        ),
    ],
)
def test_warnings_name_the_line(source: str, warning: str) -> None:
    assert any(w.startswith(warning) for w in warnings_of(source)), warnings_of(source)


def test_a_file_mktemp_names_is_followed_and_named_as_written() -> None:
    # What the script writes to it and reads back; one it never writes is named by its
    # `$(mktemp)`, not by the name the reader gave it.
    source = (
        'LIST=$(mktemp)\necho "redis:7.2" > "$LIST"\nxargs -n1 docker pull < "$LIST"\n'
        'D=$(mktemp -d)\nwhile read -r i; do docker pull "$i"; done < "$D/list"\n'
    )
    assert inventory_of(source) == [(3, "redis:7.2", None)]
    assert warnings_of(source) == [
        "pull.sh:5: cannot know the lines of $(mktemp) of line 4/list without running the "
        "script: it reads that file but does not write it; the images in it are not audited "
        "(list them in the script)"
    ]


def test_the_repository_root_git_names_is_the_root() -> None:
    script = b'ROOT="$(git rev-parse --show-toplevel)"\nsource "${ROOT}/hack/images.sh"\n'
    files = {"hack/images.sh": b"docker pull ghcr.io/acme/api:1\n"}
    found = build_inventory([parse_pull_script("scripts/pull.sh", script, files.get)])
    assert [(str(i.source), i.ref) for i in found.images] == [
        ("hack/images.sh:1", "ghcr.io/acme/api:1")
    ]
    assert found.warnings == ()


def test_a_command_that_takes_an_image_at_hand_repeats_no_listed_image() -> None:
    # `docker tag`, `save`, `run` after the pull: no "listed again"; a second pull is one.
    source = (
        "docker pull nginx:1.25\ndocker tag nginx:1.25 localhost:5000/nginx:1.25\n"
        'docker run --rm nginx:1.25 nginx -v\nI="redis:7 a/b:1"\ndocker pull $I\n'
        "docker save -o all.tar $I\ndocker pull a/b:1\n"
    )
    assert inventory_of(source) == [
        (1, "nginx:1.25", None),
        (5, "redis:7", None),
        (5, "a/b:1", None),
    ]
    assert warnings_of(source) == ["pull.sh:7: a/b:1 is listed again (first at pull.sh:5)"]


def test_a_login_elsewhere_that_reads_nothing_runs_nothing() -> None:
    # An interactive shell in a container, a login, a shell whose input is empty.
    source = (
        "docker exec -it c1 bash\nkubectl exec -it p -- sh\nssh node1\nvagrant ssh\n"
        "sh < /dev/null\nssh -n node2 <<EOF\ndocker pull a/b:1\nEOF\n"
    )
    assert (inventory_of(source), warnings_of(source)) == ([], [])


@pytest.mark.parametrize(
    "source",
    [b"\xff\xfe\x00garbage((((", b"docker pull \x00\x01", b"", b"for for for; do", b")" * 1000],
)
def test_any_bytes_read_without_an_exception(source: bytes) -> None:
    read_inventory([("x.sh", source)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("redis", ImageRef("docker.io", "library/redis", None, None)),
        ("docker.io/library/redis", ImageRef("docker.io", "library/redis", None, None)),
        ("index.docker.io/library/redis:7", ImageRef("docker.io", "library/redis", "7", None)),
        (
            "example/app-base:python-distroless-arm64",
            ImageRef("docker.io", "example/app-base", "python-distroless-arm64", None),
        ),
        ("localhost:5000/a/b", ImageRef("localhost:5000", "a/b", None, None)),
        (
            "registry.example.com:5000/team/x:1.0",
            ImageRef("registry.example.com:5000", "team/x", "1.0", None),
        ),
        ("ghcr.io/o/p@sha256:" + "a" * 64, ImageRef("ghcr.io", "o/p", None, "sha256:" + "a" * 64)),
        ("a/b:1@sha256:" + "b" * 64, ImageRef("docker.io", "a/b", "1", "sha256:" + "b" * 64)),
    ],
)
def test_reference_grammar(text: str, expected: ImageRef) -> None:
    assert parse_reference(text) == expected


def test_canonical_identity() -> None:
    assert parse_reference("redis").canonical == "docker.io/library/redis:latest"
    redis = parse_reference("docker.io/library/redis")
    assert parse_reference("redis").canonical == redis.canonical
    assert parse_reference("redis:7").familiar_repository == "redis"
    assert parse_reference("ghcr.io/o/p:1").name == "p"
    digest = "sha256:" + "c" * 64
    assert parse_reference(f"a/b@{digest}").canonical == f"docker.io/a/b@{digest}"


@pytest.mark.parametrize(
    "text", ["", "UPPER/case", "a/b:", "a/b:-bad", "a/b@sha256:xyz", "a b", "a//b", ":tag"]
)
def test_not_references(text: str) -> None:
    with pytest.raises(ReferenceError):
        parse_reference(text)


def test_two_tags_of_one_repository_are_two_images_and_duplicates_are_one() -> None:
    source = "docker pull a/b:1\ndocker pull a/b:2\ndocker pull docker.io/a/b:1\n"
    assert inventory_of(source) == [(1, "a/b:1", None), (2, "a/b:2", None)]


def test_many_scripts_keep_their_paths_and_order() -> None:
    found = read_inventory([("one.sh", b"docker pull a/b:1\n"), ("two.sh", b"docker pull c/d:1\n")])
    assert [str(i.source) for i in found.images] == ["one.sh:1", "two.sh:1"]


@pytest.mark.parametrize(
    "source",
    [
        "docker --context edge pull a/b:1\n",
        "nerdctl --namespace k8s.io pull a/b:1\n",
        "podman --log-level=debug pull a/b:1\n",
        "ctr -n k8s.io images pull a/b:1\n",
        "docker -D pull a/b:1\n",
    ],
)
def test_global_flags_before_the_verb(source: str) -> None:
    assert inventory_of(source) == [(1, "a/b:1", None)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # A command name a branch sets: the first value that makes an image command.
        (
            "if command -v podman; then CLI=podman; else CLI=docker; fi\n$CLI pull a/b:1\n",
            [(2, "a/b:1", None)],
        ),
        # A command name from the environment, followed by a verb of the container tools.
        ("$RUNTIME pull a/b:1\n", [(1, "a/b:1", None)]),
        ('"$ENGINE" image pull a/b:1\n', [(1, "a/b:1", None)]),
        ("$TOOL frobnicate a/b:1\n", []),
    ],
)
def test_a_command_name_in_a_variable(source: str, expected: list[tuple[int, str, None]]) -> None:
    assert inventory_of(source) == expected


def test_an_unknown_element_of_a_listed_image_array_is_a_warning() -> None:
    source = 'IMAGES=(\n  "$(cat list.txt)"\n  a/b:1\n)\n'
    assert inventory_of(source) == [(3, "a/b:1", None)]
    assert warnings_of(source) == [
        "pull.sh:2: cannot know the value of $(cat list.txt) without running the script; the "
        "image is not audited (set the variable in the script or list the image literally)"
    ]


def test_a_loop_body_read_once_per_item_gives_each_item_its_own_words() -> None:
    # A command's words are worked out once per node and evaluated once per item: the
    # literal words are shared, the values (and bash's splitting of them) are the item's.
    source = (
        'for spec in "a/one:1 --quiet" "b/two:2"; do\n'
        "  docker pull --platform linux/arm64 $spec\n"
        '  sh -c \'docker pull "$1"\' _ "mirror/$spec"\n'
        "done\n"
    )
    assert inventory_of(source) == [
        (1, "b/two:2", None),
        (1, "mirror/b/two:2", None),
        (2, "a/one:1", None),  # split out of its item, it stands where the command is
    ]
    assert warnings_of(source) == [
        "pull.sh:1: 'mirror/a/one:1 --quiet' is not an image reference: "
        "'1 --quiet' is not a valid tag"
    ]


def test_dev_null_keeps_nothing_and_reads_as_empty() -> None:
    source = (
        'for i in a/one:1 b/two:2; do echo "$i" > /dev/null; done\n'
        'while read -r x; do docker pull "$x"; done < /dev/null\n'
        "docker pull c/three:3 >/dev/null 2>&1\n"
    )
    assert inventory_of(source) == [(3, "c/three:3", None)]
    assert warnings_of(source) == []


def test_a_read_outside_a_loop_sets_each_name_to_a_field_of_its_first_line() -> None:
    source = (
        'ROW="ghcr.io/acme/api:1.0|api"\n'
        "IFS='|' read -r image name <<< \"$ROW\"\n"
        'docker pull "$image"\n'
        'read -r first rest <<< "redis:7 nginx:1.27 mysql:8"\n'
        'docker pull "$first"\n'
        "docker pull $rest\n"
        'read -r -p "Tag? " TAG\n'
        'docker pull "app/x:$TAG"\n'
        'docker pull "$TAG"\n'
    )
    assert inventory_of(source) == [
        (3, "ghcr.io/acme/api:1.0", None),
        (5, "redis:7", None),
        (6, "nginx:1.27", None),
        (6, "mysql:8", None),
        (8, "app/x:$TAG", None),  # a tag read from the terminal: audited by its repository
    ]
    assert warnings_of(source) == [
        "pull.sh:7: cannot know the value of read TAG without running the script; the image "
        "is not audited (set the variable in the script or list the image literally)"
    ]


def test_a_list_file_named_by_an_unknown_expression_is_named_in_the_warning() -> None:
    source = (
        'cat "$LISTS/images.txt" | xargs -I {} sh -c "docker pull {}"\n'
        'xargs -a "$LISTS/images.txt" -n1 docker pull\n'
        "bash missing-pull.sh\n"
    )
    assert inventory_of(source) == []
    assert warnings_of(source) == [
        "pull.sh:1: cannot know the lines of $LISTS without running the script: it reads that "
        "file but does not write it; the images in it are not audited (list them in the script)",
        'pull.sh:2: cannot know the lines of "$LISTS/images.txt" without running the script: it '
        "reads that file but does not write it; the images in it are not audited (list them in "
        "the script)",
        "pull.sh:3: cannot read missing-pull.sh: the repository has no such script beside the "
        "script or at its root; the images it uses are not audited",
    ]


def test_a_loop_variable_the_body_sets_again_is_each_pass_its_own() -> None:
    """Each pass of a `for` binds its name afresh: a body that sets it again (`IMAGE=
    "org/$IMAGE"`) has no later value to warn about, whether the loop has one word or
    several (a loop read once for all its words)."""
    source = (
        'ONE="giraph"\n'
        'for IMAGE in $ONE; do IMAGE="ibmcb/${IMAGE}"; docker pull "$IMAGE:master"; done\n'
        'MANY="api web"\n'
        'for IMAGE in $MANY; do IMAGE="ibmcb/${IMAGE}"; docker pull "$IMAGE:master"; done\n'
    )
    assert inventory_of(source) == [
        (2, "ibmcb/giraph:master", None),
        (4, "ibmcb/api:master", None),
        (4, "ibmcb/web:master", None),
    ]
    assert warnings_of(source) == []


_QUOTED = st.lists(
    st.text(st.sampled_from(list("ab:/.-_ é😀\n\t\"'$`\\{}()[]@#")), max_size=12), max_size=6
)


@settings(max_examples=150, deadline=None)
@given(_QUOTED, st.booleans())
# Strings of blanks before a closing quote (`" "`, a quote on the next line): tree-sitter
# puts the blanks in the closing quote's token, and the pieces once lost them.
@example(['"', '" "', ")"], False)
def test_a_plain_double_quoted_string_reads_as_its_pieces_read_it(
    contents: list[str], open_at_the_end: bool
) -> None:
    """Strings without `$`, backtick or backslash are read whole (the usual image list),
    and so are an array's elements so written; every script reads the same as when each
    string is read piece by piece."""
    strings = "".join(f'    "example/app{i}-{content}:1"\n' for i, content in enumerate(contents))
    source = f'IMAGES=(\n{strings})\nX="example/x:{len(contents)}"\n'
    source += 'for i in "${IMAGES[@]}"; do docker pull "$i"; done\ndocker pull "$X"\n'
    data = source.encode("utf-8") + (b'Y="\xff' if open_at_the_end else b"")
    whole = parse_pull_script("pull.sh", data, {}.get)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bash_values, "_plain_string", lambda quoted: False)
        patch.setattr(pullscript, "plain_string", lambda quoted: False)
        pieces = parse_pull_script("pull.sh", data, {}.get)
    assert _without_scopes(whole) == _without_scopes(pieces)


def _without_scopes(found: SourceImages) -> object:
    """`found` without the syntax node ids of its candidates (one parse's memory)."""
    return [(c.text, c.line, c.column, c.path, category) for c, category in found.candidates], (
        replace(found, candidates=())
    )


def test_a_plain_string_is_read_whole_and_an_open_one_is_not() -> None:
    assert bash_values._plain_string(b'"example/app:1"')
    assert bash_values._plain_string(b'""')
    assert not bash_values._plain_string(b'"example/$APP:1"')
    assert not bash_values._plain_string(b'"example/app:1')  # left open: no closing quote
    assert not bash_values._plain_string(b'"a\\"b"')
