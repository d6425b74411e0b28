package tabular

import (
	"testing"

	"sufficiency/care"
)

// PenceText groups pounds and keeps pence, with no "-£0.00".
func TestPenceText(t *testing.T) {
	for _, tc := range []struct {
		p    care.Pence
		want string
	}{{0, "£0.00"}, {-1, "-£0.01"}, {99, "£0.99"}, {100000, "£1,000.00"}, {-123456789, "-£1,234,567.89"}} {
		if got := PenceText(tc.p); got != tc.want {
			t.Errorf("PenceText(%d) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// Decimal groups the whole part and rounds to the places asked; nothing
// that rounds to zero is negative.
func TestDecimal(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		d    int
		want string
	}{
		{0, 1, "0.0"}, {999.94, 1, "999.9"}, {999.96, 1, "1,000.0"}, {1234567.891, 2, "1,234,567.89"},
		{-0.04, 1, "0.0"}, {-0.06, 1, "-0.1"}, {-1234.5, 0, "-1,234"}, {12345, 0, "12,345"},
	} {
		if got := Decimal(tc.v, tc.d); got != tc.want {
			t.Errorf("Decimal(%v, %d) = %q, want %q", tc.v, tc.d, got, tc.want)
		}
	}
}
