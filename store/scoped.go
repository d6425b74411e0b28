package store

import (
	"slices"
	"strings"
	"time"

	"sufficiency/care"
)

// EpisodeQuery asks for the episodes a question needs across councils,
// without reading any council's whole history: the children in care on a
// date (optionally only those placed in some postcode districts or homes),
// and the costed placements that started shortly before it. Stores answer it
// from indexes (episodes by end date, by placement postcode district and by
// Ofsted URN), so the rows read grow with the answer, not with the database.
//
// An episode is selected when it is of a council in Councils (every council
// when nil) and not in Except, and either
//   - it covers At (started on or before At, and open or ended after At;
//     with Since, ended after Since instead: in care at some time in
//     (Since, At]) and,
//     when Districts or URNs are given, its placement postcode lies in one of
//     the Districts (PlacementDistrict of its postcode) or its URN is one of
//     URNs; or
//   - CostedSince is set, it is of a council in CostedCouncils, has a weekly
//     cost, and started after CostedSince and on or before At.
//
// With Runs, each selected episode brings its child's whole history (every
// stored episode of that council's child). Episodes come ordered by council,
// child and start, as Store.Episodes orders them.
type EpisodeQuery struct {
	Councils []string
	Except   []string
	At       time.Time
	// Since, when set, widens "covers At" to "in care at some time after
	// Since and on or before At".
	Since time.Time
	// Districts are postcode districts (outward codes, e.g. "M14") and URNs
	// Ofsted URNs where the placement must be; both empty: anywhere.
	Districts []string
	URNs      []string
	// CostedSince and CostedCouncils add the costed placements started in
	// (CostedSince, At] of CostedCouncils.
	CostedSince    time.Time
	CostedCouncils []string
	// Runs returns the selected children's whole histories.
	Runs bool
	// Purpose says why the episodes are read, for the audit log (e.g.
	// "in-placers in Manchester on 2025-03-31").
	Purpose string
}

// FilterEpisodes is what EpisodesWhere returns for q over eps (ordered by
// council, child and start, as Store.Episodes orders each council's), in
// memory: the meaning of EpisodeQuery in Go, for stores held in memory (test
// fakes) and as the reference the contract suite checks databases against.
func FilterEpisodes(eps []care.Episode, q EpisodeQuery) []care.Episode {
	var out []care.Episode
	chosen := map[[2]string]bool{}
	for _, e := range eps {
		if q.selects(e) {
			chosen[[2]string{e.Council, e.ChildID}] = true
			if !q.Runs {
				out = append(out, e)
			}
		}
	}
	if q.Runs {
		for _, e := range eps {
			if chosen[[2]string{e.Council, e.ChildID}] {
				out = append(out, e)
			}
		}
	}
	return out
}

// selects reports whether q selects e by itself (without Runs).
func (q EpisodeQuery) selects(e care.Episode) bool {
	if len(q.Councils) > 0 && !slices.Contains(q.Councils, e.Council) || slices.Contains(q.Except, e.Council) {
		return false
	}
	after := q.At
	if !q.Since.IsZero() {
		after = q.Since
	}
	covers := !e.Start.After(q.At) && (e.End.IsZero() || e.End.After(after))
	d := PlacementDistrict(e.PlacementPostcode)
	placed := len(q.Districts) == 0 && len(q.URNs) == 0 ||
		d != "" && slices.Contains(q.Districts, d) ||
		e.URN != "" && slices.Contains(q.URNs, e.URN)
	costed := !q.CostedSince.IsZero() && slices.Contains(q.CostedCouncils, e.Council) && e.WeeklyCost > 0 &&
		e.Start.After(q.CostedSince) && !e.Start.After(q.At)
	return covers && placed || costed
}

// Span is the dates a council's stitched episodes cover, kept with the
// council at import so that the date of an analysis can be chosen without
// reading the episodes.
type Span struct {
	FirstStart time.Time // the earliest start
	LastEvent  time.Time // the latest start or end
	FirstEnd   time.Time // the earliest end (zero when none has ended)
}

// SpanOf is the span of episodes.
func SpanOf(eps []care.Episode) Span {
	var s Span
	for _, e := range eps {
		if !e.Start.IsZero() && (s.FirstStart.IsZero() || e.Start.Before(s.FirstStart)) {
			s.FirstStart = e.Start
		}
		if e.Start.After(s.LastEvent) {
			s.LastEvent = e.Start
		}
		if e.End.After(s.LastEvent) {
			s.LastEvent = e.End
		}
		if !e.End.IsZero() && (s.FirstEnd.IsZero() || e.End.Before(s.FirstEnd)) {
			s.FirstEnd = e.End
		}
	}
	return s
}

// Join is the span covering both s and o.
func (s Span) Join(o Span) Span {
	earliest := func(a, b time.Time) time.Time {
		if a.IsZero() || (!b.IsZero() && b.Before(a)) {
			return b
		}
		return a
	}
	s.FirstStart = earliest(s.FirstStart, o.FirstStart)
	s.FirstEnd = earliest(s.FirstEnd, o.FirstEnd)
	if o.LastEvent.After(s.LastEvent) {
		s.LastEvent = o.LastEvent
	}
	return s
}

// PlacementDistrict is the postcode district (outward code, upper case) of
// a postcode as written in a return: a full postcode ("m14 5ab", "M145AB"),
// a sector ("M14 5") or a district ("M14"); "" when it is none of these. It
// reads postcodes exactly as geo.ParsePostcode does (a test checks), so a
// store can index placements by district without knowing geography.
func PlacementDistrict(s string) string {
	fields := strings.Fields(strings.ToUpper(s))
	switch len(fields) {
	case 1:
		w := fields[0]
		if !isAlnum(w) {
			return ""
		}
		if isOutward(w) {
			return w
		}
		n := len(w)
		if n >= 5 && isInwardUnit(w[n-3:]) && isOutward(w[:n-3]) {
			return w[:n-3]
		}
		if n >= 3 && isDigit(w[n-1]) && isOutward(w[:n-1]) {
			return w[:n-1]
		}
	case 2:
		out, in := fields[0], fields[1]
		if isOutward(out) && ((len(in) == 1 && isDigit(in[0])) || isInwardUnit(in)) {
			return out
		}
	}
	return ""
}

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
	switch rest := s[i+1:]; len(rest) {
	case 0:
		return true
	case 1:
		return isDigit(rest[0]) || isLetter(rest[0])
	}
	return false
}

func isInwardUnit(s string) bool {
	return len(s) == 3 && isDigit(s[0]) && isLetter(s[1]) && isLetter(s[2])
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' }
func isDigit(b byte) bool  { return b >= '0' && b <= '9' }
