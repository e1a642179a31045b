package app

import (
	"context"
	"sync"

	"github.com/shopcare/shopcare/internal/cluster"
)

// startLeading runs the in-process singletons on the leading node only:
// the IMAP poller (two would take the same mail twice), the SMTP
// listener (one port) and the Telegram long-poller (Telegram allows one
// getUpdates at a time). On SQLite the process leads at once. Everything
// else runs on every node: HTTP, the River workers (River elects its own
// leader for the periodic passes), the journal's dispatcher, the message
// sweep and the connectors' drain (each takes its rows FOR UPDATE SKIP
// LOCKED).
func (a *App) startLeading(ctx context.Context) {
	ctx, a.unlead = context.WithCancel(ctx)
	a.leadDone = make(chan struct{})
	elector := cluster.NewElector(a.DB, a.Log)
	go func() {
		defer close(a.leadDone)
		elector.Run(ctx, a.lead)
	}()
}

// lead runs the singletons until ctx ends (this node stops leading or
// the App retires), then stops them.
func (a *App) lead(ctx context.Context) {
	var wg sync.WaitGroup
	for _, run := range a.mailIn {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil {
				a.Log.Error("customers' e-mail in stopped", "err", err)
			}
		}()
	}
	if a.TelegramIn != nil && !a.TelegramIn.Webhook() {
		if err := a.TelegramIn.Start(ctx, a.Inbox); err != nil {
			a.Log.Error("customers' Telegram in", "err", err)
		} else {
			defer a.TelegramIn.Stop()
		}
	}
	<-ctx.Done()
	wg.Wait()
}

// stopLeading stops the singletons and gives up the lead.
func (a *App) stopLeading() {
	if a.unlead == nil {
		return
	}
	a.unlead()
	<-a.leadDone
}
