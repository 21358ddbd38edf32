//go:build !unix

package fs

import "os"

// Without the *at system calls every operation goes through the root by
// path.

func (b *Bucket) lstatAt(name string) (os.FileInfo, error) { return b.root.Lstat(name) }

func (b *Bucket) renameAt(from, to string) error { return b.root.Rename(from, to) }

func (b *Bucket) openAt(name string, flag int, perm os.FileMode) (*os.File, error) {
	return b.root.OpenFile(name, flag, perm)
}

func (b *Bucket) syncFolder(dir string) error {
	d, err := b.root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
