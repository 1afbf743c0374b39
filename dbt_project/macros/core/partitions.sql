{#-
    Models tagged `daily_partitioned` are built one partition (or a range of days) at a time by a partitioned
    Dagster asset, which passes the window in the environment variables LAKEHOUSE_PARTITION_DAY_FROM / _TO
    (inclusive ISO dates; orchestration/partitions.py) - not as vars, whose change makes dbt parse the whole project
    again. By hand, `--vars '{partition_day_from: ..., partition_day_to: ...}'` still works. Without either (a plain
    `dbt build`) the window is every day.

    partition_window_condition(column): the rows of the window.
    replace_partition_window(column): pre-hook deleting the window's rows from the existing table, so that the
    insert which follows (append strategy, same transaction) replaces them - re-running a day gives the same rows,
    never duplicates.
-#}
{% macro partition_day_from() -%}
    cast('{{ env_var("LAKEHOUSE_PARTITION_DAY_FROM", var("partition_day_from", "1900-01-01")) }}' as date)
{%- endmacro %}

{% macro partition_day_to() -%}
    cast('{{ env_var("LAKEHOUSE_PARTITION_DAY_TO", var("partition_day_to", "2999-12-31")) }}' as date)
{%- endmacro %}

{% macro partition_window_condition(column) -%}
    {{ column }} between {{ partition_day_from() }} and {{ partition_day_to() }}
{%- endmacro %}

{% macro replace_partition_window(column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ partition_window_condition(column) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
