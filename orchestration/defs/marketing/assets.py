"""The marketing lists, published only after their blocking audits pass, and their export files.

Write - audit - publish: dbt stages the day's candidates (marts.marketing_list_candidates, is_selected). Each list
asset copies its selected rows into a session-temporary table, runs the audits of checks.py against it (blocking
checks of the asset) and only when every one passes replaces marts.<list> with them in one transaction. A list that
fails is not published: the table keeps the last list that passed (its list_day says which day), the asset is not
materialized, the run fails, and the export asset downstream does not run, so no file goes out for the day.
"""

from datetime import UTC, date, datetime

import dagster as dg
import duckdb

from orchestration.config import load_settings
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.defs.marketing.checks import STAGED, check_specs, run_audits
from orchestration.defs.marketing.exports import EXPORT_COLUMNS, write_export
from orchestration.freshness import T1_FRESHNESS
from orchestration.resources import LakehouseResource

MARKETING = "team:marketing"
CANDIDATES = dg.AssetKey(["marts", "marketing_list_candidates"])
PROFILE = dg.AssetKey(["marts", "customer_profile"])
RESTRICTED = dg.AssetKey(["marts", "marketing_restricted_customers"])
CONTACT_CAPS = dg.AssetKey(["reference", "marketing_contact_caps"])
CONTACT_HISTORY = dg.AssetKey(["staging", "stg_marketing__contact_history"])

LISTS = {
    "marketing_sms_list": "SMS marketing list: life-cycle campaigns (repeat loan after a loan is paid off, limit "
                          "increase after six on-time instalments, follow-on course after an education course) for "
                          "customers who take SMS.",
    "marketing_call_list": "Outbound-call list for the call centre: life-cycle campaigns for customers who answer "
                           "calls, and the reactivation of customers who just became dormant.",
    "cross_sell_list": "Cross-selling list: furniture offers to customers who bought appliances on instalments in "
                       "the last 30 days and the reverse, by each customer's channel.",
}

COLUMNS = (
    ("list_day", "date", "The list day: the data date the list was built from."),
    ("contact_on", "date", "Day the contact is made (list_day + 1); contact caps are counted up to it."),
    ("campaign", "varchar", "Campaign (reference.marketing_campaigns)."),
    ("channel", "varchar", "sms or outbound_call."),
    ("customer_token", "varchar", "Keyed token of the customer's ID number (customer_profile.id_number_token)."),
    ("mobile_token", "varchar", "Keyed token of the mobile number to contact; resolved in the token vault."),
    ("mobile_masked", "varchar", "Mobile number for display (138****5678)."),
    ("reason", "varchar", "The life-cycle event, its day and loan."),
    ("priority", "integer", "Campaign priority, 1 first."),
    ("valid_until", "date", "Last day the offer holds."),
    ("published_at", "timestamp", "When the list passed its audits and was written (UTC)."),
)
assert tuple(c for c, _, _ in COLUMNS if c != "published_at") == EXPORT_COLUMNS, "list and export columns differ"


def data_date(conn: duckdb.DuckDBPyConnection) -> date:
    """The list day: the data date the tag system was built as of (the warehouse's int_data_date)."""
    day = conn.execute("select max(as_of_date) from marts.customer_profile").fetchone()[0]
    if day is None:
        raise dg.Failure("marts.customer_profile is empty: build the marketing models first")
    return day


def _ddl(list_name: str) -> str:
    columns = ",\n    ".join(f"{name} {data_type}" for name, data_type, _ in COLUMNS)
    return f"create table if not exists marts.{list_name} (\n    {columns}\n)"


def _column_schema() -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, data_type, description=text)
                                   for name, data_type, text in COLUMNS])


def stage_list(conn: duckdb.DuckDBPyConnection, list_name: str, list_day: date) -> int:
    """Copy the list's selected candidates of the day into the session-temporary table the audits read."""
    staged_day = conn.execute("select max(list_day) from marts.marketing_list_candidates").fetchone()[0]
    if staged_day is not None and staged_day != list_day:
        raise dg.Failure(f"marts.marketing_list_candidates is for {staged_day}, the data date is {list_day}: "
                         "rebuild the marketing models first")
    conn.execute(f"drop table if exists temp.{STAGED}")
    conn.execute(
        f"""create temp table {STAGED} as
            select customer_id, {", ".join(EXPORT_COLUMNS)}
            from marts.marketing_list_candidates
            where list_name = ? and list_day = ? and is_selected""",
        [list_name, list_day],
    )
    return conn.execute(f"select count(*) from {STAGED}").fetchone()[0]


