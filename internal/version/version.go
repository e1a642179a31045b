// Package version tells which shopcare this is: the release it was built
// as, the commit and the time of the commit, and the Go it was built with.
package version

import (
	"cmp"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Release is set at build time by the release build:
//
//	go build -ldflags "-X github.com/shopcare/shopcare/internal/version.Release=v1.2.0"
//
// Empty means a build from a working copy, named by its module version or
// "devel".
var Release string

// Info is what a build knows of itself.
type Info struct {
	Version  string // the release, the module version, or "devel"
	Commit   string // the VCS revision, "" when unknown
	Time     string // the commit time (RFC 3339), "" when unknown
	Modified bool   // the working copy had changes not in Commit
	Go       string // the Go version it was built with
}

// Get returns this build's Info, read once.
var Get = sync.OnceValue(read)

func read() Info {
	info := Info{Version: Release, Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	info.Version = cmp.Or(info.Version, "devel")
	return info
}

// Short is the version with the commit's first 12 characters, as logs and
// pages show it: "v1.2.0 (3f2a…)", "devel (3f2a…, modified)".
func (i Info) Short() string {
	if i.Commit == "" {
		return i.Version
	}
	c := i.Commit[:min(12, len(i.Commit))]
	if strings.HasPrefix(i.Commit, strings.TrimSuffix(i.Version, "-dirty")) {
		return i.Version // make build names an untagged build by its commit already
	}
	if i.Modified {
		return fmt.Sprintf("%s (%s, modified)", i.Version, c)
	}
	return fmt.Sprintf("%s (%s)", i.Version, c)
}

// String is the full description `shopcare version` prints.
func (i Info) String() string {
	s := "shopcare " + i.Version
	if i.Commit != "" {
		s += "\ncommit    " + i.Commit
		if i.Modified {
			s += " (modified)"
		}
	}
	if i.Time != "" {
		s += "\ncommitted " + i.Time
	}
	return s + "\ngo        " + i.Go
}
