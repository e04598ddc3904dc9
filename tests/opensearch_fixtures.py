"""A real 3-node OpenSearch cluster for the tests (started by scripts/opensearch-cluster on free
loopback ports) and an authenticating HTTPS proxy in front of it, since nodes built from Maven
Central's jars have no security plugin to test passwords and TLS against.

Fixtures (registered in conftest.py):
- `opensearch_cluster` (session): an `OpenSearchCluster`, 3 nodes, green at the start; stopped at
  the end of the run. Without Java or Maven the tests that use it skip, or fail under CI=true.
- `opensearch_proxy` (session): an `AuthProxy` with `url` (https://127.0.0.1:PORT), `username`,
  `password`, `ca_path` (PEM of the CA that signed its certificate) and `url_with_credentials`.
"""
from __future__ import annotations

import base64
import contextlib
import hmac
import http.client
import http.server
import json
import os
import random
import socket
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "opensearch-cluster"
EXIT_MISSING = 3  # the script's status for "no Java or Maven here"
NODES = 3
# The version the script starts: its default unless VNSEARCH_OPENSEARCH_VERSION names another
# (README: "The development cluster" lists those checked).
VERSION = os.environ.get("VNSEARCH_OPENSEARCH_VERSION", "2.19.6")


class OpenSearchCluster:
    """A running cluster made by scripts/opensearch-cluster in `folder`; nodes are numbered 1..N."""

    def __init__(self, folder: Path, nodes: int, http_port: int, transport_port: int):
        self.folder = folder
        self.nodes = nodes
        self.http_port = http_port
        self.transport_port = transport_port

    @property
    def url(self) -> str:
        """Node 1's URL: what a user would pass as the index location."""
        return self.node_url(1)

    @property
    def urls(self) -> list[str]:
        return [self.node_url(i) for i in range(1, self.nodes + 1)]

    def node_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.http_port + i - 1}"

    def script(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(SCRIPT), *args, "--dir", str(self.folder)],
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)

    def stop_node(self, i: int) -> None:
        proc = self.script("stop-node", str(i))
        if proc.returncode != 0:
            pytest.fail(f"opensearch-cluster stop-node {i} failed:\n{proc.stderr}", pytrace=False)

    def start_node(self, i: int, wait_for: str = "green") -> None:
        """Start node I again; returns once it has joined and the cluster is `wait_for`."""
        proc = self.script("start-node", str(i), "--wait-for", wait_for, "--owner-pid", str(os.getpid()))
        if proc.returncode != 0:
            pytest.fail(f"opensearch-cluster start-node {i} failed:\n{proc.stderr}", pytrace=False)

    @contextlib.contextmanager
    def node_stopped(self, i: int):
        """Node I is down inside the block, and back (cluster green) after it, even on failure."""
        self.stop_node(i)
        try:
            yield
        finally:
            self.start_node(i)

    def request(self, method: str, path: str, body=None, node: int | None = None, timeout: float = 60):
        """(status, JSON answer) of one HTTP request to node `node`, else to the first live node."""
        data = None if body is None else json.dumps(body).encode()
        nodes = [node] if node else range(1, self.nodes + 1)
        last_error: Exception | None = None
        for i in nodes:
            req = urllib.request.Request(self.node_url(i) + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=timeout) as resp:
                    return resp.status, json.loads(resp.read() or b"null")
            except urllib.error.HTTPError as err:
                return err.code, json.loads(err.read() or b"null")
            except OSError as err:  # this node is down: try the next
                last_error = err
        raise ConnectionError(f"no node of the cluster answers {method} {path}: {last_error}")

    def health(self, index: str | None = None, **params) -> dict:
        """_cluster/health (of one index when given: other tests' indexes, some without
        replicas, do not colour it); params such as wait_for_status="green", wait_for_nodes=3."""
        query = urllib.parse.urlencode(params)
        path = "/_cluster/health" + (f"/{index}" if index else "")
        status, answer = self.request("GET", path + (f"?{query}" if query else ""))
        if status not in (200, 408):  # 408: the awaited status did not come within the timeout
            raise AssertionError(f"_cluster/health answered {status}: {answer}")
        return answer

    def log_tail(self, i: int, lines: int = 40) -> str:
        text = (self.folder / f"node-{i}" / "node.log").read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        self.script("stop", timeout=180)


