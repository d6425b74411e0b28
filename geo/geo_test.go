package geo

import (
	"math"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/refdata"
)

func TestParsePostcode(t *testing.T) {
	tests := []struct {
		in                           string
		area, district, sector, unit string
	}{
		{"m14 5ab", "M", "M14", "M14 5", "M14 5AB"},
		{"M145AB", "M", "M14", "M14 5", "M14 5AB"},
		{"  M14   5AB ", "M", "M14", "M14 5", "M14 5AB"},
		{"M14 5", "M", "M14", "M14 5", ""},
		{"m145", "M", "M14", "M14 5", ""}, // "M145" is not a district, so it is a sector without its space
		{"M14", "M", "M14", "", ""},
		{"SW1A 1AA", "SW", "SW1A", "SW1A 1", "SW1A 1AA"},
		{"sw1a1aa", "SW", "SW1A", "SW1A 1", "SW1A 1AA"},
		{"EC1A", "EC", "EC1A", "", ""},
		{"EC1A 1", "EC", "EC1A", "EC1A 1", ""},
		{"B1", "B", "B1", "", ""},
		{"B15", "B", "B15", "", ""}, // a district, not sector "B1 5"
		{"B155", "B", "B15", "B15 5", ""},
		{"W1A 0AX", "W", "W1A", "W1A 0", "W1A 0AX"},
		{"LS10 1AB", "LS", "LS10", "LS10 1", "LS10 1AB"},
		{"e20\t1lp", "E", "E20", "E20 1", "E20 1LP"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePostcode(tt.in)
			if err != nil {
				t.Fatalf("ParsePostcode(%q): %v", tt.in, err)
			}
			want := Postcode{Area: tt.area, District: tt.district, Sector: tt.sector, Unit: tt.unit}
			if p != want {
				t.Errorf("ParsePostcode(%q) = %+v, want %+v", tt.in, p, want)
			}
		})
	}
}

func TestParsePostcodeErrInvalid(t *testing.T) {
	for _, in := range []string{"", "   ", "garbage", "12345", "M", "M14 5A", "M14 5ABC", "M14 5 AB", "M1$ 5AB",
		"MMM1", "M14 A", "ÄB1", "SW1A1A", "1M14"} {
		t.Run(in, func(t *testing.T) {
			_, err := ParsePostcode(in)
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("ParsePostcode(%q) error = %v, want EINVALID", in, err)
			}
			if !strings.Contains(err.Error(), "M14 5AB") {
				t.Errorf("error %q does not show the accepted forms", err)
			}
		})
	}
}

func TestLocateAndMiles(t *testing.T) {
	m14, err := LocateString("M14")
	if err != nil {
		t.Fatal(err)
	}
	sw1a, err := LocateString("SW1A")
	if err != nil {
		t.Fatal(err)
	}
	// The brief's known figure: M14 to SW1A is about 160 miles by the DfE method.
	if d := Miles(m14, sw1a); d < 155 || d > 165 {
		t.Errorf("M14 → SW1A = %.1f miles, want about 160", d)
	}
	if d := MilesDfE(m14, sw1a); d != math.Round(d*10)/10 || math.Abs(d-Miles(m14, sw1a)) > 0.05 {
		t.Errorf("MilesDfE = %v, not Miles rounded to 0.1", d)
	}
	// A sector is located at its own centroid, within its district.
	sec, err := LocateString("M14 5AB")
	if err != nil {
		t.Fatal(err)
	}
	if sec == m14 {
		t.Error("M14 5AB located at the district centroid, want the sector's")
	}
	if d := Miles(sec, m14); d > 2 {
		t.Errorf("M14 5 is %.1f miles from M14's centroid", d)
	}
	// An unknown sector (M14 8), or one without coordinates (M14 9, non-geographic),
	// falls back to the district.
	for _, s := range []string{"M14 8AA", "M14 9ZZ"} {
		p, _ := ParsePostcode(s)
		if pt, ok := Locate(p); !ok || pt != m14 {
			t.Errorf("%s → %v, %v; want the district centroid", s, pt, ok)
		}
	}
	// Unknown district, Channel Islands, Isle of Man: no position.
	for _, s := range []string{"ZZ9", "JE2", "IM1"} {
		if _, err := LocateString(s); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("LocateString(%q) error = %v, want ENOTFOUND", s, err)
		}
	}
	if _, err := LocateString("not a postcode"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("LocateString(garbage) error = %v, want EINVALID", err)
	}
	// Scotland and Wales are on the National Grid and can be measured;
	// Northern Ireland is reprojected from the Irish Grid.
	if _, err := LocateString("EH1 1"); err != nil {
		t.Errorf("EH1 1: %v", err)
	}
	bt, err := LocateString("BT1 1")
	if err != nil {
		t.Fatal(err)
	}
	if d := Miles(bt, m14); d < 165 || d > 175 { // Belfast to Manchester, about 170 miles
		t.Errorf("BT1 1 → M14 = %.1f miles, want about 170", d)
	}
}

