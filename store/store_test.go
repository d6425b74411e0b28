package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
)

func TestParseValue(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		in   string
		want any
		ok   bool
	}{
		{"Text", KindText, "U4", "U4", true},
		{"BlankText", KindText, "", nil, false},
		{"Date", KindDate, "01/04/2024", care.Date(2024, 4, 1), true},
		{"ISODate", KindDate, "2024-04-01", care.Date(2024, 4, 1), true},
		{"ErrImpossibleDate", KindDate, "31/02/2024", nil, false},
		{"Int", KindInt, "17", int64(17), true},
		{"ExcelInt", KindInt, "17.0", int64(17), true},
		{"ErrInt", KindInt, "seventeen", nil, false},
		{"Pounds", KindPence, "1234.5", int64(123450), true},
		{"PoundsWithSign", KindPence, "£1,234.56", int64(123456), true},
		{"ErrPounds", KindPence, "n/a", nil, false},
		{"ErrNaN", KindPence, "NaN", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseValue(tt.kind, tt.in)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseValue(%v, %q) = %v, %v; want %v, %v", tt.kind, tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		kind Kind
		in   any
		want string
	}{
		{KindDate, care.Date(2024, 4, 1), "01/04/2024"},
		{KindPence, int64(123450), "1234.50"},
		{KindPence, int64(80000), "800"},
		{KindPence, int64(-5), "-0.05"},
		{KindInt, int64(17), "17"},
		{KindText, "K2", "K2"},
		{KindText, nil, ""},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.kind, tt.in); got != tt.want {
			t.Errorf("FormatValue(%v, %v) = %q, want %q", tt.kind, tt.in, got, tt.want)
		}
		if s := FormatValue(tt.kind, tt.in); s != "" {
			if back, ok := ParseValue(tt.kind, s); !ok || !reflect.DeepEqual(back, tt.in) {
				t.Errorf("round trip of %v through %q gave %v", tt.in, s, back)
			}
		}
	}
}

func TestDateAndTimeStrings(t *testing.T) {
	d := care.Date(2009, 1, 2)
	if s := DateString(d); s != "2009-01-02" {
		t.Errorf("DateString = %q", s)
	}
	if back, err := ParseDateString(DateString(d)); err != nil || !back.Equal(d) {
		t.Errorf("ParseDateString: %v %v", back, err)
	}
	if DateString(time.Time{}) != "" {
		t.Error("zero date is not blank")
	}
	a := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := a.Add(500 * time.Millisecond)
	if !(TimeString(a) < TimeString(b)) {
		t.Errorf("instants do not sort as text: %s, %s", TimeString(a), TimeString(b))
	}
	if back, err := ParseTimeString(TimeString(b)); err != nil || !back.Equal(b) {
		t.Errorf("ParseTimeString: %v %v", back, err)
	}
}

func TestEncodeRowsRoundTrip(t *testing.T) {
	rows := []ssda903.Row{
		{Line: 2, Values: []string{"1001", "01/04/2024", "", "ünïcode, \"quoted\"\nnewline"}},
		{Line: 3, Values: []string{}, LA: "Manchester", Year: 2025},
		{Line: 1 << 30, Values: []string{string([]byte{0, 1, 2, 255})}},
	}
	got, err := DecodeRows(EncodeRows(rows))
	if err != nil || !reflect.DeepEqual(got, rows) {
		t.Fatalf("round trip: %v\n got  %+v\n want %+v", err, got, rows)
	}
	if got, err := DecodeRows(EncodeRows(nil)); err != nil || len(got) != 0 {
		t.Errorf("no rows: %v %v", got, err)
	}
	enc := EncodeRows(rows)
	for _, bad := range [][]byte{nil, enc[:len(enc)-1], append(append([]byte{}, enc...), 0), {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}} {
		if _, err := DecodeRows(bad); err == nil {
			t.Errorf("DecodeRows(% x) accepted corrupt input", bad)
		}
	}
}

func FuzzDecodeRows(f *testing.F) {
	f.Add(EncodeRows([]ssda903.Row{{Line: 2, Values: []string{"a", "b"}}}))
	f.Add([]byte{})
	f.Add([]byte{5, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := DecodeRows(b)
		if err == nil {
			if again, err := DecodeRows(EncodeRows(rows)); err != nil || !reflect.DeepEqual(again, rows) {
				t.Fatalf("re-encoding %v failed: %v", rows, err)
			}
		}
	})
}

func TestActor(t *testing.T) {
	ctx := context.Background()
	if ActorFrom(ctx) != UnknownActor {
		t.Error("no actor is not unknown")
	}
	if ActorFrom(WithActor(ctx, "ana")) != "ana" {
		t.Error("actor lost")
	}
	if ActorFrom(WithActor(ctx, "")) != UnknownActor {
		t.Error("blank actor is not unknown")
	}
}

func TestReturnTablesCoverTypedTables(t *testing.T) {
	if len(ReturnTables) != len(TypedTableNames) {
		t.Fatalf("%d typed tables described, want %d", len(ReturnTables), len(TypedTableNames))
	}
	for _, rt := range ReturnTables {
		if rt.SQL == "" || len(rt.Columns) != len(ssda903.Columns[rt.Name]) {
			t.Errorf("%s: %+v", rt.Name, rt)
		}
	}
	if _, ok := ReturnTableOf(ssda903.Episodes); ok {
		t.Error("Episodes is stored stitched, not in a typed table of its own")
	}
}
