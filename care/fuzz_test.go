package care

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzParseReferral feeds any bytes to the referral JSON parser: it must
// never panic, and any error must be a *Error naming what is wrong.
//
//	go test ./care -run '^$' -fuzz FuzzParseReferral -fuzztime 60s
func FuzzParseReferral(f *testing.F) {
	if seed, err := os.ReadFile("../match/testdata/referral.json"); err == nil {
		f.Add(seed)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"child_ref":"R1","dob":"2012-05","urgency":"today","home_postcode":"M14 5AB"}`))
	f.Add([]byte(`{"sibling_count":-1}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReferral(data, "referral")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("error %v (%T) is not a *care.Error with a message", err, err)
			}
			return
		}
		if r.GroupSize() < 1 {
			t.Fatalf("accepted referral with group size %d", r.GroupSize())
		}
	})
}

// FuzzReadReferrals is the same for a file of referrals.
func FuzzReadReferrals(f *testing.F) {
	if seed, err := os.ReadFile("../match/testdata/referral.json"); err == nil {
		f.Add(append(append([]byte("["), seed...), ']'))
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ReadReferrals(bytes.NewReader(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("error %v (%T) is not a *care.Error with a message", err, err)
			}
			return
		}
		for _, r := range rs {
			if r.GroupSize() < 1 {
				t.Fatalf("accepted referral with group size %d", r.GroupSize())
			}
		}
	})
}
