package web

import (
	"context"

	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/i18n"
)

// experienceWorthBlock is the analytics page's block "what care is
// worth": the customers with none, one and several negative experiences
// side by side, and the register's rows by kind.
type experienceWorthBlock struct {
	W        experience.Worth
	Headline string
	Kinds    []experienceKindRow
	Any      bool // some customer has bought
}

// experienceKindRow is one kind of the block's table, in words.
type experienceKindRow struct {
	experience.KindCount
	What string
}

// experienceWorthData reads the block over the whole history.
func (h *Handler) experienceWorthData(ctx context.Context, lang i18n.Lang, n numbers) (*experienceWorthBlock, error) {
	w, err := h.app.Experiences.Worth(ctx, experience.WorthQuery{})
	if err != nil {
		return nil, err
	}
	b := &experienceWorthBlock{W: w}
	for _, g := range w.Groups {
		b.Any = b.Any || g.Customers > 0
	}
	rate := func(i int) string {
		if w.Groups[i].Customers == 0 {
			return "—"
		}
		return n.Pct(w.Groups[i].RepeatRate)
	}
	b.Headline = i18n.Text(lang, "experience.worth.headline", map[string]any{"None": rate(0), "One": rate(1), "Several": rate(2)})
	for _, k := range w.Kinds {
		b.Kinds = append(b.Kinds, experienceKindRow{KindCount: k, What: experienceKindText(lang, k.Kind)})
	}
	return b, nil
}
