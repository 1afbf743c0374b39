"""Publishing to the serving lake: the marts only, in one commit, refused whole if a table holds raw personal data."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from orchestration.cli import sql_init
from orchestration.serving import (
    UnsafeToPublish,
    connect_publisher,
    connect_serving,
    identifier,
    publish,
    retention_statements,
)

TOKEN = "tk_" + "0123456789abcdef" * 2


def _fill_lake(lakehouse, version: int, marts: tuple[str, ...] = ("fct_loans", "dim_customers")) -> None:
    """A lake with raw, staging and marts; every mart row carries `version` so a reader can tell builds apart."""
    with lakehouse.connect() as conn:
        for schema in ("raw", "staging", "marts"):
            conn.execute(f"create schema if not exists {schema}")
        conn.execute("create or replace table raw.core_lending__customers as "
                     "select 'C1' as customer_id, '110101199001011234' as id_number, '13800138000' as mobile")
        conn.execute("create or replace view staging.stg_core_lending__customers as "
                     "select * from raw.core_lending__customers")
        for table in marts:
            conn.execute(
                f"create or replace table marts.{table} as select range as row_no, {version} as build, "
                f"'C' || range as customer_id, '{TOKEN}' as mobile_token, '138****5678' as mobile_masked "
                "from range(50)"
            )


def _publisher(settings):
    return connect_publisher(settings.catalog_url, settings.lake_data_path, settings.serving_catalog_url,
                             settings.serving_data_path)


def _serving_tables(settings) -> dict[str, list[str]]:
    with connect_serving(settings) as conn:
        rows = conn.execute("select table_schema, table_name from information_schema.tables "
                            "where table_catalog = 'serving' order by all").fetchall()
    tables: dict[str, list[str]] = {}
    for schema, table in rows:
        tables.setdefault(schema, []).append(table)
    return tables


def _snapshot_count(settings) -> int:
    """Snapshots after the one that created the (empty) serving lake."""
    with connect_serving(settings) as conn:
        return conn.execute("select count(*) - 1 from serving.snapshots()").fetchone()[0]


def test_publish_copies_the_marts_and_nothing_else_in_one_commit(settings, lakehouse):
    _fill_lake(lakehouse, version=1)
    with _publisher(settings) as conn:
        publication = publish(conn, dagster_run_id="run-1")
    assert publication.rows == {"dim_customers": 50, "fct_loans": 50}
    assert _serving_tables(settings) == {"marts": ["dim_customers", "fct_loans"], "meta": ["publications"]}
    assert _snapshot_count(settings) == 1  # everything in one DuckLake commit
    with connect_serving(settings) as conn:
        assert conn.execute("select source_snapshot_id, table_count, row_count, dagster_run_id "
                            "from meta.publications").fetchall() == [(publication.source_snapshot_id, 2, 100, "run-1")]


def test_a_republish_replaces_every_table_and_drops_marts_the_lake_no_longer_has(settings, lakehouse):
    _fill_lake(lakehouse, version=1, marts=("fct_loans", "old_list"))
    with _publisher(settings) as conn:
        publish(conn)
    with lakehouse.connect() as conn:
        conn.execute("drop table marts.old_list")
    _fill_lake(lakehouse, version=2, marts=("fct_loans",))
    with _publisher(settings) as conn:
        publish(conn)
    assert _serving_tables(settings)["marts"] == ["fct_loans"]
    assert _snapshot_count(settings) == 2
    with connect_serving(settings) as conn:
        assert conn.execute("select distinct build from marts.fct_loans").fetchall() == [(2,)]
        assert conn.execute("select count(*) from meta.publications").fetchone()[0] == 2


def test_a_publication_copies_only_the_marts_that_changed_since_the_last_and_says_which(settings, lakehouse):
    _fill_lake(lakehouse, version=1)
    with _publisher(settings) as conn:
        assert sorted(publish(conn).copied) == ["dim_customers", "fct_loans"]  # the first: everything
    with lakehouse.connect() as conn:  # the day changes one mart by a replace and another by an insert
        conn.execute("create or replace table marts.fct_loans as select * replace (2 as build) from marts.fct_loans")
        conn.execute("create table marts.new_list as select 1 as row_no")
    with _publisher(settings) as conn:
        assert publish(conn, dagster_run_id="run-2").copied == ["fct_loans", "new_list"]
    with lakehouse.connect() as conn:
        conn.execute(f"insert into marts.dim_customers values (50, 3, 'C50', '{TOKEN}', '138****5678')")
    with _publisher(settings) as conn:
        assert publish(conn).copied == ["dim_customers"]
    with _publisher(settings) as conn:
        assert publish(conn).copied == []  # nothing changed: the serving lake is current
    with connect_serving(settings) as conn:
        assert conn.execute("select build, count(*) from marts.fct_loans group by 1").fetchall() == [(2, 50)]
        assert conn.execute("select max(build), count(*) from marts.dim_customers").fetchall() == [(3, 51)]
        assert conn.execute("select tables_copied from meta.publications order by published_at").fetchall() == [
            ("dim_customers, fct_loans",), ("fct_loans, new_list",), ("dim_customers",), ("",)]


def test_when_the_last_published_snapshot_has_expired_every_mart_is_copied(settings, lakehouse):
    _fill_lake(lakehouse, version=1)
    with _publisher(settings) as conn:
        publish(conn)
    _fill_lake(lakehouse, version=2, marts=("fct_loans",))
    with lakehouse.connect() as conn:  # maintenance expires every snapshot but the current one
        conn.execute("call ducklake_expire_snapshots('lake', older_than => now())")
    with _publisher(settings) as conn:
        assert sorted(publish(conn).copied) == ["dim_customers", "fct_loans"]  # what changed is not known


@pytest.mark.parametrize(
    "column, value",
    [("note", "call 13912345678 today"), ("remark", "ID 11010119900101123X"), ("mobile_token", "13912345678")],
)
def test_a_mart_holding_raw_personal_data_is_not_published_and_the_previous_build_stays(
    settings, lakehouse, column, value
):
    _fill_lake(lakehouse, version=1)
    with _publisher(settings) as conn:
        publish(conn)
    _fill_lake(lakehouse, version=2)
    with lakehouse.connect() as conn:
        conn.execute(f"create or replace table marts.fct_loans as select * replace ('{value}' as {column}) "
                     "from marts.fct_loans" if column == "mobile_token" else
                     f"create or replace table marts.fct_loans as select *, '{value}' as {column} from marts.fct_loans")
    with _publisher(settings) as conn, pytest.raises(UnsafeToPublish) as failure:
        publish(conn)
    assert f"fct_loans.{column}: 50 rows" in str(failure.value)
    assert value not in str(failure.value)
    with connect_serving(settings) as conn:
        assert conn.execute("select distinct build from marts.fct_loans").fetchall() == [(1,)]
        assert conn.execute("select distinct build from marts.dim_customers").fetchall() == [(1,)]


def test_identifiers_outside_the_allow_list_are_refused():
    assert identifier("fct_loans") == '"fct_loans"'
    for name in ('x"; drop table y; --', "Fct Loans", "a.b", ""):
        with pytest.raises(ValueError):
            identifier(name)


def test_retention_keeps_files_for_the_grace_period():
    statements = dict(retention_statements(keep_hours=24, file_grace_minutes=60))
    assert "interval '24 hours'" in statements["expire_snapshots"]
    assert "interval '60 minutes'" in statements["cleanup_old_files"]


def test_without_retention_each_publication_deletes_the_files_of_the_one_before(settings, lakehouse):
    """What the benchmark relies on (SERVING_KEEP_SNAPSHOTS_HOURS=0, SERVING_FILE_GRACE_MINUTES=0): the serving lake
    holds one copy of the marts however often it is published, not one per publication."""
    from pathlib import Path

    def parquet_files() -> int:
        return len(list(Path(settings.serving_data_path).rglob("*.parquet")))

    for version in (1, 2, 3):
        _fill_lake(lakehouse, version=version)
        with _publisher(settings) as conn:
            publish(conn)
            for _, sql in retention_statements(keep_hours=0, file_grace_minutes=0):
                conn.execute(sql)
        if version == 1:
            one_copy = parquet_files()
    assert one_copy >= 2 and parquet_files() == one_copy
    with connect_serving(settings) as conn:
        assert conn.execute("select distinct build from marts.fct_loans").fetchall() == [(3,)]


def test_make_sql_attaches_the_serving_lake_read_only(settings, lakehouse):
    _fill_lake(lakehouse, version=1)
    with _publisher(settings) as conn:
        publish(conn)
    conn = duckdb.connect()
    for statement in sql_init().split(";"):
        if statement.strip():
            conn.execute(statement)
    assert conn.execute("select count(*) from marts.fct_loans").fetchone()[0] == 50
    schemas = {r[0] for r in conn.execute("select schema_name from information_schema.schemata "
                                          "where catalog_name = 'serving'").fetchall()}
    assert "raw" not in schemas and "staging" not in schemas
    with pytest.raises(duckdb.Error, match="read-only"):
        conn.execute("create table marts.mine as select 1")


def test_make_sql_says_so_when_nothing_is_published_yet(settings):
    with pytest.raises(SystemExit, match="make run"):
        sql_init()


READER = textwrap.dedent(
    """
    import json, os, sys, time
    from orchestration.config import load_settings
    from orchestration.serving import connect_serving
    stop_file, report_file = sys.argv[1:3]
    settings = load_settings()
    reads, errors, mixed = 0, [], 0
    while not os.path.exists(stop_file):
        try:
            with connect_serving(settings) as conn:
                builds = conn.execute(
                    "select count(distinct build) from (select build from marts.fct_loans"
                    " union all select build from marts.dim_customers)").fetchone()[0]
                mixed += builds != 1
                reads += 1
        except Exception as exc:
            errors.append(repr(exc))
        time.sleep(0.1)
    json.dump({"reads": reads, "errors": errors[:5], "mixed": mixed}, open(report_file, "w"))
    """
)


def test_readers_see_one_build_or_the_next_never_a_mix(settings, lakehouse, tmp_path):
    import json

    _fill_lake(lakehouse, version=0)
    with _publisher(settings) as conn:
        publish(conn)
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(stop), str(tmp_path / f"reader{i}.json")])
        for i in range(3)
    ]
    try:
        for version in range(1, 4):
            _fill_lake(lakehouse, version=version)
            with _publisher(settings) as conn:
                publish(conn)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=300)  # a hang bound: a reader starting on a busy machine stops at once
    for i in range(3):
        report = json.loads((tmp_path / f"reader{i}.json").read_text())
        assert report["errors"] == [] and report["mixed"] == 0, report
        assert report["reads"] > 0
