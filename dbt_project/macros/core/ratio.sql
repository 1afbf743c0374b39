{#- A rate: numerator / denominator as a double, null (not 0) when the denominator is 0 or null - "no loans to
    measure" must not read as "a perfect record". -#}
{% macro ratio(numerator, denominator) -%}
    case
        when {{ denominator }} > 0
            then cast({{ numerator }} as {{ api.Column.translate_type('double') }})
                / cast({{ denominator }} as {{ api.Column.translate_type('double') }})
    end
{%- endmacro %}

{#- The same rate capped at 1, still null when there is nothing to measure (least() would turn a null into the cap). -#}
{% macro capped_ratio(numerator, denominator) -%}
    case
        when {{ denominator }} > 0
            then least(
                cast({{ numerator }} as {{ api.Column.translate_type('double') }})
                    / cast({{ denominator }} as {{ api.Column.translate_type('double') }}),
                1.0
            )
    end
{%- endmacro %}
