package match

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/geo"
)

// isCareError fails the fuzz run unless err is a *care.Error with a message.
func isCareError(t *testing.T, err error) {
	t.Helper()
	var e *care.Error
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("error %v (%T) is not a *care.Error with a message", err, err)
	}
}

// FuzzReadSupply feeds any bytes to the supply JSON reader and then to the
// index the search is built on (which checks ids and vacancies against the
// provisions, since a vacancies-only file may name stored provisions). Neither
// may panic; whatever the index accepts has unique provision ids and
// vacancies that name a provision and have at least one place.
//
//	go test ./match -run '^$' -fuzz FuzzReadSupply -fuzztime 60s
func FuzzReadSupply(f *testing.F) {
	if seed, err := os.ReadFile("testdata/supply.json"); err == nil {
		f.Add(seed)
	}
	f.Add([]byte(`{"provisions":[],"vacancies":[]}`))
	f.Add([]byte(`{"provisions":[{"id":"P1","kind":"fostering","postcode":"M14 5AB","places":1}],"vacancies":[{"id":"V1","provision_id":"P1","places":0}]}`))
	f.Add([]byte(`{"vACAnCies": [{}] }0`))
	nowhere := func(string) (geo.Point, error) { return geo.Point{}, care.Errorf(care.ENOTFOUND, "not located") }
	f.Fuzz(func(t *testing.T, data []byte) {
		provs, vacs, err := ReadSupply(bytes.NewReader(data))
		if err != nil {
			isCareError(t, err)
			return
		}
		if _, err := NewIndex(provs, vacs, DefaultPolicy(), nowhere); err != nil {
			isCareError(t, err)
			return
		}
		ids := map[string]bool{}
		for _, p := range provs {
			if ids[p.ID] {
				t.Fatalf("provision %q accepted twice", p.ID)
			}
			ids[p.ID] = true
		}
		for _, v := range vacs {
			if !ids[v.ProvisionID] || v.Places < 1 {
				t.Fatalf("accepted vacancy %+v", v)
			}
		}
	})
}

// FuzzReadMinimal feeds any text to the minimal referral and vacancy CSV
// readers used to check allocate against external solvers.
func FuzzReadMinimal(f *testing.F) {
	f.Add("child_id,home_postcode,sibling_group\nC1,M14 5AB,G1\nC2,M14 5AB,G1\n")
	f.Add("place_id,postcode,places\nP1,SK8 3,2\n")
	f.Add("\ufeffchild_id,home_postcode\r\n\"C,1\",M14\r\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		if cs, err := ReadMinimalChildren(strings.NewReader(text)); err != nil {
			isCareError(t, err)
		} else {
			for _, c := range cs {
				if c.ID == "" || c.HomePostcode == "" {
					t.Fatalf("accepted child %+v", c)
				}
			}
		}
		if ps, err := ReadMinimalPlaces(strings.NewReader(text)); err != nil {
			isCareError(t, err)
		} else {
			for _, p := range ps {
				if p.ID == "" || p.Places < 1 {
					t.Fatalf("accepted place %+v", p)
				}
			}
		}
	})
}

// FuzzParsePolicy feeds any text to the ranking policy parser.
func FuzzParsePolicy(f *testing.F) {
	f.Add(DefaultPolicyText())
	f.Add("distance = 2\n# comment\n")
	f.Add("distance = x\n")
	f.Add("distance = 1\ndistance = 2\n")
	f.Fuzz(func(t *testing.T, text string) {
		if _, err := ParsePolicy(strings.NewReader(text), nil); err != nil {
			isCareError(t, err)
		}
	})
}
