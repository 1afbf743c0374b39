"""The one way to open the DuckLake lakehouse.

DuckDB allows one read-write process or many read-only ones on a database file; DuckLake lifts that: data lives in
immutable Parquet files and the catalog (SQLite locally, PostgreSQL when shared) serialises commits, so read-only
readers attach at any time and see a consistent snapshot while the pipeline writes.

DuckDB's `INSTALL ducklake` downloads from the internet, which is closed here; the extensions ship as PyPI wheels
(`duckdb-extension-<name>`), so `install_extensions()` installs them from the wheel files once, after which `LOAD`
works in Python, dbt-duckdb and the DuckDB CLI alike.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

EXTENSIONS = ("ducklake", "sqlite_scanner", "postgres_scanner")
LAKE_ALIAS = "lake"

# Options kept in the lake's own catalog, so every client that writes it (ours, dbt's, a data engineer's DuckDB CLI)
# follows them. No data inlining: by default DuckLake keeps inserts under 10 rows in catalog tables, one more SQLite
# table per table version, which every later scan of that table also queries. On the tiny test lake that made each
# short query - a dbt test, a data-quality query - up to twice as slow (a join 16 -> 8 ms), and a build runs ~700 of
# them. The small files a day's inserts leave instead are merged by the night's maintenance (merge_adjacent_files).
LAKE_OPTIONS = {"data_inlining_row_limit": "0"}


def _set_lake_options(conn: duckdb.DuckDBPyConnection, alias: str) -> None:
    """LAKE_OPTIONS on the lake attached as `alias`, written only where it differs (a new lake, or one made before)."""
    current = dict(conn.execute(f"select option_name, value from {alias}.options() where scope = 'GLOBAL'").fetchall())
    for name, value in LAKE_OPTIONS.items():
        if current.get(name) != value:
            conn.execute(f"CALL {alias}.set_option({_quote(name)}, {value})")


def extension_file(name: str) -> Path:
    """Path of the `.duckdb_extension` file inside the `duckdb-extension-<name>` wheel."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package duckdb-extension-{name.replace('_', '-')} is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(root.glob(f"extensions/v{duckdb.__version__}/{name}.duckdb_extension"))
    if not files:
        raise RuntimeError(f"no {name}.duckdb_extension for DuckDB {duckdb.__version__} under {root}")
    return files[0]


def install_extensions(conn: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """Install the lake's extensions from their wheels into DuckDB's extension directory (idempotent, offline)."""
    own = conn is None
    conn = conn or duckdb.connect()
    try:
        installed = {
            row[0]
            for row in conn.execute(
                "select extension_name from duckdb_extensions() where installed"
            ).fetchall()
        }
        done = []
        for name in EXTENSIONS:
            if name not in installed:
                conn.execute(f"INSTALL '{extension_file(name)}'")
                done.append(name)
        return done
    finally:
        if own:
            conn.close()


def _extensions_for(catalog_url: str) -> tuple[str, ...]:
    needed = ["ducklake"]
    if catalog_url.startswith("ducklake:sqlite:"):
        needed.append("sqlite_scanner")
    elif catalog_url.startswith("ducklake:postgres:"):
        needed.append("postgres_scanner")
    return tuple(needed)


def _ensure_catalog_dir(catalog_url: str, data_path: str, read_only: bool) -> None:
    if read_only:
        return
    if catalog_url.startswith("ducklake:sqlite:"):
        Path(catalog_url.removeprefix("ducklake:sqlite:")).parent.mkdir(parents=True, exist_ok=True)
    if "://" not in data_path:
        Path(data_path).mkdir(parents=True, exist_ok=True)


def _use_write_ahead_log(catalog_url: str) -> None:
    """Put a SQLite catalog in write-ahead-log mode (persistent in the file): readers then never hold the writer's
    commit back, nor does it block them. In the default rollback-journal mode a commit needs every reader out of the
    file, and a steady stream of readers (twenty staff queries) fails it with "database is locked".

    Only an existing catalog: opening a missing one here would create an empty SQLite file before DuckLake writes its
    metadata, and a reader arriving in between would find a "lake" that is not one."""
    if not catalog_url.startswith("ducklake:sqlite:"):
        return
    path = Path(catalog_url.removeprefix("ducklake:sqlite:"))
    if not path.exists():
        return
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(path, timeout=30)) as catalog:
        if catalog.execute("pragma journal_mode").fetchone()[0] != "wal":
            catalog.execute("pragma journal_mode = wal")


def attach_sql(catalog_url: str, data_path: str, alias: str = LAKE_ALIAS, read_only: bool = False) -> str:
    """The ATTACH statement for a lake; catalog URL and path are configuration, never user input."""
    options = ["READ_ONLY"] if read_only else [f"DATA_PATH {_quote(data_path)}"]
    return f"ATTACH {_quote(catalog_url)} AS {alias} ({', '.join(options)})"


def lake_secret_sql(name: str, catalog_url: str, data_path: str) -> str:
    """A (temporary, in-memory) DuckLake secret `name` holding a lake's catalog and data path; `ATTACH
    'ducklake:<name>'` then opens that lake. dbt's profile attaches the lake this way, so that the profile - which
    dbt hashes to decide whether its saved parse still holds - reads the same for every lake (see dbt_plugin.py).
    """
    metadata_path = catalog_url.removeprefix("ducklake:")
    return (f"CREATE OR REPLACE SECRET {name} (TYPE ducklake, METADATA_PATH {_quote(metadata_path)}, "
            f"DATA_PATH {_quote(data_path)})")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@contextmanager
