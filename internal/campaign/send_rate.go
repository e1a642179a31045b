package campaign

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/shopcare/shopcare/internal/config"
)

// pacer keeps the campaigns to the providers' pace, in real time: a token
// bucket per channel (campaigns.email_rate, sms_rate, telegram_rate), one
// per recipient domain for e-mail (campaigns.domain_rate), and a pause of
// the whole channel when the provider asks to slow down.
type pacer struct {
	channel    map[string]*rate.Limiter
	domainRate int

	mu      sync.Mutex
	domains map[string]*rate.Limiter
	until   map[string]time.Time // channel → paused until (real time)
}

func newPacer(c config.Campaigns) *pacer {
	limit := func(n int) *rate.Limiter {
		if n <= 0 {
			return rate.NewLimiter(rate.Inf, 1)
		}
		return rate.NewLimiter(rate.Limit(n), max(1, n/10))
	}
	return &pacer{channel: map[string]*rate.Limiter{Email: limit(c.EmailRate), SMS: limit(c.SMSRate),
		Telegram: limit(c.TelegramRate)}, domainRate: c.DomainRate, domains: map[string]*rate.Limiter{},
		until: map[string]time.Time{}}
}

// wait blocks until a message on channel to addr may go.
func (p *pacer) wait(ctx context.Context, channel, addr string) error {
	p.mu.Lock()
	until := p.until[channel]
	var dom *rate.Limiter
	if channel == Email && p.domainRate > 0 {
		// A domain that is not a big provider's has no bucket.
		if d := providers[strings.ToLower(addr[strings.LastIndexByte(addr, '@')+1:])]; d != "" {
			dom = p.domains[d]
			if dom == nil {
				dom = rate.NewLimiter(rate.Limit(p.domainRate), max(1, p.domainRate/10))
				p.domains[d] = dom
			}
		}
	}
	p.mu.Unlock()
	if d := time.Until(until); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	if l := p.channel[channel]; l != nil {
		if err := l.Wait(ctx); err != nil {
			return err
		}
	}
	if dom != nil {
		return dom.Wait(ctx)
	}
	return nil
}

// hold pauses channel for d: the provider asked to slow down.
func (p *pacer) hold(channel string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t := time.Now().Add(d); t.After(p.until[channel]) {
		p.until[channel] = t
	}
}

// providers maps the big mailbox providers' domains to the provider:
// campaigns.domain_rate is each provider's pace, over all its domains.
var providers = map[string]string{
	"gmail.com": "google", "googlemail.com": "google",
	"yandex.ru": "yandex", "ya.ru": "yandex", "yandex.com": "yandex", "yandex.by": "yandex", "yandex.kz": "yandex",
	"mail.ru": "mailru", "bk.ru": "mailru", "list.ru": "mailru", "inbox.ru": "mailru", "internet.ru": "mailru",
	"rambler.ru": "rambler",
	"inbox.lv":   "inbox", "inbox.lt": "inbox", "mail.ee": "inbox",
	"outlook.com": "microsoft", "hotmail.com": "microsoft", "live.com": "microsoft", "msn.com": "microsoft",
	"icloud.com": "apple", "me.com": "apple",
	"yahoo.com": "yahoo",
}
