with

stores as (

    select * from {{ ref('stg_merchant_management__stores') }}

),

merchants as (

    select * from {{ ref('int_merchant_versions_filtered_to_latest') }}

),

sales_reps as (

    select * from {{ ref('stg_merchant_management__sales_reps') }}

),

loans_per_store as (

    select * from {{ ref('int_loans_aggregated_to_stores') }}

),

city_tiers as (

    select * from {{ ref('city_tiers') }}

),

sales_reps_per_store as (

    select
        sales_reps.store_id,
        count(*) as sales_rep_count

    from sales_reps
    group by sales_reps.store_id

)

select
    -- ids
    stores.store_id,
    stores.merchant_id,

    -- strings
    stores.store_name,
    merchants.scenario,
    stores.city,
    city_tiers.city_tier,
    stores.address,

    -- numerics
    stores.gps_lat,
    stores.gps_lon,
    coalesce(sales_reps_per_store.sales_rep_count, 0) as sales_rep_count,
    coalesce(loans_per_store.loan_count, 0) as loan_count,

    -- dates
    stores.opened_on,
    loans_per_store.first_loan_on

from stores
left join merchants
    on stores.merchant_id = merchants.merchant_id
left join city_tiers
    on stores.city = city_tiers.city_name
left join sales_reps_per_store
    on stores.store_id = sales_reps_per_store.store_id
left join loans_per_store
    on stores.store_id = loans_per_store.store_id
