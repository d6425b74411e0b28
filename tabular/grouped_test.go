package tabular

import "testing"

// TestFormatGrouped: whole-number digits are grouped from the fourth digit
// (999, 1,000), in counts, numbers, percentages and rates, signs and
// decimals kept; text, money and the suppression symbol are as Format gives
// them.
func TestFormatGrouped(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		v    any
		want string
	}{
		{Count, 999, "999"},
		{Count, 1000, "1,000"},
		{Count, 1001, "1,001"},
		{Count, 1234567, "1,234,567"},
		{Count, -4500, "-4,500"},
		{Count, -999, "-999"},
		{Count, float64(5994), "5,994"},
		{Number, 12345.64, "12,345.6"},
		{Number, 999.9, "999.9"},
		{Percent, 1000.0, "1,000.0"},
		{Rate, -1234.5, "-1,234.5"},
		{Count, "c", "c"},
		{Count, nil, ""},
		{Text, "12345", "12345"},
		{Money, 1234.0, "£1,234"},
	} {
		if got := FormatGrouped(Column{Kind: tc.kind}, tc.v); got != tc.want {
			t.Errorf("FormatGrouped(%v, %v) = %q; want %q", tc.kind, tc.v, got, tc.want)
		}
	}
}
