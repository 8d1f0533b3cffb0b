"""Specification of the inventory: every image a pull script USES, read statically.

One fixture per construct in tests/fixtures/scripts/, each written like the pull,
preload, air-gap and mirror scripts found in public repositories. For each one the
exact inventory `(line, ref, category)` and the exact warnings `(line, fragment)`.

The expected images are not guessed: `test_static_inventory_matches_a_run_with_stubs`
runs every fixture under bash with stub `docker`, `podman`, `nerdctl`, `finch`,
`skopeo`, `crane` and `ctr` commands that only log their arguments, derives the
images each command used by the rules below, and compares with the static read.
Only these fixtures are ever run; the product itself never runs a script.

Line rule: an image stands where its text stands. An array element's line, a loop
word's line, a heredoc or here-string line, a brace-expansion word's line; the
call's line for a function that builds the reference from its arguments; the
assignment's line for a reference that is one variable's whole value; otherwise
the line of the word that composes the reference in the command.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from image_docs_audit.inventory import build_inventory, parse_pull_script
from image_docs_audit.model import Inventory, Location

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"

Row = tuple[int | str, str, str | None]  # line (or `file:line` elsewhere), ref, category
Warned = tuple[int, str]  # line, a fragment the message must contain (the expression)


@dataclass(frozen=True)
class Case:
    images: list[Row]
    warnings: list[Warned] = field(default_factory=list)
    # Each run's extra environment; the union of the runs covers every branch.
    runs: list[dict[str, str]] = field(default_factory=lambda: [{}])
    # Listed by an IMAGE array that no command uses: in the inventory, never run.
    listed_only: frozenset[str] = frozenset()
    # Arguments a run passes that a static read cannot know (each one is warned about).
    run_only: frozenset[str] = frozenset()
    # Tools the run needs beyond bash and coreutils (`.ci/run` installs them).
    needs: tuple[str, ...] = ()


KUBEADM_MIRROR = "registry.cn-hangzhou.aliyuncs.com/google_containers"
K8S_MIRROR = "registry.aliyuncs.com/google_containers"

CASES: dict[str, Case] = {
    # --- values: loops with a prefix/suffix around the loop variable ---------------
    # --- commands run through a wrapper: a retry function, `$SUDO`, eval -----------
    "wrapper-functions-and-eval.sh": Case(
        # `retry docker pull X` runs `"$@"`: the call is the command. An unset `$SUDO`
        # vanishes; eval's words are read as a command of the script.
        images=[
            (22, "ghcr.io/acme/api:1.4.0", "Services"),
            (23, "ghcr.io/acme/worker:1.4.0", "Services"),
            (24, "redis:7.2", "Services"),
            (28, "ghcr.io/acme/tools-migrate:0.9", "Tools"),
            (28, "ghcr.io/acme/tools-seed:0.3", "Tools"),
        ],
        runs=[{"SUDO": ""}],
    ),
    "printf-composed.sh": Case(
        # A format that joins its arguments composes the reference where the command is;
        # one that only separates them (`%s\\n`) prints each on its own line. A loop's
        # output piped on is not followed: a warning, and the run pulls what it printed.
        images=[
            (8, "ghcr.io/acme/api:2.1.0", "Backends"),
            (9, "ghcr.io/acme/worker:2.1.0", "Backends"),
            (9, "ghcr.io/acme/cron:2.1.0", "Backends"),
        ],
        warnings=[(14, "the input of xargs")],
        run_only=frozenset({"mirror.gcr.io/library/postgres:16", "mirror.gcr.io/library/redis:7"}),
    ),
    "pattern-substitution.sh": Case(
        # `${LIST//,/ }` with a literal pattern is applied; one with a glob is warned about.
        images=[
            (7, "ghcr.io/acme/api:1.0", "Services"),
            (7, "ghcr.io/acme/web:1.0", "Services"),
            (10, "ghcr.io/acme/base:1.0", "Services"),
            (16, "acme/tools:2.0", "Mirrored"),  # a trim pattern with a variable in it
            # `/%` and `/#` replace at the end or the start only; an element stands in its array
            (19, "ghcr.io/acme/api:1.0-arm64", "Arm builds"),
            (19, "ghcr.io/acme/worker:1.0-arm64", "Arm builds"),
            (24, "proxy.acme.io/nginx:1.27", "Proxied"),  # `\/` is a slash of the pattern
        ],
        warnings=[(11, "${BASE_IMAGE//[0-9]/x}")],
        run_only=frozenset({"ghcr.io/acme/base:x.x-rc"}),
    ),
    "read-array.sh": Case(
        # `read -a` of a herestring: the fields of its line, split at the command's own
        # IFS (`IFS=, read -ra`) or at white space; each stands where it is used.
        images=[
            (8, "ghcr.io/acme/api:3.2", "Services"),
            (8, "ghcr.io/acme/web:3.2", "Services"),
            (13, "busybox:1.36", "Tools"),
            # `IFS=$SEP` with SEP set by the script; a header above the values' assignments
            (19, "ghcr.io/acme/queue:3.2", "Workers"),
            (19, "ghcr.io/acme/cron:3.2", "Workers"),
        ],
    ),
    "gnu-parallel.sh": Case(
        # GNU parallel: the command is read as a script, each input source (`:::` words,
        # stdin) its `$1`, `$2`..., where `{}` / `{1}` stand or after it, every combination.
        images=[
            (7, "python:3.12-slim", None),
            (8, "node:20-alpine", None),
            (15, "ghcr.io/acme/api:1.4.0", "Services"),
            (15, "ghcr.io/acme/worker:1.4.0", "Services"),
            (18, "alpine:3.20", "Tools"),
            (18, "busybox:1.36", "Tools"),
            (22, "mirror.acme.io/redis:7.2", "Mirrored"),
        ],
        needs=("parallel",),
    ),
    "jq-list.sh": Case(
        # `jq -r PATH FILE` with a path for a query: what it prints stands in the JSON file,
        # under the header above the command that uses it.
        images=[
            ("jq-list.json:2", "python:3.12-slim", "Base images"),
            ("jq-list.json:2", "node:20-alpine", "Base images"),
            ("jq-list.json:4", "ghcr.io/acme/api:5.0", "Services"),
            ("jq-list.json:5", "ghcr.io/acme/worker:5.0", "Services"),
        ],
        needs=("jq",),
    ),
    "ifs-split.sh": Case(
        # `IFS=,` cuts the unquoted `$LIST` on commas until the script restores it; a
        # prefix `IFS=';' read` sets the IFS of that command alone.
        images=[
            (6, "ghcr.io/acme/api:2.0", "Services"),
            (6, "ghcr.io/acme/web:2.0", "Services"),
            (15, "redis:7.2", "Caches"),
            (15, "memcached:1.6", "Caches"),
            (20, "alpine:3.20", "Tools"),
            (20, "busybox:1.36", "Tools"),
        ],
    ),
    "counters.sh": Case(
        # Arrays filled and walked with counters: `LIST[$n]=$x; ((n += 1))`, a `while`
        # over `${LIST[$i]}` with `i=$((i + 1))`, `LIST[${#LIST[@]}]=x`, `let`, arithmetic
        # and negative subscripts, a C-style `for`, `$(seq ...)`. A header above a loop
        # that only fills an array is the header of the loop that pulls it.
        images=[
            (17, "postgres:16.4", "Databases"),
            (17, "mysql:8.4", "Databases"),
            (17, "mariadb:11.4", "Databases"),
            (26, "redis:7.4", "Caches"),
            (27, "memcached:1.6", "Caches"),
            (33, "alpine:3.20", "Tools"),
            (33, "busybox:1.36", "Tools"),
            (33, "curlimages/curl:8.9.1", "Tools"),
            (40, "ghcr.io/acme/shard-1:1.0", "Shards"),
            (40, "ghcr.io/acme/shard-2:1.0", "Shards"),
            (43, "ghcr.io/acme/shard-9:1.0", "Shards"),
            (43, "ghcr.io/acme/shard-6:1.0", "Shards"),
            (43, "ghcr.io/acme/shard-3:1.0", "Shards"),
            ("counters.list:1", "ghcr.io/acme/api:3.1", "Services"),
            ("counters.list:2", "ghcr.io/acme/web:3.1", "Services"),
            ("counters.list:3", "ghcr.io/acme/worker:3.1", "Services"),
        ],
    ),
    "shells-and-written-files.sh": Case(
        # Lines piped into `bash -s` and written by xargs into `sh -c "{}"` are commands;
        # a loop's output piped into `sh`, a `bash -c` script that is not known and a file
        # written by a grep of a file the repository does not hold each warn; a bare
        # heredoc is a block comment.
        images=[
            (7, "ghcr.io/acme/mirror-a:1.0", "Mirrors"),
            (7, "ghcr.io/acme/mirror-b:1.0", "Mirrors"),
            (9, "ghcr.io/acme/mirror-c:1.0", "Mirrors"),
            (10, "ghcr.io/acme/mirror-d:1.0", "Mirrors"),
            (27, "redis:7.4", "Listed"),
        ],
        warnings=[(16, "piped into a shell"), (17, "sh -c"), (24, "./deploy.yaml")],
        run_only=frozenset({"alpine:3.20", "busybox:1.36", "/tools:2.0"}),
    ),
    "locals-and-wrappers.sh": Case(
        # `local` restores the caller's variable; `command eval`, `builtin eval`,
        # `command CMD`; one image for a value both branches give; an associative array's
        # keys, not its values; apptainer's `docker://` images; a pull run over ssh; a
        # shell behind `timeout` or `env`. A header above function definitions reaches
        # the calls after them.
        images=[
            (13, "redis:7.4-alpine", "Mirrored"),
            (14, "nginx:1.27-alpine", "Mirrored"),
            (17, "alpine:3.20", "Tools"),
            (18, "busybox:1.36", "Tools"),
            (20, "ghcr.io/acme/cli:2.1", "Tools"),
            (27, "postgres:16.4", "Seen"),
            (27, "mysql:8.4", "Seen"),
            (30, "ghcr.io/acme/fsl:6.0.5", "Research"),
            (31, "python:3.12-slim", "Research"),
            (35, "ghcr.io/acme/agent:3.0", "Nodes"),
            (39, "ghcr.io/acme/wrapped:1.0", "Wrapped"),
            (40, "ghcr.io/acme/wrapped:2.0", "Wrapped"),
        ],
    ),
    "argument-tests.sh": Case(
        # `[[ $1 == *"/"* ]]`, `[ "$1" = arm64 ]` and `[ -z "$1" ]` on a function's known
        # argument (or a local copy of it) run one branch, as bash does; `$PLATFORM`, set
        # to an option and its value in each branch, is two words that are not images.
        images=[
            (14, "mirror.example.com/library/redis:7.4", "Mirrored"),
            (15, "mirror.example.com/grafana/grafana:11.1.0", "Mirrored"),
            (20, "ghcr.io/acme/agent:3.0-arm64", "Per architecture"),
            (22, "ghcr.io/acme/agent:3.0", "Per architecture"),
            (30, "ghcr.io/acme/probe:1.2", "Per architecture"),
            (41, "docker.io/library/alpine:3.20", "Local copies"),
            (42, "quay.io/prometheus/node-exporter:v1.8.2", "Local copies"),
        ],
    ),
    "dry-runs-and-script-files.sh": Case(
        # `DOCKER="echo docker"` or `RUN=echo` in one branch prints, the other pulls; an
        # option carrying a value not known stays an option; `${repos[@]}` of a plain
        # variable is its value; `$[ ]` is arithmetic; `bash FILE ARG` runs another script
        # of the repository with its argument.
        images=[
            (9, "nginx:1.27", "Mirrored"),
            (11, "redis:7.4", "Mirrored"),
            (13, "docker.io/library/alpine:3.20", "Mirrored"),
            (16, "busybox:1.36", "Listed"),
            (16, "memcached:1.6", "Listed"),
            (21, "ghcr.io/acme/shard:3", "Listed"),
            (24, "ghcr.io/acme/api:5.0", "Delegated"),
            ("more-images.bash:3", "ghcr.io/acme/sidecar:0.4", "Delegated"),
        ],
    ),
    "remote-shells.sh": Case(
        # A command run on a host, in a container or a machine: a login shell there reads
        # what ssh reads (a heredoc, a pipe; nothing with `-n`), `bash -s < FILE` runs that
        # file where its commands stand, under the header of the line that runs it;
        # `docker exec C sh`, `kubectl exec P -- sh -c`, `vagrant ssh -c`, `gcloud compute
        # ssh --command=`. An unquoted heredoc is expanded here, before it goes.
        images=[
            (10, "ghcr.io/acme/agent:1.2", "Nodes"),
            (13, "ghcr.io/acme/relay:2.0", "Nodes"),
            (22, "docker.io/library/busybox:1.36", "Containers"),
            (24, "docker.io/library/alpine:3.20", "Containers"),
            (25, "redis:7.4", "Containers"),
            (28, "postgres:16.4", "Machines"),
            (29, "nginx:1.27", "Machines"),
            (31, "mysql:8.4", "Machines"),
            ("remote-node.bash:2", "prom/node-exporter:v1.8.2", "Nodes"),
            ("remote-node.bash:2", "grafana/promtail:3.1.1", "Nodes"),
        ],
    ),
    "openshift-mirror.sh": Case(
        # `oc adm release mirror --from=`, `oc adm catalog mirror SRC DST`, `oc image mirror`
        # with a source and a target or with SRC=DST mappings: the sources.
        images=[
            (9, "quay.io/openshift-release-dev/ocp-release:4.14.2-x86_64", "Release"),
            (11, "registry.redhat.io/redhat/redhat-operator-index:v4.14", "Release"),
            (14, "quay.io/acme/api:1.0", "Extras"),
            (16, "quay.io/acme/web:2.0", "Extras"),
            (17, "docker.io/library/redis:7.4", "Extras"),
        ],
    ),
    "built-lists-and-commands.sh": Case(
        # `LIST="$LIST $image"` and `CMD+=" $image"` keep their blanks; a command line held
        # in a variable with a part not known warns; a map key not known is named; `=` with
        # a glob in `[[ ... || ... ]]` parses; `microk8s.ctr` is ctr; `"${ARRAY[@]}"` is a
        # word per element (a command or options kept in an array); an unset `$OPTS`
        # before the verb is no verb.
        images=[
            (10, "nginx:1.27", "Bundled"),
            (10, "redis:7.4", "Bundled"),
            (15, "alpine:3.20", "Bundled"),
            (21, "busybox:1.36", "Mapped"),
            (27, "docker.io/library/memcached:1.6", "Cluster"),
            (32, "ghcr.io/acme/opts:1.0", "Arrays"),
            (34, "ghcr.io/acme/context:1.0", "Arrays"),
            (36, "ghcr.io/acme/held:1.0", "Arrays"),
        ],
        warnings=[(21, "app-image.txt"), (29, "$PULL")],
        run_only=frozenset({"ghcr.io/acme/api:"}),  # the tag file is not there
    ),
    "unended-list.sh": Case(
        # The list's last line has no line end: `while read` skips it (with a warning) unless
        # the loop also runs when `read` fails with a value (`|| [ -n "$image" ]`).
        images=[
            ("unended.list:1", "ghcr.io/acme/web:4.2", "Services"),
            ("unended.list:1", "mirror.example.com/ghcr.io/acme/web:4.2", "Mirrors"),
            ("unended.list:2", "mirror.example.com/redis:7.4", "Mirrors"),
        ],
        warnings=[(7, "unended.list has no line end")],
    ),
    "posix-for.sh": Case(
        # `for name do` (POSIX, no `in` and no `;`) loops over the arguments.
        images=[
            (10, "alpine:3.20", "Base images"),
            (10, "debian:12-slim", "Base images"),
            (16, "busybox:1.36", "Tools"),
        ],
    ),
    "head-tail.sh": Case(
        # `tail -n +2 FILE` skips a CSV's header line, `head -n 2 FILE` keeps a list's first
        # two lines: counted by the lines of the file, as coreutils counts them.
        images=[
            ("head-tail.csv:2", "ghcr.io/acme/api:4.1.0", "Services"),
            ("head-tail.csv:3", "ghcr.io/acme/worker:4.1.0", "Services"),
            ("head-tail.txt:1", "busybox:1.36", "Tools"),
            ("head-tail.txt:2", "alpine:3.20", "Tools"),
        ],
    ),
    "list-filters.sh": Case(
        # sort, uniq, and a sed that only drops comments and blank lines pass the list on;
        # the third pipeline follows a three-stage one whose end tree-sitter runs into it.
        images=[
            ("list-filters.txt:2", "nginx:1.27", "Core"),
            ("list-filters.txt:3", "redis:7.2", "Core"),
            ("list-filters.txt:6", "busybox:1.36", "Tools"),
        ],
    ),
    "name-reference.sh": Case(
        # `local -n images=$1` names the array the call names: its elements, where they stand.
        images=[
            (14, "ghcr.io/acme/api:2.3", "Core"),
            (15, "ghcr.io/acme/web:2.3", "Core"),
            (20, "prom/prometheus:v2.53.0", "Monitoring"),
        ],
    ),
    "shift-loops.sh": Case(
        # A while loop that shifts a function's arguments is read once per argument, not
        # once for `$1` alone.
        images=[
            (20, "postgres:16", "Databases"),
            (20, "redis:7.2", "Databases"),
            (23, "ghcr.io/acme/api:4.1.0", "Services"),
            (23, "ghcr.io/acme/worker:4.1.0", "Services"),
            # `set -- $TOOLS` sets the script's arguments; `for tool; do` loops over them
            (27, "busybox:1.36", "Tools"),
            (27, "alpine:3.20", "Tools"),
            # `case "$1"` on a known argument runs the branch it matches: `-p` takes the
            # next argument, so neither `-p` nor `linux/arm64` is an image, and `caddy`
            # after them is one.
            (45, "nginx:1.27", "Platform images"),
            (45, "caddy:2.8", "Platform images"),
            (45, "redis:7.4", "Platform images"),
        ],
    ),
    "slices-and-case.sh": Case(
        # `${V:0:4}`, `${L[@]:1}` and `${V,,}` over values the script sets, as bash cuts them.
        images=[
            (8, "nginx:1.27", "Web"),
            (9, "ghcr.io/acme/web:1.27.0", "Web"),
            (12, "alpine:3.20", "Tools"),
            (12, "curlimages/curl:8.8.0", "Tools"),
        ],
    ),
    "sourced-versions.sh": Case(
        # `source "$SCRIPT_DIR/x.env"`: the file is read as part of the script; what it
        # sets stands in it (its whole value, a function's command), under its headers.
        images=[
            (9, "nginx:1.27.0", "Web"),
            (17, "ghcr.io/acme/api:4.1.0", "Services"),
            (18, "ghcr.io/acme/worker:4.1.0", "Services"),
            ("sourced-versions.env:3", "redis:7.2", "Web"),  # used under `# Web`
            ("sourced-versions.env:9", "python:3.12-slim", "Base images"),
            ("sourced-versions.env:10", "node:20-alpine", "Base images"),
        ],
    ),
    "tab-separated-list.sh": Case(
        # `IFS=$'\\t'` is a tab (an ANSI-C string), not the characters `$`, `\\` and `t`; a
        # trim pattern that starts with a blank (`${X%% *}`) keeps it.
        images=[
            (8, "ghcr.io/acme/api:4.0.1", "Backends"),
            (9, "ghcr.io/acme/worker:4.0.1", "Backends"),
            (14, "redis:7.2", "Cache"),
        ],
    ),
    "kubeadm-mirror-prefixed-loop.sh": Case(
        # The bare elements (kube-apiserver:v1.18.2 ...) are NOT images, though the
        # array is named `images`; `docker tag`'s destination k8s.gcr.io/... is not one.
        # The pull and the tag use one text at one line: one image, no repeat warning.
        images=[
            (6, f"{KUBEADM_MIRROR}/kube-apiserver:v1.18.2", None),
            (7, f"{KUBEADM_MIRROR}/kube-controller-manager:v1.18.2", None),
            (8, f"{KUBEADM_MIRROR}/kube-scheduler:v1.18.2", None),
            (9, f"{KUBEADM_MIRROR}/kube-proxy:v1.18.2", None),
            (10, f"{KUBEADM_MIRROR}/pause:3.2", None),
            (11, f"{KUBEADM_MIRROR}/etcd:3.4.3-0", None),
            (12, f"{KUBEADM_MIRROR}/coredns:1.6.7", None),
        ],
    ),
    "loop-words-prefix-suffix.sh": Case(
        images=[
            (10, "ghcr.io/acme/shop-cart:2.4.1-arm64", "Storefront services"),
            (11, "ghcr.io/acme/shop-checkout:2.4.1-arm64", "Storefront services"),
            (12, "ghcr.io/acme/shop-catalog:2.4.1-arm64", "Storefront services"),
            (17, "ghcr.io/acme/jobs/nightly-report:2.4.1", "Jobs"),
            (17, "ghcr.io/acme/jobs/invoice-export:2.4.1", "Jobs"),
        ],
    ),
    "heredoc-while-read-prefix.sh": Case(
        images=[
            (11, "mirror.gcr.io/library/nginx:1.27.0", "Docker Hub via the mirror"),
            (12, "mirror.gcr.io/library/httpd:2.4.61", "Docker Hub via the mirror"),
            (14, "mirror.gcr.io/library/traefik:v3.1.0", "Docker Hub via the mirror"),
        ],
    ),
    # --- an IMAGE array counts on its own only when no command uses it -------------
    "listing-only-array.sh": Case(
        images=[
            (7, "registry.k8s.io/kube-apiserver:v1.30.2", "Control plane"),
            (8, "registry.k8s.io/etcd:3.5.12-0", "Control plane"),
            (10, "docker.io/calico/node:v3.28.0", "Networking"),
            (11, "docker.io/calico/cni:v3.28.0", "Networking"),
        ],
        listed_only=frozenset(
            {
                "registry.k8s.io/kube-apiserver:v1.30.2",
                "registry.k8s.io/etcd:3.5.12-0",
                "docker.io/calico/node:v3.28.0",
                "docker.io/calico/cni:v3.28.0",
            }
        ),
    ),
    "product-array-categories.sh": Case(
        images=[
            (9, "example/app-base:python-distroless-arm64", "Base Images"),
            (10, "example/app-base:node-distroless-arm64", "Base Images"),
            (13, "example/app-config-server:latest-arm64", "Phase 1: Foundation Services"),
            (14, "example/app-secrets-vault:latest-arm64", "Phase 1: Foundation Services"),
            (17, "example/app-api-gateway:latest-arm64", "Phase 2: Core Services"),
            (18, "example/app-session-api:latest-arm64", "Phase 2: Core Services"),
        ],
    ),
    # --- commands ------------------------------------------------------------------
    "airgap-save-bundle.sh": Case(
        # Pulled and saved from one array: each image once, at its element.
        images=[
            (9, "quay.io/keycloak/keycloak:24.0.5", None),
            (10, "docker.io/bitnami/postgresql:16.3.0", None),
            (11, "docker.io/library/nginx:1.27.0-alpine", None),
            (21, "busybox:1.36.1", "Debug tools"),
            (22, "nicolaka/netshoot:v0.13", "Debug tools"),
            (23, "alpine:3.20", "Debug tools"),
        ],
    ),
    "run-and-create.sh": Case(
        # Option values (-p, -v, -e, --name, --network, -w, -u, --entrypoint,
        # --platform, --restart) and the arguments after the image are not images;
        # `docker network create` creates no container.
        images=[
            (12, "registry:2.8.3", "Registry cache"),
            (16, "postgres:16.3", "Database"),
            (20, "ghcr.io/acme/migrate:1.9.0", "One-off migration and tools"),
            (21, "busybox:1.36.1", "One-off migration and tools"),
            (22, "ghcr.io/acme/cli:3.2.0", "One-off migration and tools"),
        ],
    ),
    "retag-push-mirror.sh": Case(
        # `docker tag SRC DST`: SRC only; ${src##*/} stands in DST, so no warning.
        images=[
            (8, "nginx:1.27.0", None),
            (9, "redis:7.2.5", None),
            (10, "quay.io/prometheus/node-exporter:v1.8.1", None),
            (22, "ghcr.io/acme/api:1.5.0-rc.2", "Promote the release candidate"),
        ],
    ),
    "skopeo-mirror.sh": Case(
        # The docker:// source without its transport; the destination is a copy.
        # `skopeo sync --src docker` takes a registry reference with no transport.
        images=[
            (8, "quay.io/argoproj/argocd:v2.11.3", None),
            (9, "ghcr.io/dexidp/dex:v2.39.1", None),
            (18, "registry.k8s.io/pause:3.9", "Digest check before the copy"),
            (19, "docker.io/library/alpine:3.20", "Digest check before the copy"),
            (20, "registry.k8s.io/coredns/coredns:v1.11.1", "Digest check before the copy"),
        ],
    ),
    "buildx-imagetools.sh": Case(
        # `buildx imagetools create -t DST SRC...`: every source; `inspect`: its image;
        # `buildx build` pulls no image of the inventory.
        images=[
            (7, "docker.io/library/nginx:1.27", "Mirrored"),
            (9, "ghcr.io/acme/base-amd64:2", "Mirrored"),
            (9, "ghcr.io/acme/base-arm64:2", "Mirrored"),
            (10, "redis:7.4", "Mirrored"),
        ],
    ),
    "minikube-preload.sh": Case(
        # `minikube image pull` and `cache add` pull into the cluster; `image load` loads a
        # local image into it (an archive it loads is no image).
        images=[
            (7, "ghcr.io/acme/api:3.0", "Services"),
            (7, "ghcr.io/acme/web:3.0", "Services"),
            (8, "redis:7.2", "Services"),
            (11, "ghcr.io/acme/local:dev", "Local builds"),
        ],
    ),
    "regctl-mirror.sh": Case(
        # `regctl image copy|cp|export SRC ...`: the source; `image digest` reads its image
        # (pulled already here).
        images=[
            (7, "docker.io/library/nginx:1.27", "Mirrored"),
            (7, "quay.io/prometheus/prometheus:v2.53.0", "Mirrored"),
            (10, "ghcr.io/acme/api:3.2", "Mirrored"),
            (13, "alpine:3.20", "Offline"),
        ],
    ),
    "skopeo-sync-yaml.sh": Case(
        # `skopeo sync --src yaml FILE`: each tag the file lists, at its line there; a
        # repository synced with every tag, or with the tags a pattern picks, by its name.
        images=[
            ("skopeo-sync-yaml.yml:4", "docker.io/library/busybox:1.36", "Mirrored"),
            ("skopeo-sync-yaml.yml:5", "docker.io/library/busybox:1.37", "Mirrored"),
            ("skopeo-sync-yaml.yml:6", "docker.io/library/redis", "Mirrored"),
            ("skopeo-sync-yaml.yml:8", "docker.io/library/nginx", "Mirrored"),
            ("skopeo-sync-yaml.yml:13", "quay.io/prometheus/node-exporter:v1.8.0", "Mirrored"),
            (
                "skopeo-sync-yaml.yml:14",
                "quay.io/prometheus/node-exporter@sha256:"
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "Mirrored",
            ),
        ],
    ),
    "crane-copy.sh": Case(
        # copy SRC DST: SRC; pull IMAGE... TARBALL: every image; export IMAGE TARBALL.
        images=[
            (9, "ghcr.io/acme/controller:v0.42.0", "Release images"),
            (9, "ghcr.io/acme/webhook:v0.42.0", "Release images"),
            (14, "gcr.io/distroless/static:nonroot", "Offline tarballs"),
            (15, "cgr.dev/chainguard/busybox:latest", "Offline tarballs"),
            (15, "cgr.dev/chainguard/curl:latest", "Offline tarballs"),
            (16, "alpine:3.20", "Offline tarballs"),
        ],
    ),
    "containerd-ctr-preload.sh": Case(
        images=[
            (8, "docker.io/rancher/mirrored-pause:3.6", "k3s system images"),
            (9, "docker.io/rancher/mirrored-coredns-coredns:1.10.1", "k3s system images"),
            (10, "docker.io/rancher/local-path-provisioner:v0.0.28", "k3s system images"),
            (13, "ghcr.io/acme/edge-agent:0.9.3", "Workloads"),
        ],
    ),
    "podman-nerdctl-finch.sh": Case(
        images=[
            (6, "quay.io/fedora/fedora-minimal:40", "Podman hosts"),
            (7, "docker.io/library/caddy:2.8.4", "Podman hosts"),
            (7, "docker.io/valkey/valkey:7.2.5", "Podman hosts"),
            (10, "ghcr.io/acme/sidecar:1.3.0", "nerdctl (containerd) hosts"),
            (11, "registry.k8s.io/pause:3.9", "nerdctl (containerd) hosts"),
            (14, "public.ecr.aws/docker/library/python:3.12-slim", "finch (macOS)"),
            (15, "public.ecr.aws/aws-cli/aws-cli:2.17.0", "finch (macOS)"),
        ],
    ),
    "docker-global-flags.sh": Case(
        images=[
            (6, "ghcr.io/acme/edge-agent:0.9.3", "Edge nodes"),
            (7, "ghcr.io/acme/edge-agent:0.9.2", "Edge nodes"),
            (8, "ghcr.io/acme/edge-firmware", "Edge nodes"),
        ],
    ),
    # --- feeding: xargs, lists written and read back, a command in a variable ------
    "xargs-heredoc.sh": Case(
        images=[
            (9, "ghcr.io/acme/workshop-ide:2024.06", "Workshop images"),
            (10, "ghcr.io/acme/workshop-docs:2024.06", "Workshop images"),
            (11, "docker.io/library/postgres:16.3", "Workshop images"),
            (16, "docker.io/curlimages/curl:8.8.0", "Pinned helpers"),
            (17, "docker.io/mikefarah/yq:4.44.2", "Pinned helpers"),
        ],
    ),
    "xargs-herestring.sh": Case(
        # A multi-line string: each reference at the line of the string it stands on.
        images=[
            (6, "grafana/grafana:11.1.0", "Observability stack"),
            (7, "prom/prometheus:v2.53.0", "Observability stack"),
            (8, "grafana/loki:3.1.0", "Observability stack"),
            (13, "jaegertracing/all-in-one:1.58", "Tracing"),
            (13, "otel/opentelemetry-collector:0.104.0", "Tracing"),
        ],
    ),
    "xargs-echo-printf-cat-pipe.sh": Case(
        images=[
            (5, "node:20.15-alpine", "Runtime images"),
            (5, "python:3.12-slim", "Runtime images"),
            (6, "golang:1.22.5", "Runtime images"),
            (6, "rust:1.79", "Runtime images"),
            (10, "moby/buildkit:v0.14.1", "Build cache"),
            (11, "tonistiigi/binfmt:qemu-v8.1.5", "Build cache"),
        ],
    ),
    "alternate-values.sh": Case(
        # `${VAR:+TEXT}` is TEXT where VAR is set and not empty, for each value it may
        # have (REGISTRY="" in one branch: no `/` there); a variable one branch sets may
        # be unset (no prefix then); `${VAR+TEXT}` is TEXT where VAR is set, even empty.
        images=[
            (6, "mirror.example.com/library/nginx:1.27", "Mirrors"),
            (9, "library/nginx:1.27", "Mirrors"),
            (13, "cache.example.com/redis:7.4", "Caches"),
            (15, "redis:7.4", "Caches"),
            (19, "alpine:3.20", "Pinned"),
        ],
        runs=[{}, {"MIRROR": "yes", "PROXY": "1"}],
    ),
    "xargs-quoted-items.sh": Case(
        # xargs takes off the quotes (and a backslash) its input writes, as a compose
        # file's quoted values give them; under -I, a line's leading blanks too.
        images=[
            (9, "nginx:1.27-alpine", None),
            (11, "redis:7.4", None),
            (13, "ghcr.io/acme/api:1.0", None),
            (18, "ghcr.io/acme/worker:2.0", None),
            (19, "ghcr.io/acme/cron:3.0", None),
        ],
    ),
    "cat-written-list.sh": Case(
        images=[
            (6, "docker.io/library/traefik:v3.1.0", None),
            (7, "docker.io/library/mariadb:11.4.2", None),
            (8, "ghcr.io/linuxserver/nextcloud:29.0.3", None),
            (14, "docker.io/library/busybox:1.36.1", None),
            (15, "docker.io/library/alpine:3.20.1", None),
        ],
    ),
    "pull-command-variable.sh": Case(
        images=[
            (8, "nats:2.10.17", "Core"),
            (8, "minio/minio:RELEASE.2024-06-29T01-20-47Z", "Core"),
            (14, "eclipse-mosquitto:2.0.18", "Edge"),
            (15, "nodered/node-red:4.0.2", "Edge"),
            (17, "influxdb:2.7.6", "Edge"),
        ],
    ),
    # --- values: brace expansion, associative arrays, defaults ---------------------
    "brace-expansion.sh": Case(
        images=[
            (8, "registry.example.com/acme/web:1.2", "Application"),
            (8, "registry.example.com/acme/worker:1.2", "Application"),
            (13, "ghcr.io/acme/envoy-config:v3", "Sidecars"),
            (13, "ghcr.io/acme/log-shipper:v3", "Sidecars"),
        ],
    ),
    "associative-array.sh": Case(
        # BASE[node] is never used (and BASE is not named for images): not an image.
        images=[
            (6, "ghcr.io/acme/api:4.2.0", "Services"),
            (7, "ghcr.io/acme/web:4.2.1", "Services"),
            (8, "ghcr.io/acme/worker:4.1.9", "Services"),
            (17, "python:3.12-slim-bookworm", "Base images"),
        ],
    ),
    "default-values.sh": Case(
        images=[
            (7, "registry.example.com/platform/gateway:2024.05.1-arm64", None),
            (8, "registry.example.com/platform/auth:2024.05.1-arm64", None),
            (9, "postgres:16.3-alpine", None),
            (11, "haproxy:3.0.2-alpine", None),
        ],
    ),
    # --- functions, branches, resets -----------------------------------------------
    "function-args.sh": Case(
        images=[
            (18, "registry.example.com/acme-web:v1.0", "Applications"),
            (19, "registry.example.com/acme-worker:v1.0.3", "Applications"),
            (20, "registry.example.com/acme-scheduler:v0.9", "Applications"),
            (23, "python:3.12-slim", "Base images"),
            (24, "eclipse-temurin:21-jre", "Base images"),
        ],
        # A call with the script's own arguments cannot be known: warned at the call.
        warnings=[(27, "$1")],
    ),
    "function-sets-values.sh": Case(
        images=[
            (12, "registry.example.com/prod/api:5.4.2", "Release"),
            (13, "registry.example.com/prod/ui:5.4.0", "Release"),
        ],
    ),
    "main-reset-append.sh": Case(
        images=[
            (11, "ghcr.io/acme/hub:3.0.1", "Core"),
            (11, "ghcr.io/acme/hub-ui:3.0.1", "Core"),
            (14, "prom/prometheus:v2.53.0", "Monitoring"),
            (15, "grafana/grafana:11.1.0", "Monitoring"),
            (21, "docker.io/library/redis:7.2.5", "Extras"),
            (22, "docker.io/library/rabbitmq:3.13-management", "Extras"),
        ],
        runs=[{}, {"WITH_MONITORING": "true", "PROFILE": "full"}],
    ),
    "case-arch-arrays.sh": Case(
        images=[
            (10, "ghcr.io/acme/edge-agent:0.9.3-amd64", "Edge runtime"),
            (11, "ghcr.io/acme/edge-gpu-runtime:1.4.0-amd64", "Edge runtime"),
            (17, "ghcr.io/acme/edge-agent:0.9.3-arm64", "Edge runtime"),
            (18, "ghcr.io/acme/edge-npu-runtime:0.7.2-arm64", "Edge runtime"),
            (27, "docker.io/rancher/mirrored-pause:3.6", "Common"),
        ],
        runs=[{"ARCH": "x86_64"}, {"ARCH": "aarch64"}],
    ),
    "case-version-prefixed.sh": Case(
        images=[
            (10, f"{K8S_MIRROR}/kube-apiserver:v1.30.2", None),
            (10, f"{K8S_MIRROR}/kube-proxy:v1.30.2", None),
            (10, f"{K8S_MIRROR}/pause:3.9", None),
            (10, f"{K8S_MIRROR}/etcd:3.5.12-0", None),
            (13, f"{K8S_MIRROR}/kube-apiserver:v1.31.0", None),
            (13, f"{K8S_MIRROR}/kube-proxy:v1.31.0", None),
            (13, f"{K8S_MIRROR}/pause:3.10", None),
            (13, f"{K8S_MIRROR}/etcd:3.5.15-0", None),
        ],
        runs=[{"K8S_VERSION": "v1.30.2"}, {"K8S_VERSION": "v1.31.0"}],
    ),
    "if-branches.sh": Case(
        # One variable, one value per branch: each value at its own assignment.
        images=[
            (6, "nvidia/cuda:12.4.1-runtime-ubuntu22.04", "Inference base"),
            (8, "arm64v8/ubuntu:22.04", "Inference base"),
            (10, "ubuntu:22.04", "Inference base"),
        ],
        runs=[{"GPU": "1"}, {"ARCH": "arm64"}, {}],
    ),
    # --- no silent miss --------------------------------------------------------------
    "template-placeholders.sh": Case(
        # One warning per placeholder command; `docker image ls --format '{{...}}'`
        # uses no image, so its template is no concern.
        images=[(10, "docker.io/library/haproxy:3.0.2", "Load balancer")],
        warnings=[(6, "preload_image"), (7, "{{ .Values.image.repository }}")],
        run_only=frozenset(
            {"{{", "preload_image", "}}", "{{ .Values.image.repository }}:{{ .Values.image.tag }}"}
        ),
    ),
    "unresolvable-expressions.sh": Case(
        # `${IMG#pattern}` is a trim bash does without running anything: it is read.
        # `$UNSET_REG/app:1` names its image after a registry not known: audited by
        # its name (the run, with the variable unset, pulls `/app:1`).
        images=[
            (7, "library/nginx:1.27.0", None),
            (8, "$UNSET_REG/app:1", None),
            (14, "docker.io/library/memcached:1.6.29", "Known"),
        ],
        warnings=[
            (6, "$(cat list.txt)"),
            (9, "MISSING"),
            (10, "${SOURCE_REF}"),
            (11, "$1"),
        ],
        listed_only=frozenset({"$UNSET_REG/app:1"}),
        run_only=frozenset({"/app:1"}),
    ),
    "repeat-listed-again.sh": Case(
        images=[
            (5, "postgres:16.3", "Databases"),
            (6, "redis:7.2.5", "Databases"),
            (9, "ghcr.io/acme/api:3.1.0", "Everything the test suite needs"),
        ],
        warnings=[(9, "postgres:16.3")],
    ),
    # --- negative: nothing is used -------------------------------------------------
    "no-images-echo-and-logging.sh": Case(images=[]),
    "no-images-other-docker-commands.sh": Case(images=[]),
    # --- category headers ------------------------------------------------------------
    "category-code-comment.sh": Case(
        # `# kubectl get pods ... | jq ... | sort -u` reads like code: no category.
        images=[
            (6, "docker.io/bitnami/kafka:3.7.0", None),
            (7, "docker.io/bitnami/zookeeper:3.9.2", None),
            (8, "quay.io/strimzi/operator:0.41.0", None),
            (9, "docker.io/library/postgres:16.3", None),
            (10, "ghcr.io/acme/orders:2.8.1", None),
            (11, "ghcr.io/acme/payments:2.8.0", None),
            (12, "ghcr.io/acme/shipping:2.7.4", None),
            (13, "ghcr.io/acme/notifications:1.12.0", None),
        ],
    ),
    "category-verb-header.sh": Case(
        # A short comment of words is a header even when it starts with a verb.
        images=[
            (6, "homeassistant/home-assistant:2024.7.1", "Pull Docker images"),
            (7, "eclipse-mosquitto:2.0.18", "Pull Docker images"),
            (8, "koenkk/zigbee2mqtt:1.39.0", "Pull Docker images"),
            (13, "linuxserver/wireguard:1.0.20210914", "Save images for the offline Pi"),
        ],
    ),
    "category-code-like-forms.sh": Case(
        # Comments with `=`, `|`, `$(`, `--flag`, `;` or a trailing `\` are never
        # headers: the header above them still holds.
        images=[
            (7, "docker.io/library/postgres:16.3", "Databases"),
            (9, "docker.io/library/mysql:8.4.1", "Databases"),
            (11, "docker.io/library/redis:7.2.5", "Caches"),
            (13, "docker.io/library/memcached:1.6.29", "Caches"),
            (15, "ghcr.io/acme/cache-warmer:1.4.0", "Caches"),
            (17, "ghcr.io/acme/sysctl-tuner:0.3.1", "Caches"),
            (19, "ghcr.io/acme/exporter:0.8.0", "Caches"),
            (21, "ghcr.io/acme/collector:0.8.0", "Caches"),
        ],
    ),
}


def read(name: str) -> Inventory:
    """The fixture's inventory; a file it sources is read from the fixtures' folder."""

    def beside(path: str) -> bytes | None:
        found = SCRIPTS / path
        return found.read_bytes() if "/" not in path and found.is_file() else None

    return build_inventory([parse_pull_script(name, (SCRIPTS / name).read_bytes(), beside)])


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in SCRIPTS.glob("*.sh")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_exact_inventory(name: str) -> None:
    found = read(name)
    assert [(_place(name, i.source), i.ref, i.category) for i in found.images] == CASES[name].images


def _place(name: str, where: Location) -> int | str:
    """The line of an image in the fixture, or `file:line` in a file it sources."""
    return where.line if where.path == name else str(where)


@pytest.mark.parametrize("name", sorted(CASES))
def test_exact_warnings(name: str) -> None:
    """Exactly these places warn, each naming its expression (the wording is free)."""
    got = [(w.location or Location("", 0), w.message) for w in read(name).warnings]
    expected = CASES[name].warnings
    assert sorted(where for where, _ in got) == sorted(Location(name, n) for n, _ in expected)
    for line, fragment in expected:
        assert any(
            where == Location(name, line) and fragment in message for where, message in got
        ), (line, fragment, got)


def test_bare_elements_of_a_prefixed_loop_are_not_images() -> None:
    refs = {i.ref for i in read("kubeadm-mirror-prefixed-loop.sh").images}
    bare = {"kube-apiserver:v1.18.2", "pause:3.2", "etcd:3.4.3-0", "coredns:1.6.7"}
    assert not refs & bare
    assert not {r for r in refs if r.startswith("k8s.gcr.io/")}
    refs = {i.ref for i in read("case-version-prefixed.sh").images}
    assert not refs & {"kube-apiserver:v1.30.2", "pause:3.9", "pause:3.10"}


# --- the ground truth: run each fixture with stub commands ---------------------------

STUBBED = (
    "docker", "podman", "nerdctl", "finch", "skopeo", "crane", "ctr", "regctl", "minikube",
    "apptainer", "singularity", "oc", "microk8s.ctr",
)  # fmt: skip
# `ssh [options] HOST COMMAND...` runs COMMAND here, where the stubs log it; without a
# COMMAND, a shell reads what ssh reads (none with `-n`).
_SSH_STUB = (
    "#!/bin/bash\n"
    "input=yes\n"
    'while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do\n'
    "  case $1 in -[bcDEeFIiJLlmOopQRSWw]) shift 2 ;; -*n*) input=; shift ;; *) shift ;; esac\n"
    "done\n"
    'shift\n[ $# -gt 0 ] && exec bash -c "$*"\n'
    '[ -n "$input" ] && exec bash\n'
    "exit 0\n"
)
# Commands run in a container or a machine run here too: `docker exec [options] C CMD...`,
# `kubectl exec [options] P -- CMD...`, `vagrant ssh [NAME] [-c TEXT]`,
# `gcloud compute ssh VM [--command=TEXT]` (the forms the fixtures use).
_EXEC_PART = (
    'if [ "$1" = exec ]; then\n'
    "  shift\n"
    '  while [ "${1#-}" != "$1" ]; do case $1 in -e|-u|-w) shift 2 ;; *) shift ;; esac; done\n'
    '  shift\n  exec "$@"\n'
    "fi\n"
)
_RUNNER_STUBS = {
    "kubectl": 'while [ "$1" != -- ]; do shift; done\nshift\nexec "$@"\n',
    "vagrant": (
        'for arg; do [ "$prev" = -c ] && exec bash -c "$arg"; prev=$arg; done\nexec bash\n'
    ),
    "gcloud": 'for arg; do case $arg in --command=*) exec bash -c "${arg#*=}" ;; esac; done\n',
}
_ENGINE_STUBS = frozenset({"docker", "podman", "nerdctl", "finch"})
_ARG = "\x1f"
_CALL = "\x1e"


@pytest.mark.parametrize("name", sorted(CASES))
def test_static_inventory_matches_a_run_with_stubs(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    static = {i.ref for i in read(name).images}
    assert images_used_by_the_runs(name, tmp_path) == (static - case.listed_only) | case.run_only


@pytest.mark.parametrize("name", sorted(CASES))
def test_expected_inventory_matches_a_run_with_stubs(name: str, tmp_path: Path) -> None:
    """The specification itself checked against the ground truth, whatever the reader says."""
    case = CASES[name]
    expected = {ref for _, ref, _ in case.images}
    assert images_used_by_the_runs(name, tmp_path) == (expected - case.listed_only) | case.run_only


def images_used_by_the_runs(name: str, tmp_path: Path) -> set[str]:
    missing = [tool for tool in CASES[name].needs if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (.ci/run installs it)")
    used: set[str] = set()
    for number, extra in enumerate(CASES[name].runs):
        used |= images_used_by_a_run(SCRIPTS / name, tmp_path / f"run{number}", extra)
    return used


def images_used_by_a_run(
    script: Path, where: Path, extra: Mapping[str, str], args: Sequence[str] = ()
) -> set[str]:
    """Run `script` (with `args`) with logging stubs in a fresh directory; the images its
    commands used."""
    stubs, work, log = where / "bin", where / "work", where / "calls.log"
    stubs.mkdir(parents=True)
    work.mkdir()
    log.touch()
    for command in STUBBED:
        stub = stubs / command
        # One write per call: `xargs -P` runs stubs side by side, and O_APPEND keeps
        # a single small write whole.
        logged = (
            'call="${0##*/}"\n'
            f'for arg in "$@"; do call+="{_ARG}$arg"; done\n'
            f"printf '%s{_CALL}' \"$call\" >> '{log}'\n"
            "exit 0\n"
        )
        ran = _EXEC_PART if command in _ENGINE_STUBS else ""
        stub.write_text(f"#!/bin/bash\n{ran}{logged}")
        stub.chmod(0o755)
    (stubs / "ssh").write_text(_SSH_STUB)
    (stubs / "ssh").chmod(0o755)
    for command, body in _RUNNER_STUBS.items():
        (stubs / command).write_text("#!/bin/bash\n" + body)
        (stubs / command).chmod(0o755)
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "HOME": str(work), "LC_ALL": "C", **extra}
    done = subprocess.run(
        ["bash", str(script), *args],
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    calls = [call.split(_ARG) for call in log.read_text().split(_CALL) if call]
    return {image for argv in calls for image in used_images(argv) if image}


# The options that take a value, per command; every other option is a flag.
_GLOBAL_VALUE = {
    "docker": {"-H", "--host", "-c", "--context", "--config", "-l", "--log-level"},
    "nerdctl": {"-n", "--namespace", "-H", "--host", "--address", "-a"},
    "podman": {"--log-level", "--connection", "-c", "--url", "--root"},
    "finch": set(),
    "skopeo": {"--override-arch", "--override-os", "--policy", "--registries.d"},
    "crane": {"--platform"},
    "ctr": {"-n", "--namespace", "-a", "--address"},
    "regctl": {"-v", "--verbosity", "--host", "--logopt", "--user-agent"},
    "minikube": {"-p", "--profile"},
    "apptainer": set(),
    "singularity": set(),
    "oc": {"--kubeconfig", "-n", "--namespace", "--context"},
    "microk8s.ctr": {"-n", "--namespace", "-a", "--address"},
}
_PULL_VALUE = {"--platform", "--arch", "--os", "--variant", "--creds", "--authfile"}
_SAVE_VALUE = {"-o", "--output", "--platform", "--format"}
_RUN_VALUE = {
    "-p", "--publish", "-e", "--env", "--env-file", "-v", "--volume", "--mount", "--name",
    "--network", "--net", "-w", "--workdir", "--entrypoint", "--platform", "-u", "--user",
    "--restart", "-l", "--label", "-h", "--hostname", "--add-host", "--cpus", "-m",
    "--memory", "--pull", "--log-driver", "--device", "--cap-add", "--cap-drop",
}  # fmt: skip
_SKOPEO_VALUE = {
    "--src-creds", "--dest-creds", "--authfile", "--format", "-f", "--retry-times",
    "--src", "--dest", "--multi-arch", "--src-cert-dir", "--dest-cert-dir",
}  # fmt: skip
_CRANE_VALUE = {"--platform", "--format", "-c", "--cache_path", "--jobs", "-j"}
_CTR_PULL_VALUE = {"--platform", "--user", "-u", "--snapshotter"}
_REGCTL_VALUE = {"--platform", "-v", "--verbosity", "--format", "--host", "--logopt"}
_ENGINES = frozenset({"docker", "podman", "nerdctl", "finch"})


def used_images(argv: Sequence[str]) -> list[str]:
    """The images one logged call uses, by the rules of the specification."""
    command, rest = argv[0], operands_and_options(argv[1:], _GLOBAL_VALUE[argv[0]])
    if command in _ENGINES:
        return engine_images(rest)
    return _RULES[command](rest)


def regctl_images(words: list[str]) -> list[str]:
    """`regctl image copy|cp|export SOURCE ...`: the source; `regctl image
    digest|inspect|manifest|config IMAGE`: the image."""
    verbs = ("copy", "cp", "export", "digest", "inspect", "manifest", "config")
    uses = words[:1] == ["image"] and words[1:2] != [] and words[1] in verbs
    return first(operands(words[2:], _REGCTL_VALUE | {"-p"})) if uses else []


def minikube_images(words: list[str]) -> list[str]:
    """`minikube image pull IMAGE...`, `minikube cache add IMAGE...`, `minikube image load
    IMAGE...`: every image (not an archive `image load` loads)."""
    pulls = words[:2] in (["image", "pull"], ["cache", "add"], ["image", "load"])
    found = operands(words[2:], {"-p", "--profile"}) if pulls else []
    return [word for word in found if word != "-" and not word.endswith(".tar")]


def ctr_images(words: list[str]) -> list[str]:
    """`ctr image(s) pull IMAGE`."""
    if words[:2] in (["image", "pull"], ["images", "pull"]):
        return first(operands(words[2:], _CTR_PULL_VALUE))
    return []


def engine_images(words: list[str]) -> list[str]:
    if words[:2] == ["buildx", "imagetools"] and words[2:3] in (["create"], ["inspect"]):
        return operands(words[3:], {"-t", "--tag", "-f", "--file", "--annotation", "--format"})
    verb = words[1:2] if words[:1] == ["image"] else words[:1]
    args = words[2:] if words[:1] == ["image"] else words[1:]
    match verb:
        case ["pull"]:
            return operands(args, _PULL_VALUE)
        case ["save"]:
            return operands(args, _SAVE_VALUE)
        case ["run"] | ["create"]:
            return first(operands(args, _RUN_VALUE, stop_at_first=True))
        case ["tag"]:
            return first(operands(args, set()))
    return []


def skopeo_images(words: list[str]) -> list[str]:
    verb, args = words[0], words[1:]
    if verb in ("copy", "inspect"):
        source = first(operands(args, _SKOPEO_VALUE))
        return [s.removeprefix("docker://") for s in source if s.startswith("docker://")]
    if verb == "sync" and "docker" in args[args.index("--src") + 1 :][:1]:
        return [s.removeprefix("docker://") for s in first(operands(args, _SKOPEO_VALUE))]
    if verb == "sync" and "yaml" in args[args.index("--src") + 1 :][:1]:
        return [image for name in first(operands(args, _SKOPEO_VALUE)) for image in synced(name)]
    return []


def synced(name: str) -> list[str]:
    """The images a `skopeo sync --src yaml` file lists, as skopeo's manual describes it."""
    found = []
    for registry, entry in yaml.safe_load(Path(name).read_text()).items():
        for repository, tags in (entry.get("images") or {}).items():
            for tag in tags or [None]:  # none: every tag
                mark = "" if tag is None else "@" if tag.startswith("sha256:") else ":"
                found.append(f"{registry}/{repository}{mark}{tag or ''}")
        for chooser in ("images-by-tag-regex", "images-by-semver"):
            found += [f"{registry}/{repository}" for repository in entry.get(chooser) or {}]
    return found


