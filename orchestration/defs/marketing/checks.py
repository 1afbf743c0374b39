"""The audits a marketing list must pass before it is published: the blocking checks of the list assets.

Each audit reads the staged rows of one list (a temporary table `staged_list` in the publishing session, with the
internal customer_id beside the tokens) and the warehouse, and returns the offending rows; an empty result passes.
They are written independently of the dbt model that selects the rows (marts.marketing_list_candidates), so a bug
there - or a hand-edited candidate - is caught before anything leaves the warehouse:

- no_restricted_customers: no row for a customer in marts.marketing_restricted_customers;
- contact_caps_hold: per customer and channel, the contacts in contact history inside the cap window that ends on
  the contact day, plus every row the day's lists put on that channel, stay within the cap of
  reference.marketing_contact_caps (2 SMS in 7 days, 1 call in 30);
- tokens_and_masked_phones_only: every row has a customer token and a mobile token (`tk_` + 32 hex) and a masked
  mobile, and no text column holds a raw mobile or ID number.
"""

from dataclasses import dataclass

import dagster as dg
import duckdb

STAGED = "staged_list"
SAMPLE_ROWS = 10


@dataclass(frozen=True)
class Audit:
    name: str
    description: str
    sql: str
    parameters: tuple[str, ...] = ()  # names of the `?` placeholders, in order: list_name, list_day


AUDITS = (
    Audit(
        name="no_restricted_customers",
        description="No customer on the list is restricted (opted out, complained, in collection, suspected fraud, "
                    "blacklisted, declined in the last 90 days - marts.marketing_restricted_customers). Blocking: a "
                    "list that fails is not published and not exported.",
        sql=f"""
            select staged.customer_id, staged.campaign,
                   string_agg(restricted.restriction_reason, ', ' order by restricted.restriction_reason) as reasons
            from {STAGED} as staged
            inner join marts.marketing_restricted_customers as restricted
                on staged.customer_id = restricted.customer_id
            group by staged.customer_id, staged.campaign
            order by staged.customer_id, staged.campaign
        """,
    ),
    Audit(
        name="contact_caps_hold",
        description="Per customer and channel, contacts in contact history inside the cap window ending on the "
                    "contact day plus every row the day's lists add on that channel stay within the cap (2 SMS in "
                    "any 7 days, 1 call in any 30 days: reference.marketing_contact_caps). Blocking.",
        sql=f"""
            with contact_day as (
                select min(contact_on) as contact_on from {STAGED}
            ),
            planned as (
                select customer_id, channel from {STAGED}
                union all
                select customer_id, channel
                from marts.marketing_list_candidates
                where is_selected and list_name <> ? and list_day = ?
            ),
            planned_per_channel as (
                select customer_id, channel, count(*) as planned_contacts
                from planned
                group by customer_id, channel
            ),
            history as (
                select contacts.customer_id, contacts.channel, count(*) as history_contacts
                from staging.stg_marketing__contact_history as contacts
                inner join reference.marketing_contact_caps as caps
                    on contacts.channel = caps.channel
                cross join contact_day
                where cast(contacts.contacted_at as date)
                    between contact_day.contact_on - (caps.window_days - 1) and contact_day.contact_on
                group by contacts.customer_id, contacts.channel
            )
            select planned_per_channel.customer_id, planned_per_channel.channel,
                   coalesce(history.history_contacts, 0) as history_contacts,
                   planned_per_channel.planned_contacts, caps.max_contacts, caps.window_days
            from planned_per_channel
            left join reference.marketing_contact_caps as caps
                on planned_per_channel.channel = caps.channel
            left join history
                on planned_per_channel.customer_id = history.customer_id
                and planned_per_channel.channel = history.channel
            where planned_per_channel.customer_id in (select customer_id from {STAGED})
                and (caps.max_contacts is null  -- a channel without a cap is never contacted
                     or coalesce(history.history_contacts, 0) + planned_per_channel.planned_contacts
                        > caps.max_contacts)
            order by planned_per_channel.customer_id, planned_per_channel.channel
        """,
        parameters=("list_name", "list_day"),
    ),
    Audit(
        name="tokens_and_masked_phones_only",
        description="Every row carries a customer token and a mobile token (tk_ + 32 hex) and a masked mobile "
                    "(138****5678), and no text column holds a raw mobile or ID number. Blocking.",
        sql=f"""
            select customer_id, campaign
            from {STAGED}
            where (
                    not regexp_full_match(coalesce(customer_token, ''), '^tk_[0-9a-f]{{32}}$')
                    or not regexp_full_match(coalesce(mobile_token, ''), '^tk_[0-9a-f]{{32}}$')
                    or not regexp_full_match(coalesce(mobile_masked, ''), '^[0-9]{{3}}[*]+[0-9]{{4}}$')
                    or regexp_matches(
                        concat_ws('|', campaign, channel, reason, mobile_masked), '[0-9]{{17}}[0-9Xx]')
                    or regexp_matches(
                        concat_ws('|', campaign, channel, reason, mobile_masked),
                        '(^|[^0-9])1[3-9][0-9]{{9}}($|[^0-9])')
                )
            order by customer_id, campaign
        """,
    ),
)


def check_specs(asset_key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(name=audit.name, asset=asset_key, description=audit.description, blocking=True)
        for audit in AUDITS
    ]


def run_audits(
    conn: duckdb.DuckDBPyConnection, asset_key: dg.AssetKey, list_name: str, list_day
) -> list[dg.AssetCheckResult]:
    """Every audit over the staged rows (`staged_list` must exist in this session), as check results."""
    results = []
    for audit in AUDITS:
        values = {"list_name": list_name, "list_day": list_day}
        cursor = conn.execute(audit.sql, [values[name] for name in audit.parameters])
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        results.append(dg.AssetCheckResult(
            asset_key=asset_key,
            check_name=audit.name,
            passed=not rows,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "violations": len(rows),
                "first_violations": dg.MetadataValue.json(
                    [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows[:SAMPLE_ROWS]]
                ),
            },
        ))
    return results


def _plain(value):
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)
