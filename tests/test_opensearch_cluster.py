"""The OpenSearch test cluster (scripts/opensearch-cluster) and the authenticating HTTPS proxy that
the OpenSearch engine's tests run against: real nodes, real failures, real TLS."""
import base64
import json
import os
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest

import opensearch_fixtures
from opensearch_fixtures import SCRIPT


def run_script(*args, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=120, env=env, stdin=subprocess.DEVNULL)


# --- the script's own errors (no Java needed) ---------------------------------------------------


def test_script_without_java_says_so_and_exits_3(tmp_path):
    env = dict(os.environ, JAVA_HOME=str(tmp_path / "no-jdk"))
    proc = run_script("start", "--dir", str(tmp_path / "cluster"), env=env)
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr == f"opensearch-cluster: java not found in JAVA_HOME={tmp_path / 'no-jdk'}\n"
    assert not (tmp_path / "cluster").exists()


def test_script_commands_on_a_folder_without_cluster_exit_2(tmp_path):
    for command in (["status"], ["stop"], ["stop-node", "1"], ["start-node", "1"]):
        proc = run_script(*command, "--dir", str(tmp_path))
        assert (proc.returncode, proc.stdout) == (2, "")
        assert proc.stderr == (f"opensearch-cluster: no cluster in {tmp_path} "
                               "(start one with `opensearch-cluster start`)\n")


def test_script_refuses_a_node_number_outside_the_cluster(tmp_path):
    (tmp_path / "cluster.json").write_text(json.dumps(
        {"version": "2.19.6", "nodes": 3, "http_port": 29200, "transport_port": 29300, "heap": "512m",
         "cluster_name": "vnsearch-dev-29200"}))
    for i in ("0", "4"):
        proc = run_script("stop-node", i, "--dir", str(tmp_path))
        assert (proc.returncode, proc.stdout) == (2, "")
        assert proc.stderr == f"opensearch-cluster: no node {i}: the cluster in {tmp_path} has nodes 1..3\n"


def fake_jdk(home, major):
    """A JDK folder whose `java -version` reports `major` (and a `javac` beside it)."""
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text(f"#!/bin/sh\necho 'openjdk version \"{major}.0.2\" 2025-01-21' >&2\n")
    (home / "bin" / "javac").write_text("#!/bin/sh\nexit 0\n")
    for tool in ("java", "javac"):
        (home / "bin" / tool).chmod(0o755)
    return home


def jdk_env(tmp_path, version, java_home):
    """The script's environment: a Java of our own making, no Maven on PATH, an empty cache."""
    (tmp_path / "empty-path").mkdir(exist_ok=True)
    return dict(os.environ, JAVA_HOME=str(java_home), VNSEARCH_JDK_DIRS=str(tmp_path / "jvm"),
                VNSEARCH_OPENSEARCH_VERSION=version, PATH=str(tmp_path / "empty-path"),
                VNSEARCH_CACHE_DIR=str(tmp_path / "cache"))


NO_MAVEN = "opensearch-cluster: mvn not found: install Maven (Debian: maven) to fetch OpenSearch from Maven Central\n"


def test_script_picks_a_newer_jdk_when_the_version_needs_one(tmp_path):
    java_17 = fake_jdk(tmp_path / "jdk-17", 17)
    for name, major in (("jdk-11", 11), ("jdk-21", 21), ("temurin-25", 25)):
        fake_jdk(tmp_path / "jvm" / name, major)
    proc = run_script("fetch", env=jdk_env(tmp_path, "3.8.0", java_17))
    assert (proc.returncode, proc.stdout) == (3, "")  # gets as far as Maven, with Java 25
    assert proc.stderr == (f"opensearch-cluster: OpenSearch 3.8.0 needs Java 21+ (Java 17 in JAVA_HOME={java_17}): "
                           f"using Java 25 from {tmp_path / 'jvm' / 'temurin-25'}\n" + NO_MAVEN)
    proc = run_script("fetch", env=jdk_env(tmp_path, "2.19.6", java_17))  # 2.x keeps JAVA_HOME's Java 17
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "", NO_MAVEN)


