"""A small GitHub REST client: the few calls the action makes, with retries that respect limits.

Why httpx and a client of our own rather than a GitHub library: the action lists, creates,
updates and deletes issue comments, nothing more. PyGithub is LGPL-3 and does not retry a
rate-limited PATCH (the one write that matters here); githubkit weighs 76 MB installed and broke
on import; ghapi and gidgethub do not retry at all. A page of code on httpx (BSD-3-Clause licence,
already typed) does what we need, and is tested against a real HTTP server on loopback.

What it guarantees: every error is one `GitHubError` line that never carries the token (GitHub's
messages are kept, httpx's are not: they can quote the request); retries stop within a budget of
seconds, so a rate-limited API costs the job a minute, not an hour; the token is only ever sent
to `api_url` (a pagination link elsewhere is refused). An answer GitHub would never send (a
server or proxy gone wrong) is bounded too: its time, its size, its pages and its `Link` header.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import math
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from .. import __version__
from ..records import record

API_VERSION = "2022-11-28"
# Backoff without a hint from GitHub: 1, 2, 4, ... seconds, never longer than this.
MAX_BACKOFF = 30.0
# Each attempt (connect, request, headers, body) ends within this many seconds: httpx's
# timeout is per read, which a server sending a byte every few seconds never trips. GitHub
# stops its own work on a request at 10 seconds; this leaves as long again to send the answer.
DEADLINE = 20.0
# An answer's body is read up to this size. A page of 100 comments of 65,536 characters, each
# sent as a 6-byte `\uXXXX` escape at worst, is 39 MB: anything bigger is not GitHub's.
MAX_BODY = 64 * 1024 * 1024
# A listing follows at most this many pages (30,000 items at 100 a page; 10,000 comments are
# 100 pages): a server that always links a next page would otherwise be followed forever.
MAX_PAGES = 300
# GitHub's `Link` headers are under 1 KB; a longer one is not read at all.
MAX_LINK = 16 * 1024
# Server-sent text quoted in an error (a link) is cut to this length, which keeps every real
# URL whole (a branch name in a query is up to 255 characters): a warning is one line.
MAX_QUOTE = 1000
# A token goes into a header: printable ASCII only, or h11 raises an error that quotes it.
_TOKEN = re.compile(r"[\x21-\x7e]+")
# One `; name=value` (or `; name="quoted, value"`) parameter of a link, at a given position.
_PARAM = re.compile(
    r"""\s*;\s*(?P<key>[^;,=\s]+)
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


@record
class Response:
    """A 2xx answer: `headers` with lower-case names, `data` the decoded JSON (None if empty)."""

    status: int
    headers: Mapping[str, str]
    data: Any


