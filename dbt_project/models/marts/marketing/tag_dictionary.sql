-- The tag dictionary: every tag of customer_tags with its definition, values, source tables and refresh cadence
-- (seed marketing_tag_definitions), and how it is used today - customers tagged and values observed.
with

definitions as (

    select * from {{ ref('marketing_tag_definitions') }}

),

tags as (

    select * from {{ ref('customer_tags') }}

),

usage as (

    select
        tag,
        count(*) as customers_tagged,
        count(distinct tag_value) as distinct_values,
        max(as_of_date) as as_of_date

    from tags
    group by tag

)

select
    definitions.tag,
    definitions.definition,
    definitions.tag_values,
    definitions.source_tables,
    definitions.refresh_cadence,
    coalesce(usage.customers_tagged, 0) as customers_tagged,
    coalesce(usage.distinct_values, 0) as distinct_values,
    usage.as_of_date

from definitions
left join usage
    on definitions.tag = usage.tag
