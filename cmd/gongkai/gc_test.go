package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// gcSettings reads the collector's percent and memory limit without
// changing them.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestBulkMemory(t *testing.T) {
	percent, limit := gcSettings()

	restore := bulkMemory(env())
	p, l := gcSettings()
	if p != bulkGCPercent {
		t.Errorf("GC percent during a bulk command = %d, want %d", p, bulkGCPercent)
	}
	if l < minBulkLimit || l == math.MaxInt64 {
		t.Errorf("memory limit during a bulk command = %d, want at least %d", l, int64(minBulkLimit))
	}
	if total := totalMemory(); total > 0 && uint64(l) > max(total/2, minBulkLimit) {
		t.Errorf("memory limit %d is over half the machine's %d bytes", l, total)
	}
	restore()
	if p, l := gcSettings(); p != percent || l != limit {
		t.Errorf("after the command: percent %d, limit %d; want %d, %d as before", p, l, percent, limit)
	}

	restore = bulkMemory(env("GOGC", "50", "GOMEMLIMIT", "1GiB"))
	if p, l := gcSettings(); p != percent || l != limit {
		t.Errorf("with GOGC and GOMEMLIMIT set: percent %d, limit %d; want them left at %d, %d", p, l, percent, limit)
	}
	restore()
}
