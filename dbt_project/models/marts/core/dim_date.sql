-- The calendar from the first of January of the year the data starts to the thirty-first of December of the year
-- the last scheduled instalment falls due, so every date in the facts (future due dates included) has a row.
with

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

merchant_versions as (

    select * from {{ ref('stg_merchant_management__merchants') }}

),

schedules as (

    select * from {{ ref('stg_core_lending__instalment_schedules') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

first_days as (

    select min(cast(customers.registered_at as date)) as first_day from customers
    union all
    select min(cast(merchant_versions.updated_at as date)) as first_day from merchant_versions
    union all
    select min(data_date.data_date) as first_day from data_date

),

last_days as (

    select max(schedules.due_on) as last_day from schedules
    union all
    select max(data_date.data_date) as last_day from data_date

),

bounds as (

    select
        cast({{ dbt.date_trunc('year', 'min(first_days.first_day)') }} as date) as first_day,
        (select max(last_days.last_day) from last_days) as last_day

    from first_days

),

spine as (

    select {{ days_between('bounds.first_day', dbt.last_day('bounds.last_day', 'year')) }} as date_day
    from bounds

)

select
    spine.date_day,
    cast(extract(year from spine.date_day) as integer) as year,
    cast(extract(quarter from spine.date_day) as integer) as quarter,
    cast(extract(month from spine.date_day) as integer) as month,
    cast({{ dbt.date_trunc('month', 'spine.date_day') }} as date) as month_start,
    cast({{ dbt.last_day('spine.date_day', 'month') }} as date) as month_end,
    cast(extract(day from spine.date_day) as integer) as day_of_month,
    cast({{ iso_day_of_week('spine.date_day') }} as integer) as day_of_week,
    {{ iso_day_of_week('spine.date_day') }} in (6, 7) as is_weekend,
    spine.date_day = cast({{ dbt.last_day('spine.date_day', 'month') }} as date) as is_month_end,
    spine.date_day <= data_date.data_date as is_on_or_before_data_date

from spine
cross join data_date
