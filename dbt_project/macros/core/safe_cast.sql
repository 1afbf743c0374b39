{#-
    dbt.safe_cast on DuckDB: dbt-duckdb 1.11 falls back to dbt's default, a plain cast that fails on bad input.
    DuckDB's try_cast returns null instead, which is what "safe" promises (Spark: cast returns null already when
    ANSI mode is off). A root-project implementation takes precedence for dbt's own dispatched macros.
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
