package forecast

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"sufficiency/care"
)

// Totals is one year of a council's (or England's) published children-looked-after
// figures. A figure that was suppressed or not published ("c", "x", "z", blank)
// is NaN; use Known to test.
type Totals struct {
	Stock  float64 // children looked after at 31 March of the year
	Starts float64 // children who started to be looked after in the year to 31 March
	Ceases float64 // children who ceased to be looked after in the year to 31 March
	Pop    float64 // population aged 0–17 as published with the figures (often missing)
}

// Known reports whether a published figure is present (not NaN).
func Known(v float64) bool { return !math.IsNaN(v) }

// CouncilSeries is one council's published series. Councils are identified by
// their DfE three-digit code, which is stable where the ONS code changed with
// unchanged boundaries (Buckinghamshire, Gateshead, North Yorkshire,
// Northumberland, Somerset); Code is the latest ONS code seen for it, or
// "DfE:<code>" when the file never gives one.
type CouncilSeries struct {
	Code    string         // ONS code (latest seen), or "DfE:nnn"
	DfECode string         // DfE three-digit LA code
	Name    string         // latest name seen
	Region  string         // region name, where published
	Years   map[int]Totals // by year (31 March of the year)
}

// Stock returns the stock at 31 March of year, or NaN.
func (c *CouncilSeries) Stock(year int) float64 {
	if t, ok := c.Years[year]; ok {
		return t.Stock
	}
	return math.NaN()
}

// Published is a published series of children looked after: one series per
// council plus the national totals, as read from a file in the format of the
// DfE "children looked after at 31 March, starts and ceases" table
// (columns time_period, level, dfe_la_code, la_code, la_name, cla_31mar,
// starts, ceases; region_name optional).
type Published struct {
	Councils []*CouncilSeries // sorted by Code
	National map[int]Totals   // national rows, or the sum of councils where the file has none
	Years    []int            // years with any council stock figure, ascending
}

// ReadPublished reads a published series. It returns EUNUSABLE when the input
// is not a CSV with the required columns, and EINVALID when a row's year cannot
// be read.
func ReadPublished(r io.Reader) (*Published, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "published series: cannot read the header line; give a CSV file with columns time_period, level, dfe_la_code, la_code, la_name, cla_31mar, starts, ceases")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var missing []string
	for _, c := range []string{"time_period", "level", "dfe_la_code", "la_code", "la_name", "cla_31mar", "starts", "ceases"} {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, care.Errorf(care.EUNUSABLE, "published series: missing column(s) %s; the file must have the columns of the DfE council totals table (time_period, level, dfe_la_code, la_code, la_name, cla_31mar, starts, ceases)", strings.Join(missing, ", "))
	}
	get := func(rec []string, c string) string {
		i, ok := col[c]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	byDfE := map[string]*CouncilSeries{}
	latestONS := map[string]int{} // year of the ONS code kept
	national := map[int]Totals{}
	line := 1
	for {
		rec, err := cr.Read()
		line++
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "published series: line %d cannot be read as CSV; fix the quoting or re-export the file", line)
		}
		yr, err := parseYear(get(rec, "time_period"))
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "published series line %d: time_period %q is not a year; give the year of 31 March (e.g. 2023, or 202223)", line, get(rec, "time_period"))
		}
		t := Totals{Stock: parseCount(get(rec, "cla_31mar")), Starts: parseCount(get(rec, "starts")), Ceases: parseCount(get(rec, "ceases")), Pop: parseCount(get(rec, "pop_0_17"))}
		level := strings.ToLower(get(rec, "level"))
		switch {
		case strings.HasPrefix(level, "national"):
			national[yr] = t
			continue
		case strings.HasPrefix(level, "regional"):
			continue
		}
		dfe, ons, name := get(rec, "dfe_la_code"), get(rec, "la_code"), get(rec, "la_name")
		key := dfe
		if key == "" {
			key = "ONS:" + ons
		}
		if key == "ONS:" {
			return nil, care.Errorf(care.EINVALID, "published series line %d: council row with neither dfe_la_code nor la_code; give at least one code", line)
		}
		s := byDfE[key]
		if s == nil {
			s = &CouncilSeries{DfECode: dfe, Years: map[int]Totals{}}
			byDfE[key] = s
		}
		if ons != "" && yr >= latestONS[key] {
			s.Code, latestONS[key] = ons, yr
		}
		if name != "" {
			s.Name = name
		}
		if rg := get(rec, "region_name"); rg != "" {
			s.Region = rg
		}
		s.Years[yr] = t
	}
	p := &Published{National: national}
	years := map[int]bool{}
	for _, s := range byDfE {
		if s.Code == "" {
			s.Code = "DfE:" + s.DfECode
		}
		for y, t := range s.Years {
			if Known(t.Stock) {
				years[y] = true
			}
		}
		p.Councils = append(p.Councils, s)
	}
	if len(p.Councils) == 0 {
		return nil, care.Errorf(care.EUNUSABLE, "published series: no council rows found; the level column must say \"Local authority\" for council rows")
	}
	sort.Slice(p.Councils, func(i, j int) bool { return p.Councils[i].Code < p.Councils[j].Code })
	for y := range years {
		p.Years = append(p.Years, y)
	}
	sort.Ints(p.Years)
	p.fillNational()
	return p, nil
}

