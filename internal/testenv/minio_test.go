package testenv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopSharedMinIO()
	os.Exit(code)
}

func TestStartMinIO(t *testing.T) {
	srv := StartMinIO(t)
	ctx := context.Background()
	client := MustClient(t, srv)
	bucket := srv.NewBucketName()
	if err := client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	MustPutObject(t, client, bucket, "kept.txt", "survives a restart")

	t.Run("ListensOnLoopbackOnly", func(t *testing.T) {
		if !strings.HasPrefix(srv.Endpoint, "127.0.0.1:") {
			t.Errorf("Endpoint = %q, want 127.0.0.1:port", srv.Endpoint)
		}
	})
	t.Run("StopRefusesConnections", func(t *testing.T) {
		srv.Stop()
		srv.Stop() // a second Stop does nothing
		_, err := http.Get("http://" + srv.Endpoint + "/minio/health/live")
		if err == nil {
			t.Fatal("health check answered after Stop")
		}
	})
	t.Run("StartKeepsPortAndData", func(t *testing.T) {
		endpoint := srv.Endpoint
		srv.Start()
		srv.Start() // a second Start does nothing
		if srv.Endpoint != endpoint {
			t.Errorf("Endpoint after restart = %q, want %q", srv.Endpoint, endpoint)
		}
		if got := MustGetObject(t, client, bucket, "kept.txt"); got != "survives a restart" {
			t.Errorf("object after restart = %q", got)
		}
	})
	t.Run("LogCaptured", func(t *testing.T) {
		if log := srv.Log(); !strings.Contains(log, "testenv: stopped") || !strings.Contains(log, srv.Endpoint) {
			t.Errorf("log lacks the restart:\n%s", log)
		}
	})
}

func TestSharedMinIO(t *testing.T) {
	first := SharedMinIO(t)
	second := SharedMinIO(t)
	if first != second {
		t.Fatal("SharedMinIO started a second server")
	}
	t.Run("BucketNamesUnique", func(t *testing.T) {
		seen := map[string]bool{}
		for range 100 {
			name := first.NewBucketName()
			if seen[name] {
				t.Fatalf("bucket name %q handed out twice", name)
			}
			seen[name] = true
			if len(name) < 3 || len(name) > 63 || strings.ToLower(name) != name {
				t.Fatalf("bucket name %q is not a valid S3 bucket name", name)
			}
		}
	})
	t.Run("BucketsUsable", func(t *testing.T) {
		client := MustClient(t, first)
		if err := client.MakeBucket(context.Background(), first.NewBucketName(), minio.MakeBucketOptions{}); err != nil {
			t.Fatalf("make bucket: %v", err)
		}
	})
}

func TestMustMinIOBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("MustMinIOBinary skips every caller in -short mode")
	}
	empty := t.TempDir()
	t.Setenv("GONGKAI_MINIO_BIN", filepath.Join(empty, "missing"))
	t.Setenv("GONGKAI_CACHE", empty)
	t.Setenv("PATH", empty)

	t.Run("SkipsWithoutBinary", func(t *testing.T) {
		t.Setenv("CI", "")
		tb := runRecording(t)
		if !tb.skipped || tb.failed {
			t.Fatalf("skipped=%v failed=%v, want a skip", tb.skipped, tb.failed)
		}
		if !strings.Contains(tb.msg, "scripts/minio.sh") {
			t.Errorf("skip message %q does not say how to install MinIO", tb.msg)
		}
	})
	t.Run("FailsWithoutBinaryInCI", func(t *testing.T) {
		t.Setenv("CI", "true")
		tb := runRecording(t)
		if !tb.failed || tb.skipped {
			t.Fatalf("skipped=%v failed=%v, want a failure", tb.skipped, tb.failed)
		}
	})
	t.Run("PrefersEnvironmentVariable", func(t *testing.T) {
		bin := filepath.Join(t.TempDir(), "minio-custom")
		if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		cached := filepath.Join(empty, "bin", "minio")
		if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cached, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(filepath.Dir(cached)) })
		t.Setenv("GONGKAI_MINIO_BIN", bin)
		if got := MustMinIOBinary(t); got != bin {
			t.Errorf("MustMinIOBinary = %q, want %q", got, bin)
		}
		t.Setenv("GONGKAI_MINIO_BIN", "")
		if got := MustMinIOBinary(t); got != cached {
			t.Errorf("without the variable MustMinIOBinary = %q, want the cached %q", got, cached)
		}
	})
}

// recordingTB records Skip and Fatal instead of ending the real test.
type recordingTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recordingTB) Skip(args ...any) {
	r.skipped, r.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

func (r *recordingTB) Fatal(args ...any) {
	r.failed, r.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

// runRecording calls MustMinIOBinary on its own goroutine, since Skip and
// Fatal end the goroutine that calls them.
func runRecording(t *testing.T) *recordingTB {
	tb := &recordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		MustMinIOBinary(tb)
	}()
	<-done
	return tb
}

func MustClient(tb testing.TB, srv *MinIOServer) *minio.Client {
	tb.Helper()
	client, err := minio.New(srv.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""),
	})
	if err != nil {
		tb.Fatalf("minio client: %v", err)
	}
	return client
}

func MustPutObject(tb testing.TB, client *minio.Client, bucket, key, content string) {
	tb.Helper()
	_, err := client.PutObject(context.Background(), bucket, key, strings.NewReader(content), int64(len(content)), minio.PutObjectOptions{})
	if err != nil {
		tb.Fatalf("put %s: %v", key, err)
	}
}

func MustGetObject(tb testing.TB, client *minio.Client, bucket, key string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	obj, err := client.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		tb.Fatalf("get %s: %v", key, err)
	}
	defer obj.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, obj); err != nil {
		tb.Fatalf("read %s: %v", key, err)
	}
	return buf.String()
}
