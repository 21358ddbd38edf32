package main

import (
	"runtime/debug"
)

// An import or a reindex allocates fast and keeps little: a few hundred
// MB live on the full corpus, for most of the run, and the collector at
// Go's default pace (a new cycle each time the heap doubles) took a tenth
// of the CPU. At 200% it runs half as often, and an import of the full
// corpus spends about 15% less CPU (user time 201-217 s against 248-251 s,
// README "Performance"); its peak RSS goes from 2.2 to 2.6-3.2 GB. The
// memory limit keeps the heap within half the machine's memory, beyond
// which the collector works as hard as it must. GOGC and GOMEMLIMIT, when
// set, are left as they are.
const (
	bulkGCPercent = 200
	minBulkLimit  = 1 << 30
)

// bulkMemory sets the collector's pace for an offline command that indexes
// in bulk, unless env sets GOGC or GOMEMLIMIT, and returns the function that
// puts back what was there before (tests run the commands in process).
func bulkMemory(env func(string) string) (restore func()) {
	var undo []func()
	if env("GOGC") == "" {
		old := debug.SetGCPercent(bulkGCPercent)
		undo = append(undo, func() { debug.SetGCPercent(old) })
	}
	if env("GOMEMLIMIT") == "" {
		limit := max(int64(totalMemory()/2), minBulkLimit)
		old := debug.SetMemoryLimit(limit)
		undo = append(undo, func() { debug.SetMemoryLimit(old) })
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}