def test_script_without_a_new_enough_jdk_says_which_it_needs(tmp_path):
    java_17 = fake_jdk(tmp_path / "jdk-17", 17)
    fake_jdk(tmp_path / "jvm" / "jdk-11", 11)
    proc = run_script("start", "--dir", str(tmp_path / "cluster"), env=jdk_env(tmp_path, "3.8.0", java_17))
    assert (proc.returncode, proc.stdout) == (3, "")
    assert proc.stderr == (f"opensearch-cluster: OpenSearch 3.8.0 needs a JDK 21 or newer; found Java 17 in "
                           f"JAVA_HOME={java_17} and none in {tmp_path / 'jvm'}: install one or set JAVA_HOME\n")
    assert not (tmp_path / "cluster").exists()


def test_script_never_starts_a_cluster_on_an_older_version_than_its_data(tmp_path):
    java_17 = fake_jdk(tmp_path / "jdk-17", 17)
    (tmp_path / "cluster").mkdir()
    layout = {"version": "3.8.0", "nodes": 1, "http_port": 9200, "transport_port": 9300, "heap": "512m",
              "cluster_name": "vnsearch-dev-9200"}
    (tmp_path / "cluster" / "cluster.json").write_text(json.dumps(layout))
    proc = run_script("start", "--dir", str(tmp_path / "cluster"), env=jdk_env(tmp_path, "2.19.6", java_17))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (f"opensearch-cluster: {tmp_path / 'cluster'} holds OpenSearch 3.8.0 data, which 2.19.6 "
                           "cannot read: set VNSEARCH_OPENSEARCH_VERSION=3.8.0, or add --fresh to replace it\n")
    assert json.loads((tmp_path / "cluster" / "cluster.json").read_text()) == layout
    # a node started again joins with its cluster's version, whatever the environment says
    proc = run_script("start-node", "1", "--dir", str(tmp_path / "cluster"), env=jdk_env(tmp_path, "2.19.6", java_17))
    assert (proc.returncode, proc.stdout) == (3, "")
    assert proc.stderr.startswith("opensearch-cluster: OpenSearch 3.8.0 needs a JDK 21 or newer; found Java 17")


def test_missing_java_skips_the_cluster_tests_but_fails_them_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="^no java$"):
        opensearch_fixtures._unavailable("no java")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="^no java; under CI=true the OpenSearch tests must run$"):
        opensearch_fixtures._unavailable("no java")


# --- the cluster --------------------------------------------------------------------------------


def test_cluster_is_three_green_nodes_of_the_chosen_opensearch_version(opensearch_cluster):
    status, info = opensearch_cluster.request("GET", "/", node=1)
    assert status == 200
    assert info["version"]["distribution"] == "opensearch"
    assert info["version"]["number"] == opensearch_fixtures.VERSION
    health = opensearch_cluster.health(wait_for_status="green", timeout="60s")
    assert (health["status"], health["number_of_nodes"]) == ("green", 3)
    for i in (1, 2, 3):  # every node serves HTTP on its own port, all in one cluster
        status, nodes = opensearch_cluster.request("GET", "/_cat/nodes?format=json&h=name", node=i)
        assert status == 200
        assert sorted(n["name"] for n in nodes) == ["node-1", "node-2", "node-3"]


