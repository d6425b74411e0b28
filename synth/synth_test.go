package synth

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/supply"
)

// small is a two-council, three-year region: Hartlepool (small) and
// Newcastle upon Tyne (larger), 2022–2024.
func small(t testing.TB, dir string, seed uint64) Summary {
	t.Helper()
	return smallWith(t, dir, seed, 0)
}

func smallWith(t testing.TB, dir string, seed uint64, workers int) Summary {
	t.Helper()
	sum, err := Generate(context.Background(), Config{Out: dir, Councils: []string{"E06000001", "E08000021"}, From: 2022, To: 2024, Seed: seed, Workers: workers})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return sum
}

// readTree returns every file under dir with its content.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	base := t.TempDir()
	// One worker and two: the output must not depend on scheduling.
	smallWith(t, filepath.Join(base, "a"), 7, 2)
	smallWith(t, filepath.Join(base, "b"), 7, 1)
	a, b := readTree(t, filepath.Join(base, "a")), readTree(t, filepath.Join(base, "b"))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("file sets differ: %d vs %d files", len(a), len(b))
	}
	for name, content := range a {
		if !bytes.Equal(content, b[name]) {
			t.Fatalf("%s differs between two runs with the same seed", name)
		}
	}
	small(t, filepath.Join(base, "c"), 8)
	c := readTree(t, filepath.Join(base, "c"))
	if bytes.Equal(a["E08000021/2023/episodes.csv"], c["E08000021/2023/episodes.csv"]) {
		t.Fatal("a different seed gave the same episodes")
	}
}

func TestGenerateLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	sum := small(t, dir, 1)
	if len(sum.Councils) != 2 || sum.Children == 0 || sum.Episodes == 0 || sum.Provisions == 0 {
		t.Fatalf("summary %+v", sum)
	}
	for _, c := range []string{"E06000001", "E08000021"} {
		for _, y := range []string{"2022", "2023", "2024"} {
			for _, f := range []string{"header.csv", "episodes.csv", "uasc.csv", "missing.csv", "reviews.csv", "oc2.csv", "oc3.csv",
				"ad1.csv", "placedadoption.csv", "prevperm.csv", "costs.csv", "needs.csv"} {
				if _, err := os.Stat(filepath.Join(dir, c, y, f)); err != nil {
					t.Errorf("missing %s/%s/%s", c, y, f)
				}
			}
		}
		if _, err := os.Stat(filepath.Join(dir, c, "2024", "swepisodes.csv")); err != nil {
			t.Errorf("no social worker episodes in 2024 for %s", c)
		}
	}
	for _, f := range []string{"supply/provisions.csv", "supply/vacancies.csv", "supply/residents.csv", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Seed != 1 || m.From != 2022 || m.To != 2024 || len(m.Councils) != 2 || m.Generator != Version {
		t.Fatalf("manifest %+v", m)
	}
	// No temporary directory is left beside the output.
	ents, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary directory %s left behind", e.Name())
		}
	}
	// Header rows use the sex codes of their year.
	b, _ := os.ReadFile(filepath.Join(dir, "E08000021", "2024", "header.csv"))
	if !strings.HasPrefix(string(b), "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n") || !strings.Contains(string(b), ",1,") {
		t.Errorf("2023/24 header should use SEX 1/2: %.200s", b)
	}
}

