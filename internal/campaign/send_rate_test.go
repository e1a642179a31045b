package campaign

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
)

func TestPacerDomainRate(t *testing.T) {
	t.Parallel()
	p := newPacer(config.Campaigns{DomainRate: 1})
	ctx := context.Background()
	if err := p.wait(ctx, Email, "a@yandex.ru"); err != nil {
		t.Fatal(err)
	}
	// ya.ru is Yandex too: its bucket is empty for a second, which a
	// deadline far shorter cannot wait for (rate answers at once).
	short, cancel := context.WithTimeout(ctx, time.Millisecond*50)
	defer cancel()
	if err := p.wait(short, Email, "b@Ya.Ru"); err == nil {
		t.Fatal("a second Yandex message inside the same second went")
	}
	// Another provider, and a small domain, have buckets of their own or
	// none.
	if err := p.wait(short, Email, "c@gmail.com"); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(short, Email, "d@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(short, Email, "e@example.com"); err != nil {
		t.Fatal(err)
	}
}
