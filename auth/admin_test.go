package auth

import (
	"context"
	"strings"
	"testing"

	"sufficiency/care"
)

// TestCheckID: an ID is IDLength (12) lower-case hexadecimal digits, as the
// lists show them; upper case and surrounding spaces are forgiven.
func TestCheckID(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0123456789ab", "0123456789ab", true},    // 12: on
		{" 0123456789AB\n", "0123456789ab", true}, // typed
		{"0123456789a", "", false},                // 11: below
		{"0123456789abc", "", false},              // 13: above
		{"0123456789ag", "", false},               // not hexadecimal
		{"", "", false},
	} {
		got, err := CheckID(tc.in)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("CheckID(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if !tc.ok && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "12-character id")) {
			t.Errorf("CheckID(%q): %v, want EINVALID", tc.in, err)
		}
	}
}

// passwordStore records SetPassword; the rest of AdminStore is not used.
type passwordStore struct {
	AdminStore
	name, hash string
	calls      int
}

func (p *passwordStore) SetPassword(_ context.Context, name, hash string) (int, error) {
	p.name, p.hash = name, hash
	p.calls++
	return 2, nil
}

// TestChangePassword: the new password is hashed (never stored as typed)
// and the store ends the user's sessions; a password outside 12 to 1,024
// characters is refused before the store is asked.
func TestChangePassword(t *testing.T) {
	st := &passwordStore{}
	n, err := ChangePassword(context.Background(), st, "hart", testPassword)
	if err != nil || n != 2 || st.name != "hart" {
		t.Fatalf("ChangePassword: %d %v %+v", n, err, st)
	}
	if ok, err := VerifyPassword(st.hash, testPassword); !ok || err != nil || st.hash == testPassword {
		t.Errorf("stored %q does not verify", st.hash)
	}
	if n, err := ChangePassword(context.Background(), st, "hart", "short"); care.ErrorCode(err) != care.EINVALID || n != 0 || st.calls != 1 {
		t.Errorf("short password: %d %v, %d calls", n, err, st.calls)
	}
}

// TestIsAdmin: only the admin role.
func TestIsAdmin(t *testing.T) {
	for _, r := range []Role{RoleAdmin, RoleCouncil, RoleRCC, RoleProvider, ""} {
		if got := (User{Role: r}).IsAdmin(); got != (r == RoleAdmin) {
			t.Errorf("%q: IsAdmin %v", r, got)
		}
	}
}
