{#- Days-past-due bucket, as the risk team counts it: current (0), M1 (1-30), M2 (31-60), M3+ (61 and more). -#}
{% macro dpd_bucket(days_past_due) -%}
    case
        when {{ days_past_due }} is null then null
        when {{ days_past_due }} <= 0 then 'current'
        when {{ days_past_due }} <= 30 then 'M1'
        when {{ days_past_due }} <= 60 then 'M2'
        else 'M3+'
    end
{%- endmacro %}

{#- A loan is written off once its oldest unpaid instalment is this many days past due (no source system books
    write-offs; this is the lender's charge-off rule). -#}
{% macro write_off_dpd() -%}
    180
{%- endmacro %}
