package ssda903

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // YYYY-MM-DD or "" for invalid
	}{
		{"01/04/2024", "2024-04-01"},
		{"1/4/2024", "2024-04-01"},
		{"29/02/2024", "2024-02-29"},
		{"29/02/2023", ""},
		{"31/04/2024", ""},
		{"2024-03-31", "2024-03-31"},
		{"2024-03-31 00:00:00", "2024-03-31"},
		{"2024-03-31T00:00:00", "2024-03-31"},
		{"2024-03-31 12:00:00", ""},
		{"31/03/24", ""},
		{"", ""},
		{"//", ""},
		{"aa/bb/cccc", ""},
		{"01/13/2024", ""},
		{"00/01/2024", ""},
		{"01/01/1800", "1800-01-01"},
		{"31/12/1799", ""},
		{"31/03/2024 00:00:00", "2024-03-31"},
		{"1/4/2024 00:00", "2024-04-01"},
		{"31/03/2024 13:00", ""},
		{"31/03/2024 ", ""},
		{" 31/03/2024", ""},
		{"2024-03-31T00:00:00.000", "2024-03-31"},
		{"2024-03-31x", ""},
		{"31/03/2024T00:00:00", "2024-03-31"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDate(tt.in)
			if tt.want == "" {
				if ok {
					t.Fatalf("ParseDate(%q) = %v, want invalid", tt.in, got)
				}
				return
			}
			if !ok || got.Format("2006-01-02") != tt.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"01/04/2024", "2024-03-31", "1/1/2000", "31/02/2024", "", "9999-99-99 00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if ok {
			if d.Location() != time.UTC || d.Hour() != 0 {
				t.Fatalf("%q parsed to non-civil %v", s, d)
			}
			if back, ok2 := ParseDate(FormatDate(d)); !ok2 || !back.Equal(d) {
				t.Fatalf("round trip of %q failed: %v", s, back)
			}
		}
	})
}
