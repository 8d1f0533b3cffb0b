"""A fake GitHub REST API on 127.0.0.1: issue comments in memory, scripted faults.

A real `ThreadingHTTPServer` on an ephemeral port, so the client under test goes through httpx,
sockets and HTTP/1.1 like in production. Bodies, headers and pagination links copy GitHub's, as
recorded in tests/fixtures/github/rest (octokit/fixtures): `Link` with prev/next/last/first
as absolute `/repositories/{id}/...` URLs, error bodies `{"message", "documentation_url"}`.

    with FakeGitHub() as gh:
        gh.add_comment("o/r", 1, "hello")
        gh.fail("PATCH", r"/repos/o/r/issues/comments/\\d+", 403, body=READ_ONLY)
        ... GitHubClient("t", gh.url) ...
        assert [r.method for r in gh.requests] == [...]
"""

from __future__ import annotations

import base64
import copy
import json
import math
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

DOCS = "https://docs.github.com/rest"
COMMENTS_DOCS = "https://docs.github.com/rest/issues/comments"

# GitHub's bodies, as the API sends them.
READ_ONLY = {
    "message": "Resource not accessible by integration",
    "documentation_url": f"{COMMENTS_DOCS}#update-an-issue-comment",
    "status": "403",
}
USER_FORBIDDEN = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user",
    "status": "403",
}
SECONDARY_RATE_LIMIT = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
    "try again. If you reach out to GitHub Support for help, please include the request ID "
    "0000:00000:0000000:0000000:00000000.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
    "#about-secondary-rate-limits",
    "status": "403",
}
RATE_LIMITED = {
    "message": "API rate limit exceeded for installation ID 1000.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
    "#about-the-primary-rate-limit",
    "status": "403",
}
BAD_CREDENTIALS = {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}
# errors.json in the recorded fixtures: POST /repos/octokit-fixture-org/errors/labels -> 422.
VALIDATION_FAILED = {
    "message": "Validation Failed",
    "errors": [{"resource": "Label", "code": "invalid", "field": "color"}],
    "documentation_url": "https://docs.github.com/rest/reference/issues#create-a-label",
}
MAX_COMMENT = 65536  # characters; GitHub answers 422 beyond

# Authors GitHub knows: the Actions bot has this id on github.com.
KNOWN_USERS = {"github-actions[bot]": 41898282}

_REPO = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
_BY_ID = r"/repositories/(?P<repo_id>\d+)"


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server saw it. `path` is without `api_prefix` and without the query."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    json: Any  # the decoded body, None when there is none (or it is not JSON)


@dataclass
class Reply:
    status: int
    # JSON-encoded; a str is sent as is (an HTML error page), bytes too (a gzip body, with
    # its own Content-Encoding); None: no body
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # seconds between the bytes sent: a server that answers a byte at a time
    drip_head: bool = False  # drip the status line and headers too, not only the body


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    reply: Reply
    times: int
    delay: float