def crane_images(words: list[str]) -> list[str]:
    verb, args = words[0], operands(words[1:], _CRANE_VALUE)
    if verb == "pull":
        return args[:-1]  # IMAGE... TARBALL
    if verb in ("copy", "export", "digest", "manifest", "config"):
        return first(args)
    return []


def apptainer_images(words: list[str]) -> list[str]:
    """`apptainer pull|build [OUT] docker://IMAGE` (the last operand), `run|exec|shell|inspect
    docker://IMAGE ...` (the first): a `docker://` operand is a registry image."""
    args = operands(words[1:], {"--dir", "--name", "--arch", "--bind", "-B", "--env"})
    chosen = args[-1:] if words[:1] in (["pull"], ["build"]) else args[:1]
    return [s.removeprefix("docker://") for s in chosen if s.startswith("docker://")]


def oc_images(words: list[str]) -> list[str]:
    """`oc image mirror SRC DST` (or `SRC=DST...`), `oc adm catalog mirror SRC DST`: the
    sources; `oc adm release mirror --from=RELEASE`: the release."""
    values = {"-a", "--registry-config", "--filter-by-os", "--to", "--to-release-image"}
    if words[:3] == ["adm", "release", "mirror"]:
        flags = [w for w in words[3:] if w.startswith("--from=")]
        return [flags[0].removeprefix("--from=")] if flags else []
    if words[:2] == ["image", "mirror"] or words[:3] == ["adm", "catalog", "mirror"]:
        args = operands(words[2 if words[0] == "image" else 3 :], values)
        mapped = [arg.split("=", 1)[0] for arg in args if "=" in arg]
        return mapped or first(args)
    return []


