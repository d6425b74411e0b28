// Package geo places children and placements on the map the way the DfE
// does: it parses UK postcodes as they appear in SSDA903 returns (full
// postcodes, sectors, districts; any case; with or without the space), finds
// their centroids (ONS Postcode Directory, November 2025, embedded by
// package refdata), measures straight-line distance in miles from National
// Grid eastings and northings (the DfE's PL_DISTANCE method), and says which
// children's services council a postcode district or sector belongs to, with
// shares where a district straddles councils.
//
// Positions are centroids of postcode sectors or districts, never of single
// postcodes: 903 files in this platform hold degraded postcodes (sector at
// best), and no full-postcode data is embedded. Distances are therefore those
// between sector (or district) centroids; the DfE computes PL_DISTANCE from
// full postcodes, so a figure here can differ from the published one by the
// spread of the sector (for a district-only postcode, of the district: an
// English sector's centroid lies a median 0.7 miles, 90th percentile 2.5
// miles, from its district's). Northern Ireland's centroids, published on the
// Irish Grid, are reprojected onto the National Grid (FromLatLon).
package geo

import (
	"strings"
	"unicode"

	"sufficiency/care"
)

// Postcode is a parsed UK postcode, full or partial. District is always set;
// Sector is set for a sector or full postcode; Unit only for a full postcode.
type Postcode struct {
	Area     string // postcode area, e.g. "M", "SW"
	District string // outward code, e.g. "M14", "SW1A"
	Sector   string // district, space, first digit of the inward code, e.g. "M14 5"; "" for a bare district
	Unit     string // full postcode with one space, e.g. "M14 5AB"; "" when partial
}

// String returns the most precise form held: the unit, else the sector, else
// the district.
func (p Postcode) String() string {
	switch {
	case p.Unit != "":
		return p.Unit
	case p.Sector != "":
		return p.Sector
	}
	return p.District
}

// ParsePostcode reads a UK postcode as it may appear in a 903 file: a full
// postcode ("M14 5AB", "m145ab"), a sector ("M14 5", "M145") or a district
// ("M14", "EC1A"), in any case, with or without the space and with stray
// spaces around it. Without a space, a string that is a valid district is read
// as one ("B15" is district B15, not sector "B1 5"). It checks the shape of
// the postcode, not that it exists; use Locate for that. Anything else gives
// an EINVALID error that quotes the input and shows the accepted forms.
func ParsePostcode(s string) (Postcode, error) {
	if p, ok := parseCanonical(s); ok {
		return p, nil
	}
	return parsePostcodeSlow(s)
}

// parseCanonical is ParsePostcode's fast path for a postcode already written
// as the result would be ("M14 5AB", "M14 5": upper case, one space, nothing
// around it): its parts are slices of s, so nothing is allocated. It reports
// false for anything else, which the general path then reads.
func parseCanonical(s string) (Postcode, bool) {
	sp := strings.IndexByte(s, ' ')
	if sp < 0 {
		return Postcode{}, false
	}
	out, in := s[:sp], s[sp+1:]
	if !isOutward(out) {
		return Postcode{}, false
	}
	switch {
	case len(in) == 1 && isDigit(in[0]):
		p := district(out)
		p.Sector = s
		return p, true
	case isInwardUnit(in):
		p := district(out)
		p.Sector = s[:sp+2]
		p.Unit = s
		return p, true
	}
	return Postcode{}, false
}

func parsePostcodeSlow(s string) (Postcode, error) {
	fields := strings.Fields(strings.ToUpper(s))
	switch len(fields) {
	case 0:
		return Postcode{}, invalidPostcode(s, "it is empty")
	case 1:
		return parseNoSpace(s, fields[0])
	case 2:
		out, in := fields[0], fields[1]
		if !isOutward(out) {
			return Postcode{}, invalidPostcode(s, "the part before the space is not a postcode district")
		}
		return withInward(s, out, in)
	default:
		return Postcode{}, invalidPostcode(s, "it has more than one space-separated part after the district")
	}
}

func parseNoSpace(orig, w string) (Postcode, error) {
	if !isAlnum(w) {
		return Postcode{}, invalidPostcode(orig, "it holds characters other than letters and digits")
	}
	if isOutward(w) {
		return district(w), nil
	}
	n := len(w)
	if n >= 5 && isInwardUnit(w[n-3:]) && isOutward(w[:n-3]) {
		return withInward(orig, w[:n-3], w[n-3:])
	}
	if n >= 3 && isDigit(w[n-1]) && isOutward(w[:n-1]) {
		return withInward(orig, w[:n-1], w[n-1:])
	}
	return Postcode{}, invalidPostcode(orig, "it is not a full postcode, sector or district")
}

func withInward(orig, out, in string) (Postcode, error) {
	p := district(out)
	switch {
	case len(in) == 1 && isDigit(in[0]):
		p.Sector = out + " " + in
	case isInwardUnit(in):
		p.Sector = out + " " + in[:1]
		p.Unit = out + " " + in
	default:
		return Postcode{}, invalidPostcode(orig, "the part after the space must be a digit (sector) or a digit and two letters (full postcode)")
	}
	return p, nil
}

func district(out string) Postcode {
	i := 0
	for i < len(out) && isLetter(out[i]) {
		i++
	}
	return Postcode{Area: out[:i], District: out}
}

func invalidPostcode(s, why string) error {
	return care.Errorf(care.EINVALID,
		"%q is not a UK postcode: %s; give a full postcode (M14 5AB), a sector (M14 5) or a district (M14)",
		strings.TrimSpace(s), why)
}

// isOutward reports whether s is a postcode district (outward code): one or
// two letters, a digit, then optionally a digit or a letter (A9, A99, AA9,
// AA99, A9A, AA9A).
func isOutward(s string) bool {
	n := len(s)
	if n < 2 || n > 4 {
		return false
	}
	i := 0
	for i < n && i < 2 && isLetter(s[i]) {
		i++
	}
	if i == 0 || i >= n || !isDigit(s[i]) {
		return false
	}
	rest := s[i+1:]
	switch len(rest) {
	case 0:
		return true
	case 1:
		return isDigit(rest[0]) || isLetter(rest[0])
	}
	return false
}

// isInwardUnit reports whether s is a full inward code: a digit and two
// letters.
func isInwardUnit(s string) bool {
	return len(s) == 3 && isDigit(s[0]) && isLetter(s[1]) && isLetter(s[2])
}

func isAlnum(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !(isLetter(byte(r)) || isDigit(byte(r))) {
			return false
		}
	}
	return true
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' }
func isDigit(b byte) bool  { return b >= '0' && b <= '9' }
