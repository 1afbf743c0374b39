"""Can the fraud detector be trained yet: enough applications whose fraud label is mature, some of them fraud
(fraud_policy.yml training.readiness). The batch warns while it cannot; fraud_training waits, and fraud scoring
applies the rules alone."""

from __future__ import annotations

import dagster as dg
import duckdb

from ml.readiness import Readiness, assess
from orchestration.defs.fraud.policy import load_policy
from orchestration.defs.quality.readiness import readiness_check

LABELS = dg.AssetKey(["marts", "fraud_labels"])


def fraud_readiness(conn: duckdb.DuckDBPyConnection) -> Readiness:
    policy = load_policy()
    outcomes = conn.execute(
        f"""select f.application_month as month, l.is_label_mature as labelled, l.is_confirmed_fraud as positive,
                   l.label_mature_on as labelled_on
            from marts.fraud_labels l join {policy.features_table} f using (application_id)""").df()
    return assess(outcomes, policy.readiness)


fraud_training_readiness = readiness_check(
    LABELS, load_policy().registered_name, fraud_readiness,
    "fraud_training trains nothing until it passes, and fraud scoring applies the rules alone while there is no "
    "champion.")
