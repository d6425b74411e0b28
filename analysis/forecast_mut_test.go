package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/refdata"
	"sufficiency/store"
)

// fixtureChildren is Hartlepool's and Middlesbrough's children and
// episodes of the fixture (councilImport).
func fixtureChildren() ([]care.Child, []care.Episode) {
	var ch []care.Child
	var ep []care.Episode
	for _, c := range []string{hartlepool, middlesbrough} {
		imp := councilImport(c)
		ch = append(ch, imp.Children...)
		ep = append(ep, imp.Episodes...)
	}
	return ch, ep
}

// TestForecastLimits: the child-level projection runs 1 to 5 years, in mode
// simulate (the default) or markov.
func TestForecastLimits(t *testing.T) {
	ch, ep := fixtureChildren()
	origin := care.Date(2025, 3, 31)
	cfg := forecast.Config{Origin: origin}
	tests := []struct {
		name  string
		mode  string
		years int
		code  string
	}{
		{"NoYears", "markov", 0, care.EINVALID},
		{"OneYear", "markov", 1, ""},
		{"FiveYears", "markov", 5, ""},
		{"SixYears", "markov", 6, care.EINVALID},
		{"DefaultIsSimulate", "", 1, ""},
		{"SixYearsSimulate", "", 6, care.EINVALID},
		{"UnknownMode", "published", 1, care.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := Forecast(context.Background(), ch, ep, ForecastOptions{LA: "Hartlepool,Middlesbrough", Config: cfg, Mode: tc.mode, Years: tc.years, Sims: 3, Seed: 7})
			if tc.code != "" {
				if care.ErrorCode(err) != tc.code || rec != nil {
					t.Fatalf("Forecast = %v, %v; want %s", rec, err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantMode := tc.mode
			if wantMode == "" {
				wantMode = forecast.ModeSimulate
			}
			if rec.Mode != wantMode || rec.Request.Years != tc.years || rec.Request.Origin != "2025-03-31" || rec.Request.LA != "Hartlepool,Middlesbrough" {
				t.Errorf("record %s, request %+v", rec.Mode, rec.Request)
			}
			if !slices.Equal(rec.Request.Councils, []string{hartlepool, middlesbrough}) {
				t.Errorf("councils %v; want each once, in the order met", rec.Request.Councils)
			}
			// In care at the end of 31 March 2025: h1, h2 (h3 left in
			// December 2024), m1, m2.
			if rec.Inputs.Children != 5 || rec.Inputs.Episodes != 5 || rec.Inputs.InCareAtOrigin != 4 || len(rec.Inputs.Digest) != 64 {
				t.Errorf("inputs %+v", rec.Inputs)
			}
			if rec.Request.ReferenceStart != "2023-03-31" || rec.Request.ReferenceEnd != "2025-03-31" {
				t.Errorf("reference window %s to %s; want the two years ending at the origin", rec.Request.ReferenceStart, rec.Request.ReferenceEnd)
			}
			if wantMode == forecast.ModeSimulate {
				if rec.Simulation == nil || rec.Markov != nil || rec.Request.Sims != 3 || rec.Request.Seed != 7 || len(rec.Request.Costs) != len(care.ForecastGroups) {
					t.Errorf("simulation record: %+v", rec.Request)
				}
			} else if rec.Markov == nil || rec.Simulation != nil || len(rec.Request.Costs) != 0 {
				t.Errorf("markov record: %+v", rec.Request)
			}
		})
	}
	if _, err := Forecast(context.Background(), ch, ep, ForecastOptions{Config: cfg, Years: 1, Sims: 1, Cost: "nonsense"}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("a bad --cost: %v; want EINVALID", err)
	}
}

// costModel is a model over the placement groups with the reference
// window of the year to 31 March 2025.
func costModel() *forecast.Model {
	return &forecast.Model{Groups: care.ForecastGroups, Config: forecast.Config{
		Origin: care.Date(2025, 3, 31), RefStart: care.Date(2024, 3, 31), RefEnd: care.Date(2025, 3, 31)}}
}

func groupIndex(t *testing.T, g care.ForecastGroup) int {
	t.Helper()
	i := slices.Index(care.ForecastGroups, g)
	if i < 0 {
		t.Fatalf("no group %s", g)
	}
	return i
}

// TestForecastCostsReferenceRises: with no imported costs, the rises are the
// observed 2019–2024 rises of docs/METHOD.md: residential groups +9.2% a
// year (CCN £3,935 → £6,108), fostering and the rest +9.9% (NAO 2017-18
// £20,400 a year → RO3 2024-25 £756 a week); supported, placed with parents
// and adoption unpriced.
func TestForecastCostsReferenceRises(t *testing.T) {
	c, err := ForecastCosts(costModel(), nil, ForecastOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := math.Pow(6108.0/3935, 1.0/5) - 1
	fos := math.Pow(756/(20400/52.14), 1.0/7) - 1
	if math.Abs(res-0.092) > 0.0005 || math.Abs(fos-0.099) > 0.0005 {
		t.Fatalf("the method's rises: residential %.4f, fostering %.4f", res, fos)
	}
	for _, tc := range []struct {
		g      care.ForecastGroup
		rise   float64
		weekly float64 // 0: not priced
		metric string
	}{
		{care.ForecastChildrensHome, res, 6108 * math.Pow(1+res, 1), "CCN: average weekly cost of a residential placement"},
		// RO3 2024-25 is at 31 March 2025, the origin's prices already.
		{care.ForecastSecureOther, res, 7708, "Derived: RO3 residential spend per child in secure"},
		// The CMA's 2020 price (its report is of October 2021): five years.
		{care.ForecastFosterAgency, fos, 820 * math.Pow(1+fos, 5), "CMA interim"},
		{care.ForecastFosterInHouse, fos, 756, "Derived: RO3 fostering spend"},
		{care.ForecastFosterRelative, fos, 756, "Derived: RO3 fostering spend"},
		{care.ForecastSupported, res, 0, ""},
		{care.ForecastPlacedWithParents, fos, 0, ""},
		{care.ForecastAdoption, fos, 0, ""},
	} {
		i := groupIndex(t, tc.g)
		if math.Abs(c.Inflation[i]-tc.rise) > 1e-12 {
			t.Errorf("%s: inflation %.5f; want %.5f", tc.g, c.Inflation[i], tc.rise)
		}
		if math.Abs(c.Weekly[i]-tc.weekly) > 1e-6 {
			t.Errorf("%s: weekly £%.2f; want £%.2f", tc.g, c.Weekly[i], tc.weekly)
		}
		if tc.metric == "" {
			if !strings.Contains(c.Source[i], "not priced (give a weekly unit cost for "+string(tc.g)+")") || strings.Contains(c.Source[i], "--") {
				t.Errorf("%s: source %q; want not priced", tc.g, c.Source[i])
			}
		} else if !strings.HasPrefix(c.Source[i], "reference: "+tc.metric) || !strings.Contains(c.Source[i], "moved to 2025 prices") {
			t.Errorf("%s: source %q", tc.g, c.Source[i])
		}
	}
	if len(c.Budget) != 0 {
		t.Errorf("budget %v with none given", c.Budget)
	}
}

// TestForecastCostsChildYear: imported costs are used when a group has at
// least a child-year (365 child-days) of costed days in the reference
// window; 364 is not enough.
func TestForecastCostsChildYear(t *testing.T) {
	m := costModel()
	home := groupIndex(t, care.ForecastChildrensHome)
	ep := func(start time.Time, days int, pounds float64) care.Episode {
		return care.Episode{Start: start, End: start.AddDate(0, 0, days), Placement: "K2", Provider: "PR4", WeeklyCost: care.FromPounds(pounds)}
	}
	start := m.Config.RefStart
	for _, tc := range []struct {
		name     string
		episodes []care.Episode
		imported bool
	}{
		{"364Days", []care.Episode{ep(start, 364, 5000)}, false},
		{"365Days", []care.Episode{ep(start, 365, 5000)}, true},
		{"TwoChildrenHalfAYear", []care.Episode{ep(start, 183, 5000), ep(start, 182, 5000)}, true},
		// Days before the window do not count.
		{"StartedBefore", []care.Episode{ep(start.AddDate(0, 0, -10), 374, 5000)}, false},
		{"Uncosted", []care.Episode{ep(start, 365, 0)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ForecastCosts(m, tc.episodes, ForecastOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.HasPrefix(c.Source[home], "imported placement costs"); got != tc.imported {
				t.Fatalf("source %q; imported %v, want %v", c.Source[home], got, tc.imported)
			}
			if tc.imported && (c.Weekly[home] != 5000 || !strings.Contains(c.Source[home], "(365 child-days in the reference window)")) {
				t.Errorf("weekly £%v, source %q", c.Weekly[home], c.Source[home])
			}
			if !tc.imported && c.Weekly[home] == 5000 {
				t.Errorf("weekly £%v: the imported cost was used", c.Weekly[home])
			}
		})
	}
}

// TestForecastCostsObservedRise: with a child-year of costs and a rise
// observed in them (two start years with five costed placements each),
// the group's inflation is the observed rise.
func TestForecastCostsObservedRise(t *testing.T) {
	m := costModel()
	home := groupIndex(t, care.ForecastChildrensHome)
	var eps []care.Episode
	for i := 0; i < 5; i++ {
		eps = append(eps,
			care.Episode{Start: care.Date(2023, 6, 1), End: care.Date(2024, 6, 1), Placement: "K2", Provider: "PR4", WeeklyCost: care.FromPounds(4000)},
			care.Episode{Start: care.Date(2024, 6, 1), Placement: "K2", Provider: "PR4", WeeklyCost: care.FromPounds(4400)})
	}
	c, err := ForecastCosts(m, eps, ForecastOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.Inflation[home]-0.1) > 1e-9 {
		t.Errorf("inflation %.5f; want the observed 10%%", c.Inflation[home])
	}
	// Below a child-year the observed rise is not used either.
	c, _ = ForecastCosts(m, eps[:2], ForecastOptions{})
	res := math.Pow(6108.0/3935, 1.0/5) - 1
	if math.Abs(c.Inflation[home]-res) > 1e-12 {
		t.Errorf("inflation %.5f with too few costs; want the reference %.5f", c.Inflation[home], res)
	}
}

func TestForecastCostsGiven(t *testing.T) {
	m := costModel()
	sup, home := groupIndex(t, care.ForecastSupported), groupIndex(t, care.ForecastChildrensHome)
	c, err := ForecastCosts(m, nil, ForecastOptions{Cost: " supported = 1800 ,childrens_home=0", Inflation: "supported=0.05", Budget: "52000000, 54000000,0"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Weekly[sup] != 1800 || c.Source[sup] != CostGiven || c.Inflation[sup] != 0.05 {
		t.Errorf("supported: £%v %q %v", c.Weekly[sup], c.Source[sup], c.Inflation[sup])
	}
	if c.Weekly[home] != 0 || c.Source[home] != CostGiven {
		t.Errorf("children's home given 0: £%v %q", c.Weekly[home], c.Source[home])
	}
	if !slices.Equal(c.Budget, []float64{52000000, 54000000, 0}) {
		t.Errorf("budget %v", c.Budget)
	}
	for _, o := range []ForecastOptions{
		{Cost: "supported"}, {Cost: "supported=lots"}, {Cost: "flats=100"}, {Cost: "supported=1,"},
		{Inflation: "supported:0.05"}, {Budget: "-1"}, {Budget: "1,,2"}, {Budget: "£5m"},
	} {
		if _, err := ForecastCosts(m, nil, o); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%+v: %v; want EINVALID", o, err)
		} else if (o.Cost != "" || o.Inflation != "") && !strings.Contains(err.Error(), "childrens_home") {
			t.Errorf("%+v: %v does not list the groups", o, err)
		}
	}
}

func TestLatestYear(t *testing.T) {
	for in, want := range map[string]int{
		"2019": 2019, "2023-24": 2023, "2016-2020": 2020, "2020 (interim report Oct 2021)": 2021,
		"": 0, "1899": 0, "1901": 1901, "2199": 2199, "2200": 0, "Q3 21": 0, "20245": 2024,
	} {
		if got := latestYear(in); got != want {
			t.Errorf("latestYear(%q) = %d; want %d", in, got, want)
		}
	}
	for in, want := range map[string]int{
		"2024-25": 2025, "2017-18": 2018, "1999-00": 2000, "2019": 2019, "2020 (interim report Oct 2021)": 2020,
		" 2023-24 ": 2024, "2023-25": 2023, "2016-2020": 2016, "2024-256": 2024, "": 0, "n/a": 0,
	} {
		if got := priceYear(in); got != want {
			t.Errorf("priceYear(%q) = %d; want %d", in, got, want)
		}
	}
	if v, ok := referenceSeriesValue("CCN: average weekly cost of a residential placement (county councils)", 2019); !ok || v != 3935 {
		t.Errorf("CCN 2019 = %v, %v; want 3935", v, ok)
	}
	if v, ok := referenceSeriesValue("CCN: average weekly cost of a residential placement (county councils)", 2024); !ok || v != 6108 {
		t.Errorf("CCN 2024 = %v, %v; want 6108", v, ok)
	}
	if _, ok := referenceSeriesValue("CCN: average weekly cost of a residential placement (county councils)", 2020); ok {
		t.Error("CCN 2020 found; the series has 2019 and 2024")
	}
	if _, ok := referenceSeriesValue("no such metric", 0); ok {
		t.Error("an unknown metric found")
	}
}

// memForecasts is a ForecastStore keeping what it is given.
type memForecasts struct {
	store.ForecastStore
	saved []store.SavedForecast
}

func (m *memForecasts) SaveForecast(ctx context.Context, f store.SavedForecast) (store.SavedForecast, error) {
	f.ID = int64(len(m.saved) + 1)
	m.saved = append(m.saved, f)
	return f, nil
}

func TestSaveForecast(t *testing.T) {
	ch, ep := fixtureChildren()
	now := time.Date(2025, 4, 2, 10, 30, 0, 0, time.FixedZone("BST", 3600))
	for _, mode := range []string{forecast.ModeSimulate, forecast.ModeMarkov} {
		rec, err := Forecast(context.Background(), ch, ep, ForecastOptions{Region: "North East", Config: forecast.Config{Origin: care.Date(2025, 3, 31)}, Mode: mode, Years: 1, Sims: 2, Seed: 42})
		if err != nil {
			t.Fatal(err)
		}
		fst := &memForecasts{}
		sf, err := SaveForecast(context.Background(), fst, rec, "ana", now)
		if err != nil {
			t.Fatal(err)
		}
		if sf.ID != 1 || sf.Actor != "ana" || sf.Mode != mode || sf.Scope != "North East" || !sf.Origin.Equal(care.Date(2025, 3, 31)) ||
			!sf.ReferenceStart.Equal(care.Date(2023, 3, 31)) || !sf.ReferenceEnd.Equal(care.Date(2025, 3, 31)) || sf.Years != 1 || len(sf.InputsDigest) != 64 {
			t.Errorf("%s: saved %+v", mode, sf)
		}
		if want := int64(42); (mode == forecast.ModeSimulate) != (sf.Seed == want) {
			t.Errorf("%s: seed %d", mode, sf.Seed)
		}
		if !rec.Made.Equal(now) || rec.Made.Location() != time.UTC || rec.Actor != "ana" {
			t.Errorf("record made %v by %q; want %v in UTC by ana", rec.Made, rec.Actor, now)
		}
		back, err := forecast.DecodeRecord(sf.Record)
		if err != nil || back.Actor != "ana" || back.Mode != mode {
			t.Errorf("stored record: %v", err)
		}
		// A record whose dates cannot be read is not saved.
		for _, req := range []forecast.Request{{Origin: "31/03/2025"}, {Origin: "2025-03-31", ReferenceEnd: "soon"}, {Origin: "2025-03-31", ReferenceStart: "soon"}} {
			bad := *rec
			bad.Request = req
			fst := &memForecasts{}
			if _, err := SaveForecast(context.Background(), fst, &bad, "ana", now); err == nil || len(fst.saved) != 0 {
				t.Errorf("request %+v: %v; want an error and nothing saved", req, err)
			}
		}
	}
}

func TestForecastScope(t *testing.T) {
	for _, tc := range []struct {
		r    forecast.Request
		want string
	}{
		{forecast.Request{Region: "North East", LA: "E06000001"}, "North East"},
		{forecast.Request{LA: "E06000001,E06000002"}, "E06000001,E06000002"},
		{forecast.Request{}, "all"},
	} {
		if got := ForecastScope(tc.r); got != tc.want {
			t.Errorf("ForecastScope(%+v) = %q; want %q", tc.r, got, tc.want)
		}
	}
	if dateText(time.Time{}) != "" || dateText(care.Date(2024, 2, 29)) != "2024-02-29" {
		t.Error("dateText")
	}
}

func TestWriteForecastList(t *testing.T) {
	at := time.Date(2025, 4, 2, 9, 5, 0, 0, time.UTC)
	saved := []store.SavedForecast{
		{ID: 1, At: at, Actor: "ana", Mode: forecast.ModeSimulate, Scope: "North East", Councils: []string{hartlepool, middlesbrough},
			Origin: care.Date(2025, 3, 31), Years: 3, Sims: 200, Seed: 42, ReferenceStart: care.Date(2023, 3, 31), ReferenceEnd: care.Date(2025, 3, 31),
			ModelVersion: "childsim-3", InputsDigest: strings.Repeat("ab", 32)},
		{ID: 2, At: at.Add(time.Hour), Actor: "bo", Mode: forecast.ModeMarkov, Scope: strings.Repeat("x", 41),
			Origin: care.Date(2025, 3, 31), Years: 1, Sims: 9, Seed: 9, ModelVersion: "markov-2", InputsDigest: "abc"},
	}
	var buf bytes.Buffer
	if err := WriteForecastList(&buf, "text", saved); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "id  saved (UTC)") {
		t.Fatalf("text:\n%s", buf.String())
	}
	f1, f2 := strings.Fields(lines[1]), strings.Fields(lines[2])
	// id, saved date and time, by, mode, scope (2 words), origin, years, sims, seed, window (3 words), model, inputs
	want1 := []string{"1", "2025-04-02", "09:05:00", "ana", "simulate", "North", "East", "2025-03-31", "3", "200", "42", "2023-03-31", "to", "2025-03-31", "childsim-3", strings.Repeat("ab", 6)}
	if !slices.Equal(f1, want1) {
		t.Errorf("line 1 %q; want %q", f1, want1)
	}
	// A markov forecast has no simulations or seed; no window; a scope of
	// 41 characters cut to 40; a short digest whole.
	want2 := []string{"2", "2025-04-02", "10:05:00", "bo", "markov", strings.Repeat("x", 37) + "...", "2025-03-31", "1", "-", "-", "-", "markov-2", "abc"}
	if !slices.Equal(f2, want2) {
		t.Errorf("line 2 %q; want %q", f2, want2)
	}
	saved[1].Scope = strings.Repeat("x", 40)
	buf.Reset()
	WriteForecastList(&buf, "text", saved)
	if !strings.Contains(buf.String(), " "+strings.Repeat("x", 40)+" ") {
		t.Errorf("a scope of 40 characters cut:\n%s", buf.String())
	}

	buf.Reset()
	if err := WriteForecastList(&buf, "csv", saved[:1]); err != nil {
		t.Fatal(err)
	}
	wantCSV := "id,saved_at,actor,mode,scope,councils,origin,years,sims,seed,reference_start,reference_end,model_version,inputs_sha256\r\n" +
		"1,2025-04-02T09:05:00Z,ana,simulate,North East,E06000001 E06000002,2025-03-31,3,200,42,2023-03-31,2025-03-31,childsim-3," + strings.Repeat("ab", 32) + "\r\n"
	if got := strings.ReplaceAll(buf.String(), "\r\n", "\n"); got != strings.ReplaceAll(wantCSV, "\r\n", "\n") {
		t.Errorf("csv:\n%q\nwant\n%q", buf.String(), wantCSV)
	}

	buf.Reset()
	if err := WriteForecastList(&buf, "json", saved[1:]); err != nil {
		t.Fatal(err)
	}
	var got []savedForecastLine
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != 2 || got[0].Councils == nil || len(got[0].Councils) != 0 || got[0].ReferenceStart != "" || got[0].SavedAt != "2025-04-02T10:05:00Z" {
		t.Errorf("json %+v", got)
	}
	buf.Reset()
	WriteForecastList(&buf, "json", nil)
	if strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("json of none: %q; want []", buf.String())
	}
}

func TestLoadImported(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough)
	tests := []struct {
		name, la, region string
		children         int
		years            []int
		code             string
	}{
		{"All", "", "", 5, nil, ""}, // Middlesbrough has no year stored: none common
		{"AllByWord", "ALL", "", 5, nil, ""},
		{"OneByName", "Hartlepool", "", 3, []int{2025}, ""},
		{"TwoByCode", "805,E06000002", "", 5, nil, ""},
		{"Region", "", "North East", 5, nil, ""},
		{"RegionNothingLoaded", "", "London", 0, nil, care.ENOTFOUND},
		{"UnknownRegion", "", "Atlantis", 0, nil, care.ENOTFOUND},
		{"UnknownCouncil", "Atlantis", "", 0, nil, care.EINVALID},
		{"NotLoaded", "E06000003", "", 0, nil, care.ENOTFOUND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch, ep, years, err := loadImported(st, tc.la, tc.region)
			if tc.code != "" {
				if care.ErrorCode(err) != tc.code || ch != nil {
					t.Fatalf("LoadImported = %d children, %v; want %s", len(ch), err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ch) != tc.children || len(ep) < tc.children || !slices.Equal(years, tc.years) {
				t.Errorf("%d children, %d episodes, years %v; want %d children, years %v", len(ch), len(ep), years, tc.children, tc.years)
			}
		})
	}
	if _, _, _, err := loadImported(openFixture(t), "", ""); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("empty store: %v; want ENOTFOUND", err)
	}
}

func TestReferralsFrom(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough)
	// Placement starts: m1 on 1 January 2024, m2 on 1 February 2024, h2 on
	// 1 June 2024; the period's ends are inclusive.
	for _, tc := range []struct {
		from, to time.Time
		want     int
	}{
		{care.Date(2024, 1, 1), care.Date(2024, 2, 1), 2},
		{care.Date(2024, 1, 2), care.Date(2024, 1, 31), 0},
		{care.Date(2024, 1, 1), care.Date(2024, 12, 31), 3},
		{care.Date(2024, 6, 1), care.Date(2024, 6, 1), 1},
	} {
		refs, err := ReferralsFrom(ctx(), st, tc.from, tc.to)
		if tc.want == 0 {
			if care.ErrorCode(err) != care.ENOTFOUND || !strings.Contains(err.Error(), "between 2024-01-02 and 2024-01-31") {
				t.Errorf("%v to %v: %v; want ENOTFOUND naming the dates", tc.from, tc.to, err)
			}
			continue
		}
		if err != nil || len(refs) != tc.want {
			t.Errorf("%v to %v: %d referrals, %v; want %d", tc.from.Format(time.DateOnly), tc.to.Format(time.DateOnly), len(refs), err, tc.want)
		}
	}
}

// TestOutcomeYear: a picture at 31 March 2025 counts referrals sent from
// 1 April 2024 up to the end of 31 March 2025; at 29 February, from
// 1 March a year before.
func TestOutcomeYear(t *testing.T) {
	for _, tc := range []struct{ at, from, to time.Time }{
		{care.Date(2025, 3, 31), care.Date(2024, 4, 1), care.Date(2025, 4, 1)},
		{care.Date(2024, 2, 29), care.Date(2023, 3, 1), care.Date(2024, 3, 1)},
		{care.Date(2024, 12, 31), care.Date(2024, 1, 1), care.Date(2025, 1, 1)},
	} {
		from, to := OutcomeYear(tc.at)
		if !from.Equal(tc.from) || !to.Equal(tc.to) {
			t.Errorf("OutcomeYear(%s) = %s, %s; want %s, %s", tc.at.Format(time.DateOnly), from.Format(time.DateOnly), to.Format(time.DateOnly), tc.from.Format(time.DateOnly), tc.to.Format(time.DateOnly))
		}
	}
}

func TestReferralOutcomesWithoutReferrals(t *testing.T) {
	st := openFixture(t, hartlepool)
	// No council: nothing asked.
	if tables, err := ReferralOutcomes(ctx(), st.Store.(store.Store), "Hartlepool", nil, care.Date(2025, 3, 31), true); err != nil || tables != nil {
		t.Errorf("no councils: %v, %v", tables, err)
	}
	// A store with the workflow but no referral sent: the picture is unchanged.
	if tables, err := ReferralOutcomes(ctx(), st.Store.(store.Store), "Hartlepool", []string{hartlepool}, care.Date(2025, 3, 31), true); err != nil || tables != nil {
		t.Errorf("no referrals: %v, %v", tables, err)
	}
	idx, err := SupplyIndex(ctx(), st.Store.(store.Store))
	if err != nil || idx == nil {
		t.Errorf("SupplyIndex of an empty supply: %v, %v", idx, err)
	}
}

func TestPublishedMeasures(t *testing.T) {
	if m := PublishedMeasures("E99999999", 2025); m != nil {
		t.Errorf("unknown council: %v; want nil", m)
	}
	if m := PublishedMeasures(hartlepool, 1990); m != nil {
		t.Errorf("a year before the series: %v; want nil", m)
	}
	p, ok := refdata.PlacementMix(hartlepool, 2024)
	if !ok {
		t.Skip("no published placement mix for Hartlepool 2024")
	}
	tot, have := refdata.CLATotalsFor(hartlepool, 2024)
	got := PublishedMeasures(hartlepool, 2024)
	want := mixValues(p, tot, have)
	if len(got) == 0 || len(got) != len(want) {
		t.Fatalf("PublishedMeasures = %v; want %v", got, want)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || (g != v && !(math.IsNaN(g) && math.IsNaN(v))) {
			t.Errorf("%s = %v; want %v", k, g, v)
		}
	}
}

// TestEmbeddedPublished: every council with published totals and England,
// the digest fixed by the figures (the same twice).
func TestEmbeddedPublished(t *testing.T) {
	p, digest, err := EmbeddedPublished()
	if err != nil {
		t.Fatal(err)
	}
	_, again, _ := EmbeddedPublished()
	if len(digest) != 64 || digest != again || p == nil {
		t.Fatalf("digest %q then %q", digest, again)
	}
	withTotals := 0
	for _, c := range refdata.Councils() {
		if len(refdata.CLATotals(c.Code)) > 0 {
			withTotals++
		}
	}
	if withTotals < 150 {
		t.Fatalf("%d councils have published totals", withTotals)
	}
}
