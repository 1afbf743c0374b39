-- One row per loan and day something happened to it (the disbursement, a payment that repaid principal, an
-- instalment paid in full or cancelled, the write-off): the principal that moved that day and the loan's state at the
-- END of the day, constant from valid_from up to (not including) valid_to. The one dated history of a loan: every
-- "principal outstanding / delinquency as of a day" in the marts reads it - with is_in_force() for a day, or by
-- adding up its day movements - instead of a loan x day table.
--
-- Dating:
--   disbursement   + principal on disbursed_on;
--   repayment      - the principal part of each payment on its day (payments go to an instalment's interest first;
--                    once the instalment is paid its whole principal is repaid - int_instalments_joined_to_payments);
--   cancellation   - the principal a cancelled instalment still owed, on the day it was cancelled: the loan return's
--                    completion (returned_on) or, for an instalment due after a course withdrawal, its agreed day
--                    (withdrawn_on), whichever came first;
--   write-off      the first day the oldest instalment still owed is write_off_dpd() days past due at the end of the
--                  day (its due_on + 180, neither paid nor cancelled by then, on or before the data date). Absorbing:
--                  the delinquency columns are frozen at the write-off day, and what the loan recovers later (payments,
--                  cancellations) still moves outstanding_principal but not written_off_principal.
-- On the data date the state agrees with fct_loans (current_dpd, max_dpd_to_date, outstanding_principal,
-- written_off_on) as long as nothing is paid on a loan after its write-off.
--
-- The stable part of int_loan_states_dated (the view over it adds what moves with the data date: the last period's
-- valid_through and the days past due at valid_through). Incremental, keyed by loan: a run recomputes every row of
-- the loans the new data can change and leaves the others as they are -
--   a loan whose terms in fct_loans changed or that is new (principal, instalments, disbursement, a return or a
--   course withdrawal: their hash, kept on each row);
--   a loan with an instalment or a repayment loaded since the last run (fct_instalments, fct_repayments: `_loaded_at`
--   after this table's watermark);
--   a loan whose write-off day came with the new data date: an instalment whose due_on + write_off_dpd() falls after
--   the data date of the last run and on or before this one, not paid by then.
-- Nothing else of a loan depends on the data date. A corrected re-delivery (rows lost upstream), a code change or
-- --full-refresh rebuilds it in full (macros/core/incremental.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='loan_id',
        on_schema_change='fail',
        schema='intermediate',
    )
}}
with

data_date as (

    select * from {{ ref('int_data_date') }}

),

-- DuckDB's hash(): a DuckDB upgrade that changed it would recompute every loan once - slower that day, not wrong.
loan_terms as (

    select
        fct_loans.*,
        hash(
            fct_loans.merchant_id, fct_loans.scenario, fct_loans.principal, fct_loans.instalment_count,
            fct_loans.disbursed_on, fct_loans.returned_on, fct_loans.withdrawn_on
        ) as loan_terms_hash

    from {{ ref('fct_loans') }} as fct_loans

),

{% if is_incremental() %}
built as (

    select
        max(_loaded_at) as loaded_at,
        max(built_for_data_date) as data_date

    from {{ this }}

),

-- one pass over the instalments: loaded since the last run, or reaching their write-off day since its data date
instalments_due as (

    select
        fct_instalments.loan_id,
        fct_instalments.instalment_status,
        fct_instalments.paid_on,
        fct_instalments._loaded_at,
        cast({{ dbt.dateadd('day', write_off_dpd(), 'fct_instalments.due_on') }} as date) as write_off_on

    from {{ ref('fct_instalments') }} as fct_instalments

),

affected_loans as (

    select loan_terms.loan_id
    from loan_terms
    left join (select distinct loan_id, loan_terms_hash from {{ this }}) as built_terms
        on loan_terms.loan_id = built_terms.loan_id
    where built_terms.loan_terms_hash is distinct from loan_terms.loan_terms_hash

    union

    select instalments_due.loan_id
    from instalments_due
    cross join data_date
    where
        instalments_due._loaded_at > (select built.loaded_at from built)
        or (
            instalments_due.write_off_on > (select built.data_date from built)
            and instalments_due.write_off_on <= data_date.data_date
            and not (instalments_due.instalment_status = 'paid' and instalments_due.paid_on <= instalments_due.write_off_on)
        )

    union

    select fct_repayments.loan_id
    from {{ ref('fct_repayments') }} as fct_repayments
    where fct_repayments._loaded_at > (select built.loaded_at from built)

),
{% endif %}

