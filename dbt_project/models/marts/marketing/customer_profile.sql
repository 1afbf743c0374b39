-- One wide row per customer: every tag of the tag system (tag_dictionary defines them) with the figures behind it,
-- the customer's contactability and the tokens and masked mobile the lists carry. As of the data date.
with

customers as (

    select * from {{ ref('dim_customers') }}

),

lifecycle as (

    select * from {{ ref('int_customers_classified_by_lifecycle') }}

),

loans as (

    select * from {{ ref('fct_loans') }}

),

applications as (

    select * from {{ ref('fct_applications') }}

),

latest_scores as (

    select * from {{ ref('int_application_scores_filtered_to_latest') }}

),

contacts as (

    select * from {{ ref('int_contact_history_counted_in_cap_windows') }}

),

restrictions as (

    select * from {{ ref('marketing_restricted_customers') }}

),

scenario_counts as (

    -- loans (returned ones excluded) count before applications; within each, the most recent scenario wins ties
    select
        customer_id,
        scenario,
        1 as source_rank,
        count(*) as events,
        max(disbursed_on) as latest_on

    from loans
    where loan_status <> 'returned'
    group by customer_id, scenario

    union all

    select
        customer_id,
        scenario,
        2 as source_rank,
        count(*) as events,
        max(application_date) as latest_on

    from applications
    group by customer_id, scenario

),

scenario_affinity as (

    select
        customer_id,
        scenario

    from scenario_counts
    qualify row_number() over (
        partition by customer_id
        order by source_rank, events desc, latest_on desc, scenario
    ) = 1

),

repayment as (

    select
        customer_id,
        cast(sum(instalments_paid) as bigint) as instalments_paid,
        cast(sum(instalments_overdue) as bigint) as instalments_overdue,
        max(max_dpd_to_date) as max_dpd_to_date

    from loans
    group by customer_id

),

contacts_per_customer as (

    select
        customer_id,
        cast(sum(case when channel = 'sms' then contacts_in_cap_window else 0 end) as bigint) as sms_in_cap_window,
        cast(sum(case when channel = 'outbound_call' then contacts_in_cap_window else 0 end) as bigint)
            as calls_in_cap_window,
        sum(case when channel = 'sms' then response_count else 0 end) as sms_responses,
        sum(case when channel = 'outbound_call' then response_count else 0 end) as call_responses,
        max(last_contacted_at) as last_contacted_at

    from contacts
    group by customer_id

),

restrictions_per_customer as (

    select
        customer_id,
        string_agg(restriction_reason, ', ' order by {{ restriction_strength('restriction_reason') }})
            as restriction_reasons,
        min({{ restriction_strength('restriction_reason') }}) as strongest

    from restrictions
    group by customer_id

),

profiled as (

    select
        customers.customer_id,
        customers.id_number_token,
        customers.mobile_token,
        customers.mobile_masked,
        lifecycle.lifecycle_stage,
        lifecycle.lifecycle_stage_since,
        coalesce(scenario_affinity.scenario, 'none') as scenario_affinity,
        {{ value_tier('lifecycle.lifetime_principal') }} as value_tier,
        lifecycle.lifetime_principal,
        coalesce(latest_scores.grade, 'unscored') as risk_grade,
        latest_scores.pd,
        latest_scores.recommended_limit,
        latest_scores.scored_application_on,
        case
            when coalesce(repayment.instalments_paid, 0) + coalesce(repayment.instalments_overdue, 0) = 0
                then 'no_history'
            when repayment.max_dpd_to_date >= 30 then 'delinquent'
            when repayment.max_dpd_to_date > 0 then 'occasionally_late'
            else 'on_time'
        end as repayment_behaviour,
        coalesce(repayment.instalments_paid, 0) as instalments_paid,
        coalesce(repayment.instalments_overdue, 0) as instalments_overdue,
        coalesce(repayment.max_dpd_to_date, 0) as max_dpd_to_date,
        case
            when coalesce(contacts_per_customer.call_responses, 0)
                > coalesce(contacts_per_customer.sms_responses, 0) then 'outbound_call'
            else 'sms'
        end as channel_preference,
        restrictions_per_customer.customer_id is not null as is_restricted,
        case restrictions_per_customer.strongest
            when 1 then 'in_collection'
            when 2 then 'suspected_fraud'
            when 3 then 'blacklisted'
            when 4 then 'complained'
            when 5 then 'opted_out'
            when 6 then 'declined_recently'
            else 'none'
        end as marketing_restriction,
        restrictions_per_customer.restriction_reasons,
        lifecycle.loan_count,
        lifecycle.outstanding_principal,
        lifecycle.last_activity_on,
        coalesce(contacts_per_customer.sms_in_cap_window, 0) as sms_in_cap_window,
        coalesce(contacts_per_customer.calls_in_cap_window, 0) as calls_in_cap_window,
        contacts_per_customer.last_contacted_at,
        lifecycle.data_date as as_of_date

    from customers
    inner join lifecycle
        on customers.customer_id = lifecycle.customer_id
    left join scenario_affinity
        on customers.customer_id = scenario_affinity.customer_id
    left join latest_scores
        on customers.customer_id = latest_scores.customer_id
    left join repayment
        on customers.customer_id = repayment.customer_id
    left join contacts_per_customer
        on customers.customer_id = contacts_per_customer.customer_id
    left join restrictions_per_customer
        on customers.customer_id = restrictions_per_customer.customer_id

)

select
    customer_id,
    id_number_token,
    mobile_token,
    mobile_masked,
    lifecycle_stage,
    lifecycle_stage_since,
    scenario_affinity,
    value_tier,
    lifetime_principal,
    risk_grade,
    pd,
    scored_application_on,
    repayment_behaviour,
    instalments_paid,
    instalments_overdue,
    max_dpd_to_date,
    channel_preference,
    -- what the customer may borrow without a new application: a fresh enough A-C score's recommended limit less
    -- the principal still owed; nothing for a restricted customer or one who has been 30+ days past due
    cast(
        case
            when is_restricted or repayment_behaviour = 'delinquent' then 0
            when risk_grade in {{ pre_approval_grades() }}
                and {{ dbt.datediff('scored_application_on', 'as_of_date', 'day') }}
                <= {{ pre_approval_max_score_age_days() }}
                then greatest(recommended_limit - outstanding_principal, 0)
            else 0
        end as decimal(18, 2)
    ) as pre_approved_limit,
    marketing_restriction,
    is_restricted,
    restriction_reasons,
    loan_count,
    outstanding_principal,
    last_activity_on,
    sms_in_cap_window,
    calls_in_cap_window,
    last_contacted_at,
    as_of_date

from profiled
