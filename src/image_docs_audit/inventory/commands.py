"""Which commands use images, and which of their arguments are the images.

This module knows command lines only as words: a literal text, or None for a
word whose text is not known (an expansion). It answers "is this a command that
uses an image, and which words are the images?" for the container tools a pull
script calls: pulls, saves, runs, tags, copies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from enum import StrEnum

from ..lazy_pattern import LazyPattern
from ..records import record

Words = Sequence[str | None]


class Take(StrEnum):
    """Which positional arguments of a verb are images."""

    ALL = "all"  # docker pull a b, docker save -o f a b
    FIRST = "first"  # docker run IMG cmd..., docker tag SRC DST, skopeo copy SRC DST
    ALL_BUT_LAST = "all_but_last"  # crane pull IMG... TARBALL


@record
class ImageUse:
    """A command that uses images: `positions` index the image words."""

    tool: str
    verb: str
    positions: tuple[int, ...]
    transport: bool  # skopeo: only `docker://` sources are registry images
    # apptainer: a word is a registry image only with `docker://` (a `.sif` file, a
    # `library://` image are not)
    prefixed: bool = False
    # The part of the word that is the image: all of it, the part before its first `=`
    # (`oc image mirror SRC=DST`) or the part after it (`--from=IMAGE`).
    part: str = "all"
    # An option the reader does not know right before the image (`docker run --new-opt 2
    # nginx`): if it takes a value, that value is read as the image.
    unknown_option: str | None = None
    # `k3d image import`, `minikube image load`: a word may name an archive (`app.tar`,
    # `-` for the standard input) instead of an image; one that does is none.
    archives: bool = False
    # What a registry tool run as a container does (`docker run quay.io/skopeo/stable
    # copy SRC DST`): its own use of images, at positions of the same words.
    inner: ImageUse | None = None

    def chain(self) -> tuple[ImageUse, ...]:
        """This use and the one of the tool its container runs, if any."""
        return (self,) if self.inner is None else (self, *self.inner.chain())


@record
class _Verb:
    take: Take
    value_flags: frozenset[str]
    bool_flags: frozenset[str] = frozenset()


_PULL_FLAGS = frozenset(
    {
        "--platform", "--arch", "--os", "--variant", "--creds", "--authfile", "--cert-dir",
        "--decryption-key", "--retry", "--retry-delay", "--signature-policy", "--policy",
    }
)  # fmt: skip
_PULL_BOOLS = frozenset({"-a", "--all-tags", "-q", "--quiet", "--disable-content-trust"})
_SAVE_FLAGS = frozenset({"-o", "--output", "--format", "--platform"})
# `docker run` / `create` options that take a value (docker, podman, nerdctl).
_RUN_FLAGS = frozenset(
    {
        "-a", "--attach", "-c", "--cpu-shares", "-e", "--env", "-h", "--hostname", "-l",
        "--label", "-m", "--memory", "-p", "--publish", "-u", "--user", "-v", "--volume",
        "-w", "--workdir", "--add-host", "--annotation", "--blkio-weight",
        "--blkio-weight-device", "--cap-add", "--cap-drop", "--cgroup-parent", "--cgroupns",
        "--cgroups", "--cidfile", "--cpu-period", "--cpu-quota", "--cpu-rt-period",
        "--cpu-rt-runtime", "--cpus", "--cpuset-cpus", "--cpuset-mems", "--detach-keys",
        "--device", "--device-cgroup-rule", "--device-read-bps", "--device-read-iops",
        "--device-write-bps", "--device-write-iops", "--dns", "--dns-option", "--dns-search",
        "--domainname", "--entrypoint", "--env-file", "--expose", "--gpus", "--group-add",
        "--health-cmd", "--health-interval", "--health-retries", "--health-start-period",
        "--health-start-interval", "--health-timeout", "--ip", "--ip6", "--ipc", "--isolation",
        "--kernel-memory", "--label-file", "--link", "--link-local-ip", "--log-driver",
        "--log-opt", "--mac-address", "--memory-reservation", "--memory-swap",
        "--memory-swappiness", "--mount", "--name", "--network", "--net", "--network-alias",
        "--net-alias", "--oom-score-adj", "--pid", "--pids-limit", "--platform", "--pull",
        "--restart", "--runtime", "--security-opt", "--shm-size", "--stop-signal",
        "--stop-timeout", "--storage-opt", "--sysctl", "--tmpfs", "--ulimit", "--userns",
        "--uts", "--volume-driver", "--volumes-from", "--arch", "--os", "--variant",
        "--authfile", "--cert-dir", "--creds", "--pod", "--secret", "--systemd", "--tz",
        "--uidmap", "--gidmap", "--subuidname", "--subgidname", "--requires", "--sdnotify",
        "--seccomp-policy", "--pidfile", "--preserve-fds", "--env-merge", "--hostuser",
        "--chrootdirs", "--conmon-pidfile", "--decryption-key", "--group-entry",
        "--passwd-entry", "--personality", "--rdt-class", "--umask", "--unsetenv",
        "--image-volume", "--init-path", "--cgroup-conf", "--retry", "--retry-delay",
        "--timeout", "--health-on-failure", "--log-level", "--namespace",
        "--snapshotter", "--cni-path", "--cosign-key", "--cpu-count", "--cpu-percent",
        "--dns-opt", "--io-maxbandwidth", "--io-maxiops", "--pod-id-file", "--hosts-file",
        "--health-startup-cmd", "--health-startup-interval", "--health-startup-retries",
        "--health-startup-success", "--health-startup-timeout", "--health-log-destination",
        "--health-max-log-count", "--health-max-log-size", "--shm-size-systemd",
        "--preserve-fd",
    }
)  # fmt: skip
_RUN_BOOLS = frozenset(
    {"-d", "-i", "-t", "-P", "-q", "--rm", "--detach", "--interactive", "--tty", "--init",
     "--privileged", "--read-only", "--publish-all", "--quiet", "--no-healthcheck",
     "--oom-kill-disable", "--sig-proxy", "--replace", "--disable-content-trust", "--rmi",
     "--tls-verify", "--env-host", "--no-hosts", "--rootfs", "--passwd", "--read-only-tmpfs",
     "--http-proxy", "--use-api-socket"}
)  # fmt: skip

_FROM_FLAGS = frozenset(
    {
        "--name", "--arch", "--os", "--variant", "--platform", "--authfile", "--cert-dir",
        "--creds", "--cap-add", "--cap-drop", "--cgroup-parent", "--cgroupns", "--cidfile",
        "--decryption-key", "--device", "--dns", "--dns-option", "--dns-search", "--format",
        "-f", "--group-add", "--ipc", "--isolation", "--memory", "-m", "--memory-swap",
        "--network", "--net", "--pid", "--retry", "--retry-delay", "--security-opt",
        "--shm-size", "--ulimit", "--userns", "--userns-uid-map", "--userns-gid-map",
        "--userns-uid-map-user", "--userns-gid-map-group", "--uts", "--volume", "-v",
        "--cpu-period", "--cpu-quota", "--cpu-shares", "-c", "--cpuset-cpus", "--cpuset-mems",
        "--add-host", "--signature-policy",
    }
)  # fmt: skip
_FROM_BOOLS = frozenset(
    {"-q", "--quiet", "--tls-verify", "--pull", "--pull-always", "--pull-never"}
)
_DOCKER_VERBS = {
    "pull": _Verb(Take.ALL, _PULL_FLAGS, _PULL_BOOLS),
    "save": _Verb(Take.ALL, _SAVE_FLAGS),
    "run": _Verb(Take.FIRST, _RUN_FLAGS, _RUN_BOOLS),
    "create": _Verb(Take.FIRST, _RUN_FLAGS, _RUN_BOOLS),
    "tag": _Verb(Take.FIRST, frozenset()),
    # `buildah from IMAGE`: a working container from the image, pulled first.
    "from": _Verb(Take.FIRST, _FROM_FLAGS, _FROM_BOOLS),
}
# `docker image pull`, `docker container run`: the group word before the verb.
_DOCKER_GROUPS = {"image": ("pull", "save", "tag"), "container": ("run", "create")}
_DOCKER_TOOLS = frozenset({"docker", "podman", "nerdctl", "finch", "buildah"})
_GLOBAL_FLAGS = frozenset(
    {
        "--context", "-c", "--host", "-H", "--config", "--log-level", "-l", "--tlscacert",
        "--tlscert", "--tlskey", "--namespace", "-n", "--address", "-a", "--connection",
        "--url", "--identity", "--root", "--runroot", "--storage-driver", "--cgroup-manager",
        "--data-root", "--snapshotter", "--hosts-dir", "--timeout", "--connect-timeout",
        "--cni-path", "--cni-netconfpath", "--override-arch", "--override-os",
        "--override-variant", "--registries.d", "--tmpdir", "--command-timeout",
        "--policy", "--platform", "--runtime-endpoint", "-r", "--image-endpoint", "-i",
    }
)  # fmt: skip

_CTR_VERB = _Verb(
    Take.FIRST,
    frozenset({"--platform", "--user", "-u", "--snapshotter", "--hosts-dir", "--label",
               "--max-concurrent-downloads", "--refresh", "--tlscacert", "--tlscert",
               "--tlskey"}),
)  # fmt: skip
_CRICTL_VERB = _Verb(
    Take.FIRST, frozenset({"--creds", "--auth", "--pod-config", "-p", "--username", "-u"})
)
_CRANE_FLAGS = frozenset({"--platform", "--format", "--cache_path", "-c", "--jobs", "-j"})
_CRANE_VERBS = {
    "pull": _Verb(Take.ALL_BUT_LAST, _CRANE_FLAGS, frozenset({"-a", "--all-tags"})),
    "copy": _Verb(Take.FIRST, _CRANE_FLAGS, frozenset({"-a", "--all-tags", "-n"})),
    "cp": _Verb(Take.FIRST, _CRANE_FLAGS, frozenset({"-a", "--all-tags", "-n"})),
    "export": _Verb(Take.FIRST, _CRANE_FLAGS),
    # reads of the image in its registry, as `skopeo inspect` is
    "digest": _Verb(Take.FIRST, _CRANE_FLAGS | {"--tarball"}),
    "manifest": _Verb(Take.FIRST, _CRANE_FLAGS),
    "config": _Verb(Take.FIRST, _CRANE_FLAGS),
}
_SKOPEO_FLAGS = frozenset(
    {
        "--src-creds", "--dest-creds", "--creds", "--authfile", "--src-authfile",
        "--dest-authfile", "--format", "-f", "--src-cert-dir", "--dest-cert-dir",
        "--cert-dir", "--additional-tag", "--sign-by", "--sign-by-sigstore",
        "--sign-passphrase-file", "--src-registry-token", "--dest-registry-token",
        "--registry-token", "--multi-arch", "--retry-times", "--retry-delay",
        "--src-daemon-host", "--dest-daemon-host", "--daemon-host", "--encryption-key",
        "--decryption-key", "--digestfile", "--src-shared-blob-dir", "--dest-shared-blob-dir",
        "--shared-blob-dir", "--dest-compress-format", "--dest-compress-level",
        "--image-parallel-copies", "--src", "-s", "--dest", "-d", "--append-suffix",
        "--username", "--password", "--src-username", "--src-password", "--dest-username",
        "--dest-password", "--config",
        # skopeo's global options, which may follow the verb too
        "--override-os", "--override-arch", "--override-variant", "--command-timeout",
        "--policy", "--registries.d", "--registries-conf", "--tmpdir", "--user-agent",
    }
)  # fmt: skip
_SKOPEO_VERBS = {verb: _Verb(Take.FIRST, _SKOPEO_FLAGS) for verb in ("copy", "inspect", "sync")}


def image_use(words: Words) -> ImageUse | None:
    """Whether `words` is a command that uses images, and which words are the images.

    A wrapper may stand in front (`sudo -E docker pull`, `timeout 60 podman pull`).
    """
    for index, word in enumerate(words):
        if word is None:
            continue
        # `microk8s.ctr`, `microk8s.docker`: the snap's commands for the tools
        tool = word.rsplit("/", 1)[-1].removeprefix("microk8s.")
        if tool in _TOOL_PARSERS:
            use = _TOOL_PARSERS[tool](tool, words, index + 1)
            if use is not None:
                return use
    return None


def _verb_at(words: Words, start: int) -> int:
    """The index of the first word after the tool's global flags."""
    position = start
    while position < len(words):
        word = words[position]
        if word is None or not word.startswith("-"):
            break
        position += 2 if "=" not in word and word in _GLOBAL_FLAGS else 1
    return position


