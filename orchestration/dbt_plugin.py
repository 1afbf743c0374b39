"""dbt-duckdb plugin: registers `pii_token(varchar)` on dbt's DuckDB connection.

The token key stays in this process's memory: it never appears in compiled SQL, dbt logs or the warehouse.
"""

from __future__ import annotations

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR

from orchestration.pii import token_key, tokenize


def register_pii_token(conn: DuckDBPyConnection, key: bytes | None = None) -> None:
    """`pii_token(varchar)` on this connection, keyed by `key` - by the process's own data dir's key when None (dbt's
    connection; the benchmark's raw-SQL floor passes the key of the lake it rebuilds)."""

    def pii_token(values: pa.ChunkedArray | pa.Array) -> pa.Array:
        used = key or token_key()
        return pa.array([tokenize(v, used) for v in values.to_pylist()], pa.string())

    conn.create_function("pii_token", pii_token, [VARCHAR], VARCHAR, type="arrow", side_effects=False)


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register_pii_token(conn)
