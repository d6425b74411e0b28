package siting

import (
	"strings"
	"testing"

	"sufficiency/care"
)

// The kinds of home sited are children's homes (residential, the default)
// and foster carers' recruitment; anything else is refused in domain words.
func TestCheckKind(t *testing.T) {
	for kind, ok := range map[string]bool{"": true, "residential": true, "fostering": true, "Residential": false, "castles": false, "foster": false} {
		err := CheckKind(kind)
		if (err == nil) != ok {
			t.Errorf("CheckKind(%q) = %v, want ok %v", kind, err, ok)
		}
		if err != nil && (care.ErrorCode(err) != care.EINVALID || strings.Contains(err.Error(), "--") || !strings.Contains(err.Error(), "residential")) {
			t.Errorf("CheckKind(%q) = %v: want EINVALID naming the kinds, no flag", kind, err)
		}
	}
}
