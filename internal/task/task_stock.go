package task

// StockShort is the task of an order that came in with items not on
// hand: an operator offers the customer an alternative, a split shipment, a refund, or
// the wait until the delivery comes.
const StockShort Kind = "stock_short"

// The outcomes of a stock_short task (event.StockResolvedPayload's
// resolution).
const (
	// Alternative: the customer takes another item instead.
	Alternative Outcome = "alternative"
	// Split: what is on hand ships now, the rest when it comes.
	Split Outcome = "split"
	// Refund: the missing items are refunded and dropped from the order.
	Refund Outcome = "refund"
	// Wait: the customer waits for the delivery.
	Wait Outcome = "wait"
)
