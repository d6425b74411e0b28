package analysis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/tabular"
)

// PictureOptions choose how a picture is assembled.
type PictureOptions struct {
	Options
	// Publish suppresses small numbers (1 to 4) in the computed tables.
	Publish bool
	// InPlacers also reads the episodes of every other loaded council, so
	// that their children placed in the scope's area count as in-placers.
	// Those reads are audited against the other councils.
	InPlacers bool
	// Published sets the published statistics beside the computed figures:
	// the council's own, its statistical neighbours' (average, and a table
	// of each), the region's and England's.
	Published bool
	// CoverageNotes notes under the first table what the loaded data does
	// not cover: councils of the scope with nothing loaded, a year that
	// starts before the loaded returns, and England meaning only the
	// councils loaded.
	CoverageNotes bool
	// YearOnly reads only the histories of the scope's children in care at
	// some time in the year to the date: all the picture's tables need (a
	// test checks they are the same), much less than every history. Data
	// then holds only those (and, from a store with ChildrenWhere, only
	// those children); History reads every history regardless.
	YearOnly bool
	// History counts the children in care at each 31 March the loaded
	// returns cover, up to the date (PictureResult.History).
	History bool
	// ScopedSupply reads only the part of the supply the picture uses (see
	// ScopedProvisions: the settings in the scope's councils and those its
	// episodes are placed at), not every setting in England; the tables are
	// the same (a test checks). PictureResult.Provisions then holds only that
	// part, so a caller that passes them on to the market leaves it unset.
	ScopedSupply bool
}

// PictureResult is a picture of a scope with its tables.
type PictureResult struct {
	Scope   Scope
	At      time.Time
	Picture picture.Picture
	// Data are the children and episodes read (with InPlacers, also the
	// histories of other councils' children placed in the area at the date;
	// never other councils' whole histories), so a caller needing more than
	// the picture does not read them twice.
	Data Data
	// Provisions are the supply read (the store's and the register; with
	// ScopedSupply, only the part the picture uses).
	Provisions []care.Provision
	// Tables are the picture's tables (suppressed with Publish), then the
	// statistical neighbours' published figures (with Published).
	Tables []tabular.Table
	// History is the children in care at each 31 March (with History).
	History []YearCount
}

// Picture computes the sufficiency picture of the scope: children and
// episodes from st, the supply (st's provisions and the Ofsted register),
// postcodes placed by geo, at the date o gives.
func Picture(ctx context.Context, st Store, sc Scope, o PictureOptions) (PictureResult, error) {
	if o.Publish {
		o.Options.ReferenceDates = true // suppression that survives differencing
	}
	mode := loadAll
	if o.YearOnly && !o.History {
		mode = loadYear
	}
	d, err := gather(ctx, st, sc, o.Options, o.InPlacers, mode, o.ScopedSupply, nil)
	if err != nil {
		return PictureResult{}, err
	}
	at := d.At
	in := picture.Input{
		Name:       sc.Name,
		Scope:      sc.Councils,
		Councils:   pictureCouncils(),
		Children:   d.Children,
		Episodes:   d.Episodes,
		Provisions: d.Provisions,
		Locate:     NewLocator(),
	}
	if o.Published {
		in.Comparators = Comparators(sc, at)
	}
	p := picture.Compute(in, at)
	tables := p.Tables(o.Publish)
	if o.Published {
		if sn := NeighbourTable(sc, at); sn != nil {
			tables = append(tables, *sn)
		}
	}
	if o.CoverageNotes && len(tables) > 0 {
		tables[0].Notes = append(tables[0].Notes, coverageNotes(sc, d.Span, p.YearStart, at)...)
	}
	res := PictureResult{Scope: sc, At: at, Picture: p, Data: d.Data, Provisions: d.Provisions, Tables: tables}
	if o.History {
		in := map[string]bool{}
		for _, c := range sc.Councils {
			in[c] = true
		}
		var own []care.Episode
		for _, e := range d.Episodes {
			if in[e.Council] {
				own = append(own, e)
			}
		}
		res.History = InCareHistory(own, at)
	}
	return res, nil
}

// coverageNotes says what the loaded data does not cover of a picture whose
// year runs from the day after yearStart to at.
func coverageNotes(sc Scope, span store.Span, yearStart, at time.Time) []string {
	var notes []string
	if from := returnsStart(span.FirstEnd); !from.IsZero() && yearStart.Before(from.AddDate(0, 0, -1)) {
		notes = append(notes, fmt.Sprintf("The loaded returns start on %s: the figures for the year to %s (started, ceased, 3 or more placements, spent in the year) miss what happened before then, and children who left care before then are not in the data.",
			from.Format("2 January 2006"), at.Format("2 January 2006")))
	}
	if len(sc.Missing) > 0 {
		notes = append(notes, fmt.Sprintf("No data loaded for %d council(s) of %s: %s. They are left out.",
			len(sc.Missing), sc.Name, strings.Join(sc.Missing, ", ")))
	}
	// England covers the loaded councils only: say how few, so the figures
	// are not read as England's (the published England column is).
	if sc.Council == nil && sc.Region == "" && sc.Name == England {
		if all := len(refdata.Councils()); len(sc.Councils) < all {
			notes = append(notes, fmt.Sprintf("England here means the %d council(s) whose data is loaded, of %d: the figures are theirs, not England's.",
				len(sc.Councils), all))
		}
	}
	return notes
}

// ReturnsStart is the first day the loaded returns cover: 1 April of the
// collection year of the earliest recorded end of an episode (a return holds
// the episodes open during its year, so earlier ends are not in the data).
// Zero when no episode has ended.
func ReturnsStart(eps []care.Episode) time.Time {
	return returnsStart(store.SpanOf(eps).FirstEnd)
}

// returnsStart is ReturnsStart given the earliest end.
func returnsStart(first time.Time) time.Time {
	if first.IsZero() {
		return first
	}
	y := first.Year()
	if first.Month() < time.April {
		y--
	}
	return care.Date(y, time.April, 1)
}
