-- One row per store and business day with activity in the lender's books or on the store's own statement: the
-- books' figures (loans disbursed that day, loan returns and refunds completed that day), the statement's figures
-- side by side, their differences (statement minus books, a missing side counted as zero) and the cause.
--
-- Causes, first that applies:
--   matched                     every figure agrees (loan count, disbursed, returns, refunds, net payable)
--   timing                      every difference is undone by the opposite difference on the store's day before or
--                               after (the store booked the event a day off from the books)
--   missing_in_statement        the books have activity, the store sent no statement for the day
--   missing_in_books            the store sent a statement for a day without activity in the books
--   multiple_mismatches         more than one of disbursed, returns and refunds disagree
--   amount_mismatch_disbursed   only the disbursements disagree (loan count, principal or both)
--   amount_mismatch_returns     only the completed loan returns disagree
--   amount_mismatch_refunds     only the completed refunds disagree
--   net_payable_mismatch        the lines agree but the statement's own net payable does not add them up
with

loans as (

    select * from {{ ref('fct_loans') }}

),

merchant_paybacks as (

    select * from {{ ref('int_refunds_and_loan_returns_joined_to_loans') }}

),

statements as (

    select * from {{ ref('stg_merchant_cosharing__store_statements') }}

),

book_events as (

    select
        loans.store_id,
        loans.disbursed_on as business_date,
        1 as loans_disbursed,
        loans.principal as disbursed_amount,
        0 as loan_returns_completed,
        0 as returns_amount,
        0 as refunds_completed,
        0 as refunds_amount

    from loans

    union all

    select
        merchant_paybacks.store_id,
        merchant_paybacks.completed_on as business_date,
        0 as loans_disbursed,
        0 as disbursed_amount,
        case when merchant_paybacks.kind = 'loan_return' then 1 else 0 end as loan_returns_completed,
        case when merchant_paybacks.kind = 'loan_return' then merchant_paybacks.amount else 0 end as returns_amount,
        case when merchant_paybacks.kind = 'refund' then 1 else 0 end as refunds_completed,
        case when merchant_paybacks.kind = 'refund' then merchant_paybacks.amount else 0 end as refunds_amount

    from merchant_paybacks
    where merchant_paybacks.state = 'completed'

),

books as (

    select
        book_events.store_id,
        book_events.business_date,
        sum(book_events.loans_disbursed) as loans_disbursed,
        sum(book_events.disbursed_amount) as disbursed_amount,
        sum(book_events.loan_returns_completed) as loan_returns_completed,
        sum(book_events.returns_amount) as returns_amount,
        sum(book_events.refunds_completed) as refunds_completed,
        sum(book_events.refunds_amount) as refunds_amount

    from book_events
    group by book_events.store_id, book_events.business_date

),

joined as (

    select
        coalesce(books.store_id, statements.store_id) as store_id,
        coalesce(books.business_date, statements.statement_date) as business_date,
        statements.statement_id,
        statements.merchant_id as statement_merchant_id,
        books.store_id is not null as has_book_activity,
        statements.statement_id is not null as has_statement,
        coalesce(books.loans_disbursed, 0) as loans_disbursed,
        coalesce(books.disbursed_amount, 0) as disbursed_amount,
        coalesce(books.loan_returns_completed, 0) as loan_returns_completed,
        coalesce(books.returns_amount, 0) as returns_amount,
        coalesce(books.refunds_completed, 0) as refunds_completed,
        coalesce(books.refunds_amount, 0) as refunds_amount,
        statements.loans_disbursed as statement_loans_disbursed,
        statements.disbursed_amount as statement_disbursed_amount,
        statements.returns_amount as statement_returns_amount,
        statements.refunds_amount as statement_refunds_amount,
        statements.net_payable as statement_net_payable

    from books
    full outer join statements
        on
            books.store_id = statements.store_id
            and books.business_date = statements.statement_date

),

differenced as (

    select
        joined.*,
        joined.disbursed_amount - joined.returns_amount - joined.refunds_amount as net_payable,
        coalesce(joined.statement_loans_disbursed, 0) - joined.loans_disbursed as loans_disbursed_difference,
        coalesce(joined.statement_disbursed_amount, 0) - joined.disbursed_amount as disbursed_amount_difference,
        coalesce(joined.statement_returns_amount, 0) - joined.returns_amount as returns_amount_difference,
        coalesce(joined.statement_refunds_amount, 0) - joined.refunds_amount as refunds_amount_difference,
        coalesce(joined.statement_net_payable, 0)
        - (joined.disbursed_amount - joined.returns_amount - joined.refunds_amount) as net_payable_difference

    from joined

),

