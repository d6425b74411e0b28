package synth

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"sufficiency/care"
	"sufficiency/ssda903"
)

// FileName returns the file name the generator writes a table to: the table
// name in lower case, e.g. "episodes.csv"; PlacementCosts and Needs are
// "costs.csv" and "needs.csv".
func FileName(t ssda903.TableName) string {
	switch t {
	case ssda903.PlacementCosts:
		return "costs.csv"
	case ssda903.Needs:
		return "needs.csv"
	}
	return strings.ToLower(string(t)) + ".csv"
}

// tableWriter streams one CSV table.
type tableWriter struct {
	f    *os.File
	w    *bufio.Writer
	line []byte
	rows int
}

func createTable(dir string, t ssda903.TableName) (*tableWriter, error) {
	f, err := os.Create(filepath.Join(dir, FileName(t)))
	if err != nil {
		return nil, err
	}
	tw := &tableWriter{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	tw.w.WriteString(strings.Join(ssda903.Columns[t], ","))
	tw.w.WriteString("\r\n")
	return tw, nil
}

// field appends one field (never needs quoting: codes, dates and numbers).
func (tw *tableWriter) field(s string) *tableWriter {
	if len(tw.line) > 0 {
		tw.line = append(tw.line, ',')
	}
	tw.line = append(tw.line, s...)
	return tw
}

// date appends a DD/MM/YYYY field.
func (tw *tableWriter) date(d day) *tableWriter {
	if len(tw.line) > 0 {
		tw.line = append(tw.line, ',')
	}
	tw.line = d.appendDMY(tw.line)
	return tw
}

// pounds appends an amount in pounds with pence.
func (tw *tableWriter) pounds(p care.Pence) *tableWriter {
	if len(tw.line) > 0 {
		tw.line = append(tw.line, ',')
	}
	tw.line = strconv.AppendInt(tw.line, int64(p)/100, 10)
	tw.line = append(tw.line, '.', byte('0'+(p%100)/10), byte('0'+p%10))
	return tw
}

// end finishes the row. A row always starts with a non-empty CHILD, so an
// empty line buffer means "new row".
func (tw *tableWriter) end() {
	tw.line = append(tw.line, '\r', '\n')
	tw.w.Write(tw.line)
	tw.line = tw.line[:0]
	tw.rows++
}

func (tw *tableWriter) close() error {
	if err := tw.w.Flush(); err != nil {
		tw.f.Close()
		return err
	}
	return tw.f.Close()
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
