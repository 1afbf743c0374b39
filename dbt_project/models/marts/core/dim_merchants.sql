with

merchants as (

    select * from {{ ref('int_merchant_versions_filtered_to_latest') }}

),

stores as (

    select * from {{ ref('stg_merchant_management__stores') }}

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

stores_per_merchant as (

    select
        stores.merchant_id,
        count(*) as store_count

    from stores
    group by stores.merchant_id

),

sales_reps_per_merchant as (

    select
        sales_reps.merchant_id,
        count(*) as sales_rep_count

    from sales_reps
    group by sales_reps.merchant_id

),

loans_per_merchant as (

    select
        loans_per_store.merchant_id,
        min(loans_per_store.first_loan_on) as first_loan_on,
        cast(sum(loans_per_store.loan_count) as bigint) as loan_count

    from loans_per_store
    group by loans_per_store.merchant_id

)

select
    -- ids
    merchants.merchant_id,

    -- strings
    merchants.merchant_name,
    merchants.scenario,
    merchants.province,
    merchants.city,
    city_tiers.city_tier,
    merchants.admission_status,

    -- current terms
    merchants.deposit_ratio,
    cast(merchants.credit_quota as decimal(18, 2)) as credit_quota,
    merchants.terms_updated_at,
    merchants.version_count as terms_version_count,

    -- network and activity
    coalesce(stores_per_merchant.store_count, 0) as store_count,
    coalesce(sales_reps_per_merchant.sales_rep_count, 0) as sales_rep_count,
    coalesce(loans_per_merchant.loan_count, 0) as loan_count,

    -- dates
    merchants.admitted_on,
    merchants.first_admitted_on,
    cast(merchants.first_seen_at as date) as first_seen_on,
    loans_per_merchant.first_loan_on

from merchants
left join city_tiers
    on merchants.city = city_tiers.city_name
left join stores_per_merchant
    on merchants.merchant_id = stores_per_merchant.merchant_id
left join sales_reps_per_merchant
    on merchants.merchant_id = sales_reps_per_merchant.merchant_id
left join loans_per_merchant
    on merchants.merchant_id = loans_per_merchant.merchant_id
