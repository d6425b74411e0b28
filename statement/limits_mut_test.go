package statement

import (
	"strings"
	"testing"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/tabular"
)

// The statement's limits, each on the limit, one below and one above: the
// suppression policy (tabular.SuppressionRule: counts of 1 to 4 hidden, 0 and
// 5 shown, and a share hidden with the counts it rests on), the collection
// year (1 April to 31 March), the care leavers of OC3 (aged 17 to 21 on 31
// March), whole pounds.

// TestCountSuppressesOneToFour pins the policy's "counts of 1 to 4": in a
// published statement 1 and 4 are "fewer than 5", 0 and 5 are written; not
// suppressing, every count is written.
func TestCountSuppressesOneToFour(t *testing.T) {
	pub, raw := words{suppress: true}, words{}
	for n, want := range map[int]string{-1: "-1", 0: "0", 1: "fewer than 5", 2: "fewer than 5", 4: "fewer than 5", 5: "5", 6: "6", 1234: "1,234"} {
		if got := pub.count(n); got != want {
			t.Errorf("published count(%d) = %q; want %q", n, got, want)
		}
		if got := pub.hidden(n); got != (want == "fewer than 5") {
			t.Errorf("published hidden(%d) = %v", n, got)
		}
		if raw.hidden(n) {
			t.Errorf("unsuppressed hidden(%d)", n)
		}
	}
	if got := raw.count(4); got != "4" {
		t.Errorf("unsuppressed count(4) = %q", got)
	}
}

// TestShareLimits pins a share's suppression: no share of a whole of 0; in a
// published statement none when the part, the whole or the rest (whole −
// part) is 1 to 4, one when each is 0 or at least 5.
func TestShareLimits(t *testing.T) {
	pub, raw := words{suppress: true}, words{}
	for _, c := range []struct {
		part, whole int
		want        string // "" for no share
	}{
		{0, 0, ""}, {5, 10, "50.0%"}, {4, 10, ""}, {6, 10, ""}, {5, 9, ""}, {0, 10, "0.0%"}, {10, 10, "100.0%"},
		{5, 4, ""}, {1, 20, ""}, {16, 20, ""}, {15, 20, "75.0%"}, {0, 5, "0.0%"}, {5, 5, "100.0%"},
	} {
		got, ok := pub.share(c.part, c.whole)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("published share(%d, %d) = %q, %v; want %q", c.part, c.whole, got, ok, c.want)
		}
	}
	if got, ok := raw.share(4, 10); got != "40.0%" || !ok {
		t.Errorf("unsuppressed share(4, 10) = %q, %v", got, ok)
	}
	if _, ok := raw.share(0, 0); ok {
		t.Error("a share of a whole of 0")
	}
	// a whole of 0 has no share to tell, not even "fewer than 5"
	if s := pub.shareSentence("live here", 3, 0, nil); s != "" {
		t.Errorf("a sentence of 3 out of 0: %q", s)
	}
	if s := pub.shareSentence("live here", 3, 10, nil); s != "Fewer than 5 children live here." {
		t.Errorf("a sentence of 3 out of 10: %q", s)
	}
}

// TestPoundsWhole pins money in sentences: whole pounds, a minus sign only
// below −£0.50 (−£0.40 is £0).
func TestPoundsWhole(t *testing.T) {
	for v, want := range map[float64]string{0: "£0", -0.4: "£0", -0.5: "-£1", -1: "-£1", 0.5: "£1", 1234.4: "£1,234"} {
		if got := pounds(v); got != want {
			t.Errorf("pounds(%v) = %q; want %q", v, got, want)
		}
	}
}

