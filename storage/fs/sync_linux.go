package fs

import "golang.org/x/sys/unix"

// canDefer says whether writes may defer their sync: only where the whole
// filesystem can be synced at once.
const canDefer = true

// syncFilesystem makes every write to the filesystem holding the root
// durable, with one syncfs(2).
func (b *Bucket) syncFilesystem() error { return unix.Syncfs(int(b.syncRoot.Fd())) }