// TestGeneratedRegionValidates reads the generated files back with the
// SSDA903 reader and runs every validation rule (with last year's return):
// the output must have no errors, and no warnings other than those that
// real returns raise too (see allowedWarnings).
func TestGeneratedRegionValidates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	small(t, dir, 3)
	for _, council := range []string{"E06000001", "E08000021"} {
		returns, findings, err := ssda903.Read([]string{filepath.Join(dir, council)}, ssda903.ReadOptions{})
		if err != nil {
			t.Fatalf("read %s: %v", council, err)
		}
		for _, f := range findings {
			t.Errorf("%s: reading: %s %s %s", council, f.Severity, f.RuleCode, f.Message)
		}
		if len(returns) != 3 {
			t.Fatalf("%s: %d returns read, want 3", council, len(returns))
		}
		byYear := map[int]*ssda903.Return{}
		for _, r := range returns {
			byYear[r.Year] = r
		}
		for _, r := range returns {
			opt := rules.Options{PostcodeLA: postcodeLA, CouncilKnown: func(string) bool { return true }}
			for _, f := range rules.Validate(r, byYear[r.Year-1], opt) {
				if f.Severity == ssda903.SeverityWarning && allowedWarnings[f.RuleCode] {
					continue
				}
				t.Errorf("%s %d: %s %s child %s line %d: %s", council, r.Year, f.Severity, f.RuleCode, f.Child, f.Line, f.Message)
			}
		}
	}
}

