-- Internal-blacklist entries (listed by the data date) matched to the customers they name: by resident ID number,
-- by mobile number, or by a device the customer applied from. Raw numbers are compared here, in an ephemeral
-- model over staging; only ids leave it.
with

blacklist as (

    select * from {{ ref('stg_fraud_data__internal_blacklist') }}

),

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

listed as (

    select blacklist.*
    from blacklist
    cross join data_date
    where blacklist.listed_on <= data_date.data_date

),

by_id_number as (

    select listed.entry_id, customers.customer_id
    from listed
    inner join customers
        on listed.entry_type = 'id_number'
        and upper(trim(listed.entry_value)) = upper(trim(customers.id_number))

),

by_mobile as (

    select listed.entry_id, customers.customer_id
    from listed
    inner join customers
        on listed.entry_type = 'mobile'
        and trim(listed.entry_value) = trim(customers.mobile)

),

by_device as (

    select distinct listed.entry_id, applications.customer_id
    from listed
    inner join applications
        on listed.entry_type = 'device_id'
        and listed.entry_value = applications.device_id

),

matched as (

    select * from by_id_number
    union
    select * from by_mobile
    union
    select * from by_device

)

select
    matched.entry_id,
    matched.customer_id,
    listed.entry_type,
    listed.reason,
    listed.listed_on,
    listed.reason in {{ suspected_fraud_blacklist_reasons() }} as is_fraud_reason

from matched
inner join listed
    on matched.entry_id = listed.entry_id
