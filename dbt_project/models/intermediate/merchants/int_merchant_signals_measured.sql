-- One row per merchant, day and early-warning signal that can be measured that day (admitted or suspended merchants;
-- a signal without its denominator that day has no row): the signal's test statistic - the number compared with the
-- thresholds of seed merchant_warning_thresholds - and the evidence a risk officer reads:
--   metric_name / metric_value   what was measured (a rate, a count, a ratio, a z-score),
--   baseline_value               what it is compared with (the scenario norm, the merchant's own past, 0 or 1),
--   event_count                  the events behind it (checked against the threshold's min_events),
--   threshold_offset / _scale    how a configured threshold reads in the metric's unit:
--                                threshold_value = threshold_offset + threshold_scale x threshold.
-- Every figure comes from int_merchant_days_measured, so only records dated on or before the day.
--
-- signal                    statistic                                                 metric
-- return_refund_spike       90-day return+refund cases per loan / scenario's 365-day  the merchant's rate
-- complaint_spike           complaints in 90 days - own average per 90 days before    complaints in 90 days
-- non_delivery_complaints   complaints in 90 days that goods or service never came or   their count
--                           the store closed (the complaint system's own categories)
-- callback_not_received     "not received" share of answered call-backs, 90 days      that share
-- fpd_spike                 FPD7 rate of the loans first due 7-97 days ago / scenario's  the merchant's rate
-- customer_base_deviation   largest deviation z of the last 180 days' applicants       that z (age, age spread,
--                           from the scenario norm                                        income, other province)
-- application_burst         applications today / the day average of the 90 days before  applications today
-- odd_hour_applications     share of the 30 days' applications made 23:00-05:59        that share
-- split_orders              same-day repeat applications of one customer, 30 days      their count
-- shared_devices            applications on a device another customer used there, 90 d  their count
-- deposit_shortfall         deposit balance / required deposit (lower is worse)         that coverage
-- sales_rep_concentration   the busiest rep's share of the 90 days' applications        that share
with

merchant_days as (

    select * from {{ ref('int_merchant_days_measured') }}

),

watched as (

    select * from merchant_days
    where merchant_days.admission_status in ('admitted', 'suspended')

),

measured as (

    select
        watched.merchant_id,
        watched.date_day,
        {{ ratio('watched.return_refund_cases_90d', 'watched.loans_disbursed_90d') }} as return_refund_rate_90d,
        {{ ratio('watched.scenario_return_refund_cases_365d', 'watched.scenario_loans_disbursed_365d') }}
            as scenario_return_refund_rate,
        watched.return_refund_cases_90d,
        watched.complaints_90d,
        watched.complaints_prior_365d / 4.0 as complaints_baseline_90d,
        watched.non_delivery_complaints_90d,
        {{ ratio('watched.callbacks_not_received_90d', 'watched.callbacks_answered_90d') }}
            as not_received_share_90d,
        {{ ratio('watched.scenario_callbacks_not_received_365d', 'watched.scenario_callbacks_answered_365d') }}
            as scenario_not_received_share,
        watched.callbacks_not_received_90d,
        {{ ratio('watched.fpd7_loans_90d', 'watched.fpd7_observable_loans_90d') }} as fpd7_rate_90d,
        {{ ratio('watched.scenario_fpd7_loans_365d', 'watched.scenario_fpd7_observable_loans_365d') }}
            as scenario_fpd7_rate,
        watched.fpd7_loans_90d,
        watched.age_profiled_180d,
        case
            when watched.age_profiled_180d > 0
                then abs(watched.age_z_sum_180d) / sqrt(watched.age_profiled_180d)
        end as age_mean_z,
        case
            when watched.age_profiled_180d > 0
                then (watched.age_z_squared_sum_180d - watched.age_profiled_180d)
                / sqrt(2.0 * watched.age_profiled_180d)
        end as age_spread_z,
        case
            when watched.income_profiled_180d > 0
                then abs(watched.income_z_sum_180d) / sqrt(watched.income_profiled_180d)
        end as income_z,
        case
            when watched.other_province_variance_180d > 0
                then (watched.other_province_applications_180d - watched.other_province_expected_180d)
                / sqrt(watched.other_province_variance_180d)
        end as region_z,
        watched.applications_1d,
        greatest(watched.applications_prior_90d / 90.0, 0.2) as applications_daily_baseline,
        {{ ratio('watched.odd_hour_applications_30d', 'watched.applications_30d') }} as odd_hour_share_30d,
        {{ ratio('watched.scenario_odd_hour_applications_365d', 'watched.scenario_applications_365d') }}
            as scenario_odd_hour_share,
        watched.odd_hour_applications_30d,
        watched.split_order_applications_30d,
        watched.shared_device_applications_90d,
        round(coalesce(watched.deposit_ratio, 0) * watched.outstanding_principal, 2) as required_deposit,
        watched.deposit_balance,
        watched.sales_rep_count,
        watched.rep_handled_applications_90d,
        {{ ratio('watched.top_rep_applications_90d', 'watched.rep_handled_applications_90d') }} as top_rep_share_90d

    from watched

),

-- the customer-base dimension furthest from the norm
dimensions as (

    select merchant_id, date_day, age_profiled_180d, 'age_mean' as dimension, age_mean_z as z from measured
    union all
    select merchant_id, date_day, age_profiled_180d, 'age_spread', age_spread_z from measured
    union all
    select merchant_id, date_day, age_profiled_180d, 'income', income_z from measured
    union all
    select merchant_id, date_day, age_profiled_180d, 'other_province', region_z from measured

),

deviations as (

    select
        dimensions.*,
        row_number() over (
            partition by dimensions.merchant_id, dimensions.date_day
            order by dimensions.z desc, dimensions.dimension
        ) as rank_of_dimension

    from dimensions
    where dimensions.z is not null

),

signals as (

    select
        merchant_id, date_day, 'return_refund_spike' as signal,
        'return_refund_rate_90d' as metric_name,
        return_refund_rate_90d as metric_value,
        scenario_return_refund_rate as baseline_value,
        return_refund_rate_90d / scenario_return_refund_rate as statistic,
        return_refund_cases_90d as event_count,
        0.0 as threshold_offset,
        scenario_return_refund_rate as threshold_scale
    from measured
    where return_refund_rate_90d is not null and scenario_return_refund_rate > 0

    union all

    select
        merchant_id, date_day, 'complaint_spike',
        'complaints_90d',
        complaints_90d,
        complaints_baseline_90d,
        complaints_90d - complaints_baseline_90d,
        complaints_90d,
        complaints_baseline_90d,
        1.0
    from measured

    union all

    select
        merchant_id, date_day, 'non_delivery_complaints',
        'non_delivery_complaints_90d',
        non_delivery_complaints_90d,
        0.0,
        non_delivery_complaints_90d,
        non_delivery_complaints_90d,
        0.0,
        1.0
    from measured
    where non_delivery_complaints_90d > 0

    union all

    select
        merchant_id, date_day, 'callback_not_received',
        'not_received_share_90d',
        not_received_share_90d,
        scenario_not_received_share,
        not_received_share_90d,
        callbacks_not_received_90d,
        0.0,
        1.0
    from measured
    where not_received_share_90d is not null

    union all

    select
        merchant_id, date_day, 'fpd_spike',
        'fpd7_rate_recent_cohorts',
        fpd7_rate_90d,
        scenario_fpd7_rate,
        fpd7_rate_90d / scenario_fpd7_rate,
        fpd7_loans_90d,
        0.0,
        scenario_fpd7_rate
    from measured
    where fpd7_rate_90d is not null and scenario_fpd7_rate > 0

    union all

    select
        merchant_id, date_day, 'customer_base_deviation',
        'deviation_z_' || dimension,
        z,
        0.0,
        z,
        age_profiled_180d,
        0.0,
        1.0
    from deviations
    where rank_of_dimension = 1

    union all

    select
        merchant_id, date_day, 'application_burst',
        'applications_on_day',
        applications_1d,
        applications_daily_baseline,
        applications_1d / applications_daily_baseline,
        applications_1d,
        0.0,
        applications_daily_baseline
    from measured
    where applications_1d > 0

    union all

    select
        merchant_id, date_day, 'odd_hour_applications',
        'odd_hour_share_30d',
        odd_hour_share_30d,
        scenario_odd_hour_share,
        odd_hour_share_30d,
        odd_hour_applications_30d,
        0.0,
        1.0
    from measured
    where odd_hour_share_30d is not null

    union all

    select
        merchant_id, date_day, 'split_orders',
        'split_order_applications_30d',
        split_order_applications_30d,
        0.0,
        split_order_applications_30d,
        split_order_applications_30d,
        0.0,
        1.0
    from measured
    where split_order_applications_30d > 0

    union all

    select
        merchant_id, date_day, 'shared_devices',
        'shared_device_applications_90d',
        shared_device_applications_90d,
        0.0,
        shared_device_applications_90d,
        shared_device_applications_90d,
        0.0,
        1.0
    from measured
    where shared_device_applications_90d > 0

    union all

    select
        merchant_id, date_day, 'deposit_shortfall',
        'deposit_coverage_ratio',
        deposit_balance / required_deposit,
        1.0,
        deposit_balance / required_deposit,
        1,
        0.0,
        1.0
    from measured
    where required_deposit > 0

    union all

    select
        merchant_id, date_day, 'sales_rep_concentration',
        'top_rep_share_90d',
        top_rep_share_90d,
        1.0 / sales_rep_count,
        top_rep_share_90d,
        rep_handled_applications_90d,
        0.0,
        1.0
    from measured
    where sales_rep_count >= 2 and top_rep_share_90d is not null

)

select
    signals.merchant_id,
    signals.date_day,
    signals.signal,
    signals.metric_name,
    cast(signals.metric_value as {{ api.Column.translate_type('double') }}) as metric_value,
    cast(signals.baseline_value as {{ api.Column.translate_type('double') }}) as baseline_value,
    cast(signals.statistic as {{ api.Column.translate_type('double') }}) as statistic,
    cast(signals.event_count as bigint) as event_count,
    cast(signals.threshold_offset as {{ api.Column.translate_type('double') }}) as threshold_offset,
    cast(signals.threshold_scale as {{ api.Column.translate_type('double') }}) as threshold_scale

from signals
