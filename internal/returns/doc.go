// Package returns takes a customer's request to return items of a
// delivered order, made on their own page (/my), within the shop's return
// window (settings returns.window_days) counted from the delivery day on
// the business clock. A request names the order's lines and quantities
// (never more than ordered, less what earlier requests asked for), a
// reason and a comment. It is validated whole before anything is written;
// then one transaction stores it, gives an operator a return_request task
// and journals order.return_requested, so the three never disagree.
//
// The package owns the return_requests and return_request_items tables.
package returns
