package care

import (
	"strings"
	"time"
)

// Episode runs: one child's episodes, ordered by start. These are the
// domain's rules for reading a run (who is in care on a day, where a period
// of care or a placement began, how the DfE counts placements), used by the
// picture, the review and the statement alike.

// IsShortBreak reports whether a legal status is a short break (V3, V4):
// a child on a short break is not counted as in care.
func IsShortBreak(ls string) bool { return ls == "V3" || ls == "V4" }

// MonthsBefore returns the same day n months before at, or the last day of
// that month when it is shorter: 30 months before 31 March 2025 is
// 30 September 2022 and a year before 29 February 2024 is 28 February 2023.
// (time.AddDate would roll over to 1 October 2022 and 1 March 2023, moving
// the DfE's 2.5-year and one-year thresholds by a day.)
func MonthsBefore(at time.Time, n int) time.Time {
	y, m, d := at.Date()
	first := time.Date(y, m-time.Month(n), 1, 0, 0, 0, 0, at.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), at.Hour(), at.Minute(), at.Second(), at.Nanosecond(), at.Location())
}

// Current returns the index in run of the episode covering at, or -1. Short
// breaks (V3/V4) do not count as being in care.
func Current(run []Episode, at time.Time) int {
	for i := len(run) - 1; i >= 0; i-- {
		if run[i].Covers(at) {
			if IsShortBreak(run[i].LegalStatus) {
				return -1
			}
			return i
		}
	}
	return -1
}

// PeriodStart returns the start of the period of care that contains run[i]:
// earlier episodes count while each ends the day the next starts.
func PeriodStart(run []Episode, i int) time.Time {
	for i > 0 && !run[i-1].End.IsZero() && run[i-1].End.Equal(run[i].Start) {
		i--
	}
	return run[i].Start
}

// PlacementStart returns the start of the placement that run[i] belongs to:
// earlier episodes count while they are contiguous and run[i]'s reason for the
// new episode says the carers did not change (L: legal status only; T, U:
// change of placement but same carers), and a temporary placement (T0–T4,
// e.g. respite) between two episodes of the same placement does not end it.
func PlacementStart(run []Episode, i int) time.Time {
	contiguous := func(a, b int) bool { return !run[a].End.IsZero() && run[a].End.Equal(run[b].Start) }
	for i > 0 {
		switch {
		case contiguous(i-1, i) && sameCarers(run[i].ReasonNew):
			i--
		case i > 1 && run[i-1].Placement.IsTemporary() && contiguous(i-1, i) && contiguous(i-2, i-1) &&
			!run[i-2].Placement.IsTemporary() && SamePlacement(run[i-2], run[i]):
			i -= 2
		default:
			return run[i].Start
		}
	}
	return run[i].Start
}

func sameCarers(rne string) bool { return rne == "L" || rne == "T" || rne == "U" }

// PlacementKey identifies where a child lives, to tell whether two children
// live together and whether a child returned to the same placement: the
// Ofsted URN of the setting when there is one (SettingURN), else the
// placement type, provider and placement postcode. Foster placements (U1–U6) count as one type here:
// siblings with the same carers may be recorded under different codes (one
// as a relative's long-term placement, one as another carer's).
func PlacementKey(e Episode) string {
	if u := SettingURN(e); u != "" {
		return "URN " + u
	}
	code := string(e.Placement)
	if strings.HasPrefix(code, "U") {
		code = "U"
	}
	return code + "|" + string(e.Provider) + "|" + NormalisePostcode(e.PlacementPostcode)
}

// SettingURN is the Ofsted URN of the setting the child lives in, "" when
// the episode's URN does not name one: XXXXXXX (a provision not on the
// register: a council's fostering service, a regional adoption agency, a
// setting outside England), and the URN of a foster (U1–U6) or adoption
// (A3–A6) placement, which is the fostering or adoption agency's, shared by
// all its carers' households.
func SettingURN(e Episode) string {
	u := e.URN
	if u == "" || u == "XXXXXXX" {
		return ""
	}
	if code := string(e.Placement); strings.HasPrefix(code, "U") || strings.HasPrefix(code, "A") {
		return ""
	}
	return u
}

// NormalisePostcode upper-cases a postcode and removes its spaces.
func NormalisePostcode(pc string) string {
	clean := true
	for i := 0; i < len(pc); i++ {
		if c := pc[i]; c == ' ' || (c >= 'a' && c <= 'z') {
			clean = false
			break
		}
	}
	if clean {
		return pc
	}
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(pc), " ", ""))
}

// PlacementsInYear counts the placements a child had in the year (from, to]
// by the DfE's counting: each episode overlapping the year that starts a new
// placement (reason for new episode S, P, B, T or U; the first episode of the
// year counts whatever its reason), leaving out temporary placements (T0–T4)
// and a return to the same placement straight after a temporary one.
func PlacementsInYear(run []Episode, from, to time.Time) int {
	n := 0
	first := true
	var last *Episode
	for k := range run {
		e := &run[k]
		if e.Start.After(to) || (!e.End.IsZero() && !e.End.After(from)) {
			if !e.End.IsZero() && !e.End.After(from) && !e.Placement.IsTemporary() {
				last = e
			}
			continue
		}
		if e.Placement.IsTemporary() {
			continue
		}
		switch {
		case first:
			n++
		case e.ReasonNew == "L":
		case last != nil && SamePlacement(*e, *last):
			// back from a temporary placement, or re-recorded: same placement
		default:
			n++
		}
		first = false
		last = e
	}
	return n
}

// SamePlacement reports whether two episodes are in the same placement, by
// PlacementKey.
func SamePlacement(a, b Episode) bool {
	if ua, ub := SettingURN(a), SettingURN(b); ua != "" || ub != "" {
		return ua == ub
	}
	return a.Placement == b.Placement && a.Provider == b.Provider &&
		NormalisePostcode(a.PlacementPostcode) == NormalisePostcode(b.PlacementPostcode)
}

// LeftCareBefore lists the children (in the order they first appear in
// episodes) who have left care before the day: none of their episodes is
// open and the last one ended before it. A retention policy erases them.
func LeftCareBefore(episodes []Episode, before time.Time) []string {
	last := map[string]time.Time{}
	open := map[string]bool{}
	var order []string
	for _, e := range episodes {
		if _, seen := last[e.ChildID]; !seen {
			order = append(order, e.ChildID)
			last[e.ChildID] = time.Time{}
		}
		if e.End.IsZero() {
			open[e.ChildID] = true
		}
		if e.End.After(last[e.ChildID]) {
			last[e.ChildID] = e.End
		}
	}
	var out []string
	for _, c := range order {
		if !open[c] && !last[c].IsZero() && last[c].Before(before) {
			out = append(out, c)
		}
	}
	return out
}
