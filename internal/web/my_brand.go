package web

// myBrand is how the customer's page looks like the shop's: its logo and
// the stylesheet of its colours.
type myBrand struct {
	LogoURL  string // the shop's logo, "" for its name in text
	StyleURL string // a stylesheet with the shop's colours, "" for none
}

// myBrand returns the shop's brand from its settings.
func (h *Handler) myBrand() myBrand {
	return myBrand{}
}
