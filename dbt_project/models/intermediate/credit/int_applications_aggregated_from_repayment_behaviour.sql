-- One row per application: repayment behaviour at other institutions (the latest third-party report at or before
-- features_as_of) and suspected debt-collection calls and SMS the customer received in the 30/90/180 days before.
with

applications as (

    select * from {{ ref('int_applications_dated_for_features') }}

),

behaviour as (

    select * from {{ ref('stg_third_party__repayment_behaviour') }}

),

collection_contacts as (

    select * from {{ ref('stg_third_party__collection_contacts') }}

),

latest_behaviour as (

    select
        applications.application_id,
        behaviour.accounts_elsewhere,
        behaviour.on_time_ratio_12m,
        behaviour.overdue_count_12m,
        behaviour.max_dpd_12m,
        row_number() over (
            partition by applications.application_id
            order by behaviour.reported_at desc, behaviour.record_id desc
        ) as recency

    from applications
    inner join behaviour
        on
            applications.customer_id = behaviour.customer_id
            and behaviour.reported_at <= applications.features_as_of

),

contacts as (

    select
        applications.application_id,
        collection_contacts.contact_type,
        collection_contacts.counterparty_category,
        {{ dbt.datediff('cast(collection_contacts.contacted_at as date)', 'applications.features_as_of_date', 'day') }}
            as days_before

    from applications
    inner join collection_contacts
        on
            applications.customer_id = collection_contacts.customer_id
            and collection_contacts.contacted_at <= applications.features_as_of

),

contacts_per_application as (

    select
        application_id,
        {%- for days in [30, 90, 180] %}
        count(case when days_before <= {{ days }} then 1 end) as collection_contacts_{{ days }}d,
        {%- endfor %}
        count(case when days_before <= 180 and contact_type = 'call' then 1 end) as collection_calls_180d,
        count(case when days_before <= 180 and counterparty_category = 'collection_agency' then 1 end)
            as collection_agency_contacts_180d,
        min(days_before) as days_since_last_collection_contact

    from contacts
    group by application_id

)

select
    applications.application_id,
    latest_behaviour.accounts_elsewhere,
    latest_behaviour.on_time_ratio_12m,
    latest_behaviour.overdue_count_12m,
    latest_behaviour.max_dpd_12m,
    coalesce(contacts_per_application.collection_contacts_30d, 0) as collection_contacts_30d,
    coalesce(contacts_per_application.collection_contacts_90d, 0) as collection_contacts_90d,
    coalesce(contacts_per_application.collection_contacts_180d, 0) as collection_contacts_180d,
    coalesce(contacts_per_application.collection_calls_180d, 0) as collection_calls_180d,
    coalesce(contacts_per_application.collection_agency_contacts_180d, 0) as collection_agency_contacts_180d,
    contacts_per_application.days_since_last_collection_contact

from applications
left join latest_behaviour
    on
        applications.application_id = latest_behaviour.application_id
        and latest_behaviour.recency = 1
left join contacts_per_application
    on applications.application_id = contacts_per_application.application_id
