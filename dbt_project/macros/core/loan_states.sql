{#-
    Reading a loan's delinquency on a day from int_loan_states_dated (the loan's state is constant over a period
    [valid_from, valid_to) between two events; only the days past due grow inside it). Pick the period covering day
    d with `{{ is_in_force('d', 'states.valid_from', 'states.valid_to') }}`.

    Days past due of a loan as of day d = the snapshot at the END of day d, after that day's payments and
    cancellations: d - due_on of its oldest instalment still owed (not paid in full and not cancelled by the end of
    d), never below 0. On the data date this is fct_loans.current_dpd.
    Worst days past due up to day d = the greater of that and the days each instalment settled by d was late when it
    was settled (paid_on - due_on, as fct_instalments.days_past_due counts it, so a payment on day due_on + 30
    counts as 30 days past due). On the data date this is fct_loans.max_dpd_to_date; "ever 30+ DPD by day d" is
    this figure >= 30.
-#}

{#- Days past due of the loan at the end of day `as_of` (within the period of `states`). -#}
{% macro loan_dpd_as_of(states, as_of) -%}
    coalesce(greatest({{ dbt.datediff(states ~ '.oldest_open_due_on', as_of, 'day') }}, 0), 0)
{%- endmacro %}

{#- Worst days past due the loan has reached up to and including day `as_of`. -#}
{% macro loan_max_dpd_to(states, as_of) -%}
    greatest({{ states }}.max_settled_dpd, {{ loan_dpd_as_of(states, as_of) }})
{%- endmacro %}