class FakeGitHub:
    """GitHub's issue-comment API in memory, served from the moment it is constructed.

    Knobs (plain attributes, change them any time): `login` (the token's user, author of
    what it posts), `user_forbidden` (GET /user answers 403 as for GITHUB_TOKEN),
    `known_issues` ({("o/r", n)}: others are 404; None: every issue exists), `require_token`
    (others get 401), `api_prefix` ("/api/v3" for an Enterprise-style URL).
    """

    def __init__(self, *, api_prefix: str = "", login: str = "github-actions[bot]") -> None:
        self.api_prefix = api_prefix
        self.login = login
        self.pulls: list[dict[str, Any]] = []  # what GET /repos/o/r/pulls lists
        self.user_forbidden = False
        self.known_issues: set[tuple[str, int]] | None = None
        self.require_token: str | None = None
        self.requests: list[RecordedRequest] = []
        self.minimized: dict[str, str] = {}  # node id -> classifier, by GraphQL minimizeComment
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._issues: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self._repo_ids: dict[str, int] = {}
        self._user_ids: dict[str, int] = dict(KNOWN_USERS)
        self._next_id = 1
        self._tick = 0
        self._server = _Server(("127.0.0.1", 0), partial(_Handler, self))
        # A short poll keeps shutdown() quick: it waits for the serve loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The API URL to give the client: `http://127.0.0.1:PORT` plus `api_prefix`."""
        return f"http://127.0.0.1:{self.port}{self.api_prefix}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- helpers for tests ------------------------------------------------------------------

    def add_comment(
        self, repo: str, number: int, body: str, login: str = "github-actions[bot]"
    ) -> dict[str, Any]:
        """A comment on issue or PR `number` of `repo` ("owner/name"), as if `login` posted it."""
        with self._lock:
            return copy.deepcopy(self._create(repo, number, body, login))

    def comments(self, repo: str, number: int) -> list[dict[str, Any]]:
        """The comments on `repo` #`number`, oldest first (copies)."""
        with self._lock:
            return copy.deepcopy(self._issues.get((repo, number), []))

    def fail(
        self,
        method: str,
        path_pattern: str,
        status: int,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
        delay: float = 0.0,
        drip: float = 0.0,
        drip_head: bool = False,
    ) -> None:
        """Answer the next `times` requests whose method (or "*") and path (without
        `api_prefix`, `re.fullmatch`) match with `status`, `body` (default: GitHub's error
        shape for 4xx/5xx) and extra `headers`, after `delay` seconds, and with `drip`
        seconds between the bytes of the body (of the whole answer with `drip_head`). Faults
        are tried in the order they were added, before authentication and the normal routes;
        a 200 fault scripts any answer (a page whose `Link` points elsewhere)."""
        if body is None and status >= HTTPStatus.BAD_REQUEST:
            body = _error_body(status, HTTPStatus(status).phrase)
        reply = Reply(status, body, dict(headers or {}), drip, drip_head)
        with self._lock:
            self._faults.append(
                _Fault(method.upper(), re.compile(path_pattern), reply, times, delay)
            )

    # -- the server side ----------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Reply:
        """Answer one request (called by the HTTP handler, on its own thread)."""
        split = urlsplit(target)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        path = split.path
        prefixed = not self.api_prefix or path.startswith(self.api_prefix + "/")
        if self.api_prefix and prefixed:
            path = path[len(self.api_prefix) :]
        payload = _decode(raw)
        with self._lock:
            self.requests.append(RecordedRequest(method, path, query, headers, payload))
            fault = self._take_fault(method, path)
        if fault is not None:
            time.sleep(fault.delay)
            return fault.reply
        with self._lock:
            reply = self._refuse(headers, raw, payload, prefixed) or self._route(
                method, path, split.query, payload
            )
            self._add_rate_headers(reply)
            return reply

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in (method, "*") and fault.pattern.fullmatch(path):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _refuse(
        self, headers: dict[str, str], raw: bytes, payload: Any, prefixed: bool
    ) -> Reply | None:
        """What GitHub checks before routing: the API path, the token, the JSON body."""
        if not prefixed:
            return Reply(404, _error_body(404, "Not Found"))
        if self.require_token and headers.get("authorization") != f"Bearer {self.require_token}":
            return Reply(401, BAD_CREDENTIALS)
        if raw and payload is None:
            return Reply(400, _error_body(400, "Problems parsing JSON"))
        return None

    def _route(self, method: str, path: str, query: str, payload: Any) -> Reply:
        for route_method, pattern, action in self._routes():
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                return action(match.groupdict(), query, payload)
        return Reply(404, _error_body(404, "Not Found"))

    def _routes(self) -> list[tuple[str, str, Callable[[dict[str, str], str, Any], Reply]]]:
        one = r"/issues/comments/(?P<comment_id>\d+)"
        many = r"/issues/(?P<number>\d+)/comments"
        return [
            ("GET", r"/user", self._get_user),
            ("POST", r"/graphql", self._graphql),
            ("GET", _REPO + r"/pulls", self._list_pulls),
            ("GET", _REPO + many, self._list_comments),
            ("GET", _BY_ID + many, self._list_comments),
            ("POST", _REPO + many, self._create_comment),
            ("GET", _REPO + one, self._get_comment),
            ("PATCH", _REPO + one, self._update_comment),
            ("DELETE", _REPO + one, self._delete_comment),
        ]

    def _get_user(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        if self.user_forbidden:
            return Reply(403, USER_FORBIDDEN)
        return Reply(200, {**self._user(self.login), "name": None})

    def _graphql(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        """GraphQL's minimizeComment, answered as GitHub does: errors come with a 200."""
        text = payload.get("query", "") if isinstance(payload, dict) else ""
        variables = payload.get("variables") or {} if isinstance(payload, dict) else {}
        node = variables.get("id")
        found = [c for comments in self._issues.values() for c in comments if c["node_id"] == node]
        if "minimizeComment" not in text or not found:
            message = f"Could not resolve to a node with the global id of '{node}'"
            return Reply(200, {"data": None, "errors": [{"type": "NOT_FOUND", "message": message}]})
        classifier = re.search(r"classifier:\s*(\w+)", text)
        self.minimized[str(node)] = classifier.group(1) if classifier else ""
        minimized = {"minimizedComment": {"isMinimized": True}}
        return Reply(200, {"data": {"minimizeComment": minimized}})

    def _list_pulls(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        """Open pull requests, filtered by `head=owner:branch` as GitHub filters them."""
        head = dict(parse_qsl(query)).get("head")
        found = [pull for pull in self.pulls if head is None or _head_label(pull) == head]
        return Reply(200, found)

    def _list_comments(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        repo = self._repo(match)
        number = int(match["number"])
        if repo is None or not self._known(repo, number):
            return Reply(404, _error_body(404, "Not Found", f"{COMMENTS_DOCS}#list-issue-comments"))
        params = parse_qsl(query, keep_blank_values=True)
        per_page = min(100, _positive(dict(params).get("per_page"), 30))
        page = _positive(dict(params).get("page"), 1)
        items = self._issues.get((repo, number), [])
        last = max(1, math.ceil(len(items) / per_page))
        base = f"{self.url}/repositories/{self._repo_id(repo)}/issues/{number}/comments"
        link = _link_header(base, [(k, v) for k, v in params if k != "page"], page, last)
        start = (page - 1) * per_page
        return Reply(200, items[start : start + per_page], {"Link": link} if link else {})

    def _create_comment(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        repo = self._repo(match)
        number = int(match["number"])
        if repo is None or not self._known(repo, number):
            return Reply(
                404, _error_body(404, "Not Found", f"{COMMENTS_DOCS}#create-an-issue-comment")
            )
        invalid = _invalid_body(payload, f"{COMMENTS_DOCS}#create-an-issue-comment")
        if invalid:
            return invalid
        comment = self._create(repo, number, payload["body"], self.login)
        return Reply(201, comment, {"Location": comment["url"]})

    def _get_comment(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        found = self._find(match)
        if found is None:
            return Reply(
                404, _error_body(404, "Not Found", f"{COMMENTS_DOCS}#get-an-issue-comment")
            )
        return Reply(200, found)

    def _update_comment(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        found = self._find(match)
        if found is None:
            return Reply(
                404, _error_body(404, "Not Found", f"{COMMENTS_DOCS}#update-an-issue-comment")
            )
        invalid = _invalid_body(payload, f"{COMMENTS_DOCS}#update-an-issue-comment")
        if invalid:
            return invalid
        found["body"] = payload["body"]
        found["updated_at"] = self._stamp()
        return Reply(200, found)

    def _delete_comment(self, match: dict[str, str], query: str, payload: Any) -> Reply:
        found = self._find(match)
        if found is None:
            return Reply(
                404, _error_body(404, "Not Found", f"{COMMENTS_DOCS}#delete-an-issue-comment")
            )
        for comments in self._issues.values():
            if found in comments:
                comments.remove(found)
        return Reply(204)

    # -- state ----------------------------------------------------------------------------------

    def _create(self, repo: str, number: int, body: str, login: str) -> dict[str, Any]:
        comment_id = self._next_id
        self._next_id += 1
        stamp = self._stamp()
        api = f"{self.url}/repos/{repo}"
        comment = {
            "id": comment_id,
            "node_id": base64.b64encode(f"012:IssueComment{comment_id}".encode()).decode(),
            "url": f"{api}/issues/comments/{comment_id}",
            "html_url": f"https://github.com/{repo}/pull/{number}#issuecomment-{comment_id}",
            "body": body,
            "user": self._user(login),
            "created_at": stamp,
            "updated_at": stamp,
            "issue_url": f"{api}/issues/{number}",
            "author_association": "OWNER" if login == repo.split("/", maxsplit=1)[0] else "NONE",
            "performed_via_github_app": None,
        }
        self._issues.setdefault((repo, number), []).append(comment)
        self._repo_id(repo)
        return comment

    def _find(self, match: dict[str, str]) -> dict[str, Any] | None:
        repo = self._repo(match)
        for (where, _), comments in self._issues.items():
            for comment in comments:
                if where == repo and comment["id"] == int(match["comment_id"]):
                    return comment
        return None

    def _repo(self, match: dict[str, str]) -> str | None:
        """ "owner/name" from /repos/{owner}/{name}/... or /repositories/{id}/..."""
        if "repo_id" in match:
            ids = {repo_id: repo for repo, repo_id in self._repo_ids.items()}
            return ids.get(int(match["repo_id"]))
        return f"{match['owner']}/{match['name']}"

    def _repo_id(self, repo: str) -> int:
        return self._repo_ids.setdefault(repo, 1000 + len(self._repo_ids))

    def _known(self, repo: str, number: int) -> bool:
        return self.known_issues is None or (repo, number) in self.known_issues

    def _user(self, login: str) -> dict[str, Any]:
        user_id = self._user_ids.setdefault(login, 5000 + len(self._user_ids))
        return {
            "login": login,
            "id": user_id,
            "node_id": base64.b64encode(f"04:User{user_id}".encode()).decode(),
            "type": "Bot" if login.endswith("[bot]") else "User",
            "site_admin": False,
            "url": f"{self.url}/users/{quote(login)}",
            "html_url": f"https://github.com/{quote(login)}",
        }

    def _stamp(self) -> str:
        """Times that go forward one second per write, so tests stay deterministic."""
        self._tick += 1
        moment = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=self._tick)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _add_rate_headers(self, reply: Reply) -> None:
        """GitHub's rate-limit headers on every normal answer (a fault sets its own)."""
        used = len(self.requests)
        reply.headers = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(max(0, 5000 - used)),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Resource": "core",
            **reply.headers,
        }


def _error_body(status: int, message: str, documentation_url: str = DOCS) -> dict[str, str]:
    return {"message": message, "documentation_url": documentation_url, "status": str(status)}


def _invalid_body(payload: Any, documentation_url: str) -> Reply | None:
    """GitHub's 422s for a comment body: missing, not a string, or too long."""
    body = payload.get("body") if isinstance(payload, dict) else None
    if not isinstance(body, str):
        message = 'Invalid request.\n\n"body" wasn\'t supplied.'
        return Reply(422, _error_body(422, message, documentation_url))
    if len(body) > MAX_COMMENT:
        error = {
            "resource": "IssueComment",
            "code": "custom",
            "field": "body",
            "message": f"Body is too long (maximum is {MAX_COMMENT} characters)",
        }
        too_long = {**_error_body(422, "Validation Failed", documentation_url), "errors": [error]}
        return Reply(422, too_long)
    return None


def _link_header(base: str, kept: list[tuple[str, str]], page: int, last: int) -> str | None:
    """GitHub's `Link`: prev, next, last, first (each when it applies), the request's other
    query parameters kept in order and `page` last, as in the recorded paginate-issues.json."""
    if last <= 1 and page <= 1:
        return None

    def link(number: int, rel: str) -> str:
        return f'<{base}?{urlencode([*kept, ("page", str(number))])}>; rel="{rel}"'

    links = []
    if page > 1:
        links.append(link(page - 1, "prev"))
    if page < last:
        links += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        links.append(link(1, "first"))
    return ", ".join(links)


def _positive(value: str | None, default: int) -> int:
    """GitHub ignores a `page`/`per_page` that is not a positive number."""
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if number > 0 else default


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # close() must not wait for a handler still sleeping on a `delay`

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is expected: stay quiet about it."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Drip:
    """A writer that sends one byte at a time, `delay` seconds apart."""

    def __init__(self, out: Any, delay: float) -> None:
        self.out, self.delay = out, delay

    def write(self, data: bytes) -> int:
        for byte in data:
            self.out.write(bytes([byte]))  # raises once the client has hung up: the end
            self.out.flush()
            time.sleep(self.delay)
        return len(data)

    def flush(self) -> None:
        self.out.flush()


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, like GitHub: httpx reuses the connection across retries."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: with Nagle on, the body waits ~40 ms for an ACK.
    disable_nagle_algorithm = True

    def __init__(self, fake: FakeGitHub, *args: Any) -> None:
        self.fake = fake  # before super().__init__, which serves the request
        super().__init__(*args)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.fake.handle(self.command, self.path, headers, raw)
        if not reply.drip:
            self._send(reply)
            return
        wfile, dripping = self.wfile, _Drip(self.wfile, reply.drip)
        if reply.drip_head:  # the status line and headers go out through `wfile`
            self.wfile = dripping  # type: ignore[assignment]
        try:
            self._send(reply, dripping)
        finally:
            self.wfile = wfile

    def _send(self, reply: Reply, body_out: Any = None) -> None:
        if reply.body is None:
            payload, kind = b"", ""
        elif isinstance(reply.body, bytes):
            payload, kind = reply.body, "application/json; charset=utf-8"
        elif isinstance(reply.body, str):
            payload, kind = reply.body.encode(), "text/html; charset=utf-8"
        else:
            payload, kind = json.dumps(reply.body).encode(), "application/json; charset=utf-8"
        self.send_response(reply.status)
        sent = {name.lower(): value for name, value in reply.headers.items()}
        if kind and "content-type" not in sent:
            self.send_header("Content-Type", kind)
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != HTTPStatus.NO_CONTENT:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        (body_out or self.wfile).write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows what matters."""


def _head_label(pull: dict[str, Any]) -> str | None:
    """`owner:branch` of a listed pull request; None for one a test gives another shape."""
    try:
        return f"{pull['head']['repo']['owner']['login']}:{pull['head']['ref']}"
    except (KeyError, TypeError):
        return None
