"""Trigger-based marketing: rebuild the lists when new life-cycle events have landed in the warehouse."""

from dataclasses import dataclass
from datetime import datetime

import dagster as dg

from orchestration.defs.marketing.assets import CANDIDATES
from orchestration.defs.marketing.jobs import marketing_lists_job
from orchestration.resources import LakehouseResource

# The conformed facts the life-cycle triggers read; their _loaded_at (the load time of the newest source row behind
# a row) moves when a batch has built new events into them: instalments paid (repayments), cancelled by a loan return
# or a course withdrawal, scheduled for a new loan; applications.
EVENTS_LOADED_AT_SQL = """
    select max(loaded_at) from (
        select max(_loaded_at) as loaded_at from marts.fct_instalments
        union all select max(_loaded_at) from marts.fct_applications
    )
"""
UNSCORED_APPLICATIONS_SQL = """
    select count(*) from marts.fct_applications as applications
    where not exists (
        select 1 from marts.application_scores as scores where scores.application_id = applications.application_id)
"""


# The facts the events come from, and the staged candidates every list is cut from (Dagster asset keys).
EVENT_FACTS = (dg.AssetKey(["marts", "fct_instalments"]), dg.AssetKey(["marts", "fct_applications"]))


def _built_after(instance: dg.DagsterInstance, key: dg.AssetKey, inputs: tuple[dg.AssetKey, ...]) -> bool:
    """Whether `key` was last materialized after every one of `inputs` was (Dagster's own clock on both sides)."""
    built = instance.get_latest_materialization_event(key)
    if built is None:
        return False
    return all((event := instance.get_latest_materialization_event(i)) is None or event.timestamp <= built.timestamp
               for i in inputs)


@dataclass(frozen=True)
class TriggerDecision:
    run: bool
    cursor: str | None
    reason: str


def decide_trigger_run(
    cursor: str | None, events_loaded_at: datetime | None, unscored_applications: int | None,
    lists_built_since: bool = False,
) -> TriggerDecision:
    """Run the lists when life-cycle events newer than the cursor are in the warehouse - but only once credit
    scoring has scored every application (the tags read the scores; None: no scores table, nothing to wait for),
    and not when the lists were built after the facts that hold the events (the daily path builds them in its own
    run: the cursor moves on without a second run). The cursor moves only when a run is requested or the lists are
    current, so a trigger held back for scoring fires on a later tick."""
    if events_loaded_at is None:
        return TriggerDecision(False, cursor, "no life-cycle events in the warehouse yet")
    latest = events_loaded_at.isoformat()
    if cursor is not None and latest <= cursor:
        return TriggerDecision(False, cursor, f"no life-cycle events loaded after {cursor}")
    if lists_built_since:
        return TriggerDecision(False, latest, f"the lists were built after the life-cycle events up to {latest}")
    if unscored_applications:
        return TriggerDecision(False, cursor, f"waiting for credit scoring: {unscored_applications} applications "
                                              "not scored yet")
    return TriggerDecision(True, latest, f"life-cycle events loaded up to {latest}")


@dg.sensor(
    name="marketing_trigger_sensor",
    job=marketing_lists_job,
    minimum_interval_seconds=300,
    description="Trigger-based marketing: when a batch has built new life-cycle events into the facts (loans paid "
                "off, instalments paid, course withdrawals, purchases - their latest _loaded_at is the cursor) and "
                "credit scoring has caught up, run marketing_lists to rebuild the tags and publish the lists.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def marketing_trigger_sensor(context: dg.SensorEvaluationContext, lakehouse: LakehouseResource):
    try:
        with lakehouse.connect(read_only=True) as conn:
            events_loaded_at = conn.execute(EVENTS_LOADED_AT_SQL).fetchone()[0]
            try:
                unscored = conn.execute(UNSCORED_APPLICATIONS_SQL).fetchone()[0]
            except Exception:  # no scores table yet: nothing to wait for
                unscored = None
    except Exception as exc:  # no lake or no facts yet
        return dg.SkipReason(f"no life-cycle facts to read yet ({type(exc).__name__})")
    decision = decide_trigger_run(context.cursor, events_loaded_at, unscored,
                                  _built_after(context.instance, CANDIDATES, EVENT_FACTS))
    if not decision.run:
        if decision.cursor != context.cursor:
            context.update_cursor(decision.cursor)
        return dg.SkipReason(decision.reason)
    context.update_cursor(decision.cursor)
    return dg.RunRequest(run_key=f"marketing-lists-{decision.cursor}", tags={"trigger": decision.reason})
