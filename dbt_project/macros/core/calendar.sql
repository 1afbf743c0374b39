{#-
    One row per day from start_date to end_date (inclusive), both column expressions of the relation the call
    selects from: `select {{ days_between('first_day', 'last_day') }} as date_day from bounds`.
    A set-returning expression, so it is engine-specific; dbt.date_spine would need its bounds at compile time.
-#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'risk_lakehouse')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    cast(unnest(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day)) as date)
{%- endmacro %}

{#- ISO day of the week: 1 = Monday ... 7 = Sunday. -#}
{% macro iso_day_of_week(date) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'risk_lakehouse')(date)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date) -%}
    extract(isodow from {{ date }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date) -%}
    extract(dayofweek_iso from {{ date }})
{%- endmacro %}
