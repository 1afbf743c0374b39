"""Active marketing control: the published marketing lists (audited by blocking checks before they are written),
their export files for the SMS gateway and the call centre, and the sensor that rebuilds them when life-cycle
events land. The tag system and the staged candidates are dbt models (dbt_project/models/marts/marketing)."""
