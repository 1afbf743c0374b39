-- One row per application: the customer's credit applications (queries) and loans at other institutions reported
-- at or before features_as_of, counted over the 30, 90 and 180 days before it - multi-lending (多头借贷).
with

applications as (

    select * from {{ ref('int_applications_dated_for_features') }}

),

multi_lending as (

    select * from {{ ref('stg_third_party__multi_lending') }}

),

events as (

    select
        applications.application_id,
        multi_lending.event_type,
        multi_lending.institution_type,
        multi_lending.amount,
        {{ dbt.datediff('multi_lending.event_on', 'applications.features_as_of_date', 'day') }} as days_before

    from applications
    inner join multi_lending
        on
            applications.customer_id = multi_lending.customer_id
            and multi_lending.reported_at <= applications.features_as_of
            and multi_lending.event_on <= applications.features_as_of_date

)

select
    applications.application_id,
    {%- for days in [30, 90, 180] %}
    count(case when events.event_type = 'query' and events.days_before <= {{ days }} then 1 end)
        as queries_{{ days }}d,
    count(case when events.event_type = 'loan' and events.days_before <= {{ days }} then 1 end)
        as loans_{{ days }}d,
    coalesce(sum(case when events.event_type = 'loan' and events.days_before <= {{ days }} then events.amount end), 0)
        as loan_amount_{{ days }}d,
    {%- endfor %}
    count(distinct case when events.days_before <= 180 then events.institution_type end) as institution_types_180d,
    count(
        case when events.institution_type in ('microloan', 'online_lender') and events.days_before <= 180 then 1 end
    ) as small_lender_events_180d

from applications
left join events
    on applications.application_id = events.application_id
group by applications.application_id
