-- One row per application: the credit model's features in four groups (column prefixes bureau_, transaction_,
-- behaviour_, other_), each computed only from data known at the application's features_as_of moment, and the
-- target of its loan (30+ DPD within six months on book) where it is observable.
with

applications as (

    select * from {{ ref('int_applications_dated_for_features') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

bureau as (

    select * from {{ ref('int_applications_joined_to_bureau_reports') }}

),

multi_lending as (

    select * from {{ ref('int_applications_aggregated_from_multi_lending') }}

),

behaviour as (

    select * from {{ ref('int_applications_aggregated_from_repayment_behaviour') }}

),

social as (

    select * from {{ ref('int_applications_joined_to_social_graph') }}

),

home as (

    select * from {{ ref('int_customers_home_address_classified') }}

),

first_30dpd as (

    select * from {{ ref('int_customers_dated_first_30dpd') }}

),

loans as (

    select * from {{ ref('fct_loans') }}

),

labels as (

    select * from {{ ref('int_loans_labelled_30dpd_6mob') }}

),

prior_loans as (

    select
        applications.application_id,
        count(loans.loan_id) as prior_loans

    from applications
    inner join loans
        on
            applications.customer_id = loans.customer_id
            and loans.disbursed_on < applications.features_as_of_date
    group by applications.application_id

)

select
    -- ids
    applications.application_id,
    applications.customer_id,
    applications.merchant_id,
    applications.store_id,
    labels.loan_id,

    -- the application
    applications.scenario,
    applications.channel,
    applications.decision,
    applications.applied_at,
    applications.features_as_of,
    cast({{ dbt.date_trunc('month', 'applications.applied_at') }} as date) as application_month,
    cast(applications.requested_amount as double) as requested_amount,
    cast(applications.requested_term_months as integer) as requested_term_months,

    -- credit bureau: ability to repay
    bureau.employer_type as bureau_employer_type,
    bureau.provident_fund_status as bureau_provident_fund_status,
    cast(bureau.provident_fund_base as double) as bureau_provident_fund_base,
    cast(bureau.existing_credit_lines as integer) as bureau_existing_credit_lines,
    cast(bureau.total_credit_limit as double) as bureau_total_credit_limit,
    cast(bureau.credit_utilization as double) as bureau_credit_utilization,
    cast(bureau.overdue_accounts as integer) as bureau_overdue_accounts,

    -- transaction: indebtedness and multi-lending
    cast(multi_lending.queries_30d as integer) as transaction_queries_30d,
    cast(multi_lending.queries_90d as integer) as transaction_queries_90d,
    cast(multi_lending.queries_180d as integer) as transaction_queries_180d,
    cast(multi_lending.loans_30d as integer) as transaction_loans_30d,
    cast(multi_lending.loans_90d as integer) as transaction_loans_90d,
    cast(multi_lending.loans_180d as integer) as transaction_loans_180d,
    cast(multi_lending.loan_amount_30d as double) as transaction_loan_amount_30d,
    cast(multi_lending.loan_amount_90d as double) as transaction_loan_amount_90d,
    cast(multi_lending.loan_amount_180d as double) as transaction_loan_amount_180d,
    cast(multi_lending.institution_types_180d as integer) as transaction_institution_types_180d,
    cast(multi_lending.small_lender_events_180d as integer) as transaction_small_lender_events_180d,
    cast(
        (multi_lending.loan_amount_180d + applications.requested_amount)
        / nullif(customers.declared_monthly_income * 12, 0) as double
    ) as transaction_debt_to_annual_income,
    cast(coalesce(prior_loans.prior_loans, 0) as integer) as transaction_prior_loans_with_us,

    -- behaviour: repayment elsewhere and with us, suspected debt collection
    cast(behaviour.accounts_elsewhere as integer) as behaviour_accounts_elsewhere,
    cast(behaviour.on_time_ratio_12m as double) as behaviour_on_time_ratio_12m,
    cast(behaviour.overdue_count_12m as integer) as behaviour_overdue_count_12m,
    cast(behaviour.max_dpd_12m as integer) as behaviour_max_dpd_12m,
    cast(behaviour.collection_contacts_30d as integer) as behaviour_collection_contacts_30d,
    cast(behaviour.collection_contacts_90d as integer) as behaviour_collection_contacts_90d,
    cast(behaviour.collection_contacts_180d as integer) as behaviour_collection_contacts_180d,
    cast(behaviour.collection_calls_180d as integer) as behaviour_collection_calls_180d,
    cast(behaviour.collection_agency_contacts_180d as integer) as behaviour_collection_agency_contacts_180d,
    cast(behaviour.days_since_last_collection_contact as integer) as behaviour_days_since_last_collection_contact,
    cast(
        coalesce(first_30dpd.first_30dpd_on <= applications.features_as_of_date, false) as integer
    ) as behaviour_ever_30dpd_with_us,

    -- other: the person, living standard and social circle
    cast({{ dbt.datediff("cast(cast(customers.birth_year as varchar) || '-07-01' as date)",
                         'applications.features_as_of_date', 'year') }} as integer) as other_age,
    cast(customers.declared_monthly_income as double) as other_declared_monthly_income,
    customers.occupation as other_occupation,
    cast(customers.city_tier as integer) as other_city_tier,
    cast(home.district_level as integer) as other_district_level,
    home.housing_class as other_housing_class,
    cast(social.contacts as integer) as other_contacts,
    cast(social.contacts_who_are_customers as integer) as other_contacts_who_are_customers,
    cast(social.contacts_ever_30dpd as integer) as other_contacts_ever_30dpd,
    cast(social.share_contacts_ever_30dpd as double) as other_share_contacts_ever_30dpd,

    -- target
    labels.horizon_on as target_horizon_on,
    coalesce(labels.is_target_observable, false) as is_target_observable,
    labels.is_bad_30dpd_6mob

from applications
left join customers
    on applications.customer_id = customers.customer_id
left join bureau
    on applications.application_id = bureau.application_id
left join multi_lending
    on applications.application_id = multi_lending.application_id
left join behaviour
    on applications.application_id = behaviour.application_id
left join social
    on applications.application_id = social.application_id
left join home
    on applications.customer_id = home.customer_id
left join first_30dpd
    on applications.customer_id = first_30dpd.customer_id
left join prior_loans
    on applications.application_id = prior_loans.application_id
left join labels
    on applications.application_id = labels.application_id
