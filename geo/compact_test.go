package geo

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"testing"
)

var updateIndex = flag.Bool("update", false, "rewrite postcode_index.bin from the full index built from refdata")

// The full-index answers, as the lookups gave them before the compact table
// (kept here as the reference the table is generated from and checked against).

func (ix *index) locateFull(pc Postcode) (Point, bool) {
	if pc.Sector != "" {
		if s := ix.sectors[pc.Sector]; s != nil && s.ok {
			return s.pt, true
		}
	}
	if d := ix.districts[pc.District]; d != nil && d.ok {
		return d.pt, true
	}
	return Point{}, false
}

func (ix *index) knownFull(pc Postcode) bool {
	if _, ok := ix.districts[pc.District]; !ok {
		return false
	}
	if pc.Sector != "" {
		_, ok := ix.sectors[pc.Sector]
		return ok
	}
	return true
}

func (ix *index) countryOfFull(pc Postcode) (string, bool) {
	if pc.Sector != "" {
		if s := ix.sectors[pc.Sector]; s != nil && s.council != "" {
			switch s.council[0] {
			case 'E':
				return "England", true
			case 'W':
				return "Wales", true
			case 'S':
				return "Scotland", true
			case 'N':
				return "Northern Ireland", true
			}
		}
	}
	d := ix.districts[pc.District]
	if d == nil || d.country == "" {
		return "", false
	}
	return d.country, true
}

func (ix *index) councilOfFull(pc Postcode) (string, bool) {
	if pc.Sector != "" {
		if s := ix.sectors[pc.Sector]; s != nil && s.council != "" {
			if !ix.english[s.council] {
				return "", false
			}
			return s.council, true
		}
	}
	if d := ix.districts[pc.District]; d != nil && len(d.shares) > 0 {
		outside := 1.0
		for _, s := range d.shares {
			outside -= s.Share
		}
		if outside > d.shares[0].Share {
			return "", false
		}
		return d.shares[0].Council, true
	}
	return "", false
}

// encodeCompact writes the compact table (layout in compact.go) from the
// full index.
func encodeCompact(ix *index) ([]byte, error) {
	strs := []string{""}
	strIdx := map[string]int{"": 0}
	str := func(s string) (byte, error) {
		i, ok := strIdx[s]
		if !ok {
			if len(s) > 255 {
				return 0, fmt.Errorf("string %q too long", s)
			}
			i = len(strs)
			strIdx[s] = i
			strs = append(strs, s)
		}
		if i > 255 {
			return 0, fmt.Errorf("more than 255 distinct councils and countries")
		}
		return byte(i), nil
	}
	putPoint := func(r []byte, p Point) {
		binary.LittleEndian.PutUint64(r, math.Float64bits(p.Easting))
		binary.LittleEndian.PutUint64(r[8:], math.Float64bits(p.Northing))
	}
	var dist, sect []byte
	dcodes := make([]string, 0, len(ix.districts))
	for c := range ix.districts {
		dcodes = append(dcodes, c)
	}
	sort.Strings(dcodes)
	for _, c := range dcodes {
		if c == "" || len(c) > distKey || bytes.IndexByte([]byte(c), 0) >= 0 {
			return nil, fmt.Errorf("district code %q does not fit %d bytes", c, distKey)
		}
		d := ix.districts[c]
		r := make([]byte, distRec)
		copy(r, c)
		if d.ok {
			r[4] |= flagPoint
		}
		pc := Postcode{District: c}
		council, ok := ix.councilOfFull(pc)
		if ok {
			r[4] |= flagCouncil
		}
		var err error
		if r[5], err = str(d.country); err != nil {
			return nil, err
		}
		if r[6], err = str(council); err != nil {
			return nil, err
		}
		putPoint(r[8:], d.pt)
		dist = append(dist, r...)
	}
	scodes := make([]string, 0, len(ix.sectors))
	for c := range ix.sectors {
		scodes = append(scodes, c)
	}
	sort.Strings(scodes)
	for _, c := range scodes {
		if c == "" || len(c) > sectKey || bytes.IndexByte([]byte(c), 0) >= 0 {
			return nil, fmt.Errorf("sector code %q does not fit %d bytes", c, sectKey)
		}
		s := ix.sectors[c]
		r := make([]byte, sectRec)
		copy(r, c)
		if s.ok {
			r[6] |= flagPoint
		}
		if ix.english[s.council] {
			r[6] |= flagCouncil
		}
		var err error
		if r[7], err = str(s.council); err != nil {
			return nil, err
		}
		putPoint(r[8:], s.pt)
		sect = append(sect, r...)
	}
	var out bytes.Buffer
	out.WriteString(postcodeIndexMagic)
	_ = binary.Write(&out, binary.LittleEndian, uint16(len(strs)))
	for _, s := range strs {
		out.WriteByte(byte(len(s)))
		out.WriteString(s)
	}
	_ = binary.Write(&out, binary.LittleEndian, uint32(len(dcodes)))
	out.Write(dist)
	_ = binary.Write(&out, binary.LittleEndian, uint32(len(scodes)))
	out.Write(sect)
	return out.Bytes(), nil
}

