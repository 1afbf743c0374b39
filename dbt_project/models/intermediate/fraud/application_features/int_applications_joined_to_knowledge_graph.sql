-- One row per application: the applicant's place in the fraud knowledge graph as it stood at features_as_of - only
-- links visible by then (int_customer_links_dated.linked_at <= features_as_of) are walked:
--   component   the customers reachable from the applicant over device, address and ip links (the identity graph
--               of int_customers_labelled_by_component, as of the moment); its id is the smallest customer_id
--               reached, its size counts the applicant;
--   neighbours  distinct customers linked directly, over every link type and per type;
--   blacklisted customers within two hops (over every link type, the applicant excluded) on the lender's own
--               blacklist by the features_as_of day (int_customers_dated_blacklisted).
-- A table, incremental by features_as_of_date like fraud_features (application_features_affected_by()): a daily
-- run walks the graph from the applications decided since the first day its newly loaded rows can change.
with

applications as (

    select * from {{ ref('int_applications_dated_for_features') }}
    {{ where_rebuilt() }}

),

links as (

    select * from {{ ref('int_customer_links_dated') }}

),

blacklisted as (

    select * from {{ ref('int_customers_dated_blacklisted') }}

),

typed_links as (

    select
        customer_id,
        linked_customer_id,
        link_type,
        min(linked_at) as linked_at

    from links
    group by customer_id, linked_customer_id, link_type

),

any_links as (

    select
        customer_id,
        linked_customer_id,
        min(linked_at) as linked_at

    from typed_links
    group by customer_id, linked_customer_id

),

identity_links as (

    select
        customer_id,
        linked_customer_id,
        min(linked_at) as linked_at

    from typed_links
    where link_type in ('device', 'address', 'ip')
    group by customer_id, linked_customer_id

),

-- breadth-first walk from each applicant over the identity links visible at its features_as_of; UNION drops a
-- customer already reached, so the walk ends when the component is exhausted
component as (

    with recursive walked (application_id, features_as_of, customer_id) as (

        select
            applications.application_id,
            applications.features_as_of,
            applications.customer_id
        from applications

        union

        select
            walked.application_id,
            walked.features_as_of,
            identity_links.linked_customer_id as customer_id
        from walked
        inner join identity_links
            on
                walked.customer_id = identity_links.customer_id
                and identity_links.linked_at <= walked.features_as_of

    )

    select
        walked.application_id,
        min(walked.customer_id) as component_id,
        count(*) as component_size
    from walked
    group by walked.application_id

),

neighbours as (

    select
        applications.application_id,
        count(distinct typed_links.linked_customer_id) as neighbours,
        count(distinct case when typed_links.link_type = 'device' then typed_links.linked_customer_id end)
            as device_neighbours,
        count(distinct case when typed_links.link_type = 'address' then typed_links.linked_customer_id end)
            as address_neighbours,
        count(distinct case when typed_links.link_type = 'ip' then typed_links.linked_customer_id end)
            as ip_neighbours,
        count(distinct case when typed_links.link_type = 'contact' then typed_links.linked_customer_id end)
            as contact_neighbours

    from applications
    inner join typed_links
        on
            applications.customer_id = typed_links.customer_id
            and typed_links.linked_at <= applications.features_as_of
    group by applications.application_id

),

first_hop as (

    select
        applications.application_id,
        applications.customer_id as applicant_id,
        applications.features_as_of,
        applications.features_as_of_date,
        any_links.linked_customer_id as hop_customer_id

    from applications
    inner join any_links
        on
            applications.customer_id = any_links.customer_id
            and any_links.linked_at <= applications.features_as_of

),

-- links into a customer on the blacklist: few, so the second hop is walked only towards them
links_to_blacklisted as (

    select
        any_links.customer_id,
        any_links.linked_customer_id,
        any_links.linked_at,
        blacklisted.blacklisted_on

    from any_links
    inner join blacklisted
        on any_links.linked_customer_id = blacklisted.customer_id

),

blacklisted_within_two_hops as (

    select
        first_hop.application_id,
        first_hop.hop_customer_id as blacklisted_customer_id

    from first_hop
    inner join blacklisted
        on
            first_hop.hop_customer_id = blacklisted.customer_id
            and blacklisted.blacklisted_on <= first_hop.features_as_of_date

    union

    select
        first_hop.application_id,
        links_to_blacklisted.linked_customer_id as blacklisted_customer_id

    from first_hop
    inner join links_to_blacklisted
        on
            first_hop.hop_customer_id = links_to_blacklisted.customer_id
            and links_to_blacklisted.linked_at <= first_hop.features_as_of
            and links_to_blacklisted.blacklisted_on <= first_hop.features_as_of_date
            and links_to_blacklisted.linked_customer_id <> first_hop.applicant_id

),

blacklisted_counts as (

    select
        application_id,
        count(distinct blacklisted_customer_id) as blacklisted_within_2_hops

    from blacklisted_within_two_hops
    group by application_id

)

select
    applications.application_id,
    applications.features_as_of_date,
    component.component_id,
    component.component_size,
    coalesce(neighbours.neighbours, 0) as neighbours,
    coalesce(neighbours.device_neighbours, 0) as device_neighbours,
    coalesce(neighbours.address_neighbours, 0) as address_neighbours,
    coalesce(neighbours.ip_neighbours, 0) as ip_neighbours,
    coalesce(neighbours.contact_neighbours, 0) as contact_neighbours,
    coalesce(blacklisted_counts.blacklisted_within_2_hops, 0) as blacklisted_within_2_hops,
    {{ lake_loaded_at() }} as _loaded_at

from applications
left join component
    on applications.application_id = component.application_id
left join neighbours
    on applications.application_id = neighbours.application_id
left join blacklisted_counts
    on applications.application_id = blacklisted_counts.application_id
