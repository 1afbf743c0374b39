-- One row per identity component of three or more customers (fraud_customer_graph): a suspected fraud ring for
-- investigators - what its members share (devices, IP addresses, home addresses, each other's numbers), when and
-- where they applied, what was lent to them, and how many were blacklisted. As of the data date.
with

members as (

    select * from {{ ref('fraud_customer_graph') }}
    where is_ring_candidate_member

),

links as (

    select * from {{ ref('int_customer_links_dated') }}

),

applications as (

    select * from {{ ref('fraud_features') }}

),

loans as (

    select * from {{ ref('fct_loans') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

-- links between two members of the same component, each pair once
inner_links as (

    select
        members.component_id,
        links.link_type,
        links.link_value,
        links.customer_id,
        links.linked_customer_id

    from links
    inner join members
        on links.customer_id = members.customer_id
    inner join members as linked_members
        on
            links.linked_customer_id = linked_members.customer_id
            and members.component_id = linked_members.component_id
    where links.customer_id < links.linked_customer_id

),

shared as (

    select
        component_id,
        count(distinct case when link_type = 'device' then link_value end) as shared_devices,
        count(distinct case when link_type = 'ip' then link_value end) as shared_ip_addresses,
        count(distinct case when link_type = 'address' then link_value end) as shared_home_addresses,
        count(distinct case when link_type = 'contact' then customer_id || '|' || linked_customer_id end)
            as contact_linked_pairs

    from inner_links
    group by component_id

),

member_applications as (

    select
        members.component_id,
        applications.*

    from members
    inner join applications
        on members.customer_id = applications.customer_id

),

application_totals as (

    select
        component_id,
        count(*) as applications,
        count(case when decision = 'approved' then 1 end) as approved_applications,
        count(distinct merchant_id) as merchants,
        count(distinct store_id) as stores,
        min(applied_at) as first_applied_at,
        max(applied_at) as last_applied_at,
        count(case when blacklist_any_hit then 1 end) as applications_with_blacklist_hit,
        count(case when not liveness_is_passed then 1 end) as applications_failing_liveness,
        count(case when device_is_emulator or device_is_rooted then 1 end) as applications_on_emulator_or_rooted

    from member_applications
    group by component_id

),

merchant_ranks as (

    select
        component_id,
        merchant_id,
        count(*) as applications,
        row_number() over (partition by component_id order by count(*) desc, merchant_id) as merchant_rank

    from member_applications
    group by component_id, merchant_id

),

loan_totals as (

    select
        members.component_id,
        count(*) as loans,
        sum(loans.principal) as principal_disbursed,
        sum(loans.outstanding_principal) as outstanding_principal

    from members
    inner join loans
        on members.customer_id = loans.customer_id
    group by members.component_id

),

member_totals as (

    select
        members.component_id,
        count(*) as members,
        count(case when members.is_blacklisted then 1 end) as blacklisted_members,
        min(customers.registered_at) as first_registered_at,
        max(customers.registered_at) as last_registered_at

    from members
    left join customers
        on members.customer_id = customers.customer_id
    group by members.component_id

)

select
    member_totals.component_id,
    cast(member_totals.members as integer) as members,
    cast(coalesce(shared.shared_devices, 0) as integer) as shared_devices,
    cast(coalesce(shared.shared_ip_addresses, 0) as integer) as shared_ip_addresses,
    cast(coalesce(shared.shared_home_addresses, 0) as integer) as shared_home_addresses,
    cast(coalesce(shared.contact_linked_pairs, 0) as integer) as contact_linked_pairs,
    member_totals.first_registered_at,
    member_totals.last_registered_at,
    cast(coalesce(application_totals.applications, 0) as integer) as applications,
    cast(coalesce(application_totals.approved_applications, 0) as integer) as approved_applications,
    application_totals.first_applied_at,
    application_totals.last_applied_at,
    cast({{ dbt.datediff('application_totals.first_applied_at', 'application_totals.last_applied_at', 'day') }}
        as integer) as application_span_days,
    cast(coalesce(application_totals.merchants, 0) as integer) as merchants,
    cast(coalesce(application_totals.stores, 0) as integer) as stores,
    main_merchant.merchant_id as main_merchant_id,
    {{ ratio('main_merchant.applications', 'application_totals.applications') }} as main_merchant_share,
    cast(coalesce(loan_totals.loans, 0) as integer) as loans,
    cast(coalesce(loan_totals.principal_disbursed, 0) as decimal(18, 2)) as principal_disbursed,
    cast(coalesce(loan_totals.outstanding_principal, 0) as decimal(18, 2)) as outstanding_principal,
    cast(member_totals.blacklisted_members as integer) as blacklisted_members,
    cast(coalesce(application_totals.applications_with_blacklist_hit, 0) as integer)
        as applications_with_blacklist_hit,
    cast(coalesce(application_totals.applications_failing_liveness, 0) as integer)
        as applications_failing_liveness,
    cast(coalesce(application_totals.applications_on_emulator_or_rooted, 0) as integer)
        as applications_on_emulator_or_rooted

from member_totals
left join shared
    on member_totals.component_id = shared.component_id
left join application_totals
    on member_totals.component_id = application_totals.component_id
left join merchant_ranks as main_merchant
    on
        member_totals.component_id = main_merchant.component_id
        and main_merchant.merchant_rank = 1
left join loan_totals
    on member_totals.component_id = loan_totals.component_id
