package refdata

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// data holds the embedded reference files. Large files are stored gzipped
// (name.csv.gz); openTable reads either form.
//
//go:embed data/*.csv data/*.csv.gz
var data embed.FS

// table is one parsed CSV file: its header (column name → index) and rows.
type table struct {
	name string
	col  map[string]int
	rows [][]string
}

// mustTable parses an embedded file. The embedded files are part of the
// program, checked by the package tests, so a failure here is a build defect
// rather than bad input: it panics with the file name and cause.
func mustTable(name string, required ...string) *table {
	t, err := openTable(name, required...)
	if err != nil {
		panic(fmt.Sprintf("refdata: embedded file %s is unreadable: %v", name, err))
	}
	return t
}

// openTable reads data/name (or data/name.gz) into a table and checks that
// the required columns are present.
func openTable(name string, required ...string) (*table, error) {
	raw, err := data.ReadFile("data/" + name)
	if err != nil {
		gz, gzErr := data.ReadFile("data/" + name + ".gz")
		if gzErr != nil {
			return nil, err
		}
		zr, zErr := gzip.NewReader(bytes.NewReader(gz))
		if zErr != nil {
			return nil, zErr
		}
		raw, err = io.ReadAll(zr)
		if err != nil {
			return nil, err
		}
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("no header row")
	}
	t := &table{name: name, col: make(map[string]int, len(recs[0]))}
	for i, h := range recs[0] {
		t.col[strings.TrimSpace(h)] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			return nil, fmt.Errorf("column %q missing", c)
		}
	}
	t.rows = recs[1:]
	return t, nil
}

// get returns the trimmed value of column c in row, or "" if the column is
// absent or the row is short.
func (t *table) get(row []string, c string) string {
	i, ok := t.col[c]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// Figure is one published number. Known is false when the publisher
// suppressed the value or it does not exist; Symbol then holds the
// publisher's symbol ("c" suppressed small number, "x" not available, "z" not
// applicable, ".." not available in old files, "k" rounds to zero, "[x]"
// return not received, or "" for an empty cell). A missing figure is never 0.
type Figure struct {
	Value  float64
	Known  bool
	Symbol string
}

// Int returns the figure rounded to the nearest whole number and whether it
// is known.
func (f Figure) Int() (int, bool) {
	if !f.Known {
		return 0, false
	}
	if f.Value < 0 {
		return int(f.Value - 0.5), true
	}
	return int(f.Value + 0.5), true
}

// String renders the figure as published: the number, or its symbol.
func (f Figure) String() string {
	if !f.Known {
		if f.Symbol == "" {
			return "(missing)"
		}
		return f.Symbol
	}
	return strconv.FormatFloat(f.Value, 'f', -1, 64)
}

// known returns a known figure with value v.
func known(v float64) Figure { return Figure{Value: v, Known: true} }

// parseFigure reads a published cell: a number (commas allowed) or a
// suppression symbol.
func parseFigure(s string) Figure {
	s = strings.TrimSpace(s)
	if s == "" {
		return Figure{}
	}
	if c := s[0]; !(c >= '0' && c <= '9' || c == '-' || c == '.' || c == '+') {
		return Figure{Symbol: s} // a suppression symbol: skip the failing parse
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return Figure{Symbol: s}
	}
	return Figure{Value: v, Known: true}
}

// atoi parses an integer cell; blank or malformed cells give 0 and false.
func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if ferr != nil {
			return 0, false
		}
		return int(f), true
	}
	return n, true
}

// atof parses a float cell; blank or malformed cells give 0 and false.
func atof(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}
