package statement

import (
	"sort"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/picture"
	"sufficiency/ssda903"
)

// Figures computed here from the children and episodes, beside what the
// picture computes: the trend over every year held, what changed in a year,
// ethnicity, disability, needs tiers and care leavers.

// yearEnds returns 31 March of every year from the first the returns cover
// (first: the first day they cover) up to at, then at itself when it is not
// a 31 March.
func yearEnds(first, at time.Time) []time.Time {
	if first.IsZero() {
		return []time.Time{at}
	}
	var out []time.Time
	y := first.Year()
	if first.Month() >= time.April {
		y++
	}
	for ; ; y++ {
		d := care.Date(y, time.March, 31)
		if d.After(at) {
			break
		}
		out = append(out, d)
	}
	if len(out) == 0 || !out[len(out)-1].Equal(at) {
		out = append(out, at)
	}
	return out
}

// runs calls f with each child's episodes (of the councils in scope), sorted.
func runs(eps []care.Episode, scope []string, f func(run []care.Episode)) {
	in := map[string]bool{}
	for _, c := range scope {
		in[c] = true
	}
	sorted := picture.SortEpisodes(eps)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].Council == sorted[i].Council && sorted[j].ChildID == sorted[i].ChildID {
			j++
		}
		if in[sorted[i].Council] {
			f(sorted[i:j])
		}
		i = j
	}
}

// childKey is a child's council and id.
type childKey struct{ council, id string }

// census is who was in care at a set of dates.
type census struct {
	dates []time.Time
	// current[k][child] is the episode covering dates[k] (short breaks excluded).
	current []map[childKey]care.Episode
}

func takeCensus(eps []care.Episode, scope []string, dates []time.Time) census {
	c := census{dates: dates, current: make([]map[childKey]care.Episode, len(dates))}
	for k := range dates {
		c.current[k] = map[childKey]care.Episode{}
	}
	runs(eps, scope, func(run []care.Episode) {
		for k, d := range dates {
			if i := care.Current(run, d); i >= 0 {
				c.current[k][childKey{run[i].Council, run[i].ChildID}] = run[i]
			}
		}
	})
	return c
}

func (c census) trend() Trend {
	t := Trend{Dates: c.dates}
	for _, m := range c.current {
		t.Counts = append(t.Counts, len(m))
	}
	return t
}

// growth counts the children in care at two dates by a key of their episode.
func growth(now, before map[childKey]care.Episode, key func(childKey, care.Episode) (string, string)) []Growth {
	idx := map[string]int{}
	var out []Growth
	add := func(m map[childKey]care.Episode, isNow bool) {
		for k, e := range m {
			id, label := key(k, e)
			i, ok := idx[id]
			if !ok {
				i = len(out)
				idx[id] = i
				out = append(out, Growth{Label: label})
			}
			if isNow {
				out[i].Now++
			} else {
				out[i].Before++
			}
		}
	}
	add(now, true)
	add(before, false)
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// needLabel is the category of need of an episode in plain words.
func needLabel(e care.Episode) (string, string) {
	code := strings.ToUpper(strings.TrimSpace(e.CategoryOfNeed))
	if m := care.CodeMeaning("CIN", code); m != "" {
		return code, m
	}
	return "", "Not recorded"
}

// ethnicGroup is the DfE's major ethnic group of an ETHNIC code.
func ethnicGroup(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	switch {
	case code == "CHNE" || code == "OOTH":
		return "Other ethnic group"
	case code == "REFU" || code == "NOBT" || code == "":
		return "Refused or not yet obtained"
	case strings.HasPrefix(code, "W"):
		return "White"
	case strings.HasPrefix(code, "M"):
		return "Mixed or multiple ethnic groups"
	case strings.HasPrefix(code, "A"):
		return "Asian or Asian British"
	case strings.HasPrefix(code, "B"):
		return "Black, African, Caribbean or Black British"
	}
	return "Refused or not yet obtained"
}

var ethnicGroups = []string{"White", "Mixed or multiple ethnic groups", "Asian or Asian British",
	"Black, African, Caribbean or Black British", "Other ethnic group", "Refused or not yet obtained"}

// Leavers are the care leavers of a collection year (OC3), by age 17 to 21.
type Leavers struct {
	Year int
	// ByAge holds ages 17, 18, 19, 20, 21 in order.
	ByAge [5]LeaverFact
	// Accommodation counts leavers by accommodation type (the ACCOM code's
	// meaning, suitable and not together).
	Accommodation map[string]int
	// StayingPut counts young people who left care aged 18 or over and
	// remained with their carers (REC E17, including staying put) in the year.
	StayingPut int
	// Councils with an OC3 table for the year, and those without.
	With, Without []string
}

// eetCodes are the ACTIV codes of education, employment or training.
var eetCodes = map[string]bool{"F1": true, "P1": true, "F2": true, "P2": true, "F3": true, "P3": true, "F4": true, "P4": true, "F5": true, "P5": true}

// neetCodes are the ACTIV codes of not being in education, employment or training.
var neetCodes = map[string]bool{"G4": true, "G5": true, "G6": true}

// addOC3 adds one return's OC3 rows to l.
func (l *Leavers) addOC3(t *ssda903.Table, year int) {
	end := care.Date(year, time.March, 31)
	for _, r := range t.Rows {
		dob, ok := ssda903.ParseDate(r.Get(ssda903.OC3, "DOB"))
		if !ok {
			continue
		}
		age := care.AgeOn(dob, end)
		if age < 17 || age > 21 {
			continue
		}
		f := &l.ByAge[age-17]
		f.All++
		if strings.EqualFold(strings.TrimSpace(r.Get(ssda903.OC3, "IN_TOUCH")), "YES") {
			f.InTouch++
		}
		acc := strings.ToUpper(strings.TrimSpace(r.Get(ssda903.OC3, "ACCOM")))
		if len(acc) == 2 {
			switch acc[1] {
			case '1':
				f.Suitable++
			case '2':
				f.Unsuitable++
			}
			if m := care.CodeMeaning("ACCOM", acc); m != "" {
				l.Accommodation[m]++
			}
		}
		act := strings.ToUpper(strings.TrimSpace(r.Get(ssda903.OC3, "ACTIV")))
		switch {
		case eetCodes[act]:
			f.EET++
		case neetCodes[act]:
			f.NEET++
		}
	}
}

// group sums the leavers of ages from to to (17–21).
func (l *Leavers) group(label string, from, to int) LeaverFact {
	g := LeaverFact{Label: label}
	for a := from; a <= to; a++ {
		f := l.ByAge[a-17]
		g.All += f.All
		g.Suitable += f.Suitable
		g.Unsuitable += f.Unsuitable
		g.EET += f.EET
		g.NEET += f.NEET
		g.InTouch += f.InTouch
	}
	return g
}

// stayingPut counts episodes of the scope ending in the year to end with
// REC E17 (aged 18 or over and remained with current carers).
func stayingPut(eps []care.Episode, scope []string, end time.Time) int {
	in := map[string]bool{}
	for _, c := range scope {
		in[c] = true
	}
	from := end.AddDate(-1, 0, 0)
	n := 0
	for _, e := range eps {
		if in[e.Council] && e.ReasonEnded == "E17" && e.End.After(from) && !e.End.After(end) {
			n++
		}
	}
	return n
}

// collectionYear is the collection year (ending 31 March) that contains d.
func collectionYear(d time.Time) int {
	if d.Month() >= time.April {
		return d.Year() + 1
	}
	return d.Year()
}
