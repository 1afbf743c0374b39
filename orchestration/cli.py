"""Small commands the Makefile uses around Dagster: the post-run summary, the SQL shells' set-up, dbt's environment."""

from __future__ import annotations

import argparse
import sys

from orchestration.config import load_settings
from orchestration.lakehouse import connect_lake


def summary() -> str:
    settings = load_settings()
    lines = []
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        rows = conn.execute(
            """select table_schema, count(*) filter (where table_type = 'BASE TABLE'),
                      count(*) filter (where table_type = 'VIEW')
               from information_schema.tables where table_catalog = 'lake' group by all order by 1"""
        ).fetchall()
        marts = conn.execute(
            "select table_name from information_schema.tables"
            " where table_catalog = 'lake' and table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
        mart_rows = {t: conn.execute(f"select count(*) from lake.marts.{t}").fetchone()[0] for (t,) in marts}
        snapshot = conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]
        quarantined = conn.execute("select count(*) from raw._quarantine").fetchone()[0]
        models = _models_summary(settings, conn)
    lines.append("Built the lakehouse:")
    for schema, tables, views in rows:
        lines.append(f"  {schema:<12} {tables:>3} tables {views:>3} views")
    lines.append("Published tables (marts), rows:")
    for table, count in mart_rows.items():
        lines.append(f"  {table:<40} {count:>12,}" + ("   <- EMPTY" if count == 0 else ""))
    lines += [
        f"  snapshot {snapshot}; {quarantined} landing rows quarantined (raw._quarantine)",
        "",
        *models,
        *_serving_summary(settings),
        f"Catalog:      {settings.catalog_url}",
        f"Data files:   {settings.lake_data_path}",
        f"Dagster home: {settings.dagster_home}",
        f"MLflow store: {settings.mlflow_tracking_uri}",
        "",
        "Open it:",
        "  make sql    DuckDB CLI on the serving lakehouse (marts only), read-only - business staff",
        "              (try: select * from marts.fct_loans limit 5;)",
        "  make sql-raw  DuckDB CLI on the whole lakehouse (raw, staging, marts), read-only - data engineers",
        "  make ui     Dagster UI on :3000 (asset graph, runs, schedules, sensors, checks)",
        "              and MLflow UI on :5000 (experiments, runs, registered models and aliases)",
        "  make docs   dbt docs site on :8080 (every table and column, lineage, tests)",
    ]
    return "\n".join(lines)


def _models_summary(settings, conn) -> list[str]:
    """Each model's champion, or why there is none yet and when there can be (a young book)."""
    from orchestration.defs.credit.policy import load_policy as credit_policy
    from orchestration.defs.credit.readiness import credit_readiness
    from orchestration.defs.fraud.policy import load_policy as fraud_policy
    from orchestration.defs.fraud.readiness import fraud_readiness
    from orchestration.governance import CHAMPION, alias_version
    from orchestration.resources import build_resources

    client = build_resources(settings)["mlflow_tracking"].client()
    lines = ["Models:"]
    for name, readiness, without in (
            (credit_policy().registered_name, credit_readiness, "marts.application_scores is empty"),
            (fraud_policy().registered_name, fraud_readiness, "the fraud rules decide alone")):
        version = alias_version(client, name, CHAMPION)
        if version is not None:
            lines.append(f"  {name}: champion v{version}")
            continue
        lines += [f"  {readiness(conn).summary(name)}", f"    no champion yet: {without}"]
    return [*lines, ""]


def _serving_summary(settings) -> list[str]:
    from orchestration.serving import PUBLICATIONS_TABLE, connect_serving, serving_catalog_exists

    if not serving_catalog_exists(settings):
        return ["Serving lakehouse: not published yet", ""]
    with connect_serving(settings) as conn:
        published_at, tables, rows = conn.execute(
            f"select published_at, table_count, row_count from {PUBLICATIONS_TABLE} order by published_at desc limit 1"
        ).fetchone()
    return [
        f"Serving lakehouse (business staff): {tables} marts, {rows:,} rows, "
        f"published {published_at:%Y-%m-%d %H:%M:%S}",
        f"  catalog {settings.serving_catalog_url}",
        f"  data    {settings.serving_data_path}",
        "",
    ]


def _cli_attach(catalog_url: str, data_path: str, alias: str) -> str:
    from orchestration.lakehouse import attach_sql

    return "\n".join(
        ["LOAD ducklake;", "LOAD sqlite_scanner;" if "sqlite" in catalog_url else "LOAD postgres_scanner;",
         attach_sql(catalog_url, data_path, alias=alias, read_only=True) + ";", f"USE {alias};"]
    )


def sql_init() -> str:
    """Statements the DuckDB CLI runs to attach the serving lakehouse read-only (make sql, business staff)."""
    from orchestration.serving import SERVING_ALIAS, serving_catalog_exists

    settings = load_settings()
    if not serving_catalog_exists(settings):
        raise SystemExit(f"no serving lakehouse at {settings.serving_catalog_url} yet: `make run` publishes it")
    return _cli_attach(settings.serving_catalog_url, settings.serving_data_path, SERVING_ALIAS)


def sql_raw_init() -> str:
    """Statements the DuckDB CLI runs to attach the main lakehouse (raw, staging, marts) read-only (data engineers)."""
    settings = load_settings()
    return _cli_attach(settings.catalog_url, settings.lake_data_path, "lake")


def dbt_env() -> str:
    return "\n".join(f"export {k}='{v}'" for k, v in load_settings().dbt_env().items())


COMMANDS = {
    "summary": summary,
    "sql-init": sql_init,
    "sql-raw-init": sql_raw_init,
    "dbt-env": dbt_env,
}


def promote(model: str, version: int, reason: str) -> str:
    """A modeler's manual decision: move `champion` to `version` and record it in marts.model_alias_history."""
    from orchestration.governance import CHAMPION, AliasChange, alias_version, record_alias_changes
    from orchestration.resources import build_resources

    resources = build_resources()
    client = resources["mlflow_tracking"].client()
    target = client.get_model_version(model, str(version))
    previous = alias_version(client, model, CHAMPION)
    client.set_registered_model_alias(model, CHAMPION, str(version))
    client.set_model_version_tag(model, str(version), "validation_status", "promoted manually")
    metrics = client.get_run(target.run_id).data.metrics
    change = AliasChange(model, CHAMPION, previous, version, f"manual: {reason}", metrics, target.run_id, "manual")
    with resources["lakehouse"].connect() as conn:
        record_alias_changes(conn, [change])
    return f"{model}: champion moved from v{previous} to v{version} ({reason})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m orchestration.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in sorted(COMMANDS):
        commands.add_parser(name, help=(COMMANDS[name].__doc__ or "").split("\n")[0])
    promotion = commands.add_parser("promote", help=promote.__doc__)
    promotion.add_argument("--model", required=True)
    promotion.add_argument("--version", type=int, required=True)
    promotion.add_argument("--reason", required=True)
    args = parser.parse_args(argv)
    if args.command == "promote":
        print(promote(args.model, args.version, args.reason))
    else:
        print(COMMANDS[args.command]())


if __name__ == "__main__":
    main(sys.argv[1:])
