"""A real OpenLDAP server for the directory sync tests: Debian's slapd started on a free
local port with a throwaway slapd.conf and database in a temporary folder (no systemd, no
cn=config of the machine), loaded with LDIF through ldapadd, changed with ldapmodify."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SUFFIX = "dc=sjovik,dc=se"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "slapd-test-secret"
PEOPLE = f"ou=people,{SUFFIX}"


def available() -> bool:
    return Path(SLAPD).exists() and shutil.which("ldapadd") is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Slapd:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        (folder / "db").mkdir()
        schema = "/etc/ldap/schema"
        (folder / "slapd.conf").write_text(f"""
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/nis.schema
include {schema}/inetorgperson.schema
pidfile {folder}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {folder}/db
""")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(self.folder / "slapd.conf"), "-h", f"{self.url}/", "-d", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("slapd exited: " + self.process.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("slapd did not start within 30 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _tool(self, tool: str, ldif: str) -> None:
        done = subprocess.run(
            [tool, "-x", "-H", self.url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
            input=ldif.encode(), capture_output=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"{tool}: {done.stderr.decode()}")

    def add(self, ldif: str) -> None:
        self._tool("ldapadd", ldif)

    def modify(self, ldif: str) -> None:
        self._tool("ldapmodify", ldif)

    def delete(self, dn: str) -> None:
        done = subprocess.run(["ldapdelete", "-x", "-H", self.url, "-D", ADMIN_DN,
                               "-w", ADMIN_PASSWORD, dn], capture_output=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"ldapdelete: {done.stderr.decode()}")

    def clear_people(self) -> None:
        done = subprocess.run(["ldapdelete", "-x", "-r", "-H", self.url, "-D", ADMIN_DN,
                               "-w", ADMIN_PASSWORD, PEOPLE], capture_output=True, timeout=30)
        if done.returncode not in (0, 32):  # 32: no such object
            raise RuntimeError(f"ldapdelete: {done.stderr.decode()}")
        self.add(f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n")


BASE_LDIF = f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
dc: sjovik
o: Sjoviks kommun

dn: cn=diarium-reader,{SUFFIX}
objectClass: simpleSecurityObject
objectClass: organizationalRole
cn: diarium-reader
userPassword: reader-pw-1

dn: ou=groups,{SUFFIX}
objectClass: organizationalUnit
ou: groups
"""


def person(uid: str, given: str, sn: str, *, mail: str = "", unit: str = "",
           number: str = "", disabled: bool = False, groups: list[str] = ()) -> str:
    """The LDIF of one inetOrgPerson under ou=people. Groups as businessCategory values
    (a multi-valued attribute standing in for Active Directory's memberOf)."""
    lines = [f"dn: uid={uid},{PEOPLE}", "objectClass: inetOrgPerson", f"uid: {uid}",
             f"cn: {given} {sn}", f"givenName: {given}", f"sn: {sn}"]
    if mail:
        lines.append(f"mail: {mail}")
    if unit:
        lines.append(f"departmentNumber: {unit}")
    if number:
        lines.append(f"employeeNumber: {number}")
    if disabled:
        lines.append("employeeType: inaktiv")
    lines += [f"businessCategory: {g}" for g in groups]
    return "\n".join(lines) + "\n"
