//go:build !linux

package fs

// Without syncfs(2) every write is made durable on its own.
const canDefer = false

// syncFilesystem has nothing to sync: no write was deferred.
func (b *Bucket) syncFilesystem() error { return nil }
