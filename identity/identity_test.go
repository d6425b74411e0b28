package identity

import (
	"strings"
	"testing"

	"sufficiency/care"
)

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

// TestIsAdmin: only the admin role.
func TestIsAdmin(t *testing.T) {
	for _, r := range []Role{RoleAdmin, RoleCouncil, RoleRCC, RoleProvider, ""} {
		if got := (User{Role: r}).IsAdmin(); got != (r == RoleAdmin) {
			t.Errorf("%q: IsAdmin %v", r, got)
		}
	}
}
