{#-
    A select over a table another asset writes (declared as a dbt source for lineage) that may not exist yet - the
    credit scores before the first scoring run, the fraud scores before the fraud model ships. When the table is
    missing, or lacks one of the columns, it yields no rows of the same shape, so the models that read it still
    build (they treat "no score" as a value of its own).

    columns: list of [name, data type] pairs to select.
-#}
{% macro optional_source(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set found = none -%}
    {%- if execute -%}
        {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema,
                                                identifier=relation.identifier) -%}
        {%- if existing is not none -%}
            {%- set present = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
            {%- set missing = [] -%}
            {%- for name, _ in columns if name | lower not in present -%}{%- do missing.append(name) -%}{%- endfor -%}
            {%- if missing -%}
                {%- do log(relation ~ ' lacks ' ~ missing | join(', ') ~ ': read as empty', info=true) -%}
            {%- else -%}
                {%- set found = existing -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if found is not none %}
    select
        {%- for name, data_type in columns %}
        cast({{ name }} as {{ data_type }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- else %}
    select
        {%- for name, data_type in columns %}
        cast(null as {{ data_type }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- endif %}
{%- endmacro %}