def connect_lake(
    catalog_url: str,
    data_path: str,
    read_only: bool = False,
    alias: str = LAKE_ALIAS,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB session with the lake attached as `alias` and selected as the default database."""
    _ensure_catalog_dir(catalog_url, data_path, read_only)
    if not read_only:
        _use_write_ahead_log(catalog_url)
    conn = duckdb.connect(":memory:")
    try:
        if threads:
            conn.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            conn.execute(f"SET memory_limit = {_quote(memory_limit)}")
        if temp_directory:
            Path(temp_directory).mkdir(parents=True, exist_ok=True)  # DuckDB makes only the last level
            conn.execute(f"SET temp_directory = {_quote(temp_directory)}")
        for name in _extensions_for(catalog_url):
            try:
                conn.execute(f"LOAD {name}")
            except duckdb.Error:
                install_extensions(conn)
                conn.execute(f"LOAD {name}")
        conn.execute(attach_sql(catalog_url, data_path, alias, read_only))
        conn.execute(f"USE {alias}")
        if not read_only:
            _use_write_ahead_log(catalog_url)  # a catalog this attach has just created
            _set_lake_options(conn, alias)
        yield conn
    finally:
        conn.close()


_SHARED_READERS: dict[tuple, duckdb.DuckDBPyConnection] = {}


def shared_reader(catalog_url: str, data_path: str, **options) -> duckdb.DuckDBPyConnection:
    """One read-only connection to the lake for the whole process, opened on first use and closed at exit.

    For many short reads in a row (the data-quality suites of a batch, ~50): opening a connection costs ~0.3 s,
    nearly all of it DuckDB loading the DuckLake extension into each new in-memory database. A read-only DuckLake
    connection reads the latest snapshot with every query - commits made after it opened, new tables included - so
    a later read never sees stale data. Not for concurrent use from several threads."""
    key = (catalog_url, data_path, tuple(sorted(options.items())))
    if key not in _SHARED_READERS:
        opened = connect_lake(catalog_url, data_path, read_only=True, **options)
        _SHARED_READERS[key] = opened.__enter__()
        atexit.register(opened.__exit__, None, None, None)
    return _SHARED_READERS[key]


def current_snapshot_id(conn: duckdb.DuckDBPyConnection, alias: str = LAKE_ALIAS) -> int:
    """Id of the lake snapshot this session reads (recorded with every model trained on it)."""
    return int(conn.execute(f"select max(snapshot_id) from {alias}.snapshots()").fetchone()[0])


# Snapshot changes that rewrite how rows are stored (compaction, inlined rows flushed to Parquet), not which rows.
STORAGE_ONLY_CHANGES = ("merge_adjacent", "flushed_inlined")


def tables_changed_since(conn: duckdb.DuckDBPyConnection, snapshot_id: int, alias: str = LAKE_ALIAS,
                         kinds: tuple[str, ...] | None = None) -> set[str] | None:
    """The tables (`schema.table`) that a commit after `snapshot_id` created, replaced, wrote to, deleted from or
    dropped - only the change kinds in `kinds` when given. None when the lake no longer holds that snapshot (expired
    by maintenance): what changed since is then not known, and a caller must treat every table as changed."""
    if not conn.execute(f"select count(*) from {alias}.snapshots() where snapshot_id = ?", [snapshot_id]).fetchone()[0]:
        return None
    # a change names a created table, and refers to the others by id: every id the catalog has had, ended ones too
    names = {table_id: f"{schema}.{table}" for table_id, schema, table in conn.execute(
        f"select t.table_id, s.schema_name, t.table_name from __ducklake_metadata_{alias}.ducklake_table t "
        f"join __ducklake_metadata_{alias}.ducklake_schema s on s.schema_id = t.schema_id").fetchall()}
    changed: set[str] = set()
    for (changes,) in conn.execute(f"select changes from {alias}.snapshots() where snapshot_id > ?",
                                   [snapshot_id]).fetchall():
        for kind, values in changes.items():
            if kind in STORAGE_ONLY_CHANGES or (kinds is not None and kind not in kinds):
                continue
            for value in values:
                name = names.get(int(value)) if value.isdigit() else value.replace('"', "")
                if name:
                    changed.add(name)
    return changed


def rows_inserted_since(conn: duckdb.DuckDBPyConnection, snapshot_id: int, alias: str = LAKE_ALIAS) -> dict[str, int]:
    """Rows each table (`schema.table`) got from the commits after `snapshot_id` - all its rows for a table created or
    replaced since - from the lake's change feed (ducklake_table_insertions). What a run wrote, table by table."""
    changed = tables_changed_since(conn, snapshot_id, alias, kinds=("tables_created", "tables_inserted_into")) or set()
    current = current_snapshot_id(conn, alias)
    present = {f"{s}.{t}" for s, t in conn.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        "and table_type = 'BASE TABLE'", [alias]).fetchall()}
    inserted = {}
    for name in sorted(changed & present):
        schema, table = name.split(".")
        inserted[name] = conn.execute("select count(*) from ducklake_table_insertions(?, ?, ?, ?, ?)",
                                      [alias, schema, table, snapshot_id + 1, current]).fetchone()[0]
    return inserted


if __name__ == "__main__":
    print("installed:", ", ".join(install_extensions()) or "nothing (already installed)")