def parse_links(header: str) -> dict[str, str]:
    """An RFC 8288 `Link` header as {relation: uri}; the first link of a relation wins.

    Read once from left to right: a pattern searching for `<uri>` went over the rest of the
    header again from every `<` without its `>` (100 KB of `<` took 40 seconds).
    """
    links: dict[str, str] = {}
    at = 0
    while (start := header.find("<", at)) >= 0:
        end = header.find(">", start + 1)
        if end < 0:
            break  # no link closes after this one: nothing more to read
        uri, at, rel = header[start + 1 : end], end + 1, None
        while param := _PARAM.match(header, at):  # `; name=value` right after `<uri>`
            at = param.end()
            if rel is None and param["key"].lower() == "rel":  # RFC 8288 3.3: the first only
                rel = param["quoted"] if param["quoted"] is not None else param["token"] or ""
        for name in (rel or "").lower().split():  # `rel="next last"` names two relations
            links.setdefault(name, uri)
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
        deadline: float = DEADLINE,
        max_body: int = MAX_BODY,
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
        self.retry_budget, self.deadline, self.max_body = retry_budget, deadline, max_body
        self._token = token
        self._sockets: list[socket.socket] = []  # the connections' sockets, for `_cut`
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
        """The items of every page of a list, following `Link: <...>; rel="next"`, for at most
        MAX_PAGES pages."""
        url = self._resolve(path, "GET")
        query: Mapping[str, str | int] | None = {"per_page": 100, **(params or {})}
        seen = {str(url)}
        while True:
            page = self._send("GET", url, params=query)
            here = self._display(url)
            if not isinstance(page.data, list):
                raise GitHubError(page.status, "expected a JSON list", method="GET", path=here)
            yield from page.data
            target = self._next_link(page, here)
            if target is None:
                return
            url = self._join(url, target, here)  # the link already has the query
            if str(url) in seen:  # a server that links back would page forever
                loop = f"pagination loops back to {self._quote(target)}"
                raise GitHubError(0, loop, method="GET", path=here)
            if len(seen) >= MAX_PAGES:  # one that always links a new page, too
                more = f"more than {MAX_PAGES} pages: the list is not read to its end"
                raise GitHubError(0, more, method="GET", path=here)
            seen.add(str(url))
            query = None

    def _next_link(self, page: Response, here: str) -> str | None:
        header = page.headers.get("link", "")
        if len(header) > MAX_LINK:
            too_long = f"Link header of {len(header)} characters, more than {MAX_LINK}"
            raise GitHubError(page.status, too_long, method="GET", path=here)
        return parse_links(header).get("next")

    def _join(self, url: httpx.URL, target: str, here: str) -> httpx.URL:
        """The next page's URL, which must be under api_url."""
        try:
            joined = url.join(target)
        except httpx.InvalidURL:
            not_url = f"pagination link is not a URL: {self._quote(target)}"
            raise GitHubError(0, not_url, method="GET", path=here) from None
        self._check_origin(joined, "GET", here)
        return joined

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
            listed = errors if isinstance(errors, list) else []
            messages = [e.get("message", "") for e in listed if isinstance(e, dict)] or ["error"]
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
        slow timeouts can stretch it; each attempt lasts at most `deadline` seconds, so a call
        lasts at most the budget and one attempt."""
        display = self._display(url)
        started, slept, attempt = self._clock(), 0.0, 0
        while True:
            try:
                reply, content = self._attempt(method, url, json=json, params=params)
            except (httpx.RequestError, _OverrunError) as exc:
                reason = self._scrub(_reason(exc, self.deadline))
                error = GitHubError(
                    0, f"cannot reach {self.api_url}: {reason}", method=method, path=display
                )
                wait: float | None = _backoff(attempt)
            except _TooBigError as exc:
                too_big = f"answer is over {_mib(self.max_body)} (not GitHub's)"
                raise GitHubError(exc.status, too_big, method=method, path=display) from None
            else:
                if reply.is_success:
                    return self._response(reply, content, method, display)
                error = self._error(reply, content, method, display)
                wait = self._retry_wait(reply, error.message, attempt)
            spent = max(slept, self._clock() - started)
            if wait is None or spent + wait > self.retry_budget:
                raise error from None  # no httpx exception in the chain: it holds the token
            self._sleep(wait)
            slept += wait
            attempt += 1

    def _attempt(
        self, method: str, url: httpx.URL, *, json: Any, params: Mapping[str, str | int] | None
    ) -> tuple[httpx.Response, bytes]:
        """One request and its body, within `deadline` seconds and `max_body` bytes.

        A watchdog shuts the connection's socket at the deadline: the read waiting on it ends
        at once, where httpx would wait for as long as bytes keep trickling in.
        """
        fired = threading.Event()
        watchdog = threading.Timer(self.deadline, self._cut, args=(fired,))
        watchdog.daemon = True
        watchdog.start()
        try:
            with self._http.stream(
                method, url, json=json, params=params, extensions={"trace": self._trace}
            ) as reply:
                body = self._read_body(reply)
        except httpx.RequestError:
            if fired.is_set():
                raise _OverrunError from None
            raise
        finally:
            watchdog.cancel()
            watchdog.join()  # so that it cannot cut the next request's connection
        if fired.is_set():  # a body without a length ends where it was cut, looking whole
            raise _OverrunError
        return reply, body

    def _read_body(self, reply: httpx.Response) -> bytes:
        """The body, streamed, refused past `max_body`: holding it all first costs 4 times
        its size in memory once decoded."""
        declared = reply.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise _TooBigError(reply.status_code)
        body = bytearray()
        for chunk in reply.iter_bytes():
            body += chunk
            if len(body) > self.max_body:  # also a small compressed body that inflates
                raise _TooBigError(reply.status_code)
        return bytes(body)

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore reports each connection it opens: its socket is kept for `_cut`."""
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        self._sockets = [s for s in self._sockets if s.fileno() >= 0]  # drop closed ones
        if isinstance(sock, socket.socket):
            self._sockets.append(sock)

    def _cut(self, fired: threading.Event) -> None:
        """The deadline passed: shut every open connection, which ends the read in progress
        (an idle one is opened again when needed)."""
        fired.set()
        for sock in list(self._sockets):
            # The plain socket's shutdown: a TLS socket's own would unwrap it first. OSError:
            # closed meanwhile.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

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

    def _response(
        self, reply: httpx.Response, content: bytes, method: str, display: str
    ) -> Response:
        headers = {name.lower(): value for name, value in reply.headers.items()}
        if reply.status_code == httpx.codes.NO_CONTENT or not content:
            return Response(reply.status_code, headers, None)
        try:
            data = _json(content)
        except ValueError:
            raise GitHubError(
                reply.status_code, "answer is not JSON", method=method, path=display
            ) from None
        return Response(reply.status_code, headers, data)

    def _error(
        self, reply: httpx.Response, content: bytes, method: str, display: str
    ) -> GitHubError:
        """GitHub's error body (`message`, `documentation_url`, `errors`) as a GitHubError."""
        try:
            body = _json(content)
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
            self._scrub(doc) if isinstance(doc, str) else None,
            method=method,
            path=display,
            details=tuple(self._scrub(d) for d in _details(body.get("errors"))),
        )

    def _resolve(self, path: str, method: str) -> httpx.URL:
        """A path is joined to api_url by hand: httpx's join would drop an Enterprise /api/v3."""
        if path.startswith(("http://", "https://")):
            try:
                url = httpx.URL(path)
            except httpx.InvalidURL:  # an earlier answer's `url` field, say
                raise GitHubError(0, "not a URL", method=method, path=self._quote(path)) from None
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
            f"not sending the token outside {self.api_url}: {self._quote(elsewhere)}",
            method=method,
            path=display,
        )

    def _display(self, url: httpx.URL) -> str:
        """The URL as the error shows it: the path under api_url, and its query (a next
        page's comes from the server: it is quoted as such)."""
        prefix = self._base.path.rstrip("/")
        path = url.path[len(prefix) :] if url.path.startswith(prefix + "/") else url.path
        query = url.query.decode("ascii", "replace")
        return self._quote(f"{path}?{query}" if query else path)

    def _scrub(self, text: str) -> str:
        """Belt and braces: whatever a server or a library echoes, the token does not pass."""
        return text.replace(self._token, "***")

    def _quote(self, text: str) -> str:
        """Server-sent text in an error: without the token, and short (scrubbed first, so a
        cut cannot leave part of the token)."""
        text = self._scrub(text)
        return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "\u2026"


class _OverrunError(Exception):
    """An attempt ran past its deadline."""


class _TooBigError(Exception):
    """An answer's body is over `max_body`."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


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


def _reason(exc: httpx.RequestError | _OverrunError, deadline: float) -> str:
    """A short cause from a fixed vocabulary or the OS: httpx's own message may quote the
    request (h11 quotes a bad header value), and with it the token."""
    if isinstance(exc, _OverrunError):
        return f"timed out (no whole answer in {deadline:g} seconds)"
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


def _json(content: bytes) -> Any:
    """The decoded body, as httpx's `Response.json` does; a ValueError also for nesting too
    deep for the decoder (`[[[[...`), which raises RecursionError."""
    try:
        return jsonlib.loads(content)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None


def _mib(size: int) -> str:
    return f"{size / 2**20:g} MiB" if size >= 2**20 else f"{size} bytes"


def _backoff(attempt: int) -> float:
    """1, 2, 4, ... seconds, up to 10% more so parallel jobs spread out, at most MAX_BACKOFF."""
    return min(MAX_BACKOFF, 2.0 ** min(attempt, 6) * random.uniform(1.0, 1.1))


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) else None
