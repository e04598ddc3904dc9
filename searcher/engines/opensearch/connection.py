"""Where an OpenSearch index is and how to reach it: URL parsing, credentials, TLS, errors.

An index location is a URL whose last path segment names the index (vnsearch's alias):
``https://user:pass@search.example:9200/tin-tuc``. opensearch-py would take a path in the host
URL as a prefix for every request, so the name is cut off here and the rest becomes the host.
Credentials come from the URL or from ``VNSEARCH_OPENSEARCH_USER`` / ``VNSEARCH_OPENSEARCH_PASSWORD``;
TLS certificates are verified unless the user says otherwise, against ``--ca-bundle`` or
``VNSEARCH_CA_BUNDLE`` when given. No message vnsearch prints ever carries the password.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import quote, unquote, urlsplit

from ...errors import VnsearchError
from .. import is_cluster_location  # noqa: F401  (re-exported: the URL test lives with the engines)

USER_ENV = "VNSEARCH_OPENSEARCH_USER"
PASSWORD_ENV = "VNSEARCH_OPENSEARCH_PASSWORD"
CA_BUNDLE_ENV = "VNSEARCH_CA_BUNDLE"
INSECURE_ENV = "VNSEARCH_TLS_INSECURE"  # "1": do not verify certificates (a test cluster only)

# OpenSearch index names: lower case, no spaces or \/*?"<>|,#:, not starting with -_+, not . or ..
_INDEX_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class ClusterError(VnsearchError):
    """The cluster cannot be reached, refused us, or holds something vnsearch cannot use."""


@dataclass(frozen=True)
class ClusterLocation:
    """A parsed cluster index URL: the host to talk to, the index name, and credentials."""

    scheme: str
    host: str
    port: int
    name: str  # the alias searches go through
    username: str | None = None
    password: str | None = None
    ca_bundle: str | None = None
    verify: bool = True

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self._hostport}"

    @property
    def _hostport(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def __str__(self) -> str:
        """The URL as vnsearch shows it: the user name kept, the password never."""
        who = f"{quote(self.username, safe='')}:***@" if self.username and self.password else (
            f"{quote(self.username, safe='')}@" if self.username else "")
        return f"{self.scheme}://{who}{self._hostport}/{self.name}"


def parse_location(url: str, ca_bundle: str | None = None, environ=os.environ) -> ClusterLocation:
    """Parse ``http(s)://[user[:password]@]host[:port]/index-name``; raise ClusterError if malformed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise ClusterError(f"{redact(url)} is not a valid cluster URL ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ClusterError(f"{redact(url)} is not a cluster URL (expected http(s)://host:port/index-name)")
    name = unquote(parts.path.strip("/").rsplit("/", 1)[-1]) if parts.path.strip("/") else ""
    if "/" in parts.path.strip("/"):
        raise ClusterError(f"{redact(url)}: the index name is the only path segment "
                           "(a cluster behind a URL prefix is not supported)")
    if not name:
        raise ClusterError(f"{redact(url)} names no index: add its name, e.g. {redact(url).rstrip('/')}/documents")
    if not _INDEX_NAME_RE.match(name) or len(name.encode()) > 200:
        raise ClusterError(f"{name!r} is not a valid OpenSearch index name (lower-case letters, digits, '.', '_', '-')")
    if parts.query or parts.fragment:
        raise ClusterError(f"{redact(url)}: a cluster URL takes no ?query or #fragment")
    username = unquote(parts.username) if parts.username else environ.get(USER_ENV) or None
    password = unquote(parts.password) if parts.password else environ.get(PASSWORD_ENV) or None
    bundle = ca_bundle or environ.get(CA_BUNDLE_ENV) or None
    if bundle and not os.path.isfile(bundle):
        raise ClusterError(f"CA bundle {bundle} does not exist")
    return ClusterLocation(
        scheme=scheme,
        host=parts.hostname,
        port=port or (443 if scheme == "https" else 9200),
        name=name,
        username=username,
        password=password,
        ca_bundle=bundle,
        verify=environ.get(INSECURE_ENV, "") not in ("1", "true", "yes"),
    )


