-- One row per merchant ever admitted and calendar day from the first day the lender knew of it (its first version
-- in merchant management, pending admission or admitted) to the data date: what was known about the
-- merchant at the end of that day, from records dated on or before it - the shared measurement behind
-- merchant_tiers and merchant_warnings. Three kinds of columns:
--   *_1d / *_30d / *_90d / *_180d / *_365d   counts and amounts of the day / the trailing 30, 90, 180, 365 days
--                                            ending with it (a dense merchant x day spine and row frames, so
--                                            a merchant's quiet days count as zeros);
--   *_prior_365d                             the same over the 365 days BEFORE the day (the merchant's own
--                                            baseline, the day itself left out);
--   scenario_*_365d                          the sums over every merchant of the scenario (the scenario norm);
-- and point-in-time states: terms in force (admission status, deposit ratio), principal outstanding (every principal
-- movement of int_loan_states_dated, written-off loans still counting - as in merchant_deposit_positions) and the
-- deposit balance at the close of the day (running sums of the day movements), stores open and sales reps hired.
-- A table in schema `intermediate` (not published), not ephemeral: both of its users would otherwise compute it
-- inside their own query - at 1M customers (12.8M merchant days) merchant_tiers ran out of DuckDB's 14 GiB doing so.
--
-- Incremental (macros/core/incremental.sql): a daily run rebuilds the days from the first one its newly loaded rows
-- can change (merchant_days_affected_by() says which date of each input positions it) to the data date - usually
-- the new day, a few days more when a return or refund lands late. So that a day needs no history, every summed
-- count is kept as a running total from the merchant's first day (cum_*): a trailing sum over N days is the total
-- at the day minus the total N days before (the rows before the rebuilt days are read back from the table), and a
-- stock (outstanding principal, deposit balance, stores, reps) is the stock the day before plus the day's change.
-- Counts and amounts are exact, so a rebuilt day has the very numbers of a full build; the double-valued sums (the
-- z-scores of the customer base) agree to ~1e-12.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        schema='intermediate',
        on_schema_change='fail',
        pre_hook="{{ replace_affected_days('date_day', merchant_days_affected_by(), [merchant_days_started_earlier()]) }}",
    )
}}
{#- the daily counts summed over trailing windows: (column, trailing windows, windows before the day) -#}
{%- set summed = [
    ('applications', [30, 90, 365], [90]),
    ('odd_hour_applications', [30, 365], []),
    ('split_order_applications', [30], []),
    ('shared_device_applications', [90], []),
    ('age_profiled', [180], []),
    ('age_z_sum', [180], []),
    ('age_z_squared_sum', [180], []),
    ('income_profiled', [180], []),
    ('income_z_sum', [180], []),
    ('region_profiled', [180], []),
    ('other_province_applications', [180], []),
    ('other_province_expected', [180], []),
    ('other_province_variance', [180], []),
    ('loans_disbursed', [90, 365], []),
    ('principal_disbursed', [365], []),
    ('fpd7_observable_loans', [90, 365], []),
    ('fpd7_loans', [90, 365], []),
    ('fpd30_observable_loans', [365], []),
    ('fpd30_loans', [365], []),
    ('ever_30dpd_loans', [365], []),
    ('never_paid_observable_loans', [365], []),
    ('never_paid_60dpd_loans', [365], []),
    ('fraud_listed_loans', [365], []),
    ('return_refund_cases', [90, 365], []),
    ('return_refund_amount', [365], []),
    ('complaints', [90], [365]),
    ('high_severity_complaints', [90], []),
    ('non_delivery_complaints', [90], []),
    ('callbacks_answered', [90, 365], []),
    ('callbacks_not_received', [90, 365], []),
] -%}
{#- the stocks at the close of the day: (column, daily change, opening) -#}
{%- set stocks = [
    ('outstanding_principal', 'principal_change', 'openings.principal_opening'),
    ('deposit_balance', 'deposit_change', 'openings.deposit_opening'),
    ('open_store_count', 'stores_opened', 'coalesce(openings_before.stores_opened, 0)'),
    ('sales_rep_count', 'reps_hired', 'coalesce(openings_before.reps_hired, 0)'),
] -%}
{#- the days back a total is read at: N for a trailing N-day sum, 1 and N + 1 for the N days before the day -#}
{%- set lookbacks = [] -%}
{%- for column, windows, preceding in summed -%}
    {%- for days in windows if days not in lookbacks %}{% do lookbacks.append(days) %}{% endfor -%}
    {%- for days in preceding -%}
        {%- for back in [1, days + 1] if back not in lookbacks %}{% do lookbacks.append(back) %}{% endfor -%}
    {%- endfor -%}
{%- endfor %}


with

merchants as (

    select * from {{ ref('dim_merchants') }}

),

merchant_versions as (

    select * from {{ ref('int_merchant_versions_dated') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

loans as (

    select * from {{ ref('int_merchant_loans_dated') }}

),

applications as (

    select * from {{ ref('int_merchant_applications_flagged') }}

),

loan_returns as (

    select * from {{ ref('fct_loan_returns') }}

),

refunds as (

    select * from {{ ref('fct_refunds') }}

),

complaints as (

    select * from {{ ref('stg_operations__complaints') }}

),

callbacks as (

    select * from {{ ref('stg_operations__callbacks') }}

),

stores as (

    select * from {{ ref('dim_stores') }}

),

sales_reps as (

    select * from {{ ref('dim_sales_reps') }}

),

loan_states as (

    select * from {{ ref('int_loan_states_dated') }}

),

deposit_movements as (

    select * from {{ ref('fct_deposit_movements') }}

),

-- every merchant ever admitted, from the first day the lender knew of it (an application for admission may come
-- first - what happened before admission counts in the windows); the marts keep the days they need
spine as (

    select
        merchants.merchant_id,
        merchants.scenario,
        merchants.first_admitted_on,
        least(coalesce(merchants.first_seen_on, merchants.first_admitted_on), merchants.first_admitted_on)
            as first_day,
        {{ days_between(
            'greatest(least(coalesce(merchants.first_seen_on, merchants.first_admitted_on), merchants.first_admitted_on), '
            ~ affected_from() ~ ')',
            'data_date.data_date'
        ) }} as date_day

    from merchants
    cross join data_date
    where merchants.first_admitted_on is not null and merchants.first_admitted_on <= data_date.data_date

),

-- daily counts, one CTE per source ----------------------------------------------------------------------------

application_days as (

    select
        applications.merchant_id,
        applications.application_date as date_day,
        count(*) as applications,
        sum(case when applications.is_odd_hour then 1 else 0 end) as odd_hour_applications,
        sum(case when applications.is_split_order then 1 else 0 end) as split_order_applications,
        sum(case when applications.is_shared_device then 1 else 0 end) as shared_device_applications,
        count(applications.age_z) as age_profiled,
        sum(applications.age_z) as age_z_sum,
        sum(applications.age_z * applications.age_z) as age_z_squared_sum,
        count(applications.income_z) as income_profiled,
        sum(applications.income_z) as income_z_sum,
        count(case when applications.norm_other_province_share is not null then applications.is_other_province end)
            as region_profiled,
        sum(case when applications.norm_other_province_share is not null then applications.is_other_province end)
            as other_province_applications,
        sum(case when applications.is_other_province is not null then applications.norm_other_province_share end)
            as other_province_expected,
        sum(
            case
                when applications.is_other_province is not null
                    then applications.norm_other_province_share * (1 - applications.norm_other_province_share)
            end
        ) as other_province_variance

    from applications
    group by applications.merchant_id, applications.application_date

),

loan_events as (

    select loans.merchant_id, loans.disbursed_on as date_day, 'disbursed' as event, loans.principal as amount
    from loans
    union all
    select loans.merchant_id, loans.fpd7_observable_on, 'fpd7_observable', 0 from loans
    where loans.fpd7_observable_on is not null
    union all
    select loans.merchant_id, loans.fpd7_on, 'fpd7', 0 from loans where loans.fpd7_on is not null
    union all
    select loans.merchant_id, loans.fpd30_observable_on, 'fpd30_observable', 0 from loans
    where loans.fpd30_observable_on is not null
    union all
    select loans.merchant_id, loans.fpd30_on, 'fpd30', 0 from loans where loans.fpd30_on is not null
    union all
    select loans.merchant_id, loans.ever_30dpd_on, 'ever_30dpd', 0 from loans where loans.ever_30dpd_on is not null
    union all
    select loans.merchant_id, loans.never_paid_observable_on, 'never_paid_observable', 0 from loans
    where loans.never_paid_observable_on is not null
    union all
    select loans.merchant_id, loans.never_paid_60dpd_on, 'never_paid_60dpd', 0 from loans
    where loans.never_paid_60dpd_on is not null
    union all
    select loans.merchant_id, loans.fraud_listed_on, 'fraud_listed', 0 from loans
    where loans.fraud_listed_on is not null

),

loan_days as (

    select
        loan_events.merchant_id,
        loan_events.date_day,
        sum(case when loan_events.event = 'disbursed' then 1 else 0 end) as loans_disbursed,
        sum(case when loan_events.event = 'disbursed' then loan_events.amount else 0 end) as principal_disbursed,
        sum(case when loan_events.event = 'fpd7_observable' then 1 else 0 end) as fpd7_observable_loans,
        sum(case when loan_events.event = 'fpd7' then 1 else 0 end) as fpd7_loans,
        sum(case when loan_events.event = 'fpd30_observable' then 1 else 0 end) as fpd30_observable_loans,
        sum(case when loan_events.event = 'fpd30' then 1 else 0 end) as fpd30_loans,
        sum(case when loan_events.event = 'ever_30dpd' then 1 else 0 end) as ever_30dpd_loans,
        sum(case when loan_events.event = 'never_paid_observable' then 1 else 0 end) as never_paid_observable_loans,
        sum(case when loan_events.event = 'never_paid_60dpd' then 1 else 0 end) as never_paid_60dpd_loans,
        sum(case when loan_events.event = 'fraud_listed' then 1 else 0 end) as fraud_listed_loans

    from loan_events
    group by loan_events.merchant_id, loan_events.date_day

),

outflow_events as (

    select loan_returns.merchant_id, loan_returns.requested_on as date_day, loan_returns.return_amount as amount
    from loan_returns
    union all
    select refunds.merchant_id, refunds.requested_on as date_day, refunds.refund_amount as amount
    from refunds

),

outflow_days as (

    select
        outflow_events.merchant_id,
        outflow_events.date_day,
        count(*) as return_refund_cases,
        sum(outflow_events.amount) as return_refund_amount

    from outflow_events
    group by outflow_events.merchant_id, outflow_events.date_day

),

complaint_days as (

    select
        complaints.merchant_id,
        cast(complaints.received_at as date) as date_day,
        count(*) as complaints,
        sum(case when complaints.severity = 'high' then 1 else 0 end) as high_severity_complaints,
        sum(
            case
                when complaints.category in ('goods_not_received', 'service_not_delivered', 'store_closed') then 1
                else 0
            end
        ) as non_delivery_complaints

    from complaints
    group by complaints.merchant_id, cast(complaints.received_at as date)

),

callback_days as (

    select
        callbacks.merchant_id,
        cast(callbacks.called_at as date) as date_day,
        sum(case when callbacks.result in ('received', 'not_received') then 1 else 0 end) as callbacks_answered,
        sum(case when callbacks.result = 'not_received' then 1 else 0 end) as callbacks_not_received

    from callbacks
    group by callbacks.merchant_id, cast(callbacks.called_at as date)

),

opening_days as (

    select stores.merchant_id, stores.opened_on as date_day, count(*) as stores_opened, 0 as reps_hired
    from stores
    group by stores.merchant_id, stores.opened_on
    union all
    select sales_reps.merchant_id, sales_reps.hired_on as date_day, 0 as stores_opened, count(*) as reps_hired
    from sales_reps
    group by sales_reps.merchant_id, sales_reps.hired_on

),

opening_days_grouped as (

    select
        opening_days.merchant_id,
        opening_days.date_day,
        sum(opening_days.stores_opened) as stores_opened,
        sum(opening_days.reps_hired) as reps_hired

    from opening_days
    group by opening_days.merchant_id, opening_days.date_day

),

-- the busiest sales rep's applications over the 90 days ending each day (merchant-days with applications then)
rep_windows as (

    select
        spine.merchant_id,
        spine.date_day,
        applications.sales_rep_id,
        count(*) as rep_applications

    from spine
    inner join applications
        on
            spine.merchant_id = applications.merchant_id
            and applications.application_date <= spine.date_day
            and applications.application_date > cast({{ dbt.dateadd('day', -90, 'spine.date_day') }} as date)
    where
        applications.sales_rep_id is not null
        and applications.application_date > cast({{ dbt.dateadd('day', -90, affected_from()) }} as date)
    group by spine.merchant_id, spine.date_day, applications.sales_rep_id

),

rep_concentration as (

    select
        rep_windows.merchant_id,
        rep_windows.date_day,
        max(rep_windows.rep_applications) as top_rep_applications_90d,
        sum(rep_windows.rep_applications) as rep_handled_applications_90d,
        count(*) as active_reps_90d

    from rep_windows
    group by rep_windows.merchant_id, rep_windows.date_day

),

-- principal outstanding and deposit balance move by these amounts on these days (running sums below)
principal_changes as (

    select
        loan_states.merchant_id,
        loan_states.valid_from as date_day,
        sum(loan_states.principal_disbursed - loan_states.principal_repaid - loan_states.principal_cancelled)
            as principal_change

    from loan_states
    group by loan_states.merchant_id, loan_states.valid_from

),

deposit_changes as (

    select
        deposit_movements.merchant_id,
        deposit_movements.moved_on as date_day,
        sum(deposit_movements.signed_amount) as deposit_change

    from deposit_movements
    group by deposit_movements.merchant_id, deposit_movements.moved_on

),

-- what moved before the spine's first day opens it
opening_balances as (

    select
        spine.merchant_id,
        coalesce(sum(principal_changes.principal_change), 0) as principal_opening,
        0 as deposit_opening

    from spine
    left join principal_changes
        on spine.merchant_id = principal_changes.merchant_id and principal_changes.date_day < spine.first_day
    where spine.date_day = spine.first_day
    group by spine.merchant_id

    union all

    select
        spine.merchant_id,
        0 as principal_opening,
        coalesce(sum(deposit_changes.deposit_change), 0) as deposit_opening

    from spine
    left join deposit_changes
        on spine.merchant_id = deposit_changes.merchant_id and deposit_changes.date_day < spine.first_day
    where spine.date_day = spine.first_day
    group by spine.merchant_id

),

openings as (

    select
        opening_balances.merchant_id,
        sum(opening_balances.principal_opening) as principal_opening,
        sum(opening_balances.deposit_opening) as deposit_opening

    from opening_balances
    group by opening_balances.merchant_id

),

merchant_days as (

    select
        spine.merchant_id,
        spine.scenario,
        spine.date_day,
        {{ dbt.datediff('spine.first_admitted_on', 'spine.date_day', 'day') }} as tenure_days,
        merchant_versions.admission_status,
        merchant_versions.deposit_ratio,
        coalesce(principal_changes.principal_change, 0) as principal_change,
        coalesce(deposit_changes.deposit_change, 0) as deposit_change,
        coalesce(application_days.applications, 0) as applications,
        coalesce(application_days.odd_hour_applications, 0) as odd_hour_applications,
        coalesce(application_days.split_order_applications, 0) as split_order_applications,
        coalesce(application_days.shared_device_applications, 0) as shared_device_applications,
        coalesce(application_days.age_profiled, 0) as age_profiled,
        coalesce(application_days.age_z_sum, 0) as age_z_sum,
        coalesce(application_days.age_z_squared_sum, 0) as age_z_squared_sum,
        coalesce(application_days.income_profiled, 0) as income_profiled,
        coalesce(application_days.income_z_sum, 0) as income_z_sum,
        coalesce(application_days.region_profiled, 0) as region_profiled,
        coalesce(application_days.other_province_applications, 0) as other_province_applications,
        coalesce(application_days.other_province_expected, 0) as other_province_expected,
        coalesce(application_days.other_province_variance, 0) as other_province_variance,
        coalesce(loan_days.loans_disbursed, 0) as loans_disbursed,
        coalesce(loan_days.principal_disbursed, 0) as principal_disbursed,
        coalesce(loan_days.fpd7_observable_loans, 0) as fpd7_observable_loans,
        coalesce(loan_days.fpd7_loans, 0) as fpd7_loans,
        coalesce(loan_days.fpd30_observable_loans, 0) as fpd30_observable_loans,
        coalesce(loan_days.fpd30_loans, 0) as fpd30_loans,
        coalesce(loan_days.ever_30dpd_loans, 0) as ever_30dpd_loans,
        coalesce(loan_days.never_paid_observable_loans, 0) as never_paid_observable_loans,
        coalesce(loan_days.never_paid_60dpd_loans, 0) as never_paid_60dpd_loans,
        coalesce(loan_days.fraud_listed_loans, 0) as fraud_listed_loans,
        coalesce(outflow_days.return_refund_cases, 0) as return_refund_cases,
        coalesce(outflow_days.return_refund_amount, 0) as return_refund_amount,
        coalesce(complaint_days.complaints, 0) as complaints,
        coalesce(complaint_days.high_severity_complaints, 0) as high_severity_complaints,
        coalesce(complaint_days.non_delivery_complaints, 0) as non_delivery_complaints,
        coalesce(callback_days.callbacks_answered, 0) as callbacks_answered,
        coalesce(callback_days.callbacks_not_received, 0) as callbacks_not_received,
        coalesce(opening_days_grouped.stores_opened, 0) as stores_opened,
        coalesce(opening_days_grouped.reps_hired, 0) as reps_hired,
        coalesce(rep_concentration.top_rep_applications_90d, 0) as top_rep_applications_90d,
        coalesce(rep_concentration.rep_handled_applications_90d, 0) as rep_handled_applications_90d,
        coalesce(rep_concentration.active_reps_90d, 0) as active_reps_90d

    from spine
    -- is_in_force(), written with the open end as a far date so the engine range-joins instead of looping
    left join merchant_versions
        on
            spine.merchant_id = merchant_versions.merchant_id
            and merchant_versions.in_force_from <= spine.date_day
            and spine.date_day < coalesce(merchant_versions.in_force_to, cast('9999-12-31' as date))
    left join principal_changes
        on spine.merchant_id = principal_changes.merchant_id and spine.date_day = principal_changes.date_day
    left join deposit_changes
        on spine.merchant_id = deposit_changes.merchant_id and spine.date_day = deposit_changes.date_day
    left join application_days
        on spine.merchant_id = application_days.merchant_id and spine.date_day = application_days.date_day
    left join loan_days
        on spine.merchant_id = loan_days.merchant_id and spine.date_day = loan_days.date_day
    left join outflow_days
        on spine.merchant_id = outflow_days.merchant_id and spine.date_day = outflow_days.date_day
    left join complaint_days
        on spine.merchant_id = complaint_days.merchant_id and spine.date_day = complaint_days.date_day
    left join callback_days
        on spine.merchant_id = callback_days.merchant_id and spine.date_day = callback_days.date_day
    left join opening_days_grouped
        on spine.merchant_id = opening_days_grouped.merchant_id and spine.date_day = opening_days_grouped.date_day
    left join rep_concentration
        on spine.merchant_id = rep_concentration.merchant_id and spine.date_day = rep_concentration.date_day

),

-- stores and reps that opened / were hired before the spine's first day count from it
openings_before as (

    select
        opening_days_grouped.merchant_id,
        sum(opening_days_grouped.stores_opened) as stores_opened,
        sum(opening_days_grouped.reps_hired) as reps_hired

    from opening_days_grouped
    inner join spine
        on
            opening_days_grouped.merchant_id = spine.merchant_id
            and opening_days_grouped.date_day < spine.first_day
            and spine.date_day = spine.first_day
    group by opening_days_grouped.merchant_id

),

{% if is_incremental() %}
-- the rows already built that the rebuilt days continue from: the day before them (running totals and stocks) and
-- the days the trailing sums of the rebuilt days look back to
previous as (

    select * from {{ this }}
    where
        date_day < {{ affected_from() }}
        and (
            date_day = cast({{ dbt.dateadd('day', -1, affected_from()) }} as date)
            {%- for back in lookbacks %}
            or date_day >= cast({{ dbt.dateadd('day', -back, affected_from()) }} as date)
            and date_day <= cast({{ dbt.dateadd('day', -back, '(select data_date.data_date from data_date)') }} as date)
            {%- endfor %}
        )

),

{% endif %}
-- running totals from the merchant's first day (continued from the day before the rebuilt ones) and the stocks
totals as (

    select
        merchant_days.*,
        {%- for stock, change, opening in stocks %}
        {% if is_incremental() %}coalesce(day_before.{{ stock }}, {{ opening }}){% else %}{{ opening }}{% endif %}
        + sum(merchant_days.{{ change }}) over running as {{ stock }},
        {%- endfor %}
        {%- for column, windows, preceding in summed %}
        {% if is_incremental() %}coalesce(day_before.cum_{{ column }}, 0) + {% endif -%}
        sum(merchant_days.{{ column }}) over running as cum_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}

    from merchant_days
    left join openings_before on merchant_days.merchant_id = openings_before.merchant_id
    left join openings on merchant_days.merchant_id = openings.merchant_id
    {%- if is_incremental() %}
    left join previous as day_before
        on
            merchant_days.merchant_id = day_before.merchant_id
            and day_before.date_day = cast({{ dbt.dateadd('day', -1, affected_from()) }} as date)
    {%- endif %}
    window running as (
        partition by merchant_days.merchant_id order by merchant_days.date_day
        rows between unbounded preceding and current row
    )

),

{% if is_incremental() %}
totals_kept_and_rebuilt as (

    select
        merchant_id,
        date_day,
        {%- for column, windows, preceding in summed %}
        cum_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from totals
    union all
    select
        merchant_id,
        date_day,
        {%- for column, windows, preceding in summed %}
        cum_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from previous

),

{% endif %}
-- each total as it stood `back` days before the day (0 before the merchant's first day): a dense spine, so in a full
-- build the row `back` rows earlier
looked_back as (

    select
        totals.*
        {%- for column, windows, preceding in summed %}
        {%- for back in lookbacks if back in windows or (preceding and (back == 1 or (back - 1) in preceding)) %},
        coalesce(
            {%- if is_incremental() %} back_{{ back }}.cum_{{ column }}
            {%- else %} lag(totals.cum_{{ column }}, {{ back }}) over (partition by totals.merchant_id order by totals.date_day)
            {%- endif %}, 0
        ) as cum_{{ column }}_back_{{ back }}
        {%- endfor %}
        {%- endfor %}

    from totals
    {%- if is_incremental() %}
    {%- for back in lookbacks %}
    left join totals_kept_and_rebuilt as back_{{ back }}
        on
            totals.merchant_id = back_{{ back }}.merchant_id
            and back_{{ back }}.date_day = cast({{ dbt.dateadd('day', -back, 'totals.date_day') }} as date)
    {%- endfor %}
    {%- endif %}

),

rolled as (

    select
        looked_back.merchant_id,
        looked_back.scenario,
        looked_back.date_day,
        looked_back.tenure_days,
        looked_back.admission_status,
        looked_back.deposit_ratio,
        looked_back.outstanding_principal,
        looked_back.deposit_balance,
        looked_back.open_store_count,
        looked_back.sales_rep_count,

        -- applications and their patterns
        looked_back.applications as applications_1d,
        {{ total_before('applications', 90) }} as applications_prior_90d,
        {{ total_over('applications', 30) }} as applications_30d,
        {{ total_over('applications', 90) }} as applications_90d,
        {{ total_over('applications', 365) }} as applications_365d,
        {{ total_over('odd_hour_applications', 30) }} as odd_hour_applications_30d,
        {{ total_over('odd_hour_applications', 365) }} as odd_hour_applications_365d,
        {{ total_over('split_order_applications', 30) }} as split_order_applications_30d,
        {{ total_over('shared_device_applications', 90) }} as shared_device_applications_90d,
        looked_back.top_rep_applications_90d,
        looked_back.rep_handled_applications_90d,
        looked_back.active_reps_90d,

        -- customer base against the scenario norm, last 180 days
        {{ total_over('age_profiled', 180) }} as age_profiled_180d,
        {{ total_over('age_z_sum', 180) }} as age_z_sum_180d,
        {{ total_over('age_z_squared_sum', 180) }} as age_z_squared_sum_180d,
        {{ total_over('income_profiled', 180) }} as income_profiled_180d,
        {{ total_over('income_z_sum', 180) }} as income_z_sum_180d,
        {{ total_over('region_profiled', 180) }} as region_profiled_180d,
        {{ total_over('other_province_applications', 180) }} as other_province_applications_180d,
        {{ total_over('other_province_expected', 180) }} as other_province_expected_180d,
        {{ total_over('other_province_variance', 180) }} as other_province_variance_180d,

        -- loans and their outcomes
        {{ total_over('loans_disbursed', 90) }} as loans_disbursed_90d,
        {{ total_over('loans_disbursed', 365) }} as loans_disbursed_365d,
        {{ total_over('principal_disbursed', 365) }} as principal_disbursed_365d,
        {{ total_over('fpd7_observable_loans', 90) }} as fpd7_observable_loans_90d,
        {{ total_over('fpd7_loans', 90) }} as fpd7_loans_90d,
        {{ total_over('fpd7_observable_loans', 365) }} as fpd7_observable_loans_365d,
        {{ total_over('fpd7_loans', 365) }} as fpd7_loans_365d,
        {{ total_over('fpd30_observable_loans', 365) }} as fpd30_observable_loans_365d,
        {{ total_over('fpd30_loans', 365) }} as fpd30_loans_365d,
        {{ total_over('ever_30dpd_loans', 365) }} as ever_30dpd_loans_365d,
        {{ total_over('never_paid_observable_loans', 365) }} as never_paid_observable_loans_365d,
        {{ total_over('never_paid_60dpd_loans', 365) }} as never_paid_60dpd_loans_365d,
        {{ total_over('fraud_listed_loans', 365) }} as fraud_listed_loans_365d,

        -- returns and refunds
        {{ total_over('return_refund_cases', 90) }} as return_refund_cases_90d,
        {{ total_over('return_refund_cases', 365) }} as return_refund_cases_365d,
        {{ total_over('return_refund_amount', 365) }} as return_refund_amount_365d,

        -- complaints and call-backs
        {{ total_over('complaints', 90) }} as complaints_90d,
        {{ total_over('high_severity_complaints', 90) }} as high_severity_complaints_90d,
        {{ total_over('non_delivery_complaints', 90) }} as non_delivery_complaints_90d,
        {{ total_before('complaints', 365) }} as complaints_prior_365d,
        {{ total_over('callbacks_answered', 90) }} as callbacks_answered_90d,
        {{ total_over('callbacks_not_received', 90) }} as callbacks_not_received_90d,
        {{ total_over('callbacks_answered', 365) }} as callbacks_answered_365d,
        {{ total_over('callbacks_not_received', 365) }} as callbacks_not_received_365d,

        -- the running totals the next run continues from
        {%- for column, windows, preceding in summed %}
        looked_back.cum_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}

    from looked_back

),

-- every merchant's rows of the rebuilt days are rebuilt, so the scenario's sums over them are whole
scenario_days as (

    select
        rolled.scenario,
        rolled.date_day,
        sum(rolled.loans_disbursed_365d) as scenario_loans_disbursed_365d,
        sum(rolled.return_refund_cases_365d) as scenario_return_refund_cases_365d,
        sum(rolled.fpd7_observable_loans_365d) as scenario_fpd7_observable_loans_365d,
        sum(rolled.fpd7_loans_365d) as scenario_fpd7_loans_365d,
        sum(rolled.callbacks_answered_365d) as scenario_callbacks_answered_365d,
        sum(rolled.callbacks_not_received_365d) as scenario_callbacks_not_received_365d,
        sum(rolled.applications_365d) as scenario_applications_365d,
        sum(rolled.odd_hour_applications_365d) as scenario_odd_hour_applications_365d

    from rolled
    group by rolled.scenario, rolled.date_day

)

select
    rolled.*,
    scenario_days.scenario_loans_disbursed_365d,
    scenario_days.scenario_return_refund_cases_365d,
    scenario_days.scenario_fpd7_observable_loans_365d,
    scenario_days.scenario_fpd7_loans_365d,
    scenario_days.scenario_callbacks_answered_365d,
    scenario_days.scenario_callbacks_not_received_365d,
    scenario_days.scenario_applications_365d,
    scenario_days.scenario_odd_hour_applications_365d,
    {{ lake_loaded_at() }} as _loaded_at

from rolled
inner join scenario_days
    on rolled.scenario = scenario_days.scenario and rolled.date_day = scenario_days.date_day