# `docker buildx imagetools create -t DST SRC...` (a mirror's copy) and `inspect SRC`.
_IMAGETOOLS_VERB = _Verb(
    Take.ALL,
    frozenset({"-t", "--tag", "-f", "--file", "--annotation", "--builder", "--progress",
               "--format", "--platform"}),
    frozenset({"--append", "--dry-run", "--prefer-index", "--raw"}),
)  # fmt: skip


def _docker(tool: str, words: Words, start: int) -> ImageUse | None:
    position = _verb_at(words, start)
    # `docker $DOCKER_OPTS pull x`: words not known before a verb are global options (or
    # nothing, for a variable that is not set), not the verb.
    while position < len(words) and words[position] is None:
        following = _word(words, position + 1)
        if following not in _DOCKER_VERBS and following not in _DOCKER_GROUPS:
            break
        position = _verb_at(words, position + 1)
    verb = _word(words, position)
    if verb in ("buildx", "manifest"):
        return _lists(tool, words, position)
    if verb in _DOCKER_GROUPS and _word(words, position + 1) in _DOCKER_GROUPS[verb]:
        position += 1
        verb = _word(words, position)
    elif tool == "buildah" and verb not in ("pull", "from"):
        return None
    if verb == "from" and tool != "buildah":
        return None
    use = _by_verb(tool, words, position, _DOCKER_VERBS)
    if verb == "from" and use is not None and [words[i] for i in use.positions] == ["scratch"]:
        return None  # `buildah from scratch`: an empty container, no image
    if verb == "run" and use is not None:
        use = _contained(words, position + 1, use)
    if use is not None and tool in _TRANSPORT_TOOLS:
        # `podman pull docker://quay.io/x:1` (without `docker://`); `oci-archive:...` and
        # the other transports name local files
        return replace(use, transport=True)
    return use


