package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"sufficiency/care"
	"sufficiency/identity"
)

// Argon2id parameters (OWASP's first recommended set: 19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// MaxPasswordLength bounds the work one sign-in can cause.
const MaxPasswordLength = 1024

var b64 = base64.RawStdEncoding

// HashPassword returns the Argon2id hash of password in PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash). EINVALID when the password is
// shorter than MinPasswordLength or longer than MaxPasswordLength.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLength || len(password) > MaxPasswordLength {
		return "", care.Errorf(care.EINVALID, "a password needs %d to %d characters", MinPasswordLength, MaxPasswordLength)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", care.WrapError(care.EINTERNAL, err, "random salt")
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-format Argon2id
// hash, in constant time. EINVALID when the hash is not one this package
// wrote (or its parameters are out of bounds).
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, care.Errorf(care.EINVALID, "not an Argon2id PHC hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, care.Errorf(care.EINVALID, "unsupported Argon2 version %q", parts[2])
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, care.Errorf(care.EINVALID, "bad Argon2 parameters %q", parts[3])
	}
	if m < 8 || m > 1<<20 || t < 1 || t > 10 || p < 1 || p > 16 {
		return false, care.Errorf(care.EINVALID, "Argon2 parameters %q out of bounds", parts[3])
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return false, care.Errorf(care.EINVALID, "bad Argon2 salt or key")
	}
	if len(password) > MaxPasswordLength {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NewToken returns a fresh random token (256 bits, URL-safe base64) for a
// session or API token. Only HashToken(token) is stored.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", care.WrapError(care.EINTERNAL, err, "random token")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken returns the SHA-256 of a token, hex: what the store keeps (see
// identity.HashToken).
func HashToken(token string) string { return identity.HashToken(token) }
