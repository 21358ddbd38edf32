package fs

import (
	"os"
	"path"
	"sync"
)

// maxFolders bounds the folders kept open. The catalogue's keys fall into a
// few large folders (entries, claims), which stay open; a store with more
// folders than this reaches the rest by path.
const maxFolders = 256

// folders keeps folders under the root open, so that operations on an
// object in one are single system calls relative to the folder rather than
// a walk from the root for every path component. A folder is dropped when
// delete removes it (under the tree lock, which every user of a folder
// holds shared) and when the bucket closes.
type folders struct {
	mu   sync.Mutex
	open map[string]*os.File // folder path under the root → the open folder
}

// get returns the open folder dir, opening it through root if it is not
// yet open and there is room; nil if it is not kept open.
func (fs *folders) get(root *os.Root, dir string) *os.File {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.open[dir]; ok {
		return f
	}
	if len(fs.open) >= maxFolders {
		return nil
	}
	f, err := root.Open(dir)
	if err != nil {
		return nil
	}
	if fi, err := f.Stat(); err != nil || !fi.IsDir() {
		f.Close()
		return nil
	}
	if fs.open == nil {
		fs.open = map[string]*os.File{}
	}
	fs.open[dir] = f
	return f
}

// isOpen reports whether dir is kept open (so it exists).
func (fs *folders) isOpen(dir string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	_, ok := fs.open[dir]
	return ok
}

// drop closes and forgets the folder dir.
func (fs *folders) drop(dir string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.open[dir]; ok {
		f.Close()
		delete(fs.open, dir)
	}
}

// closeAll closes every open folder.
func (fs *folders) closeAll() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for dir, f := range fs.open {
		f.Close()
		delete(fs.open, dir)
	}
}

// split returns the folder and base name of a slash path.
func split(name string) (dir, base string) {
	return path.Dir(name), path.Base(name)
}
