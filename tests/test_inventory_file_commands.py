"""Commands that pull what a file lists: `docker compose pull` reads compose files,
`skopeo sync --src yaml` its sync file. Their images stand in those files."""

from __future__ import annotations

import pytest

from test_inventory_lists import inventory  # the same reading of a script and its files

COMPOSE = b"""\
services:
  db:
    image: postgres:16
  cache:
    image: "redis:${REDIS_TAG:-7.2}"
  api:
    build: ./api
  web:
    build: ./web
    image: ghcr.io/acme/web:${WEB_TAG}
"""


@pytest.mark.parametrize(
    "command",
    [
        b"docker compose -f compose.yml pull",
        b"docker compose --file=compose.yml pull --quiet",
        b"docker-compose -f compose.yml --profile all up -d",
        b"sudo docker --context prod compose -p shop -f compose.yml create",
        b'cd "$(dirname "$0")" && docker compose -f compose.yml pull',
    ],
)
def test_the_services_images_stand_in_the_compose_file(command: bytes) -> None:
    files = {"scripts/compose.yml": COMPOSE, "scripts/.env": b"WEB_TAG=2.1\n"}
    shown, warnings = inventory(b"# Stack\n" + command + b"\n", files)
    # A service that is only built pulls nothing; `.env` beside the file gives WEB_TAG.
    assert shown == [
        "scripts/compose.yml:3 postgres:16 Stack",
        "scripts/compose.yml:5 redis:7.2 Stack",
        "scripts/compose.yml:10 ghcr.io/acme/web:2.1 Stack",
    ]
    assert warnings == []


def test_named_services_alone_are_pulled() -> None:
    files = {
        "compose.yaml": COMPOSE,
        "compose.override.yaml": b"services:\n  db:\n    image: postgres:17\n",
    }
    shown, warnings = inventory(b"docker compose pull db cache\n", files)
    # No file named: compose reads compose.yaml and its override, from the root here, and
    # merges them: the override's image of `db` is the one pulled.
    assert shown == [
        "compose.override.yaml:3 postgres:17 None",
        "compose.yaml:5 redis:7.2 None",
    ]
    assert warnings == []


def test_a_tag_no_file_sets_is_audited_by_its_repository_at_its_place() -> None:
    shown, warnings = inventory(
        b"docker compose -f compose.yml pull web\n", {"compose.yml": COMPOSE}
    )
    assert shown == ["compose.yml:10 ghcr.io/acme/web:${WEB_TAG} None"]
    assert warnings == []


def test_a_name_no_file_sets_is_a_warning_at_its_place() -> None:
    files = {"compose.yml": b"services:\n  web:\n    image: ghcr.io/acme/${WEB}:1\n"}
    shown, warnings = inventory(b"docker compose -f compose.yml pull web\n", files)
    assert shown == []
    assert warnings == [
        "scripts/pull.sh:1: compose.yml:3: cannot know the value of ${WEB}: it is set "
        "neither in the .env file beside the compose file nor with a default; the image is "
        "not audited"
    ]


def test_a_registry_no_file_sets_is_audited_by_the_rest_at_its_place() -> None:
    files = {"compose.yml": b"services:\n  web:\n    image: ${REGISTRY}/acme/web:1\n"}
    shown, warnings = inventory(b"# Web\ndocker compose -f compose.yml pull\n", files)
    assert (shown, warnings) == (["compose.yml:3 ${REGISTRY}/acme/web:1 Web"], [])


@pytest.mark.parametrize(
    ("script", "warning"),
    [
        (b"docker compose -f missing.yml pull\n",
         "scripts/pull.sh:1: cannot read missing.yml: the repository has no such compose file "
         "beside the script or at its root; the images of its services are not audited"),
        (b"docker compose pull\n",
         "scripts/pull.sh:1: cannot read compose.yaml: the repository has no such compose file "
         "beside the script or at its root; the images of its services are not audited"),
        (b'docker compose -f "$STACK" pull\n',
         "scripts/pull.sh:1: cannot know which compose file this reads without running the "
         "script; the images of its services are not audited (name the file literally)"),
    ],
)  # fmt: skip
def test_a_compose_file_that_cannot_be_read_is_a_warning(script: bytes, warning: str) -> None:
    assert inventory(script, {}) == ([], [warning])


@pytest.mark.parametrize(
    "command", [b"docker compose -f compose.yml build", b"docker compose -f compose.yml down"]
)
def test_a_verb_that_pulls_nothing_reads_nothing(command: bytes) -> None:
    assert inventory(command + b"\n", {"scripts/compose.yml": COMPOSE}) == ([], [])


