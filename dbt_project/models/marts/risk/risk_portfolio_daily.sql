-- One row per day (from the first disbursement to the data date), scenario and delinquency bucket: the loans on the
-- book at the end of the day and their outstanding principal. Every combination is present (zero when empty).
-- Buckets: current, M1, M2, M3+ for loans still being repaid (disbursed by the day, not yet paid off, returned,
-- fully settled by a course withdrawal or written off), by their days past due at the end of the day; written_off
-- holds every loan written off on or before the day, with the principal it was written off with (a running stock of
-- charge-offs, not part of the performing book).
--
-- No loan x day table: each period of int_loan_states_dated is cut where its days past due cross a bucket
-- boundary, each piece adds its loan and principal to its bucket on its first day and takes them off the day after
-- its last, and a running sum over the days turns these changes into daily stocks.
-- Incremental: a run rebuilds the days from the first one a newly loaded row can change (loan_book_affected_by(): a
-- late payment, return or withdrawal restates past days) to the data date - the stock the day before them, read
-- back, plus the changes since; the changes are cheap sums over the loan periods, the days are what costs.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_affected_days('date_day', loan_book_affected_by(), [scenario_added_to_the_book()]) }}",
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

-- the days-past-due range of each dpd_bucket(), read from the macro itself (0 .. write_off_dpd() days)
dpd_values as (

    select
        {{ dbt.datediff("cast('2000-01-01' as date)", 'day_value', 'day') }} as days_past_due
    from (
        select {{ days_between("cast('2000-01-01' as date)", dbt.dateadd('day', write_off_dpd(), "cast('2000-01-01' as date)")) }} as day_value
    ) as day_values

),

bucket_ranges as (

    select
        {{ dpd_bucket('dpd_values.days_past_due') }} as dpd_bucket,
        min(dpd_values.days_past_due) as first_dpd,
        max(dpd_values.days_past_due) as last_dpd

    from dpd_values
    group by {{ dpd_bucket('dpd_values.days_past_due') }}

),

buckets as (

    select bucket_ranges.dpd_bucket from bucket_ranges
    union all
    select 'written_off' as dpd_bucket

),

periods as (

    select
        loan_states.scenario,
        loan_states.loan_state,
        {{ loan_risk_principal('loan_states') }} as outstanding_principal,
        loan_states.valid_from,
        coalesce(loan_states.valid_to, cast({{ dbt.dateadd('day', 1, 'data_date.data_date') }} as date)) as valid_until,
        -- nothing owed yet: no days past due all period long
        coalesce(
            loan_states.oldest_open_due_on,
            coalesce(loan_states.valid_to, cast({{ dbt.dateadd('day', 1, 'data_date.data_date') }} as date))
        ) as oldest_open_due_on

    from loan_states
    cross join data_date
    where loan_states.loan_state in ('open', 'written_off')

),

-- an open period in bucket b on the days oldest_open_due_on + first_dpd .. + last_dpd (current: up to the due day)
pieces as (

    select
        periods.scenario,
        bucket_ranges.dpd_bucket,
        periods.outstanding_principal,
        case
            when bucket_ranges.first_dpd = 0 then periods.valid_from
            else
                greatest(
                    periods.valid_from,
                    cast({{ dbt.dateadd('day', 'bucket_ranges.first_dpd', 'periods.oldest_open_due_on') }} as date)
                )
        end as first_day,
        least(
            periods.valid_until,
            cast({{ dbt.dateadd('day', 'bucket_ranges.last_dpd + 1', 'periods.oldest_open_due_on') }} as date)
        ) as day_after_last

    from periods
    cross join bucket_ranges
    where periods.loan_state = 'open'

    union all

    select
        periods.scenario,
        'written_off' as dpd_bucket,
        periods.outstanding_principal,
        periods.valid_from as first_day,
        periods.valid_until as day_after_last

    from periods
    where periods.loan_state = 'written_off'

),

changes as (

    select
        pieces.first_day as date_day,
        pieces.scenario,
        pieces.dpd_bucket,
        1 as loan_change,
        pieces.outstanding_principal as principal_change
    from pieces
    where pieces.first_day < pieces.day_after_last

    union all

    select
        pieces.day_after_last as date_day,
        pieces.scenario,
        pieces.dpd_bucket,
        -1 as loan_change,
        -pieces.outstanding_principal as principal_change
    from pieces
    where pieces.first_day < pieces.day_after_last

),

daily_changes as (

    select
        changes.date_day,
        changes.scenario,
        changes.dpd_bucket,
        sum(changes.loan_change) as loan_change,
        sum(changes.principal_change) as principal_change

    from changes
    group by changes.date_day, changes.scenario, changes.dpd_bucket

),

days as (

    select calendar.date_day
    from calendar
    cross join data_date
    where
        calendar.date_day >= (select min(loan_states.valid_from) from loan_states)
        and calendar.date_day <= data_date.data_date
        and calendar.date_day >= {{ affected_from() }}

),

-- the stocks the rebuilt days continue from (nothing before a full build)
opening_stocks as (

    {%- if is_incremental() %}
    select scenario, dpd_bucket, loan_count, outstanding_principal
    from {{ this }}
    where date_day = cast({{ dbt.dateadd('day', -1, affected_from()) }} as date)
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as scenario,
        cast(null as {{ dbt.type_string() }}) as dpd_bucket,
        0 as loan_count,
        0 as outstanding_principal
    where false
    {%- endif %}

),

scenarios as (

    select distinct loan_states.scenario from loan_states

),

grid as (

    select
        days.date_day,
        scenarios.scenario,
        buckets.dpd_bucket

    from days
    cross join scenarios
    cross join buckets

),

stocks as (

    select
        grid.date_day,
        grid.scenario,
        grid.dpd_bucket,
        coalesce(opening_stocks.loan_count, 0) + sum(coalesce(daily_changes.loan_change, 0)) over (
            partition by grid.scenario, grid.dpd_bucket
            order by grid.date_day
            rows between unbounded preceding and current row
        ) as loan_count,
        coalesce(opening_stocks.outstanding_principal, 0) + sum(coalesce(daily_changes.principal_change, 0)) over (
            partition by grid.scenario, grid.dpd_bucket
            order by grid.date_day
            rows between unbounded preceding and current row
        ) as outstanding_principal

    from grid
    left join daily_changes
        on
            grid.date_day = daily_changes.date_day
            and grid.scenario = daily_changes.scenario
            and grid.dpd_bucket = daily_changes.dpd_bucket
    left join opening_stocks
        on grid.scenario = opening_stocks.scenario and grid.dpd_bucket = opening_stocks.dpd_bucket

)

select
    stocks.date_day,
    stocks.scenario,
    stocks.dpd_bucket,
    cast(stocks.loan_count as bigint) as loan_count,
    cast(stocks.outstanding_principal as decimal(18, 2)) as outstanding_principal,

    -- lineage
    {{ lake_loaded_at() }} as _loaded_at

from stocks
