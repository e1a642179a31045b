package packing

import "github.com/shopcare/shopcare/internal/order"

// QueueSQL is the queue's query, for the test of its plan.
const QueueSQL = order.ToPackSQL