# Up to the last @ of the URL: a password may hold an unencoded "/" (or "@").
_USERINFO_RE = re.compile(r"(?i)(https?://)(\S*)@")


def redact(text: str, *secrets: str | None) -> str:
    """text with URL passwords and the given secrets replaced by ***."""

    def hide(m: re.Match) -> str:
        user = m.group(2).split(":", 1)[0]
        return f"{m.group(1)}{user}:***@" if ":" in m.group(2) else m.group(0)

    text = _USERINFO_RE.sub(hide, str(text))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
            quoted = quote(secret, safe="")
            if quoted != secret:
                text = text.replace(quoted, "***")
    return text


def connect(location: ClusterLocation, timeout: float = 30.0):
    """An opensearch-py client for location (imported here: the local engine never loads it)."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise ClusterError("an index on a cluster needs the OpenSearch client: pip install 'vnsearch[opensearch]'") from None
    kwargs = dict(
        hosts=[{"host": location.host, "port": location.port}],
        use_ssl=location.scheme == "https",
        verify_certs=location.verify,
        ssl_show_warn=False,
        timeout=timeout,
        max_retries=2,
        retry_on_timeout=True,
        http_compress=True,
    )
    if location.ca_bundle:
        kwargs["ca_certs"] = location.ca_bundle
    if location.username is not None:
        kwargs["http_auth"] = (location.username, location.password or "")
    return OpenSearch(**kwargs)


@contextmanager
def cluster_errors(location: ClusterLocation) -> Iterator[None]:
    """Turn the client's exceptions into one-line ClusterErrors that name the index, redacted."""
    from opensearchpy import exceptions as ex

    where = str(location)
    try:
        yield
    except VnsearchError:
        raise
    except ex.SSLError as e:
        raise ClusterError(f"{where}: TLS certificate not trusted ({_reason(e, location)}); "
                           f"give the cluster's CA with --ca-bundle or {CA_BUNDLE_ENV}") from None
    except ex.ConnectionTimeout:
        raise ClusterError(f"{where}: the cluster did not answer in time") from None
    except ex.ConnectionError as e:
        raise ClusterError(f"{where}: cannot reach the cluster ({_reason(e, location)})") from None
    except ex.AuthenticationException:
        raise ClusterError(f"{where}: the cluster refused the credentials (HTTP 401); set them in the URL "
                           f"or {USER_ENV} / {PASSWORD_ENV}") from None
    except ex.AuthorizationException:
        raise ClusterError(f"{where}: these credentials may not do this (HTTP 403)") from None
    except ex.NotFoundError as e:
        raise ClusterError(f"{where}: not found on the cluster ({_reason(e, location)}); "
                           f"build it with: vnsearch index PATH --index {where}") from None
    except ex.TransportError as e:
        raise ClusterError(f"{where}: the cluster answered HTTP {e.status_code} ({_reason(e, location)})") from None
    except ex.OpenSearchException as e:  # a non-JSON answer from a proxy, a client misconfiguration
        raise ClusterError(f"{where}: {type(e).__name__} ({redact(str(e)[:160], location.password)})") from None


def _reason(e, location: ClusterLocation) -> str:
    info = getattr(e, "info", None)
    reason = None
    if isinstance(info, dict):
        err = info.get("error")
        if isinstance(err, dict):
            reason = err.get("reason") or err.get("type")
        elif isinstance(err, str):
            reason = err
    if reason is None:
        reason = getattr(e, "error", None) or str(e)
        # Connection errors carry the urllib3 exception: keep its last, most specific part.
        reason = str(reason).rsplit(": ", 1)[-1].strip("()'\" ") or type(e).__name__
    return redact(str(reason)[:160], location.password)
