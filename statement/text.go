package statement

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"sufficiency/tabular"
)

// The sentences of the statement are written from the numbers by the
// functions in this file. Each reads only the figures it is given and says
// only what they show: a change is a rise, a fall or no change by its sign;
// a comparison is above, below or the same to the precision printed; a
// figure that is missing leaves its sentence out rather than guessing; and a
// count of 1 to 4 is written "fewer than 5" when small numbers are
// suppressed (a share resting on one is not given).

// words formats figures for sentences under one suppression setting.
type words struct {
	suppress bool
}

// count writes a number of children: "1,234", or "fewer than 5" for 1 to 4
// when suppressing.
func (w words) count(n int) string {
	if w.suppress && n >= 1 && n <= 4 {
		return "fewer than 5"
	}
	return thousands(int64(n))
}

// hidden reports whether n would be suppressed.
func (w words) hidden(n int) bool { return w.suppress && n >= 1 && n <= 4 }

// share writes part as a percentage of whole ("12.5%"); false when whole is
// 0 or, suppressing, when part or whole is 1 to 4 (or part is within 1 to 4
// of whole, which would reveal the rest).
func (w words) share(part, whole int) (string, bool) {
	if whole <= 0 {
		return "", false
	}
	if w.hidden(part) || w.hidden(whole) || w.hidden(whole-part) {
		return "", false
	}
	return pct(100 * float64(part) / float64(whole)), true
}

func pct(v float64) string { return strconv.FormatFloat(round1(v), 'f', 1, 64) + "%" }

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func dec1(v float64) string { return strconv.FormatFloat(round1(v), 'f', 1, 64) }

// thousands writes n with thousands separators.
func thousands(n int64) string { return tabular.Thousands(n) }

// pounds writes whole pounds: "£1,234".
func pounds(p float64) string {
	n := int64(math.Round(p))
	if n < 0 {
		return "-£" + thousands(-n)
	}
	return "£" + thousands(n)
}

func day(t time.Time) string { return t.Format("2 January 2006") }

// compare says how a is placed against b at one decimal: "above", "below"
// or "the same as".
func compare(a, b float64) string {
	switch ra, rb := round1(a), round1(b); {
	case ra > rb:
		return "above"
	case ra < rb:
		return "below"
	}
	return "the same as"
}

// change writes the change from before to now in children: "21 more than",
// "3 fewer than" or "the same number as", with the percentage when before > 0.
func (w words) change(now, before int) string {
	d := now - before
	switch {
	case d > 0:
		s := w.count(d) + " more than"
		if before > 0 && !w.hidden(d) {
			s = fmt.Sprintf("%s more (a rise of %s) than", w.count(d), pct(100*float64(d)/float64(before)))
		}
		return s
	case d < 0:
		s := w.count(-d) + " fewer than"
		if before > 0 && !w.hidden(-d) {
			s = fmt.Sprintf("%s fewer (a fall of %s) than", w.count(-d), pct(100*float64(-d)/float64(before)))
		}
		return s
	}
	return "the same number as"
}

// headline is the summary's first sentence: children in care at the date
// and the change over the year.
func (w words) headline(area string, at time.Time, now int, before int, haveBefore bool) string {
	s := fmt.Sprintf("On %s, %s looked after %s children", day(at), area, w.count(now))
	if !haveBefore {
		return s + "."
	}
	return fmt.Sprintf("%s, %s a year earlier (%s).", s, w.change(now, before), w.count(before))
}

// Comparison is a published figure to compare with.
type Comparison struct {
	Name  string // "its statistical neighbours' average", "the North East", "England"
	Value float64
}