// TestInitialStockOldEnoughForPlacement: a child in the starting stock (in
// care on 31 March before the first year) is placed on that day in a setting
// its age allows (secure homes from 10, residential special schools from 5).
// Somerset's starting stock with seed 1 held a nine-year-old whose secure
// placement began on its tenth birthday, three days into the year: the first
// episode of the 2014/15 return began in the year with RNE P, which DfE rule
// 357 rejects (a child's first episode must be S), and the all-England
// import refused Somerset.
func TestInitialStockOldEnoughForPlacement(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Generate(context.Background(), Config{Out: dir, Councils: []string{"E06000066"}, From: 2015, To: 2015, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	returns, _, err := ssda903.Read([]string{filepath.Join(dir, "E06000066")}, ssda903.ReadOptions{})
	if err != nil || len(returns) != 1 {
		t.Fatalf("read: %v (%d returns)", err, len(returns))
	}
	opt := rules.Options{PostcodeLA: postcodeLA, CouncilKnown: func(string) bool { return true }}
	for _, f := range rules.Validate(returns[0], nil, opt) {
		if f.Severity == ssda903.SeverityError {
			t.Errorf("%s child %s line %d: %s", f.RuleCode, f.Child, f.Line, f.Message)
		}
	}
}

// allowedWarnings are the queries a correct return raises: 1015, own-council
// foster carers living outside the council (about a third of fostering in
// England is outside the boundary); 1002, care leavers last looked after more
// than a year ago (the check sees only two years); 1001, care leavers whose
// 13 weeks in care after 14 lie partly before last year (the same two-year
// view; the starting stock has no earlier episodes); 392d, a setting that
// really is in the child's home postcode sector; SW12STG2, social worker
// episodes before care began (the generator starts them with care).
var allowedWarnings = map[string]bool{"1015": true, "1002": true, "1001": true, "392d": true, "SW12STG2": true}

func TestCheckWithinTolerance(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	small(t, dir, 5)
	rep, err := Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Totals) != 2*3*3 {
		t.Fatalf("%d total rows, want 18", len(rep.Totals))
	}
	checked := 0
	for _, r := range rep.Totals {
		if r.Checked {
			checked++
		}
		if r.Checked && !r.Within {
			t.Errorf("%s %d %s: generated %d, published %.0f (%+.1f%%)", r.Name, r.Year, r.Measure, r.Generated, r.Target, 100*r.Diff)
		}
	}
	if checked == 0 {
		t.Fatal("no published figure was checked")
	}
	var text bytes.Buffer
	if err := rep.Write(&text, "text"); err != nil || !strings.Contains(text.String(), "Newcastle upon Tyne") {
		t.Fatalf("text report: %v\n%s", err, text.String())
	}
	t.Log(text.String())
	for _, m := range rep.Mix {
		if m.Kind == "foster_inhouse" && (m.Generated < 10 || m.Generated > 80) {
			t.Errorf("%s in-house fostering %.1f%% is implausible", m.Name, m.Generated)
		}
	}
	// The share in secure and children's homes is compared year by year
	// with the two councils' published placement mix of that year (the DfE's
	// "secure units and children's homes" over all children looked after).
	for _, y := range []int{2022, 2023, 2024} {
		var homes, total float64
		for _, c := range []string{"E06000001", "E08000021"} {
			pc, ok := refdata.PlacementMix(c, y)
			if !ok || !pc.SecureAndChildrensHomes.Known {
				t.Fatalf("no published placement mix for %s %d", c, y)
			}
			homes += pc.SecureAndChildrensHomes.Value
			total += pc.Total.Value
		}
		name := fmt.Sprintf("in secure and children's homes at 31 March %d (%%)", y)
		var found bool
		for _, m := range rep.Measures {
			if m.Name != name {
				continue
			}
			found = true
			if want := 100 * homes / total; math.Abs(m.Reference-want) > 1e-9 {
				t.Errorf("%s: reference %.3f, want %.3f", name, m.Reference, want)
			}
			if m.Generated <= 0 || m.Generated > 30 {
				t.Errorf("%s: generated %.1f%% is implausible", name, m.Generated)
			}
		}
		if !found {
			t.Errorf("no measure %q", name)
		}
	}
	if strings.Contains(text.String(), "31 March 2021") || strings.Contains(text.String(), "31 March 2025") {
		t.Error("the check compares years that were not generated")
	}
}

func TestGenerateBadInput(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "afile")
	os.WriteFile(file, []byte("x"), 0o644)
	notOurs := filepath.Join(base, "notours")
	os.MkdirAll(notOurs, 0o755)
	os.WriteFile(filepath.Join(notOurs, "keep.txt"), []byte("x"), 0o644)
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"ErrUnknownRegion", Config{Out: filepath.Join(base, "o1"), Region: "Atlantis"}, "not an English region"},
		{"ErrUnknownCouncil", Config{Out: filepath.Join(base, "o2"), Councils: []string{"E08000003", "X999"}}, "X999"},
		{"ErrYearsReversed", Config{Out: filepath.Join(base, "o3"), Councils: []string{"E06000001"}, From: 2024, To: 2020}, "not possible"},
		{"ErrYearTooEarly", Config{Out: filepath.Join(base, "o4"), Councils: []string{"E06000001"}, From: 1990, To: 2020}, "not possible"},
		{"ErrOutIsFile", Config{Out: file, Councils: []string{"E06000001"}, From: 2024, To: 2024}, "is a file"},
		{"ErrOutNotOurs", Config{Out: notOurs, Councils: []string{"E06000001"}, From: 2024, To: 2024}, "not an earlier synth output"},
		{"ErrNoOut", Config{Councils: []string{"E06000001"}}, "no output directory"},
		{"ErrRegionAndCouncils", Config{Out: filepath.Join(base, "o5"), Region: "London", Councils: []string{"E06000001"}}, "not both"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Generate(context.Background(), tc.cfg)
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v (%s), want EINVALID mentioning %q", err, care.ErrorCode(err), tc.want)
			}
		})
	}
	// Nothing was written for the failed runs.
	ents, _ := os.ReadDir(base)
	for _, e := range ents {
		if e.Name() != "afile" && e.Name() != "notours" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestGenerateReplacesEarlierOutputAndHonoursCancel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	cfg := Config{Out: dir, Councils: []string{"E06000001"}, From: 2024, To: 2024, Seed: 1}
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Seed = 2
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatalf("regenerating over an earlier output: %v", err)
	}
	if m, _ := ReadManifest(dir); m.Seed != 2 {
		t.Fatalf("output not replaced: seed %d", m.Seed)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg.Seed = 3
	if _, err := Generate(ctx, cfg); err == nil {
		t.Fatal("a cancelled generation succeeded")
	}
	if m, _ := ReadManifest(dir); m.Seed != 2 {
		t.Fatal("a cancelled generation changed the output")
	}
}

