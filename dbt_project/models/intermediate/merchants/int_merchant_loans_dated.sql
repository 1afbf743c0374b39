-- One row per loan made through a merchant, with the DAY each outcome the merchant tiers and warnings count became
-- known - so "as of day d" is a comparison of dates, never a look at the loan's final state:
--   fpd7_observable_on / fpd30_observable_on  first_due_on + 7 / + 30: from then on the loan is in the FPD7 / FPD30
--                                             denominator (first instalment due long enough ago); never for a loan
--                                             returned or withdrawn by its first due date (no payment to make, as in
--                                             risk_fpd) - known by the time the loan would count;
--   fpd7_on / fpd30_on                        the same days, for loans whose first instalment WAS 7 / 30+ days late
--                                             (first_instalment_dpd: still unpaid then, so known that day);
--   ever_30dpd_on                             the first day the loan was 30+ days past due (int_loan_states_dated);
--   never_paid_observable_on                  first_due_on + 60: from then on the loan is in the denominator of
--                                             the "never paid" rate;
--   never_paid_60dpd_on                       the same day, for loans that had not paid a single yuan by then (60+
--                                             days past due without one payment - a hallmark of fake or fraudulent
--                                             loans; a later payment, often the merchant covering, does not undo it);
--   fraud_listed_on                           the first day the customer's ID number or mobile, or the application's
--                                             device, was on the internal blacklist for a fraud reason
--                                             (fraud_confirmed, fake_transaction, identity_theft) - the listing day or
--                                             the day the entry landed, whichever is later - counted from the
--                                             disbursement at the earliest.
-- The last two are the "fraud rate of its customers" proxies until a fraud score exists (see the README).
with

loans as (

    select * from {{ ref('fct_loans') }}

),

applications as (

    select * from {{ ref('fct_applications') }}

),

repayments as (

    select * from {{ ref('fct_repayments') }}

),

loan_states as (

    select * from {{ ref('int_loan_states_dated') }}

),

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

blacklist as (

    select * from {{ ref('stg_fraud_data__internal_blacklist') }}

),

fraud_entries as (

    select
        blacklist.entry_type,
        blacklist.entry_value,
        min(greatest(blacklist.listed_on, blacklist._landing_date)) as listed_on

    from blacklist
    where blacklist.reason in ('fraud_confirmed', 'fake_transaction', 'identity_theft')
    group by blacklist.entry_type, blacklist.entry_value

),

loan_identities as (

    select
        loans.loan_id,
        'id_number' as entry_type,
        customers.id_number as entry_value
    from loans
    inner join customers on loans.customer_id = customers.customer_id

    union all

    select
        loans.loan_id,
        'mobile' as entry_type,
        customers.mobile as entry_value
    from loans
    inner join customers on loans.customer_id = customers.customer_id

    union all

    select
        applications.loan_id,
        'device_id' as entry_type,
        applications.device_id as entry_value
    from applications
    where applications.loan_id is not null

),

fraud_listed as (

    select
        loan_identities.loan_id,
        min(fraud_entries.listed_on) as listed_on

    from loan_identities
    inner join fraud_entries
        on
            loan_identities.entry_type = fraud_entries.entry_type
            and loan_identities.entry_value = fraud_entries.entry_value
    group by loan_identities.loan_id

),

first_payments as (

    select
        repayments.loan_id,
        min(repayments.paid_on) as first_paid_on

    from repayments
    group by repayments.loan_id

),

ever_30dpd as (

    select
        loan_states.loan_id,
        min(
            greatest(
                loan_states.valid_from,
                cast({{ dbt.dateadd('day', 30, 'loan_states.oldest_open_due_on') }} as date)
            )
        ) as ever_30dpd_on

    from loan_states
    where
        loan_states.oldest_open_due_on is not null
        and cast({{ dbt.dateadd('day', 30, 'loan_states.oldest_open_due_on') }} as date) <= loan_states.valid_through
    group by loan_states.loan_id

),

dated as (

    select
        loans.loan_id,
        loans.merchant_id,
        loans.customer_id,
        loans.scenario,
        loans.principal,
        loans.disbursed_on,
        loans.first_due_on,
        -- a loan return or a course withdrawal by the first due date cancelled the first instalment: no FPD
        loans.first_due_on is not null
        and (loans.returned_on is null or loans.returned_on > loans.first_due_on)
        and (loans.withdrawn_on is null or loans.withdrawn_on > loans.first_due_on) as has_first_payment,
        coalesce(loans.first_instalment_dpd >= 7, false) as is_fpd7,
        coalesce(loans.first_instalment_dpd >= 30, false) as is_fpd30,
        first_payments.first_paid_on,
        ever_30dpd.ever_30dpd_on,
        fraud_listed.listed_on as fraud_listed_on

    from loans
    left join first_payments on loans.loan_id = first_payments.loan_id
    left join ever_30dpd on loans.loan_id = ever_30dpd.loan_id
    left join fraud_listed on loans.loan_id = fraud_listed.loan_id

)

select
    -- ids
    dated.loan_id,
    dated.merchant_id,
    dated.customer_id,
    dated.scenario,

    -- amounts
    dated.principal,

    -- days outcomes became known
    dated.disbursed_on,
    case
        when dated.has_first_payment then cast({{ dbt.dateadd('day', 7, 'dated.first_due_on') }} as date)
    end as fpd7_observable_on,
    case
        when dated.has_first_payment and dated.is_fpd7
            then cast({{ dbt.dateadd('day', 7, 'dated.first_due_on') }} as date)
    end as fpd7_on,
    case
        when dated.has_first_payment then cast({{ dbt.dateadd('day', 30, 'dated.first_due_on') }} as date)
    end as fpd30_observable_on,
    case
        when dated.has_first_payment and dated.is_fpd30
            then cast({{ dbt.dateadd('day', 30, 'dated.first_due_on') }} as date)
    end as fpd30_on,
    dated.ever_30dpd_on,
    case
        when dated.has_first_payment then cast({{ dbt.dateadd('day', 60, 'dated.first_due_on') }} as date)
    end as never_paid_observable_on,
    case
        when
            dated.has_first_payment
            and (
                dated.first_paid_on is null
                or dated.first_paid_on > cast({{ dbt.dateadd('day', 60, 'dated.first_due_on') }} as date)
            )
            then cast({{ dbt.dateadd('day', 60, 'dated.first_due_on') }} as date)
    end as never_paid_60dpd_on,
    case
        when dated.fraud_listed_on is not null then greatest(dated.fraud_listed_on, dated.disbursed_on)
    end as fraud_listed_on

from dated
