"""Fetching articles: private addresses are refused unless allowed; limits hold."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimtrack.spotting.fetch import FetchBusy, FetchError, FetchSlots, fetch_url, is_public_address

ODD_LENGTHS = {
    "/length/words": "lots",
    "/length/negative": "-5",
    "/length/superscript": "\u00b2",  # "isdigit" to Python, yet no number int() reads
    "/length/twice": "96, 96",
    "/length/smaller": "10",
}


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
        elif self.path in ODD_LENGTHS:
            body = b"<html><body><article><p>A deal is really close, the envoy said.</p></article></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", ODD_LENGTHS[self.path])
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/length/larger":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "5000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"only a little")
        elif self.path in ("/slow-body", "/slow-headers"):
            # A byte every 0.3 s, for ever: each read is quick, the whole never ends.
            if self.path == "/slow-body":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
            else:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            try:
                while True:
                    self.wfile.write(b"X-Slow: y\r\n" if self.path == "/slow-headers" else b"x")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                return  # the client gave up
        elif self.path == "/slow-redirect":
            time.sleep(0.6)
            self.send_response(302)
            self.send_header("Location", "/slow-redirect")
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


@pytest.mark.parametrize("path", ["/slow-body", "/slow-headers", "/slow-redirect"])
def test_a_fetch_gives_up_at_its_deadline_however_the_server_trickles(local_site: str, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"did not send the page within 1\.5 s"):
        # Every read and every redirect is well within the 5 s per-step timeout; the whole is not.
        fetch_url(local_site + path, allow_private=True, timeout=5, deadline=1.5)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("path", ["/length/words", "/length/negative", "/length/superscript", "/length/twice"])
def test_an_odd_content_length_is_ignored(local_site: str, path: str) -> None:
    page = fetch_url(local_site + path, allow_private=True)
    assert b"really close" in page.body


def test_a_content_length_smaller_than_the_body_gives_the_declared_bytes(local_site: str) -> None:
    assert fetch_url(local_site + "/length/smaller", allow_private=True).body == b"<html><bod"


def test_a_body_shorter_than_its_content_length_is_refused_with_a_message(local_site: str) -> None:
    with pytest.raises(FetchError, match="ended after 13 of the 5,000 bytes it announced"):
        fetch_url(local_site + "/length/larger", allow_private=True)


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1", "::ffff:10.0.0.1",  # IPv4-mapped
        "64:ff9b::127.0.0.1", "64:ff9b::10.1.2.3", "64:ff9b::169.254.169.254", "64:ff9b::192.168.0.1",  # NAT64
        "64:ff9b:1::8.8.8.8",  # local-use NAT64: one network's own translator
        "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:1::",  # 6to4 of 127/8, 10/8, 169.254/16, 192.168/16
        "::127.0.0.1", "::10.0.0.1", "::169.254.169.254", "::100.64.0.1",  # IPv4-compatible
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "::1", "::", "fe80::1", "fc00::1",
        "127.0.0.1", "10.0.0.1", "100.64.0.1", "169.254.169.254", "224.0.0.1", "0.0.0.0",
    ],
)
def test_internal_addresses_are_refused_in_every_form(address: str) -> None:
    assert not is_public_address(address)
    with pytest.raises(FetchError, match="private or local address"):
        fetch_url(f"http://[{address}]/" if ":" in address else f"http://{address}/", timeout=1)


@pytest.mark.parametrize("address", ["8.8.8.8", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:808:808::1", "2606:4700::1111"])
def test_public_addresses_stay_allowed_in_their_ipv6_forms(address: str) -> None:
    assert is_public_address(address)


def test_fetch_slots_refuse_one_fetch_too_many_at_once_and_free_up_after() -> None:
    slots = FetchSlots(2)
    with slots.slot(), slots.slot():
        for _ in range(2):  # refused at once, each time, while both slots are taken
            with pytest.raises(FetchBusy, match="2 other pages are being fetched right now"), slots.slot():
                pass
    with slots.slot():  # both came back
        pass
