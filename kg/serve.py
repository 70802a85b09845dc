"""`kg serve`: the embedded store as a read-only SPARQL endpoint on 127.0.0.1.

Oxigraph's own server answers the queries (`oxigraph serve-read-only`, from the PyPI `oxigraph`
package: 20–50 ms a query on a million triples, 38 MB): no SPARQL engine of ours. What it lacks
is put in front of it by a small stdlib proxy, which is the only thing clients reach:

- federated `SERVICE` is refused (every engine we measured sends a request to the URL a query
  names: an SSRF hole in any endpoint), unless `--allow-service`;
- updates are refused before they reach the server (which refuses them too);
- a query timeout (also passed to Oxigraph as `--timeout-s`) and a maximum response size;
- no CORS header unless `--cors ORIGIN`, and then that origin only, never `*`;
- the proxy binds 127.0.0.1 and the Oxigraph process another 127.0.0.1 port.

While it runs, `kg serve` holds the store's lock (the LOCK file RocksDB itself takes), so a
`kg ingest` is told the store is busy instead of writing under a reader — Oxigraph documents a
read-only open with a concurrent writer as undefined behaviour — and `kg serve` on a store being
written is told the same.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.query import check_query
from kg.store import QueryError

HOST = "127.0.0.1"
QUERY_PATHS = ("/query", "/sparql")
MAX_QUERY_BYTES = 1_000_000
RESULTS_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values", "application/n-triples", "text/turtle", "application/ld+json",
                 "application/rdf+xml", "application/n-quads", "application/trig")


class ServeError(RuntimeError):
    """The endpoint cannot start; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """How the endpoint behaves; the defaults are the safe ones."""

    location: str
    port: int = 7878
    timeout_s: float = 30.0
    max_bytes: int = 50_000_000
    cors: str | None = None
    allow_service: bool = False