// against compares a value (already in words, e.g. "95.3 per 10,000
// children") with each comparison: "above England (70.0)".
func against(v float64, cs []Comparison, format func(float64) string) string {
	var parts []string
	for _, c := range cs {
		if math.IsNaN(c.Value) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", compare(v, c.Value), c.Name, format(c.Value)))
	}
	return joinAnd(parts)
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// rateSentence compares the rate per 10,000 children with the published comparisons.
func rateSentence(rate float64, cs []Comparison) string {
	if rate <= 0 || math.IsNaN(rate) {
		return ""
	}
	s := fmt.Sprintf("That is %s children in care for every 10,000 children in the area", dec1(rate))
	if a := against(rate, cs, dec1); a != "" {
		s += ", " + a
	}
	return s + "."
}

// Trend is a count at successive dates.
type Trend struct {
	Dates  []time.Time
	Counts []int
}

// trendSentence describes the change over every year held.
func (w words) trendSentence(t Trend) string {
	n := len(t.Counts)
	if n < 2 {
		return ""
	}
	first, last := t.Counts[0], t.Counts[n-1]
	span := fmt.Sprintf("Over the %d years from %s to %s", n-1, day(t.Dates[0]), day(t.Dates[n-1]))
	if n == 2 {
		span = fmt.Sprintf("Over the year from %s to %s", day(t.Dates[0]), day(t.Dates[1]))
	}
	peak, peakAt := first, 0
	for i, c := range t.Counts {
		if c > peak {
			peak, peakAt = c, i
		}
	}
	var s string
	switch {
	case last > first:
		s = fmt.Sprintf("%s the number of children in care rose from %s to %s", span, w.count(first), w.count(last))
	case last < first:
		s = fmt.Sprintf("%s the number of children in care fell from %s to %s", span, w.count(first), w.count(last))
	default:
		s = fmt.Sprintf("%s the number of children in care was %s at both ends", span, w.count(first))
	}
	if peakAt != 0 && peakAt != n-1 && peak > last {
		s += fmt.Sprintf(", having peaked at %s on %s", w.count(peak), day(t.Dates[peakAt]))
	}
	return s + "."
}

// Growth is one category's count now and a year earlier.
type Growth struct {
	Label       string
	Now, Before int
}

// growthSentence names the category that grew the most in children over the
// year (what, e.g. "need" or "age group"), or says none grew. Categories
// whose counts would be suppressed are not named.
func (w words) growthSentence(what string, gs []Growth) string {
	best := -1
	for i, g := range gs {
		if g.Now-g.Before <= 0 || w.hidden(g.Now) || w.hidden(g.Before) || w.hidden(g.Now-g.Before) {
			continue
		}
		if best < 0 || g.Now-g.Before > gs[best].Now-gs[best].Before {
			best = i
		}
	}
	if best < 0 {
		grew := false
		for _, g := range gs {
			if g.Now > g.Before {
				grew = true
			}
		}
		if grew {
			return fmt.Sprintf("No %s grew by 5 or more children over the year.", what)
		}
		return fmt.Sprintf("No %s grew over the year.", what)
	}
	g := gs[best]
	return fmt.Sprintf("The %s growing fastest is %s: %s children, %s more than a year earlier.",
		what, lowerFirst(g.Label), w.count(g.Now), w.count(g.Now-g.Before))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && r[1] >= 'A' && r[1] <= 'Z' { // an acronym: keep
		return s
	}
	return strings.ToLower(string(r[:1])) + string(r[1:])
}

// shareSentence states a share with comparisons: "31.5% of children (151)
// live outside the council's boundary, above England (24.0%)." Empty when the
// share cannot be given.
func (w words) shareSentence(what string, part, whole int, cs []Comparison) string {
	s, ok := w.share(part, whole)
	if !ok {
		if whole > 0 && w.hidden(part) {
			return fmt.Sprintf("Fewer than 5 children %s.", what)
		}
		return ""
	}
	out := fmt.Sprintf("%s of children (%s of %s) %s", s, w.count(part), w.count(whole), what)
	if part == 0 {
		out = fmt.Sprintf("None of the %s children %s", w.count(whole), what)
	}
	if a := against(100*float64(part)/float64(whole), cs, pct); a != "" {
		out += ", " + a
	}
	return out + "."
}

// SupplyFact is one kind of registered provision against the children placed in it.
type SupplyFact struct {
	Label       string // "Children's homes"
	Places      int    // registered places in the area (0 when not published)
	Settings    int
	Own         int // the area's children in this kind of provision
	OwnOutside  int // of them, placed outside the area
	OtherPlaced int // other councils' children placed in this kind in the area
}

// supplySentence compares places in the area with the area's own children
// in that kind of provision.
func (w words) supplySentence(area string, f SupplyFact) string {
	if f.Settings == 0 && f.Own == 0 {
		return ""
	}
	label := kindPhrase(f.Label)
	if f.Settings == 0 {
		return fmt.Sprintf("No registered provision of this kind (%s) is in %s; %s of %s's children live in %s elsewhere.", label, area, w.count(f.Own), area, label)
	}
	if f.Places == 0 {
		return fmt.Sprintf("%s settings of this kind (%s) are registered in %s, for which Ofsted publishes no places; %s of %s's children live in %s.",
			thousands(int64(f.Settings)), label, area, w.count(f.Own), area, label)
	}
	var cmp string
	switch {
	case f.Places > f.Own:
		cmp = "more places than"
	case f.Places < f.Own:
		cmp = "fewer places than"
	default:
		cmp = "as many places as"
	}
	s := fmt.Sprintf("%s has %s registered places in %s, %s the %s of its own children who live in %s",
		area, thousands(int64(f.Places)), label, cmp, w.count(f.Own), label)
	if f.Own > 0 {
		s += fmt.Sprintf("; %s of those children live outside %s", w.count(f.OwnOutside), area)
	}
	if f.OtherPlaced > 0 {
		s += fmt.Sprintf(", while other councils' children fill at least %s places in %s there", w.count(f.OtherPlaced), label)
	}
	return firstUpper(s) + "."
}

// kindPhrase is a kind of provision as a sentence names it.
func kindPhrase(label string) string {
	if strings.EqualFold(label, "Fostering") {
		return "foster care"
	}
	return lowerFirst(label)
}

// gapSentence names the kind of provision with most children placed outside
// the area.
func (w words) gapSentence(area string, fs []SupplyFact) string {
	best := -1
	for i, f := range fs {
		if f.OwnOutside > 0 && (best < 0 || f.OwnOutside > fs[best].OwnOutside) {
			best = i
		}
	}
	if best < 0 {
		return fmt.Sprintf("No child of %s whose placement location is known lives outside %s in registered provision.", area, area)
	}
	f := fs[best]
	return fmt.Sprintf("The largest gap is in %s: %s of %s's children in %s live outside %s.",
		kindPhrase(f.Label), w.count(f.OwnOutside), area, kindPhrase(f.Label), area)
}

// priceSentence describes the change in the median weekly price of new
// placements of one kind between the last 12 months and the 12 before.
func priceSentence(label string, growth float64, recent, before float64, known bool) string {
	if !known {
		return ""
	}
	switch r := round1(growth); {
	case r > 0:
		return fmt.Sprintf("The median weekly price of new %s placements rose by %s, from %s to %s, between the two most recent years.", label, pct(r), pounds(before), pounds(recent))
	case r < 0:
		return fmt.Sprintf("The median weekly price of new %s placements fell by %s, from %s to %s, between the two most recent years.", label, pct(-r), pounds(before), pounds(recent))
	}
	return fmt.Sprintf("The median weekly price of new %s placements did not change between the two most recent years (%s).", label, pounds(recent))
}

// ForecastFact is the forecast for the last year projected.
type ForecastFact struct {
	Now      float64 // children in care at the origin (published)
	Origin   int     // year of the origin (31 March)
	Year     int     // year forecast (31 March)
	Median   float64
	Low      float64 // P10
	High     float64 // P90
	Councils int     // councils summed (a region); 1 for a council
}

// forecastSentence says where the forecast goes and whether its interval
// rules out no change.
func forecastSentence(area string, f ForecastFact) string {
	if f.Year == 0 || math.IsNaN(f.Median) {
		return ""
	}
	med, now := math.Round(f.Median), math.Round(f.Now)
	var dir string
	switch {
	case med > now:
		dir = fmt.Sprintf("rise from %s to about %s", thousands(int64(now)), thousands(int64(med)))
	case med < now:
		dir = fmt.Sprintf("fall from %s to about %s", thousands(int64(now)), thousands(int64(med)))
	default:
		dir = fmt.Sprintf("stay at about %s", thousands(int64(now)))
	}
	s := fmt.Sprintf("The forecast expects the number of children in care in %s to %s by 31 March %d", area, dir, f.Year)
	if f.Origin > 0 {
		s = fmt.Sprintf("From the %s published for 31 March %d, the forecast expects the number of children in care in %s to %s by 31 March %d",
			thousands(int64(now)), f.Origin, area, strings.Replace(dir, "from "+thousands(int64(now))+" ", "", 1), f.Year)
	}
	if math.IsNaN(f.Low) || math.IsNaN(f.High) {
		return s + "."
	}
	lo, hi := math.Round(f.Low), math.Round(f.High)
	s += fmt.Sprintf(" (80%% interval %s to %s)", thousands(int64(lo)), thousands(int64(hi)))
	switch {
	case lo > now:
		s += "; even the low end of the interval is above today's number"
	case hi < now:
		s += "; even the high end of the interval is below today's number"
	default:
		s += "; the interval includes today's number, so a rise or a fall are both possible"
	}
	if f.Councils > 1 {
		s += fmt.Sprintf(". The region's figures are the sum of its %d councils' medians and intervals, so its interval is wider than a joint one would be", f.Councils)
	}
	return s + "."
}

// AccuracyFact is the backtested accuracy of the model at one horizon.
type AccuracyFact struct {
	Horizon              int
	ModelMAPE, NaiveMAPE float64
	Coverage80           float64 // share of outcomes in the 80% interval, 0–1
	Forecasts            int
}

// accuracySentence compares the model's backtested error with assuming no change.
func accuracySentence(a AccuracyFact) string {
	if a.Forecasts == 0 || math.IsNaN(a.ModelMAPE) {
		return ""
	}
	ahead := "one year"
	if a.Horizon > 1 {
		ahead = fmt.Sprintf("%d years", a.Horizon)
	}
	s := fmt.Sprintf("Tested on %s past forecasts made %s ahead, the model was on average %s away from what happened",
		thousands(int64(a.Forecasts)), ahead, pct(a.ModelMAPE))
	if !math.IsNaN(a.NaiveMAPE) {
		switch compare(a.ModelMAPE, a.NaiveMAPE) {
		case "below":
			s += fmt.Sprintf(", better than assuming no change (%s)", pct(a.NaiveMAPE))
		case "above":
			s += fmt.Sprintf(", worse than assuming no change (%s)", pct(a.NaiveMAPE))
		default:
			s += fmt.Sprintf(", the same as assuming no change (%s)", pct(a.NaiveMAPE))
		}
	}
	if !math.IsNaN(a.Coverage80) {
		s += fmt.Sprintf("; its 80%% intervals held the outcome %s of the time", pct(100*a.Coverage80))
	}
	return s + "."
}

// LeaverFact is the care leavers of one age group in a year (OC3).
type LeaverFact struct {
	Label                string // "aged 17 and 18", "aged 19 to 21"
	All                  int
	Suitable, Unsuitable int // accommodation suitable / not suitable
	EET, NEET            int // in education, employment or training / not
	InTouch              int
}

// leaverSentence states suitable accommodation and EET for one group.
func (w words) leaverSentence(year int, f LeaverFact) string {
	if f.All == 0 {
		return ""
	}
	s := fmt.Sprintf("Of the %s care leavers %s in the year to 31 March %d", w.count(f.All), f.Label, year)
	var parts []string
	if v, ok := w.share(f.Suitable, f.All); ok {
		parts = append(parts, v+" were in suitable accommodation")
	}
	if v, ok := w.share(f.EET, f.All); ok {
		parts = append(parts, v+" were in education, employment or training")
	}
	if len(parts) == 0 {
		return s + ", the numbers are too small to give shares."
	}
	return s + ", " + joinAnd(parts) + "."
}

// leaverCompare compares the EET share of the older group with the younger.
func (w words) leaverCompare(young, old LeaverFact) string {
	a, ok1 := w.share(young.EET, young.All)
	b, ok2 := w.share(old.EET, old.All)
	if !ok1 || !ok2 {
		return ""
	}
	ya, ob := 100*float64(young.EET)/float64(young.All), 100*float64(old.EET)/float64(old.All)
	switch compare(ob, ya) {
	case "below":
		return fmt.Sprintf("Fewer of the older care leavers are in education, employment or training (%s of those %s against %s of those %s).", b, old.Label, a, young.Label)
	case "above":
		return fmt.Sprintf("More of the older care leavers are in education, employment or training (%s of those %s against %s of those %s).", b, old.Label, a, young.Label)
	}
	return fmt.Sprintf("The same share of older and younger care leavers are in education, employment or training (%s).", a)
}

// declineSentence names the most common reason providers gave for declining
// the area's referrals in the year.
func (w words) declineSentence(at time.Time, ds []DeclineFact) string {
	total, best := 0, -1
	for i, d := range ds {
		total += d.Count
		if d.Count > 0 && (best < 0 || d.Count > ds[best].Count) {
			best = i
		}
	}
	if total == 0 {
		return fmt.Sprintf("No referral was declined by a provider through the offers workflow in the year to %s.", day(at))
	}
	s := fmt.Sprintf("Providers declined referrals %s times in the year to %s", w.count(total), day(at))
	if share, ok := w.share(ds[best].Count, total); ok {
		tie := false
		for i, d := range ds {
			if i != best && d.Count == ds[best].Count {
				tie = true
			}
		}
		if !tie {
			return s + fmt.Sprintf("; the most common reason was %s (%s of declines).", ds[best].Reason.Label(), share)
		}
	}
	return s + "."
}

// scenarioSentence says what a scenario changes by its last year: children
// in care against the baseline (means over simulations), the cumulative net
// saving, and whether it pays back within the horizon.
func scenarioSentence(name, ends string, baseline, with, cumulative float64, paybackYear int, paybackEnds string) string {
	end := ends
	if d, err := time.Parse("2006-01-02", ends); err == nil {
		end = day(d)
	}
	b, w := math.Round(baseline), math.Round(with)
	var kids string
	switch {
	case w < b:
		kids = fmt.Sprintf("%s fewer children in care than without it (%s against %s)", thousands(int64(b-w)), thousands(int64(w)), thousands(int64(b)))
	case w > b:
		kids = fmt.Sprintf("%s more children in care than without it (%s against %s)", thousands(int64(w-b)), thousands(int64(w)), thousands(int64(b)))
	default:
		kids = fmt.Sprintf("the same number of children in care as without it (about %s)", thousands(int64(b)))
	}
	s := fmt.Sprintf("By %s, %q leaves on average %s", end, name, kids)
	switch {
	case math.Round(cumulative) > 0:
		s += fmt.Sprintf(", with a net saving of %s over the period after its costs", pounds(cumulative))
	case math.Round(cumulative) < 0:
		s += fmt.Sprintf(", with a net cost of %s over the period after savings", pounds(-cumulative))
	default:
		s += ", at no net cost or saving over the period"
	}
	if paybackYear > 0 {
		pe := paybackEnds
		if d, err := time.Parse("2006-01-02", paybackEnds); err == nil {
			pe = day(d)
		}
		s += fmt.Sprintf("; it pays back in year %d (by %s)", paybackYear, pe)
	} else {
		s += "; it does not pay back within the period"
	}
	return s + "."
}
