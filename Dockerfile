# The image of the GitHub container action: `image-docs-audit action` in a clean venv, with git.
#
# BASE is a build argument so that the image builds where Docker Hub cannot be reached:
# tests/container builds it on a Debian base made with debootstrap. Whatever the base, it
# needs `python3` with the venv module (python:3.12-slim has it; Debian: python3-venv).
ARG BASE=python:3.12-slim

# ---- build: the project's wheel and its dependencies' wheels, nothing else is kept ----
FROM ${BASE} AS build

# The index settings of the machine that builds (a mirror, a proxy's CA bundle, local
# indexes): empty by default, given with --build-arg; pip ignores an empty setting. They
# exist in this stage only, and never reach the final image.
ARG PIP_INDEX_URL=
ARG PIP_EXTRA_INDEX_URL=
ARG PIP_TRUSTED_HOST=
ARG PIP_FIND_LINKS=
ARG PIP_CERT=
ARG PIP_DEFAULT_TIMEOUT=
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

# pip from a venv: Debian's own pip refuses to touch the system (PEP 668) and is optional.
RUN python3 -m venv /tmp/pip-venv
WORKDIR /src
# LICENSE: pyproject.toml's license-files, which the build checks.
COPY pyproject.toml setup.py compile-requirements.txt README.md LICENSE ./
COPY src ./src
# The compiled build (setup.py: the scan compiled with mypyc, the same reports, about a
# fifth faster): it needs a C compiler and Python's headers, in this stage only. mypy
# brings mypyc; neither reaches the final image, where the compiled modules need nothing.
RUN include="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')" \
    && if ! command -v cc >/dev/null || [ ! -f "$include/Python.h" ]; then \
        apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            gcc libc6-dev python3-dev; \
    fi \
    && /tmp/pip-venv/bin/pip install -r compile-requirements.txt \
    && IMAGE_DOCS_AUDIT_COMPILE=1 /tmp/pip-venv/bin/pip wheel --no-build-isolation --no-deps \
        --wheel-dir /wheels . \
    && /tmp/pip-venv/bin/pip wheel --wheel-dir /wheels /wheels/image_docs_audit-*.whl

# The venv the final image runs, built here so that its compiled modules can lose their
# debugging symbols (strip: 4 MB of tree-sitter's and PyYAML's 7 MB) with binutils that
# never reach the final image, and the modules mypyc compiled their unused source and
# bytecode (0.3 MB). The C sources and type stubs some wheels ship (hyperscan's
# extension.c, .pyi files: 0.09 MB) go too: nothing reads them at run time; so do the
# plugins of mdit-py-plugins the line classifier's reference does not use (all but the
# admonitions and the front matter, 0.6 MB: the layer's budget is 20 MB). pip and
# setuptools leave it: nothing installs at run time. The package's other modules keep
# their bytecode only, written where their source was (Python imports `x.pyc` when `x.py`
# is gone): nothing reads the source at run time, as an error is one line and never a
# traceback, and it is 0.7 MB.
# Both stages have the same BASE, so the venv's python link points at the same python.
RUN if ! command -v strip >/dev/null; then \
        apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends binutils; \
    fi \
    && python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /wheels image-docs-audit \
    && /opt/venv/bin/pip uninstall -y -q pip setuptools \
    && find /opt/venv -name '*.so' -exec strip --strip-unneeded {} + \
    && find /opt/venv/lib \( -name '*.c' -o -name '*.h' -o -name '*.pyi' \) -type f -delete \
    && plugins="$(echo /opt/venv/lib/python3*/site-packages/mdit_py_plugins)" \
    && find "$plugins" -mindepth 1 -maxdepth 1 ! -name __init__.py ! -name utils.py \
        ! -name admon ! -name front_matter ! -name __pycache__ -exec rm -rf {} + \
    && find "$plugins" -path "$plugins/__pycache__/*" ! -name '__init__.*' ! -name 'utils.*' \
        -delete \
    && /opt/venv/bin/python -c 'import mdit_py_plugins.admon, mdit_py_plugins.front_matter' \
    && for module in $(find /opt/venv -path '*/image_docs_audit/*' -name '*.cpython-*.so'); do \
        name="${module%%.cpython-*}" \
        && rm "$name.py" "${name%/*}/__pycache__/${name##*/}".cpython-*.pyc; \
    done \
    && package="$(echo /opt/venv/lib/python3*/site-packages/image_docs_audit)" \
    && /opt/venv/bin/python -m compileall -q -b "$package" \
    && find "$package" -name '*.py' -type f -delete \
    && find "$package" -name __pycache__ -type d -prune -exec rm -rf {} + \
    && /opt/venv/bin/image-docs-audit --version | grep -q '(compiled)'

# ---- final: a venv with the wheels, git, and nothing that built them ----
FROM ${BASE}

# The release passes the version (src/image_docs_audit/__init__.py holds it, once).
ARG VERSION=dev
ARG SOURCE=https://github.com/image-docs-audit/image-docs-audit
LABEL org.opencontainers.image.title="image-docs-audit" \
      org.opencontainers.image.description="Audit which container images of a bash pull script have Markdown docs; gate pull requests on documentation regressions." \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

# git: the gate reads the base commit from git objects. A base that has git already (the
# Debian base of tests/container) keeps its own. dpkg leaves out git's manuals, docs and
# translations, and apt's lists and caches go in the same step, so no layer keeps them.
# Perl, which Debian's git depends on, goes too when this step brought it (47 MB of the
# 84 MB git costs): the commands the gate runs (rev-parse, ls-tree, cat-file, fetch over
# https) are git's own C; only scripts such as send-email or svn need Perl. dpkg then
# lists git's dependency on it as broken, which matters only to an apt run in an image
# built on this one; tests/container checks what the gate needs still works.
# The base's own pip goes too (python:3.12-slim has one): nothing installs at run time.
# The workspace is mounted from the runner and owned by another uid than root here.
RUN if ! command -v git >/dev/null; then \
        printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' \
            'path-exclude=/usr/share/info/*' 'path-exclude=/usr/share/locale/*' \
            > /etc/dpkg/dpkg.cfg.d/image-docs-audit-nodoc \
        && dpkg-query -W -f '${Package}\n' | sort > /tmp/packages-before \
        && apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git \
        && dpkg-query -W -f '${Package}\n' | sort | comm -13 /tmp/packages-before - \
            | grep -E '^(perl|perl-modules-.*|libperl5.*|liberror-perl|git-man)$' \
            | xargs -r dpkg --purge --force-depends \
        && apt-get clean \
        && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log /tmp/packages-before; \
    fi \
    && if python3 -m pip --version >/dev/null 2>&1; then \
        python3 -m pip uninstall -y -q pip && rm -rf /root/.cache; \
    fi \
    && git config --system --add safe.directory '*'

COPY --from=build /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH

# No USER: GitHub runs container actions as root, and the workspace it mounts must stay
# writable (the JSON report is written there). No WORKDIR: the runner passes --workdir.
ENTRYPOINT ["image-docs-audit", "action"]
