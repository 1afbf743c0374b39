{#-
    Generic test, model- or column-level: an aggregate of the model equals an aggregate of another model - the one
    way to reconcile a mart with the core facts (or with another mart), overall or per group.

    expression          aggregate over the model; defaults to sum(<column>) when the test hangs on a column
    compare_model       the other model, e.g. ref('fct_loans')
    compare_expression  aggregate over it - sum(principal), count(*) ...
    group_by / compare_group_by
                        lists of expressions of equal length, matched in order (compare_group_by defaults to
                        group_by); empty for one overall total
    model_where / compare_where
                        narrow the two sides; unlike the standard `config: where:` (which also narrows the model)
                        they may use ref()
    join                whose groups must exist on the other side: full (both), left (every group of the model),
                        right (every group of the compared model); a missing group counts as 0
    tolerance           largest absolute difference accepted; 0 by default (amounts in fen and counts agree exactly)
-#}
{% test matches_total_of(model, compare_model, compare_expression, column_name=none, expression=none, group_by=[],
                         compare_group_by=none, model_where='1 = 1', compare_where='1 = 1', join='full',
                         tolerance=0) %}
{%- set expression = expression if expression is not none else 'sum(' ~ column_name ~ ')' -%}
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