func TestMilesFormula(t *testing.T) {
	tests := []struct {
		a, b    Point
		exact   float64
		rounded float64
		within  bool
	}{
		{Point{0, 0}, Point{0, 0}, 0, 0, true},
		{Point{0, 0}, Point{1609.3, 0}, 1, 1, true},
		{Point{0, 0}, Point{3000, 4000}, 5000 / 1609.3, 3.1, true},
		{Point{100000, 100000}, Point{100000, 100000 + 20*1609.3}, 20, 20, true},
		{Point{0, 0}, Point{0, 20.04 * 1609.3}, 20.04, 20.0, true}, // rounds to 20.0: inside the DfE band
		{Point{0, 0}, Point{0, 20.06 * 1609.3}, 20.06, 20.1, false},
	}
	for _, tt := range tests {
		if got := Miles(tt.a, tt.b); math.Abs(got-tt.exact) > 1e-9 {
			t.Errorf("Miles(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.exact)
		}
		if got := MilesDfE(tt.a, tt.b); got != tt.rounded {
			t.Errorf("MilesDfE(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.rounded)
		}
		if got := Within20Miles(tt.a, tt.b); got != tt.within {
			t.Errorf("Within20Miles(%v, %v) = %v", tt.a, tt.b, got)
		}
		if Miles(tt.a, tt.b) != Miles(tt.b, tt.a) {
			t.Error("Miles is not symmetric")
		}
	}
}

func TestCouncilShares(t *testing.T) {
	s := CouncilShares("M14")
	if len(s) != 1 || s[0].Council != "E08000003" || s[0].Share != 1 {
		t.Errorf("M14 shares = %v, want all Manchester", s)
	}
	// SK8 straddles Stockport and Cheshire East.
	s = CouncilShares("sk8")
	if len(s) < 2 || s[0].Council != "E08000007" || s[0].Share < s[1].Share {
		t.Errorf("SK8 shares = %v, want Stockport first, then others", s)
	}
	var sum float64
	for _, x := range s {
		sum += x.Share
	}
	if math.Abs(sum-1) > 0.01 {
		t.Errorf("SK8 shares sum to %v", sum)
	}
	if CouncilShares("ZZ9") != nil || CouncilShares("garbage!") != nil {
		t.Error("unknown district should give nil")
	}
	if CouncilShares("EH1") != nil {
		t.Error("Scottish district should have no English council")
	}
	if s := CouncilShares("NP16"); len(s) != 1 || s[0].Council != "E10000013" || s[0].Share != 0.214 {
		t.Errorf("NP16 shares = %v, want Gloucestershire 0.214 only", s)
	}
}

func TestCouncilOf(t *testing.T) {
	tests := []struct {
		pc, council string
		ok          bool
	}{
		{"M14 5AB", "E08000003", true},
		{"M14", "E08000003", true},
		{"SW1A 1AA", "E09000033", true}, // Westminster
		{"LS1", "E08000035", true},      // Leeds
		{"EH1 1", "", false},
		{"ZZ9", "", false},
		{"HR3", "E06000019", true}, // 53% Herefordshire, 47% Wales
		{"NP16", "", false},        // 21% Gloucestershire, the rest Wales
		{"DG16", "", false},        // 3% Cumberland, the rest Scotland
	}
	for _, tt := range tests {
		p, err := ParsePostcode(tt.pc)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := CouncilOf(p)
		if got != tt.council || ok != tt.ok {
			t.Errorf("CouncilOf(%s) = %q, %v; want %q, %v", tt.pc, got, ok, tt.council, tt.ok)
		}
		if tt.ok && (!InCouncil(p, tt.council) || InCouncil(p, "E06000001")) {
			t.Errorf("InCouncil(%s) wrong", tt.pc)
		}
	}
	p, _ := ParsePostcode("M14")
	if !InCouncil(p, "Manchester") || !InCouncil(p, "352") || InCouncil(p, "Atlantis") {
		t.Error("InCouncil should accept any council form and reject unknown councils")
	}
}

func TestDistrictsOf(t *testing.T) {
	for _, c := range refdata.Councils() {
		ds := DistrictsOf(c.Code)
		ss := SectorsOf(c.Code)
		if c.Code == "E06000053" && len(ds) == 0 { // Isles of Scilly: TR21–TR25
			t.Errorf("Isles of Scilly has no districts")
		}
		if len(ds) == 0 || len(ss) == 0 {
			t.Errorf("%s: %d districts, %d sectors", c.Name, len(ds), len(ss))
			continue
		}
		var dw, sw float64
		for _, d := range ds {
			if d.Weight <= 0 || d.Share <= 0 || d.Share > 1 {
				t.Errorf("%s %s: weight %v share %v", c.Name, d.Code, d.Weight, d.Share)
			}
			dw += d.Weight
		}
		for _, s := range ss {
			sw += s.Weight
		}
		if math.Abs(dw-1) > 1e-9 || math.Abs(sw-1) > 1e-9 {
			t.Errorf("%s: weights sum to %v (districts), %v (sectors)", c.Name, dw, sw)
		}
	}
	ds := DistrictsOf("Manchester")
	found := false
	for _, d := range ds {
		if d.Code == "M14" {
			found = true
		}
	}
	if !found {
		t.Error("M14 not among Manchester's districts")
	}
	if DistrictsOf("Atlantis") != nil || SectorsOf("Atlantis") != nil {
		t.Error("unknown council should give nil")
	}
}

func TestPick(t *testing.T) {
	ds := []District{{Code: "A", Weight: 0.25}, {Code: "B", Weight: 0.5}, {Code: "C", Weight: 0.25}}
	for u, want := range map[float64]string{0: "A", 0.24: "A", 0.25: "B", 0.74: "B", 0.75: "C", 0.999: "C", 1: "C"} {
		if d, ok := PickDistrict(ds, u); !ok || d.Code != want {
			t.Errorf("PickDistrict(%v) = %s, want %s", u, d.Code, want)
		}
	}
	if _, ok := PickDistrict(nil, 0.5); ok {
		t.Error("empty list picked something")
	}
	if _, ok := PickDistrict([]District{{Code: "Z"}}, 0.5); ok {
		t.Error("all-zero weights picked something")
	}
	// Weights need not sum to 1; zero weights are never drawn.
	filtered := []District{{Code: "A", Weight: 0.1}, {Code: "Z", Weight: 0}, {Code: "B", Weight: 0.3}}
	for u, want := range map[float64]string{0: "A", 0.24: "A", 0.25: "B", 0.99: "B", 1: "B"} {
		if d, _ := PickDistrict(filtered, u); d.Code != want {
			t.Errorf("PickDistrict(filtered, %v) = %s, want %s", u, d.Code, want)
		}
	}
	ss := SectorsOf("Manchester")
	if s, ok := PickSector(ss, 0.5); !ok || s.Code == "" {
		t.Error("PickSector failed")
	}
}

func FuzzParsePostcode(f *testing.F) {
	for _, s := range []string{"M14 5AB", "m145ab", "M14 5", "M14", "SW1A 1AA", "EC1A", "B1", "garbage", "", " ", "B155"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePostcode(s)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("ParsePostcode(%q): error code %q, want EINVALID", s, care.ErrorCode(err))
			}
			return
		}
		if p.District == "" || !strings.HasPrefix(p.District, p.Area) {
			t.Fatalf("ParsePostcode(%q) = %+v: no district", s, p)
		}
		if p.Unit != "" && !strings.HasPrefix(p.Unit, p.Sector) || p.Sector != "" && !strings.HasPrefix(p.Sector, p.District+" ") {
			t.Fatalf("ParsePostcode(%q) = %+v: inconsistent parts", s, p)
		}
		// The canonical form parses back to the same postcode.
		q, err := ParsePostcode(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip of %q: %+v → %q → %+v, %v", s, p, p.String(), q, err)
		}
	})
}