def test_cluster_stays_searchable_without_its_elected_manager_and_heals(opensearch_cluster, opensearch_proxy):
    cluster = opensearch_cluster
    index = f"test-node-down-{uuid.uuid4().hex[:8]}"
    status, _ = cluster.request("PUT", f"/{index}", {"settings": {
        "number_of_shards": 3, "number_of_replicas": 1,
        # the copies of a stopped node are not rebuilt elsewhere during the test: it stays yellow
        "index.unassigned.node_left.delayed_timeout": "10m"}})
    assert status == 200
    bulk = "".join(json.dumps({"index": {"_id": str(k)}}) + "\n" + json.dumps({"body": f"văn bản số {k}"}) + "\n"
                   for k in range(30))
    req = urllib.request.Request(f"{cluster.url}/{index}/_bulk?refresh=true", data=bulk.encode(), method="POST",
                                 headers={"Content-Type": "application/x-ndjson"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert json.load(resp)["errors"] is False
    assert cluster.health(index, wait_for_status="green", timeout="60s")["status"] == "green"

    _, managers = cluster.request("GET", "/_cat/cluster_manager?format=json")
    manager = int(managers[0]["node"].removeprefix("node-"))
    try:
        with cluster.node_stopped(manager):
            health = cluster.health(index, wait_for_nodes=2, wait_for_status="yellow", timeout="60s")
            assert (health["status"], health["number_of_nodes"]) == ("yellow", 2)
            assert health["active_primary_shards"] == 3  # replicas took over the lost primaries
            for i in set(range(1, 4)) - {manager}:
                status, answer = cluster.request("GET", f"/{index}/_count", node=i)
                assert (status, answer["count"]) == (200, 30)
            # the proxy passes over the stopped node to a live one
            answer = json.load(open_via_proxy(opensearch_proxy, f"/{index}/_count"))
            assert answer["count"] == 30
        health = cluster.health(index, wait_for_status="green", timeout="60s")
        assert (health["status"], health["number_of_nodes"]) == ("green", 3)
        status, answer = cluster.request("GET", f"/{index}/_count", node=manager)
        assert (status, answer["count"]) == (200, 30)
    finally:
        cluster.request("DELETE", f"/{index}")


# --- the authenticating HTTPS proxy -------------------------------------------------------------


def trusting(proxy) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(proxy.ca_path))


def open_via_proxy(proxy, path, method="GET", data=None, auth=None, context=None):
    user, password = auth or (proxy.username, proxy.password)
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    req = urllib.request.Request(proxy.url + path, data=data, method=method,
                                 headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"})
    return urllib.request.urlopen(req, timeout=60, context=context or trusting(proxy))


def test_proxy_answers_401_without_the_right_credentials(opensearch_proxy):
    proxy = opensearch_proxy
    with pytest.raises(urllib.error.HTTPError) as no_auth:
        urllib.request.urlopen(proxy.url + "/", timeout=60, context=trusting(proxy))
    assert no_auth.value.code == 401
    assert no_auth.value.headers["WWW-Authenticate"] == 'Basic realm="vnsearch test proxy"'
    for auth in ((proxy.username, proxy.password + "x"), ("someone", proxy.password), (proxy.username, "")):
        with pytest.raises(urllib.error.HTTPError) as wrong:
            open_via_proxy(proxy, "/", auth=auth)
        assert wrong.value.code == 401
        assert json.load(wrong.value) == {"error": "Unauthorized", "status": 401}


def test_proxy_forwards_requests_with_the_right_credentials(opensearch_cluster, opensearch_proxy):
    proxy = opensearch_proxy
    with open_via_proxy(proxy, "/") as resp:
        assert resp.status == 200
        assert json.load(resp)["cluster_name"] == opensearch_cluster.health()["cluster_name"]
    index = f"test-proxy-{uuid.uuid4().hex[:8]}"
    try:
        body = json.dumps({"title": "Chỉ thị 19-CT/TW"}).encode()
        with open_via_proxy(proxy, f"/{index}/_doc/1?refresh=true", method="PUT", data=body) as resp:
            assert (resp.status, json.load(resp)["result"]) == (201, "created")
        with open_via_proxy(proxy, f"/{index}/_doc/1") as resp:
            assert json.load(resp)["_source"] == {"title": "Chỉ thị 19-CT/TW"}
        with open_via_proxy(proxy, f"/{index}", method="HEAD") as resp:
            assert (resp.status, resp.read()) == (200, b"")
        with pytest.raises(urllib.error.HTTPError) as missing:
            open_via_proxy(proxy, f"/{index}-missing", method="HEAD")
        assert missing.value.code == 404
    finally:
        opensearch_cluster.request("DELETE", f"/{index}")


def test_client_that_does_not_trust_the_proxy_ca_fails_verification(opensearch_proxy):
    with pytest.raises(urllib.error.URLError) as refused:
        open_via_proxy(opensearch_proxy, "/", context=ssl.create_default_context())
    assert isinstance(refused.value.reason, ssl.SSLCertVerificationError)
    assert refused.value.reason.verify_message == "unable to get local issuer certificate"


def test_opensearch_py_through_the_proxy(opensearch_proxy):
    from opensearchpy import AuthenticationException, OpenSearch, SSLError

    proxy = opensearch_proxy

    def client(**options):
        return OpenSearch(hosts=[proxy.url], max_retries=0, timeout=60, **options)

    info = client(http_auth=(proxy.username, proxy.password), ca_certs=str(proxy.ca_path)).info()
    assert info["version"]["number"] == opensearch_fixtures.VERSION
    with pytest.raises(AuthenticationException):
        client(http_auth=(proxy.username, "wrong"), ca_certs=str(proxy.ca_path)).info()
    with pytest.raises(SSLError):  # verified against the system's CAs, which never signed the proxy's
        client(http_auth=(proxy.username, proxy.password)).info()
