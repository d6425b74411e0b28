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

func TestScope(t *testing.T) {
	council := User{Name: "c", Role: RoleCouncil, Council: "E06000001"} // Hartlepool, North East
	rcc := User{Name: "r", Role: RoleRCC, Region: "North East"}
	provider := User{Name: "p", Role: RoleProvider, Provider: "Acme"}
	admin := User{Name: "a", Role: RoleAdmin}
	tests := []struct {
		user    User
		council string
		want    bool
	}{
		{council, "E06000001", true},
		{council, "E06000002", false},
		{council, "", false},
		{rcc, "E06000002", true},
		{rcc, "E08000003", false}, // Manchester, North West
		{provider, "E06000001", false},
		{admin, "E08000003", true},
	}
	for _, tc := range tests {
		if got := tc.user.CanSeeCouncil(tc.council); got != tc.want {
			t.Errorf("%s CanSeeCouncil(%q) = %v, want %v", tc.user.Role, tc.council, got, tc.want)
		}
	}
	if !rcc.CanSeeRegion("north east") || rcc.CanSeeRegion("North West") || council.CanSeeRegion("North East") || !admin.CanSeeRegion("London") {
		t.Error("CanSeeRegion")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		user User
		ok   bool
	}{
		{"Council", User{Name: "c", Role: RoleCouncil, Council: "E06000001"}, true},
		{"CouncilWithoutCode", User{Name: "c", Role: RoleCouncil}, false},
		{"CouncilUnknown", User{Name: "c", Role: RoleCouncil, Council: "E99"}, false},
		{"RCC", User{Name: "r", Role: RoleRCC, Region: "North East"}, true},
		{"RCCNoRegion", User{Name: "r", Role: RoleRCC, Region: "Atlantis"}, false},
		{"ProviderNoOrg", User{Name: "p", Role: RoleProvider}, false},
		{"Admin", User{Name: "a", Role: RoleAdmin}, true},
		{"NameWithSpace", User{Name: "a b", Role: RoleAdmin}, false},
		{"NoRole", User{Name: "a"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.user.Validate()
			if (err == nil) != tc.ok || (err != nil && care.ErrorCode(err) != care.EINVALID) {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
	if _, err := ParseRole("Council"); err != nil {
		t.Error(err)
	}
	if _, err := ParseRole("boss"); care.ErrorCode(err) != care.EINVALID {
		t.Error("ParseRole(boss)")
	}
}
