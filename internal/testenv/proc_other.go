//go:build !linux

package testenv

import "os/exec"

// Elsewhere there is no parent-death signal: a test binary killed before
// its cleanups run leaves the server running.
func lockThreadForChild()                {}
func setParentDeathSignal(cmd *exec.Cmd) {}
