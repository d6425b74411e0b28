package ssda903

import "testing"

// TestTrimSpace: a value loses ASCII white space (space, tab, CR, LF, form
// feed, vertical tab), no-break spaces (U+00A0) and stray byte-order marks
// (U+FEFF) at both ends, as spreadsheets leave them; the same characters
// inside are kept, and an incomplete multi-byte sequence is not a space.
func TestTrimSpace(t *testing.T) {
	const nbsp, bom = "\u00a0", "\ufeff"
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"C2", "C2"},
		{" C2", "C2"}, {"C2 ", "C2"},
		{"\tC2", "C2"}, {"C2\t", "C2"},
		{"\rC2", "C2"}, {"C2\r", "C2"},
		{"\nC2", "C2"}, {"C2\n", "C2"},
		{"\fC2", "C2"}, {"C2\f", "C2"},
		{"\vC2", "C2"}, {"C2\v", "C2"},
		{nbsp + "C2", "C2"}, {"C2" + nbsp, "C2"},
		{bom + "C2", "C2"}, {"C2" + bom, "C2"},
		{bom + " \t" + nbsp + "C2" + nbsp + "\r\n" + bom, "C2"},
		{"A B" + nbsp + "C", "A B" + nbsp + "C"},
		{nbsp + bom + " ", ""},
		// Incomplete sequences are data, not space.
		{"\xc2C2", "\xc2C2"}, {"C2\xc2", "C2\xc2"},
		{"\xa0C2", "\xa0C2"}, {"C2\xa0", "C2\xa0"},
		{"\xef\xbbC2", "\xef\xbbC2"}, {"C2\xbb\xbf", "C2\xbb\xbf"},
		{"\xefC2", "\xefC2"}, {"C2\xbf", "C2\xbf"},
		{"\xc2\xa1C2", "\xc2\xa1C2"}, {"C2\xc3\xa0", "C2\xc3\xa0"},
		{"\xef\xbb\xbeC2", "\xef\xbb\xbeC2"}, {"C2\xef\xba\xbf", "C2\xef\xba\xbf"}, {"C2\xee\xbb\xbf", "C2\xee\xbb\xbf"},
		// Control bytes other than those six are kept.
		{"\x00C2\x1f", "\x00C2\x1f"},
	} {
		if got := string(trimSpace([]byte(tc.in))); got != tc.want {
			t.Errorf("trimSpace(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
