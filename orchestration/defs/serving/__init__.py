"""The serving lakehouse business staff query (see orchestration/serving.py)."""

import dagster as dg

# Jobs that change marts end with this asset; they refer to it by key so no domain imports the serving package.
PUBLISHED_MARTS_KEY = dg.AssetKey(["serving", "published_marts"])
