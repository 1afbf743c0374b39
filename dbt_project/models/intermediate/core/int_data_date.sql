-- The data date: the latest landing day the core lending extracts have reached. Every "as of" figure in the
-- warehouse (days past due, outstanding principal, loan status) is computed as of this day, never current_date,
-- so a rebuild of old data gives the same numbers.
-- A one-row table, not ephemeral: 33 models read it, and inlined each of them deduplicated the whole staging loans
-- and repayments again to find one date (so did the view int_loan_states_dated for each model reading it).
{{ config(materialized='table', schema='intermediate') }}
with

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

),

repayments as (

    select * from {{ ref('stg_core_lending__repayments') }}

),

landing_days as (

    select max(loans._landing_date) as landing_date from loans
    union all
    select max(repayments._landing_date) as landing_date from repayments

)

select max(landing_days.landing_date) as data_date
from landing_days
