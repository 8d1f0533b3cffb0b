"""Commands of cluster and registry tools: a load of an image at hand into a cluster, a
registry tool's read of an image, a registry tool run as a container, a shell run in a
container. Each names the images it uses, with no warning for an image at hand."""

from __future__ import annotations

import pytest

from image_docs_audit.inventory import read_inventory
from image_docs_audit.inventory.commands import container_command, image_use


def inventory_of(source: str) -> list[tuple[int, str]]:
    return [
        (image.source.line, image.ref)
        for image in read_inventory([("pull.sh", source.encode())]).images
    ]


def warnings_of(source: str) -> list[str]:
    return [str(w) for w in read_inventory([("pull.sh", source.encode())]).warnings]


def test_a_load_into_a_cluster_uses_its_images_and_not_its_archives() -> None:
    # kind takes images only; k3d and minikube take archives too (`-`: the standard input).
    source = (
        "kind load docker-image example/a:1 ghcr.io/acme/b:2 --name dev\n"
        "kind -v 1 load docker-image --nodes n1 example/c:3\n"
        "kind load image-archive out/app.tar\n"
        "k3d image import example/d:4 images/app.tar -c one -c two\n"
        "k3d image load -m direct example/e:5\n"
        "minikube image load -\n"
        "minikube -p dev image load --daemon example/f:6 build/app.tar.gz\n"
        'OUT=build\nminikube image load "$OUT/app.tar"\n'
        'TARBALL=build/app.tar\nminikube image load "$TARBALL"\n'
        'minikube image load "$UNKNOWN/app.tgz"\n'
    )
    assert inventory_of(source) == [
        (1, "example/a:1"),
        (1, "ghcr.io/acme/b:2"),
        (2, "example/c:3"),
        (4, "example/d:4"),
        (5, "example/e:5"),
        (7, "example/f:6"),
    ]
    assert warnings_of(source) == []


def test_an_image_not_known_that_a_cluster_loads_is_warned_about() -> None:
    source = 'kind load docker-image "$IMAGE"\n'
    assert (inventory_of(source), warnings_of(source)) == (
        [],
        [
            "pull.sh:1: cannot know the value of $IMAGE without running the script; the image "
            "is not audited (set the variable in the script or list the image literally)"
        ],
    )


def test_registry_reads_use_their_image() -> None:
    # Reads of an image in its registry, as `skopeo inspect` is one.
    source = (
        "crane digest --full-ref example/g:1\n"
        "crane manifest --platform linux/arm64 example/h:2\n"
        "crane config example/i:3\n"
        "crane digest --tarball app.tar\n"
        "regctl image digest --list example/j:4\n"
        "regctl image inspect -p linux/amd64 example/k:5\n"
        "regctl image manifest --format '{{json .}}' example/l:6\n"
        "regctl -v info image config --platform=linux/arm64 example/m:7\n"
    )
    assert inventory_of(source) == [
        (1, "example/g:1"),
        (2, "example/h:2"),
        (3, "example/i:3"),
        (5, "example/j:4"),
        (6, "example/k:5"),
        (7, "example/l:6"),
        (8, "example/m:7"),
    ]
    assert warnings_of(source) == []


def test_oras_copies_and_reads_use_their_source_image() -> None:
    source = (
        "oras copy ghcr.io/acme/app:1 registry.local/acme/app:1\n"
        "oras cp -r --from-username u --to-password p ghcr.io/acme/b:2 localhost:5000/b:2\n"
        "oras manifest fetch --platform linux/arm64 ghcr.io/acme/c:3\n"
        "oras resolve ghcr.io/acme/d:4\n"
        "oras pull ghcr.io/acme/artifact:1\n"  # an artifact's files, not an image
        "oras copy --from-oci-layout ./layout:v1 ghcr.io/acme/e:5\n"  # a folder, not an image
        "oras -d copy --concurrency 3 ghcr.io/acme/f:6 r/f:6\n"
        "docker run --rm ghcr.io/oras-project/oras:v1.2.0 copy ghcr.io/acme/g:7 r/g:7\n"
    )
    assert inventory_of(source) == [
        (1, "ghcr.io/acme/app:1"),
        (2, "ghcr.io/acme/b:2"),
        (3, "ghcr.io/acme/c:3"),
        (4, "ghcr.io/acme/d:4"),
        (7, "ghcr.io/acme/f:6"),
        (8, "ghcr.io/oras-project/oras:v1.2.0"),
        (8, "ghcr.io/acme/g:7"),
    ]
    assert warnings_of(source) == []


def test_a_load_or_a_read_of_the_pulled_image_repeats_no_listed_image() -> None:
    # A load or a read of the image the script pulled; a second pull repeats it.
    source = (
        "docker pull example/a:1\n"
        "kind load docker-image example/a:1\n"
        "k3d image import example/a:1\n"
        "minikube image load example/a:1\n"
        "crane digest example/a:1\n"
        "regctl image inspect example/a:1\n"
        "docker pull example/a:1\n"
    )
    found = read_inventory([("pull.sh", source.encode())])
    assert [image.ref for image in found.images] == ["example/a:1"]
    assert [place.location.line for place in found.images[0].places] == [1, 2, 3, 4, 5, 6, 7]
    assert warnings_of(source) == ["pull.sh:7: example/a:1 is listed again (first at pull.sh:1)"]


