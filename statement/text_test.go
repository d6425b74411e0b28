package statement

import (
	"math"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/tabular"
	"sufficiency/workflow"
)

// Each sentence is tested with hand-made figures on both sides of what it
// claims (and at the boundary), so that it cannot say "rose" of a fall,
// "above" of a lower figure, or give a count that publication suppresses.

func check(t *testing.T, name, got string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q does not say %q", name, got, w)
		}
	}
	for _, n := range not {
		if strings.Contains(got, n) {
			t.Errorf("%s: %q says %q", name, got, n)
		}
	}
}

func TestHeadlineFlipsWithTheChange(t *testing.T) {
	at := care.Date(2025, time.March, 31)
	w := words{suppress: true}
	cases := []struct {
		name        string
		now, before int
		have        bool
		want, not   []string
	}{
		{"rise", 499, 475, true, []string{"looked after 499 children", "24 more (a rise of 5.1%) than a year earlier (475)"}, []string{"fewer", "fall"}},
		{"fall", 475, 499, true, []string{"24 fewer (a fall of 4.8%) than a year earlier (499)"}, []string{"more", "rise"}},
		{"same", 300, 300, true, []string{"the same number as a year earlier (300)"}, []string{"more", "fewer"}},
		{"small rise suppressed", 103, 100, true, []string{"fewer than 5 more than a year earlier"}, []string{"3 more", "rise of"}},
		{"no earlier year", 300, 0, false, []string{"looked after 300 children."}, []string{"year earlier"}},
		{"few children", 3, 6, true, []string{"looked after fewer than 5 children"}, []string{"looked after 3"}},
	}
	for _, c := range cases {
		check(t, c.name, w.headline("Gateshead", at, c.now, c.before, c.have), c.want, c.not)
	}
	if got := (words{}).headline("Gateshead", at, 103, 100, true); !strings.Contains(got, "3 more (a rise of 3.0%)") {
		t.Errorf("unsuppressed: %q", got)
	}
}

func TestRateSentenceAboveBelowSame(t *testing.T) {
	cs := []Comparison{{Name: "the average of its statistical neighbours", Value: 106.4}, {Name: "England", Value: 67}}
	check(t, "above both", rateSentence(123.5, cs), []string{"123.5 children in care for every 10,000", "above the average of its statistical neighbours (106.4)", "above England (67.0)"}, []string{"below"})
	check(t, "between", rateSentence(80, cs), []string{"below the average of its statistical neighbours (106.4)", "above England (67.0)"}, nil)
	check(t, "below both", rateSentence(50, cs), []string{"below the average", "below England"}, []string{"above"})
	check(t, "same at one decimal", rateSentence(67.04, cs[1:]), []string{"the same as England (67.0)"}, []string{"above", "below"})
	check(t, "just above", rateSentence(67.06, cs[1:]), []string{"above England (67.0)"}, nil)
	check(t, "missing comparator", rateSentence(70, []Comparison{{Name: "England", Value: math.NaN()}}), []string{"70.0 children"}, []string{"England"})
	if rateSentence(0, cs) != "" {
		t.Error("a rate of 0 (population unknown) should leave the sentence out")
	}
}

func TestTrendSentence(t *testing.T) {
	d := func(y int) time.Time { return care.Date(y, time.March, 31) }
	w := words{suppress: true}
	check(t, "rose", w.trendSentence(Trend{Dates: []time.Time{d(2015), d(2020), d(2025)}, Counts: []int{341, 400, 499}}),
		[]string{"Over the 2 years", "rose from 341 to 499"}, []string{"fell", "peaked"})
	check(t, "fell after a peak", w.trendSentence(Trend{Dates: []time.Time{d(2015), d(2020), d(2025)}, Counts: []int{341, 523, 300}}),
		[]string{"fell from 341 to 300", "having peaked at 523 on 31 March 2020"}, []string{"rose"})
	check(t, "rose after a peak", w.trendSentence(Trend{Dates: []time.Time{d(2015), d(2020), d(2025)}, Counts: []int{341, 523, 499}}),
		[]string{"rose from 341 to 499", "having peaked at 523"}, nil)
	check(t, "flat", w.trendSentence(Trend{Dates: []time.Time{d(2024), d(2025)}, Counts: []int{50, 50}}),
		[]string{"Over the year from", "was 50 at both ends"}, []string{"rose", "fell"})
	if w.trendSentence(Trend{Dates: []time.Time{d(2025)}, Counts: []int{50}}) != "" {
		t.Error("one date is no trend")
	}
}