def free_port_block(count: int, tries: int = 200) -> int:
    """The first of `count` consecutive free loopback ports, below the ephemeral range."""
    rng = random.Random()
    for _ in range(tries):
        base = rng.randrange(20000, 32000 - count)
        if all(_port_free(base + k) for k in range(count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports found on 127.0.0.1")


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; under CI=true the OpenSearch tests must run", pytrace=False)
    pytest.skip(reason)


def start_cluster(folder: Path, nodes: int = NODES, heap: str = "512m") -> OpenSearchCluster:
    """Start a cluster of `nodes` nodes in `folder` on free ports; its JVMs end with this process."""
    for attempt in range(3):  # a port taken between the check and the bind: pick others
        ports = free_port_block(2 * nodes)
        cluster = OpenSearchCluster(folder, nodes, ports, ports + nodes)
        proc = cluster.script("start", "--fresh", "--nodes", str(nodes), "--port", str(cluster.http_port),
                              "--transport-port", str(cluster.transport_port), "--heap", heap,
                              "--owner-pid", str(os.getpid()), timeout=1200)
        if proc.returncode == 0:
            return cluster
        if proc.returncode == EXIT_MISSING:
            _unavailable(f"no OpenSearch test cluster: {proc.stderr.strip().splitlines()[-1]}")
        if "is in use" not in proc.stderr or attempt == 2:
            pytest.fail(f"the OpenSearch test cluster did not start (exit {proc.returncode}):\n{proc.stderr}", pytrace=False)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory):
    """A 3-node OpenSearch cluster on loopback, green at the start; stopped after the run."""
    cluster = start_cluster(tmp_path_factory.mktemp("opensearch-cluster"))
    try:
        yield cluster
    finally:
        cluster.stop()


# --- the authenticating HTTPS proxy ------------------------------------------------------------

# Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy sets itself are not forwarded.
_HOP_HEADERS = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                "transfer-encoding", "upgrade", "host", "content-length", "authorization"}


class AuthProxy:
    """HTTPS on 127.0.0.1 with HTTP Basic credentials, forwarding to a cluster's nodes (the next
    node when one refuses the connection), as a cluster with the security plugin would answer:
    401 without the right credentials."""

    def __init__(self, upstreams: list[str], cert_dir: Path, username: str = "vnsearch",
                 password: str = "test-pass-4-vnsearch"):
        import trustme  # a test CA and a certificate for 127.0.0.1, made in memory

        self.username, self.password = username, password
        ca = trustme.CA()
        self.ca_path = cert_dir / "proxy-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_path))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        expected = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.server = _ProxyServer(context, [urllib.parse.urlsplit(u) for u in upstreams], f"Basic {expected}")
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                       name="vnsearch-test-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def url_with_credentials(self) -> str:
        user, password = (urllib.parse.quote(s, safe="") for s in (self.username, self.password))
        return f"https://{user}:{password}@127.0.0.1:{self.port}"

    def __enter__(self) -> AuthProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class _ProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, context: ssl.SSLContext, upstreams, authorization: str):
        self.context, self.upstreams, self.authorization = context, upstreams, authorization
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs in the connection's own thread, so a stalled client blocks nobody.
        try:
            request.settimeout(30)
            request = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):  # e.g. a client that does not trust our CA hangs up
            request.close()
            return
        try:
            super().finish_request(request, client_address)
        finally:
            with contextlib.suppress(OSError):
                request.close()

    def handle_error(self, request, client_address):
        pass  # a client gone mid-request is no test failure; the client sees its own error


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection's thread ends

    def do_request(self):
        body = self._read_body()
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), self.server.authorization.encode()):
            payload = json.dumps({"error": "Unauthorized", "status": 401}).encode()
            return self._reply(401, [("WWW-Authenticate", 'Basic realm="vnsearch test proxy"'),
                                     ("Content-Type", "application/json")], payload)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        for upstream in self.server.upstreams:
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
            except ConnectionRefusedError:  # nothing was sent: this node is down, try the next
                conn.close()
                continue
            try:
                resp = conn.getresponse()
                payload = resp.read()
            finally:
                conn.close()
            kept = [(k, v) for k, v in resp.getheaders() if k.lower() not in _HOP_HEADERS]
            length = resp.getheader("Content-Length") if self.command == "HEAD" else None
            return self._reply(resp.status, kept, payload, length)
        payload = json.dumps({"error": "no node of the cluster answers", "status": 502}).encode()
        self._reply(502, [("Content-Type", "application/json")], payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_request

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def _reply(self, status: int, headers, payload: bytes, head_length: str | None = None) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", head_length if head_length is not None else str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def log_message(self, format, *args):
        pass  # quiet: pytest shows the tests' own output


@pytest.fixture(scope="session")
def opensearch_proxy(opensearch_cluster, tmp_path_factory):
    """An authenticating HTTPS proxy (self-signed CA) in front of `opensearch_cluster`."""
    with AuthProxy(opensearch_cluster.urls, tmp_path_factory.mktemp("opensearch-proxy")) as proxy:
        yield proxy