def test_a_workload_of_the_pulled_image_repeats_no_listed_image() -> None:
    # `kubectl create deployment|job` and `run` (also oc) run the image the script pulled.
    source = (
        "docker pull example/kub:9\n"
        "kubectl create deployment kub --image=example/kub:9\n"
        "oc create job kub --image example/kub:9\n"
        "kubectl run kub --image example/kub:9\n"
    )
    assert inventory_of(source) == [(1, "example/kub:9")]
    assert warnings_of(source) == []


def test_a_registry_tool_run_as_a_container_uses_its_image_and_the_tools() -> None:
    # The tool is the image's entrypoint (by its repository), the one `--entrypoint` names,
    # or the first word after the image; the script's variables are expanded before.
    source = (
        "SRC=example/src:1\n"
        'docker run --rm quay.io/skopeo/stable:latest copy "docker://$SRC" '
        "docker://mirror.local/src:1\n"
        "docker run --rm gcr.io/go-containerregistry/crane:debug copy example/b:2 m.local/b:2\n"
        "podman run --rm ghcr.io/regclient/regctl:v0.7 image copy example/c:3 m.local/c:3\n"
        'docker run --rm -v "$PWD:/w" alpine:3.19 skopeo copy docker://example/d:4 dir:/w/d\n'
        "docker run --rm --entrypoint crane alpine:3.20 copy example/e:5 m.local/e:5\n"
        "nerdctl run --rm quay.io/containers/skopeo:v1.16 inspect docker://example/f:6\n"
        "docker run --rm quay.io/skopeo/stable:latest copy oci-archive:/x.tar docker://m/x:1\n"
        "docker run --rm busybox:1.36 copy example/not:7 m.local/not:7\n"
    )
    assert inventory_of(source) == [
        (2, "quay.io/skopeo/stable:latest"),
        (2, "example/src:1"),
        (3, "gcr.io/go-containerregistry/crane:debug"),
        (3, "example/b:2"),
        (4, "ghcr.io/regclient/regctl:v0.7"),
        (4, "example/c:3"),
        (5, "alpine:3.19"),
        (5, "example/d:4"),
        (6, "alpine:3.20"),
        (6, "example/e:5"),
        (7, "quay.io/containers/skopeo:v1.16"),
        (7, "example/f:6"),
        (9, "busybox:1.36"),
    ]
    assert warnings_of(source) == []


def test_a_registry_tool_in_a_container_reads_what_xargs_gives_it() -> None:
    source = (
        "printf 'example/a:1\\nexample/b:2\\n' | "
        "xargs -I{} docker run --rm gcr.io/go-containerregistry/crane copy {} m.local/{}\n"
    )
    assert inventory_of(source) == [
        (1, "example/a:1"),
        (1, "example/b:2"),
        (1, "gcr.io/go-containerregistry/crane"),
    ]


def test_a_shell_run_in_a_container_is_read_there() -> None:
    # What the shell runs sees none of the script's variables; its text was expanded here.
    source = (
        "IMG=example/host:1\n"
        "docker run --rm alpine:3.19 sh -c 'docker pull example/inner:6'\n"
        'docker run --rm -e X=1 docker:27-cli sh -c "docker pull $IMG"\n'
        "podman run --rm docker:26-cli sh -c 'docker pull $IMG'\n"
        "docker run --rm --entrypoint /bin/sh alpine:3.18 -c 'crane copy example/e:1 m/e:1'\n"
        "docker run -it alpine:3.17 sh\n"
        'docker run --rm alpine:3.16 bash -c "$CMD"\n'
    )
    assert inventory_of(source) == [
        (2, "example/inner:6"),
        (2, "alpine:3.19"),
        (3, "example/host:1"),
        (3, "docker:27-cli"),
        (4, "docker:26-cli"),
        (5, "example/e:1"),
        (5, "alpine:3.18"),
        (6, "alpine:3.17"),
        (7, "alpine:3.16"),
    ]
    assert warnings_of(source) == [
        "pull.sh:4: cannot know the value of $IMG without running the script; the image is "
        "not audited (set the variable in the script or list the image literally)",
        "pull.sh:7: cannot know the command sh -c runs without running the script; the images "
        "it uses are not audited (list the images in an array and loop over it)",
    ]


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("docker run --rm alpine sh -c x", (4, None)),
        ("docker container run -d --name n alpine:3 sleep 1", (7, None)),
        ("docker run --entrypoint=/bin/sh alpine -c x", (4, "/bin/sh")),
        ("docker run --entrypoint sh alpine", (5, "sh")),
        ("docker run --rm alpine", None),
        ("docker create alpine sh", None),
        ("buildah run c1 sh", None),
        ("docker exec c1 sh", None),
    ],
)
def test_where_the_command_of_a_container_starts(
    line: str, found: tuple[int, str | None] | None
) -> None:
    assert container_command(line.split()) == found


def test_a_container_runs_no_engine_of_its_own() -> None:
    # `docker run a docker run b ...` nests no use in a use: a long line stays one level.
    words = ["docker", "run", "a:1", "docker", "run", "b:1", "docker", "run", "c:1"]
    use = image_use(words)
    assert use is not None and use.positions == (2,) and use.inner is None