// TestCollectionYearEdges pins the collection year, 1 April to 31 March:
// 31 March is in the year ending that day, 1 April in the next; the year
// ends between two dates start from the first 31 March on or after the first.
func TestCollectionYearEdges(t *testing.T) {
	d := care.Date
	for at, want := range map[time.Time]int{d(2025, 3, 31): 2025, d(2025, 4, 1): 2026, d(2024, 2, 29): 2024, d(2024, 12, 31): 2025} {
		if got := collectionYear(at); got != want {
			t.Errorf("collectionYear(%s) = %d; want %d", at.Format(time.DateOnly), got, want)
		}
	}
	for _, c := range []struct {
		first time.Time
		want  []time.Time
	}{
		{d(2023, 3, 31), []time.Time{d(2023, 3, 31), d(2024, 3, 31), d(2025, 3, 31)}},
		{d(2023, 4, 1), []time.Time{d(2024, 3, 31), d(2025, 3, 31)}},
		{d(2023, 3, 30), []time.Time{d(2023, 3, 31), d(2024, 3, 31), d(2025, 3, 31)}},
	} {
		got := yearEnds(c.first, d(2025, 3, 31))
		if len(got) != len(c.want) {
			t.Errorf("yearEnds from %s: %v; want %v", c.first.Format(time.DateOnly), got, c.want)
			continue
		}
		for i := range got {
			if !got[i].Equal(c.want[i]) {
				t.Errorf("yearEnds from %s: %v; want %v", c.first.Format(time.DateOnly), got, c.want)
				break
			}
		}
	}
}

// TestLeaversAgedSeventeenToTwentyOne pins OC3's care leavers: those aged
// 17 to 21 on 31 March of the year (the DfE's cohort), on their 17th birthday
// counted, a day short of it not; on their 22nd birthday not, a day short of
// it counted at 21.
func TestLeaversAgedSeventeenToTwentyOne(t *testing.T) {
	d := care.Date
	tab := &ssda903.Table{Name: ssda903.OC3}
	for i, dob := range []time.Time{d(2008, 4, 1), d(2008, 3, 31), d(2003, 4, 1), d(2003, 3, 31)} {
		tab.Rows = append(tab.Rows, ssda903.Row{Values: []string{string(rune('A' + i)), dob.Format("02/01/2006"), "YES", "F1", "S"}})
	}
	l := &Leavers{Year: 2025, Accommodation: map[string]int{}}
	l.addOC3(tab, 2025)
	var got [5]int
	for i, f := range l.ByAge {
		got[i] = f.All
	}
	if got != [5]int{1, 0, 0, 0, 1} {
		t.Errorf("leavers by age 17–21: %v; want one aged 17 (born 31 March 2008) and one aged 21 (born 1 April 2003)", got)
	}
}

// changesOf runs the "what changed over the year" section on children placed
// in placement now (at 31 March 2025) and before (a year earlier), every
// child born on dob.
func changesOf(t *testing.T, now, before map[string]int, dob time.Time) (*tabular.Table, string) {
	t.Helper()
	at := care.Date(2025, 3, 31)
	yearAgo := at.AddDate(-1, 0, 0)
	kids := map[childKey]care.Child{}
	fill := func(counts map[string]int, tag string) map[childKey]care.Episode {
		out := map[childKey]care.Episode{}
		for code, n := range counts {
			for i := 0; i < n; i++ {
				k := childKey{"E06000001", tag + code + string(rune('a'+i))}
				kids[k] = care.Child{Council: k.council, ID: k.id, DOB: dob}
				out[k] = care.Episode{Council: k.council, ChildID: k.id, Start: yearAgo.AddDate(-1, 0, 0), Placement: care.PlacementType(code)}
			}
		}
		return out
	}
	n, a := fill(now, "n"), fill(before, "b")
	c := &composer{r: &Report{}, in: Input{At: at}}
	c.section("changes", "Changes")
	c.changes(n, a, kids, yearAgo, "test")
	var tab *tabular.Table
	var text string
	for _, b := range c.sec.Blocks {
		if b.Table != nil {
			tab = b.Table
		}
		text += b.Text
	}
	if tab == nil {
		t.Fatal("no table")
	}
	return tab, text
}

