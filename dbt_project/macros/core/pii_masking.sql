{#-
    Display forms of personal data: the only readable trace of an ID number or mobile outside raw/staging.
    They mirror orchestration/pii.py (mask_id_number, mask_mobile): keep the first three and last four characters,
    star the middle. Joins use the keyed token pii_token(), never these.
-#}

{#- 110101199001011234 -> 110***********1234 (the ID is normalised like the token: trimmed, upper-cased) -#}
{% macro mask_id_number(column) -%}
    {{ _mask_middle('upper(trim(' ~ column ~ '))') }}
{%- endmacro %}

{#- 13812345678 -> 138****5678 -#}
{% macro mask_mobile(column) -%}
    {{ _mask_middle('trim(' ~ column ~ ')') }}
{%- endmacro %}

{% macro _mask_middle(value) -%}
    case
        when {{ value }} is null or {{ value }} = '' then null
        when length({{ value }}) > 7
            then substr({{ value }}, 1, 3) || repeat('*', length({{ value }}) - 7) || {{ dbt.right(value, 4) }}
        else repeat('*', length({{ value }}))
    end
{%- endmacro %}
