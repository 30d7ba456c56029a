"""A real OpenLDAP server (Debian's slapd) for the tests: started on a free loopback port with a
temporary configuration and database, filled with a fixture tree, stopped at the end."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")
SUFFIX = "dc=exemple,dc=fr"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "secret-de-test"  # noqa: S105


def available() -> str | None:
    """None when slapd can run here, else why not."""
    if not Path(SLAPD).exists():
        return "Debian's slapd is not installed (apt-get install slapd ldap-utils)"
    if not (SCHEMA_DIR / "inetorgperson.schema").exists():
        return "OpenLDAP's schemas are missing from /etc/ldap/schema"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Slapd:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="maison-commune-slapd-"))
        self.port = _free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Slapd:
        (self.dir / "data").mkdir()
        schemas = "\n".join(
            f"include {SCHEMA_DIR / name}.schema" for name in ("core", "cosine", "inetorgperson", "nis")
        )
        (self.dir / "slapd.conf").write_text(
            f"""{schemas}
modulepath {MODULE_DIR}
moduleload back_mdb
pidfile {self.dir / "slapd.pid"}
database mdb
maxsize 104857600
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {self.dir / "data"}
index objectClass,mail,employeeNumber eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""
        )
        self.process = subprocess.Popen(  # noqa: S603 — our own binary and arguments
            [SLAPD, "-d", "0", "-f", str(self.dir / "slapd.conf"), "-h", self.uri + "/"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd stopped: {self.process.stderr.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd did not start within 15 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def connection(self):
        import ldap3

        return ldap3.Connection(ldap3.Server(self.uri), ROOT_DN, ROOT_PASSWORD, auto_bind=True)