// Cut returns the series as it was known at 31 March of year: every figure for a
// later year is dropped. The receiver is not changed.
func (p *Published) Cut(year int) *Published {
	q := &Published{National: map[int]Totals{}}
	for y, t := range p.National {
		if y <= year {
			q.National[y] = t
		}
	}
	for _, y := range p.Years {
		if y <= year {
			q.Years = append(q.Years, y)
		}
	}
	for _, s := range p.Councils {
		c := *s
		c.Years = map[int]Totals{}
		for y, t := range s.Years {
			if y <= year {
				c.Years[y] = t
			}
		}
		if len(c.Years) > 0 {
			q.Councils = append(q.Councils, &c)
		}
	}
	return q
}

// Council returns the series for an ONS code, a DfE three-digit code or a
// council name (case-insensitive). It returns ENOTFOUND when none matches.
func (p *Published) Council(code string) (*CouncilSeries, error) {
	code = strings.TrimSpace(code)
	for _, s := range p.Councils {
		if strings.EqualFold(s.Code, code) || s.DfECode == code || strings.EqualFold(s.Name, code) {
			return s, nil
		}
	}
	return nil, care.Errorf(care.ENOTFOUND, "council %q is not in the published series; give an ONS code (e.g. E08000003), a DfE code (e.g. 352) or a name as written in the file's la_name column", code)
}

// FirstYear and LastYear return the range of years with council stock figures.
func (p *Published) FirstYear() int {
	if len(p.Years) == 0 {
		return 0
	}
	return p.Years[0]
}

// LastYear returns the last year with council stock figures.
func (p *Published) LastYear() int {
	if len(p.Years) == 0 {
		return 0
	}
	return p.Years[len(p.Years)-1]
}

// HasYear reports whether the series has council stock figures for year.
func (p *Published) HasYear(year int) bool {
	for _, y := range p.Years {
		if y == year {
			return true
		}
	}
	return false
}

// parseYear reads "2023" or the DfE "202223" form (the year ending 31 March 2023).
func parseYear(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, err
	}
	if n >= 100000 && n <= 999999 { // 202223 → 2023, 199900 → 2000
		start := n / 100
		if n%100 != (start+1)%100 {
			return 0, strconv.ErrRange
		}
		n = start + 1
	}
	if n < 1900 || n > 2200 {
		return 0, strconv.ErrRange
	}
	return n, nil
}

// parseCount reads a published count; suppression and missing codes give NaN.
func parseCount(s string) float64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}

// NewPublished builds a published series from figures already in memory (for
// example the copy embedded in refdata). Series without a Code get
// "DfE:<DfECode>"; national years missing from national are filled with the
// sum over councils. It returns EUNUSABLE when there is no council figure.
func NewPublished(series []*CouncilSeries, national map[int]Totals) (*Published, error) {
	p := &Published{National: map[int]Totals{}}
	for y, t := range national {
		p.National[y] = t
	}
	years := map[int]bool{}
	for _, s := range series {
		c := *s
		if c.Code == "" {
			c.Code = "DfE:" + c.DfECode
		}
		c.Years = map[int]Totals{}
		for y, t := range s.Years {
			c.Years[y] = t
			if Known(t.Stock) {
				years[y] = true
			}
		}
		p.Councils = append(p.Councils, &c)
	}
	if len(years) == 0 {
		return nil, care.Errorf(care.EUNUSABLE, "published series: no council has a children-in-care figure")
	}
	sort.Slice(p.Councils, func(i, j int) bool { return p.Councils[i].Code < p.Councils[j].Code })
	for y := range years {
		p.Years = append(p.Years, y)
	}
	sort.Ints(p.Years)
	p.fillNational()
	return p, nil
}

// fillNational sets national figures missing for a year to the sum over councils.
func (p *Published) fillNational() {
	for _, y := range p.Years {
		if t, ok := p.National[y]; ok && Known(t.Stock) {
			continue
		}
		sum := Totals{Starts: math.NaN(), Ceases: math.NaN(), Pop: math.NaN()}
		for _, s := range p.Councils {
			if t, ok := s.Years[y]; ok && Known(t.Stock) {
				sum.Stock += t.Stock
			}
		}
		p.National[y] = sum
	}
}
