"""The serving lakehouse: what business staff query - the marts only, published from the lake after each build.

DuckDB has no users or grants: whoever can read a catalog reads every table in it. So business staff get a lakehouse
of their own (catalog and data path under data/serving/) that holds copies of the `marts` tables and nothing else -
no raw or staging schema, no raw personal data - and the raw lakehouse can be closed to them by file permissions.

Publishing attaches the serving lake read-write and the main lake read-only in one DuckDB session and, in ONE
transaction, replaces every published table that changed in the lake since the last publication (the lake's
snapshots say which; all of them when that is not known): DuckLake commits the transaction as one snapshot, so a
reader sees the previous build or the new one, never half of each. Readers attach read-only and never take a lock the
publisher waits on; files of replaced tables are deleted only after a grace period, so a query that started on the
previous snapshot finishes on it.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.config import Settings
from orchestration.lakehouse import LAKE_ALIAS, attach_sql, connect_lake, current_snapshot_id, tables_changed_since

SERVING_ALIAS = "serving"
PUBLISHED_SCHEMA = "marts"
META_SCHEMA = "meta"
PUBLICATIONS_TABLE = f"{META_SCHEMA}.publications"
# The only schemas a serving lake may hold.
SERVING_SCHEMAS = (PUBLISHED_SCHEMA, META_SCHEMA)

# What a raw resident ID number (17 digits and a check character) or a mainland mobile (11 digits, 13-19) looks like:
# the same patterns as the dbt test `no_raw_id_or_mobile_numbers`.
ID_NUMBER_PATTERN = r"[0-9]{17}[0-9Xx]"
MOBILE_PATTERN = r"(^|[^0-9])1[3-9][0-9]{9}($|[^0-9])"
TOKEN_PATTERN = r"^tk_[0-9a-f]{32}$"
# Key columns hold generated identifiers or tokens, where random digits can look like a number by chance; token
# columns are checked for the token format instead.
KEY_SUFFIXES = ("_id", "_key")
TOKEN_SUFFIX = "_token"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

PUBLICATIONS_DDL = f"""
create table if not exists {{alias}}.{PUBLICATIONS_TABLE} (
    published_at timestamp,
    source_snapshot_id bigint,
    table_count integer,
    row_count bigint,
    tables varchar,
    dagster_run_id varchar,
    tables_copied varchar
)"""
# A serving lake published before the copies were incremental lacks the last column.
PUBLICATIONS_MIGRATION = f"alter table {{alias}}.{PUBLICATIONS_TABLE} add column if not exists tables_copied varchar"


class UnsafeToPublish(RuntimeError):
    """A table about to be published holds something that looks like raw personal data: nothing was published."""


@dataclass
class Publication:
    source_snapshot_id: int
    serving_snapshot_id: int
    rows: dict[str, int]
    seconds: float
    pii_findings: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)  # the tables this publication replaced; the others were current

    @property
    def row_count(self) -> int:
        return sum(self.rows.values())


def identifier(name: str) -> str:
    """A table or column name from the catalog, double-quoted; anything but a plain lower-case name is refused."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not an allowed identifier: {name!r}")
    return f'"{name}"'


def published_tables(conn: duckdb.DuckDBPyConnection, alias: str = LAKE_ALIAS) -> list[str]:
    """The allow-list: every table and view of the lake's `marts` schema (nothing else is ever copied)."""
    return [
        row[0]
        for row in conn.execute(
            "select table_name from information_schema.tables where table_catalog = ? and table_schema = ? "
            "order by table_name",
            [alias, PUBLISHED_SCHEMA],
        ).fetchall()
    ]


