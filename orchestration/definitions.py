"""The code location: every domain package under orchestration/defs/, plus resources from the environment."""

import dagster as dg

import orchestration.defs
from orchestration.resources import build_resources

defs = dg.Definitions.merge(
    dg.load_defs(defs_root=orchestration.defs),
    dg.Definitions(resources=build_resources()),
)