// TestChangesKindsOfPlacement pins which rows of "what changed over the
// year" are kinds of placement for the sentence on the fastest-growing one:
// foster care (the first kind) and placed for adoption (the last) are, all
// children in care and those aged 16 and over are not.
func TestChangesKindsOfPlacement(t *testing.T) {
	dob := care.Date(2015, 6, 1)
	if _, text := changesOf(t, map[string]int{"U4": 20}, map[string]int{"U4": 10}, dob); !strings.Contains(text, "is living with foster carers: 20 children, 10 more") {
		t.Errorf("foster care grew by 10: %q", text)
	}
	if _, text := changesOf(t, map[string]int{"A3": 20, "U4": 5}, map[string]int{"A3": 10, "U4": 5}, dob); !strings.Contains(text, "is placed for adoption: 20 children, 10 more") {
		t.Errorf("placed for adoption grew by 10: %q", text)
	}
}

// TestChangesAgedSixteenOnBirthday pins the row "Aged 16 and over": a child
// whose 16th birthday is the day counted is 16 (care.AgeOn), a day short of
// it is not.
func TestChangesAgedSixteenOnBirthday(t *testing.T) {
	for dob, want := range map[time.Time]int{care.Date(2009, 3, 31): 7, care.Date(2009, 4, 1): 0} {
		tab, _ := changesOf(t, map[string]int{"U4": 7}, map[string]int{"U4": 7}, dob)
		for _, r := range tab.Rows {
			if r[0] == "Aged 16 and over" && r[2] != want {
				t.Errorf("born %s: %v aged 16 and over on 31 March 2025; want %d", dob.Format(time.DateOnly), r[2], want)
			}
		}
	}
}

// TestRateAndTrendSentenceLimits pins when the sentences are written: a rate
// per 10,000 only above 0 (0 means no population figure, not no children);
// a trend from two dates (one year) on, none from one.
func TestRateAndTrendSentenceLimits(t *testing.T) {
	if s := rateSentence(0, nil); s != "" {
		t.Errorf("a rate of 0: %q", s)
	}
	if s := rateSentence(0.1, nil); !strings.Contains(s, "0.1 children in care for every 10,000") {
		t.Errorf("a rate of 0.1: %q", s)
	}
	d := care.Date
	w := words{}
	if s := w.trendSentence(Trend{Dates: []time.Time{d(2025, 3, 31)}, Counts: []int{10}}); s != "" {
		t.Errorf("one date: %q", s)
	}
	if s := w.trendSentence(Trend{Dates: []time.Time{d(2024, 3, 31), d(2025, 3, 31)}, Counts: []int{10, 12}}); s != "Over the year from 31 March 2024 to 31 March 2025 the number of children in care rose from 10 to 12." {
		t.Errorf("two dates: %q", s)
	}
}

// TestForecastSentenceIntervalEnds pins what the forecast sentences say of
// the 80% interval: only an interval wholly above (or below) today's number
// rules out the other direction; one whose end is today's number includes
// it. A region's sentence (more than one council) says its interval is a
// sum; a council's does not.
func TestForecastSentenceIntervalEnds(t *testing.T) {
	for _, c := range []struct {
		low, high float64
		says      string
	}{
		{101, 130, "even the low end of the interval is above"},
		{100, 130, "includes today's number"},
		{70, 99, "even the high end of the interval is below"},
		{70, 100, "includes today's number"},
	} {
		s := forecastSentence("Somewhere", ForecastFact{Now: 100, Year: 2027, Median: (c.low + c.high) / 2, Low: c.low, High: c.high, Councils: 1})
		if !strings.Contains(s, c.says) || strings.Contains(s, "sum of its") || !strings.HasPrefix(s, "The forecast expects") {
			t.Errorf("interval %v to %v around 100: %q; want %q", c.low, c.high, s, c.says)
		}
	}
	if s := forecastSentence("A region", ForecastFact{Now: 100, Year: 2027, Median: 110, Low: 90, High: 130, Councils: 2}); !strings.Contains(s, "sum of its 2 councils'") {
		t.Errorf("two councils: %q", s)
	}
	if s := forecastSentence("A council", ForecastFact{Now: 100, Origin: 2025, Year: 2027, Median: 110, Low: 90, High: 130, Councils: 1}); !strings.HasPrefix(s, "From the 100 published for 31 March 2025") {
		t.Errorf("from an origin: %q", s)
	}
	if s := accuracySentence(AccuracyFact{Horizon: 1, ModelMAPE: 5, NaiveMAPE: 6, Coverage80: 0.8, Forecasts: 100}); !strings.Contains(s, "made one year ahead") {
		t.Errorf("one year: %q", s)
	}
	if s := accuracySentence(AccuracyFact{Horizon: 2, ModelMAPE: 5, NaiveMAPE: 6, Coverage80: 0.8, Forecasts: 100}); !strings.Contains(s, "made 2 years ahead") {
		t.Errorf("two years: %q", s)
	}
}

