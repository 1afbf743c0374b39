{#-
    The marketing policy's fixed numbers and lists, in one place for the tag system, the restrictions and the
    lists. Campaigns and contact caps are data (seeds/marketing/); these are the rules around them.
-#}

{#- A customer without an open loan and without any application, disbursement or loan closing for this many days
    is dormant. -#}
{% macro dormant_after_days() -%}
    180
{%- endmacro %}

{#- A declined application restricts marketing for this many days (the decision day and the days after it). -#}
{% macro decline_cooldown_days() -%}
    90
{%- endmacro %}

{#- Grades whose recommended limit becomes a pre-approved limit, and the oldest score that still counts (two years:
    a 12- or 24-month loan just paid off was scored when it was applied for). -#}
{% macro pre_approval_grades() -%}
    ('A', 'B', 'C')
{%- endmacro %}

{% macro pre_approval_max_score_age_days() -%}
    730
{%- endmacro %}

{#- Internal-blacklist reasons that make a customer a suspected fraudster; the other reasons (court enforcement,
    90+ days overdue elsewhere) restrict marketing as `blacklisted`. -#}
{% macro suspected_fraud_blacklist_reasons() -%}
    ('fraud_confirmed', 'identity_theft', 'fake_transaction', 'black_intermediary')
{%- endmacro %}

{#- Value tier from the lifetime principal borrowed (returned loans excluded), in yuan. -#}
{% macro value_tier(lifetime_principal) -%}
    case
        when {{ lifetime_principal }} >= 30000 then 'high'
        when {{ lifetime_principal }} >= 10000 then 'medium'
        when {{ lifetime_principal }} > 0 then 'low'
        else 'none'
    end
{%- endmacro %}

{#- Order of strength of the restriction reasons (1 strongest): the marketing_restriction tag shows the strongest. -#}
{% macro restriction_strength(reason) -%}
    case {{ reason }}
        when 'in_collection' then 1
        when 'suspected_fraud' then 2
        when 'blacklisted' then 3
        when 'complained' then 4
        when 'opted_out' then 5
        when 'declined_recently' then 6
    end
{%- endmacro %}

{#- The lists built from the data of day D (the list day) go out on D + 1: the T+1 batch runs in the early hours of
    D + 1, and the SMS gateway and the call centre work the lists that day. Contact caps are counted over the
    window that ends on that contact day. -#}
{% macro contact_on(list_day) -%}
    cast({{ dbt.dateadd('day', 1, list_day) }} as date)
{%- endmacro %}
