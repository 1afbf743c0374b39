-- One row per application: the customer's latest credit-bureau report queried at or before the application's
-- features_as_of moment (null columns when there is none) - employer, housing provident fund, existing lines.
with

applications as (

    select * from {{ ref('int_applications_dated_for_features') }}

),

reports as (

    select * from {{ ref('stg_credit_bureau__reports') }}

),

ranked as (

    select
        applications.application_id,
        reports.queried_at,
        reports.employer_type,
        reports.provident_fund_status,
        reports.provident_fund_base,
        reports.existing_credit_lines,
        reports.total_credit_limit,
        reports.credit_utilization,
        reports.overdue_accounts,
        row_number() over (
            partition by applications.application_id
            order by reports.queried_at desc, reports.report_id desc
        ) as recency

    from applications
    inner join reports
        on
            applications.customer_id = reports.customer_id
            and reports.queried_at <= applications.features_as_of

)

select
    applications.application_id,
    ranked.queried_at as bureau_queried_at,
    ranked.employer_type,
    ranked.provident_fund_status,
    ranked.provident_fund_base,
    ranked.existing_credit_lines,
    ranked.total_credit_limit,
    ranked.credit_utilization,
    ranked.overdue_accounts

from applications
left join ranked
    on
        applications.application_id = ranked.application_id
        and ranked.recency = 1