# The engines that take a transport before a reference, as skopeo does.
_TRANSPORT_TOOLS = frozenset({"podman", "buildah"})


def _contained(words: Words, start: int, use: ImageUse) -> ImageUse:
    """`docker run [options] IMAGE ARGS...` (options from `start`): where the container runs
    a tool that uses images, the tool's use of them as `inner`. The tool is the first of
    ARGS (`IMAGE crane copy SRC DST`) or else the image's entrypoint (`quay.io/skopeo/stable
    copy SRC DST`, `--entrypoint crane`), which ARGS are given to."""
    if not use.positions:
        return use
    image = use.positions[0]
    named = (_word(words, image + 1) or "").rsplit("/", 1)[-1]
    if named in _TOOL_PARSERS and named not in _DOCKER_TOOLS:  # (no engine in an engine)
        inner = _TOOL_PARSERS[named](named, words, image + 2)
    else:
        entry = _entrypoint(words, start, image)
        inner = None if entry is None else _TOOL_PARSERS[entry](entry, words, image + 1)
    return use if inner is None else replace(use, inner=inner)


def _entrypoint(words: Words, start: int, image: int) -> str | None:
    """The registry tool a container of the image at `image` runs its arguments with: the
    one `--entrypoint` names (among the options from `start`), else the one whose image it
    is (by the last components of its repository: `gcr.io/go-containerregistry/crane:debug`)."""
    given = _entrypoint_option(words, start, image)
    if given is not None:
        name = given.rsplit("/", 1)[-1]
        return name if name in _TOOL_IMAGES.values() else None
    reference = (words[image] or "").removeprefix("docker://").split("@", 1)[0]
    folder, _, name = reference.rpartition("/")
    parts = (*folder.split("/"), name.split(":", 1)[0])
    return _TOOL_IMAGES.get(parts[-2:]) or _TOOL_IMAGES.get(parts[-1:])


def _entrypoint_option(words: Words, start: int, image: int) -> str | None:
    """The value of `--entrypoint` among the options from `start` to the image ("" for one
    not known), None without one."""
    for index in range(start, image):
        word = words[index] or ""
        if word == "--entrypoint" or word.startswith("--entrypoint="):
            given = word.partition("=")[2] if "=" in word else _word(words, index + 1)
            return given or ""
    return None


def container_command(words: Words) -> tuple[int, str | None] | None:
    """Where the command a container runs starts in `docker run [options] IMAGE ARGS...`
    (podman, nerdctl, finch; also `container run`), and the `--entrypoint` it is given to,
    if one is named; None for another command, or a run of no arguments."""
    tool = (words[0] or "").rsplit("/", 1)[-1] if words else ""
    if tool not in _DOCKER_TOOLS or tool == "buildah":
        return None  # (`buildah run` runs in a working container, not in an image)
    use = _docker(tool, words, 1)
    if use is None or use.verb != "run" or not use.positions:
        return None
    start = use.positions[0] + 1
    entrypoint = _entrypoint_option(words, 1, use.positions[0]) or None
    return (start, entrypoint) if start < len(words) or entrypoint else None


