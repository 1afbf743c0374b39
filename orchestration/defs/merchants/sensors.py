"""Re-evaluate a merchant at once when complaints or "not received" call-backs about it pile up."""

import dagster as dg

from orchestration.defs.merchants.jobs import merchant_reevaluation_job
from orchestration.defs.merchants.policy import MerchantActivity, load_policy, merchants_to_reevaluate
from orchestration.resources import LakehouseResource

# Merchants with complaints or "not received" call-backs loaded after the cursor, each with its counts over the
# window ending on the newest such event's day.
NEW_ACTIVITY_SQL = """
with complaints as (
    select merchant_id, cast(received_at as date) as event_on, _loaded_at
    from staging.stg_operations__complaints
),
not_received as (
    select merchant_id, cast(called_at as date) as event_on, _loaded_at
    from staging.stg_operations__callbacks
    where result = 'not_received'
),
touched as (
    select merchant_id, max(event_on) as evaluated_on
    from (select * from complaints union all select * from not_received)
    where _loaded_at > cast($cursor as timestamp) and merchant_id is not null
    group by merchant_id
)
select
    touched.merchant_id,
    touched.evaluated_on,
    (select count(*) from complaints
     where complaints.merchant_id = touched.merchant_id
       and complaints.event_on between touched.evaluated_on - ($window_days - 1) and touched.evaluated_on)
        as complaints,
    (select count(*) from not_received
     where not_received.merchant_id = touched.merchant_id
       and not_received.event_on between touched.evaluated_on - ($window_days - 1) and touched.evaluated_on)
        as not_received
from touched
order by touched.merchant_id
"""

NEWEST_LOAD_SQL = """
select max(_loaded_at) from (
    select _loaded_at from staging.stg_operations__complaints
    union all
    select _loaded_at from staging.stg_operations__callbacks
)
"""


def read_new_activity(conn, cursor: str, window_days: int) -> list[MerchantActivity]:
    rows = conn.execute(NEW_ACTIVITY_SQL, {"cursor": cursor, "window_days": window_days}).fetchall()
    return [MerchantActivity(m, day, int(c), int(n)) for m, day, c, n in rows]


def newest_load(conn) -> str | None:
    newest = conn.execute(NEWEST_LOAD_SQL).fetchone()[0]
    return newest.isoformat() if newest is not None else None


@dg.sensor(
    name="merchant_reevaluation_sensor",
    job=merchant_reevaluation_job,
    minimum_interval_seconds=load_policy().minimum_interval_seconds,
    description="Reads the complaints and AI call-backs loaded since its cursor; when a merchant's complaints or "
                '"not received" call-backs in the last window_days reach the thresholds of '
                "orchestration/defs/merchants/reevaluation.yml, re-grades merchants and re-raises warnings at once "
                "(one run per merchant and day, the merchant in the run's tags). On its first tick it only starts "
                "watching from the newest load.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def merchant_reevaluation_sensor(context: dg.SensorEvaluationContext, lakehouse: LakehouseResource):
    policy = load_policy()
    try:
        with lakehouse.connect(read_only=True) as conn:
            newest = newest_load(conn)
            activity = read_new_activity(conn, context.cursor, policy.window_days) if context.cursor else []
    except Exception as exc:  # no lake or no operations staging yet
        return dg.SkipReason(f"no complaints or call-backs to read yet ({type(exc).__name__})")
    if newest is None:
        return dg.SkipReason("no complaints or call-backs loaded yet")
    if context.cursor is None:
        context.update_cursor(newest)
        return dg.SkipReason(f"watching complaints and call-backs loaded after {newest}")
    decisions = merchants_to_reevaluate(activity, policy)
    context.update_cursor(max(newest, context.cursor))
    if not decisions:
        return dg.SkipReason(f"{len(activity)} merchants with new complaints or call-backs, none above threshold")
    return [dg.RunRequest(run_key=d.run_key, tags=d.tags) for d in decisions]
