package forecast

import (
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
)

// ParseOrigins reads the origin years of a backtest: a range "2012..2022",
// a comma-separated list "2015,2019" or one year; "" is nil (every origin
// the data allows). EINVALID, in the domain's words, otherwise.
func ParseOrigins(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	bad := care.Errorf(care.EINVALID, "origins %q: give a range of years (2012..2022), a comma-separated list (2015,2019) or one year", s)
	if a, b, ok := strings.Cut(s, ".."); ok {
		lo, err1 := strconv.Atoi(strings.TrimSpace(a))
		hi, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || lo > hi || hi-lo > 100 {
			return nil, bad
		}
		var out []int
		for y := lo; y <= hi; y++ {
			out = append(out, y)
		}
		return out, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		y, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, bad
		}
		out = append(out, y)
	}
	return out, nil
}

// ChildOrigins are the 31 March origins of a child-level backtest: of the
// years given, else, from returns of the collection years collected
// (sorted), from the 31 March two years after the first (returns hold the
// children looked after in their years, so the stock is complete only from
// the first, and a reference window needs two years) to a year before the
// last.
func ChildOrigins(years, collected []int) []time.Time {
	var origins []time.Time
	for _, y := range years {
		origins = append(origins, care.Date(y, 3, 31))
	}
	if len(years) == 0 && len(collected) > 0 {
		for y := collected[0] + 2; y <= collected[len(collected)-1]-1; y++ {
			origins = append(origins, care.Date(y, 3, 31))
		}
	}
	return origins
}
