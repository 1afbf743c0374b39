-- Volume, first-payment default, returns, refunds and book of every sales representative: the applications he
-- handled and the loans disbursed on them, over his whole history to the data date. The measures and rates are
-- defined once in int_sales_performance_aggregated_to_stores_and_reps (shared with store_performance).
with

sales_reps as (

    select * from {{ ref('dim_sales_reps') }}

),

stores as (

    select * from {{ ref('dim_stores') }}

),

merchants as (

    select * from {{ ref('dim_merchants') }}

),

performance as (

    select * from {{ ref('int_sales_performance_aggregated_to_stores_and_reps') }}
    where performance_grain = 'sales_rep'

)

select
    -- ids
    sales_reps.sales_rep_id,
    sales_reps.store_id,
    sales_reps.merchant_id,

    -- the rep and where he works
    stores.scenario,
    stores.city,
    merchants.admission_status as merchant_admission_status,
    sales_reps.hired_on,

    {{ sales_performance_measures('performance') }}

from sales_reps
inner join performance
    on sales_reps.sales_rep_id = performance.unit_id
left join stores
    on sales_reps.store_id = stores.store_id
left join merchants
    on sales_reps.merchant_id = merchants.merchant_id
