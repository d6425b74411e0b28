package analysis

import (
	"time"

	"sufficiency/care"
	"sufficiency/picture"
)

// YearCount is the number of children in care at 31 March of a year.
type YearCount struct {
	Year   int // the year of the 31 March, e.g. 2025 for the year 2024–25
	InCare int
}

// InCareHistory counts the children in care (short breaks left out, as in
// the picture) at each 31 March from the end of the first collection year
// the episodes cover (see ReturnsStart) up to at. When no episode has ended
// (the returns' start is then not known) only the last 31 March up to at
// is counted; nil without episodes.
func InCareHistory(eps []care.Episode, at time.Time) []YearCount {
	if len(eps) == 0 {
		return nil
	}
	from := ReturnsStart(eps)
	if from.IsZero() {
		y := at.Year() - 1
		if !at.Before(care.Date(at.Year(), time.March, 31)) {
			y = at.Year()
		}
		from = care.Date(y-1, time.April, 1)
	}
	var dates []time.Time
	for y := from.Year() + 1; ; y++ {
		d := care.Date(y, time.March, 31)
		if d.After(at) {
			break
		}
		dates = append(dates, d)
	}
	if len(dates) == 0 {
		return nil
	}
	out := make([]YearCount, len(dates))
	for i, d := range dates {
		out[i].Year = d.Year()
	}
	sorted := picture.SortEpisodes(eps)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].Council == sorted[i].Council && sorted[j].ChildID == sorted[i].ChildID {
			j++
		}
		run := sorted[i:j]
		for k, d := range dates {
			if care.Current(run, d) >= 0 {
				out[k].InCare++
			}
		}
		i = j
	}
	return out
}
