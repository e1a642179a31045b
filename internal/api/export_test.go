package api

// Capture hands the test the Handler that New builds.
func Capture(p **Handler) Option { return func(h *Handler) { *p = h } }

// WaitUsage waits until the token uses noted so far are written.
func (h *Handler) WaitUsage() { h.usage.writes.Wait() }

// Patterns lists the patterns the routes table registered on the mux.
func (h *Handler) Patterns() []string { return h.patterns }
