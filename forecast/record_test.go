package forecast

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"sufficiency/care"
)

// roundTrip encodes r, decodes it and checks the decoded record equals r.
func roundTrip(t *testing.T, r *Record) *Record {
	t.Helper()
	b, err := r.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	got, err := DecodeRecord(b)
	if err != nil {
		t.Fatalf("DecodeRecord: %v", err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("decoded record differs:\n got  %+v\n want %+v", got, r)
	}
	return got
}

func TestRecordSimulationRoundTrip(t *testing.T) {
	m := fittedSyntheticN(t, 60, 2)
	ng := len(m.Groups)
	costs := &Costs{Weekly: make([]float64, ng), Inflation: make([]float64, ng), Source: make([]string, ng), Budget: []float64{2e6}}
	for g := range costs.Weekly {
		costs.Weekly[g], costs.Inflation[g] = 300+123.456*float64(g), 0.01*float64(g)
	}
	p, err := Simulate(context.Background(), m, SimOptions{Years: 2, Sims: 40, Seed: 9, Costs: costs})
	if err != nil {
		t.Fatal(err)
	}
	req := Request{LA: "all", Councils: []string{"E06000010", "E06000011"}, Years: 99, Sims: 1, Seed: 1, Budget: costs.Budget,
		AgeBands: m.Config.AgeBands, DurationBands: m.Config.DurationBands, PriorDays: m.Config.PriorDays}
	in := Inputs{Digest: "abc", Children: 10, Episodes: 20, Warnings: []string{"w"}}
	r := NewSimulationRecord(req, in, p)
	r.Actor, r.Made = "tester", time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	if r.Request.Years != 2 || r.Request.Sims != 40 || r.Request.Seed != 9 || r.Request.Origin != day(m.Config.Origin) ||
		r.Request.ReferenceStart != day(m.Config.RefStart) || r.ModelVersion != p.Version || r.Mode != ModeSimulate {
		t.Fatalf("request not taken from the projection: %+v", r.Request)
	}
	got := roundTrip(t, r)
	back, err := got.Projection()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Fatalf("projection rebuilt from the record differs:\n got  %+v\n want %+v", back.RollUp.Total, p.RollUp.Total)
	}
	if len(back.RollUp.Spend) != 2 || back.RollUp.Spend[0].Budget != 2e6 {
		t.Fatalf("spend %+v", back.RollUp.Spend)
	}
	if _, err := got.MarkovProjection(); care.ErrorCode(err) != care.EINVALID {
		t.Fatalf("MarkovProjection of a simulation record: %v, want EINVALID", err)
	}
}

func TestRecordMarkovRoundTrip(t *testing.T) {
	m := fittedSyntheticN(t, 60, 2)
	p, err := Markov(m, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := NewMarkovRecord(Request{Councils: []string{"E06000010"}}, Inputs{Digest: "d"}, p)
	if r.Request.Origin != day(m.Config.Origin) {
		t.Fatalf("origin %q, want the projection's first month %s", r.Request.Origin, day(m.Config.Origin))
	}
	back, err := roundTrip(t, r).MarkovProjection()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) || r.Request.Years != 1 {
		t.Fatalf("markov projection rebuilt from the record differs (years %d)", r.Request.Years)
	}
	if _, err := r.PublishedResult(); care.ErrorCode(err) != care.EINVALID {
		t.Fatalf("PublishedResult of a markov record: %v, want EINVALID", err)
	}
}

func TestRecordPublishedRoundTrip(t *testing.T) {
	r, res := publishedRecord(t) // from 2021, two years
	if r.Request.Origin != "2021-03-31" || r.Request.Years != 2 || r.ModelVersion != StockFlowVersion {
		t.Fatalf("request %+v, version %s", r.Request, r.ModelVersion)
	}
	back, err := roundTrip(t, r).PublishedResult()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, res) {
		t.Fatalf("published result rebuilt from the record differs")
	}
	if len(back.Predictions) < 280 || back.Predictions[0].P(0.9) <= back.Predictions[0].P(0.1) {
		t.Fatalf("%d predictions; first %+v", len(back.Predictions), back.Predictions[0])
	}
}

func TestRecordErrors(t *testing.T) {
	ok := func() *Record {
		return &Record{Format: RecordFormat, Mode: ModeMarkov, ModelVersion: MarkovVersion, Inputs: Inputs{Digest: "d"},
			Request: Request{Origin: "2025-03-31"}, Markov: &MarkovResult{}}
	}
	if _, err := ok().Encode(); err != nil {
		t.Fatalf("a complete record: %v", err)
	}
	cases := []struct {
		name   string
		change func(r *Record)
	}{
		{"ErrMode", func(r *Record) { r.Mode = "guess" }},
		{"ErrNoResults", func(r *Record) { r.Markov = nil }},
		{"ErrResultsOfOtherMode", func(r *Record) { r.Mode = ModeSimulate }},
		{"ErrNoModelVersion", func(r *Record) { r.ModelVersion = "" }},
		{"ErrNoDigest", func(r *Record) { r.Inputs.Digest = "" }},
		{"ErrNoOrigin", func(r *Record) { r.Request.Origin = "" }},
		{"ErrOriginNotADate", func(r *Record) { r.Request.Origin = "2025" }},
		{"ErrNaN", func(r *Record) { r.Markov.Months = []string{"2025-03-31"}; r.Request.PriorDays = math.NaN() }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ok()
			c.change(r)
			if _, err := r.Encode(); care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("Encode: %v, want EINVALID", err)
			}
		})
	}
	b, _ := ok().Encode()
	if _, err := DecodeRecord(b[:len(b)/2]); care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("truncated record: %v, want EUNUSABLE", err)
	}
	if _, err := DecodeRecord([]byte(`{"mode":"markov"}`)); care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("record with no format: %v, want EUNUSABLE", err)
	}
	if _, err := DecodeRecord([]byte(`{"format":99,"mode":"markov"}`)); care.ErrorCode(err) != care.ECONFLICT {
		t.Errorf("record from a newer layout: %v, want ECONFLICT", err)
	}
	if r, err := DecodeRecord([]byte(`{"format":1,"mode":"markov","markov":{}}`)); err != nil || r.Markov == nil {
		t.Errorf("uncompressed JSON: %v", err)
	}
}
