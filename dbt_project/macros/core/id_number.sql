{#-
    Facts encoded in an 18-character resident ID number (GB 11643): area code (1-6), birth date (7-14),
    sequence (15-17, odd for men, even for women) and a check character (18) over the first 17 digits.
    Each macro returns null when the part it reads is not numeric.
-#}

{% macro id_number_birth_year(column) -%}
    case when length({{ column }}) = 18 then {{ dbt.safe_cast('substr(' ~ column ~ ', 7, 4)', api.Column.translate_type('integer')) }} end
{%- endmacro %}

{% macro id_number_gender(column) -%}
    case
        when length({{ column }}) <> 18 then null
        when {{ dbt.safe_cast('substr(' ~ column ~ ', 17, 1)', api.Column.translate_type('integer')) }} % 2 = 1 then 'male'
        when {{ dbt.safe_cast('substr(' ~ column ~ ', 17, 1)', api.Column.translate_type('integer')) }} % 2 = 0 then 'female'
    end
{%- endmacro %}

{% macro id_number_province_code(column) -%}
    case when length({{ column }}) = 18 then substr({{ column }}, 1, 2) end
{%- endmacro %}

{#- True when the 18th character is the GB 11643 check character of the first 17 digits. -#}
{% macro id_number_has_valid_check_char(column) -%}
    {%- set weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] -%}
    coalesce(
        length({{ column }}) = 18
        and substr('10X98765432', cast((
            {%- for weight in weights %}
            {{ dbt.safe_cast('substr(' ~ column ~ ', ' ~ loop.index ~ ', 1)', api.Column.translate_type('integer')) }} * {{ weight }}{{ ' +' if not loop.last }}
            {%- endfor %}
        ) % 11 as integer) + 1, 1) = substr({{ column }}, 18, 1),
        false
    )
{%- endmacro %}
