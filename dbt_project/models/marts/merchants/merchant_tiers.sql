-- Merchant ABC classification (商户ABC分类): every admitted merchant graded A, B or C at the close of every day from
-- its first admission to the data date, from what was known that day (int_merchant_days_measured). The monthly grade
-- is the row with is_month_end.
--   1. Each metric scores 0-100 points between its bad and good value (seed merchant_tier_thresholds; linear, capped),
--      when its sample reaches min_sample - otherwise it is not scored.
--   2. A sub-score is the weighted mean of its scored metrics' points: operating_scale, customer_quality,
--      capital_flow (null when none of its metrics is scored - e.g. no loans old enough to judge yet).
--   3. overall_score is the plain mean of the sub-scores that exist.
--   4. The grade is the best one of seed merchant_tier_grades whose min_overall_score and min_sub_score (for the
--      weakest sub-score) both hold - A, else B, else C.
-- previous_month_end_grade is the grade at the close of the previous month: the grade merchant_warnings uses to pick
-- its thresholds on every day of this month (a grade changes treatment from the next month on, not mid-month).
-- Incremental: a run grades the days int_merchant_days_measured rebuilt (and the previous latest day, whose
-- is_latest turns false); a day needs nothing of the days before it but the previous month end's grade, read back.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_affected_days('as_of_date', {
            'int_merchant_days_measured': 'new_rows.date_day', 'dim_date': none, 'int_data_date': none,
        }, ['select max(as_of_date) from ' ~ this]) }}",
    )
}}
{#- the sub-scores of seed merchant_tier_thresholds, one column each -#}
{%- set sub_score_names = ['operating_scale', 'customer_quality', 'capital_flow'] %}
{#- the metrics of that seed and the column holding the sample each stands on (none: always scored) -#}
{%- set metric_samples = [
    ('principal_disbursed_365d', none), ('tenure_days', none), ('open_store_count', none),
    ('fpd30_rate', 'fpd30_observable_loans_365d'), ('ever_30dpd_rate', 'fpd30_observable_loans_365d'),
    ('never_paid_60dpd_rate', 'never_paid_observable_loans_365d'), ('fraud_blacklisted_rate', 'loans_disbursed_365d'),
    ('deposit_coverage_ratio', none), ('return_refund_outflow_rate', 'loans_disbursed_365d'),
] %}

with

merchant_days as (

    select * from {{ ref('int_merchant_days_measured') }}

),

tier_thresholds as (

    select * from {{ ref('merchant_tier_thresholds') }}

),

tier_grades as (

    select * from {{ ref('merchant_tier_grades') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

measured as (

    select
        merchant_days.merchant_id,
        merchant_days.scenario,
        merchant_days.date_day,
        merchant_days.admission_status,
        merchant_days.tenure_days,
        merchant_days.open_store_count,
        merchant_days.loans_disbursed_365d,
        merchant_days.principal_disbursed_365d,
        merchant_days.fpd30_observable_loans_365d,
        merchant_days.never_paid_observable_loans_365d,
        merchant_days.outstanding_principal,
        merchant_days.deposit_balance,
        round(coalesce(merchant_days.deposit_ratio, 0) * merchant_days.outstanding_principal, 2) as required_deposit,
        {{ ratio('merchant_days.fpd30_loans_365d', 'merchant_days.fpd30_observable_loans_365d') }} as fpd30_rate,
        -- capped at 1 (a loan can reach 30+ DPD after the FPD window); null when nothing is observable yet -
        -- DuckDB's least() skips nulls, so the cap must not see one
        {{ capped_ratio('merchant_days.ever_30dpd_loans_365d', 'merchant_days.fpd30_observable_loans_365d') }}
            as ever_30dpd_rate,
        {{ ratio('merchant_days.never_paid_60dpd_loans_365d', 'merchant_days.never_paid_observable_loans_365d') }}
            as never_paid_60dpd_rate,
        {{ capped_ratio('merchant_days.fraud_listed_loans_365d', 'merchant_days.loans_disbursed_365d') }}
            as fraud_blacklisted_rate,
        {{ ratio('merchant_days.deposit_balance',
                 'round(coalesce(merchant_days.deposit_ratio, 0) * merchant_days.outstanding_principal, 2)') }}
            as deposit_coverage_ratio,
        {{ ratio('merchant_days.return_refund_amount_365d', 'merchant_days.principal_disbursed_365d') }}
            as return_refund_outflow_rate

    from merchant_days
    -- graded from the first admission (the days pending admission before it only feed the windows)
    where merchant_days.tenure_days >= 0 and merchant_days.date_day >= {{ affected_from() }}

),

-- one row per merchant, day and metric: the value and the sample it stands on (unnested from one pass over measured)
metric_values as (

    select
        measured.merchant_id,
        measured.date_day,
        unnest([
            {%- for metric, sample in metric_samples %}
            {'metric': '{{ metric }}',
             'metric_value': cast(measured.{{ metric }} as {{ api.Column.translate_type('double') }}),
             'sample_size': cast({{ 'measured.' ~ sample if sample else 0 }} as bigint)}{{ "," if not loop.last }}
            {%- endfor %}
        ]) as metric_value

    from measured

),

metric_points as (

    select
        metric_values.merchant_id,
        metric_values.date_day,
        tier_thresholds.sub_score,
        metric_values.metric_value.metric as metric,
        metric_values.metric_value.metric_value as metric_value,
        tier_thresholds.weight,
        tier_thresholds.bad_value,
        case
            when metric_values.metric_value.sample_size >= tier_thresholds.min_sample
                then {{ tier_points('metric_values.metric_value.metric_value', 'tier_thresholds.bad_value',
                                    'tier_thresholds.good_value') }}
        end as points

    from metric_values
    inner join tier_thresholds on metric_values.metric_value.metric = tier_thresholds.metric

),

-- one aggregation per merchant and day (no window over the metric rows: at 1M customers those are ~130M rows):
-- each sub-score is the weighted mean of its scored metrics' points, and its worst metric the one with the fewest
-- points (then the first name) - what the reason names
sub_scores as (

    select
        metric_points.merchant_id,
        metric_points.date_day,
        {%- for sub_score in sub_score_names %}
        sum(metric_points.points * metric_points.weight) filter (where metric_points.sub_score = '{{ sub_score }}')
        / nullif(sum(metric_points.weight) filter (
            where metric_points.sub_score = '{{ sub_score }}' and metric_points.points is not null
        ), 0) as {{ sub_score }}_score,
        arg_min(
            {'metric': metric_points.metric, 'metric_value': metric_points.metric_value,
             'bad_value': metric_points.bad_value},
            {'points': metric_points.points, 'metric': metric_points.metric}
        ) filter (where metric_points.sub_score = '{{ sub_score }}' and metric_points.points is not null)
            as {{ sub_score }}_worst_metric{{ "," if not loop.last }}
        {%- endfor %}

    from metric_points
    group by metric_points.merchant_id, metric_points.date_day

),

-- the sub-scores that exist, their mean, and the weakest (the lowest score, then the first name)
scored as (

    select
        sub_scores.*,
        list_avg(list_transform(sub_scores.existing, s -> s.score)) as overall_score,
        list_sort(sub_scores.existing)[1] as weakest

    from (
        select
            *,
            list_filter([
                {%- for sub_score in sub_score_names %}
                {'score': {{ sub_score }}_score, 'sub_score': '{{ sub_score }}',
                 'worst_metric': {{ sub_score }}_worst_metric}{{ "," if not loop.last }}
                {%- endfor %}
            ], s -> s.score is not null) as existing
        from sub_scores
    ) as sub_scores

),

graded as (

    select
        scored.*,
        tier_grades.grade,
        row_number() over (
            partition by scored.merchant_id, scored.date_day
            order by tier_grades.min_overall_score desc, tier_grades.grade
        ) as rank_of_grade

    from scored
    inner join tier_grades
        on
            scored.overall_score >= tier_grades.min_overall_score
            and scored.weakest.score >= tier_grades.min_sub_score

),

reasoned as (

    select
        graded.merchant_id,
        graded.date_day,
        graded.grade,
        graded.overall_score,
        graded.operating_scale_score,
        graded.customer_quality_score,
        graded.capital_flow_score,
        'grade ' || graded.grade
        || ': overall ' || cast(cast(round(graded.overall_score, 0) as integer) as varchar)
        || '; weakest ' || graded.weakest.sub_score
        || ' ' || cast(cast(round(graded.weakest.score, 0) as integer) as varchar)
        || ' (' || graded.weakest.worst_metric.metric
        || ' = ' || cast(round(graded.weakest.worst_metric.metric_value, 4) as varchar)
        || ', 0 points at ' || cast(graded.weakest.worst_metric.bad_value as varchar) || ')' as grade_reason

    from graded
    where graded.rank_of_grade = 1

),

month_end_grades as (

    select
        reasoned.merchant_id,
        reasoned.date_day,
        reasoned.grade

    from reasoned
    inner join calendar on reasoned.date_day = calendar.date_day
    where calendar.is_month_end
    {%- if is_incremental() %}

    union all

    -- the month ends before the rebuilt days, as graded then
    select merchant_id, as_of_date as date_day, grade
    from {{ this }}
    where is_month_end and as_of_date < {{ affected_from() }}
    {%- endif %}

)

select
    -- ids
    measured.merchant_id || '|' || cast(measured.date_day as varchar) as merchant_tier_key,
    measured.merchant_id,
    measured.scenario,

    -- grade
    reasoned.grade,
    previous_month_end.grade as previous_month_end_grade,
    cast(reasoned.overall_score as {{ api.Column.translate_type('double') }}) as overall_score,
    cast(reasoned.operating_scale_score as {{ api.Column.translate_type('double') }}) as operating_scale_score,
    cast(reasoned.customer_quality_score as {{ api.Column.translate_type('double') }}) as customer_quality_score,
    cast(reasoned.capital_flow_score as {{ api.Column.translate_type('double') }}) as capital_flow_score,
    reasoned.grade_reason,
    measured.admission_status,

    -- operating scale
    cast(measured.principal_disbursed_365d as decimal(18, 2)) as principal_disbursed_365d,
    cast(measured.loans_disbursed_365d as bigint) as loans_disbursed_365d,
    cast(measured.tenure_days as bigint) as tenure_days,
    cast(measured.open_store_count as bigint) as open_store_count,

    -- customer quality
    cast(measured.fpd30_observable_loans_365d as bigint) as fpd30_observable_loans_365d,
    measured.fpd30_rate,
    measured.ever_30dpd_rate,
    measured.never_paid_60dpd_rate,
    measured.fraud_blacklisted_rate,

    -- capital flow
    cast(measured.outstanding_principal as decimal(18, 2)) as outstanding_principal,
    cast(measured.deposit_balance as decimal(18, 2)) as deposit_balance,
    cast(measured.required_deposit as decimal(18, 2)) as required_deposit,
    measured.deposit_coverage_ratio,
    measured.return_refund_outflow_rate,

    -- booleans
    calendar.is_month_end,
    measured.date_day = data_date.data_date as is_latest,

    -- dates
    measured.date_day as as_of_date,
    calendar.month_start,

    -- lineage
    {{ lake_loaded_at() }} as _loaded_at

from measured
inner join reasoned
    on measured.merchant_id = reasoned.merchant_id and measured.date_day = reasoned.date_day
inner join calendar on measured.date_day = calendar.date_day
cross join data_date
left join month_end_grades as previous_month_end
    on
        measured.merchant_id = previous_month_end.merchant_id
        and previous_month_end.date_day = cast({{ dbt.dateadd('day', -1, 'calendar.month_start') }} as date)
