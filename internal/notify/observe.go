package notify

import "context"

// Kind names the kind of a failed send, for counting: throttled,
// permanent or temporary.
func Kind(err error) string {
	if _, ok := IsThrottled(err); ok {
		return "throttled"
	}
	if IsPermanent(err) {
		return "permanent"
	}
	return "temporary"
}

// Observe returns s with failed returning every failed send's channel
// and kind (Kind) after it fails: the provider-error counter of the
// metrics, without the channels knowing of metrics. A send cancelled by
// its caller (a shutdown) is not the provider's error and is not
// reported. Observe keeps s's Connections.
func Observe(s Sender, failed func(channel, kind string)) Sender {
	o := observed{Sender: s, failed: failed}
	if c, ok := s.(interface{ Connections() int }); ok {
		return observedPool{observed: o, pool: c}
	}
	return o
}

type observed struct {
	Sender
	failed func(channel, kind string)
}

// Send sends through the channel and reports a failure.
func (o observed) Send(ctx context.Context, m Message) error {
	err := o.Sender.Send(ctx, m)
	if err != nil && ctx.Err() == nil {
		o.failed(o.Channel(), Kind(err))
	}
	return err
}

// Unwrap returns the channel observed.
func (o observed) Unwrap() Sender { return o.Sender }

type observedPool struct {
	observed
	pool interface{ Connections() int }
}

// Connections is the observed channel's.
func (o observedPool) Connections() int { return o.pool.Connections() }
