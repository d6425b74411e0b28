package analysis

import (
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// Issue 15 item 3: published views are given at 31 March only.
func TestReferenceDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2025-03-30", "2024-03-31"}, // below
		{"2025-03-31", "2025-03-31"}, // on
		{"2025-04-01", "2025-03-31"}, // above
		{"2025-12-31", "2025-03-31"},
		{"2025-01-01", "2024-03-31"},
		{"2024-02-29", "2023-03-31"},
	} {
		in, _ := time.Parse("2006-01-02", tc.in)
		if got := ReferenceDate(in).Format("2006-01-02"); got != tc.want {
			t.Errorf("ReferenceDate(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	span := store.Span{FirstStart: care.Date(2023, 4, 1), LastEvent: care.Date(2025, 2, 1)}
	for _, tc := range []struct{ at, want string }{
		{"2023-06-01", "2024-03-31"}, // before the first 31 March of the data: that one
		{"2024-03-30", "2024-03-31"},
		{"2024-03-31", "2024-03-31"},
		{"2025-03-30", "2024-03-31"},
		{"2025-03-31", "2025-03-31"},
		{"", "2024-03-31"}, // the last event, 1 February 2025
	} {
		got, err := Options{At: tc.at, ReferenceDates: true}.dateIn(span)
		if err != nil || got.Format("2006-01-02") != tc.want {
			t.Errorf("at %q: %v %v, want %s", tc.at, got, err, tc.want)
		}
		raw, _ := Options{At: tc.at}.dateIn(span)
		if tc.at != "" && raw.Format("2006-01-02") != tc.at {
			t.Errorf("without ReferenceDates at %q gave %v", tc.at, raw)
		}
	}
}
