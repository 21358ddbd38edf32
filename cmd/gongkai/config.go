package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything the process is told from outside: flags, with
// GONGKAI_<FLAG> environment variables as defaults.
type Config struct {
	Addr  string // serve: listen address
	Data  string // data dir: indexes, lock, and (store=fs) the objects
	Demo  bool   // serve: load the bundled demo catalogue into an empty data dir
	Store string // "fs" or "minio"

	MinIOEndpoint  string
	MinIOAccessKey string
	MinIOSecretKey string
	MinIOBucket    string
	MinIOSecure    bool

	ShutdownTimeout time.Duration
	LogFormat       string // "text" or "json"
	// TrustedProxies are reverse proxies (IPs or CIDRs) whose
	// X-Forwarded-For is believed; none unless GONGKAI_TRUSTED_PROXIES
	// lists them, comma-separated.
	TrustedProxies []string
	// BaseURL is the public site's address (https://gk.example.gov.cn), for
	// the absolute links of feeds, the sitemap, exports and kiosk QR codes;
	// GONGKAI_BASE_URL. Without it they use the address the request came to.
	BaseURL string
}

// Validate checks the configuration before anything is opened.
func (c *Config) Validate() error {
	switch c.Store {
	case "fs":
	case "minio":
		var missing []string
		for name, v := range map[string]string{
			"GONGKAI_MINIO_ENDPOINT": c.MinIOEndpoint, "GONGKAI_MINIO_ACCESS_KEY": c.MinIOAccessKey,
			"GONGKAI_MINIO_SECRET_KEY": c.MinIOSecretKey, "GONGKAI_MINIO_BUCKET": c.MinIOBucket,
		} {
			if v == "" {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("GONGKAI_STORE=minio needs %s", strings.Join(sorted(missing), ", "))
		}
	default:
		return fmt.Errorf("GONGKAI_STORE must be fs or minio, not %q", c.Store)
	}
	if c.Data == "" {
		return errors.New("--data must name a directory")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	return nil
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// newFlagSet returns the flags shared by the commands, bound to c with the
// environment as defaults. Only the flags a command lists are registered.
func newFlagSet(name string, c *Config, env func(string) string, stderr io.Writer, flags ...string) *flag.FlagSet {
	fs := flag.NewFlagSet("gongkai "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	get := func(key, def string) string {
		if v := env("GONGKAI_" + key); v != "" {
			return v
		}
		return def
	}
	c.Store = get("STORE", "fs")
	c.MinIOEndpoint = get("MINIO_ENDPOINT", "")
	c.MinIOAccessKey = get("MINIO_ACCESS_KEY", "")
	c.MinIOSecretKey = get("MINIO_SECRET_KEY", "")
	c.MinIOBucket = get("MINIO_BUCKET", "gongkai")
	c.MinIOSecure, _ = strconv.ParseBool(get("MINIO_SECURE", "false"))
	c.ShutdownTimeout = 10 * time.Second
	c.LogFormat = get("LOG_FORMAT", "text")
	c.Data = get("DATA", "./data")
	c.Addr = get("ADDR", "127.0.0.1:8080")
	c.TrustedProxies = splitList(get("TRUSTED_PROXIES", ""))
	c.BaseURL = strings.TrimRight(get("BASE_URL", ""), "/")
	for _, f := range flags {
		switch f {
		case "data":
			fs.StringVar(&c.Data, "data", c.Data, "data directory (env GONGKAI_DATA)")
		case "addr":
			fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (env GONGKAI_ADDR)")
		case "demo":
			demo, _ := strconv.ParseBool(get("DEMO", "false"))
			fs.BoolVar(&c.Demo, "demo", demo, "load the demo catalogue into an empty data dir (env GONGKAI_DEMO)")
		case "log-format":
			fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env GONGKAI_LOG_FORMAT)")
		}
	}
	return fs
}

func osEnv(key string) string { return os.Getenv(key) }

// splitList reads a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
