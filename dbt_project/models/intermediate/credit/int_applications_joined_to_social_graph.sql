-- One row per application: the applicant's social circle as their uploaded contact lists show it at features_as_of
-- - contacts, how many are our customers (matched by mobile number), and how many of those had reached 30 days
-- past due on some loan by then. Mobile numbers are only joined here (ephemeral); nothing personal leaves.
with

applications as (

    select * from {{ ref('int_applications_dated_for_features') }}

),

contact_lists as (

    select * from {{ ref('stg_fraud_data__contact_lists') }}

),

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

first_30dpd as (

    select * from {{ ref('int_customers_dated_first_30dpd') }}

),

contacts as (

    select
        applications.application_id,
        applications.features_as_of_date,
        contact_lists.contact_mobile,
        min(customers.customer_id) as contact_customer_id

    from applications
    inner join contact_lists
        on
            applications.customer_id = contact_lists.customer_id
            and contact_lists.uploaded_at <= applications.features_as_of
    left join customers
        on
            contact_lists.contact_mobile = customers.mobile
            and customers.registered_at <= applications.features_as_of
    group by applications.application_id, applications.features_as_of_date, contact_lists.contact_mobile

),

per_application as (

    select
        contacts.application_id,
        count(*) as contacts,
        count(contacts.contact_customer_id) as contacts_who_are_customers,
        count(
            case when first_30dpd.first_30dpd_on <= contacts.features_as_of_date then 1 end
        ) as contacts_ever_30dpd

    from contacts
    left join first_30dpd
        on contacts.contact_customer_id = first_30dpd.customer_id
    group by contacts.application_id

)

select
    applications.application_id,
    coalesce(per_application.contacts, 0) as contacts,
    coalesce(per_application.contacts_who_are_customers, 0) as contacts_who_are_customers,
    coalesce(per_application.contacts_ever_30dpd, 0) as contacts_ever_30dpd,
    case
        when per_application.contacts_who_are_customers > 0
            then per_application.contacts_ever_30dpd * 1.0 / per_application.contacts_who_are_customers
    end as share_contacts_ever_30dpd

from applications
left join per_application
    on applications.application_id = per_application.application_id