# The images whose entrypoint is a registry tool, by the end of their repository's path:
# `quay.io/skopeo/stable`, `quay.io/containers/skopeo`, `gcr.io/go-containerregistry/crane`,
# `ghcr.io/regclient/regctl`, `ghcr.io/oras-project/oras`.
_TOOL_IMAGES: dict[tuple[str, ...], str] = {
    ("skopeo",): "skopeo",
    **{("skopeo", flavour): "skopeo" for flavour in ("stable", "upstream", "testing")},
    ("crane",): "crane",
    ("crane", "debug"): "crane",
    ("regctl",): "regctl",
    ("oras",): "oras",
}


def _lists(tool: str, words: Words, position: int) -> ImageUse | None:
    """`docker buildx imagetools create|inspect` and `docker manifest create|inspect`, the
    verbs of multi-platform lists (`position`: `buildx` or `manifest`)."""
    if _word(words, position) == "manifest":
        return _manifest(tool, words, position + 1)
    if _word(words, position + 1) != "imagetools":
        return None  # `buildx build`: no image of the inventory
    verbs = {"create": _IMAGETOOLS_VERB, "inspect": _IMAGETOOLS_VERB}
    return _by_verb(tool, words, _verb_at(words, position + 2), verbs)


def _manifest(tool: str, words: Words, position: int) -> ImageUse | None:
    """`docker manifest create LIST SRC... [--amend SRC]`: the sources (the list is what it
    makes); `docker manifest inspect IMAGE`: the image."""
    verb = _word(words, position)
    if verb not in ("create", "inspect"):
        return None
    use = _use(tool, f"manifest {verb}", _MANIFEST_VERB, words, position + 1)
    chosen = use.positions[1:] if verb == "create" else use.positions[-1:]
    return ImageUse(tool, use.verb, chosen, transport=False) if chosen else None


# `docker manifest`'s options: switches all (`--amend`, `-a`, `--insecure`, `-v`), but
# `--os`, `--arch`, `--variant` of `annotate`, which takes no image here.
_MANIFEST_VERB = _Verb(
    Take.ALL, frozenset(), frozenset({"--amend", "-a", "--insecure", "-v", "--verbose"})
)


def _by_verb(tool: str, words: Words, position: int, verbs: Mapping[str, _Verb]) -> ImageUse | None:
    """The use of the verb at `position`, when it is one of `verbs`."""
    verb = _word(words, position)
    found = verbs.get(verb or "")
    if verb is None or found is None:
        return None
    return _use(tool, verb, found, words, position + 1)


def _ctr(tool: str, words: Words, start: int) -> ImageUse | None:
    position = _verb_at(words, start)
    if _word(words, position) not in ("image", "images", "i"):
        return None
    if _word(words, position + 1) != "pull":
        return None
    return _use(tool, "pull", _CTR_VERB, words, position + 2)


def _crictl(tool: str, words: Words, start: int) -> ImageUse | None:
    return _by_verb(tool, words, _verb_at(words, start), {"pull": _CRICTL_VERB})


def _crane(tool: str, words: Words, start: int) -> ImageUse | None:
    return _by_verb(tool, words, _verb_at(words, start), _CRANE_VERBS)


def _skopeo(tool: str, words: Words, start: int) -> ImageUse | None:
    position = _verb_at(words, start)
    use = _by_verb(tool, words, position, _SKOPEO_VERBS)
    if use is None:
        return None
    verb = use.verb
    # `skopeo sync --src docker REPO DIR` names a repository with no transport.
    plain = verb == "sync" and _option(words, position + 1, ("--src", "-s")) == "docker"
    if verb == "sync" and not plain:
        return None  # `--src dir` or `--src yaml FILE`: no registry image named here
    return ImageUse(use.tool, use.verb, use.positions, transport=not plain)


@record
class SyncFile:
    """`skopeo sync --src yaml FILE ...`: the YAML file that lists the images it mirrors."""

    file: str | None  # None: a word whose text is not known


def sync_file(words: Words) -> SyncFile | None:
    """Whether `words` is a `skopeo sync` from a YAML file, and which file."""
    for index, word in enumerate(words):
        if (word or "").rsplit("/", 1)[-1] != "skopeo":
            continue
        position = _verb_at(words, index + 1)
        if _word(words, position) != "sync":
            return None
        if _option(words, position + 1, ("--src", "-s")) != "yaml":
            return None
        use = _use("skopeo", "sync", _SKOPEO_VERBS["sync"], words, position + 1)
        return SyncFile(_word(words, use.positions[0])) if use.positions else None
    return None


def _option(words: Words, start: int, names: tuple[str, ...]) -> str | None:
    for index in range(start, len(words)):
        word = words[index]
        if word in names:
            return _word(words, index + 1)
        for name in names:
            if word is not None and word.startswith(name + "="):
                return word[len(name) + 1 :]
    return None


def _word(words: Words, index: int) -> str | None:
    return words[index] if index < len(words) else None


def _use(tool: str, verb: str, spec: _Verb, words: Words, start: int) -> ImageUse:
    positionals: list[int] = []
    skip = False
    unknown = None  # the option just before, when it is not one the verb's lists know
    for index in range(start, len(words)):
        word = words[index]
        if skip:
            skip = False
        elif word == "--":
            positionals.extend(range(index + 1, len(words)))
            break
        elif word is not None and word.startswith("-") and len(word) > 1:
            skip = _takes_value(word, spec)
            unknown = word if _unknown_option(word, spec) else None
            continue
        else:
            positionals.append(index)
            if spec.take is Take.FIRST:
                break  # the rest are the container's command or the copy's target
        unknown = None
    doubt = unknown if spec.take is Take.FIRST and positionals and spec.bool_flags else None
    return ImageUse(tool, verb, _taken(positionals, spec.take), False, unknown_option=doubt)