// TestPostcodeIndexFile checks that the embedded compact table is exactly
// the one generated from the embedded ONS data (refdata); with -update it
// rewrites it (run after refreshing refdata/data with mkdata).
func TestPostcodeIndexFile(t *testing.T) {
	want, err := encodeCompact(buildIndex())
	if err != nil {
		t.Fatal(err)
	}
	if *updateIndex {
		if err := os.WriteFile("postcode_index.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote postcode_index.bin (%d bytes)", len(want))
		return
	}
	if !bytes.Equal(postcodeIndexFile, want) {
		t.Fatalf("postcode_index.bin is out of date with refdata's postcode files: run go test ./geo -run TestPostcodeIndexFile -update")
	}
}

// TestCompactMatchesFullIndex asks both indexes about every district and
// sector of the directory (and of each district, every sector digit and some
// unknown codes) and requires identical answers.
func TestCompactMatchesFullIndex(t *testing.T) {
	full := buildIndex()
	var pcs []Postcode
	for c := range full.districts {
		pcs = append(pcs, Postcode{District: c})
		for dgt := '0'; dgt <= '9'; dgt++ {
			pcs = append(pcs, Postcode{District: c, Sector: c + " " + string(dgt)})
		}
	}
	for c, s := range full.sectors {
		d := c[:len(c)-2]
		if s != nil {
			pcs = append(pcs, Postcode{District: d, Sector: c}, Postcode{District: "ZZ9", Sector: c})
		}
	}
	pcs = append(pcs, Postcode{}, Postcode{District: "Q1"}, Postcode{District: "M1\x00"}, Postcode{District: "M1", Sector: "M1 1\x00"},
		Postcode{District: "AAAAAAAAA"}, Postcode{District: "M1", Sector: "M1 1234567"}, Postcode{District: "A"}, Postcode{District: "ZZZZ"})
	for _, pc := range pcs {
		p1, ok1 := Locate(pc)
		p2, ok2 := full.locateFull(pc)
		if p1 != p2 || ok1 != ok2 {
			t.Fatalf("Locate(%+v) = %v %v, full index %v %v", pc, p1, ok1, p2, ok2)
		}
		if Known(pc) != full.knownFull(pc) {
			t.Fatalf("Known(%+v) = %v, full index %v", pc, Known(pc), full.knownFull(pc))
		}
		c1, ok1 := CountryOf(pc)
		c2, ok2 := full.countryOfFull(pc)
		if c1 != c2 || ok1 != ok2 {
			t.Fatalf("CountryOf(%+v) = %q %v, full index %q %v", pc, c1, ok1, c2, ok2)
		}
		c1, ok1 = CouncilOf(pc)
		c2, ok2 = full.councilOfFull(pc)
		if c1 != c2 || ok1 != ok2 {
			t.Fatalf("CouncilOf(%+v) = %q %v, full index %q %v", pc, c1, ok1, c2, ok2)
		}
	}
	if len(pcs) < 10000 {
		t.Fatalf("only %d postcodes compared", len(pcs))
	}
}

func TestDecodeCompactRejectsDamage(t *testing.T) {
	if _, ok := decodeCompact(postcodeIndexFile); !ok {
		t.Fatal("embedded table does not decode")
	}
	for _, n := range []int{0, 5, 9, 20, len(postcodeIndexFile) / 2, len(postcodeIndexFile) - 1} {
		if _, ok := decodeCompact(postcodeIndexFile[:n]); ok {
			t.Errorf("table truncated to %d bytes decodes", n)
		}
	}
	bad := append([]byte(nil), postcodeIndexFile...)
	bad[0] = 'X'
	if _, ok := decodeCompact(bad); ok {
		t.Error("table with a wrong magic decodes")
	}
}

// TestParseCanonicalSameAsGeneral: the fast path answers exactly as the
// general one wherever it answers at all.
func TestParseCanonicalSameAsGeneral(t *testing.T) {
	ins := []string{"M14 5AB", "M14 5", "SW1A 1AA", "EC1A 1", "B15 5", "W1A 0AX", "LS10 1AB", "m14 5ab", "M14  5AB",
		" M14 5AB", "M14 5AB ", "M14 5A", "M14 5ABC", "M1$ 5AB", "MMM1 5AB", "M14 A", "1M14 5", "M14 55", "M 5AB", "",
		" ", "M14 5\tAB", "M14\t5AB", "M14 5AB\x00", "ÄB1 5AB", "M14 5ab", "SW1A 1A1"}
	for _, pc := range ins {
		for i := 0; i <= len(pc); i++ {
			for _, s := range []string{pc, pc[:i]} {
				fast, ok := parseCanonical(s)
				slow, err := parsePostcodeSlow(s)
				if ok && (err != nil || fast != slow) {
					t.Errorf("parseCanonical(%q) = %+v, general path %+v, %v", s, fast, slow, err)
				}
			}
		}
	}
	if _, ok := parseCanonical("M14 5AB"); !ok {
		t.Error("fast path does not take M14 5AB")
	}
}
