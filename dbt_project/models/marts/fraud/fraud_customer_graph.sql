-- One row per customer: their place in the fraud knowledge graph as of the data date - the identity component
-- (customers linked through shared devices, home addresses and IP addresses, directly or through others), the
-- customers linked to them by each link type, and whether they are on the lender's own blacklist. The basis of
-- the fraud-ring list (fraud_ring_candidates).
with

customers as (

    select * from {{ ref('dim_customers') }}

),

components as (

    select * from {{ ref('int_customers_labelled_by_component') }}

),

links as (

    select * from {{ ref('int_customer_links_dated') }}

),

blacklisted as (

    select * from {{ ref('int_customers_dated_blacklisted') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

link_counts as (

    select
        customer_id,
        count(distinct linked_customer_id) as linked_customers,
        count(distinct case when link_type = 'device' then linked_customer_id end) as device_linked_customers,
        count(distinct case when link_type = 'address' then linked_customer_id end) as address_linked_customers,
        count(distinct case when link_type = 'ip' then linked_customer_id end) as ip_linked_customers,
        count(distinct case when link_type = 'contact' then linked_customer_id end) as contact_linked_customers,
        count(distinct case when link_type = 'device' then link_value end) as shared_devices,
        min(linked_at) as first_linked_at

    from links
    group by customer_id

)

select
    customers.customer_id,
    components.component_id,
    cast(components.component_size as integer) as component_size,
    components.component_size >= 3 as is_ring_candidate_member,
    cast(coalesce(link_counts.linked_customers, 0) as integer) as degree,
    cast(coalesce(link_counts.device_linked_customers, 0) as integer) as device_linked_customers,
    cast(coalesce(link_counts.address_linked_customers, 0) as integer) as address_linked_customers,
    cast(coalesce(link_counts.ip_linked_customers, 0) as integer) as ip_linked_customers,
    cast(coalesce(link_counts.contact_linked_customers, 0) as integer) as contact_linked_customers,
    cast(coalesce(link_counts.shared_devices, 0) as integer) as shared_devices,
    link_counts.first_linked_at,
    coalesce(blacklisted.blacklisted_on <= data_date.data_date, false) as is_blacklisted,
    case when blacklisted.blacklisted_on <= data_date.data_date then blacklisted.blacklisted_on end as blacklisted_on

from customers
cross join data_date
inner join components
    on customers.customer_id = components.customer_id
left join link_counts
    on customers.customer_id = link_counts.customer_id
left join blacklisted
    on customers.customer_id = blacklisted.customer_id