def _unknown_option(flag: str, spec: _Verb) -> bool:
    """A long option in neither of the verb's lists, with no `=value` (the lists hold every
    short one the tools have)."""
    if "=" in flag or flag in spec.value_flags or flag in spec.bool_flags:
        return False
    return flag.startswith("--")


def _takes_value(flag: str, spec: _Verb) -> bool:
    """Whether the next word is this flag's value.

    `--name=x` and `-p8080:80` carry their value; a cluster of switches (`-dit`)
    takes one only when its last letter does (`-dp 80:80`); an unknown flag is a switch.
    """
    if "=" in flag or flag in spec.bool_flags:
        return False
    if flag in spec.value_flags:
        return True
    cluster = len(flag) > 2 and flag[1] != "-" and flag[1:].isalpha()
    return cluster and f"-{flag[-1]}" in spec.value_flags


def _taken(positionals: list[int], take: Take) -> tuple[int, ...]:
    if take is Take.FIRST:
        return tuple(positionals[:1])
    if take is Take.ALL_BUT_LAST:
        return tuple(positionals[:-1]) if len(positionals) > 1 else tuple(positionals)
    return tuple(positionals)


# regclient's `regctl image copy SRC DST` (also `cp`, `export SRC FILE`): the source.
_REGCTL_GLOBALS = frozenset({"--host", "--logopt", "--user-agent", "-v", "--verbosity"})
_REGCTL_VERB = _Verb(
    Take.FIRST,
    frozenset({"--platform", "--format", "--exclude", "--include", "--annotation", "--label",
               "--referrers-src", "--referrers-tgt", *_REGCTL_GLOBALS}),
)  # fmt: skip


# `regctl image digest|inspect|manifest|config IMAGE`: reads of the image in its registry.
_REGCTL_READ = replace(_REGCTL_VERB, value_flags=_REGCTL_VERB.value_flags | {"-p"})
_REGCTL_VERBS = {
    **dict.fromkeys(("copy", "cp", "export"), _REGCTL_VERB),
    **dict.fromkeys(("digest", "inspect", "manifest", "config"), _REGCTL_READ),
}


def _regctl(tool: str, words: Words, start: int) -> ImageUse | None:
    position = start
    while (word := _word(words, position)) is not None and word.startswith("-"):
        position += 2 if "=" not in word and word in _REGCTL_GLOBALS else 1
    if _word(words, position) != "image":
        return None
    return _by_verb(tool, words, position + 1, _REGCTL_VERBS)


# ORAS: `oras copy|cp SRC DST` mirrors an image (the source); `oras manifest fetch IMAGE`
# and `oras resolve IMAGE` read it in its registry. (`oras pull` fetches an artifact's
# files, not an image.) Each verb takes the options of both ends of a copy and the
# common ones.
_ORAS_ENDS = ("--{}username", "--{}password", "--{}registry-config", "--{}ca-file",
              "--{}cert-file", "--{}key-file", "--{}resolve", "--{}header",
              "--{}distribution-spec")  # fmt: skip
_ORAS_VALUES = frozenset(
    {flag.format(end) for flag in _ORAS_ENDS for end in ("", "from-", "to-")}
    | {"-u", "-p", "-H", "--platform", "--concurrency", "--format", "--template",
       "--media-type", "--output", "-o"}
)  # fmt: skip
_ORAS_SWITCHES = frozenset(
    {flag.format(end) for end in ("", "from-", "to-")
     for flag in ("--{}plain-http", "--{}insecure", "--{}password-stdin", "--{}oci-layout")}
    | {"-r", "--recursive", "-d", "--debug", "-v", "--verbose", "--no-tty", "--descriptor",
       "--pretty"}
)  # fmt: skip
_ORAS_VERB = _Verb(Take.FIRST, _ORAS_VALUES, _ORAS_SWITCHES)
# Where the source is a folder in the OCI image layout, not a registry image.
_ORAS_LAYOUT = frozenset({"--oci-layout", "--from-oci-layout"})


def _oras(tool: str, words: Words, start: int) -> ImageUse | None:
    position = _verb_at(words, start)
    if _word(words, position) == "manifest":
        position += 1
        verbs = {"fetch": _ORAS_VERB, "get": _ORAS_VERB}
    else:
        verbs = {"copy": _ORAS_VERB, "cp": _ORAS_VERB, "resolve": _ORAS_VERB}
    if any(word in _ORAS_LAYOUT for word in words[start:]):
        return None
    return _by_verb(tool, words, position, verbs)


# `minikube image pull IMAGE...` and `minikube cache add IMAGE...` pull into the cluster.
_MINIKUBE_GLOBALS = frozenset({"-p", "--profile", "-v", "--v", "--log_dir", "--user"})
_MINIKUBE_VERB = _Verb(Take.ALL, _MINIKUBE_GLOBALS)


def _minikube(tool: str, words: Words, start: int) -> ImageUse | None:
    position = start
    while (word := _word(words, position)) is not None and word.startswith("-"):
        position += 2 if "=" not in word and word in _MINIKUBE_GLOBALS else 1
    group, verb = _word(words, position), _word(words, position + 1)
    if (group, verb) == ("image", "load"):
        # an image at hand (or an archive) loaded into the cluster, as `docker save` uses it
        return _loaded(_use(tool, "image load", _MINIKUBE_VERB, words, position + 2), words)
    if (group, verb) not in (("image", "pull"), ("cache", "add")):
        return None
    return _use(tool, f"{group} {verb}", _MINIKUBE_VERB, words, position + 2)


# `kind load docker-image IMAGE... [--name CLUSTER]` and `k3d image import IMAGE|ARCHIVE...
# [-c CLUSTER]`: images at hand loaded into a cluster's nodes.
_KIND_GLOBALS = frozenset({"--loglevel", "-v", "--verbosity"})
_KIND_VERB = _Verb(Take.ALL, _KIND_GLOBALS | {"--name", "--nodes"})
_K3D_VERB = _Verb(Take.ALL, frozenset({"-c", "--cluster", "-m", "--mode"}))


