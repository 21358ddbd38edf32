//go:build !linux

package fs

// Without syncfs(2) every write is made durable on its own.
const canDefer = false

// syncFilesystem has nothing to sync: no write was deferred. (New calls it
// after removing objects that a Linux system's deferred writes left
// incomplete; should those removals be lost, the next New makes them again.)
func (b *Bucket) syncFilesystem() error { return nil }