func TestCountryAndLocation(t *testing.T) {
	tests := []struct {
		pc, country, loc string
		ok               bool
	}{
		{"M14 5AB", "England", LocationIn, true},
		{"M14", "England", LocationIn, true},
		{"SW1A 1AA", "England", LocationOut, true},
		{"CH5 1", "Wales", LocationWales, true}, // Deeside: a CH district in Wales
		{"CF10", "Wales", LocationWales, true},
		{"EH1 1", "Scotland", LocationScotland, true},
		{"BT1", "Northern Ireland", LocationNI, true},
		{"JE2", "Channel Islands", "", false},
		{"ZZ9", "", "", false},
	}
	for _, tt := range tests {
		p, err := ParsePostcode(tt.pc)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := CountryOf(p)
		if c != tt.country || ok != (tt.country != "") {
			t.Errorf("CountryOf(%s) = %q, %v; want %q", tt.pc, c, ok, tt.country)
		}
		loc, ok := Location(p, "Manchester")
		if loc != tt.loc || ok != tt.ok {
			t.Errorf("Location(%s, Manchester) = %q, %v; want %q, %v", tt.pc, loc, ok, tt.loc, tt.ok)
		}
	}
	p, _ := ParsePostcode("CH5 1")
	if c, ok := CouncilOf(p); ok {
		t.Errorf("CouncilOf(CH5 1) = %q; a Welsh sector has no English council", c)
	}
	if _, ok := Location(p, "Atlantis"); ok {
		t.Error("unknown council gave a location")
	}
}

