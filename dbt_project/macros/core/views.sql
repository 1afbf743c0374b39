{#-
    dbt's view materialization, except for a view the orchestrator names in LAKEHOUSE_UNCHANGED_VIEWS: its code and
    the code above it are what they were when it was created, and it is still there (orchestration/incremental.py) -
    so it is left as it is instead of being created again (a view returns what its inputs hold by itself). The node
    still runs, and so do its tests. dbt's default drops, creates and renames: ~0.12 s and a lake commit for each of the
    25 staging views on every daily build. Read at run time only, like LAKEHOUSE_FULL_REFRESH_MODELS.
-#}
{% materialization view, adapter='duckdb' %}
    {%- set unchanged = env_var('LAKEHOUSE_UNCHANGED_VIEWS', '').split() -%}
    {%- if model.name in unchanged and not should_full_refresh() -%}
        {%- set existing = load_cached_relation(this) -%}
        {%- if existing is not none and existing.is_view -%}
            {%- call statement('main') -%}select 'unchanged: {{ this }}' as view_left_as_it_is{%- endcall -%}
            {{ adapter.commit() }}
            {{ return({'relations': [this.incorporate(type='view')]}) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(materialization_view_default()) }}
{% endmaterialization %}
