-- One row per pair of customers, link type and the value they share, in both directions (customer_id ->
-- linked_customer_id and back), with the moment the link became visible (linked_at) - the edges of the fraud
-- knowledge graph:
--   device   both were seen on the device (application or fingerprint); visible from the later first sighting;
--   address  same normalised home address; visible from the later registration (the address on file is the
--            current one - the source keeps no history of addresses);
--   ip       both applied from the IP address within ip_link_window_hours() of each other; visible from the later
--            of the two applications (a store's or a public network's IP over months links nobody);
--   contact  one uploaded a contact list holding the other's mobile number; visible from the later of the upload
--            and the other's registration.
-- link_value (the device id, address, IP or mobile) is personal data and stays in the intermediates.
with

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

sightings as (

    select * from {{ ref('int_device_sightings_unioned') }}

),

contact_lists as (

    select * from {{ ref('stg_fraud_data__contact_lists') }}

),

device_users as (

    select
        device_id,
        customer_id,
        min(seen_at) as first_seen_at

    from sightings
    group by device_id, customer_id

),

device_links as (

    select
        'device' as link_type,
        device_users.device_id as link_value,
        device_users.customer_id,
        other_users.customer_id as linked_customer_id,
        greatest(device_users.first_seen_at, other_users.first_seen_at) as linked_at

    from device_users
    inner join device_users as other_users
        on
            device_users.device_id = other_users.device_id
            and device_users.customer_id < other_users.customer_id

),

addresses as (

    select
        customer_id,
        registered_at,
        {{ normalised_address('home_address') }} as home_address

    from customers
    where home_address is not null and trim(home_address) <> ''

),

address_links as (

    select
        'address' as link_type,
        addresses.home_address as link_value,
        addresses.customer_id,
        other_addresses.customer_id as linked_customer_id,
        greatest(addresses.registered_at, other_addresses.registered_at) as linked_at

    from addresses
    inner join addresses as other_addresses
        on
            addresses.home_address = other_addresses.home_address
            and addresses.customer_id < other_addresses.customer_id

),

ip_links as (

    select
        'ip' as link_type,
        applications.ip_address as link_value,
        applications.customer_id,
        other_applications.customer_id as linked_customer_id,
        min(greatest(applications.applied_at, other_applications.applied_at)) as linked_at

    from applications
    inner join applications as other_applications
        on
            applications.ip_address = other_applications.ip_address
            and applications.customer_id < other_applications.customer_id
    where
        other_applications.applied_at
        <= {{ dbt.dateadd('hour', ip_link_window_hours() | int, 'applications.applied_at') }}
        and other_applications.applied_at
        >= {{ dbt.dateadd('hour', -(ip_link_window_hours() | int), 'applications.applied_at') }}
    group by applications.ip_address, applications.customer_id, other_applications.customer_id

),

contact_links as (

    select
        'contact' as link_type,
        contact_lists.contact_mobile as link_value,
        least(contact_lists.customer_id, contacts.customer_id) as customer_id,
        greatest(contact_lists.customer_id, contacts.customer_id) as linked_customer_id,
        greatest(contact_lists.uploaded_at, contacts.registered_at) as linked_at

    from contact_lists
    inner join customers as contacts
        on contact_lists.contact_mobile = contacts.mobile
    where contact_lists.customer_id <> contacts.customer_id

),

one_way as (

    select * from device_links
    union all
    select * from address_links
    union all
    select * from ip_links
    union all
    select * from contact_links

),

-- one row per pair, type and value (a pair who list each other share two mobiles, each visible from its own
-- time), between customers on file: a fingerprint or application naming an unknown customer links nobody
deduplicated as (

    select
        one_way.link_type,
        one_way.link_value,
        one_way.customer_id,
        one_way.linked_customer_id,
        min(one_way.linked_at) as linked_at

    from one_way
    inner join customers
        on one_way.customer_id = customers.customer_id
    inner join customers as linked_customers
        on one_way.linked_customer_id = linked_customers.customer_id
    group by one_way.link_type, one_way.link_value, one_way.customer_id, one_way.linked_customer_id

)

select
    link_type,
    link_value,
    customer_id,
    linked_customer_id,
    linked_at
from deduplicated

union all

select
    link_type,
    link_value,
    linked_customer_id as customer_id,
    customer_id as linked_customer_id,
    linked_at
from deduplicated
