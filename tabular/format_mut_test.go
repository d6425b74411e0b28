package tabular

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"sufficiency/care"
)

// TestFormatEveryKind: each kind of value in each kind of column, as the
// publication shows it.
func TestFormatEveryKind(t *testing.T) {
	for _, tc := range []struct {
		c    Column
		v    any
		want string
	}{
		{Column{Kind: Text}, true, "yes"},
		{Column{Kind: Text}, false, "no"},
		{Column{Kind: Money}, 1234, "£1,234"},
		{Column{Kind: Count}, 1234, "1234"},
		{Column{Kind: Count}, int64(-12345), "-12345"},
		{Column{Kind: Count}, 12.5, "12"}, // to even
		{Column{Kind: Count}, 13.5, "14"},
		{Column{Kind: Money}, 1234.49, "£1,234"},
		{Column{Kind: Money}, 1234.5, "£1,235"}, // half a pound up
		{Column{Kind: Rate}, 7.0, "7.0"},        // a rate keeps its decimal
		{Column{Kind: Percent}, 0.05, "0.1"},
		{Column{Kind: Number}, -3.0, "-3"},
		{Column{Kind: Number}, 1e15, "1000000000000000.0"}, // too big to be shown as whole
		{Column{Kind: Number}, 1e15 - 1, "999999999999999"},
		{Column{Kind: Percent}, math.NaN(), ""},
		{Column{Kind: Rate}, math.Inf(1), ""},
		{Column{Kind: Number}, math.Inf(-1), ""},
		{Column{Kind: Text}, []int{1, 2}, "[1 2]"},
	} {
		if got := Format(tc.c, tc.v); got != tc.want {
			t.Errorf("Format(%v, %#v) = %q; want %q", tc.c.Kind, tc.v, got, tc.want)
		}
	}
}

// TestValue: numbers stay numbers in JSON, CSV and Excel: money in pounds to
// the penny, percentages, rates and other numbers to one decimal, counts as
// they are; no number is written for NaN or infinity.
func TestValue(t *testing.T) {
	for _, tc := range []struct {
		c    Column
		v    any
		want any
	}{
		{Column{Kind: Money}, care.Pence(123456), 1234.56},
		{Column{Kind: Percent}, 12.345, 12.3},
		{Column{Kind: Rate}, 12.35, 12.4},
		{Column{Kind: Number}, 2.26, 2.3},
		{Column{Kind: Count}, 2.26, 2.26},
		{Column{Kind: Money}, 2.26, 2.26},
		{Column{Kind: Count}, 7, 7},
		{Column{Kind: Count}, Suppressed, Suppressed},
		{Column{Kind: Rate}, math.NaN(), nil},
		{Column{Kind: Count}, math.Inf(1), nil},
		{Column{Kind: Text}, nil, nil},
	} {
		if got := Value(tc.c, tc.v); got != tc.want {
			t.Errorf("Value(%v, %#v) = %#v; want %#v", tc.c.Kind, tc.v, got, tc.want)
		}
	}
}

// TestWriteByName: each format by its name, text by default.
func TestWriteByName(t *testing.T) {
	tb := []Table{{Title: "Placed", Columns: []Column{{Name: "Kind"}, {Name: "Children", Kind: Count, Public: true}, {Name: "Spend", Kind: Money, Public: true}}}}
	tb[0].AddRow("fostering", 12, care.Pence(150050))
	for _, tc := range []struct{ format, want string }{
		{"", "Placed\n"},
		{FormatText, "fostering"},
		{FormatCSV, "fostering,12,1500.5"},
		{FormatJSON, `"Spend": 1500.5`},
		{FormatXLSX, "PK"}, // a zip
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tc.format, tb); err != nil {
			t.Fatalf("%q: %v", tc.format, err)
		}
		if !strings.Contains(buf.String(), tc.want) {
			t.Errorf("Write(%q) lacks %q:\n%.300s", tc.format, tc.want, buf.String())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCSVWriteAllReportsErrors(t *testing.T) {
	w := NewCSVWriter(failWriter{})
	if err := w.WriteAll([][]string{{"a"}}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteAll to a full disk: %v", err)
	}
	var buf bytes.Buffer
	if err := NewCSVWriter(&buf).WriteAll([][]string{{"=1+1", "b"}, {"c"}}); err != nil || buf.String() != "'=1+1,b\nc\n" {
		t.Errorf("WriteAll = %q, %v", buf.String(), err)
	}
}