def publish_staged(conn: duckdb.DuckDBPyConnection, list_name: str, published_at: datetime) -> None:
    """Replace the published list with the staged rows, in one transaction."""
    conn.execute(_ddl(list_name))
    conn.execute("begin transaction")
    conn.execute(f"delete from marts.{list_name}")
    conn.execute(
        f"""insert into marts.{list_name} by name
            select {", ".join(EXPORT_COLUMNS)}, ? as published_at
            from {STAGED}
            order by priority, campaign, customer_token""",
        [published_at],
    )
    conn.execute("commit")


def _list_asset(list_name: str) -> dg.AssetsDefinition:
    key = dg.AssetKey(["marts", list_name])

    @dg.asset(
        key=key,
        freshness_policy=T1_FRESHNESS,
        deps=[CANDIDATES, PROFILE, RESTRICTED, CONTACT_CAPS, CONTACT_HISTORY],
        check_specs=check_specs(key),
        output_required=False,
        group_name="marketing",
        kinds={"duckdb"},
        owners=[MARKETING],
        pool=WRITER_POOL,
        metadata={"dagster/column_schema": _column_schema()},
        description=(
            f"{LISTS[list_name]} One row per campaign and customer for the list day: tokens and masked mobile only. "
            "Published from marts.marketing_list_candidates only when the blocking audits pass (no restricted "
            "customer, contact caps hold, tokens and masked phones only); otherwise the table keeps the last list "
            "that passed and nothing is exported."
        ),
    )
    def _publish(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
        with lakehouse.connect() as conn:
            list_day = data_date(conn)
            staged = stage_list(conn, list_name, list_day)
            results = run_audits(conn, key, list_name, list_day)
            failed = [r.check_name for r in results if not r.passed]
            if failed:
                context.log.error(f"{list_name} for {list_day} NOT published: {', '.join(failed)} failed "
                                  f"({staged} staged rows)")
                yield from results
                return
            publish_staged(conn, list_name, datetime.now(UTC).replace(tzinfo=None))
            campaigns = dict(conn.execute(
                f"select campaign, count(*) from marts.{list_name} group by 1 order by 1").fetchall())
        context.log.info(f"{list_name} for {list_day}: {staged} rows published")
        yield dg.MaterializeResult(metadata={
            "dagster/row_count": staged,
            "list_day": list_day.isoformat(),
            "campaigns": dg.MetadataValue.json(campaigns),
        })
        yield from results

    return _publish


def _export_asset(list_name: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=["exports", list_name],
        deps=[dg.AssetKey(["marts", list_name]), PROFILE],
        group_name="marketing",
        kinds={"csv"},
        owners=[MARKETING],
        pool=WRITER_POOL,
        description=(
            f"The file the {'call centre' if list_name == 'marketing_call_list' else 'SMS gateway'} takes for "
            f"marts.{list_name}: data/exports/{list_name}/<list day>.csv and <list day>.manifest.json (rows, "
            "SHA-256, campaigns, generated_at). Runs only after the list was published for the day; a re-run of "
            "the same day rewrites identical files."
        ),
    )
    def _export(context: dg.AssetExecutionContext, lakehouse: LakehouseResource) -> dg.MaterializeResult:
        with lakehouse.connect(read_only=True) as conn:
            list_day = data_date(conn)
            try:
                cursor = conn.execute(f"select {', '.join(EXPORT_COLUMNS)} from marts.{list_name}")
            except duckdb.CatalogException as exc:
                raise dg.Failure(f"marts.{list_name} has never been published") from exc
            columns = [d[0] for d in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        other_days = sorted({str(r["list_day"]) for r in rows if r["list_day"] != list_day})
        if other_days:
            raise dg.Failure(f"marts.{list_name} holds the list of {', '.join(other_days)}, not of {list_day}: "
                             "today's list was not published, nothing to export")
        directory = load_settings().data_dir / "exports"
        manifest = write_export(rows, directory, list_name, list_day)
        context.log.info(f"exported {manifest['rows']} rows of {list_name} for {list_day}")
        return dg.MaterializeResult(metadata={
            "dagster/row_count": manifest["rows"],
            "file": dg.MetadataValue.path(str(directory / list_name / manifest["file"])),
            "sha256": manifest["sha256"],
            "campaigns": dg.MetadataValue.json(manifest["campaigns"]),
            "list_day": manifest["list_day"],
        })

    return _export


list_assets = [_list_asset(name) for name in LISTS]
export_assets = [_export_asset(name) for name in LISTS]
