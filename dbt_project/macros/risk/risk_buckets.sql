{#-
    The risk marts' view of a period of int_loan_states_dated (alias `states`): which bucket the loan is in and the
    principal it carries there. Their business choice: a written-off loan sits in a bucket of its own, written_off,
    for good, at the principal it was written off with (a stock of charge-offs - what it recovers later does not
    lower it); a loan that owes nothing is closed.
-#}

{#- Risk bucket of the loan at the end of day `as_of`: written_off and closed states, else dpd_bucket(). -#}
{% macro loan_risk_bucket_as_of(states, as_of) -%}
    case {{ states }}.loan_state
        when 'written_off' then 'written_off'
        when 'closed' then 'closed'
        else {{ dpd_bucket(loan_dpd_as_of(states, as_of)) }}
    end
{%- endmacro %}

{#- Principal the loan carries in its risk bucket: outstanding while open, the principal written off once written
    off, 0 when closed. -#}
{% macro loan_risk_principal(states) -%}
    case
        when {{ states }}.loan_state = 'written_off' then {{ states }}.written_off_principal
        else {{ states }}.outstanding_principal
    end
{%- endmacro %}

{#- For a dated risk mart (one row per day and scenario): a scenario the book has and the mart not yet makes its every
    day new (a full build holds every scenario from the first day) - the first day then, else null. -#}
{% macro scenario_added_to_the_book() -%}
    select case when exists (
        select scenario from {{ ref('int_loan_states_dated') }}
        except
        select scenario from {{ this }}
    ) then cast('1900-01-01' as date) end
{%- endmacro %}

{#- The last month end strictly before `day` (a SQL date). -#}
{% macro month_end_before(day) -%}
    cast({{ dbt.dateadd('day', -1, dbt.date_trunc('month', day)) }} as date)
{%- endmacro %}
