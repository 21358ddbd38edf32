package catalogue

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the cost parameters of argon2id (RFC 9106).
type Argon2Params struct {
	Time    uint32 // passes over the memory
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 costs about 70–100 ms and 64 MiB per hash on a 2-core
// server: slow enough that a stolen hash file resists guessing, quick enough
// that signing in does not feel slow.
var DefaultArgon2 = Argon2Params{Time: 2, Memory: 64 * 1024, Threads: 2}

const (
	argonSaltLen = 16
	argonKeyLen  = 32
)

// PasswordHasher hashes and checks passwords with argon2id, as PHC strings
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash). It runs at most one hash per CPU
// at a time, so a burst of sign-ins queues instead of exhausting memory.
type PasswordHasher struct {
	Params Argon2Params

	once  sync.Once
	slots chan struct{}
	dummy string // a hash to check against when there is no account, so a miss costs as long as a hit
}

// NewPasswordHasher returns a hasher with the given cost.
func NewPasswordHasher(p Argon2Params) *PasswordHasher { return &PasswordHasher{Params: p} }

func (h *PasswordHasher) init() {
	h.once.Do(func() {
		h.slots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
		h.dummy = h.encode(h.Params, randomBytes(argonSaltLen), "not a password")
	})
}

// run waits for a free slot, then computes the argon2id key.
func (h *PasswordHasher) run(ctx context.Context, p Argon2Params, salt []byte, password string) ([]byte, error) {
	h.init()
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.slots }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, argonKeyLen), nil
}

func (h *PasswordHasher) encode(p Argon2Params, salt []byte, password string) string {
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, argonKeyLen)
	return phc(p, salt, key)
}

func phc(p Argon2Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Hash returns the PHC string of password with a fresh random salt.
func (h *PasswordHasher) Hash(ctx context.Context, password string) (string, error) {
	salt := randomBytes(argonSaltLen)
	key, err := h.run(ctx, h.Params, salt, password)
	if err != nil {
		return "", err
	}
	return phc(h.Params, salt, key), nil
}

// Verify reports whether password matches the PHC string, using the
// parameters written in it, so hashes made with older costs keep working.
// A malformed hash is an error, never a match.
func (h *PasswordHasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	got, err := h.run(ctx, p, salt, password)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// VerifyNothing does the work of a Verify that fails, for a sign-in to an
// account that does not exist: the answer then takes as long as for a
// wrong password and does not tell which accounts exist.
func (h *PasswordHasher) VerifyNothing(ctx context.Context, password string) {
	h.init()
	_, _ = h.Verify(ctx, h.dummy, password)
}

// NeedsRehash reports whether the hash was made with other parameters than
// the hasher's, so it should be replaced at the next successful sign-in.
func (h *PasswordHasher) NeedsRehash(encoded string) bool {
	p, _, _, err := parsePHC(encoded)
	return err != nil || p != h.Params
}

// parsePHC reads an argon2id PHC string. The bounds keep a corrupted record
// from asking for gigabytes of memory.
func parsePHC(s string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("catalogue: password hash is not an argon2id PHC string")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("catalogue: password hash: unsupported argon2 version %q", parts[2])
	}
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &threads); err != nil {
		return p, nil, nil, fmt.Errorf("catalogue: password hash parameters %q: %w", parts[3], err)
	}
	if p.Time < 1 || p.Time > 64 || p.Memory < 8 || p.Memory > 1<<20 || threads < 1 || threads > 64 {
		return p, nil, nil, fmt.Errorf("catalogue: password hash parameters %q out of range", parts[3])
	}
	p.Threads = uint8(threads)
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("catalogue: password hash salt is malformed")
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, fmt.Errorf("catalogue: password hash key is malformed")
	}
	return p, salt, key, nil
}

// passwordAlphabet leaves out characters people confuse when reading a
// password off a screen (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random password of GeneratedPassword
// characters (about 92 bits), for new accounts and resets.
func GeneratePassword() string {
	b := make([]byte, GeneratedPassword)
	for i := range b {
		// Rejection sampling keeps every character equally likely.
		for {
			r := randomBytes(1)[0]
			if int(r) < 256-256%len(passwordAlphabet) {
				b[i] = passwordAlphabet[int(r)%len(passwordAlphabet)]
				break
			}
		}
	}
	return string(b)
}

// RandomToken returns n random bytes as unpadded base64url, for session and
// CSRF tokens.
func RandomToken(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return b
}
