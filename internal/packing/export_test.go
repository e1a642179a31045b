package packing

// QueueSQL is the queue's query, for the test of its plan.
const QueueSQL = queueSQL
