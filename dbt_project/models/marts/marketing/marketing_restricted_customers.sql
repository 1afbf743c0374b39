-- Restricted customers: who must not receive marketing, and why, as of the data date. One row per customer and
-- reason; no list ever carries a customer who has a row here (blocking checks on every list).
with

opt_outs as (

    select * from {{ ref('stg_marketing__opt_outs') }}

),

complaints as (

    select * from {{ ref('stg_operations__complaints') }}

),

lifecycle as (

    select * from {{ ref('int_customers_classified_by_lifecycle') }}

),

blacklist_matches as (

    select * from {{ ref('int_blacklist_entries_matched_to_customers') }}

),

fraud_suspects as (

    select * from {{ ref('int_fraud_scores_filtered_to_suspects') }}

),

applications as (

    select * from {{ ref('fct_applications') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

opted_out as (

    select
        opt_outs.customer_id,
        'opted_out' as restriction_reason,
        min(cast(opt_outs.opted_out_at as date)) as restricted_since,
        cast(null as date) as restricted_until,
        'opted out of: ' || string_agg(distinct opt_outs.channel, ', ' order by opt_outs.channel) as detail

    from opt_outs
    cross join data_date
    where cast(opt_outs.opted_out_at as date) <= data_date.data_date
    group by opt_outs.customer_id

),

complained as (

    select
        complaints.customer_id,
        'complained' as restriction_reason,
        min(cast(complaints.received_at as date)) as restricted_since,
        cast(null as date) as restricted_until,
        'complaints: ' || string_agg(distinct complaints.category, ', ' order by complaints.category) as detail

    from complaints
    cross join data_date
    where complaints.customer_id is not null
        and cast(complaints.received_at as date) <= data_date.data_date
    group by complaints.customer_id

),

in_collection as (

    select
        customer_id,
        'in_collection' as restriction_reason,
        lifecycle_stage_since as restricted_since,
        cast(null as date) as restricted_until,
        'loans in collection: ' || cast(collection_loan_count as varchar)
        || ', days past due: ' || cast(current_dpd as varchar) as detail

    from lifecycle
    where lifecycle_stage = 'in_collection'

),

blacklisted as (

    select
        customer_id,
        case when is_fraud_reason then 'suspected_fraud' else 'blacklisted' end as restriction_reason,
        min(listed_on) as restricted_since,
        cast(null as date) as restricted_until,
        'internal blacklist: ' || string_agg(distinct reason || ' (' || entry_type || ')', ', '
            order by reason || ' (' || entry_type || ')') as detail

    from blacklist_matches
    group by customer_id, is_fraud_reason

),

fraud_model as (

    select
        customer_id,
        'suspected_fraud' as restriction_reason,
        first_flagged_on as restricted_since,
        cast(null as date) as restricted_until,
        'fraud model: ' || worst_decision || ' on ' || cast(flagged_applications as varchar)
        || ' application(s)' as detail

    from fraud_suspects

),

declined_recently as (

    select
        applications.customer_id,
        'declined_recently' as restriction_reason,
        min(applications.application_date) as restricted_since,
        cast({{ dbt.dateadd('day', decline_cooldown_days() ~ ' - 1', 'max(applications.application_date)') }} as date)
            as restricted_until,
        'declined applications: ' || cast(count(*) as varchar) || ', last on '
        || cast(max(applications.application_date) as varchar) as detail

    from applications
    cross join data_date
    where applications.decision = 'declined'
        and applications.application_date <= data_date.data_date
        and applications.application_date
        > cast({{ dbt.dateadd('day', '-' ~ decline_cooldown_days(), 'data_date.data_date') }} as date)
    group by applications.customer_id

),

unioned as (

    select * from opted_out
    union all
    select * from complained
    union all
    select * from in_collection
    union all
    select * from blacklisted
    union all
    select * from fraud_model
    union all
    select * from declined_recently

)

select
    unioned.customer_id,
    unioned.restriction_reason,
    min(unioned.restricted_since) as restricted_since,
    max(unioned.restricted_until) as restricted_until,
    string_agg(unioned.detail, '; ' order by unioned.detail) as detail,
    data_date.data_date as as_of_date

from unioned
cross join data_date
group by unioned.customer_id, unioned.restriction_reason, data_date.data_date