def test_a_compose_file_over_the_limit_is_not_read() -> None:
    huge = COMPOSE + b"#" * (1 << 20)
    shown, warnings = inventory(b"docker compose -f compose.yml pull\n", {"compose.yml": huge})
    assert shown == []
    assert warnings == [
        "scripts/pull.sh:1: compose.yml:1: the file is larger than 1 MiB, more than a list of "
        "images needs; its images are not read"
    ]


@pytest.mark.parametrize(
    ("script", "files", "warning"),
    [
        (b'skopeo sync --src yaml "$SYNC" --dest docker r.io\n', {},
         "scripts/pull.sh:1: cannot know which file this skopeo sync reads without running "
         "the script; the images it lists are not audited (name the file literally)"),
        (b"skopeo sync --src yaml sync.yml --dest docker r.io\n", {},
         "scripts/pull.sh:1: cannot read sync.yml: the repository has no such file beside the "
         "script or at its root; the images skopeo sync mirrors from it are not audited"),
        (b"skopeo sync --src yaml sync.yml --dest docker r.io\n", {"sync.yml": b"a: [\n"},
         "scripts/pull.sh:1: sync.yml:2: not valid YAML; the images it syncs are not read"),
    ],
)  # fmt: skip
def test_a_sync_file_that_cannot_be_read_is_a_warning(
    script: bytes, files: dict[str, bytes], warning: str
) -> None:
    assert inventory(script, files) == ([], [warning])


def test_a_sync_from_a_registry_or_a_folder_reads_no_file() -> None:
    script = b"skopeo sync --src docker --dest dir busybox:1.36 /tmp/mirror\n"
    assert inventory(script, {}) == (["scripts/pull.sh:1 busybox:1.36 None"], [])


def test_the_project_directory_holds_the_default_compose_file() -> None:
    files = {"deploy/compose.yaml": COMPOSE, "deploy/.env": b"WEB_TAG=3\n"}
    shown, warnings = inventory(b"docker compose --project-directory deploy pull web\n", files)
    assert (shown, warnings) == (["deploy/compose.yaml:10 ghcr.io/acme/web:3 None"], [])


@pytest.mark.parametrize(
    ("script", "tag"),
    [
        (b"export WEB_TAG=4.0\ndocker compose -f compose.yml pull web\n", "4.0"),
        (b"WEB_TAG=4.1\nexport WEB_TAG\ndocker compose -f compose.yml pull web\n", "4.1"),
        (b"declare -x WEB_TAG=4.2\ndocker compose -f compose.yml pull web\n", "4.2"),
        (b"WEB_TAG=4.3 docker compose -f compose.yml pull web\n", "4.3"),
        # Over the `.env` file's value, as compose reads them.
        (b"export WEB_TAG=4.4\ndocker compose -f env/compose.yml pull web\n", "4.4"),
    ],
)  # fmt: skip
def test_the_variables_the_script_exports_are_the_commands_environment(
    script: bytes, tag: str
) -> None:
    files = {"compose.yml": COMPOSE, "env/compose.yml": COMPOSE, "env/.env": b"WEB_TAG=2\n"}
    shown, warnings = inventory(script, files)
    path = "env/compose.yml" if b"env/" in script else "compose.yml"
    assert (shown, warnings) == ([f"{path}:10 ghcr.io/acme/web:{tag} None"], [])


def test_a_variable_the_script_does_not_export_is_not_the_commands() -> None:
    shown, warnings = inventory(
        b"WEB_TAG=5\ndocker compose -f compose.yml pull web\n", {"compose.yml": COMPOSE}
    )
    assert (shown, warnings) == (["compose.yml:10 ghcr.io/acme/web:${WEB_TAG} None"], [])


def test_a_compose_file_is_read_under_a_bounded_number_of_environments() -> None:
    script = (
        b"for tag in 1 2 3 4 5 6 7 8 9 10 11 12; do\n"
        b"  WEB_TAG=$tag docker compose -f compose.yml pull web\n"
        b"done\n"
    )
    shown, _ = inventory(script, {"compose.yml": COMPOSE})
    # Each of the first eight readings gives its tag; the rest reuse the first reading.
    assert shown == [f"compose.yml:10 ghcr.io/acme/web:{n} None" for n in range(1, 9)]


_PROFILED = b"""\
services:
  app:
    image: ghcr.io/acme/app:1
  debug:
    image: ghcr.io/acme/debug:1
    profiles: [debug]
  trace:
    image: ghcr.io/acme/trace:1
    profiles: ["trace", "debug"]
"""


