package refdata

import (
	"testing"

	"sufficiency/care"
)

// TestNormaliseCouncil is the one council-code normaliser's edge cases: every
// form of a known council gives its ONS code; an unknown one is kept, trimmed,
// upper-cased only when it looks like an ONS code.
func TestNormaliseCouncil(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"E09000003", "E09000003"},
		{"e09000003", "E09000003"},       // lower case ONS code
		{"  E09000003\t", "E09000003"},   // spaces around
		{"302", "E09000003"},             // DfE code
		{" 302 ", "E09000003"},           //
		{"Barnet", "E09000003"},          // name
		{"barnet", "E09000003"},          // name in lower case
		{"  St.  Helens ", "E08000013"},  // full stops and extra spaces
		{"Bristol", "E06000023"},         // "Bristol, City of"
		{"City of Bristol", "E06000023"}, //
		{"BCP", "E06000058"},             // alias
		{"hull", "E06000010"},            // alias
		{"940", "E06000061"},             // North Northamptonshire (since 2021)
		{"E10000021", "E10000021"},       // old code: Northamptonshire, abolished 2021
		{"e10000021", "E10000021"},       // old code in lower case: upper-cased
		{" e06000028 ", "E06000028"},     // old code: Bournemouth, in BCP since 2019
		{"928", "928"},                   // old DfE code (Northamptonshire): kept
		{"Northamptonshire", "Northamptonshire"},
		{"Test council", "Test council"}, // not a code: kept as given, trimmed
		{"X12345678", "X12345678"},       // not an English/UK ONS prefix
		{"e1000002", "e1000002"},         // eight characters: not a code
		{"", ""},
		{"   ", ""},
	} {
		if got := NormaliseCouncil(c.in); got != c.want {
			t.Errorf("NormaliseCouncil(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestCouncilCode: known councils give their ONS code; anything else is
// ENOTFOUND naming what was given.
func TestCouncilCode(t *testing.T) {
	for in, want := range map[string]string{"manchester": "E08000003", "352": "E08000003", " e08000003 ": "E08000003"} {
		if got, err := CouncilCode(in); err != nil || got != want {
			t.Errorf("CouncilCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"E10000021", "928", "", "Atlantis"} {
		code, err := CouncilCode(in)
		if care.ErrorCode(err) != care.ENOTFOUND || code != "" {
			t.Errorf("CouncilCode(%q) = %q, %v; want ENOTFOUND", in, code, err)
		}
	}
}

func TestIsONSCode(t *testing.T) {
	for in, want := range map[string]bool{"E08000003": true, "w06000001": true, "S12000033": true, "N09000001": true,
		"E0800000": false, "E080000033": false, "X08000003": false, "E0800000A": false, "": false, "352": false} {
		if got := IsONSCode(in); got != want {
			t.Errorf("IsONSCode(%q) = %v, want %v", in, got, want)
		}
	}
}