def _kind(tool: str, words: Words, start: int) -> ImageUse | None:
    position = start
    while (word := _word(words, position)) is not None and word.startswith("-"):
        position += 2 if "=" not in word and word in _KIND_GLOBALS else 1
    if (_word(words, position), _word(words, position + 1)) != ("load", "docker-image"):
        return None  # `kind load image-archive FILE`: a file, no image named
    return _loaded(_use(tool, "load docker-image", _KIND_VERB, words, position + 2), words)


def _k3d(tool: str, words: Words, start: int) -> ImageUse | None:
    position = _verb_at(words, start)
    group, verb = _word(words, position), _word(words, position + 1)
    if group not in ("image", "images") or verb not in ("import", "load"):
        return None
    return _loaded(_use(tool, "image import", _K3D_VERB, words, position + 2), words)


def _loaded(use: ImageUse, words: Words) -> ImageUse | None:
    """The images of a load into a cluster: not the words that name archives."""
    chosen = tuple(i for i in use.positions if not archive(words[i] or ""))
    return replace(use, positions=chosen, archives=True) if chosen else None


def archive(text: str) -> bool:
    """Whether a word names an image archive (`app.tar`, `out/app.tar.gz`) or the standard
    input (`-`), which a load into a cluster takes as well as an image."""
    return text == "-" or text.lower().endswith(_ARCHIVE_SUFFIXES)


_ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.xz", ".tar.bz2")


# `apptainer pull [OUT.sif] docker://IMG`, `build OUT.sif docker://IMG` (the image last),
# `run|exec|shell|inspect docker://IMG ...` (first); `singularity` is the same tool.
_APPTAINER_VALUES = frozenset(
    {"--dir", "--name", "--arch", "--library", "--bind", "-B", "--env", "--env-file", "--home",
     "-H", "--workdir", "-W", "--pwd", "--overlay", "-o", "--network", "--security", "--app",
     "--section", "--build-arg", "--build-arg-file", "--mount", "--scratch", "-S"}
)  # fmt: skip
_APPTAINER_LAST = frozenset({"pull", "build"})
_APPTAINER_FIRST = frozenset({"run", "exec", "shell", "inspect", "test", "instance"})


def _apptainer(tool: str, words: Words, start: int) -> ImageUse | None:
    position = _verb_at(words, start)
    verb = _word(words, position)
    if verb == "instance" and _word(words, position + 1) == "start":
        position += 1
    if verb not in _APPTAINER_LAST | _APPTAINER_FIRST:
        return None
    last = verb in _APPTAINER_LAST
    use = _use(
        tool, verb, _Verb(Take.ALL if last else Take.FIRST, _APPTAINER_VALUES), words, position + 1
    )
    chosen = use.positions[-1:] if last else use.positions[:1]
    return ImageUse(tool, verb, chosen, transport=True, prefixed=True)


# `oc image mirror SRC DST` or `SRC=DST...`, `oc adm catalog mirror SRC DST`: the sources;
# `oc adm release mirror --from=RELEASE`: the release image.
_OC_GLOBALS = frozenset(
    {"--kubeconfig", "-n", "--namespace", "--context", "--server", "-s", "--token",
     "--loglevel", "--cluster", "--user", "--as", "--certificate-authority"}
)  # fmt: skip
_OC_MIRROR_VALUES = frozenset(
    {"-a", "--registry-config", "--filter-by-os", "-f", "--filename", "--from-dir", "--dir",
     "--max-per-registry", "--max-registry", "--to", "--to-release-image", "--to-dir",
     "--release-image-signature-to-dir", "--idms-file", "--icsp-file", "--index-filter-by-os",
     "--manifests-only", "--to-manifests"}
)  # fmt: skip


def _oc(tool: str, words: Words, start: int) -> ImageUse | None:
    position = _verb_at(words, start)
    while (word := _word(words, position)) is not None and word.startswith("-"):
        position += 2 if "=" not in word and word in _OC_GLOBALS else 1
    verbs = tuple(_word(words, position + offset) for offset in range(3))
    if verbs[:2] == ("image", "mirror") or verbs == ("adm", "catalog", "mirror"):
        after = position + (2 if verbs[0] == "image" else 3)
        use = _use(tool, "mirror", _Verb(Take.ALL, _OC_MIRROR_VALUES), words, after)
        mapped = tuple(i for i in use.positions if "=" in (words[i] or ""))
        if mapped:
            return ImageUse(tool, "mirror", mapped, transport=False, part="before")
        return ImageUse(tool, "mirror", use.positions[:1], transport=False)
    if verbs == ("adm", "release", "mirror"):
        return _release_from(tool, words, position + 3)
    return _kubectl(tool, words, start)


def _kubectl(tool: str, words: Words, start: int) -> ImageUse | None:
    """`kubectl run NAME --image=IMAGE` (a pod of it, pulled on a node), `kubectl create
    deployment|job|cronjob NAME --image IMAGE` (also `oc`): the image."""
    position = start
    while (word := _word(words, position)) is not None and word.startswith("-"):
        position += 2 if "=" not in word and word in _OC_GLOBALS else 1
    verb = _word(words, position)
    if verb == "create" and _word(words, position + 1) in _KUBE_WORKLOADS:
        verb = "create " + (_word(words, position + 1) or "")
    elif verb != "run":
        return None
    for index in range(position + 1, len(words)):
        word = words[index]
        if word == "--":
            break  # the container's command
        if word == "--image" and index + 1 < len(words):
            return ImageUse(tool, verb, (index + 1,), transport=False)
        if word is not None and word.startswith("--image="):
            return ImageUse(tool, verb, (index,), transport=False, part="after")
    return None


