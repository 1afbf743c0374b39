-- One row per loan with the flags and amounts the store and sales-rep performance tables add up, decided once here.
--
-- A loan's payment performance is observable once its first-payment default is final (fct_loans.is_fpd_observable:
-- the first instalment fell due on or before data date - 30 and still stands). Only those loans enter the
-- denominators of the FPD30 and ever-30 rates: counting young loans, which cannot have defaulted yet, would make
-- fast-growing stores look better than they are. The numerators are the core's flags (fct_loans.is_fpd30: first
-- instalment 30+ days past due; ever_30dpd), counted on observable loans only.
with

loans as (

    select * from {{ ref('fct_loans') }}

),

loan_returns as (

    select * from {{ ref('fct_loan_returns') }}

),

refunds as (

    select * from {{ ref('fct_refunds') }}

),

completed_returns_per_loan as (

    select
        loan_returns.loan_id,
        sum(loan_returns.return_amount) as return_amount

    from loan_returns
    where loan_returns.is_completed
    group by loan_returns.loan_id

),

completed_refunds_per_loan as (

    select
        refunds.loan_id,
        count(*) as refund_count,
        sum(refunds.refund_amount) as refund_amount

    from refunds
    where refunds.is_completed
    group by refunds.loan_id

)

select
    loans.loan_id,
    loans.merchant_id,
    loans.store_id,
    loans.sales_rep_id,
    loans.loan_status,
    loans.principal,
    loans.disbursed_on,
    loans.is_fpd_observable,
    loans.is_fpd30,
    loans.ever_30dpd,
    loans.returned_on is not null as is_returned,
    coalesce(completed_returns_per_loan.return_amount, 0) as return_amount,
    coalesce(completed_refunds_per_loan.refund_count, 0) as refund_count,
    coalesce(completed_refunds_per_loan.refund_amount, 0) as refund_amount,
    case when loans.loan_status = 'written_off' then 0 else loans.outstanding_principal end as outstanding_principal,
    case when loans.loan_status = 'written_off' then loans.outstanding_principal else 0 end as written_off_principal

from loans
left join completed_returns_per_loan
    on loans.loan_id = completed_returns_per_loan.loan_id
left join completed_refunds_per_loan
    on loans.loan_id = completed_refunds_per_loan.loan_id
