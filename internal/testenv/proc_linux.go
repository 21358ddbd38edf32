package testenv

import (
	"os/exec"
	"runtime"
	"syscall"
)

// lockThreadForChild pins the calling goroutine to its thread for good: the
// thread then ends with the goroutine, after the child it started.
func lockThreadForChild() { runtime.LockOSThread() }

// setParentDeathSignal makes the kernel kill the child when the thread that
// started it (and so the test binary) dies.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
