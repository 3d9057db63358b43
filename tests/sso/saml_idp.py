"""A real SAML 2.0 identity provider for the sign-in tests: pysaml2's IdP server behind a
small WSGI app, in a thread on a free local port. It receives Diarium's AuthnRequest
(HTTP-Redirect binding), shows a login form for its own users, and answers with a signed
assertion (HTTP-POST binding) carrying the user's attributes, as ADFS or Entra ID would.
Keys and certificates are made for the run; metadata is exchanged as files."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.server import Server

XMLSEC = "/usr/bin/xmlsec1"


def key_pair(folder: Path, name: str) -> tuple[str, str]:
    """A private key and a self-signed certificate, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class IdP:
    """The IdP: start() it with the SP's metadata file, read `metadata_file` for the SP."""

    def __init__(self, folder: Path, users: dict[str, dict]) -> None:
        self.folder, self.users = folder, users
        self.httpd = make_server("127.0.0.1", 0, self.app, server_class=_Server,
                                 handler_class=_Quiet)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.key_file, self.cert_file = key_pair(folder, "idp")
        self.entity_id = f"{self.base}/metadata"
        self.metadata_file = str(folder / "idp-metadata.xml")
        self.server: Server | None = None

    def config(self, sp_metadata: str | None) -> IdPConfig:
        config = IdPConfig()
        config.load({
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": self.key_file, "cert_file": self.cert_file,
            "service": {"idp": {
                "endpoints": {"single_sign_on_service": [
                    (f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)]},
                "policy": {"default": {"lifetime": {"minutes": 5},
                                       "attribute_restrictions": None}},
                "name_id_format": [saml.NAMEID_FORMAT_UNSPECIFIED],
            }},
            "metadata": {"local": [sp_metadata]} if sp_metadata else {},
        })
        return config

    def write_metadata(self) -> None:
        descriptor = entity_descriptor(self.config(None))
        Path(self.metadata_file).write_text(str(descriptor))

    def start(self, sp_metadata_file: str) -> None:
        self.server = Server(config=self.config(sp_metadata_file))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- the WSGI app ---------------------------------------------------------------
    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/sso/redirect":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            return self._page(start_response, self._form(
                query["SAMLRequest"][0], query.get("RelayState", [""])[0], ""))
        if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
            return self._page(start_response, self._login(form))
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _page(self, start_response, body: str):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]

    def _form(self, request: str, relay: str, error: str) -> str:
        return (f"<html><body><p>{html.escape(error)}</p><form method='post' action='/sso/login'>"
                f"<input name='username'><input name='password' type='password'>"
                f"<input type='hidden' name='SAMLRequest' value='{html.escape(request)}'>"
                f"<input type='hidden' name='RelayState' value='{html.escape(relay)}'>"
                "<button>Log in</button></form></body></html>")

    def _login(self, form: dict) -> str:
        person = self.users.get(form.get("username", ""))
        if person is None or person["password"] != form.get("password"):
            return self._form(form["SAMLRequest"], form.get("RelayState", ""), "wrong")
        request = self.server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT)
        args = self.server.response_args(request.message, [BINDING_HTTP_POST])
        response = self.server.create_authn_response(
            person["attributes"], userid=form["username"],
            name_id=saml.NameID(format=saml.NAMEID_FORMAT_UNSPECIFIED,
                                text=person.get("name_id", form["username"])),
            authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": self.base},
            sign_assertion=True, sign_response=False, **args)
        binding = self.server.apply_binding(BINDING_HTTP_POST, str(response),
                                            args["destination"], form.get("RelayState", ""),
                                            response=True)
        return binding["data"]


def posted_fields(page: str) -> dict[str, str]:
    """The hidden fields of the IdP's auto-submitting form (SAMLResponse, RelayState)."""
    return {name: html.unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)}
