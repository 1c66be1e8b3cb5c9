"""Fetching articles: private addresses are refused unless allowed; limits hold."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimtrack.spotting.fetch import FetchError, fetch_url


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/article":
            body = b"<html><body><article><p>A deal is really close, the envoy said.</p></article></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"x" * 300_000)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def local_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_loopback_is_refused_by_default(local_site: str) -> None:
    with pytest.raises(FetchError, match="private or local address"):
        fetch_url(local_site + "/article")


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://localhost/"])
def test_private_and_metadata_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="private or local address"):
        fetch_url(url, timeout=1)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(url)


def test_allowed_local_fetch_follows_redirects(local_site: str) -> None:
    page = fetch_url(local_site + "/redirect", allow_private=True)
    assert page.url.endswith("/article")
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert b"really close" in page.body


def test_size_cap_and_error_status(local_site: str) -> None:
    with pytest.raises(FetchError, match="larger than"):
        fetch_url(local_site + "/huge", allow_private=True, max_bytes=100_000)
    with pytest.raises(FetchError, match="404"):
        fetch_url(local_site + "/missing", allow_private=True)
