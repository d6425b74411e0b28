package tabular

import (
	"encoding/csv"
	"io"
	"strconv"
)

// NeutralizeCell makes a CSV cell safe to open in a spreadsheet (OWASP, "CSV
// Injection"): a cell that begins with '=', '+', '-', '@', a tab or a
// carriage return would be read by Excel, LibreOffice or Google Sheets as a
// formula, so it is prefixed with a single quote, which they show as text.
// A cell that is a plain number ("-12", "+3.5") is left alone: it is data,
// not a formula, and a spreadsheet reads it as a number. Quotes and
// separators are escaped by the CSV writer itself.
func NeutralizeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
	default:
		return s
	}
	if s[0] == '-' || s[0] == '+' {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
	}
	return "'" + s
}

// CSVWriter is the one CSV writer of the product: an encoding/csv writer that
// neutralises every cell with NeutralizeCell before writing it. Every CSV
// the product writes for people goes through it.
type CSVWriter struct {
	*csv.Writer
	buf []string
}

// NewCSVWriter returns a CSVWriter writing to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{Writer: csv.NewWriter(w)} }

// Write writes one record, each cell neutralised.
func (w *CSVWriter) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, NeutralizeCell(c))
	}
	return w.Writer.Write(w.buf)
}

// WriteAll writes the records, each cell neutralised, and flushes.
func (w *CSVWriter) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