@pytest.mark.parametrize(
    ("command", "pulled"),
    [
        (b"docker compose pull", ["app"]),
        (b"docker compose --profile trace pull", ["app", "trace"]),
        (b"docker compose --profile debug pull", ["app", "debug", "trace"]),
        (b"COMPOSE_PROFILES=trace docker compose pull", ["app", "trace"]),
        (b"export COMPOSE_PROFILES=debug\ndocker compose pull", ["app", "debug", "trace"]),
        (b"docker compose pull debug", ["debug"]),  # naming a service enables its profiles
        (b'docker compose --profile "$P" pull', ["app", "debug", "trace"]),  # not known: all
    ],
)
def test_a_service_with_profiles_is_pulled_when_one_is_enabled(
    command: bytes, pulled: list[str]
) -> None:
    shown, warnings = inventory(command + b"\n", {"compose.yaml": _PROFILED})
    assert [line.split()[1].split("/")[-1].split(":")[0] for line in shown] == pulled
    assert warnings == []


_BASE = b"services:\n  web:\n    image: nginx:1.25\n"
_OVERRIDE = b"services:\n  web:\n    image: nginx:1.25-alpine\n  cache:\n    image: redis:7.2\n"


@pytest.mark.parametrize(
    ("script", "expected", "warnings"),
    [
        (  # compose reads the files COMPOSE_FILE names instead of its defaults, merged
            b"export COMPOSE_FILE=compose.yaml:prod.yaml\ndocker compose pull\n",
            ["prod.yaml:3 nginx:1.25-alpine None", "prod.yaml:5 redis:7.2 None"],
            [],
        ),
        (
            b"COMPOSE_PATH_SEPARATOR=, COMPOSE_FILE=prod.yaml docker compose pull\n",
            ["prod.yaml:3 nginx:1.25-alpine None", "prod.yaml:5 redis:7.2 None"],
            [],
        ),
        (b"COMPOSE_FILE=prod.yaml\ndocker compose pull\n", ["compose.yaml:3 nginx:1.25 None"], []),
        (
            b'export COMPOSE_FILE="$(ls *.yaml)"\ndocker compose pull\n',
            [],
            [
                "scripts/pull.sh:2: cannot know which compose file this reads without running "
                "the script; the images of its services are not audited (name the file literally)"
            ],
        ),
    ],
)
def test_compose_reads_the_files_compose_file_names(
    script: bytes, expected: list[str], warnings: list[str]
) -> None:
    assert inventory(script, {"compose.yaml": _BASE, "prod.yaml": _OVERRIDE}) == (
        expected,
        warnings,
    )


@pytest.mark.parametrize(
    "command",
    [
        b"kubeadm config images pull --kubernetes-version v1.30.2",
        b"sudo kubeadm --v=5 config images pull --cri-socket unix:///run/containerd.sock",
        b"kubeadm --kubeconfig admin.conf config images pull",
    ],
)
def test_a_command_that_pulls_images_it_does_not_name_is_a_warning(command: bytes) -> None:
    assert inventory(command + b"\n", {}) == (
        [],
        [
            "scripts/pull.sh:1: kubeadm config images pull pulls the images of its Kubernetes "
            "version without naming them; they are not audited (list them in the script: "
            "`kubeadm config images list` prints them)"
        ],
    )
    assert inventory(b"kubeadm config images list\n", {}) == ([], [])


def test_a_variable_the_script_exports_without_a_known_value_is_a_warning() -> None:
    script = b'export WEB_TAG="$(git describe)"\nexport UNUSED="$X"\ndocker compose pull web\n'
    files = {"compose.yaml": COMPOSE.replace(b"${WEB_TAG}", b"${WEB_TAG:-main}")}
    shown, warnings = inventory(script, files)
    assert shown == ["compose.yaml:10 ghcr.io/acme/web:main None"]
    assert warnings == [
        "scripts/pull.sh:3: compose.yaml: cannot know the value of $WEB_TAG, which the pull "
        "script exports for compose; its images are read with the .env file's value or the "
        "default"
    ]


def test_the_compose_file_found_is_the_one_read() -> None:
    # Found beside the script as scripts/compose.yml: that path is not looked up again as
    # a name beside the script, where scripts/scripts/compose.yml would stand.
    files = {
        "scripts/compose.yml": b"services: {a: {image: ghcr.io/acme/found:1}}\n",
        "scripts/scripts/compose.yml": b"services: {b: {image: ghcr.io/acme/other:1}}\n",
    }
    shown, warnings = inventory(b"docker compose -f compose.yml pull\n", files)
    assert (shown, warnings) == (["scripts/compose.yml:1 ghcr.io/acme/found:1 None"], [])


