{#-
    How the incremental models process only what the new data can change (README, "The daily path").

    Keyed models (the facts) rewrite the keys whose source rows were loaded after their watermark: the latest
    `_loaded_at` already in the model (loaded_at_watermark). Dated models (one row per day, or per merchant and
    day, ...) replace a window of days instead: from the earliest day a newly loaded row can change, to the data date
    (affected_days_start). Both read the lake's own state, never a fixed lookback: a return lands days after it was
    requested, a blacklist entry long after it was listed, and a corrected file is loaded again with its old dates.

    A model is rebuilt in full, whatever it would do incrementally, when
      - dbt runs with --full-refresh, or the model's config says full_refresh;
      - the orchestrator names it in LAKEHOUSE_FULL_REFRESH_MODELS (`*`: every model): its code, a macro it uses, a
        seed or a model upstream of it changed since its last build, or a source upstream of it lost rows (a
        corrected re-delivery) - orchestration/incremental.py decides, from the manifest and the lake's snapshots.
-#}

{#- dbt's own should_full_refresh(), plus the orchestrator's list. Read at run time only (is_incremental() does not
    call it while parsing), so a new list never makes dbt parse the project again. -#}
{% macro should_full_refresh() %}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is not none -%}{{ return(configured) }}{%- endif -%}
    {%- if flags.FULL_REFRESH -%}{{ return(true) }}{%- endif -%}
    {%- set listed = env_var('LAKEHOUSE_FULL_REFRESH_MODELS', '').split() -%}
    {{ return('*' in listed or model.name in listed) }}
{% endmacro %}

{#-
    The incremental watermark: the latest `_loaded_at` (load time of the newest source row behind a row) already in
    the target. A run processes the source rows loaded after it; an empty target takes everything.
-#}
{% macro loaded_at_watermark(column='_loaded_at') -%}
    (select coalesce(max({{ column }}), cast('1900-01-01 00:00:00' as timestamp)) from {{ this }})
{%- endmacro %}

{#- When the newest landed file was loaded: the `_loaded_at` of a dated model's rows, which says what they were
    computed from ("every file loaded up to then") and is the watermark of its next run. The ingestion manifest is
    the loader's (orchestration/defs/ingestion/loader.py, MANIFEST_TABLE); every raw row carries its file's load
    time. -#}
{% macro lake_loaded_at() -%}
    (select max(loaded_at) from {{ ingestion_manifest() }})
{%- endmacro %}

{% macro ingestion_manifest() -%}{{ target.database }}.raw._ingested_files{%- endmacro %}

{#-
    affected_days_start(inputs, day_column, also): the first day a dated model must rebuild in this run.

    inputs: {'<source>.<table>' or '<model>': SQL date positioning one of its rows (alias `new_rows`) among this
    model's days, or none}
    - a date: a row of that input loaded after this model's watermark changes this model from that day on;
    - none: the input changes only with the data date (a calendar, the data date itself), i.e. only days after the
      ones already built.
    also: SQL scalar subqueries giving further days the model itself knows must be rebuilt (or null).
    built_through: the column holding the last day a row covers (default day_column; a row of a period is built
    through the period's end).
    The start is the earliest of those days and the day after the last one built. Every source upstream of the
    model must be reached through a listed input (the check below fails the compile otherwise): a missing one would
    leave the days its late rows change unrebuilt. Seeds need no entry - a changed seed rebuilds the model in full.
-#}
{% macro affected_days_start(inputs, day_column='date_day', also=[], built_through=none) -%}
    {%- do _check_affected_inputs(inputs) -%}
    coalesce(least(
        (select max({{ built_through or day_column }}) + 1 from {{ this }})
        {%- for name, day in inputs.items() if day is not none %},
        (select min(cast({{ day }} as date)) from {{ _input_relation(name) }} as new_rows
         where new_rows._loaded_at > {{ loaded_at_watermark() }})
        {%- endfor %}
        {%- for day in also %},
        ({{ day }})
        {%- endfor %}
    ), cast('1900-01-01' as date))
{%- endmacro %}

{% macro _input_relation(name) -%}
    {%- if '.' in name -%}{{ source(name.split('.')[0], name.split('.')[1]) }}{%- else -%}{{ ref(name) }}{%- endif -%}
{%- endmacro %}

{#- Walk up from this model, stopping at listed inputs; any source reached is an input nobody dated. -#}
{% macro _check_affected_inputs(inputs) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set listed = [] -%}
    {%- for name in inputs -%}
        {%- do listed.append(name if '.' in name else 'model:' ~ name) -%}
    {%- endfor -%}
    {%- set queue = graph.nodes[model.unique_id].depends_on.nodes | list -%}
    {%- set seen = [] -%}
    {%- set missing = [] -%}
    {%- for unique_id in queue if unique_id not in seen -%}
        {%- do seen.append(unique_id) -%}
        {%- if unique_id.startswith('source.') -%}
            {%- set node = graph.sources[unique_id] -%}
            {%- if node.source_name ~ '.' ~ node.name not in listed -%}{%- do missing.append(node.source_name ~ '.' ~ node.name) -%}{%- endif -%}
        {%- elif unique_id.startswith('model.') -%}
            {%- set node = graph.nodes[unique_id] -%}
            {%- if 'model:' ~ node.name not in listed -%}
                {%- for parent in node.depends_on.nodes -%}{%- do queue.append(parent) -%}{%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- do exceptions.raise_compiler_error(
            model.name ~ ": affected_days_start() is not told which day these upstream sources' rows change: "
            ~ (missing | unique | sort | join(', ')) ~ " - name each (or a model between) with its date, or none") -%}
    {%- endif -%}
{% endmacro %}

{#- Pre-hook of a dated model:
        pre_hook="{{ replace_affected_days('date_day', my_model_affected_by()) }}"
    with `day_column` holding the day (or period) of each row
    deletes the days it rebuilds (append strategy: the insert follows in the same transaction), after noting the
    first of them in a temporary table the model's own SQL reads (affected_from()). The inputs are rendered on every
    parse too, so that dbt knows them as the model's dependencies. -#}
{% macro replace_affected_days(day_column, inputs, also=[], period_start=none, built_through=none) -%}
    {#- For a model whose rows are periods: period_start turns the first changed day `{day}` into the first row to
        rebuild (the month end before it, for month-to-month transitions), built_through names the column with the
        period's last day. -#}
    {%- set start = affected_days_start(inputs, day_column, also, built_through) -%}
    {%- if period_start -%}{%- set start = period_start | replace('{day}', start) -%}{%- endif -%}
    {%- if is_incremental() -%}
        create or replace temp table {{ _affected_table() }} as select {{ start }} as day;
        delete from {{ this }} where {{ day_column }} >= (select day from {{ _affected_table() }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- The first day this run rebuilds (1900-01-01 on a full build). -#}
{% macro affected_from() -%}
    {%- if is_incremental() -%}(select day from {{ _affected_table() }}){%- else -%}cast('1900-01-01' as date){%- endif -%}
{%- endmacro %}

{% macro _affected_table() -%}_affected_days_{{ this.identifier }}{%- endmacro %}