func TestTargetsAreConsistent(t *testing.T) {
	in, err := CouncilFromRefdata("E08000021", 2015, 2025)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Targets) != 12 || in.Targets[0].Year != 2014 || in.Targets[11].Year != 2025 {
		t.Fatalf("targets %+v", in.Targets)
	}
	for i := 1; i < len(in.Targets); i++ {
		p, c := in.Targets[i-1], in.Targets[i]
		if c.Source == "published" {
			continue
		}
		if got := p.Stock + c.Starts - c.Ceases; got < c.Stock-0.5 || got > c.Stock+0.5 {
			t.Errorf("%d (%s): %.1f + %.1f − %.1f ≠ %.1f", c.Year, c.Source, p.Stock, c.Starts, c.Ceases, c.Stock)
		}
	}
	if in.Targets[4].Source != "interpolated" { // 2018: no LA figures were published
		t.Errorf("2018 source %q, want interpolated", in.Targets[4].Source)
	}
	if in.Targets[11].Source != "published" { // the 2025 release
		t.Errorf("2025 source %q, want published", in.Targets[11].Source)
	}
	later, err := CouncilFromRefdata("E08000021", 2025, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(later.Targets); later.Targets[n-1].Year != 2026 || later.Targets[n-1].Source != "national trend" {
		t.Errorf("2026 target %+v, want the national trend after the last published year", later.Targets[n-1])
	}
}

func TestReconcile(t *testing.T) {
	cases := []struct {
		stock0         int
		t              Target
		starts, ceases int
	}{
		{100, Target{Stock: 110, Starts: 50, Ceases: 40}, 50, 40},
		{100, Target{Stock: 110, Starts: 50, Ceases: 50}, 52, 48}, // 10 off, shared over 210: each about 4.8% off, at most 5.5% in whole children
		{100, Target{Stock: 90, Starts: 20, Ceases: 20}, 18, 21},  // −10 shared over 130: stock 97
	}
	for _, tc := range cases {
		s, c := reconcile(tc.stock0, tc.t)
		if s != tc.starts || c != tc.ceases {
			t.Errorf("reconcile(%d, %+v) = %d, %d; want %d, %d", tc.stock0, tc.t, s, c, tc.starts, tc.ceases)
		}
	}
}

func TestDays(t *testing.T) {
	for _, d := range []time.Time{care.Date(2024, 2, 29), care.Date(1999, 12, 31), care.Date(2025, 3, 31)} {
		y, m, dd := dayOf(d).civil()
		if y != d.Year() || m != int(d.Month()) || dd != d.Day() {
			t.Errorf("civil(%v) = %d-%d-%d", d, y, m, dd)
		}
		if got := string(dayOf(d).appendDMY(nil)); got != ssda903.FormatDate(d) {
			t.Errorf("appendDMY(%v) = %s", d, got)
		}
	}
	dob := dayFromYMD(2007, 6, 15)
	if ageOn(dob, dayFromYMD(2025, 6, 14)) != 17 || ageOn(dob, dayFromYMD(2025, 6, 15)) != 18 {
		t.Error("ageOn around the 18th birthday")
	}
	if collectionYear(dayFromYMD(2024, 3, 31)) != 2024 || collectionYear(dayFromYMD(2024, 4, 1)) != 2025 {
		t.Error("collectionYear")
	}
}

func TestIPFMatchesMargins(t *testing.T) {
	rows := [nBands]float64{0.05, 0.15, 0.2, 0.35, 0.25}
	var cols [nKinds]float64
	for k := range cols {
		cols[k] = 1 / float64(nKinds)
	}
	j := ipf(kindSeed, rows, cols)
	for a := 0; a < nBands; a++ {
		var s float64
		for k := range j[a] {
			s += j[a][k]
		}
		if d := s - rows[a]; d > 1e-3 || d < -1e-3 {
			t.Errorf("row %d sums to %.4f, want %.4f", a, s, rows[a])
		}
	}
	if j[band1to4][KindSupported] != 0 {
		t.Error("supported accommodation for under-5s")
	}
}

