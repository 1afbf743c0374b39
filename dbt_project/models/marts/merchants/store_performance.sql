-- Volume, first-payment default, returns, refunds and book of every store, over its whole history to the data date.
-- The measures and rates are defined once in int_sales_performance_aggregated_to_stores_and_reps (shared with
-- sales_rep_performance).
with

stores as (

    select * from {{ ref('dim_stores') }}

),

merchants as (

    select * from {{ ref('dim_merchants') }}

),

performance as (

    select * from {{ ref('int_sales_performance_aggregated_to_stores_and_reps') }}
    where performance_grain = 'store'

)

select
    -- ids
    stores.store_id,
    stores.merchant_id,

    -- the store
    stores.scenario,
    stores.city,
    stores.city_tier,
    merchants.admission_status as merchant_admission_status,
    stores.sales_rep_count,
    stores.opened_on,

    -- volume
    performance.application_count,
    performance.approved_application_count,
    performance.approval_rate,
    performance.loan_count,
    performance.principal_disbursed,

    -- first-payment default and ever 30 days past due, on loans whose performance is observable
    performance.observable_loan_count,
    performance.observable_principal,
    performance.fpd30_loan_count,
    performance.fpd30_principal,
    performance.fpd30_rate,
    performance.fpd30_principal_rate,
    performance.ever_30dpd_loan_count,
    performance.ever_30dpd_rate,

    -- returns and refunds
    performance.returned_loan_count,
    performance.return_amount,
    performance.return_rate,
    performance.refund_count,
    performance.refund_amount,
    performance.refund_amount_rate,

    -- book as of the data date
    performance.outstanding_principal,
    performance.written_off_principal,

    -- dates
    performance.first_application_on,
    performance.last_application_on,
    performance.first_disbursed_on,
    performance.last_disbursed_on,
    performance.first_activity_on,
    performance.last_activity_on

from stores
inner join performance
    on stores.store_id = performance.unit_id
left join merchants
    on stores.merchant_id = merchants.merchant_id
