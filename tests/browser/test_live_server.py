"""The live server the journeys run on survives a browser that drops its connections.

Chromium abandons requests whenever a journey navigates while a page's assets are still
loading. The server must still close every file it opened for them (see
``BodyClosedBeforeSending``), or a garbage-collected file handle fails an unrelated journey.
"""

from __future__ import annotations

import gc
import socket
import struct
import sys
import time
from urllib.parse import urlsplit

import pytest

# A conditional request the server answers 304: the file is opened, nothing is sent but headers.
NOT_MODIFIED_SINCE = (
    b"GET /assets/favicon.svg HTTP/1.1\r\nHost: localhost\r\n"
    b"If-Modified-Since: Wed, 01 Jan 2099 00:00:00 GMT\r\n\r\n"
)


def _drop_connection_after(sock: socket.socket, seconds: float) -> None:
    """Wait, then reset the connection (as a browser abandoning a request does)."""
    time.sleep(seconds)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_files_are_closed_when_the_browser_drops_the_connection(live_server, monkeypatch):
    address = urlsplit(live_server)
    left_open: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda raised: left_open.append(raised.exc_value))

    for attempt in range(200):
        sock = socket.create_connection((address.hostname, address.port))
        sock.sendall(NOT_MODIFIED_SINCE)
        # Resets land at every point of the server's reply, including its final drain.
        _drop_connection_after(sock, (attempt % 25) / 10_000)
    time.sleep(0.5)
    gc.collect()

    assert left_open == [], f"{len(left_open)} dropped requests left a file open"


@pytest.mark.parametrize("path", ["/assets/favicon.svg", "/assets/plotly-basic.min.js"])
def test_assets_are_served_whole(live_server, path):
    """Reading the body before sending it keeps every byte: big scripts arrive complete."""
    from urllib.request import urlopen

    with urlopen(live_server + path) as response:  # noqa: S310 - local test server
        body = response.read()
        assert response.status == 200
        assert len(body) == int(response.headers["Content-Length"]) > 0