func TestGrowthSentenceNamesTheFastestGrowingNeed(t *testing.T) {
	w := words{suppress: true}
	gs := []Growth{{"Abuse or neglect", 300, 280}, {"Family dysfunction", 90, 60}, {"Absent parenting", 20, 40}}
	check(t, "fastest", w.growthSentence("need", gs), []string{"The need growing fastest is family dysfunction: 90 children, 30 more"}, []string{"abuse", "absent"})
	gs[0].Now = 350
	check(t, "flipped", w.growthSentence("need", gs), []string{"is abuse or neglect: 350 children, 70 more"}, []string{"dysfunction"})
	check(t, "none grew", w.growthSentence("need", []Growth{{"A", 10, 20}, {"B", 5, 5}}), []string{"No need grew over the year."}, nil)
	check(t, "only small growth", w.growthSentence("need", []Growth{{"A", 12, 10}, {"B", 5, 5}}), []string{"No need grew by 5 or more children"}, []string{"A:"})
	check(t, "unsuppressed small growth", words{}.growthSentence("need", []Growth{{"A", 12, 10}}), []string{"is a: 12 children, 2 more"}, nil)
	check(t, "acronym kept", w.growthSentence("need", []Growth{{"UASC", 40, 20}}), []string{"is UASC"}, nil)
}

func TestShareSentence(t *testing.T) {
	w := words{suppress: true}
	eng := []Comparison{{Name: "England", Value: 44.5}}
	check(t, "below", w.shareSentence("live outside", 220, 499, eng), []string{"44.1% of children (220 of 499) live outside", "below England (44.5%)"}, nil)
	check(t, "above", w.shareSentence("live outside", 240, 499, eng), []string{"48.1%", "above England (44.5%)"}, nil)
	check(t, "suppressed part", w.shareSentence("live outside", 3, 499, eng), []string{"Fewer than 5 children live outside."}, []string{"%", "3 of"})
	check(t, "complement suppressed", w.shareSentence("live outside", 497, 499, eng), nil, []string{"497"})
	check(t, "none", w.shareSentence("live outside", 0, 60, eng), []string{"None of the 60 children live outside, below England (44.5%)."}, []string{"0.0%"})
	if w.shareSentence("x", 0, 0, nil) != "" {
		t.Error("no base: no sentence")
	}
}

func TestSupplyAndGapSentences(t *testing.T) {
	w := words{suppress: true}
	more := SupplyFact{Label: "Children's homes", Places: 55, Settings: 12, Own: 51, OwnOutside: 39, OtherPlaced: 27}
	check(t, "more places", w.supplySentence("Gateshead", more), []string{"55 registered places in children's homes, more places than the 51", "39 of those children live outside Gateshead", "at least 27"}, []string{"fewer places"})
	fewer := more
	fewer.Places = 40
	check(t, "fewer places", w.supplySentence("Gateshead", fewer), []string{"fewer places than the 51"}, []string{"more places"})
	same := more
	same.Places = 51
	check(t, "as many", w.supplySentence("Gateshead", same), []string{"as many places as the 51"}, nil)
	none := SupplyFact{Label: "Secure children's homes", Own: 2, OwnOutside: 2}
	check(t, "none registered", w.supplySentence("Gateshead", none), []string{"No registered provision of this kind (secure children's homes) is in Gateshead; fewer than 5"}, []string{" 2 "})
	fost := SupplyFact{Label: "Fostering", Places: 0, Settings: 9, Own: 386}
	check(t, "no places published", w.supplySentence("Gateshead", fost), []string{"9 settings of this kind (foster care)", "Ofsted publishes no places"}, nil)

	fs := []SupplyFact{more, {Label: "Fostering", Own: 386, OwnOutside: 153}}
	check(t, "largest gap", w.gapSentence("Gateshead", fs), []string{"largest gap is in foster care: 153"}, []string{"children's homes"})
	fs[1].OwnOutside = 20
	check(t, "gap flips", w.gapSentence("Gateshead", fs), []string{"largest gap is in children's homes: 39"}, nil)
	check(t, "no gap", w.gapSentence("Gateshead", []SupplyFact{{Label: "Children's homes", Own: 5}}), []string{"No child of Gateshead"}, []string{"largest"})
}

