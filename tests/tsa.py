"""A real RFC 3161 timestamp authority on a local port, for tests: HTTP POST of a DER
TimeStampReq, answered with a DER TimeStampResp signed by a certificate of tests/pki.py."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp, x509
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from tests.pki import Issued


@contextmanager
def running_tsa(tsa: Issued) -> Iterator[str]:
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(tsa.cert_der),
        tsa_key=keys.PrivateKeyInfo.load(tsa.key_der),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            request = tsp.TimeStampReq.load(self.rfile.read(length))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
