package minio

import "time"

// SetCheckTimeout shortens New's reachability check for one test.
func SetCheckTimeout(t interface{ Cleanup(func()) }, d time.Duration) {
	old := checkTimeout
	checkTimeout = d
	t.Cleanup(func() { checkTimeout = old })
}