func TestPriceSentence(t *testing.T) {
	check(t, "rose", priceSentence("private children's home", 3.6, 6229, 6015, true), []string{"rose by 3.6%, from £6,015 to £6,229"}, []string{"fell"})
	check(t, "fell", priceSentence("private children's home", -2.5, 5865, 6015, true), []string{"fell by 2.5%, from £6,015 to £5,865"}, []string{"rose"})
	check(t, "flat", priceSentence("x", 0.04, 100, 100, true), []string{"did not change"}, []string{"rose", "fell"})
	if priceSentence("x", 5, 1, 1, false) != "" {
		t.Error("an unknown growth should leave the sentence out")
	}
}

func TestForecastSentence(t *testing.T) {
	base := ForecastFact{Now: 503, Origin: 2025, Year: 2030, Median: 481, Low: 402, High: 602, Councils: 1}
	check(t, "fall, interval spans", forecastSentence("Gateshead", base),
		[]string{"From the 503 published for 31 March 2025", "to fall to about 481 by 31 March 2030", "(80% interval 402 to 602)", "a rise or a fall are both possible"}, []string{"rise to", "even the"})
	up := base
	up.Median, up.Low, up.High = 620, 560, 700
	check(t, "rise, above", forecastSentence("Gateshead", up), []string{"to rise to about 620", "even the low end of the interval is above today's number"}, []string{"fall to", "both possible"})
	down := base
	down.Median, down.Low, down.High = 400, 350, 450
	check(t, "fall, below", forecastSentence("Gateshead", down), []string{"to fall to about 400", "even the high end of the interval is below"}, []string{"both possible"})
	flat := base
	flat.Median = 503.2
	check(t, "flat", forecastSentence("Gateshead", flat), []string{"to stay at about 503"}, []string{"rise to", "fall to"})
	region := base
	region.Councils = 12
	check(t, "region", forecastSentence("North East", region), []string{"sum of its 12 councils' medians"}, nil)
	if forecastSentence("x", ForecastFact{}) != "" {
		t.Error("no forecast: no sentence")
	}
}

func TestAccuracySentence(t *testing.T) {
	a := AccuracyFact{Horizon: 1, ModelMAPE: 5.81, NaiveMAPE: 5.88, Coverage80: 0.802, Forecasts: 1614}
	check(t, "better", accuracySentence(a), []string{"1,614 past forecasts made one year ahead", "5.8% away", "better than assuming no change (5.9%)", "held the outcome 80.2% of the time"}, []string{"worse"})
	a.ModelMAPE = 6.2
	check(t, "worse", accuracySentence(a), []string{"worse than assuming no change"}, []string{"better"})
	a.ModelMAPE, a.Horizon = 5.88, 3
	check(t, "same", accuracySentence(a), []string{"3 years ahead", "the same as assuming no change"}, []string{"better", "worse"})
}

func TestLeaverSentences(t *testing.T) {
	w := words{suppress: true}
	young := LeaverFact{Label: "aged 17 and 18", All: 100, Suitable: 90, EET: 60}
	old := LeaverFact{Label: "aged 19 to 21", All: 200, Suitable: 160, EET: 100}
	check(t, "shares", w.leaverSentence(2025, young), []string{"Of the 100 care leavers aged 17 and 18 in the year to 31 March 2025", "90.0% were in suitable accommodation", "60.0% were in education"}, nil)
	check(t, "older fewer", w.leaverCompare(young, old), []string{"Fewer of the older care leavers", "50.0% of those aged 19 to 21 against 60.0%"}, []string{"More of"})
	old.EET = 130
	check(t, "older more", w.leaverCompare(young, old), []string{"More of the older care leavers", "65.0%"}, []string{"Fewer of"})
	old.EET = 120
	check(t, "same", w.leaverCompare(young, old), []string{"The same share"}, nil)
	small := LeaverFact{Label: "aged 17 to 21", All: 3, Suitable: 2, EET: 1}
	check(t, "small", w.leaverSentence(2025, small), []string{"fewer than 5 care leavers", "too small to give shares"}, []string{"%"})
}

