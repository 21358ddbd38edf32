//go:build unix

package fs

import (
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// The operations on one object, relative to its open folder when there is
// one. Base names hold no slash and are never "." or "..", and links are
// never followed, so nothing escapes the root as with os.Root.

func (b *Bucket) lstatAt(name string) (os.FileInfo, error) {
	dir, base := split(name)
	d := b.folders.get(b.root, dir)
	if d == nil {
		return b.root.Lstat(name)
	}
	var st unix.Stat_t
	if err := unix.Fstatat(int(d.Fd()), base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	return statInfo{base, &st}, nil
}

func (b *Bucket) renameAt(from, to string) error {
	fromDir, fromBase := split(from)
	toDir, toBase := split(to)
	fd, td := b.folders.get(b.root, fromDir), b.folders.get(b.root, toDir)
	if fd == nil || td == nil {
		return b.root.Rename(from, to)
	}
	if err := unix.Renameat(int(fd.Fd()), fromBase, int(td.Fd()), toBase); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

func (b *Bucket) openAt(name string, flag int, perm os.FileMode) (*os.File, error) {
	dir, base := split(name)
	d := b.folders.get(b.root, dir)
	if d == nil {
		return b.root.OpenFile(name, flag, perm)
	}
	fd, err := unix.Openat(int(d.Fd()), base, flag|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		if err == unix.ELOOP {
			err = unix.ENOENT // a link: not an object
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(fd), name), nil
}

// syncFolder syncs an open folder, or opens it by path to sync it.
func (b *Bucket) syncFolder(dir string) error {
	if d := b.folders.get(b.root, dir); d != nil {
		return d.Sync()
	}
	d, err := b.root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// statInfo is an os.FileInfo from fstatat.
type statInfo struct {
	name string
	st   *unix.Stat_t
}

func (s statInfo) Name() string { return s.name }
func (s statInfo) Size() int64  { return s.st.Size }
func (s statInfo) Mode() os.FileMode {
	m := os.FileMode(s.st.Mode & 0o777)
	switch s.st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		m |= os.ModeDir
	case unix.S_IFLNK:
		m |= os.ModeSymlink
	case unix.S_IFREG:
	default:
		m |= os.ModeIrregular
	}
	return m
}
func (s statInfo) ModTime() time.Time { return time.Unix(s.st.Mtim.Unix()) }
func (s statInfo) IsDir() bool        { return s.Mode().IsDir() }
func (s statInfo) Sys() any           { return s.st }