def test_variables_set_while_allexport_is_on_are_what_compose_sees() -> None:
    """`set -a; source versions.env; set +a` exports what the file sets: compose reads it
    over the file's default. A variable set after `set +a` is not exported."""
    files = {
        "scripts/versions.env": b"WEB_TAG=3.0\n",
        "scripts/compose.yml": COMPOSE,
    }
    script = (
        b'cd "$(dirname "$0")"\n'
        b"set -a\nsource versions.env\nset +a\nREDIS_TAG=9.9\n"
        b"docker compose -f compose.yml pull\n"
    )
    shown, warnings = inventory(script, files)
    assert shown == [
        "scripts/compose.yml:3 postgres:16 None",
        "scripts/compose.yml:5 redis:7.2 None",
        "scripts/compose.yml:10 ghcr.io/acme/web:3.0 None",
    ]
    assert warnings == []


def test_a_compose_line_that_ends_in_a_tab_is_read() -> None:
    files = {"compose.yml": b"services:\n  db:\n    image: postgres:16\t\n    restart: always \t\n"}
    shown, warnings = inventory(b"docker compose -f compose.yml pull\n", files)
    assert shown == ["compose.yml:3 postgres:16 None"]
    assert warnings == []


def test_files_named_one_after_another_are_merged_the_last_image_winning() -> None:
    files = {
        "docker-compose.yml": COMPOSE,
        "prod.yml": b"services:\n  cache:\n    image: redis:8.0\n  extra:\n    image: nats:2.10\n",
    }
    shown, warnings = inventory(b"docker compose -f docker-compose.yml -f prod.yml pull\n", files)
    assert shown == [
        "docker-compose.yml:3 postgres:16 None",
        "docker-compose.yml:10 ghcr.io/acme/web:${WEB_TAG} None",
        "prod.yml:3 redis:8.0 None",
        "prod.yml:5 nats:2.10 None",
    ]
    assert warnings == []


def test_env_files_given_are_read_instead_of_the_dot_env_file() -> None:
    files = {
        "compose.yml": COMPOSE,
        ".env": b"WEB_TAG=1.0\n",
        "prod.env": b"WEB_TAG=2.0\nREDIS_TAG=8.0\n",
    }
    script = b"docker compose --env-file prod.env -f compose.yml pull\n"
    shown, warnings = inventory(script, files)
    assert shown == [
        "compose.yml:3 postgres:16 None",
        "compose.yml:5 redis:8.0 None",
        "compose.yml:10 ghcr.io/acme/web:2.0 None",
    ]
    assert warnings == []
    shown, warnings = inventory(
        b"docker compose --env-file missing.env -f compose.yml pull\n", files
    )
    assert "compose.yml:10 ghcr.io/acme/web:2.0 None" not in shown
    assert warnings[0] == (
        "scripts/pull.sh:1: cannot read missing.env: the repository has no such env file beside "
        "the script or at its root; the values it sets are not audited"
    )


def test_files_are_read_from_the_folder_the_script_changed_to() -> None:
    """`cd "$(dirname "$0")/stack"` makes `stack/` beside the script where compose and list
    files are found first; a `cd` in a subshell ends with it; `popd` goes back."""
    files = {
        "compose.yaml": b"services:\n  app:\n    image: root/app:1\n",
        "images.txt": b"root/list:1\n",
        "scripts/stack/compose.yaml": b"services:\n  app:\n    image: stack/app:2\n",
        "scripts/stack/images.txt": b"stack/list:2\n",
        "other/images.txt": b"other/list:3\n",
    }
    script = (
        b'cd "$(dirname "$0")/stack"\n'
        b"docker compose pull\n"
        b'while read -r img; do docker pull "$img"; done < images.txt\n'
        b"(cd ../../other && xargs -n1 docker pull < images.txt)\n"
        b"xargs -n1 docker pull < images.txt\n"
        b"pushd ../../other\nxargs -n1 docker pull < images.txt\npopd\n"
        b"xargs -n1 docker pull < images.txt\n"
    )
    shown, warnings = inventory(script, files)
    assert shown == [
        "other/images.txt:1 other/list:3 None",
        "scripts/stack/compose.yaml:3 stack/app:2 None",
        "scripts/stack/images.txt:1 stack/list:2 None",
    ]
    assert warnings == []
