{#-
    Generic test: every row satisfies a boolean SQL expression (an arithmetic invariant such as
    `paid_amount <= total_due`); a null result fails. Narrow the rows checked with the standard `config: where:`.
    Model- or column-level (the column is only a place to hang it; the expression names what it checks).
-#}
{% test row_expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}
