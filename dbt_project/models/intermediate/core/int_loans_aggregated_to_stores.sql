-- One row per store (and its merchant) as recorded on the loans: how many loans were disbursed through it and when
-- the first one was. dim_stores reads it as is; dim_merchants rolls it up to the merchant, so "which loans count"
-- is decided once. A loan without a store still counts for its merchant (store_id null).
with

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

)

select
    loans.merchant_id,
    loans.store_id,
    count(*) as loan_count,
    min(loans.disbursed_on) as first_loan_on

from loans
group by
    loans.merchant_id,
    loans.store_id
