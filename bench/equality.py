"""Whether the lake's marts after the incremental day are the ones a full rebuild of the same landing files gives.

The harness fingerprints every mart after the day's run, then again after its dbt floor (`dbt run --full-refresh` of
every model on the same lake: a rebuild from raw); a mart whose rows differ is named in the results. The fingerprint
is computed in DuckDB (rows, and an order-independent sum of row hashes with doubles rounded to 6 decimals - DuckDB's
parallel sums of doubles differ in the last bits from one build to the next, and a finer rounding turns that noise into
a difference now and then - load times left out), so it costs seconds at a million customers where pandas would not.
"""

from __future__ import annotations

from orchestration.config import Settings
from orchestration.lakehouse import connect_lake

FLOATING = ("DOUBLE", "FLOAT", "REAL")
# When a row was loaded, computed or published, not what it says: a rebuild from the same landing files does it again.
# (`built_for_data_date`: the data date of the run that last recomputed a row of an incremental keyed table.)
TIMING_COLUMNS = ("_loaded_at", "features_loaded_at", "scored_at", "computed_at", "published_at", "changed_at",
                  "built_for_data_date")


def _row_expression(columns: list[tuple[str, str]]) -> str:
    parts = [f'round("{name}", 6)' if kind in FLOATING else f'"{name}"' for name, kind in columns
             if name not in TIMING_COLUMNS]
    return f"hash({', '.join(parts)})" if parts else "0"


def fingerprint(conn, catalog: str, schema: str = "marts") -> dict[str, tuple[int, str]]:
    """Per table of `catalog.schema` on this connection: (rows, sum of row hashes)."""
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, name, kind in conn.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_catalog = ? and table_schema = ? order by table_name, ordinal_position",
            [catalog, schema]).fetchall():
        columns.setdefault(table, []).append((name, kind))
    if not columns:
        return {}
    # one statement for every table: DuckDB reads them in one plan, not one round trip to the catalog each
    sql = "\nunion all ".join(
        f"select '{table}', count(*), coalesce(sum({_row_expression(cols)}::hugeint), 0)::varchar "
        f'from {catalog}.{schema}."{table}"' for table, cols in sorted(columns.items()))
    return {table: (rows, digest) for table, rows, digest in conn.execute(sql).fetchall()}


def fingerprints(settings: Settings, schema: str = "marts") -> dict[str, tuple[int, str]]:
    """Per table of the lake's `schema`: (rows, sum of row hashes)."""
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        conn.execute("set enable_progress_bar = false")  # the bench's log, not a terminal
        return fingerprint(conn, "lake", schema)


def differences(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """The tables whose fingerprint differs, or that only one side has."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
