package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// openSeekable opens the object for reading from any offset, as
// http.ServeContent needs for Range requests. Reads that go on where the
// last one stopped share one open reader; a read after a Seek elsewhere
// opens a GetRange from there, so a resumed download or a PDF viewer's page
// fetch does not read the object from its start.
//
// Meant for objects that never change, such as files named by their
// content hash: a read after a Seek sees the object as it is then.
func openSeekable(ctx context.Context, b Bucket, key string) (io.ReadSeekCloser, ObjectInfo, error) {
	rc, info, err := b.Get(ctx, key)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	return &seekableObject{ctx: ctx, b: b, key: key, size: info.Size, r: rc}, info, nil
}

type seekableObject struct {
	ctx  context.Context
	b    Bucket
	key  string
	size int64

	off int64         // where the next Read starts
	r   io.ReadCloser // the open reader, or nil
	at  int64         // where r's next byte is in the object
}

func (o *seekableObject) Read(p []byte) (int, error) {
	if o.off >= o.size {
		return 0, io.EOF
	}
	if o.r != nil && o.at != o.off {
		o.r.Close()
		o.r = nil
	}
	if o.r == nil {
		r, err := o.b.GetRange(o.ctx, o.key, o.off, -1)
		if err != nil {
			return 0, err
		}
		o.r, o.at = r, o.off
	}
	n, err := o.r.Read(p)
	o.at += int64(n)
	o.off = o.at
	return n, err
}

func (o *seekableObject) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.off
	case io.SeekEnd:
		offset += o.size
	default:
		return 0, fmt.Errorf("storage: seek %q: invalid whence %d", o.key, whence)
	}
	if offset < 0 {
		return 0, errors.New("storage: seek " + quoteKey(o.key) + ": negative position")
	}
	o.off = offset
	return offset, nil
}

func (o *seekableObject) Close() error {
	if o.r == nil {
		return nil
	}
	err := o.r.Close()
	o.r = nil
	return err
}
