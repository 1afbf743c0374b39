-- One row per store and one per sales representative (performance_grain, unit_id): application volume and the
-- performance of the loans written there, with the rates. Both groupings come from one aggregation (grouping sets),
-- so store_performance and sales_rep_performance share every definition. A store's applications and loans are those
-- made at the store; a rep's are those of the applications he handled (loans without a rep count for no rep).
-- Every store and rep has a row; counts and amounts are 0 without activity and rates null without a denominator.
with

stores as (

    select * from {{ ref('dim_stores') }}

),

sales_reps as (

    select * from {{ ref('dim_sales_reps') }}

),

applications as (

    select * from {{ ref('fct_applications') }}

),

loans as (

    select * from {{ ref('int_loans_performance_flagged') }}

),

units as (

    select
        'store' as performance_grain,
        stores.store_id as unit_id

    from stores

    union all

    select
        'sales_rep' as performance_grain,
        sales_reps.sales_rep_id as unit_id

    from sales_reps

),

applications_grouped as (

    select
        case when grouping(applications.store_id) = 0 then 'store' else 'sales_rep' end as performance_grain,
        case
            when grouping(applications.store_id) = 0 then applications.store_id else applications.sales_rep_id
        end as unit_id,
        count(*) as application_count,
        sum(case when applications.is_approved then 1 else 0 end) as approved_application_count,
        min(applications.application_date) as first_application_on,
        max(applications.application_date) as last_application_on

    from applications
    group by grouping sets ((applications.store_id), (applications.sales_rep_id))

),

loans_grouped as (

    select
        case when grouping(loans.store_id) = 0 then 'store' else 'sales_rep' end as performance_grain,
        case when grouping(loans.store_id) = 0 then loans.store_id else loans.sales_rep_id end as unit_id,
        count(*) as loan_count,
        sum(loans.principal) as principal_disbursed,
        sum(case when loans.is_fpd_observable then 1 else 0 end) as observable_loan_count,
        sum(case when loans.is_fpd_observable then loans.principal else 0 end) as observable_principal,
        sum(case when loans.is_fpd_observable and loans.is_fpd30 then 1 else 0 end) as fpd30_loan_count,
        sum(case when loans.is_fpd_observable and loans.is_fpd30 then loans.principal else 0 end)
            as fpd30_principal,
        sum(case when loans.is_fpd_observable and loans.ever_30dpd then 1 else 0 end)
            as ever_30dpd_loan_count,
        sum(case when loans.is_returned then 1 else 0 end) as returned_loan_count,
        sum(loans.return_amount) as return_amount,
        sum(loans.refund_count) as refund_count,
        sum(loans.refund_amount) as refund_amount,
        sum(loans.outstanding_principal) as outstanding_principal,
        sum(loans.written_off_principal) as written_off_principal,
        min(loans.disbursed_on) as first_disbursed_on,
        max(loans.disbursed_on) as last_disbursed_on

    from loans
    group by grouping sets ((loans.store_id), (loans.sales_rep_id))

),

joined as (

    select
        units.performance_grain,
        units.unit_id,
        cast(coalesce(applications_grouped.application_count, 0) as bigint) as application_count,
        cast(coalesce(applications_grouped.approved_application_count, 0) as bigint) as approved_application_count,
        cast(coalesce(loans_grouped.loan_count, 0) as bigint) as loan_count,
        cast(coalesce(loans_grouped.principal_disbursed, 0) as decimal(18, 2)) as principal_disbursed,
        cast(coalesce(loans_grouped.observable_loan_count, 0) as bigint) as observable_loan_count,
        cast(coalesce(loans_grouped.observable_principal, 0) as decimal(18, 2)) as observable_principal,
        cast(coalesce(loans_grouped.fpd30_loan_count, 0) as bigint) as fpd30_loan_count,
        cast(coalesce(loans_grouped.fpd30_principal, 0) as decimal(18, 2)) as fpd30_principal,
        cast(coalesce(loans_grouped.ever_30dpd_loan_count, 0) as bigint) as ever_30dpd_loan_count,
        cast(coalesce(loans_grouped.returned_loan_count, 0) as bigint) as returned_loan_count,
        cast(coalesce(loans_grouped.return_amount, 0) as decimal(18, 2)) as return_amount,
        cast(coalesce(loans_grouped.refund_count, 0) as bigint) as refund_count,
        cast(coalesce(loans_grouped.refund_amount, 0) as decimal(18, 2)) as refund_amount,
        cast(coalesce(loans_grouped.outstanding_principal, 0) as decimal(18, 2)) as outstanding_principal,
        cast(coalesce(loans_grouped.written_off_principal, 0) as decimal(18, 2)) as written_off_principal,
        applications_grouped.first_application_on,
        applications_grouped.last_application_on,
        loans_grouped.first_disbursed_on,
        loans_grouped.last_disbursed_on

    from units
    left join applications_grouped
        on
            units.performance_grain = applications_grouped.performance_grain
            and units.unit_id = applications_grouped.unit_id
    left join loans_grouped
        on
            units.performance_grain = loans_grouped.performance_grain
            and units.unit_id = loans_grouped.unit_id

)

select
    joined.performance_grain,
    joined.unit_id,
    joined.application_count,
    joined.approved_application_count,
    {{ ratio('joined.approved_application_count', 'joined.application_count') }} as approval_rate,
    joined.loan_count,
    joined.principal_disbursed,
    joined.observable_loan_count,
    joined.observable_principal,
    joined.fpd30_loan_count,
    joined.fpd30_principal,
    {{ ratio('joined.fpd30_loan_count', 'joined.observable_loan_count') }} as fpd30_rate,
    {{ ratio('joined.fpd30_principal', 'joined.observable_principal') }} as fpd30_principal_rate,
    joined.ever_30dpd_loan_count,
    {{ ratio('joined.ever_30dpd_loan_count', 'joined.observable_loan_count') }} as ever_30dpd_rate,
    joined.returned_loan_count,
    joined.return_amount,
    {{ ratio('joined.returned_loan_count', 'joined.loan_count') }} as return_rate,
    joined.refund_count,
    joined.refund_amount,
    {{ ratio('joined.refund_amount', 'joined.principal_disbursed') }} as refund_amount_rate,
    joined.outstanding_principal,
    joined.written_off_principal,
    joined.first_application_on,
    joined.last_application_on,
    joined.first_disbursed_on,
    joined.last_disbursed_on,
    least(joined.first_application_on, joined.first_disbursed_on) as first_activity_on,
    greatest(joined.last_application_on, joined.last_disbursed_on) as last_activity_on

from joined
