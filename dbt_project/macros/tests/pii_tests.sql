{#-
    Generic model test: no text column holds something that looks like a raw resident ID number (17 digits and a
    check character) or a mainland mobile number (11 digits starting 13-19). Identifier, token and key columns
    (names ending in one of `exclude_suffixes`) are skipped: random hex there can look like digits by chance.
-#}
{% test no_raw_id_or_mobile_numbers(model, exclude_suffixes=['_id', '_token', '_key']) %}
    {%- set checked = [] -%}
    {#- the columns of the table itself: on the daily path `model` is the subquery of the rows the run wrote -#}
    {%- for column in adapter.get_columns_in_relation(tested_relation() or model) -%}
        {%- set name = column.name | lower -%}
        {%- set excluded = [] -%}
        {%- for suffix in exclude_suffixes if name.endswith(suffix) -%}{%- do excluded.append(suffix) -%}{%- endfor -%}
        {%- if not excluded and ('char' in column.data_type | lower or 'text' in column.data_type | lower or 'string' in column.data_type | lower) -%}
            {%- do checked.append(column.quoted) -%}
        {%- endif -%}
    {%- endfor %}
select *
from {{ model }}
where
    {%- for column in checked %}
    {{ regexp_contains(column, '[0-9]{17}[0-9Xx]') }}
    or {{ regexp_contains(column, '(^|[^0-9])1[3-9][0-9]{9}($|[^0-9])') }}
    {%- if not loop.last %} or{% endif %}
    {%- else %}
    false
    {%- endfor %}
{% endtest %}

{#- Generic column test: every non-null value is a PII token, `tk_` followed by 32 lower-case hex digits. -#}
{% test is_pii_token(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not {{ regexp_contains(column_name, '^tk_[0-9a-f]{32}$') }}
{% endtest %}
