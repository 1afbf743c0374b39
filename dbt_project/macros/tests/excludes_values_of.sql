{#-
    Generic column test: no value of the column appears in `compare_column` of `compare_model` - the opposite of
    relationships (e.g. no list candidate selected is a restricted customer). Narrow the model's rows with the
    standard `config: where:` and the compared rows with `compare_where`.
-#}
{% test excludes_values_of(model, column_name, compare_model, compare_column, compare_where='1 = 1') %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} in (
    select {{ compare_column }}
    from {{ compare_model }}
    where {{ compare_where }}
)
{% endtest %}
