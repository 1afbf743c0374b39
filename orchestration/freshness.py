"""The T+1 promise, stated once: the batch processes landing day T at 02:00 on day T+1, and the marts built from it
(and their publication) are due by 07:00 that morning. As a Dagster freshness policy on every daily mart, the asset
graph shows at a glance which mart is late - not built since this morning's batch started - and the asset page why."""

from datetime import timedelta

import dagster as dg

BATCH_HOUR = 2  # the daily batch's schedule (orchestration/defs/batch.py)
DUE_HOUR = 7  # before the business day: the risk, collections and marketing staff read the marts from 08:00
BATCH_CRON = f"0 {BATCH_HOUR} * * *"

# Fresh when materialized between the batch's start and the deadline of the same morning (UTC, as the schedules).
T1_FRESHNESS = dg.FreshnessPolicy.cron(deadline_cron=f"0 {DUE_HOUR} * * *",
                                       lower_bound_delta=timedelta(hours=DUE_HOUR - BATCH_HOUR))
