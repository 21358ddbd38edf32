package fs

import (
	"os"

	"golang.org/x/sys/unix"
)

// On Linux one syncfs(2) makes durable everything done on the file system
// before it began: the contents of files, and the renames and removals in
// folders. Every write and every folder change waits for the same shared
// sync, so many writers at once (a bulk import) wait for the disk twice
// per group of objects, once for their contents and once for their
// renames, rather than twice per object; nothing is renamed into place
// before its content is on disk. The bucket is one file system:
// a rename out of its temporary folder could not cross into another.
//
// Since Linux 5.8 syncfs also reports a failed write-back of any file on
// the file system, so a writer may be told of a failure that was not its
// own; it then fails and its object is not renamed into place, which
// loses nothing.
type syncer struct {
	root  *os.File // the bucket's root folder: any open file names its file system
	group *syncGroup
}

func (s *syncer) open(root *os.Root) error {
	f, err := root.Open(".")
	if err != nil {
		return err
	}
	s.root, s.group = f, newSyncGroup()
	return nil
}

func (s *syncer) close() {
	if s.root != nil {
		s.root.Close()
	}
}

func (s *syncer) all() error {
	return s.group.sync(func() error { return unix.Syncfs(int(s.root.Fd())) })
}

// syncData makes the content written to f durable.
func (b *Bucket) syncData(*os.File) error { return b.syncs.all() }

// syncDir makes the renames and removals in a folder durable.
func (b *Bucket) syncDir(string) error { return b.syncs.all() }
