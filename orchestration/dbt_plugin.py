"""dbt-duckdb plugin: points dbt's DuckDB at the lake of the environment, and registers `pii_token(varchar)`.

The lake's location, DuckDB's memory limit and its spill directory come from the environment (Settings.dbt_env), read
here when dbt opens its connection - not rendered into profiles.yml. dbt hashes the rendered profile into its saved
parse (partial_parse.msgpack) and parses the whole project again (~7 s) whenever that hash differs: with the paths in
the profile, every invocation on another data dir (each test lake, the benchmark's lakes) paid a full parse. The
profile attaches `ducklake:<secret>`; the secret, made here, carries the catalog URL and data path.

The token key stays in this process's memory: it never appears in compiled SQL, dbt logs or the warehouse.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR

from orchestration.lakehouse import LAKE_ALIAS, lake_secret_sql
from orchestration.pii import token_key, tokenize

# DuckDB settings given when the database opens (never SET on a cursor: once DuckDB has spilled it refuses any SET of
# temp_directory, and every later node of the build failed)
CONNECTION_CONFIG = {"memory_limit": "LAKEHOUSE_DUCKDB_MEMORY_LIMIT",
                     "temp_directory": "LAKEHOUSE_DUCKDB_TEMP_DIRECTORY"}
LAKE_LOCATION = ("LAKEHOUSE_CATALOG_URL", "LAKEHOUSE_DATA_PATH")


def register_pii_token(conn: DuckDBPyConnection, key: bytes | None = None) -> None:
    """`pii_token(varchar)` on this connection, keyed by `key` - by the process's own data dir's key when None (dbt's
    connection; the benchmark's raw-SQL floor passes the key of the lake it rebuilds)."""

    def pii_token(values: pa.ChunkedArray | pa.Array) -> pa.Array:
        used = key or token_key()
        return pa.array([tokenize(v, used) for v in values.to_pylist()], pa.string())

    conn.create_function("pii_token", pii_token, [VARCHAR], VARCHAR, type="arrow", side_effects=False)


def _environment(*names: str) -> list[str]:
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise DbtRuntimeError(f"{', '.join(missing)} not set: run dbt through `make dbt` or export "
                              f"`python -m orchestration.cli dbt-env` (orchestration/config.py)")
    return [os.environ[name] for name in names]


def _lake_secret(creds: Any) -> str:
    """The secret name the profile's `lake` attachment opens (`path: ducklake:<secret>`)."""
    for attachment in creds.attach or ():
        if attachment.alias == LAKE_ALIAS and attachment.path.startswith("ducklake:"):
            return attachment.path.removeprefix("ducklake:")
    raise DbtRuntimeError(f"profiles.yml attaches no `{LAKE_ALIAS}` as ducklake:<secret>")


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        self._secret = _lake_secret(creds)
        config.update(zip(CONNECTION_CONFIG, _environment(*CONNECTION_CONFIG.values()), strict=True))

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        # runs before dbt-duckdb executes the profile's ATTACH statements
        conn.execute(lake_secret_sql(self._secret, *_environment(*LAKE_LOCATION)))
        register_pii_token(conn)
