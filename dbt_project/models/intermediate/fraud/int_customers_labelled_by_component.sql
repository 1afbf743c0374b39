-- One row per customer: the connected component of the identity graph they belong to as of the data date - the
-- customers linked to them, directly or through others, by a shared device, home address or IP address (the
-- device, address and ip links of int_customer_links_dated). component_id is the smallest customer_id in the
-- component (its earliest-registered member: ids are issued in registration order), so a component keeps its id
-- as it grows, until it merges with an older one. Contact-list links are left out on purpose: nearly every
-- customer lists several others, and with them the whole customer base is one component.
with

customers as (

    select customer_id as node from {{ ref('stg_core_lending__customers') }}

),

links as (

    select * from {{ ref('int_customer_links_dated') }}

),

identity_links as (

    select distinct
        customer_id as node,
        linked_customer_id as neighbour

    from links
    where link_type in ('device', 'address', 'ip')

),

labels as (

    {{ connected_component_labels('customers', 'identity_links') }}

)

select
    labels.node as customer_id,
    labels.component_id,
    count(*) over (partition by labels.component_id) as component_size

from labels