-- the store's previous and next day in this list, to recognise a difference undone a day later or earlier
neighboured as (

    select
        differenced.*,
        lag(differenced.business_date) over store_days as previous_business_date,
        lag(differenced.loans_disbursed_difference) over store_days as previous_loans_disbursed_difference,
        lag(differenced.disbursed_amount_difference) over store_days as previous_disbursed_amount_difference,
        lag(differenced.returns_amount_difference) over store_days as previous_returns_amount_difference,
        lag(differenced.refunds_amount_difference) over store_days as previous_refunds_amount_difference,
        lead(differenced.business_date) over store_days as next_business_date,
        lead(differenced.loans_disbursed_difference) over store_days as next_loans_disbursed_difference,
        lead(differenced.disbursed_amount_difference) over store_days as next_disbursed_amount_difference,
        lead(differenced.returns_amount_difference) over store_days as next_returns_amount_difference,
        lead(differenced.refunds_amount_difference) over store_days as next_refunds_amount_difference

    from differenced
    window store_days as (partition by differenced.store_id order by differenced.business_date)

),

adjacency as (

    select
        neighboured.*,
        coalesce(
            neighboured.previous_business_date = {{ dbt.dateadd('day', -1, 'neighboured.business_date') }}, false
        ) as has_previous_day,
        coalesce(
            neighboured.next_business_date = {{ dbt.dateadd('day', 1, 'neighboured.business_date') }}, false
        ) as has_next_day

    from neighboured

),

-- per measure: does it differ, and is the difference undone on the adjacent day (timing)?
measured as (

    select
        adjacency.*,
        {%- for measure in ['loans_disbursed', 'disbursed_amount', 'returns_amount', 'refunds_amount'] %}
        adjacency.{{ measure }}_difference = 0
        or (
            adjacency.has_previous_day
            and adjacency.previous_{{ measure }}_difference = -adjacency.{{ measure }}_difference
        )
        or (
            adjacency.has_next_day
            and adjacency.next_{{ measure }}_difference = -adjacency.{{ measure }}_difference
        ) as is_{{ measure }}_agreed_or_timing{{ ',' if not loop.last }}
        {%- endfor %}

    from adjacency

),

flagged as (

    select
        measured.*,
        measured.loans_disbursed_difference <> 0 or measured.disbursed_amount_difference <> 0 as disbursed_differs,
        measured.returns_amount_difference <> 0 as returns_differ,
        measured.refunds_amount_difference <> 0 as refunds_differ,
        not (measured.is_loans_disbursed_agreed_or_timing and measured.is_disbursed_amount_agreed_or_timing)
            as disbursed_mismatch,
        not measured.is_returns_amount_agreed_or_timing as returns_mismatch,
        not measured.is_refunds_amount_agreed_or_timing as refunds_mismatch

    from measured

)

select
    flagged.store_id,
    flagged.business_date,
    flagged.statement_id,
    flagged.statement_merchant_id,
    flagged.has_book_activity,
    flagged.has_statement,
    flagged.loans_disbursed,
    flagged.disbursed_amount,
    flagged.loan_returns_completed,
    flagged.returns_amount,
    flagged.refunds_completed,
    flagged.refunds_amount,
    flagged.net_payable,
    flagged.statement_loans_disbursed,
    flagged.statement_disbursed_amount,
    flagged.statement_returns_amount,
    flagged.statement_refunds_amount,
    flagged.statement_net_payable,
    flagged.loans_disbursed_difference,
    flagged.disbursed_amount_difference,
    flagged.returns_amount_difference,
    flagged.refunds_amount_difference,
    flagged.net_payable_difference,
    case
        when
            flagged.has_book_activity and flagged.has_statement
            and not (flagged.disbursed_differs or flagged.returns_differ or flagged.refunds_differ)
            and flagged.net_payable_difference = 0
            then 'matched'
        when
            (flagged.disbursed_differs or flagged.returns_differ or flagged.refunds_differ)
            and not (flagged.disbursed_mismatch or flagged.returns_mismatch or flagged.refunds_mismatch)
            then 'timing'
        when not flagged.has_statement then 'missing_in_statement'
        when not flagged.has_book_activity then 'missing_in_books'
        when
            (case when flagged.disbursed_mismatch then 1 else 0 end)
            + (case when flagged.returns_mismatch then 1 else 0 end)
            + (case when flagged.refunds_mismatch then 1 else 0 end) > 1
            then 'multiple_mismatches'
        when flagged.disbursed_mismatch then 'amount_mismatch_disbursed'
        when flagged.returns_mismatch then 'amount_mismatch_returns'
        when flagged.refunds_mismatch then 'amount_mismatch_refunds'
        else 'net_payable_mismatch'
    end as difference_cause

from flagged
