-- One row per customer ever on the lender's own blacklist: the first day their ID number or mobile was listed, or
-- a device they had used was (a device counts from the later of its listing day and the customer's first day on
-- it). "Blacklisted as of day d" is blacklisted_on <= d - the known-bad marker of the knowledge graph.
with

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

sightings as (

    select * from {{ ref('int_device_sightings_unioned') }}

),

internal_blacklist as (

    select
        entry_type,
        case when entry_type = 'id_number' then upper(entry_value) else entry_value end as entry_value,
        listed_on

    from {{ ref('stg_fraud_data__internal_blacklist') }}

),

customer_values as (

    select customer_id, 'id_number' as entry_type, id_number as entry_value, cast(null as date) as first_used_on
    from customers
    where id_number is not null
    union all
    select customer_id, 'mobile' as entry_type, mobile as entry_value, cast(null as date) as first_used_on
    from customers
    where mobile is not null
    union all
    select customer_id, 'device_id' as entry_type, device_id as entry_value, min(cast(seen_at as date)) as first_used_on
    from sightings
    group by customer_id, device_id

),

listed as (

    select
        customer_values.customer_id,
        min(
            case
                when customer_values.first_used_on > internal_blacklist.listed_on then customer_values.first_used_on
                else internal_blacklist.listed_on
            end
        ) as blacklisted_on

    from customer_values
    inner join internal_blacklist
        on
            customer_values.entry_type = internal_blacklist.entry_type
            and customer_values.entry_value = internal_blacklist.entry_value
    group by customer_values.customer_id

)

select
    customer_id,
    blacklisted_on
from listed
