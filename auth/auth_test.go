package auth

import (
	"strings"
	"testing"

	"sufficiency/care"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not PHC Argon2id", h)
	}
	h2, _ := HashPassword("a long enough password")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"Right", "a long enough password", true},
		{"Wrong", "a long enough passwork", false},
		{"Empty", "", false},
		{"TooLong", strings.Repeat("x", MaxPasswordLength+1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := VerifyPassword(h, tc.password)
			if err != nil || ok != tc.want {
				t.Fatalf("VerifyPassword: %v, %v; want %v", ok, err, tc.want)
			}
		})
	}
}

func TestHashPasswordRefuses(t *testing.T) {
	for _, pw := range []string{"", "short", strings.Repeat("x", MaxPasswordLength+1)} {
		if _, err := HashPassword(pw); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("HashPassword(%d chars): %v, want EINVALID", len(pw), err)
		}
	}
}

func TestVerifyPasswordBadHash(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=19456,t=2,p=1$!!$!!"} {
		if ok, err := VerifyPassword(h, "whatever password"); ok || care.ErrorCode(err) != care.EINVALID {
			t.Errorf("VerifyPassword(%q): %v, %v; want EINVALID", h, ok, err)
		}
	}
}

func TestTokens(t *testing.T) {
	a, err1 := NewToken()
	b, err2 := NewToken()
	if err1 != nil || err2 != nil || a == b || len(a) < 40 {
		t.Fatalf("tokens %q %q", a, b)
	}
	if HashToken(a) == a || len(HashToken(a)) != 64 || HashToken(a) != HashToken(a) {
		t.Errorf("HashToken(%q) = %q", a, HashToken(a))
	}
}
