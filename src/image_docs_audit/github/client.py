"""A small GitHub REST client: the few calls the action makes, with retries that respect limits.

Why httpx and a client of our own rather than a GitHub library: the action lists, creates,
updates and deletes issue comments, nothing more. PyGithub is LGPL-3 and does not retry a
rate-limited PATCH (the one write that matters here); githubkit weighs 76 MB installed and broke
on import; ghapi and gidgethub do not retry at all. A page of code on httpx (BSD-3-Clause licence,
already typed) does what we need, and is tested against a real HTTP server on loopback.

What it guarantees: every error is one `GitHubError` line that never carries the token (GitHub's
messages are kept, httpx's are not: they can quote the request); retries stop within a budget of
seconds, so a rate-limited API costs the job a minute, not an hour; the token is only ever sent
to `api_url` (a pagination link elsewhere is refused).
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

from .. import __version__

API_VERSION = "2022-11-28"
# Backoff without a hint from GitHub: 1, 2, 4, ... seconds, never longer than this.
MAX_BACKOFF = 30.0
# A token goes into a header: printable ASCII only, or h11 raises an error that quotes it.
_TOKEN = re.compile(r"[\x21-\x7e]+")
# RFC 8288 `Link`: `<uri>; param=value; param="quoted, value", <uri2>; ...`
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_LINK = re.compile(
    rf"""<(?P<uri>[^>]*)>                   # <uri>
    (?P<params>(?:\s*;\s*[^;,=\s]+           # ; name
    (?:\s*=\s*(?:{_QUOTED}|[^;,\s]*))?)*)  # =value or ="quoted, value"
    """,
    re.VERBOSE,
)
_PARAM = re.compile(
    r""";\s*(?P<key>[^;,=\s]+)
    (?:\s*=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^;,\s]*)))?
    """,
    re.VERBOSE,
)


class GitHubError(Exception):
    """A failed call. `str()` is one line: `GitHub API: PATCH /path -> 403 <GitHub's message>`.

    `status` 0 means GitHub was not reached (network error, timeout) or not asked (a refused link).
    """

    def __init__(
        self,
        status: int,
        message: str,
        documentation_url: str | None = None,
        *,
        method: str = "",
        path: str = "",
        details: tuple[str, ...] = (),
    ) -> None:
        super().__init__(status, message, documentation_url)
        self.status = status
        self.message = message
        self.documentation_url = documentation_url
        self.method = method
        self.path = path
        self.details = details

    def __str__(self) -> str:
        where = f"{self.method} {self.path} -> " if self.method else ""
        outcome = f"{self.status} {self.message}" if self.status else self.message
        detail = f" ({'; '.join(self.details)})" if self.details else ""
        # GitHub's messages may hold newlines ("Invalid request.\n\n..."): keep the one line.
        return " ".join(f"GitHub API: {where}{outcome}{detail}".split())


@dataclass(frozen=True)
class Response:
    """A 2xx answer: `headers` with lower-case names, `data` the decoded JSON (None if empty)."""

    status: int
    headers: Mapping[str, str]
    data: Any


def parse_links(header: str) -> dict[str, str]:
    """An RFC 8288 `Link` header as {relation: uri}; the first link of a relation wins."""
    links: dict[str, str] = {}
    for link in _LINK.finditer(header):
        for param in _PARAM.finditer(link["params"]):
            if param["key"].lower() != "rel":
                continue
            value = param["quoted"] if param["quoted"] is not None else param["token"] or ""
            for rel in value.lower().split():  # `rel="next last"` names two relations
                links.setdefault(rel, link["uri"])
            break  # RFC 8288 3.3: only the first `rel` counts
    return links


class GitHubClient:
    """GitHub's REST API at `api_url` (github.com or an Enterprise `https://host/api/v3`)."""

    def __init__(
        self,
        token: str,
        api_url: str = "https://api.github.com",
        *,
        timeout: float = 10.0,
        retry_budget: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        token = token.strip()
        if not _TOKEN.fullmatch(token):
            raise ValueError("GitHub token is empty or contains spaces or control characters")
        self.api_url = api_url.rstrip("/")
        self._base = httpx.URL(self.api_url + "/")
        if self._base.scheme not in ("http", "https") or not self._base.host:
            raise ValueError(f"GitHub API URL must be http(s)://host[/path], not {api_url!r}")
        self.retry_budget = retry_budget
        self._token = token
        self._sleep, self._clock, self._wall = sleep, clock, wall
        self._http = httpx.Client(
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"image-docs-audit/{__version__}",
            },
            timeout=timeout,
            follow_redirects=False,  # a redirect could lead elsewhere; GitHub's API needs none
            # Plain http (a loopback server) has no certificate to check, and the token only
            # goes to api_url's scheme, so skip loading the CA bundle (50 ms per client).
            verify=self._base.scheme == "https",
        )

    def __repr__(self) -> str:
        return f"GitHubClient(api_url={self.api_url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Response:
        """`path` under api_url (`/repos/o/r/...`) or an absolute URL under api_url (a `url`
        field of an earlier answer)."""
        url = self._resolve(path, method.upper())
        return self._send(method.upper(), url, json=json, params=params)

    def paginate(self, path: str, params: Mapping[str, str | int] | None = None) -> Iterator[Any]:
        """The items of every page of a list, following `Link: <...>; rel="next"`."""
        url = self._resolve(path, "GET")
        query: Mapping[str, str | int] | None = {"per_page": 100, **(params or {})}
        seen = {str(url)}
        while True:
            page = self._send("GET", url, params=query)
            if not isinstance(page.data, list):
                raise GitHubError(
                    page.status, "expected a JSON list", method="GET", path=self._display(url)
                )
            yield from page.data
            target = parse_links(page.headers.get("link", "")).get("next")
            if target is None:
                return
            here, url = self._display(url), url.join(target)  # the link already has the query
            self._check_origin(url, "GET", here)
            if str(url) in seen:  # a server that links back would page forever
                raise GitHubError(0, f"pagination loops back to {target}", method="GET", path=here)
            seen.add(str(url))
            query = None

    def graphql(self, query: str, variables: Mapping[str, Any]) -> Any:
        """One GraphQL call, for what REST cannot do (hiding a comment); its `data`.

        GraphQL answers errors with 200 and an `errors` list: they raise like REST errors.
        The endpoint is the API's own (`/graphql`, or `/api/graphql` beside an Enterprise
        `/api/v3`), the one place the token goes outside api_url's path.
        """
        url = httpx.URL(graphql_url(self.api_url))
        reply = self._send("POST", url, json={"query": query, "variables": dict(variables)})
        data = reply.data if isinstance(reply.data, dict) else {}
        errors = data.get("errors")
        if errors:
            messages = [e.get("message", "") for e in errors if isinstance(e, dict)] or ["error"]
            text = self._scrub("; ".join(str(message) for message in messages))
            raise GitHubError(reply.status, text, method="POST", path=self._display(url))
        return data.get("data")

    def _send(
        self,
        method: str,
        url: httpx.URL,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Response:
        """One call with retries: give up with the last error when the next wait would overrun
        the budget. Time spent counts the sleeps and the clock, so neither a faked `sleep` nor
        slow timeouts can stretch it."""
        display = self._display(url)
        started, slept, attempt = self._clock(), 0.0, 0
        while True:
            try:
                reply = self._http.request(method, url, json=json, params=params)
            except httpx.RequestError as exc:
                reason = self._scrub(_reason(exc))
                error = GitHubError(
                    0, f"cannot reach {self.api_url}: {reason}", method=method, path=display
                )
                wait: float | None = _backoff(attempt)
            else:
                if reply.is_success:
                    return self._response(reply, method, display)
                error = self._error(reply, method, display)
                wait = self._retry_wait(reply, error.message, attempt)
            spent = max(slept, self._clock() - started)
            if wait is None or spent + wait > self.retry_budget:
                raise error from None  # no httpx exception in the chain: it holds the token
            self._sleep(wait)
            slept += wait
            attempt += 1

    def _retry_wait(self, reply: httpx.Response, message: str, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when retrying cannot help (4xx)."""
        status, headers = reply.status_code, reply.headers
        exhausted = headers.get("x-ratelimit-remaining") == "0"
        secondary = "secondary rate limit" in message.lower()
        limited = status == 429 or (status == 403 and (exhausted or secondary))
        if status < 500 and not limited:
            return None
        retry_after = _number(headers.get("retry-after"))  # GitHub sends seconds, not a date
        if retry_after is not None:
            return max(0.0, retry_after)
        reset = _number(headers.get("x-ratelimit-reset"))
        if exhausted and reset is not None:  # primary limit: GitHub says when it resets
            return max(0.0, reset - self._wall())
        return _backoff(attempt)

    def _response(self, reply: httpx.Response, method: str, display: str) -> Response:
        headers = {name.lower(): value for name, value in reply.headers.items()}
        if reply.status_code == httpx.codes.NO_CONTENT or not reply.content:
            return Response(reply.status_code, headers, None)
        try:
            data = reply.json()
        except ValueError:
            raise GitHubError(
                reply.status_code, "answer is not JSON", method=method, path=display
            ) from None
        return Response(reply.status_code, headers, data)

    def _error(self, reply: httpx.Response, method: str, display: str) -> GitHubError:
        """GitHub's error body (`message`, `documentation_url`, `errors`) as a GitHubError."""
        try:
            body = reply.json()
        except ValueError:
            body = None  # a proxy's HTML page, an empty 502
        if not isinstance(body, dict):
            body = {}
        message = (
            body.get("message")
            or reply.reason_phrase
            or httpx.codes.get_reason_phrase(reply.status_code)
        )
        doc = body.get("documentation_url")
        return GitHubError(
            reply.status_code,
            self._scrub(str(message)),
            doc if isinstance(doc, str) else None,
            method=method,
            path=display,
            details=tuple(self._scrub(d) for d in _details(body.get("errors"))),
        )

    def _resolve(self, path: str, method: str) -> httpx.URL:
        """A path is joined to api_url by hand: httpx's join would drop an Enterprise /api/v3."""
        if path.startswith(("http://", "https://")):
            url = httpx.URL(path)
            self._check_origin(url, method, self._display(url))
            return url
        return httpx.URL(f"{self.api_url}/{path.lstrip('/')}")

    def _check_origin(self, url: httpx.URL, method: str, display: str) -> None:
        """The token goes with every request: only to api_url's scheme, host, port and path."""
        base = self._base
        if (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port) and (
            url.path.startswith(base.path)
        ):
            return
        elsewhere = f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path}"
        raise GitHubError(
            0,
            f"not sending the token outside {self.api_url}: {elsewhere}",
            method=method,
            path=display,
        )

    def _display(self, url: httpx.URL) -> str:
        """The URL as the error shows it: the path under api_url, and its query."""
        prefix = self._base.path.rstrip("/")
        path = url.path[len(prefix) :] if url.path.startswith(prefix + "/") else url.path
        query = url.query.decode("ascii", "replace")
        return f"{path}?{query}" if query else path

    def _scrub(self, text: str) -> str:
        """Belt and braces: whatever a server or a library echoes, the token does not pass."""
        return text.replace(self._token, "***")


def graphql_url(api_url: str) -> str:
    """`https://api.github.com/graphql`, or `https://HOST/api/graphql` for `.../api/v3`."""
    api_url = api_url.rstrip("/")
    if api_url.endswith("/api/v3"):
        return api_url.removesuffix("/v3") + "/graphql"
    return api_url + "/graphql"


def _details(errors: Any) -> list[str]:
    """GitHub's `errors` list (422): a message each, else `Resource.field: code`."""
    if not isinstance(errors, list):
        return []
    details = []
    for item in errors:
        if isinstance(item, str):
            details.append(item)
        elif isinstance(item, dict):
            if isinstance(item.get("message"), str):
                details.append(item["message"])
            else:
                where = ".".join(str(item[k]) for k in ("resource", "field") if item.get(k))
                details.append(f"{where}: {item.get('code', 'invalid')}" if where else str(item))
    return details


def _reason(exc: httpx.RequestError) -> str:
    """A short cause from a fixed vocabulary or the OS: httpx's own message may quote the
    request (h11 quotes a bad header value), and with it the token."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    cause: BaseException | None = exc
    for _ in range(10):  # the OSError sits a few links down: httpx <- httpcore <- socket
        if cause is None:
            break
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return type(exc).__name__


def _backoff(attempt: int) -> float:
    """1, 2, 4, ... seconds, up to 10% more so parallel jobs spread out, at most MAX_BACKOFF."""
    return min(MAX_BACKOFF, 2.0 ** min(attempt, 6) * random.uniform(1.0, 1.1))


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) else None