def oxigraph_binary() -> str:
    """The `oxigraph` server next to this Python (a virtualenv's bin/), else on PATH."""
    here = Path(sys.executable).parent
    found = shutil.which("oxigraph", path=os.pathsep.join([str(here), os.environ.get("PATH", "")]))
    if found is None:
        raise ServeError("the Oxigraph server is not installed (pip install oxigraph, or pip install 'kg[serve]')")
    return found


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def store_lock(location: str) -> Iterator[None]:
    """Hold the store's RocksDB LOCK (a POSIX record lock, as RocksDB takes it) while serving."""
    lock = Path(location) / "LOCK"
    if not (Path(location) / "CURRENT").is_file() or not lock.exists():
        raise ServeError(f"{location}: no store here (build one with kg ingest first)")
    fd = os.open(lock, os.O_RDWR)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise ServeError(f"{location}: the store is busy (another kg process has it open); "
                             "stop it before serving") from exc
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the Oxigraph process gets SIGTERM if kg dies, even by SIGKILL, so none is orphaned."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def oxigraph_read_only(location: str, timeout_s: float) -> Iterator[str]:
    """`oxigraph serve-read-only` on an internal 127.0.0.1 port; yields its query URL."""
    port = free_port()
    command = [oxigraph_binary(), "serve-read-only", "--location", location, "--bind", f"{HOST}:{port}",
               "--timeout-s", str(max(1, round(timeout_s)))]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    url = f"http://{HOST}:{port}/query"
    try:
        _wait_until_up(process, url)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _wait_until_up(process: subprocess.Popen, url: str, within_s: float = 20.0) -> None:
    deadline = time.monotonic() + within_s
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = " ".join((process.stderr.read() if process.stderr else b"").decode("utf-8", "replace").split())
            raise ServeError(f"the Oxigraph server stopped at start: {detail[-300:] or f'exit {process.returncode}'}")
        try:
            with urllib.request.urlopen(probe, timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise ServeError(f"the Oxigraph server did not answer within {within_s:.0f} s")


def make_handler(config: ServeConfig, backend: str) -> type[BaseHTTPRequestHandler]:
    """The request handler: check, forward, bound, answer."""

    class Handler(BaseHTTPRequestHandler):
        def version_string(self) -> str:
            return "kg-serve"  # no Python version for a prober
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            pass  # quiet: a query log on stderr would leak queries to whoever reads the terminal

        # -- answers -----------------------------------------------------------------------
        def _cors(self) -> None:
            if config.cors:
                self.send_header("Access-Control-Allow-Origin", config.cors)
                self.send_header("Vary", "Origin")

        def _answer(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self._cors()
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._answer(status, (message + "\n").encode("utf-8"))

        # -- methods -----------------------------------------------------------------------
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            url = urllib.parse.urlsplit(self.path)
            if url.path not in QUERY_PATHS:
                if url.path == "/":
                    self._error(200, f"kg read-only SPARQL endpoint: GET or POST {QUERY_PATHS[0]}?query=...")
                else:
                    self._error(404, "not found; the endpoint is /query")
                return
            self._run(urllib.parse.parse_qs(url.query, keep_blank_values=True))

        do_HEAD = do_GET

        def do_POST(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_BYTES:
                self._error(413, f"query larger than {MAX_QUERY_BYTES} bytes")
                self.close_connection = True
                return
            body = self.rfile.read(length) if length else b""
            if url.path not in QUERY_PATHS:
                status = 403 if url.path in ("/update", "/store") else 404
                self._error(status, "this endpoint is read-only" if status == 403 else "not found")
                return
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind == "application/sparql-query":
                params["query"] = [body.decode("utf-8", "replace")]
            elif kind == "application/x-www-form-urlencoded":
                for key, values in urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                                         keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif kind == "application/sparql-update":
                self._error(403, "this endpoint is read-only: SPARQL updates are refused")
                return
            else:
                self._error(415, "send application/sparql-query or application/x-www-form-urlencoded")
                return
            self._run(params)

        def _refuse_write(self) -> None:
            self._error(403, "this endpoint is read-only")

        do_PUT = do_DELETE = do_PATCH = _refuse_write

        def do_OPTIONS(self) -> None:  # noqa: N802
            if not config.cors:
                self._error(405, "cross-origin requests are not enabled (kg serve --cors ORIGIN)")
                return
            self.send_response(204)
            self._cors()
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()

        # -- the query -----------------------------------------------------------------------
        def _run(self, params: dict[str, list[str]]) -> None:
            if "update" in params:
                self._error(403, "this endpoint is read-only: SPARQL updates are refused")
                return
            queries = params.get("query") or []
            if len(queries) != 1 or not queries[0].strip():
                self._error(400, "give exactly one 'query'")
                return
            try:
                check_query(queries[0], allow_update=False, allow_service=config.allow_service)
            except QueryError as exc:
                self._error(403, str(exc).replace("kg query is", "this endpoint is").replace(
                    "use --allow-service", "start kg serve with --allow-service"))
                return
            forward = [(k, v) for k in ("query", "default-graph-uri", "named-graph-uri") for v in params.get(k, [])]
            request = urllib.request.Request(backend, data=urllib.parse.urlencode(forward).encode(), method="POST")
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("Accept", self.headers.get("Accept") or "application/sparql-results+json")
            deadline = time.monotonic() + config.timeout_s + 2
            try:
                with urllib.request.urlopen(request, timeout=config.timeout_s + 2) as response:
                    status, content_type = response.status, response.headers.get("Content-Type", "")
                    body = self._read_bounded(response, deadline)
            except urllib.error.HTTPError as exc:
                status, content_type = exc.code, exc.headers.get("Content-Type", "text/plain")
                body = exc.read()[:10_000]
            except TimeoutError:
                self._error(504, f"the query took longer than {config.timeout_s:g} s")
                return
            except _TooLarge:
                self._error(413, f"the result is larger than {config.max_bytes:,} bytes; add a LIMIT")
                return
            except _TooSlow:
                self._error(504, f"the query took longer than {config.timeout_s:g} s")
                return
            except (urllib.error.URLError, OSError) as exc:
                self._error(502, f"the store's server is not answering: {exc}")
                return
            self._answer(status, body, content_type or "application/octet-stream")

        def _read_bounded(self, response, deadline: float) -> bytes:
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > config.max_bytes:
                    raise _TooLarge
                if time.monotonic() > deadline:
                    raise _TooSlow
                chunks.append(chunk)
            return b"".join(chunks)

    return Handler


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(config: ServeConfig, ready=None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); `ready(url)` is called once clients may connect."""
    location = str(Path(config.location))
    with store_lock(location), oxigraph_read_only(location, config.timeout_s) as backend:
        try:
            server = _Server((HOST, config.port), make_handler(config, backend))
        except OSError as exc:
            raise ServeError(f"cannot listen on {HOST}:{config.port}: {exc.strerror or exc}") from exc
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            if ready is not None:
                ready(f"http://{HOST}:{server.server_address[1]}/query")
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.server_close()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