loans as (

    select * from loan_terms
    {% if is_incremental() %}where loan_terms.loan_id in (select affected_loans.loan_id from affected_loans){% endif %}

),

instalments as (

    select * from {{ ref('fct_instalments') }} as fct_instalments
    {% if is_incremental() %}where fct_instalments.loan_id in (select affected_loans.loan_id from affected_loans){% endif %}

),

repayments as (

    select * from {{ ref('fct_repayments') }} as fct_repayments
    {% if is_incremental() %}where fct_repayments.loan_id in (select affected_loans.loan_id from affected_loans){% endif %}

),

instalments_settled as (

    select
        instalments.loan_id,
        instalments.instalment_key,
        instalments.instalment_status,
        instalments.due_on,
        instalments.paid_on,
        instalments.principal_due,
        instalments.interest_due,
        instalments.principal_repaid,
        -- the day the instalment stopped being owed; null while it is owed
        case
            when instalments.instalment_status = 'paid' then instalments.paid_on
            when instalments.instalment_status = 'cancelled' then
                case
                    when loans.returned_on is null then loans.withdrawn_on
                    when loans.withdrawn_on is null or instalments.due_on <= loans.withdrawn_on then loans.returned_on
                    else least(loans.returned_on, loans.withdrawn_on)
                end
        end as settled_on

    from instalments
    inner join loans
        on instalments.loan_id = loans.loan_id

),

payments_accumulated as (

    select
        repayments.loan_id,
        repayments.instalment_key,
        repayments.repayment_id,
        repayments.paid_on,
        repayments.paid_at,
        case
            when instalments_settled.paid_on is not null and repayments.paid_on >= instalments_settled.paid_on
                then instalments_settled.principal_due
            else
                least(
                    instalments_settled.principal_due,
                    greatest(
                        sum(repayments.amount) over (
                            partition by repayments.instalment_key
                            order by repayments.paid_at, repayments.repayment_id
                            rows between unbounded preceding and current row
                        ) - instalments_settled.interest_due,
                        0
                    )
                )
        end as principal_repaid_to_date

    from repayments
    inner join instalments_settled
        on repayments.instalment_key = instalments_settled.instalment_key

),

payment_principal as (

    select
        payments_accumulated.loan_id,
        payments_accumulated.paid_on,
        payments_accumulated.principal_repaid_to_date - lag(payments_accumulated.principal_repaid_to_date, 1, 0) over (
            partition by payments_accumulated.instalment_key
            order by payments_accumulated.paid_at, payments_accumulated.repayment_id
        ) as principal_repaid

    from payments_accumulated

),

write_offs as (

    select
        instalments_settled.loan_id,
        min(cast({{ dbt.dateadd('day', write_off_dpd(), 'instalments_settled.due_on') }} as date)) as written_off_on

    from instalments_settled
    cross join data_date
    where
        cast({{ dbt.dateadd('day', write_off_dpd(), 'instalments_settled.due_on') }} as date) <= data_date.data_date
        and (
            instalments_settled.settled_on is null
            or instalments_settled.settled_on
            > cast({{ dbt.dateadd('day', write_off_dpd(), 'instalments_settled.due_on') }} as date)
        )
    group by instalments_settled.loan_id

),

happenings as (

    select
        loans.loan_id,
        loans.disbursed_on as event_on,
        loans.principal as principal_disbursed,
        0 as principal_repaid,
        0 as principal_cancelled

    from loans

    union all

    select
        payment_principal.loan_id,
        payment_principal.paid_on as event_on,
        0 as principal_disbursed,
        payment_principal.principal_repaid,
        0 as principal_cancelled

    from payment_principal
    where payment_principal.principal_repaid <> 0

    union all

    select
        instalments_settled.loan_id,
        instalments_settled.settled_on as event_on,
        0 as principal_disbursed,
        0 as principal_repaid,
        case
            when instalments_settled.instalment_status = 'cancelled'
                then instalments_settled.principal_due - instalments_settled.principal_repaid
            else 0
        end as principal_cancelled

    from instalments_settled
    where instalments_settled.settled_on is not null

    union all

    select
        write_offs.loan_id,
        write_offs.written_off_on as event_on,
        0 as principal_disbursed,
        0 as principal_repaid,
        0 as principal_cancelled

    from write_offs

),

