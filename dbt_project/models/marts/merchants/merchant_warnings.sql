-- Merchant early warning (商户预警): one row per merchant, day and signal that fired that day, with its level
-- (info / warn / severe), the evidence and the recommended action.
-- A measured signal (int_merchant_signals_measured) fires at the highest level whose threshold its statistic
-- reaches - at or above it for direction "above", strictly below it for "below" (deposit coverage) - provided its
-- event_count reaches min_events. The thresholds (seed merchant_warning_thresholds) are picked by the merchant's
-- grade at the close of the PREVIOUS month end (merchant_tiers.previous_month_end_grade): C merchants are watched
-- more tightly than A; a merchant in its first month, not graded at a month end yet, is watched with the thresholds
-- of grade "new" (as tight as C). Everything a row says was known at the close of warning_date.
-- Incremental: a run judges the days its inputs rebuilt; whether a warning is new reads the day before back.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_affected_days('warning_date', {
            'int_merchant_days_measured': 'new_rows.date_day', 'merchant_tiers': 'new_rows.as_of_date',
        }) }}",
    )
}}
with

signals as (

    select * from {{ ref('int_merchant_signals_measured') }}
    where date_day >= {{ affected_from() }}

),

tiers as (

    select * from {{ ref('merchant_tiers') }}
    where as_of_date >= {{ affected_from() }}

),

thresholds as (

    select * from {{ ref('merchant_warning_thresholds') }}

),

actions as (

    select * from {{ ref('merchant_warning_actions') }}

),

judged as (

    select
        signals.*,
        tiers.scenario,
        coalesce(tiers.previous_month_end_grade, 'new') as threshold_grade,
        thresholds.min_events,
        case
            when thresholds.direction = 'above' then
                case
                    when
                        signals.statistic >= thresholds.severe_threshold
                        and signals.event_count >= thresholds.severe_min_events
                        then 'severe'
                    when signals.statistic >= thresholds.warn_threshold then 'warn'
                    when signals.statistic >= thresholds.info_threshold then 'info'
                end
            when thresholds.direction = 'below' then
                case
                    when
                        signals.statistic < thresholds.severe_threshold
                        and signals.event_count >= thresholds.severe_min_events
                        then 'severe'
                    when signals.statistic < thresholds.warn_threshold then 'warn'
                    when signals.statistic < thresholds.info_threshold then 'info'
                end
        end as level,
        thresholds.info_threshold,
        thresholds.warn_threshold,
        thresholds.severe_threshold

    from signals
    inner join tiers
        on signals.merchant_id = tiers.merchant_id and signals.date_day = tiers.as_of_date
    inner join thresholds
        on
            signals.signal = thresholds.signal
            and coalesce(tiers.previous_month_end_grade, 'new') = thresholds.grade

),

fired as (

    select
        judged.*,
        case judged.level
            when 'severe' then judged.severe_threshold
            when 'warn' then judged.warn_threshold
            else judged.info_threshold
        end as statistic_threshold

    from judged
    where judged.level is not null and judged.event_count >= judged.min_events

),

-- the day each signal fired before (the rebuilt days, and the day before them as built)
fired_days as (

    select
        days.merchant_id,
        days.signal,
        days.date_day,
        lag(days.date_day) over (partition by days.merchant_id, days.signal order by days.date_day)
            as previous_fired_on

    from (
        select fired.merchant_id, fired.signal, fired.date_day from fired
        {%- if is_incremental() %}
        union all
        select merchant_id, signal, warning_date from {{ this }}
        where warning_date = cast({{ dbt.dateadd('day', -1, affected_from()) }} as date)
        {%- endif %}
    ) as days

)

select
    -- ids
    fired.merchant_id || '|' || cast(fired.date_day as varchar) || '|' || fired.signal as warning_key,
    fired.merchant_id,
    fired.scenario,

    -- the warning
    fired.signal,
    fired.level,
    fired.threshold_grade,

    -- evidence
    fired.metric_name,
    fired.metric_value,
    fired.baseline_value,
    fired.threshold_offset + fired.threshold_scale * fired.statistic_threshold as threshold_value,
    fired.statistic,
    fired.statistic_threshold,
    fired.event_count,

    -- what to do
    actions.recommended_action,

    -- booleans
    coalesce(fired_days.previous_fired_on <> cast({{ dbt.dateadd('day', -1, 'fired.date_day') }} as date), true)
        as is_new,

    -- dates
    fired.date_day as warning_date,

    -- lineage
    {{ lake_loaded_at() }} as _loaded_at

from fired
inner join actions
    on fired.signal = actions.signal and fired.level = actions.level
inner join fired_days
    on
        fired.merchant_id = fired_days.merchant_id
        and fired.signal = fired_days.signal
        and fired.date_day = fired_days.date_day