func TestUPNCheckLetter(t *testing.T) {
	r := newRand(1, "upn")
	for i := 0; i < 20; i++ {
		u := makeUPN(r, "352", 19)
		if len(u) != 13 || !strings.Contains(upnLetters, u[:1]) || u[1:4] != "352" {
			t.Fatalf("bad UPN %q", u)
		}
	}
}

// TestValidateMany validates a larger generation, 2015–2025, for the
// councils in SYNTH_VALIDATE (comma-separated codes, or "all"); skipped
// unless set. Findings are summarised by rule.
func TestValidateMany(t *testing.T) {
	list := os.Getenv("SYNTH_VALIDATE")
	if list == "" {
		t.Skip("set SYNTH_VALIDATE=E08000003,... (or all) to validate a larger generation")
	}
	cfg := Config{Out: filepath.Join(t.TempDir(), "out"), From: 2015, To: 2025, Seed: 1}
	if to := os.Getenv("SYNTH_VALIDATE_TO"); to != "" {
		fmt.Sscan(to, &cfg.To)
	}
	if list != "all" {
		cfg.Councils = strings.Split(list, ",")
	}
	sum, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	example := map[string]string{}
	for _, c := range sum.Councils {
		returns, _, err := ssda903.Read([]string{filepath.Join(cfg.Out, c.Council)}, ssda903.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		byYear := map[int]*ssda903.Return{}
		for _, r := range returns {
			byYear[r.Year] = r
		}
		for _, r := range returns {
			for _, f := range rules.Validate(r, byYear[r.Year-1], rules.Options{PostcodeLA: postcodeLA, CouncilKnown: func(string) bool { return true }}) {
				k := string(f.Severity) + " " + f.RuleCode
				counts[k]++
				if example[k] == "" {
					example[k] = c.Council + " " + f.Child + " " + strings.TrimSpace(f.Message)
				}
			}
		}
	}
	for k, n := range counts {
		if strings.HasPrefix(k, "error") {
			t.Errorf("%6d %s  e.g. %s", n, k, example[k])
		} else {
			t.Logf("%6d %s  e.g. %s", n, k, example[k])
		}
	}
}

func TestSupplyReadsBackAndIsReal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	small(t, dir, 2)
	set, err := supply.ReadDir(filepath.Join(dir, "supply"))
	if err != nil {
		t.Fatalf("the generated supply does not read back: %v", err)
	}
	var homes, inHouse, agency, vacant, residents int
	for _, p := range set.Provisions {
		if p.Council != "E06000001" && p.Council != "E08000021" {
			t.Errorf("%s is in %s, outside the region", p.ID, p.Council)
		}
		if pc, err := geo.ParsePostcode(p.Postcode); err != nil || !geo.InCouncil(pc, p.Council) {
			t.Errorf("%s: postcode %q is not in its council %s", p.ID, p.Postcode, p.Council)
		}
		residents += len(p.Residents)
		if len(p.Residents) > p.Places {
			t.Errorf("%s has %d residents in %d places", p.ID, len(p.Residents), p.Places)
		}
		switch {
		case p.Kind == care.KindChildrensHome:
			homes++
			if r, ok := refdata.ProviderByURN(p.ID); !ok || r.Council != p.Council {
				t.Errorf("children's home %s is not on the Ofsted register in %s", p.ID, p.Council)
			}
		case p.Kind == care.KindFostering && p.InHouse:
			inHouse++
		case p.Kind == care.KindFostering:
			agency++
		}
		if p.WeeklyPrice <= 0 {
			t.Errorf("%s has no weekly price", p.ID)
		}
	}
	for _, v := range set.Vacancies {
		vacant += v.Places
	}
	if homes == 0 || inHouse == 0 || agency == 0 || vacant == 0 || residents == 0 {
		t.Fatalf("homes %d, in-house households %d, agency households %d, vacant places %d, residents %d", homes, inHouse, agency, vacant, residents)
	}
}
