"""The code location: every domain package under orchestration/defs/, plus resources from the environment."""

import dagster as dg

import orchestration.defs
from orchestration.config import Settings
from orchestration.resources import build_resources


def definitions(settings: Settings | None = None) -> dg.Definitions:
    """Every domain's definitions with resources for these settings (the environment's when None) - the code
    location below, and a test's own lake."""
    return dg.Definitions.merge(
        dg.load_defs(defs_root=orchestration.defs),
        dg.Definitions(resources=build_resources(settings)),
    )


defs = definitions()
