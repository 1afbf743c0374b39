-- The dated history of every loan (int_loan_states_dated_base: one row per loan and event day, its state constant
-- over [valid_from, valid_to)) with what moves with the data date: a loan's last period runs through the data date,
-- and its days past due at the end of it grow every day. A view, so that the stored history stays keyed and stable:
-- only the loans the day's data changes are rewritten underneath (six models read it: the risk marts, the merchant
-- positions, the merchant days).
{{ config(materialized='view', schema='intermediate') }}
with

states as (

    select * from {{ ref('int_loan_states_dated_base') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

bounded as (

    select
        states.*,
        -- the period's last day, or the data date for a loan's last period
        coalesce(cast({{ dbt.dateadd('day', -1, 'states.valid_to') }} as date), data_date.data_date) as valid_through

    from states
    cross join data_date

)

select
    -- ids
    bounded.loan_id,
    bounded.merchant_id,
    bounded.scenario,

    -- validity
    bounded.valid_from,
    bounded.valid_to,
    bounded.valid_through,

    -- state at the end of valid_from
    bounded.loan_state,
    bounded.oldest_open_due_on,
    bounded.max_settled_dpd,
    {{ loan_dpd_as_of('bounded', 'bounded.valid_through') }} as dpd_at_valid_through,

    -- principal moved on valid_from
    bounded.principal_disbursed,
    bounded.principal_repaid,
    bounded.principal_cancelled,
    bounded.principal_written_off,

    -- principal at the end of valid_from
    bounded.outstanding_principal,
    bounded.written_off_principal,

    -- dates
    bounded.written_off_on

from bounded
