"""dbt-duckdb plugin: registers `pii_token(varchar)` on dbt's DuckDB connection.

The token key stays in this process's memory: it never appears in compiled SQL, dbt logs or the warehouse.
"""

from __future__ import annotations

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR

from orchestration.pii import token_key, tokenize


def _pii_token(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    key = token_key()
    return pa.array([tokenize(v, key) for v in values.to_pylist()], pa.string())


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function("pii_token", _pii_token, [VARCHAR], VARCHAR, type="arrow", side_effects=False)
