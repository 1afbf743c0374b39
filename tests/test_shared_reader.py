"""The process's shared read-only connection (the data-quality checks read through it): opened once, it still sees
every commit made after it opened, new tables included - a later check never validates stale data."""

from orchestration.lakehouse import connect_lake, shared_reader


def test_a_shared_reader_sees_rows_and_tables_committed_after_it_opened(lakehouse):
    with lakehouse.connect() as writer:
        writer.execute("create table t as select 1 as x")
    reader = lakehouse.shared_reader()
    assert reader.execute("select count(*) from t").fetchone() == (1,)
    with lakehouse.connect() as writer:
        writer.execute("insert into t values (2)")
        writer.execute("create table u as select 5 as y")
    assert reader.execute("select count(*) from t").fetchone() == (2,)
    assert reader.execute("select y from u").fetchall() == [(5,)]
    assert lakehouse.shared_reader() is reader  # one connection for the process
    assert shared_reader(lakehouse.catalog_url, lakehouse.data_path) is not reader  # other options: its own


def test_a_shared_reader_is_read_only(lakehouse):
    import duckdb
    import pytest

    with connect_lake(lakehouse.catalog_url, lakehouse.data_path) as writer:
        writer.execute("create table t as select 1 as x")
    with pytest.raises(duckdb.Error, match="read-only"):
        lakehouse.shared_reader().execute("insert into t values (3)")