_KUBE_WORKLOADS = frozenset({"deployment", "deploy", "job", "cronjob", "cj"})


def _release_from(tool: str, words: Words, start: int) -> ImageUse | None:
    """`--from=RELEASE` or `--from RELEASE`: the release image mirrored."""
    for index in range(start, len(words)):
        word = words[index]
        if word == "--from" and index + 1 < len(words):
            return ImageUse(tool, "release mirror", (index + 1,), transport=False)
        if word is not None and word.startswith("--from="):
            return ImageUse(tool, "release mirror", (index,), transport=False, part="after")
    return None


_TOOL_PARSERS = {
    **{tool: _docker for tool in _DOCKER_TOOLS},
    "minikube": _minikube,
    "kind": _kind,
    "k3d": _k3d,
    "ctr": _ctr,
    "crictl": _crictl,
    "crane": _crane,
    "skopeo": _skopeo,
    "regctl": _regctl,
    "oras": _oras,
    "apptainer": _apptainer,
    "singularity": _apptainer,
    "oc": _oc,
    "kubectl": _kubectl,
}


@record
class ComposeUse:
    """`docker compose -f FILE pull [SERVICE...]`: a command that pulls (or starts) the
    images of compose files. None stands for a word whose text is not known."""

    files: tuple[str | None, ...]  # as given with `-f`; none given: the default names
    folder: str | None  # `--project-directory`, where the default names are looked for
    services: tuple[str | None, ...]  # none given: every service
    profiles: tuple[str | None, ...] = ()  # `--profile`: the profiles it enables
    env_files: tuple[str | None, ...] = ()  # `--env-file`: read instead of `.env`


# What reads a compose file's images: `pull`, and `up` / `create`, which pull what is missing.
_COMPOSE_VERBS = {
    "pull": frozenset({"--policy"}),
    "up": frozenset(
        {"--scale", "-t", "--timeout", "--wait-timeout", "--exit-code-from", "--attach",
         "--no-attach", "--pull"}
    ),
    "create": frozenset({"--scale", "--pull"}),
}  # fmt: skip
_COMPOSE_GLOBAL_VALUES = frozenset(
    {"-f", "--file", "-p", "--project-name", "--project-directory", "--env-file", "--profile",
     "--ansi", "--progress", "--parallel"}
)  # fmt: skip
_COMPOSE_TOOLS = frozenset({"docker-compose", "podman-compose"})


def compose_use(words: Words) -> ComposeUse | None:
    """Whether `words` runs `docker compose` (`docker-compose`, `podman compose`...) with a
    verb that pulls images, and which files and services it reads."""
    for index, word in enumerate(words):
        tool = (word or "").rsplit("/", 1)[-1]
        if tool in _COMPOSE_TOOLS:
            return _compose(words, index + 1)
        if tool in _DOCKER_TOOLS:
            position = _verb_at(words, index + 1)
            return _compose(words, position + 1) if _word(words, position) == "compose" else None
    return None


def _compose(words: Words, start: int) -> ComposeUse | None:
    """The compose command whose global options start at `start`."""
    files: list[str | None] = []
    profiles: list[str | None] = []
    env_files: list[str | None] = []
    folder: str | None = None
    position = start
    while position < len(words) and (words[position] or "").startswith("-"):
        option, _, attached = (words[position] or "").partition("=")
        value = attached if attached else _word(words, position + 1)
        position += 1 if attached or option not in _COMPOSE_GLOBAL_VALUES else 2
        if option in ("-f", "--file"):
            files.append(value)
        elif option == "--profile":
            profiles.append(value)
        elif option == "--project-directory":
            folder = value
        elif option == "--env-file":
            env_files.append(value)
    verb = _word(words, position)
    if verb not in _COMPOSE_VERBS:
        return None
    services: list[str | None] = []
    skip = False
    for word in words[position + 1 :]:
        if skip:
            skip = False
        elif word is not None and word.startswith("-"):
            skip = "=" not in word and word in _COMPOSE_VERBS[verb]
        else:
            services.append(word)
    return ComposeUse(tuple(files), folder, tuple(services), tuple(profiles), tuple(env_files))


# Commands that print or log their arguments: `echo docker pull x` pulls nothing.
PRINTERS = frozenset(
    {"echo", "printf", ":", "true", "logger", "log", "info", "warn", "warning", "error",
     "debug", "msg", "note", "say", "fatal", "die", "notice"}
)  # fmt: skip


@record
class Xargs:
    """`xargs [options] COMMAND...`: where the command starts and how items are added."""

    command: int  # index of the command's first word
    replace: str | None  # `-I {}`: items replace this text instead of being appended
    quoted: bool = True  # quotes and backslashes are read in its input (not under -0, -d)


_XARGS_VALUE_FLAGS = frozenset(
    {"-n", "-L", "-P", "-s", "-d", "-E", "-e", "-a", "--max-args", "--max-lines",
     "--max-procs", "--max-chars", "--delimiter", "--eof", "--arg-file", "--process-slot-var"}
)  # fmt: skip


def download_target(words: Words) -> str | None:
    """The file `curl -o FILE URL` or `wget -O FILE URL` writes (also `--output`,
    `--output-document`, `-oFILE`, `--output=FILE`); None for another command, or one
    whose file name is not known (`curl -O` takes it from the URL)."""
    tool = (words[0] or "").rsplit("/", 1)[-1] if words else ""
    short, long = _DOWNLOAD_OPTIONS.get(tool, ("", ""))
    if not short:
        return None
    for index, word in enumerate(words[1:], 1):
        cluster = word is not None and word[:1] == "-" and word[1:].isalpha()  # `-sfLo`, `-qO`
        if word in (short, long) or (cluster and word is not None and word[-1] == short[1]):
            return _word(words, index + 1)
        if word is not None and word.startswith(f"{long}="):
            return word.split("=", 1)[1]
        if word is not None and word.startswith(short) and len(word) > 2:
            return word[2:]
    return None


