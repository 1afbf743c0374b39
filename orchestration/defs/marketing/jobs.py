"""The marketing lists job: the marketing dbt models (tags, restrictions, staged candidates), then each list audited
and published, then its export file. Run after credit scoring (the tags read the scores) - by the trigger sensor
when life-cycle events land, and by `make run`."""

import dagster as dg

from orchestration.defs.serving import PUBLISHED_MARTS_KEY

marketing_lists_job = dg.define_asset_job(
    "marketing_lists",
    selection=dg.AssetSelection.groups("marketing") | dg.AssetSelection.assets(PUBLISHED_MARTS_KEY),
    description="Rebuild the customer tags, restrictions and campaign candidates (dbt), publish each marketing list "
                "that passes its blocking audits, write its export file for the day, and publish the marts to the "
                "serving lake.",
    executor_def=dg.in_process_executor,
)
