package analysis

import (
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// Options are what every analysis takes: the date to measure at.
type Options struct {
	// At is the date to measure at, YYYY-MM-DD; "" for the last date the
	// data covers.
	At string
	// AtName names At in messages as the user gave it (the CLI's "--at");
	// default "at".
	AtName string
	// Now is the clock that says what today is; default time.Now.
	Now func() time.Time
	// ReferenceDates moves the date back to the latest 31 March on or
	// before it (ReferenceDate). Published, small-number-suppressed views
	// set it (Picture and Market do when Publish is set): suppression alone
	// does not survive differencing, since two views a day apart differ by
	// one child's event, so published figures exist only at the fixed year
	// ends, as the DfE publishes them. See docs/SECURITY.md.
	ReferenceDates bool
}

// ReferenceDate is the latest 31 March on or before t: the only dates
// published (suppressed) figures are given at.
func ReferenceDate(t time.Time) time.Time {
	y := t.Year()
	if t.Month() < time.March || (t.Month() == time.March && t.Day() < 31) {
		y--
	}
	return care.Date(y, time.March, 31)
}

// Date returns the date to measure at: o.At, or the last date the episodes
// cover (their latest start or end), or today when that is later than
// today or there are none.
//
// EINVALID when o.At is not a date, or lies outside the data: after the end
// of the collection year (31 March) of the latest event, children shown as
// in care may have left unrecorded (a picture at 2030 would count everyone
// as still in care, two years older); before the earliest episode nothing
// is loaded.
func (o Options) Date(eps []care.Episode) (time.Time, error) {
	return o.dateIn(store.SpanOf(eps))
}

// dateIn is Date for episodes covering span, moved to its ReferenceDate
// when o.ReferenceDates (or, for a date before the first 31 March of the
// data, to that 31 March).
func (o Options) dateIn(span store.Span) (time.Time, error) {
	t, err := o.rawDateIn(span)
	if err != nil || !o.ReferenceDates {
		return t, err
	}
	ref := ReferenceDate(t)
	if first := span.FirstStart; !first.IsZero() && ref.Before(first) {
		// Before the first 31 March of the data: that one (every date of
		// the first year gives the same figures).
		ref = ReferenceDate(first)
		if ref.Before(first) {
			ref = ref.AddDate(1, 0, 0)
		}
	}
	return ref, nil
}

// rawDateIn is Date for episodes covering span.
func (o Options) rawDateIn(span store.Span) (time.Time, error) {
	name := o.AtName
	if name == "" {
		name = "at"
	}
	first, last := span.FirstStart, span.LastEvent
	if o.At != "" {
		t, err := time.Parse("2006-01-02", o.At)
		if err != nil {
			return time.Time{}, care.Errorf(care.EINVALID, "%s %q is not a date: write it as YYYY-MM-DD, e.g. 2025-03-31", name, o.At)
		}
		if !last.IsZero() {
			end := care.Date(last.Year(), time.March, 31)
			if last.After(end) {
				end = care.Date(last.Year()+1, time.March, 31)
			}
			if t.After(end) {
				return time.Time{}, care.Errorf(care.EINVALID, "%s %s is after the data: the loaded returns end on %s, so who is in care later is not known; give a date up to %s, or import later returns",
					name, o.At, end.Format("2006-01-02"), end.Format("2006-01-02"))
			}
			if t.Before(first) {
				return time.Time{}, care.Errorf(care.EINVALID, "%s %s is before the data: the earliest episode loaded starts on %s; give a later date, or import earlier returns",
					name, o.At, first.Format("2006-01-02"))
			}
		}
		return t, nil
	}
	clock := o.Now
	if clock == nil {
		clock = time.Now
	}
	now := clock().UTC()
	today := care.Date(now.Year(), now.Month(), now.Day())
	if last.IsZero() || last.After(today) {
		return today, nil
	}
	return last, nil
}
