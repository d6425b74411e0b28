package review

import (
	"errors"
	"os"
	"strings"
	"testing"

	"sufficiency/care"
)

// FuzzParseRules feeds any text to the review rules parser: no panic, and an
// error is a *care.Error with a message; accepted rules have unique ids.
//
//	go test ./review -run '^$' -fuzz FuzzParseRules -fuzztime 60s
func FuzzParseRules(f *testing.F) {
	if seed, err := os.ReadFile("rules.json"); err == nil {
		f.Add(string(seed))
	}
	f.Add(`{"rules":[]}`)
	f.Add(`{"rules":[{"id":"x","kind":"far","weight":1}]}`)
	f.Fuzz(func(t *testing.T, text string) {
		rules, err := ParseRules(strings.NewReader(text))
		if err != nil {
			var e *care.Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("error %v (%T) is not a *care.Error with a message", err, err)
			}
			return
		}
		ids := map[string]bool{}
		for _, r := range rules {
			if ids[r.ID] {
				t.Fatalf("rule id %q accepted twice", r.ID)
			}
			ids[r.ID] = true
		}
	})
}
