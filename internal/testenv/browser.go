package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// MustChromium returns the Chromium binary for browser tests: from
// GONGKAI_CHROMIUM (scripts/browser.sh sets it) or the PATH. Without one it
// skips tb, or fails it when CI is true: a browser test must never
// silently skip in CI.
func MustChromium(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("GONGKAI_CHROMIUM"); p != "" && isExecutable(p) {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(tb, "no Chromium: run scripts/browser.sh (make test does) or set GONGKAI_CHROMIUM")
	return ""
}

// MustAxe returns the path of axe-core's axe.min.js for accessibility
// checks: from GONGKAI_AXE or the cache scripts/browser.sh fills. It skips
// or fails like MustChromium.
func MustAxe(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("GONGKAI_AXE"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	cache := os.Getenv("GONGKAI_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "gongkai")
	}
	matches, _ := filepath.Glob(filepath.Join(cache, "axe-core-*", "node_modules", "axe-core", "axe.min.js"))
	if len(matches) > 0 {
		return matches[len(matches)-1]
	}
	missing(tb, "no axe-core: run scripts/browser.sh (make test does) or set GONGKAI_AXE")
	return ""
}

// ArtifactDir returns the directory test artifacts (screenshots) go to:
// GONGKAI_ARTIFACTS, or a directory under the system's temporary one. It is
// never inside the source tree unless asked for.
func ArtifactDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("GONGKAI_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "gongkai-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatalf("testenv: artifacts: %v", err)
	}
	return dir
}

func missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("testenv: %s (CI is true: not skipping)", why)
	}
	tb.Skipf("testenv: %s", why)
}
