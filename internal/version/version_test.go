package version

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

func TestReleaseNamesTheBuild(t *testing.T) {
	old := Release
	t.Cleanup(func() { Release = old })
	Release = "v1.2.3"
	i := read()
	if i.Version != "v1.2.3" || !strings.HasPrefix(i.String(), "shopcare v1.2.3\n") || !strings.Contains(i.String(), "go        go1.") {
		t.Fatalf("with Release set: %+v\n%s", i, i)
	}
	Release = ""
	if v := read().Version; v == "" {
		t.Fatal("a build without Release has no version")
	}
}

func TestShort(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   Info
		want string
	}{
		{Info{Version: "devel"}, "devel"},
		{Info{Version: "v1.0.0", Commit: "0123456789abcdef"}, "v1.0.0 (0123456789ab)"},
		{Info{Version: "devel", Commit: "abc", Modified: true}, "devel (abc, modified)"},
		{Info{Version: "ccbd692-dirty", Commit: "ccbd692ebc7f0123", Modified: true}, "ccbd692-dirty"},
	} {
		if got := c.in.Short(); got != c.want {
			t.Errorf("%+v.Short() = %q, want %q", c.in, got, c.want)
		}
	}
}

// The release build sets Release by its full name: the Makefile and the
// Dockerfile must name this package's variable, or `shopcare version`
// says devel for a release.
func TestBuildsSetRelease(t *testing.T) {
	t.Parallel()
	const want = "-X github.com/shopcare/shopcare/internal/version.Release="
	for _, f := range []string{"Makefile", "Dockerfile"} {
		b, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("%s does not set %s", f, want)
		}
	}
}

// The systemd unit keeps its hardening, and the compose file builds the
// repository's Dockerfile and gives shopcare its database.
func TestDeployFiles(t *testing.T) {
	t.Parallel()
	unit, err := os.ReadFile(filepath.Join("..", "..", "deploy", "shopcare.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"ExecStart=/usr/local/bin/shopcare serve", "DynamicUser=yes", "StateDirectory=shopcare",
		"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
		"CapabilityBoundingSet=", "SystemCallFilter=@system-service", "MemoryDenyWriteExecute=yes",
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
	} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`).Match(unit) {
			t.Errorf("deploy/shopcare.service lacks %q", line)
		}
	}

	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Build struct {
				Context    string `yaml:"context"`
				Dockerfile string `yaml:"dockerfile"`
			} `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("deploy/compose.yaml: %v", err)
	}
	sc, ok := compose.Services["shopcare"]
	if !ok {
		t.Fatal("deploy/compose.yaml has no shopcare service")
	}
	df := filepath.Join("..", "..", "deploy", sc.Build.Context, sc.Build.Dockerfile)
	if _, err := os.Stat(df); err != nil {
		t.Errorf("compose builds %s: %v", df, err)
	}
	if u := sc.Environment["SHOPCARE_DATABASE_URL"]; !strings.HasPrefix(u, "postgres://") || !strings.Contains(u, "@postgres:") {
		t.Errorf("compose's SHOPCARE_DATABASE_URL %q does not name its postgres service", u)
	}
	if _, ok := compose.Services["postgres"]; !ok {
		t.Error("deploy/compose.yaml has no postgres service")
	}
}
