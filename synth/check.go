package synth

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/internal/inputfile"
	"sufficiency/refdata"
	"sufficiency/ssda903"
)

// Tolerance is the largest relative difference from the published stock,
// starts and ceases that the calibration check accepts, for councils with
// more than MinCheckedStock children in care.
const (
	Tolerance       = 0.05
	MinCheckedStock = 100
	// MixTolerance is the largest difference, in percentage points, between
	// the published and generated share of a placement kind.
	MixTolerance = 5.0
)

// CheckRow compares one generated total with its target.
type CheckRow struct {
	Council   string  `json:"council"`
	Name      string  `json:"name"`
	Year      int     `json:"year"`
	Measure   string  `json:"measure"` // "stock", "starts" or "ceases"
	Target    float64 `json:"target"`
	Source    string  `json:"source"` // "published", "interpolated", "national trend"
	Generated int     `json:"generated"`
	Diff      float64 `json:"diff"`    // (generated − target) / target
	Checked   bool    `json:"checked"` // the tolerance applies (more than 100 in care)
	Within    bool    `json:"within"`
}

// MixRow compares a council's generated placement mix at 31 March with the
// published mix (2021–2023 average).
type MixRow struct {
	Council   string  `json:"council"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Published float64 `json:"published_pct"`
	Generated float64 `json:"generated_pct"`
	DiffPP    float64 `json:"diff_pp"`
	Within    bool    `json:"within"`
}

// Measure is a region-wide figure compared with its reference.
type Measure struct {
	Name      string  `json:"name"`
	Reference float64 `json:"reference"`
	Generated float64 `json:"generated"`
	Note      string  `json:"note"`
}

// Report is the calibration check of a generated region.
type Report struct {
	Dir      string     `json:"dir"`
	Totals   []CheckRow `json:"totals"`
	Mix      []MixRow   `json:"mix"`
	Measures []Measure  `json:"measures"`
}

// Outside counts checked totals outside the tolerance.
func (r *Report) Outside() int {
	n := 0
	for _, t := range r.Totals {
		if t.Checked && !t.Within {
			n++
		}
	}
	return n
}

// WithinTolerance reports whether every checked total is within tolerance.
func (r *Report) WithinTolerance() bool { return r.Outside() == 0 }

// Check reads a generated region back from its files (episodes, needs and
// costs of each council and year, never the generator's memory) and compares
// it with the published figures council by council: stock at 31 March,
// starts and ceases per year, placement mix, and region-wide measures
// (placement moves, long-term placement stability and sibling groups living
// apart as package picture defines them, distance, needs in residential
// care, weekly costs).
func Check(dir string) (*Report, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	rep := &Report{Dir: dir}
	nat := NationalFromRefdata()
	var agg aggregate
	// Measures of the children at 31 March are taken over the years the
	// councils' published figures cover (2021–2023) when they are
	// generated, else over every year generated.
	agg.window = [2]int{m.From, m.To}
	if m.From <= 2023 && m.To >= 2021 {
		agg.window = [2]int{max(m.From, 2021), min(m.To, 2023)}
	}
	for _, mc := range m.Councils {
		in, err := CouncilFromRefdata(mc.Code, m.From, m.To)
		if err != nil {
			return nil, err
		}
		w := in.Targets[len(in.Targets)-1].Stock
		agg.refW += w
		agg.refInside += w * in.InsideShare
		agg.refOver20 += w * in.Over20Share
		agg.refUASC += w * in.UASCShare
		agg.ref16 += w * in.AgeMix[band16plus]
		var mixN [nKinds]float64
		var mixTotal float64
		tr := tracker{children: map[string]*track{}, last: y0(m)}
		for y := m.From; y <= m.To; y++ {
			f, err := readYear(filepath.Join(dir, mc.Code, strconv.Itoa(y)), y, &agg, &tr)
			if err != nil {
				return nil, err
			}
			var t Target
			for _, x := range in.Targets {
				if x.Year == y {
					t = x
				}
			}
			for _, c := range []struct {
				name   string
				target float64
				got    int
			}{{"stock", t.Stock, f.stock}, {"starts", t.Starts, f.starts}, {"ceases", t.Ceases, f.ceases}} {
				row := CheckRow{Council: mc.Code, Name: mc.Name, Year: y, Measure: c.name, Target: c.target, Source: t.Source, Generated: c.got}
				if c.target > 0 {
					row.Diff = (float64(c.got) - c.target) / c.target
				}
				row.Checked = t.Stock > MinCheckedStock && t.Source == "published"
				row.Within = math.Abs(row.Diff) <= Tolerance
				rep.Totals = append(rep.Totals, row)
			}
			if pm, ok := refdata.PlacementMix(mc.Code, y); ok && pm.SecureAndChildrensHomes.Known && pm.Total.Known {
				agg.homes(y, pm.SecureAndChildrensHomes.Value, pm.Total.Value, f.mix[KindChildrensHome]+f.mix[KindSecure], f.stock)
			}
			if y >= 2021 && y <= 2023 {
				for k := range f.mix {
					mixN[k] += float64(f.mix[k])
					mixTotal += float64(f.mix[k])
				}
			}
		}
		if mixTotal == 0 { // no year in 2021–2023 generated: use all years
			continue
		}
		for k := Kind(0); k < nKinds; k++ {
			row := MixRow{Council: mc.Code, Name: mc.Name, Kind: k.String(), Published: 100 * in.Mix[k], Generated: 100 * mixN[k] / mixTotal}
			row.DiffPP = row.Generated - row.Published
			row.Within = math.Abs(row.DiffPP) <= MixTolerance
			rep.Mix = append(rep.Mix, row)
		}
	}
	rep.Measures = agg.measures(nat)
	return rep, nil
}

// y0 is the year whose 31 March the stability and sibling measures are
// taken at: the last generated year, when at least three years are
// generated (a child's 2½ years in care must be visible), else none.
func y0(m Manifest) int {
	if m.To-m.From >= 3 {
		return m.To
	}
	return 0
}

// tracker follows each child's period of care and placement across the
// years of one council, as package picture reads a stitched history: a
// period continues while each episode begins the day the previous one
// ended, and a placement while the new episode's reason says the carers did
// not change (L, T, U).
type tracker struct {
	children map[string]*track
	last     int // the year the measures are taken at (0: none)
}

type track struct {
	start, end      day // the latest episode's DECOM and DEC (noDay while open)
	period, placing day // start of the period of care and of the placement
}

// episode notes one episode row; rows repeated from last year's return are
// recognised by their start.
func (t *tracker) episode(child string, decom, dec day, rne string) *track {
	k := t.children[child]
	if k == nil {
		k = &track{}
		t.children[child] = k
	}
	switch {
	case decom == k.start:
		k.end = dec
		return k
	case decom < k.start:
		return k
	}
	if k.end == noDay || k.end != decom {
		k.period, k.placing = decom, decom
	} else if rne != "L" && rne != "T" && rne != "U" {
		k.placing = decom
	}
	k.start, k.end = decom, dec
	return k
}

// yearFigures are the totals of one council-year read from its files.
type yearFigures struct {
	stock, starts, ceases int
	mix                   [nKinds]int
}

// aggregate accumulates region-wide measures over all council-years.
type aggregate struct {
	children, threePlus         int
	placed, outside, far, known int
	resid, residSevere          int
	resCost, resN, resOver10k   float64
	agencyCost, agencyN         float64
	inhouseCost, inhouseN       float64
	costYear                    int
	refW, refInside, refOver20  float64
	refUASC, ref16              float64
	stock, uasc, over16         int
	window                      [2]int // years whose stock the measures at 31 March count
	ltEligible, ltStable        int    // DfE long-term stability
	sibChildren, sibApart       int    // children in sibling groups, and in groups not all together
	male, s20, careOrder        int
	ceased                      int
	ceasedBy                    map[string]int
	// Children in secure and children's homes at 31 March, by year: the
	// published counts and totals of the councils generated, and the
	// generated ones.
	homesRef, homesRefTotal map[int]float64
	homesGen, homesGenTotal map[int]int
}

// homes adds one council-year's children in secure and children's homes at
// 31 March: published (of a published total) and generated (of the
// generated stock).
func (a *aggregate) homes(year int, published, publishedTotal float64, generated, stock int) {
	if a.homesRef == nil {
		a.homesRef, a.homesRefTotal = map[int]float64{}, map[int]float64{}
		a.homesGen, a.homesGenTotal = map[int]int{}, map[int]int{}
	}
	a.homesRef[year] += published
	a.homesRefTotal[year] += publishedTotal
	a.homesGen[year] += generated
	a.homesGenTotal[year] += stock
}

// ceaseGroups groups REC codes as the DfE's "reason episode ceased" table.
var ceaseGroups = []struct {
	name, published string
	codes           []string
}{
	{"adopted", "Adopted", []string{"E11", "E12"}},
	{"special guardianship order", "Special guardianship order", []string{"E45", "E46", "E47", "E48"}},
	{"returned home (planned or not)", "Returned home", []string{"E4A", "E4B"}},
	{"aged 18 and stayed with carers (E17)", "Aged 18 (or over) and remained with current carers", []string{"E17"}},
	{"moved into independent living (E5, E6)", "Moved into independent living", []string{"E5", "E6"}},
}

func (a *aggregate) measures(nat *National) []Measure {
	pct := func(n, d int) float64 {
		if d == 0 {
			return 0
		}
		return 100 * float64(n) / float64(d)
	}
	avg := func(s, n float64) float64 {
		if n == 0 {
			return 0
		}
		return s / n
	}
	at31 := func(group string) []refdata.Breakdown {
		return refdata.NationalGroup(refdata.AtMarch31, breakdownYear, group)
	}
	ms := []Measure{
		{"children looked after during a year with 3+ placements (%)", 10, pct(a.threePlus, a.children), "DfE: about 10% of children looked after"},
		{"long-term stability: children under 16 in care 2½ years or more, same placement 2 years (%)", 70, pct(a.ltStable, a.ltEligible), "DfE CLA statistics: 70–71% in recent years (last year of the run)"},
		{"children in sibling groups living apart from at least one (%)", 37, pct(a.sibApart, a.sibChildren), "Children's Commissioner, Siblings in care (2019): 37% (last year of the run)"},
		{"UASC among children looked after at 31 March (%)", 100 * a.refUASC / a.refW, pct(a.uasc, a.stock), "the councils' published shares 2021–2023, weighted by stock"},
		{"aged 16 and over among children looked after at 31 March (%)", 100 * a.ref16 / a.refW, pct(a.over16, a.stock), "the councils' published age mix 2021–2023"},
		{"boys among children looked after at 31 March (%)", 100 * share(at31("Gender"), prefix("male")), pct(a.male, a.stock), "England, DfE 2024"},
		{"on care orders (C1, C2) at 31 March (%)", 100 * share(at31("Legal status"), prefix("care order")), pct(a.careOrder, a.stock), "England, DfE 2024"},
		{"accommodated under section 20 (V2) at 31 March (%)", 100 * share(at31("Legal status"), prefix("voluntary")), pct(a.s20, a.stock), "England, DfE 2024"},
		{"placed outside the council at 31 March (%)", 100 * (1 - a.refInside/a.refW), pct(a.outside, a.placed), "the councils' published shares 2021–2023, weighted by stock"},
		{"placed more than 20 miles from home at 31 March (%)", 100 * a.refOver20 / a.refW, pct(a.far, a.known), "the councils' published shares 2021–2023 (of known distances)"},
		{"children in children's homes without severe or complex needs (%)", 51, 100 - pct(a.residSevere, a.resid), "CCN/IMPOWER 2024: about half"},
		{fmt.Sprintf("average weekly cost of a children's home placement, %d (£)", a.costYear), nat.Costs.ChildrensHome * math.Pow(1+nat.Costs.GrowthResidential, float64(a.costYear-2024)), avg(a.resCost, a.resN), "CCN 2024 ≈ £6,100, grown by the CCN 2019–2024 rate"},
		{"children's home placements above £10,000 a week (%)", 15, 100 * avg(a.resOver10k, a.resN), "LGA 2022/23: 1,510 placements ≥ £10k (long tail)"},
		{fmt.Sprintf("average weekly cost of agency fostering, %d (£)", a.costYear), nat.Costs.FosterAgency * math.Pow(1+nat.Costs.GrowthFostering, float64(a.costYear-2024)), avg(a.agencyCost, a.agencyN), "≈ £900 (CMA IFA price grown to 2024)"},
		{fmt.Sprintf("average weekly cost of in-house fostering, %d (£)", a.costYear), nat.Costs.FosterInHouse * math.Pow(1+nat.Costs.GrowthFostering, float64(a.costYear-2024)), avg(a.inhouseCost, a.inhouseN), "≈ £450"},
	}
	rows := refdata.NationalGroup(refdata.Ceased, breakdownYear, "Reason episode ceased")
	for _, g := range ceaseGroups {
		n := 0
		for _, c := range g.codes {
			n += a.ceasedBy[c]
		}
		ms = append(ms, Measure{"ceased: " + g.name + " (%)", 100 * share(rows, prefix(g.published)), pct(n, a.ceased), "England, DfE 2024, reason episode ceased"})
	}
	years := make([]int, 0, len(a.homesRef))
	for y := range a.homesRef {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		if a.homesRefTotal[y] == 0 {
			continue
		}
		ms = append(ms, Measure{fmt.Sprintf("in secure and children's homes at 31 March %d (%%)", y), 100 * a.homesRef[y] / a.homesRefTotal[y], pct(a.homesGen[y], a.homesGenTotal[y]), "the councils' published placement mix that year"})
	}
	return ms
}

// table reads one CSV file of a council-year by column name.
func readTable(path string, fn func(get func(string) string)) error {
	f, err := inputfile.Open(path)
	if err != nil {
		return care.WrapError(care.EUNUSABLE, err, "cannot read %s", path)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	h, err := r.Read()
	if err != nil {
		return care.WrapError(care.EUNUSABLE, err, "%s has no header", path)
	}
	col := map[string]int{}
	for i, c := range h {
		col[c] = i
	}
	var rec []string
	get := func(c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	for {
		rec, err = r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return care.WrapError(care.EUNUSABLE, err, "%s", path)
		}
		fn(get)
	}
}

// readYear reads the totals of one council-year from its files.
func readYear(dir string, y int, a *aggregate, tr *tracker) (yearFigures, error) {
	var f yearFigures
	ys, ye := yearStart(y), yearEnd(y)
	started, ceased := map[string]bool{}, map[string]bool{}
	placements := map[string]int{}
	lastPlace := map[string]string{}
	tier := map[string]int{}
	if err := readTable(filepath.Join(dir, FileName(ssda903.Needs)), func(get func(string) string) {
		t, _ := strconv.Atoi(get("NEEDS_TIER"))
		tier[get("CHILD")] = t
	}); err != nil {
		return f, err
	}
	dob := map[string]day{}
	if err := readTable(filepath.Join(dir, FileName(ssda903.Header)), func(get func(string) string) {
		if d, ok := ssda903.ParseDate(get("DOB")); ok {
			dob[get("CHILD")] = dayOf(d)
		}
	}); err != nil {
		return f, err
	}
	uasc := map[string]bool{}
	if err := readTable(filepath.Join(dir, FileName(ssda903.UASC)), func(get func(string) string) {
		uasc[get("CHILD")] = true
	}); err != nil {
		return f, err
	}
	if a.ceasedBy == nil {
		a.ceasedBy = map[string]int{}
	}
	male := map[string]bool{}
	if err := readTable(filepath.Join(dir, FileName(ssda903.Header)), func(get func(string) string) {
		if sx := get("SEX"); sx == "M" || sx == "1" {
			male[get("CHILD")] = true
		}
	}); err != nil {
		return f, err
	}
	type open struct {
		place, provider, home, pl, ls, urn string
		k                                  *track
	}
	var opens []open
	var openChild []string
	err := readTable(filepath.Join(dir, FileName(ssda903.Episodes)), func(get func(string) string) {
		child := get("CHILD")
		decom, _ := ssda903.ParseDate(get("DECOM"))
		d := dayOf(decom)
		if get("RNE") == "S" && d >= ys && d <= ye {
			started[child] = true
		}
		if rec := get("REC"); rec != "" && rec != "X1" {
			ceased[child] = true
			a.ceased++
			a.ceasedBy[rec]++
		}
		place := get("PLACE")
		if !care.PlacementType(place).IsTemporary() {
			key := place + "|" + get("PL_POST") + "|" + get("URN")
			if key != lastPlace[child] {
				placements[child]++
				lastPlace[child] = key
			}
		}
		var dec day
		if t, ok := ssda903.ParseDate(get("DEC")); ok {
			dec = dayOf(t)
		}
		k := tr.episode(child, d, dec, get("RNE"))
		if get("DEC") == "" {
			opens = append(opens, open{place, get("PLACE_PROVIDER"), get("HOME_POST"), get("PL_POST"), get("LS"), get("URN"), k})
			openChild = append(openChild, child)
		}
	})
	if err != nil {
		return f, err
	}
	f.starts, f.ceases = len(started), len(ceased)
	if y == tr.last {
		// DfE long-term stability: children under 16 looked after for 2½
		// years or more, in the same placement for 2 years. Sibling groups
		// as package picture infers them: the same home postcode and the
		// same start of the period of care.
		period, placing := dayFromYMD(y-3, time.September, 30), dayFromYMD(y-2, time.March, 31)
		groups := map[string][]string{}
		for i, o := range opens {
			if ageOn(dob[openChild[i]], ye) < 16 && o.k.period <= period {
				a.ltEligible++
				if o.k.placing <= placing {
					a.ltStable++
				}
			}
			key := o.place + "|" + o.provider + "|" + o.pl
			if u := care.SettingURN(care.Episode{URN: o.urn, Placement: care.PlacementType(o.place)}); u != "" {
				key = "URN " + u
			}
			g := strconv.Itoa(int(o.k.period)) + "|" + o.home
			groups[g] = append(groups[g], key)
		}
		for _, g := range groups {
			if len(g) < 2 {
				continue
			}
			a.sibChildren += len(g)
			for _, k := range g[1:] {
				if k != g[0] {
					a.sibApart += len(g)
					break
				}
			}
		}
	}
	for i, o := range opens {
		f.stock++
		k := KindOf(care.PlacementType(o.place), care.ProviderType(o.provider))
		f.mix[k]++
		if y < a.window[0] || y > a.window[1] {
			continue
		}
		a.stock++
		if uasc[openChild[i]] {
			a.uasc++
		}
		if ageOn(dob[openChild[i]], ye) >= 16 {
			a.over16++
		}
		if male[openChild[i]] {
			a.male++
		}
		switch o.ls {
		case "V2":
			a.s20++
		case "C1", "C2":
			a.careOrder++
		}
		if k == KindChildrensHome {
			a.resid++
			if tier[openChild[i]] >= int(care.TierComplex) {
				a.residSevere++
			}
		}
		// Placed with parents counts as inside the council and within 20
		// miles, as in the published figures (their denominator is every
		// child looked after).
		a.placed++
		if pc, err := geo.ParsePostcode(o.pl); err == nil {
			if c, ok := geo.CouncilOf(pc); ok {
				if hc, _ := geo.CouncilOf(mustPostcode(o.home)); c != hc {
					a.outside++
				}
			}
			hp, ok1 := geo.Locate(mustPostcode(o.home))
			pp, ok2 := geo.Locate(pc)
			if ok1 && ok2 {
				a.known++
				if !geo.Within20Miles(hp, pp) {
					a.far++
				}
			}
		}
	}
	for _, n := range placements {
		a.children++
		if n >= 3 {
			a.threePlus++
		}
	}
	if y >= a.costYear {
		if y > a.costYear {
			a.costYear = y
			a.resCost, a.resN, a.resOver10k, a.agencyCost, a.agencyN, a.inhouseCost, a.inhouseN = 0, 0, 0, 0, 0, 0, 0
		}
		kinds := map[string]Kind{}
		if err := readTable(filepath.Join(dir, FileName(ssda903.Episodes)), func(get func(string) string) {
			kinds[get("CHILD")+"|"+get("DECOM")] = KindOf(care.PlacementType(get("PLACE")), care.ProviderType(get("PLACE_PROVIDER")))
		}); err != nil {
			return f, err
		}
		if err := readTable(filepath.Join(dir, FileName(ssda903.PlacementCosts)), func(get func(string) string) {
			c, _ := strconv.ParseFloat(get("WEEKLY_COST"), 64)
			decom, _ := ssda903.ParseDate(get("DECOM"))
			if dayOf(decom) < ys {
				return
			}
			switch kinds[get("CHILD")+"|"+get("DECOM")] {
			case KindChildrensHome:
				a.resCost += c
				a.resN++
				if c > 10000 {
					a.resOver10k++
				}
			case KindFosterAgency:
				a.agencyCost += c
				a.agencyN++
			case KindFosterInHouse:
				a.inhouseCost += c
				a.inhouseN++
			}
		}); err != nil {
			return f, err
		}
	}
	return f, nil
}

func mustPostcode(s string) geo.Postcode {
	p, _ := geo.ParsePostcode(s)
	return p
}

// Write prints the report as text, json or csv.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"council", "name", "year", "measure", "target", "source", "generated", "diff_pct", "checked", "within"})
		for _, t := range r.Totals {
			cw.Write([]string{t.Council, t.Name, strconv.Itoa(t.Year), t.Measure, strconv.FormatFloat(t.Target, 'f', 0, 64), t.Source,
				strconv.Itoa(t.Generated), strconv.FormatFloat(100*t.Diff, 'f', 1, 64), strconv.FormatBool(t.Checked), strconv.FormatBool(t.Within)})
		}
		for _, m := range r.Mix {
			cw.Write([]string{m.Council, m.Name, "2021-2023", "mix:" + m.Kind, strconv.FormatFloat(m.Published, 'f', 1, 64), "published",
				strconv.FormatFloat(m.Generated, 'f', 1, 64), strconv.FormatFloat(m.DiffPP, 'f', 1, 64), "true", strconv.FormatBool(m.Within)})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "Calibration check of %s (tolerance ±%.0f%% for councils with more than %d in care)\n\n", r.Dir, Tolerance*100, MinCheckedStock)
	fmt.Fprintln(tw, "council\tyear\tstock\ttarget\tdiff\tstarts\ttarget\tdiff\tceases\ttarget\tdiff\tsource\t")
	for i := 0; i+2 < len(r.Totals); i += 3 {
		s, st, c := r.Totals[i], r.Totals[i+1], r.Totals[i+2]
		flag := func(x CheckRow) string {
			m := fmt.Sprintf("%+.1f%%", 100*x.Diff)
			if x.Checked && !x.Within {
				m += " !"
			}
			return m
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%s\t%d\t%.0f\t%s\t%d\t%.0f\t%s\t%s\t\n", s.Name, s.Year, s.Generated, s.Target, flag(s),
			st.Generated, st.Target, flag(st), c.Generated, c.Target, flag(c), s.Source)
	}
	tw.Flush()
	if len(r.Mix) > 0 {
		fmt.Fprintf(w, "\nPlacement mix at 31 March, 2021–2023 (percent; ! = more than %.0f points off)\n\n", MixTolerance)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "council\t")
		for k := Kind(0); k < nKinds; k++ {
			fmt.Fprintf(tw, "%s\t", k)
		}
		fmt.Fprintln(tw)
		for i := 0; i+int(nKinds) <= len(r.Mix); i += int(nKinds) {
			fmt.Fprintf(tw, "%s\t", r.Mix[i].Name)
			for _, m := range r.Mix[i : i+int(nKinds)] {
				flag := ""
				if !m.Within {
					flag = "!"
				}
				fmt.Fprintf(tw, "%.1f/%.1f%s\t", m.Generated, m.Published, flag)
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		fmt.Fprintln(w, "(generated/published)")
	}
	fmt.Fprintln(w, "\nRegion-wide measures")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\treference\tgenerated\tsource")
	for _, m := range r.Measures {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%s\n", m.Name, m.Reference, m.Generated, m.Note)
	}
	tw.Flush()
	n := r.Outside()
	if n == 0 {
		fmt.Fprintln(w, "\nAll checked totals are within tolerance.")
	} else {
		fmt.Fprintf(w, "\n%d checked total(s) outside tolerance (marked !).\n", n)
	}
	return nil
}

// Write prints what was generated: a sentence (text), the summary (json)
// or one row per council and year (csv).
func (sum Summary) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"council", "name", "year", "children_looked_after", "at_31_march", "episode_rows"})
		for _, c := range sum.Councils {
			for _, y := range c.Years {
				cw.Write([]string{c.Council, c.Name, strconv.Itoa(y.Year), strconv.Itoa(y.Children), strconv.Itoa(y.Stock), strconv.Itoa(y.Rows)})
			}
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(w, "Wrote %d councils, %d–%d, seed %d to %s in %s\n", len(sum.Councils), sum.From, sum.To, sum.Seed, sum.Out, sum.Elapsed.Round(1e6))
	fmt.Fprintf(w, "%d children, %d episode rows; supply: %d provisions, %d vacancies\n", sum.Children, sum.Episodes, sum.Provisions, sum.Vacancies)
	return nil
}