@contextmanager
def connect_publisher(
    catalog_url: str, data_path: str, serving_catalog_url: str, serving_data_path: str, threads: int | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """One session: the serving lake read-write as `serving` (the default database), the main lake read-only as
    `lake`."""
    with connect_lake(serving_catalog_url, serving_data_path, alias=SERVING_ALIAS, threads=threads) as conn:
        conn.execute(attach_sql(catalog_url, data_path, LAKE_ALIAS, read_only=True))
        yield conn


@contextmanager
def connect_serving(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The serving lake read-only, as business staff open it (`USE serving`, so `marts.<table>` resolves)."""
    with connect_lake(settings.serving_catalog_url, settings.serving_data_path, read_only=True,
                      alias=SERVING_ALIAS) as conn:
        yield conn


def text_columns(conn: duckdb.DuckDBPyConnection, alias: str, schema: str, table: str) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "select column_name from information_schema.columns where table_catalog = ? and table_schema = ? "
            "and table_name = ? and data_type = 'VARCHAR' order by ordinal_position",
            [alias, schema, table],
        ).fetchall()
    ]


def pii_findings(conn: duckdb.DuckDBPyConnection, alias: str, schema: str, tables: list[str]) -> list[str]:
    """Where a table holds what looks like a raw ID or mobile number (or a token column something else than a
    token): `table.column: N rows`. Never the values."""
    findings = []
    for table in tables:
        checks = []
        for column in text_columns(conn, alias, schema, table):
            quoted = identifier(column)
            if column.endswith(TOKEN_SUFFIX):
                condition = f"{quoted} is not null and not regexp_matches({quoted}, '{TOKEN_PATTERN}')"
            elif column.endswith(KEY_SUFFIXES):
                continue
            else:
                condition = (f"regexp_matches({quoted}, '{ID_NUMBER_PATTERN}') "
                             f"or regexp_matches({quoted}, '{MOBILE_PATTERN}')")
            checks.append((column, condition))
        if not checks:
            continue
        counts = ", ".join(f"count(*) filter (where {condition})" for _, condition in checks)
        row = conn.execute(f"select {counts} from {alias}.{schema}.{identifier(table)}").fetchone()
        findings += [f"{table}.{column}: {n} rows" for (column, _), n in zip(checks, row, strict=True) if n]
    return findings


def last_published_snapshot(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The lake snapshot the serving lake's latest publication copied, or None before the first - and None when the
    lake's snapshot of that id is younger than the publication (the lake was rebuilt from scratch since: the same id
    is another history)."""
    exists = conn.execute("select count(*) from information_schema.tables where table_catalog = ? "
                          "and table_schema = ? and table_name = 'publications'", [SERVING_ALIAS, META_SCHEMA])
    if not exists.fetchone()[0]:
        return None
    row = conn.execute(f"select source_snapshot_id, published_at from {SERVING_ALIAS}.{PUBLICATIONS_TABLE} "
                       "order by published_at desc, source_snapshot_id desc limit 1").fetchone()
    if row is None:
        return None
    same_history = conn.execute(f"select count(*) from {LAKE_ALIAS}.snapshots() where snapshot_id = ? "
                                "and snapshot_time::timestamp <= ?", [row[0], row[1]]).fetchone()[0]
    return int(row[0]) if same_history else None


def tables_to_copy(conn: duckdb.DuckDBPyConnection, tables: list[str], previous: set[str]) -> list[str]:
    """The marts a publication must copy: new to the serving lake, or changed in the lake since the last
    publication's snapshot - every one when that snapshot is unknown or expired."""
    since = last_published_snapshot(conn)
    changed = None if since is None else tables_changed_since(conn, since, LAKE_ALIAS)
    if changed is None:
        return list(tables)
    return [t for t in tables if t not in previous or f"{PUBLISHED_SCHEMA}.{t}" in changed]


def publish(conn: duckdb.DuckDBPyConnection, dagster_run_id: str | None = None) -> Publication:
    """Bring the serving lake to the lake's current marts, in one commit: the tables changed since the last
    publication are replaced, the others are already current and stay.

    Tables the lake no longer has are dropped in the same commit. If any copied table looks like it holds raw personal
    data, the transaction is rolled back and `UnsafeToPublish` raised: the serving lake keeps the previous build (the
    tables that were not copied passed the same scan when they were).
    """
    started = time.perf_counter()
    source_snapshot = current_snapshot_id(conn, LAKE_ALIAS)
    tables = published_tables(conn, LAKE_ALIAS)
    if not tables:
        raise UnsafeToPublish("the lake has no marts to publish")
    conn.execute("begin")
    try:
        for schema in SERVING_SCHEMAS:
            conn.execute(f"create schema if not exists {SERVING_ALIAS}.{schema}")
        previous = set(published_tables(conn, SERVING_ALIAS))
        copied = tables_to_copy(conn, tables, previous)
        for table in copied:
            name = identifier(table)
            conn.execute(f"create or replace table {SERVING_ALIAS}.{PUBLISHED_SCHEMA}.{name} as "
                         f"select * from {LAKE_ALIAS}.{PUBLISHED_SCHEMA}.{name}")
        for table in sorted(previous - set(tables)):
            conn.execute(f"drop table {SERVING_ALIAS}.{PUBLISHED_SCHEMA}.{identifier(table)}")
        findings = pii_findings(conn, SERVING_ALIAS, PUBLISHED_SCHEMA, copied)
        if findings:
            raise UnsafeToPublish("raw personal data in: " + "; ".join(findings))
        rows = {
            table: int(conn.execute(
                f"select count(*) from {SERVING_ALIAS}.{PUBLISHED_SCHEMA}.{identifier(table)}").fetchone()[0])
            for table in tables
        }
        conn.execute(PUBLICATIONS_DDL.format(alias=SERVING_ALIAS))
        conn.execute(PUBLICATIONS_MIGRATION.format(alias=SERVING_ALIAS))
        conn.execute(
            f"insert into {SERVING_ALIAS}.{PUBLICATIONS_TABLE} "
            "(published_at, source_snapshot_id, table_count, row_count, tables, dagster_run_id, tables_copied) "
            "values (now()::timestamp, ?, ?, ?, ?, ?, ?)",
            [source_snapshot, len(tables), sum(rows.values()), ", ".join(tables), dagster_run_id, ", ".join(copied)],
        )
        conn.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # nothing to roll back if the commit itself failed
            conn.execute("rollback")
        raise
    return Publication(
        source_snapshot_id=source_snapshot,
        serving_snapshot_id=current_snapshot_id(conn, SERVING_ALIAS),
        rows=rows,
        seconds=time.perf_counter() - started,
        copied=copied,
    )


def retention_statements(keep_hours: int, file_grace_minutes: int) -> list[tuple[str, str]]:
    """Merge the publication log's one-row files (the lake keeps no rows inlined in its catalog: LAKE_OPTIONS), expire
    serving snapshots older than `keep_hours` (time travel for staff), then delete the files no snapshot needs any
    more once they have been unreferenced for `file_grace_minutes` (a query still running on an older snapshot keeps
    its files)."""
    alias = f"'{SERVING_ALIAS}'"
    grace = f"interval '{int(file_grace_minutes)} minutes'"
    log_schema, log_table = PUBLICATIONS_TABLE.split(".")
    return [
        ("merge_publication_log",
         f"call ducklake_merge_adjacent_files({alias}, '{log_table}', schema => '{log_schema}')"),
        ("expire_snapshots",
         f"call ducklake_expire_snapshots({alias}, older_than => now() - interval '{int(keep_hours)} hours')"),
        ("cleanup_old_files",
         f"call ducklake_cleanup_old_files({alias}, older_than => now() - {grace})"),
    ]


def serving_catalog_exists(settings: Settings) -> bool:
    url = settings.serving_catalog_url
    return not url.startswith("ducklake:sqlite:") or Path(url.removeprefix("ducklake:sqlite:")).exists()
