{#-
    Data tests on the daily path check what the run wrote, not the whole history (README, "The daily path"): when
    the orchestrator sets LAKEHOUSE_CHECK_SINCE_SNAPSHOT (the lake's snapshot before the run began), a test of
    - a table (a mart, a seed, a raw source) reads the rows written after that snapshot: every DuckLake row carries
      the snapshot that inserted it (the virtual column `snapshot_id`), so the filter prunes whole files;
    - a staging view reads the rows loaded after it (their `_loaded_at` against the ingestion manifest as of the
      snapshot - views have no snapshot of their own).
    Only tests that judge each row (or key) on its own are scoped (row_tests below); a relationships test still looks its
    parents up in the whole parent table, and the reconciliations (matches_total_of: a mart's total against the core
    facts', sums_to_one_within: shares of a whole) read everything. Without the variable (the first build, the weekly
    full check, a hand-run dbt) every test reads everything.

    dbt's own get_where_subquery(), which applies a test's `where` config, with the scope added.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}{%- do conditions.append('(' ~ where ~ ')') -%}{%- endif -%}
    {#- read at run time only: parsing never sees the variable, so a new snapshot never makes dbt parse again -#}
    {%- set since = env_var('LAKEHOUSE_CHECK_SINCE_SNAPSHOT', '') if execute else '' -%}
    {%- if since -%}
        {%- set scope = _written_since(since) -%}
        {%- if scope -%}{%- do conditions.append(scope) -%}{%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ (conditions | join(' and ')) ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The condition selecting the rows of the tested relation written after snapshot `since` (empty: no scope). -#}
{% macro _written_since(since) -%}
    {%- set row_tests = ['not_null', 'unique', 'accepted_values', 'relationships', 'row_expression_is_true', 'is_rate',
                         'is_pii_token', 'no_raw_id_or_mobile_numbers', 'unique_combination_of_columns',
                         'excludes_values_of'] -%}
    {%- set test = graph.nodes.get(model.unique_id) or {} -%}
    {%- if (test.get('test_metadata') or {}).get('name') not in row_tests -%}{{ return('') }}{%- endif -%}
    {%- set tested = test.get('attached_node') or ((test.get('depends_on') or {}).get('nodes') or [none])[0] -%}
    {%- if tested is none -%}{{ return('') }}{%- endif -%}
    {%- if tested.startswith('source.') -%}
        {{ return('snapshot_id > ' ~ (since | int)) }}
    {%- endif -%}
    {%- set node = graph.nodes.get(tested) -%}
    {%- if node is none -%}{{ return('') }}{%- endif -%}
    {%- set materialized = node.config.materialized -%}
    {%- if materialized in ('table', 'incremental', 'seed') -%}
        {{ return('snapshot_id > ' ~ (since | int)) }}
    {%- elif materialized == 'view' and node.schema == 'staging' -%}
        {#- every staging view carries its raw rows' lineage columns -#}
        {{ return('_loaded_at > (select coalesce(max(loaded_at), cast(\'1900-01-01\' as timestamp)) from '
                  ~ ingestion_manifest() ~ ' at (version => ' ~ (since | int) ~ '))') }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The relation a generic test hangs on, whatever get_where_subquery made of its `model` argument (a test that
    asks for the columns needs the table, not a subquery); none outside a test. -#}
{% macro tested_relation() -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set test = graph.nodes.get(model.unique_id) or {} -%}
    {%- set node = graph.nodes.get(test.get('attached_node') or '') -%}
    {%- if node is none -%}{{ return(none) }}{%- endif -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}
