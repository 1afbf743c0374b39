{#- True when `expression` contains a match of the regular expression `pattern` (false for null). -#}
{% macro regexp_contains(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains', 'risk_lakehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_contains(expression, pattern) -%}
    coalesce(regexp_matches({{ expression }}, '{{ pattern }}'), false)
{%- endmacro %}

{% macro spark__regexp_contains(expression, pattern) -%}
    coalesce({{ expression }} rlike '{{ pattern }}', false)
{%- endmacro %}