_RULES: dict[str, Callable[[list[str]], list[str]]] = {
    "oc": oc_images,
    "microk8s.ctr": ctr_images,
    "apptainer": apptainer_images,
    "singularity": apptainer_images,
    "skopeo": skopeo_images,
    "crane": crane_images,
    "regctl": regctl_images,
    "minikube": minikube_images,
    "ctr": ctr_images,
}


def operands_and_options(words: Sequence[str], value_options: set[str]) -> list[str]:
    """`words` from the first operand on: the global options before the verb dropped."""
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in value_options else 1
    return list(words[index:])


def operands(
    words: Sequence[str], value_options: set[str], *, stop_at_first: bool = False
) -> list[str]:
    """The non-option words; an option in `value_options` takes the next word."""
    found: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("-") and len(word) > 1:
            index += 2 if word in value_options else 1
            continue
        found.append(word)
        if stop_at_first:
            break
        index += 1
    return found


def first(words: list[str]) -> list[str]:
    return words[:1]


def test_stub_rules_read_each_command_as_the_specification_says() -> None:
    assert used_images(["docker", "save", "-o", "out.tar", "a/b:1", "c/d:2"]) == ["a/b:1", "c/d:2"]
    assert used_images(["docker", "run", "--rm", "-e", "A=b", "a/b:1", "sh", "-c", "x"]) == [
        "a/b:1"
    ]
    assert used_images(["docker", "tag", "a/b:1", "c/d:1"]) == ["a/b:1"]
    assert used_images(["docker", "compose", "pull"]) == []
    assert used_images(["skopeo", "copy", "docker://a/b:1", "docker://r.io/b:1"]) == ["a/b:1"]
    assert used_images(["skopeo", "copy", "oci-archive:x.tar", "docker://r.io/b:1"]) == []
    assert used_images(["crane", "pull", "a/b:1", "c/d:1", "out.tar"]) == ["a/b:1", "c/d:1"]
    assert used_images(["regctl", "-v", "info", "image", "cp", "a/b:1", "r.io/b:1"]) == ["a/b:1"]
    assert used_images(["regctl", "image", "digest", "a/b:1"]) == ["a/b:1"]
    assert used_images(["minikube", "image", "load", "a/b:1", "out.tar"]) == ["a/b:1"]
    assert used_images(["docker", "buildx", "imagetools", "create", "-t", "r/b:1", "a/b:1"]) == [
        "a/b:1"
    ]
    assert used_images(["ctr", "-n", "k8s.io", "images", "pull", "docker.io/a/b:1"]) == [
        "docker.io/a/b:1"
    ]
