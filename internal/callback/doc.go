// Package callback is the call-back queue: every new order becomes a task
// for an operator to call the customer, due within callback_within in the
// shop's working hours and never outside the customer's contact hours (the
// playbook creates the task when it handles order.created).
//
// The Service gives the admin pages what they show and do, so that their
// handlers only parse, call and render:
//
//   - Queue lists the open call-backs, the most urgent first, with the
//     time left, the overdue ones flagged and the customer's local time;
//     QueueCounts is the cheap figure for a badge or a live update.
//   - Script is everything the operator reads and confirms during the
//     call: the lines to say in the customer's language (the operator
//     speaks to the customer), the labels and facts around them in the
//     operator's. The lines greet the customer by first name, say when
//     they ordered (in their own time), which items are made to order and
//     when they are ready, the promised dates, the payment, the address to
//     confirm and the delivery time windows to offer. They never say "in
//     stock": the shop's data says only whether an item is made to order.
//   - Reached, NoAnswer and WrongNumber record a call's outcome. Each
//     leaves a note on the order (its kind callback_reached,
//     callback_no_answer or callback_wrong_number, the operator as author)
//     and updates the task in one transaction. Reached saves the address
//     and time window and moves a new order to processing; NoAnswer
//     retries at the next moment the shop works and the customer may be
//     called, callback_retry_after later, and after callback_tries calls
//     closes the task and e-mails the customer to call back (the
//     playbook's callback_missed rule); WrongNumber closes the task, marks
//     the phone failed for SMS and e-mails the customer for the right
//     number (callback_wrong_number). A closed task refuses another
//     outcome with ErrTaskClosed.
//   - Stats is the owner's figure: the share of orders called back within
//     the target (the first call at or before the time the task was first
//     due) and the median time from order to first call.
package callback
