{#-
    Generic tests of the risk marts (dbt_utils is not installed).
-#}

{#- Model test: no two rows share the values of `combination_of_columns` (a composite primary key). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as duplicate_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- Column test: within each group of `group_by` columns the column sums to 1 (shares of a whole); groups whose
    values are all null are skipped. -#}
{% test sums_to_one_within(model, column_name, group_by, tolerance=0.000001) %}
select
    {{ group_by | join(', ') }},
    sum({{ column_name }}) as total
from {{ model }}
group by {{ group_by | join(', ') }}
having count({{ column_name }}) > 0 and abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endtest %}

{#-
    Model test: an aggregate of the model equals an aggregate of another model (a reconciliation with the core
    facts), overall or per group. `group_by` and `compare_group_by` are lists of expressions of equal length, matched
    in order; `model_where` and `compare_where` narrow the two models (unlike the standard `config: where:`, they
    may use ref()). `join` says whose groups must exist on the other side: full (both), left (every group of
    the model), right (every group of the compared model). A missing group counts as 0.
-#}
{% test matches_total_of(model, expression, compare_model, compare_expression, group_by=[], compare_group_by=none,
                         model_where='1 = 1', compare_where='1 = 1', join='full', tolerance=0.005) %}
{%- set compare_group_by = compare_group_by if compare_group_by is not none else group_by -%}
with

model_totals as (

    select
        {%- for expression_ in group_by %}
        {{ expression_ }} as group_{{ loop.index }},
        {%- endfor %}
        {{ expression }} as total
    from {{ model }}
    where {{ model_where }}
    {%- if group_by %}
    group by {% for expression_ in group_by %}{{ expression_ }}{{ ', ' if not loop.last }}{% endfor %}
    {%- endif %}

),

compare_totals as (

    select
        {%- for expression_ in compare_group_by %}
        {{ expression_ }} as group_{{ loop.index }},
        {%- endfor %}
        {{ compare_expression }} as total
    from {{ compare_model }}
    where {{ compare_where }}
    {%- if compare_group_by %}
    group by {% for expression_ in compare_group_by %}{{ expression_ }}{{ ', ' if not loop.last }}{% endfor %}
    {%- endif %}

)

select
    {%- for expression_ in group_by %}
    coalesce(model_totals.group_{{ loop.index }}, compare_totals.group_{{ loop.index }}) as group_{{ loop.index }},
    {%- endfor %}
    model_totals.total as model_total,
    compare_totals.total as compare_total
from model_totals
{{ join }} outer join compare_totals
    on {% for expression_ in group_by %}model_totals.group_{{ loop.index }} = compare_totals.group_{{ loop.index }}{{ ' and ' if not loop.last }}{% else %}true{% endfor %}
where abs(coalesce(model_totals.total, 0) - coalesce(compare_totals.total, 0)) > {{ tolerance }}
{% endtest %}
