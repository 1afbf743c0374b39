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

    {{ sales_performance_measures('performance') }}

from stores
inner join performance
    on stores.store_id = performance.unit_id
left join merchants
    on stores.merchant_id = merchants.merchant_id
