-- The tag system, long form: one row per customer and tag (tag_dictionary defines each tag and its values), as of
-- the data date. The same values as customer_profile, one tag per row, for segment queries that combine tags.
with

profile as (

    select * from {{ ref('customer_profile') }}

),

tagged as (

    {%- set tags = [
        ['lifecycle_stage', 'lifecycle_stage', none],
        ['scenario_affinity', 'scenario_affinity', none],
        ['value_tier', 'value_tier', 'lifetime_principal'],
        ['risk_grade', 'risk_grade', none],
        ['repayment_behaviour', 'repayment_behaviour', 'max_dpd_to_date'],
        ['channel_preference', 'channel_preference', none],
        ['pre_approved_limit', 'cast(pre_approved_limit as varchar)', 'pre_approved_limit'],
        ['marketing_restriction', 'marketing_restriction', none],
    ] %}
    {%- for tag, value, number in tags %}
    select
        customer_id,
        '{{ tag }}' as tag,
        {{ value }} as tag_value,
        cast({{ number if number else 'null' }} as decimal(18, 2)) as tag_value_number,
        as_of_date

    from profile
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

)

select
    customer_id,
    tag,
    tag_value,
    tag_value_number,
    as_of_date

from tagged