// TestChildForecastSentenceIntervalEnds is the same for the child-level
// forecast's placement type that changes most: a rise whose P10 is today's
// number, or a fall whose P90 is, does not rule out the other direction.
func TestChildForecastSentenceIntervalEnds(t *testing.T) {
	end := []time.Time{care.Date(2026, 3, 31)}
	for _, c := range []struct {
		mean, p10, p90 float64
		says           string
	}{
		{120, 101, 140, "the whole interval lies on that side"},
		{120, 100, 140, "the interval includes today's number"},
		{80, 60, 99, "the whole interval lies on that side"},
		{80, 60, 100, "the interval includes today's number"},
	} {
		f := &ChildForecast{Ends: end, Groups: []ForecastRow{{Key: "k", Label: "Children's homes", Now: 100, Mean: []float64{c.mean}, P10: c.p10, P90: c.p90}}}
		if s := (words{}).childForecastSentence(f); !strings.Contains(s, c.says) {
			t.Errorf("mean %v, interval %v to %v around 100: %q; want %q", c.mean, c.p10, c.p90, s, c.says)
		}
	}
}

// TestTrendSentencePeak pins the trend's peak: told only when a year between
// the ends is above the last (12, 12 at the end is no peak), on the first
// date the peak was reached.
func TestTrendSentencePeak(t *testing.T) {
	d := care.Date
	dates := []time.Time{d(2022, 3, 31), d(2023, 3, 31), d(2024, 3, 31), d(2025, 3, 31)}
	w := words{}
	for _, c := range []struct {
		counts []int
		says   string // "" for no peak
	}{
		{[]int{10, 12, 12, 12}, ""},
		{[]int{10, 13, 12, 12}, ", having peaked at 13 on 31 March 2023."},
		{[]int{10, 13, 13, 12}, ", having peaked at 13 on 31 March 2023."},
		{[]int{10, 11, 12, 13}, ""},
	} {
		s := w.trendSentence(Trend{Dates: dates, Counts: c.counts})
		if c.says == "" && strings.Contains(s, "peaked") || c.says != "" && !strings.HasSuffix(s, c.says) {
			t.Errorf("%v: %q; want %q", c.counts, s, c.says)
		}
	}
}

// TestForecastSectionSumNote pins the forecast table's note that a region's
// figures are the sum of its councils' forecasts: on two councils' table, not
// on one council's.
func TestForecastSectionSumNote(t *testing.T) {
	for _, councils := range [][]string{{"E06000001"}, {"E06000001", "E06000002"}} {
		var ps []Projection
		for _, code := range councils {
			ps = append(ps, Projection{Code: code, Year: 2026, Last: 100, Median: 110, P10: 90, P90: 130})
		}
		c := &composer{r: &Report{}, in: Input{Scope: analysis.Scope{Councils: councils}, Forecasts: &Forecasts{ModelVersion: "m", Origin: 2025, Years: 1, Projections: ps}}}
		c.section("forecast", "Forecast")
		c.forecastSection(ForecastFact{Now: 100, Origin: 2025, Year: 2026, Median: 110, Low: 90, High: 130, Councils: len(councils)})
		noted := false
		for _, b := range c.sec.Blocks {
			if b.Table != nil && strings.HasSuffix(b.Table.Title, "Forecast of children in care at 31 March") {
				noted = strings.Contains(strings.Join(b.Table.Notes, " "), "The sum of")
			}
		}
		if noted != (len(councils) > 1) {
			t.Errorf("%d council(s): note of a sum %v", len(councils), noted)
		}
	}
}