func TestMarkdownIntentions(t *testing.T) {
	md := "# Our intentions\n\nWe will **open** two homes\nin Gateshead by 2027.\n\n- Grow in-house fostering by 20 households (owner: *Head of Service*)\n- Block contract: [framework](https://example.org)\n\n<script>alert(1)</script>\n"
	bs := parseMarkdown(md)
	if len(bs) != 4 {
		t.Fatalf("got %d blocks: %+v", len(bs), bs)
	}
	if bs[0].Kind != Heading || bs[0].Text != "Our intentions" {
		t.Errorf("heading: %+v", bs[0])
	}
	if bs[1].Kind != Quote || bs[1].Text != "We will open two homes in Gateshead by 2027." {
		t.Errorf("paragraph: %+v", bs[1])
	}
	if bs[2].Kind != List || len(bs[2].Items) != 2 || bs[2].Items[0] != "Grow in-house fostering by 20 households (owner: Head of Service)" || bs[2].Items[1] != "Block contract: framework (https://example.org)" {
		t.Errorf("list: %+v", bs[2])
	}
	if bs[3].Text != "<script>alert(1)</script>" {
		t.Errorf("raw HTML kept as text (the writers escape it): %+v", bs[3])
	}
}

func TestCellsReadAsPeopleReadNumbers(t *testing.T) {
	cases := []struct {
		col  tabular.Column
		v    any
		want string
	}{
		{tabular.Column{Kind: tabular.Count}, 5994, "5,994"},
		{tabular.Column{Kind: tabular.Count}, 542710, "542,710"},
		{tabular.Column{Kind: tabular.Count}, 999, "999"},
		{tabular.Column{Kind: tabular.Count}, "c", "c"},
		{tabular.Column{Kind: tabular.Rate}, 110.44, "110.4"},
		{tabular.Column{Kind: tabular.Number}, 1234.5, "1,234.5"},
		{tabular.Column{Kind: tabular.Number}, -1234.0, "-1,234"},
		{tabular.Column{Kind: tabular.Money}, care.Pence(123456789), "£1,234,568"},
		{tabular.Column{}, "2015", "2015"},
	}
	for _, c := range cases {
		if got := cell(c.col, c.v); got != c.want {
			t.Errorf("cell(%v, %v) = %q, want %q", c.col.Kind, c.v, got, c.want)
		}
	}
}

func TestDeclineSentence(t *testing.T) {
	at := care.Date(2025, time.March, 31)
	w := words{suppress: true}
	ds := []DeclineFact{{workflow.ReasonNoVacancy, 12}, {workflow.ReasonPrice, 3}, {workflow.ReasonRisk, 5}}
	check(t, "no vacancy", w.declineSentence(at, ds), []string{"declined referrals 20 times in the year to 31 March 2025", "most common reason was no vacancy (60.0% of declines)"}, []string{"price"})
	ds[1].Count = 30
	check(t, "price", w.declineSentence(at, ds), []string{"47 times", "most common reason was price"}, []string{"no vacancy ("})
	ds[0].Count = 30
	check(t, "tie names none", w.declineSentence(at, ds), []string{"65 times in the year to 31 March 2025."}, []string{"most common"})
	check(t, "none", w.declineSentence(at, []DeclineFact{{workflow.ReasonPrice, 0}}), []string{"No referral was declined"}, nil)
	check(t, "few", w.declineSentence(at, []DeclineFact{{workflow.ReasonPrice, 2}, {workflow.ReasonRisk, 1}}), []string{"fewer than 5 times"}, []string{"most common", "66"})
}

func TestScenarioSentence(t *testing.T) {
	check(t, "fewer, saving, payback", scenarioSentence("Edge of care", "2030-03-31", 520, 480.4, 2.5e6, 3, "2028-03-31"),
		[]string{"By 31 March 2030, \"Edge of care\" leaves on average 40 fewer children in care than without it (480 against 520)", "net saving of £2,500,000", "pays back in year 3 (by 31 March 2028)"}, []string{"more children", "net cost", "does not pay back"})
	check(t, "more, cost, no payback", scenarioSentence("Homes", "2030-03-31", 500, 510, -1.2e6, 0, ""),
		[]string{"10 more children in care than without it (510 against 500)", "net cost of £1,200,000", "does not pay back"}, []string{"fewer", "saving of"})
	check(t, "same", scenarioSentence("X", "2030-03-31", 500.2, 499.9, 0.2, 0, ""), []string{"the same number of children in care as without it (about 500)", "no net cost or saving"}, nil)
}
