"""A real IMAP server for the tests: Debian's Dovecot (`apt-get install dovecot-imapd`),
started in the foreground on a free local port with a throwaway configuration, TLS
certificate (from a test CA) and maildir, and stopped afterwards. No systemd.

Dovecot refuses mail access as root, so when the tests run as root the mail files belong
to the `dovecot` user and live in a directory others may traverse; the configuration and
logs stay in the test's tmp_path."""

from __future__ import annotations

import datetime as dt
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests import pki

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def available() -> bool:
    return Path(DOVECOT).exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_certificate(ca: pki.Issued) -> pki.Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    return pki.Issued(certificate, key)


@dataclass
class ImapServer:
    host: str
    port: int
    ca_file: Path
    users: dict[str, str]
    process: subprocess.Popen
    mail_root: Path
    log: Path
    _owned: list[Path] = field(default_factory=list)

    def client(self, user: str) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        imap = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=30)
        token = b"\0" + user.encode() + b"\0" + self.users[user].encode()
        imap.authenticate("PLAIN", lambda _challenge: token)
        return imap

    def append(self, user: str, raw: bytes, folder: str = "INBOX",
               when: dt.datetime | None = None) -> None:
        imap = self.client(user)
        try:
            imap.create(folder)
            moment = imaplib.Time2Internaldate(when or dt.datetime.now(dt.UTC))
            status, data = imap.append(folder, "", moment, raw)
            assert status == "OK", data
        finally:
            imap.logout()

    def messages(self, user: str, folder: str = "INBOX") -> list[tuple[int, bytes, bytes]]:
        """(uid, flags, raw message) of every message in the folder, read without change."""
        imap = self.client(user)
        try:
            status, _data = imap.select(folder, readonly=True)
            if status != "OK":
                return []
            _status, data = imap.uid("SEARCH", None, "ALL")
            found = []
            for uid in (data[0] or b"").split():
                _status, fetched = imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                head, raw = fetched[0]
                flags = head.split(b"FLAGS (", 1)[1].split(b")", 1)[0]
                flags = b" ".join(f for f in flags.split() if f != b"\\Recent")  # per session
                found.append((int(uid), flags, raw))
            return found
        finally:
            imap.logout()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for path in self._owned:
            shutil.rmtree(path, ignore_errors=True)


def start(tmp_path: Path, users: dict[str, str]) -> ImapServer:
    conf_dir = tmp_path / "dovecot"
    conf_dir.mkdir()
    ca = pki.root_ca("Diarium test mail CA")
    server = _server_certificate(ca)
    ca_file = ca.write_pem(conf_dir / "ca.pem")
    server.write_pem(conf_dir / "server.pem")
    key_file = conf_dir / "server.key"
    key_file.write_bytes(server.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    key_file.chmod(0o600)
    owned: list[Path] = []
    if os.geteuid() == 0:
        mail_user = pwd.getpwnam("dovecot")
        mail_root = Path(tempfile.mkdtemp(prefix="diarium-imap-"))
        mail_root.chmod(0o755)
        os.chown(mail_root, mail_user.pw_uid, mail_user.pw_gid)
        owned.append(mail_root)
        uid, gid = mail_user.pw_uid, mail_user.pw_gid
        login_user, internal_user = "dovenull", "dovecot"
    else:
        mail_root = tmp_path / "mail"
        mail_root.mkdir()
        uid, gid = os.getuid(), os.getgid()
        login_user = internal_user = pwd.getpwuid(uid).pw_name
    # The auth process reads the password file as the internal user: beside the mail.
    passwd = mail_root / "passwd"
    passwd.write_text("".join(
        f"{name}:{{PLAIN}}{password}::::::\n" for name, password in users.items()))
    passwd.chmod(0o644)
    # Unix socket paths are short (108 bytes): the run directory gets a short name of its own.
    run_dir = Path(tempfile.mkdtemp(prefix="dv-"))
    run_dir.chmod(0o755)
    owned.append(run_dir)
    port = _free_port()
    log = conf_dir / "dovecot.log"
    (conf_dir / "dovecot.conf").write_text(f"""
base_dir = {run_dir}/run
state_dir = {conf_dir}/state
log_path = {log}
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{conf_dir}/server.pem
ssl_key = <{key_file}
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{mail_root}/users/%u
mail_max_userip_connections = 100
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail_root}/users/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(conf_dir / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    found = ImapServer("127.0.0.1", port, ca_file, users, process, mail_root, log, owned)
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped: {process.stderr.read().decode()} "
                               f"{log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return found
        except OSError:
            time.sleep(0.1)
    found.stop()
    raise RuntimeError("dovecot did not listen on its port")
