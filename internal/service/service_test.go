package service_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/service"
)

// TestComponent tags the copy's logger and leaves the original alone.
func TestComponent(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	d := service.Deps{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	d.Component("loyalty").Log.Info("granted")
	d.Log.Info("plain")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "msg=granted component=loyalty") || strings.Contains(lines[1], "component=") {
		t.Errorf("logged %q", lines)
	}
	if got := (service.Deps{}).Component("x").Log; got != nil {
		t.Errorf("Component on a Deps without a logger: %v, want nil", got)
	}
}
