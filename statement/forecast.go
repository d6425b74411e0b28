package statement

import (
	_ "embed"
	"encoding/json"
	"math"
	"sync"

	"sufficiency/analysis"
	"sufficiency/forecast"
)

// publishedSeries is refdata's embedded DfE council totals as a published
// series for the forecast (analysis.EmbeddedPublished, built once: the data
// are embedded).
var publishedSeries = sync.OnceValues(func() (*forecast.Published, error) {
	p, _, err := analysis.EmbeddedPublished()
	return p, err
})

// Accuracy is the backtested accuracy of one method at one horizon, over
// every origin the published series allows (forecast.Backtest).
type Accuracy struct {
	Method     string  `json:"method"`
	Horizon    int     `json:"horizon"`
	Forecasts  int     `json:"forecasts"`
	MAPE       float64 `json:"mape"`
	Coverage80 float64 `json:"coverage80"` // NaN (null) for a method without intervals
	WIS        float64 `json:"wis_pct"`
}

// Projection is one council's forecast for one year.
type Projection struct {
	Code   string  `json:"code"`
	Year   int     `json:"year"`
	Last   float64 `json:"last"`
	Median float64 `json:"median"`
	P10    float64 `json:"p10"`
	P90    float64 `json:"p90"`
}

// Forecasts is the published-statistics forecast of every council from one
// origin with the model's backtested accuracy.
type Forecasts struct {
	ModelVersion string       `json:"model_version"`
	Origin       int          `json:"origin"`
	Years        int          `json:"years"`
	DataYears    string       `json:"data_years"`
	BacktestFrom []int        `json:"backtest_origins"`
	Projections  []Projection `json:"projections"`
	Accuracy     []Accuracy   `json:"accuracy"`
}

// forecastYears is how far the statement looks ahead.
const forecastYears = 5

// accuracyHorizons is how many years ahead the backtest scores.
const accuracyHorizons = 3

// computeForecasts forecasts every council from origin and backtests the
// model on every origin the series allows. It takes about 15 CPU-seconds.
func computeForecasts(origin int) (*Forecasts, error) {
	p, err := publishedSeries()
	if err != nil {
		return nil, err
	}
	res, err := forecast.PublishedForecast(p, origin, forecastYears, nil)
	if err != nil {
		return nil, err
	}
	out := &Forecasts{ModelVersion: res.ModelVersion, Origin: origin, Years: forecastYears, DataYears: res.DataYears}
	for _, pr := range res.Predictions {
		out.Projections = append(out.Projections, Projection{Code: pr.Code, Year: pr.Year, Last: pr.Last,
			Median: round2(pr.P(0.5)), P10: round2(pr.P(0.1)), P90: round2(pr.P(0.9))})
	}
	bt, err := forecast.Backtest(p.Cut(origin), nil, accuracyHorizons)
	if err != nil {
		return nil, err
	}
	out.BacktestFrom = bt.Origins
	for _, s := range bt.Scores {
		if s.Origin != 0 {
			continue
		}
		out.Accuracy = append(out.Accuracy, Accuracy{Method: s.Method, Horizon: s.Horizon, Forecasts: s.N,
			MAPE: round2(s.MAPE), Coverage80: round2(s.Coverage80), WIS: round2(s.WIS)})
	}
	return out, nil
}

func round2(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	return math.Round(v*100) / 100
}

// embedded.json is computeForecasts(latest published year), written by
// `go test ./statement -run TestEmbeddedForecasts -update`; the test
// recomputes it and fails when it differs (new reference data or a new
// model), so the statement never shows a stale forecast.
//
//go:embed embedded.json
var embeddedJSON []byte

// jsonForecasts writes NaN accuracy figures as null.
type jsonForecasts struct {
	Forecasts
	Accuracy []jsonAccuracy `json:"accuracy"`
}

type jsonAccuracy struct {
	Accuracy
	Coverage80 *float64 `json:"coverage80"`
	WIS        *float64 `json:"wis_pct"`
}

func encodeForecasts(f *Forecasts) ([]byte, error) {
	j := jsonForecasts{Forecasts: *f}
	for _, a := range f.Accuracy {
		ja := jsonAccuracy{Accuracy: a}
		if !math.IsNaN(a.Coverage80) {
			v := a.Coverage80
			ja.Coverage80 = &v
		}
		if !math.IsNaN(a.WIS) {
			v := a.WIS
			ja.WIS = &v
		}
		j.Accuracy = append(j.Accuracy, ja)
	}
	return json.MarshalIndent(j, "", " ")
}

func decodeForecasts(b []byte) (*Forecasts, error) {
	var j jsonForecasts
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, err
	}
	f := j.Forecasts
	f.Accuracy = nil
	for _, ja := range j.Accuracy {
		a := ja.Accuracy
		a.Coverage80, a.WIS = math.NaN(), math.NaN()
		if ja.Coverage80 != nil {
			a.Coverage80 = *ja.Coverage80
		}
		if ja.WIS != nil {
			a.WIS = *ja.WIS
		}
		f.Accuracy = append(f.Accuracy, a)
	}
	return &f, nil
}

var embeddedForecasts = sync.OnceValues(func() (*Forecasts, error) {
	if len(embeddedJSON) < 3 {
		return nil, nil
	}
	return decodeForecasts(embeddedJSON)
})

// computed keeps the forecasts made from other origins in this process.
var computed sync.Map // origin → *Forecasts

// forecastsFrom returns the forecast from origin: the embedded one when it
// is from that origin; else the forecast is made from the figures up to the
// origin (a few seconds, kept for the life of the process) and the
// accuracy is the embedded backtest's, which scores the model on every
// outcome published so far.
func forecastsFrom(origin int) (*Forecasts, error) {
	emb, err := embeddedForecasts()
	if err == nil && emb != nil && emb.Origin == origin {
		return emb, nil
	}
	if f, ok := computed.Load(origin); ok {
		return f.(*Forecasts), nil
	}
	if emb == nil {
		f, err := computeForecasts(origin)
		if err == nil {
			computed.Store(origin, f)
		}
		return f, err
	}
	p, err := publishedSeries()
	if err != nil {
		return nil, err
	}
	res, err := forecast.PublishedForecast(p, origin, forecastYears, nil)
	if err != nil {
		return nil, err
	}
	f := &Forecasts{ModelVersion: res.ModelVersion, Origin: origin, Years: forecastYears, DataYears: res.DataYears,
		BacktestFrom: emb.BacktestFrom, Accuracy: emb.Accuracy}
	for _, pr := range res.Predictions {
		f.Projections = append(f.Projections, Projection{Code: pr.Code, Year: pr.Year, Last: pr.Last,
			Median: round2(pr.P(0.5)), P10: round2(pr.P(0.1)), P90: round2(pr.P(0.9))})
	}
	computed.Store(origin, f)
	return f, nil
}
