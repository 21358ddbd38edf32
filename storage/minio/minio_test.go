package minio_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"gongkai/internal/testenv"
	"gongkai/storage"
	"gongkai/storage/minio"
	"gongkai/storage/storagetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopSharedMinIO()
	os.Exit(code)
}

func TestAcceptance(t *testing.T) {
	srv := testenv.SharedMinIO(t)
	storagetest.AcceptanceTest(t, func(t *testing.T) storage.Bucket {
		return MustOpen(t, ConfigFor(srv, srv.NewBucketName()))
	})
}

func TestNew(t *testing.T) {
	srv := testenv.SharedMinIO(t)

	t.Run("CreatesMissingBucketOnce", func(t *testing.T) {
		cfg := ConfigFor(srv, srv.NewBucketName())
		first := MustOpen(t, cfg)
		storagetest.MustPut(t, first, "k", "kept", "")
		// A second New on the existing bucket must not recreate or empty it.
		if content, _ := storagetest.MustGet(t, MustOpen(t, cfg), "k"); content != "kept" {
			t.Errorf("object after reopening = %q", content)
		}
	})
	t.Run("ErrUnavailableOnBadCredentials", func(t *testing.T) {
		for name, cfg := range map[string]minio.Config{
			"WrongSecret":    {Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: "wrong-secret", Bucket: "any"},
			"UnknownAccount": {Endpoint: srv.Endpoint, AccessKey: "nobody", SecretKey: "wrong-secret", Bucket: "any"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := minio.New(t.Context(), cfg)
				if !errors.Is(err, storage.ErrUnavailable) {
					t.Fatalf("New = %v, want ErrUnavailable", err)
				}
				if !strings.Contains(err.Error(), "credentials") {
					t.Errorf("error %q does not mention the credentials", err)
				}
			})
		}
	})
	t.Run("ErrOnInvalidConfig", func(t *testing.T) {
		for name, cfg := range map[string]minio.Config{
			"NoEndpoint":    {AccessKey: "a", SecretKey: "b", Bucket: "gongkai"},
			"NoCredentials": {Endpoint: srv.Endpoint, Bucket: "gongkai"},
			"BadBucketName": {Endpoint: srv.Endpoint, AccessKey: "a", SecretKey: "b", Bucket: "Not_A_Bucket"},
			"EndpointAsURL": {Endpoint: "http://" + srv.Endpoint + "/x", AccessKey: "a", SecretKey: "b", Bucket: "gongkai"},
			"NoBucket":      {Endpoint: srv.Endpoint, AccessKey: "a", SecretKey: "b"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := minio.New(t.Context(), cfg)
				if err == nil || errors.Is(err, storage.ErrUnavailable) {
					t.Errorf("New = %v, want a configuration error", err)
				}
			})
		}
	})
}

// These need no server: nothing listens, or nothing answers.
func TestNewUnreachable(t *testing.T) {
	t.Run("ErrUnavailableOnClosedPort", func(t *testing.T) {
		start := time.Now()
		_, err := minio.New(t.Context(), minio.Config{Endpoint: closedPort(t), AccessKey: "a", SecretKey: "secret-key", Bucket: "gongkai"})
		if !errors.Is(err, storage.ErrUnavailable) {
			t.Fatalf("New = %v, want ErrUnavailable", err)
		}
		if elapsed := time.Since(start); elapsed > 10*time.Second {
			t.Errorf("New took %s to notice nothing listens", elapsed)
		}
		t.Logf("closed port: %v after %s", err, time.Since(start).Round(time.Millisecond))
	})
	t.Run("ErrUnavailableOnSilentServer", func(t *testing.T) {
		minio.SetCheckTimeout(t, time.Second)
		start := time.Now()
		_, err := minio.New(t.Context(), minio.Config{Endpoint: silentServer(t), AccessKey: "a", SecretKey: "secret-key", Bucket: "gongkai"})
		if !errors.Is(err, storage.ErrUnavailable) {
			t.Fatalf("New = %v, want ErrUnavailable", err)
		}
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("New waited %s for a server that never answers, want about the 1s check timeout", elapsed)
		}
	})
	t.Run("CallerCancelIsNotUnavailable", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := minio.New(ctx, minio.Config{Endpoint: silentServer(t), AccessKey: "a", SecretKey: "secret-key", Bucket: "gongkai"})
		if !errors.Is(err, context.Canceled) || errors.Is(err, storage.ErrUnavailable) {
			t.Errorf("New = %v, want context.Canceled only", err)
		}
	})
}

// TestOutage checks that calls during an outage fail fast with
// ErrUnavailable and that the bucket works again once the server is back.
func TestOutage(t *testing.T) {
	srv := testenv.StartMinIO(t)
	b := MustOpen(t, ConfigFor(srv, srv.NewBucketName()))
	storagetest.MustPut(t, b, "entry.json", `{"id":1}`, "application/json")

	srv.Stop()
	t.Run("ErrUnavailableWhileDown", func(t *testing.T) {
		start := time.Now()
		_, err := b.Stat(t.Context(), "entry.json")
		if !errors.Is(err, storage.ErrUnavailable) {
			t.Errorf("Stat = %v, want ErrUnavailable", err)
		}
		_, err = b.Put(t.Context(), "other.json", strings.NewReader("{}"), 2, storage.PutOptions{})
		if !errors.Is(err, storage.ErrUnavailable) {
			t.Errorf("Put = %v, want ErrUnavailable", err)
		}
		err = b.List(t.Context(), "", func(storage.ObjectInfo) error { return nil })
		if !errors.Is(err, storage.ErrUnavailable) {
			t.Errorf("List = %v, want ErrUnavailable", err)
		}
		if elapsed := time.Since(start); elapsed > 15*time.Second {
			t.Errorf("three calls took %s to fail", elapsed)
		}
	})
	srv.Start()
	t.Run("RecoversAfterRestart", func(t *testing.T) {
		if content, _ := storagetest.MustGet(t, b, "entry.json"); content != `{"id":1}` {
			t.Errorf("after restart entry.json = %q", content)
		}
	})
}

func TestETagIsContentMD5(t *testing.T) {
	srv := testenv.SharedMinIO(t)
	b := MustOpen(t, ConfigFor(srv, srv.NewBucketName()))
	put := storagetest.MustPut(t, b, "k", "政府信息公开", "")
	sum := md5.Sum([]byte("政府信息公开"))
	if want := hex.EncodeToString(sum[:]); put.ETag != want {
		t.Errorf("ETag = %q, want the content's MD5 %q, as the filesystem provider gives", put.ETag, want)
	}
	t.Run("QuotedIfMatchAccepted", func(t *testing.T) {
		_, err := b.Put(t.Context(), "k", strings.NewReader("v2"), 2, storage.PutOptions{IfMatch: `"` + put.ETag + `"`})
		if err != nil {
			t.Errorf("IfMatch with a quoted ETag: %v", err)
		}
	})
}

func ConfigFor(srv *testenv.MinIOServer, bucket string) minio.Config {
	return minio.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: bucket}
}

func MustOpen(tb testing.TB, cfg minio.Config) *minio.Bucket {
	tb.Helper()
	b, err := minio.New(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("minio.New: %v", err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}

// closedPort returns a loopback address nothing listens on.
func closedPort(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// silentServer returns the address of a listener that accepts connections
// and never answers, like a hung server.
func silentServer(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	tb.Cleanup(func() {
		l.Close()
		<-done
	})
	return l.Addr().String()
}
