//go:build !linux

package fs

import (
	"os"
	"sync"
)

// Elsewhere each file is synced on its own, and each folder: writers that
// renamed into a folder while a sync of it ran share the next one.
type syncer struct {
	folders sync.Map // string → *syncGroup
}

func (s *syncer) open(*os.Root) error { return nil }

func (s *syncer) close() {}

// syncData makes the content written to f durable.
func (b *Bucket) syncData(f *os.File) error { return f.Sync() }

// syncDir makes the renames and removals in a folder durable.
func (b *Bucket) syncDir(dir string) error {
	s, _ := b.syncs.folders.LoadOrStore(dir, newSyncGroup())
	return s.(*syncGroup).sync(func() error { return b.syncFolder(dir) })
}
