package forecast

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"sufficiency/care"
)

func publishedRecord(t *testing.T) (*Record, *PublishedResult) {
	t.Helper()
	f, err := os.Open("testdata/dfe_cla_la_totals_2010_2023.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pub, err := ReadPublished(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := PublishedForecast(pub, 2021, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	return NewPublishedRecord(Request{LA: "all"}, Inputs{Digest: "f00", Label: "testdata"}, res), res
}

// TestRenderPublished: the CSV has a row a council and year with the
// stock at the origin and P10, P50, P90 in whole children; the text a line
// a council, the origin's stock then "P50 (P10–P90)" for each year; the
// JSON the same to one decimal.
func TestRenderPublished(t *testing.T) {
	r, res := publishedRecord(t)
	var buf bytes.Buffer
	if err := r.Render(&buf, "csv", nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(buf.String(), "\r\n", "\n")), "\n")
	if lines[0] != "la_code,la_name,origin,year,stock_at_origin,p10,p50,p90,mean" || len(lines) != len(res.Predictions)+1 {
		t.Fatalf("csv: %d lines, header %q", len(lines), lines[0])
	}
	pr := res.Predictions[0]
	cells := strings.Split(lines[1], ",")
	if cells[0] != pr.Code || cells[2] != "2021" || cells[3] != "2022" || cells[4] != f0(pr.Last) || cells[6] != f0(pr.P(0.5)) {
		t.Errorf("first row %q for %+v", lines[1], pr)
	}

	buf.Reset()
	if err := r.Render(&buf, "text", nil); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !strings.HasPrefix(text, "Children in care at 31 March: forecast from 2021 (model "+res.ModelVersion+"; input testdata, years ") {
		t.Errorf("text heading:\n%.200s", text)
	}
	first, second := res.Predictions[0], res.Predictions[1]
	want := first.Code + "  "
	row := ""
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, want) {
			row = l
		}
	}
	f := strings.Fields(strings.TrimPrefix(row, first.Code))
	n := len(f)
	if n < 5 || f[n-4] != f0(first.P(0.5)) || f[n-3] != "("+f0(first.P(0.1))+"–"+f0(first.P(0.9))+")" ||
		f[n-2] != f0(second.P(0.5)) || f[n-1] != "("+f0(second.P(0.1))+"–"+f0(second.P(0.9))+")" || f[n-5] != f0(first.Last) {
		t.Errorf("text row %q for %+v then %+v", row, first, second)
	}
	if head := strings.Split(text, "\n")[3]; strings.Join(strings.Fields(head), " ") != "council name 2021 2022 2023" {
		t.Errorf("text header %q", head)
	}

	buf.Reset()
	if err := r.Render(&buf, "json", nil); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Input     string `json:"input"`
		Digest    string `json:"input_sha256"`
		Forecasts []struct {
			LACode    string             `json:"la_code"`
			Year      int                `json:"year"`
			P10       float64            `json:"p10"`
			P90       float64            `json:"p90"`
			Quantiles map[string]float64 `json:"quantiles"`
		} `json:"forecasts"`
	}
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Input != "testdata" || j.Digest != "f00" || len(j.Forecasts) != len(res.Predictions) || j.Forecasts[0].LACode != first.Code || j.Forecasts[0].Year != 2022 {
		t.Fatalf("json %+v", j.Forecasts[:1])
	}
	if got, want := j.Forecasts[0].P10, float64(int64(first.P(0.1)*10+0.5))/10; got != want {
		t.Errorf("p10 %v; want %v (one decimal)", got, want)
	}
	if q := j.Forecasts[0].Quantiles["0.9"]; q != j.Forecasts[0].P90 {
		t.Errorf("quantile 0.9 %v; p90 %v", q, j.Forecasts[0].P90)
	}

	if err := (&Record{Mode: "guess"}).Render(&buf, "text", nil); care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("unknown mode: %v", err)
	}
}

func TestF0AndF1(t *testing.T) {
	for v, want := range map[float64]string{0.5: "1", 1.49: "1", -0.5: "-1", 1234.5: "1235"} {
		if got := f0(v); got != want {
			t.Errorf("f0(%v) = %q; want %q", v, got, want)
		}
	}
	if f1(2.26) != "2.3" || f1(-0.04) != "-0.0" {
		t.Errorf("f1")
	}
}

