"""Can the credit scorecards be trained yet: enough applications whose six-month outcome is observable
(credit_policy.yml training.readiness). The batch warns while they cannot; credit_training waits."""

from __future__ import annotations

import dagster as dg
import duckdb

from ml.readiness import Readiness, assess
from orchestration.defs.credit.policy import load_policy
from orchestration.defs.quality.readiness import readiness_check


def credit_readiness(conn: duckdb.DuckDBPyConnection) -> Readiness:
    policy = load_policy()
    outcomes = conn.execute(
        f"""select application_month as month, is_target_observable as labelled,
                   {policy.training['target']} as positive, target_horizon_on as labelled_on
            from {policy.training['features_table']}""").df()
    return assess(outcomes, policy.readiness)


credit_training_readiness = readiness_check(
    dg.AssetKey(load_policy().training["features_table"].split(".")), load_policy().registered_name, credit_readiness,
    "credit_training trains nothing until it passes, and credit scoring leaves marts.application_scores empty "
    "while there is no champion.")
