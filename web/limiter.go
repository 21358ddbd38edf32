package web

import (
	"sync"
	"time"
)

// attemptLimiter counts failures per key (an account or an address) in a
// sliding window. It lives in memory: a restart forgives everyone, which is
// acceptable for slowing down guessing, and costs no store writes.
type attemptLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	fails map[string][]time.Time // the recent failures of each key, oldest first, at most max
}

// maxTrackedKeys bounds the limiter's memory when someone sprays names or
// addresses; past it, keys with no recent failure are swept.
const maxTrackedKeys = 50000

func newAttemptLimiter(max int, window time.Duration) *attemptLimiter {
	return &attemptLimiter{max: max, window: window, now: time.Now, fails: map[string][]time.Time{}}
}

// recent returns key's failures still inside the window, dropping older ones.
func (l *attemptLimiter) recent(key string, now time.Time) []time.Time {
	fs := l.fails[key]
	i := 0
	for i < len(fs) && !now.Before(fs[i].Add(l.window)) {
		i++
	}
	if i == len(fs) {
		delete(l.fails, key)
		return nil
	}
	if i > 0 {
		fs = fs[i:]
		l.fails[key] = fs
	}
	return fs
}

// blockedUntil returns when key may try again, or the zero time if it may
// now.
func (l *attemptLimiter) blockedUntil(key string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := l.recent(key, l.now())
	if len(fs) < l.max {
		return time.Time{}
	}
	return fs[len(fs)-l.max].Add(l.window)
}

// fail records a failure of key.
func (l *attemptLimiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.fails) >= maxTrackedKeys {
		for k := range l.fails {
			l.recent(k, now)
		}
	}
	fs := append(l.recent(key, now), now)
	if len(fs) > l.max {
		fs = fs[len(fs)-l.max:]
	}
	l.fails[key] = fs
}

// reset forgets key's failures.
func (l *attemptLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}