func TestKnownCentreAndMilesBetween(t *testing.T) {
	for in, want := range map[string]bool{"M14": true, "M14 5": true, "M14 9": true, "M14 8": false, "ZZ9": false, "ZZ9 9ZZ": false} {
		p, err := ParsePostcode(in)
		if err != nil {
			t.Fatal(err)
		}
		if Known(p) != want {
			t.Errorf("Known(%s) = %v", in, !want)
		}
	}
	c, ok := CouncilCentre("Manchester")
	m14, _ := LocateString("M14")
	if !ok || Miles(c, m14) > 5 {
		t.Errorf("Manchester centre %v is %.1f miles from M14", c, Miles(c, m14))
	}
	if _, ok := CouncilCentre("Atlantis"); ok {
		t.Error("unknown council has a centre")
	}
	d, err := MilesBetween("m14 5ab", "SW1A1AA")
	if err != nil || d < 155 || d > 165 {
		t.Errorf("MilesBetween = %v, %v", d, err)
	}
	if _, err := MilesBetween("M14", "nonsense"); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "NONSENSE") && !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("MilesBetween with a bad postcode: %v", err)
	}
}

// TestKnownDistances checks district-to-district distances against the
// commonly quoted straight-line distances between city centres (within two
// miles: district centroids are not city centres).
func TestKnownDistances(t *testing.T) {
	tests := []struct {
		a, b  string
		miles float64
	}{
		{"M14", "SW1A", 160}, // the brief's figure: Manchester (Fallowfield) to Westminster
		{"M1", "L1", 31},     // Manchester to Liverpool
		{"B1", "WC2N", 101},  // Birmingham to London (Charing Cross)
		{"LS1", "BD1", 8.5},  // Leeds to Bradford
		{"NE1", "SW1A", 247}, // Newcastle to London
		{"CF10", "BS1", 25},  // Cardiff to Bristol, across the border
	}
	for _, tt := range tests {
		d, err := MilesBetween(tt.a, tt.b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(d-tt.miles) > 2 {
			t.Errorf("%s → %s = %.1f miles, want about %v", tt.a, tt.b, d, tt.miles)
		}
	}
}

func TestDerive(t *testing.T) {
	tests := []struct {
		home, pl, council string
		want              Derived
	}{
		{"M14 5AB", "M14 5AB", "Manchester", Derived{Council: "E08000003", Location: LocationIn, Miles: 0, HasDistance: true}},
		{"M14 5AB", "SK8 3", "E08000003", Derived{Council: "E08000007", Location: LocationOut, HasDistance: true}},
		{"M14", "CF10", "352", Derived{Location: LocationWales, HasDistance: true}},
		{"M14", "ZZ9", "352", Derived{}},
		{"M14", "BT1", "352", Derived{Location: LocationNI, HasDistance: true}},
	}
	for _, tt := range tests {
		got, err := Derive(tt.home, tt.pl, tt.council)
		if err != nil {
			t.Fatal(err)
		}
		if tt.want.HasDistance && tt.want.Miles == 0 && tt.home != tt.pl {
			a, _ := LocateString(tt.home)
			b, _ := LocateString(tt.pl)
			tt.want.Miles = MilesDfE(a, b)
		}
		if got != tt.want {
			t.Errorf("Derive(%s, %s, %s) = %+v, want %+v", tt.home, tt.pl, tt.council, got, tt.want)
		}
	}
	if _, err := Derive("M14", "??", "352"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("bad placement postcode: %v", err)
	}
	if _, err := Derive("", "M14", "352"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("empty home postcode: %v", err)
	}
}

func TestFromLatLon(t *testing.T) {
	// The projection reproduces the Ordnance Survey's worked example
	// (OSGB36 52°39′27.2531″N 1°43′4.5177″E → 651409.903, 313177.270).
	p := project(rad(52+39.0/60+27.2531/3600), rad(1+43.0/60+4.5177/3600), 6377563.396, 6356256.909)
	if math.Abs(p.Easting-651409.903) > 0.01 || math.Abs(p.Northing-313177.270) > 0.01 {
		t.Errorf("projection = %.3f, %.3f", p.Easting, p.Northing)
	}
	// Converting every GB district's published WGS84 centroid lands within a
	// few metres of its published National Grid centroid.
	n := 0
	for _, d := range refdata.PostcodeDistricts() {
		if !d.HasPoint || d.IrishGrid {
			continue
		}
		q := FromLatLon(d.Lat, d.Lon)
		if e := math.Hypot(q.Easting-d.Easting, q.Northing-d.Northing); e > 5 {
			t.Errorf("%s: converted centroid is %.1f m from the published one", d.Code, e)
		}
		n++
	}
	if n < 2900 {
		t.Errorf("only %d districts checked", n)
	}
}