-- one row per loan and event day; nothing is dated before the disbursement
events as (

    select
        happenings.loan_id,
        greatest(happenings.event_on, loans.disbursed_on) as event_on,
        write_offs.written_off_on,
        sum(happenings.principal_disbursed) as principal_disbursed,
        sum(happenings.principal_repaid) as principal_repaid,
        sum(happenings.principal_cancelled) as principal_cancelled

    from happenings
    inner join loans
        on happenings.loan_id = loans.loan_id
    left join write_offs
        on happenings.loan_id = write_offs.loan_id
    group by
        happenings.loan_id,
        greatest(happenings.event_on, loans.disbursed_on),
        write_offs.written_off_on

),

-- the delinquency at the end of the event day, frozen at the write-off day once written off
delinquency as (

    select
        events.loan_id,
        events.event_on,
        count(
            case
                when
                    instalments_settled.due_on is not null
                    and (instalments_settled.settled_on is null or instalments_settled.settled_on > events.state_on)
                    then 1
            end
        ) as open_instalment_count,
        min(
            case
                when instalments_settled.settled_on is null or instalments_settled.settled_on > events.state_on
                    then instalments_settled.due_on
            end
        ) as oldest_open_due_on,
        coalesce(
            max(
                case
                    when instalments_settled.settled_on <= events.state_on
                        then
                            greatest(
                                {{ dbt.datediff('instalments_settled.due_on', 'instalments_settled.settled_on', 'day') }},
                                0
                            )
                end
            ),
            0
        ) as max_settled_dpd

    from (
        select
            events.loan_id,
            events.event_on,
            case
                when events.written_off_on <= events.event_on then events.written_off_on else events.event_on
            end as state_on
        from events
    ) as events
    left join instalments_settled
        on events.loan_id = instalments_settled.loan_id
    group by events.loan_id, events.event_on

),

accumulated as (

    select
        events.*,
        sum(events.principal_disbursed - events.principal_repaid - events.principal_cancelled) over (
            partition by events.loan_id
            order by events.event_on
            rows between unbounded preceding and current row
        ) as outstanding_principal,
        lead(events.event_on) over (partition by events.loan_id order by events.event_on) as next_event_on

    from events

),

periods as (

    select
        loans.loan_id,
        loans.merchant_id,
        loans.scenario,
        accumulated.event_on as valid_from,
        accumulated.next_event_on as valid_to,
        case
            when accumulated.event_on >= accumulated.written_off_on then 'written_off'
            when loans.instalment_count > 0 and delinquency.open_instalment_count = 0 then 'closed'
            else 'open'
        end as loan_state,
        delinquency.oldest_open_due_on,
        delinquency.max_settled_dpd,
        accumulated.principal_disbursed,
        accumulated.principal_repaid,
        accumulated.principal_cancelled,
        accumulated.outstanding_principal,
        -- the principal outstanding at the end of the write-off day, on the loan's rows from that day on
        case
            when accumulated.event_on >= accumulated.written_off_on
                then
                    max(
                        case
                            when accumulated.event_on = accumulated.written_off_on
                                then accumulated.outstanding_principal
                        end
                    ) over (partition by accumulated.loan_id)
            else 0
        end as written_off_principal,
        accumulated.written_off_on,
        loans.loan_terms_hash

    from accumulated
    inner join loans
        on accumulated.loan_id = loans.loan_id
    inner join delinquency
        on
            accumulated.loan_id = delinquency.loan_id
            and accumulated.event_on = delinquency.event_on

)

select
    -- ids
    periods.loan_id,
    periods.merchant_id,
    periods.scenario,

    -- validity
    periods.valid_from,
    periods.valid_to,

    -- state at the end of valid_from
    periods.loan_state,
    periods.oldest_open_due_on,
    periods.max_settled_dpd,

    -- principal moved on valid_from
    cast(periods.principal_disbursed as decimal(18, 2)) as principal_disbursed,
    cast(periods.principal_repaid as decimal(18, 2)) as principal_repaid,
    cast(periods.principal_cancelled as decimal(18, 2)) as principal_cancelled,
    cast(
        case when periods.valid_from = periods.written_off_on then periods.written_off_principal else 0 end
        as decimal(18, 2)
    ) as principal_written_off,

    -- principal at the end of valid_from
    cast(periods.outstanding_principal as decimal(18, 2)) as outstanding_principal,
    cast(periods.written_off_principal as decimal(18, 2)) as written_off_principal,

    -- dates
    periods.written_off_on,

    -- what the loan's rows were computed from: the next run's change detection (see the top)
    periods.loan_terms_hash,
    data_date.data_date as built_for_data_date,
    {{ lake_loaded_at() }} as _loaded_at

from periods
cross join data_date
