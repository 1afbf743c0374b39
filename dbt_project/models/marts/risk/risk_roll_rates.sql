-- One row per month, scenario, bucket at the end of the month (from) and bucket at the end of the next month (to)
-- that at least one loan took: the month-to-month transition matrix of the book. The loans of a month are those on
-- the book at its end (disbursed by then, neither paid off, returned nor withdrawn); each is followed to the end of
-- the next month. Buckets as of the end of the day: current, M1, M2, M3+ (dpd_bucket()) and written_off (oldest
-- instalment owed 180+ days past due; absorbing, so written_off only rolls to written_off); to_bucket closed = the
-- loan paid off, was returned or was fully settled by a course withdrawal during the next month. Only month ends on
-- or before the data date are used, so the last row per from-bucket is the month ending a month before it.
-- Incremental: a run rebuilds the transitions from the last month end before the first day its newly loaded rows
-- change (loan_book_affected_by()) - the months before it start and end before anything changed.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_affected_days('from_month_end', loan_book_affected_by(),
                                           period_start=month_end_before('{day}'),
                                           built_through='to_month_end') }}",
    )
}}
with

loan_states as (

    select * from {{ ref('int_loan_states_dated') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

month_ends as (

    select calendar.date_day as month_end
    from calendar
    cross join data_date
    where
        calendar.is_month_end
        and calendar.date_day <= data_date.data_date
        and calendar.date_day >= {{ affected_from() }}

),

positions as (

    select
        loan_states.loan_id,
        loan_states.scenario,
        month_ends.month_end,
        {{ loan_risk_bucket_as_of('loan_states', 'month_ends.month_end') }} as risk_bucket,
        {{ loan_risk_principal('loan_states') }} as outstanding_principal

    from loan_states
    inner join month_ends
        on {{ is_in_force('month_ends.month_end', 'loan_states.valid_from', 'loan_states.valid_to') }}

),

transitions as (

    select
        from_positions.month_end as from_month_end,
        to_positions.month_end as to_month_end,
        from_positions.scenario,
        from_positions.risk_bucket as from_bucket,
        to_positions.risk_bucket as to_bucket,
        count(*) as loan_count,
        sum(from_positions.outstanding_principal) as from_outstanding_principal,
        sum(to_positions.outstanding_principal) as to_outstanding_principal

    from positions as from_positions
    inner join positions as to_positions
        on
            from_positions.loan_id = to_positions.loan_id
            and to_positions.month_end
            = cast({{ dbt.last_day(dbt.dateadd('day', 1, 'from_positions.month_end'), 'month') }} as date)
    where from_positions.risk_bucket <> 'closed'
    group by
        from_positions.month_end,
        to_positions.month_end,
        from_positions.scenario,
        from_positions.risk_bucket,
        to_positions.risk_bucket

)

select
    -- keys
    transitions.from_month_end,
    transitions.to_month_end,
    transitions.scenario,
    transitions.from_bucket,
    transitions.to_bucket,

    -- loans
    cast(transitions.loan_count as bigint) as loan_count,
    {{ ratio(
        'transitions.loan_count',
        'sum(transitions.loan_count) over (
            partition by transitions.from_month_end, transitions.scenario, transitions.from_bucket
        )'
    ) }} as loan_share,

    -- principal
    cast(transitions.from_outstanding_principal as decimal(18, 2)) as from_outstanding_principal,
    {{ ratio(
        'transitions.from_outstanding_principal',
        'sum(transitions.from_outstanding_principal) over (
            partition by transitions.from_month_end, transitions.scenario, transitions.from_bucket
        )'
    ) }} as principal_share,
    cast(transitions.to_outstanding_principal as decimal(18, 2)) as to_outstanding_principal,

    -- lineage
    {{ lake_loaded_at() }} as _loaded_at

from transitions