// TestInputsDigest: the same children and episodes in any order give the
// same digest; a change to any field the model reads changes it.
func TestInputsDigest(t *testing.T) {
	ch := []care.Child{
		{Council: "E1", ID: "a", Sex: care.Female, DOB: care.Date(2012, 2, 29)},
		{Council: "E1", ID: "b", Sex: care.Male, DOB: care.Date(2010, 1, 1), UASC: true},
	}
	ep := []care.Episode{
		{Council: "E1", ChildID: "a", Start: care.Date(2024, 4, 1), Placement: "U4", Provider: "PR1", WeeklyCost: 45000},
		{Council: "E1", ChildID: "b", Start: care.Date(2023, 1, 1), End: care.Date(2025, 3, 31), ReasonEnded: "E11", Placement: "K2", Provider: "PR4"},
	}
	d := InputsDigest(ch, ep)
	if len(d) != 64 || InputsDigest([]care.Child{ch[1], ch[0]}, []care.Episode{ep[1], ep[0]}) != d {
		t.Fatalf("digest %q depends on order", d)
	}
	changes := []func(c []care.Child, e []care.Episode){
		func(c []care.Child, e []care.Episode) { c[0].Council = "E2" },
		func(c []care.Child, e []care.Episode) { c[0].ID = "z" },
		func(c []care.Child, e []care.Episode) { c[0].Sex = care.Male },
		func(c []care.Child, e []care.Episode) { c[0].DOB = care.Date(2012, 3, 1) },
		func(c []care.Child, e []care.Episode) { c[1].UASC = false },
		func(c []care.Child, e []care.Episode) { e[0].Council = "E2" },
		func(c []care.Child, e []care.Episode) { e[0].ChildID = "b" },
		func(c []care.Child, e []care.Episode) { e[0].Start = care.Date(2024, 4, 2) },
		func(c []care.Child, e []care.Episode) { e[1].End = care.Date(2025, 4, 1) },
		func(c []care.Child, e []care.Episode) { e[0].Placement = "U5" },
		func(c []care.Child, e []care.Episode) { e[0].Provider = "PR2" },
		func(c []care.Child, e []care.Episode) { e[1].ReasonEnded = "E12" },
		func(c []care.Child, e []care.Episode) { e[0].WeeklyCost = 45001 },
	}
	for i, change := range changes {
		c, e := append([]care.Child(nil), ch...), append([]care.Episode(nil), ep...)
		change(c, e)
		if InputsDigest(c, e) == d {
			t.Errorf("change %d does not change the digest", i)
		}
	}
	// the digest is that of fmt's lines sorted as strings, each followed by
	// a newline (as it was first written): on these inputs, and on ones
	// with a zero date, a negative cost, a control character and a line
	// that is the start of another
	more := append(append([]care.Child(nil), ch...), care.Child{Council: "E1", ID: "a\t", Sex: care.Male},
		care.Child{Council: "E1", ID: "a", Sex: care.Female, DOB: care.Date(2012, 2, 29)})
	moreEp := append(append([]care.Episode(nil), ep...), care.Episode{Council: "E1", ChildID: "c", WeeklyCost: -7},
		care.Episode{Council: "E1", ChildID: "c", WeeklyCost: -71})
	for i, in := range []struct {
		c []care.Child
		e []care.Episode
	}{{ch, ep}, {more, moreEp}, {nil, nil}} {
		if got, want := InputsDigest(in.c, in.e), fmtDigest(in.c, in.e); got != want {
			t.Errorf("inputs %d: digest %s, fmt's lines give %s", i, got, want)
		}
	}
	// A child is not an episode: the same text in the other list differs.
	if InputsDigest(ch, nil) == InputsDigest(ch[:1], nil) || InputsDigest(nil, nil) == InputsDigest(ch, nil) {
		t.Error("digest of fewer inputs is the same")
	}
}

// fmtDigest is InputsDigest as first written: fmt's lines sorted as
// strings, each hashed with a newline.
func fmtDigest(children []care.Child, episodes []care.Episode) string {
	var lines []string
	for _, c := range children {
		lines = append(lines, fmt.Sprintf("C|%s|%s|%s|%s|%t", c.Council, c.ID, c.Sex, c.DOB.Format("2006-01-02"), c.UASC))
	}
	for _, e := range episodes {
		lines = append(lines, fmt.Sprintf("E|%s|%s|%s|%s|%s|%s|%s|%d", e.Council, e.ChildID, e.Start.Format("2006-01-02"),
			e.End.Format("2006-01-02"), e.Placement, e.Provider, e.ReasonEnded, e.WeeklyCost))
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}