_DOWNLOAD_OPTIONS = {"curl": ("-o", "--output"), "wget": ("-O", "--output-document")}


def xargs(words: Words) -> Xargs | None:
    """The shape of an xargs command line, None when it is not one or runs nothing known."""
    if not words or words[0] is None or words[0].rsplit("/", 1)[-1] != "xargs":
        return None
    replace: str | None = None
    quoted = True
    index = 1
    while index < len(words):
        word = words[index]
        if word is None or not word.startswith("-"):
            break
        if word in ("-0", "--null") or word.startswith(("-d", "--delimiter")):
            quoted = False  # items end at a NUL or the delimiter, read as they are
        if word in ("-I", "--replace", "-i"):
            replace = _word(words, index + 1) if word == "-I" else "{}"
            index += 2 if word == "-I" else 1
            continue
        if word.startswith("-I") and len(word) > 2:
            replace = word[2:]
        elif word.startswith("--replace="):
            replace = word.split("=", 1)[1]
        elif word in _XARGS_VALUE_FLAGS:
            index += 1
        index += 1
    return Xargs(index, replace, quoted) if index < len(words) else None


@record
class Parallel:
    """`parallel [options] COMMAND... ::: ARGS... :::: FILES...`: where its parts stand.

    Indices are into the words; `command` and each source are (start, end) spans.
    """

    command: tuple[int, int]
    sources: tuple[tuple[str, int, int], ...]  # (":::" or "::::", start, end), in order
    arg_files: tuple[int, ...]  # the word after each `-a` / `--arg-file`
    replace: str  # the replacement string: `{}`, or what `-I` names
    piped: bool  # `--pipe`: the command reads blocks of input, it gets no arguments


# GNU parallel's options that take a value as the next word.
_PARALLEL_VALUE_FLAGS = frozenset(
    {"-j", "--jobs", "-P", "--max-procs", "-n", "--max-args", "-N", "-L", "--max-lines",
     "-l", "-s", "--max-chars", "-d", "--delimiter", "-E", "--eof", "-S", "--sshlogin",
     "--sshloginfile", "--slf", "-C", "--colsep", "--retries", "--halt", "--delay",
     "--timeout", "--joblog", "--results", "--res", "--memfree", "--load", "--nice",
     "--tmpdir", "--workdir", "--wd", "--env", "--header", "--tagstring", "--rpl",
     "--limit", "--block", "--block-size", "--recend", "--recstart", "--arg-sep",
     "--arg-file-sep", "--seqreplace", "--ssh", "--sshdelay", "--termseq", "--basefile",
     "--bf", "--return", "--transferfile", "--tf", "--cleanup", "--profile", "-J",
     "--resume-failed-file", "--filter", "--shellquote-mode", "--tee-limit"}
)  # fmt: skip
PARALLEL_SEPARATORS = frozenset({":::", ":::+", "::::", "::::+"})


def parallel(words: Words) -> Parallel | None:
    """The shape of a GNU parallel command line, None when it is not one.

    An option it does not know is taken as a switch: were it to take a value, that
    value would be read as the command's first word, in front of the image command
    it runs, which `image_use` reads past as a wrapper.
    """
    if not words or words[0] is None or words[0].rsplit("/", 1)[-1] != "parallel":
        return None
    replace, piped, arg_files = "{}", False, []
    index = 1
    while index < len(words):
        word = words[index]
        if word is None or not word.startswith("-") or word in PARALLEL_SEPARATORS:
            break
        if word in ("-a", "--arg-file"):
            arg_files.append(index + 1)
        if word == "-I" and index + 1 < len(words):
            replace = words[index + 1] or replace
        elif word.startswith("-I") and len(word) > 2:
            replace = word[2:]
        piped = piped or word in ("--pipe", "--pipepart")
        index += 2 if word in _PARALLEL_VALUE_FLAGS or word in ("-a", "--arg-file", "-I") else 1
    start = index
    while index < len(words) and words[index] not in PARALLEL_SEPARATORS:
        index += 1
    command = (start, index)
    sources: list[tuple[str, int, int]] = []
    while index < len(words):
        separator, first = words[index] or "", index + 1
        index = first
        while index < len(words) and words[index] not in PARALLEL_SEPARATORS:
            index += 1
        sources.append((separator, first, index))
    return Parallel(command, tuple(sources), tuple(arg_files), replace, piped)


# GNU parallel's replacement strings: `{}` and `{3}` are an argument as it is; `{.}`,
# `{/}`, `{//}`, `{/.}`, `{#}`, `{%}` and `{= perl =}` are made from it or from the job.
_PARALLEL_REPLACEMENT = LazyPattern(r"\{(\d*)\}|\{\d*(?:\.|/|//|/\.|#|%|=)")


def parallel_script(command: str, shape: Parallel, sources: int) -> str | None:
    """The command line parallel runs, its arguments as `"${1}"`, `"${2}"`... (None when
    it makes one from an argument: `{/}`, `{.}`)."""
    every = " ".join(f'"${{{index}}}"' for index in range(1, sources + 1))
    if shape.replace != "{}":
        if shape.replace in command:
            return command.replace(shape.replace, '"${1}"')
        return command if shape.piped else f"{command} {every}"
    found = list(_PARALLEL_REPLACEMENT.finditer(command))
    if any(match.group(1) is None for match in found):
        return None
    if not found:
        return command if shape.piped else f"{command} {every}"
    return _PARALLEL_REPLACEMENT.sub(
        lambda match: f'"${{{match.group(1)}}}"' if match.group(1) else every, command
    )


def arg_file(words: Words) -> str | None:
    """The file `xargs -a FILE` reads its items from."""
    return _option(words, 1, ("-a", "--arg-file"))
