package forecast

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"slices"
	"sort"
	"time"

	"sufficiency/care"
)

// RecordFormat is the layout version of an encoded Record. It is raised when
// the layout changes in a way older readers cannot follow; DecodeRecord reads
// this layout and every earlier one. (The model itself is versioned
// separately: ChildModelVersion, MarkovVersion, StockFlowVersion.)
const RecordFormat = 1

// Forecast modes, as recorded in Record.Mode.
const (
	ModeSimulate  = "simulate"  // child-level Monte Carlo (Fit, Simulate)
	ModeMarkov    = "markov"    // deterministic reference, the open v2 method (Markov)
	ModePublished = "published" // published-statistics model (PublishedForecast)
)

// Record is one forecast as it was made, kept so it can be shown again and
// reproduced: what was asked (Request), the model's version, a digest of the
// inputs, who made it and when, and the results. It is built from the
// exported results of Simulate, Markov and PublishedForecast and turns back
// into them (Projection, MarkovProjection, PublishedResult), so a stored
// forecast is rendered by the same code as a new one.
//
// Exactly one of Simulation, Markov and Published is set, matching Mode.
type Record struct {
	Format       int       `json:"format"`        // RecordFormat when written
	Mode         string    `json:"mode"`          // ModeSimulate, ModeMarkov or ModePublished
	ModelVersion string    `json:"model_version"` // e.g. ChildModelVersion
	Made         time.Time `json:"made"`          // when the forecast was made, UTC
	Actor        string    `json:"actor"`         // who made it
	Request      Request   `json:"request"`
	Inputs       Inputs    `json:"inputs"`

	Simulation *SimulationResult `json:"simulation,omitempty"`
	Markov     *MarkovResult     `json:"markov,omitempty"`
	Published  *PublishedRecord  `json:"published,omitempty"`
}

// Request is what was asked for: the scope, origin, horizon and settings
// that, with the same inputs and model version, give the same forecast.
type Request struct {
	LA       string   `json:"la,omitempty"`     // --la as given (codes, names, or "all")
	Region   string   `json:"region,omitempty"` // region name, when the scope was a region
	Councils []string `json:"councils"`         // councils forecast, ONS codes (or as the input names them)
	// Origin is the forecast origin, YYYY-MM-DD; for a published-statistics
	// forecast, 31 March of the origin year.
	Origin string `json:"origin"`
	Years  int    `json:"years"`
	Sims   int    `json:"sims,omitempty"` // simulations (mode simulate)
	Seed   uint64 `json:"seed"`           // random seed (mode simulate)
	// The child-level model's settings (modes simulate and markov).
	ReferenceStart string  `json:"reference_start,omitempty"` // YYYY-MM-DD
	ReferenceEnd   string  `json:"reference_end,omitempty"`   // YYYY-MM-DD
	AgeBands       []int   `json:"age_bands,omitempty"`
	DurationBands  []int   `json:"duration_bands_days,omitempty"`
	PriorDays      float64 `json:"prior_days,omitempty"`
	// The cost projection's settings (mode simulate): unit cost and
	// inflation per placement group exactly as used, and the budget line.
	Costs  []CostSetting `json:"costs,omitempty"`
	Budget []float64     `json:"budget,omitempty"`
	// CostsAsGiven and InflationAsGiven are the unit costs and inflation
	// the user gave ("GROUP=VALUE,..."), if any, kept to repeat the request.
	CostsAsGiven     string `json:"costs_as_given,omitempty"`
	InflationAsGiven string `json:"inflation_as_given,omitempty"`
	// Source names the published series (mode published): a file as given,
	// or "embedded" for the copy in the program.
	Source string `json:"source,omitempty"`
}

// CostSetting is the weekly unit cost and yearly inflation used for one
// placement group, and where the cost came from.
type CostSetting struct {
	Group     string  `json:"group"`
	Weekly    float64 `json:"weekly_pounds"`
	Inflation float64 `json:"inflation"`
	Source    string  `json:"source"`
}

// Inputs identifies the data a forecast was made from.
type Inputs struct {
	// Digest is the SHA-256 (lower-case hex) of the inputs: InputsDigest of
	// the children and episodes, or the digest of the published series.
	Digest string `json:"sha256"`
	Label  string `json:"label,omitempty"` // e.g. the published series' file
	// Counts and warnings of the child-level fit.
	Children       int      `json:"children,omitempty"`
	Episodes       int      `json:"episodes,omitempty"`
	InCareAtOrigin int      `json:"in_care_at_origin,omitempty"`
	SkippedNoDOB   int      `json:"skipped_no_dob,omitempty"`
	Warnings       []string `json:"warnings,omitempty"`
}

// SimulationResult is a Projection's results: every series of every council
// and the roll-up, and the cost projection.
type SimulationResult struct {
	Months   []string     `json:"months"` // month ends, YYYY-MM-DD; the first is the origin
	RollUp   *AreaResult  `json:"rollup"`
	Councils []AreaResult `json:"councils"`
}

// AreaResult is the projection of one council or of the roll-up ("all").
type AreaResult struct {
	Council string           `json:"council"`
	Total   QuantileSeries   `json:"total"`
	Groups  []QuantileSeries `json:"groups"`
	Bands   []QuantileSeries `json:"bands"`
	States  []QuantileSeries `json:"states"`
	Entries QuantileSeries   `json:"entries"`
	Exits   []QuantileSeries `json:"exits"`
	Spend   []SpendRecord    `json:"spend"`
}

// QuantileSeries is one quantity by month: mean and percentiles over
// simulations.
type QuantileSeries struct {
	Name string    `json:"name"`
	Mean []float64 `json:"mean"`
	P10  []float64 `json:"p10"`
	P50  []float64 `json:"p50"`
	P90  []float64 `json:"p90"`
}

// SpendRecord is projected spend in one projection year (see SpendYear).
type SpendRecord struct {
	Year        int     `json:"year"`
	Ends        string  `json:"ends"`
	Mean        float64 `json:"mean"`
	P10         float64 `json:"p10"`
	P50         float64 `json:"p50"`
	P90         float64 `json:"p90"`
	Budget      float64 `json:"budget"`
	GapMean     float64 `json:"gap_mean"`
	GapP90      float64 `json:"gap_p90"`
	OverBudgetP float64 `json:"p_over_budget"`
}

// MarkovResult is a MarkovProjection's results.
type MarkovResult struct {
	Months   []string     `json:"months"`
	RollUp   *MarkovArea  `json:"rollup"`
	Councils []MarkovArea `json:"councils"`
}

// MarkovArea is the deterministic projection of one council or the roll-up.
type MarkovArea struct {
	Council string       `json:"council"`
	Total   MarkovBand   `json:"total"`
	Groups  []MarkovBand `json:"groups"`
	States  []MarkovBand `json:"states"`
}

// MarkovBand is one quantity by month: expected number, standard deviation
// and the ±2σ band.
type MarkovBand struct {
	Name  string    `json:"name"`
	Mean  []float64 `json:"mean"`
	SD    []float64 `json:"sd"`
	Lower []float64 `json:"lower"`
	Upper []float64 `json:"upper"`
}

// PublishedRecord is a PublishedResult: the fitted models and every
// council's predictions.
type PublishedRecord struct {
	Origin      int                `json:"origin"`
	Years       int                `json:"years"`
	DataYears   string             `json:"data_years"`
	Models      []PublishedModel   `json:"models"`
	Predictions []PublishedOutcome `json:"predictions"`
	Skipped     []string           `json:"skipped"`
}

// PublishedModel describes one fitted stock-and-flow model (see ModelInfo).
type PublishedModel struct {
	Horizon       int       `json:"horizon"`
	Variant       string    `json:"variant"`
	Features      []string  `json:"features"`
	Coefficients  []float64 `json:"coefficients"`
	ScaleA        float64   `json:"scale_a"`
	ScaleB        float64   `json:"scale_b"`
	TrainingPairs int       `json:"training_pairs"`
	TrainingYears []int     `json:"training_outcome_years"`
}

// PublishedOutcome is one council's predictive distribution for one year
// (see Prediction); Quantiles are (level, value) pairs by level.
type PublishedOutcome struct {
	Code      string       `json:"code"`
	Name      string       `json:"name"`
	Origin    int          `json:"origin"`
	Year      int          `json:"year"`
	Last      float64      `json:"last"`
	Mean      float64      `json:"mean"`
	Quantiles [][2]float64 `json:"quantiles"`
}

// NewSimulationRecord records a child-level Monte Carlo projection. The
// origin, reference window, seed, simulations and horizon in req are set
// from p, so they are the ones actually used.
func NewSimulationRecord(req Request, in Inputs, p *Projection) *Record {
	req.Origin, req.ReferenceStart, req.ReferenceEnd = day(p.Origin), day(p.RefStart), day(p.RefEnd)
	req.Seed, req.Sims = p.Seed, p.Sims
	req.Years = (len(p.Months) - 1) / 12
	res := &SimulationResult{Months: mapSlice(p.Months, day), Councils: make([]AreaResult, 0, len(p.Councils))}
	if p.RollUp != nil {
		a := areaResult(p.RollUp)
		res.RollUp = &a
	}
	for _, c := range p.Councils {
		res.Councils = append(res.Councils, areaResult(c))
	}
	return &Record{Format: RecordFormat, Mode: ModeSimulate, ModelVersion: p.Version, Request: req, Inputs: in, Simulation: res}
}

// NewMarkovRecord records a deterministic reference projection. The horizon
// in req is set from p, and the origin (p's first month) when req has none.
func NewMarkovRecord(req Request, in Inputs, p *MarkovProjection) *Record {
	req.Years = (len(p.Months) - 1) / 12
	if req.Origin == "" && len(p.Months) > 0 {
		req.Origin = p.Months[0]
	}
	res := &MarkovResult{Months: slices.Clone(p.Months), Councils: make([]MarkovArea, 0, len(p.Councils))}
	if p.RollUp != nil {
		a := markovArea(p.RollUp)
		res.RollUp = &a
	}
	for _, c := range p.Councils {
		res.Councils = append(res.Councils, markovArea(c))
	}
	return &Record{Format: RecordFormat, Mode: ModeMarkov, ModelVersion: p.Version, Request: req, Inputs: in, Markov: res}
}

// NewPublishedRecord records a published-statistics forecast. The origin
// (31 March of res.Origin) and horizon in req are set from res.
func NewPublishedRecord(req Request, in Inputs, res *PublishedResult) *Record {
	req.Origin = day(time.Date(res.Origin, time.March, 31, 0, 0, 0, 0, time.UTC))
	req.Years = res.Years
	out := &PublishedRecord{Origin: res.Origin, Years: res.Years, DataYears: res.DataYears, Skipped: slices.Clone(res.Skipped)}
	out.Models = mapSlice(res.Models, func(m ModelInfo) PublishedModel {
		return PublishedModel{Horizon: m.Horizon, Variant: m.Variant, Features: slices.Clone(m.Features), Coefficients: slices.Clone(m.Coefficients),
			ScaleA: m.ScaleA, ScaleB: m.ScaleB, TrainingPairs: m.TrainingPairs, TrainingYears: slices.Clone(m.TrainingYears)}
	})
	out.Predictions = mapSlice(res.Predictions, func(p Prediction) PublishedOutcome {
		o := PublishedOutcome{Code: p.Code, Name: p.Name, Origin: p.Origin, Year: p.Year, Last: p.Last, Mean: p.Mean}
		if p.Quantiles != nil {
			o.Quantiles = make([][2]float64, 0, len(p.Quantiles))
			for l, v := range p.Quantiles {
				o.Quantiles = append(o.Quantiles, [2]float64{l, v})
			}
			sort.Slice(o.Quantiles, func(i, j int) bool { return o.Quantiles[i][0] < o.Quantiles[j][0] })
		}
		return o
	})
	return &Record{Format: RecordFormat, Mode: ModePublished, ModelVersion: res.ModelVersion, Request: req, Inputs: in, Published: out}
}

// Projection rebuilds the Monte Carlo projection a ModeSimulate record was
// made from. EINVALID for a record of another mode or with unreadable dates.
func (r *Record) Projection() (*Projection, error) {
	if r.Mode != ModeSimulate || r.Simulation == nil {
		return nil, care.Errorf(care.EINVALID, "forecast record of mode %q holds no child-level simulation", r.Mode)
	}
	p := &Projection{Version: r.ModelVersion, Seed: r.Request.Seed, Sims: r.Request.Sims}
	var err error
	for _, d := range []struct {
		s   string
		dst *time.Time
	}{{r.Request.Origin, &p.Origin}, {r.Request.ReferenceStart, &p.RefStart}, {r.Request.ReferenceEnd, &p.RefEnd}} {
		if *d.dst, err = parseDay(d.s); err != nil {
			return nil, err
		}
	}
	if r.Simulation.Months != nil {
		p.Months = make([]time.Time, len(r.Simulation.Months))
		for i, s := range r.Simulation.Months {
			if p.Months[i], err = parseDay(s); err != nil {
				return nil, err
			}
		}
	}
	if r.Simulation.RollUp != nil {
		p.RollUp = r.Simulation.RollUp.projection()
	}
	if r.Simulation.Councils != nil {
		p.Councils = make([]*CouncilProjection, len(r.Simulation.Councils))
		for i := range r.Simulation.Councils {
			p.Councils[i] = r.Simulation.Councils[i].projection()
		}
	}
	return p, nil
}

// MarkovProjection rebuilds the deterministic projection a ModeMarkov record
// was made from. EINVALID for a record of another mode.
func (r *Record) MarkovProjection() (*MarkovProjection, error) {
	if r.Mode != ModeMarkov || r.Markov == nil {
		return nil, care.Errorf(care.EINVALID, "forecast record of mode %q holds no deterministic reference projection", r.Mode)
	}
	p := &MarkovProjection{Version: r.ModelVersion, Months: slices.Clone(r.Markov.Months)}
	if r.Markov.RollUp != nil {
		p.RollUp = r.Markov.RollUp.council()
	}
	if r.Markov.Councils != nil {
		p.Councils = make([]*MarkovCouncil, len(r.Markov.Councils))
		for i := range r.Markov.Councils {
			p.Councils[i] = r.Markov.Councils[i].council()
		}
	}
	return p, nil
}

// PublishedResult rebuilds the published-statistics forecast a
// ModePublished record was made from. EINVALID for a record of another mode.
func (r *Record) PublishedResult() (*PublishedResult, error) {
	if r.Mode != ModePublished || r.Published == nil {
		return nil, care.Errorf(care.EINVALID, "forecast record of mode %q holds no published-statistics forecast", r.Mode)
	}
	pr := r.Published
	res := &PublishedResult{ModelVersion: r.ModelVersion, Origin: pr.Origin, Years: pr.Years, DataYears: pr.DataYears, Skipped: slices.Clone(pr.Skipped)}
	res.Models = mapSlice(pr.Models, func(m PublishedModel) ModelInfo {
		return ModelInfo{Horizon: m.Horizon, Variant: m.Variant, Features: slices.Clone(m.Features), Coefficients: slices.Clone(m.Coefficients),
			ScaleA: m.ScaleA, ScaleB: m.ScaleB, TrainingPairs: m.TrainingPairs, TrainingYears: slices.Clone(m.TrainingYears)}
	})
	res.Predictions = mapSlice(pr.Predictions, func(o PublishedOutcome) Prediction {
		p := Prediction{Code: o.Code, Name: o.Name, Origin: o.Origin, Year: o.Year, Last: o.Last, Mean: o.Mean}
		if o.Quantiles != nil {
			p.Quantiles = make(map[float64]float64, len(o.Quantiles))
			for _, q := range o.Quantiles {
				p.Quantiles[q[0]] = q[1]
			}
		}
		return p
	})
	return res, nil
}

// Check reports whether the record is complete enough to keep: a known mode
// with its results, a model version, an inputs digest and an origin.
func (r *Record) Check() error {
	switch {
	case r.Mode == ModeSimulate && r.Simulation == nil,
		r.Mode == ModeMarkov && r.Markov == nil,
		r.Mode == ModePublished && r.Published == nil:
		return care.Errorf(care.EINVALID, "forecast record of mode %s holds no results", r.Mode)
	case r.Mode != ModeSimulate && r.Mode != ModeMarkov && r.Mode != ModePublished:
		return care.Errorf(care.EINVALID, "forecast record mode %q: use %s, %s or %s", r.Mode, ModeSimulate, ModeMarkov, ModePublished)
	case r.ModelVersion == "":
		return care.Errorf(care.EINVALID, "forecast record has no model version")
	case r.Inputs.Digest == "":
		return care.Errorf(care.EINVALID, "forecast record has no digest of its inputs")
	}
	if _, err := parseDay(r.Request.Origin); err != nil || r.Request.Origin == "" {
		return care.Errorf(care.EINVALID, "forecast record origin %q is not a date (YYYY-MM-DD)", r.Request.Origin)
	}
	return nil
}

// Encode writes the record in its stored form: JSON, gzip-compressed (a
// five-year monthly projection of a region is mostly repeated digits).
// Floating-point numbers are written in the shortest form that reads back to
// the same value, so a decoded record renders exactly as the original.
// EINVALID for an incomplete record (see Check) or a value JSON cannot hold
// (NaN, ±Inf).
func (r *Record) Encode() ([]byte, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	js, err := json.Marshal(r)
	if err != nil {
		return nil, care.WrapError(care.EINVALID, err, "encode the forecast record")
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(js)
	if err := zw.Close(); err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "compress the forecast record")
	}
	return b.Bytes(), nil
}

// DecodeRecord reads a record written by Encode (or its uncompressed JSON).
// EUNUSABLE when b is not a record; ECONFLICT when it was written in a
// newer layout than this program knows.
func DecodeRecord(b []byte) (*Record, error) {
	js := b
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "the stored forecast is not a readable record")
		}
		if js, err = io.ReadAll(zr); err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "the stored forecast is not a readable record")
		}
	}
	var r Record
	if err := json.Unmarshal(js, &r); err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "the stored forecast is not a readable record")
	}
	if r.Format > RecordFormat {
		return nil, care.Errorf(care.ECONFLICT, "the stored forecast has record format %d but this sufficiency reads only up to %d: use a newer sufficiency", r.Format, RecordFormat)
	}
	if r.Format < 1 {
		return nil, care.Errorf(care.EUNUSABLE, "the stored forecast is not a readable record (no format)")
	}
	return &r, nil
}

func areaResult(c *CouncilProjection) AreaResult {
	return AreaResult{Council: c.Council, Total: quantileSeries(c.Total), Groups: mapSlice(c.Groups, quantileSeries),
		Bands: mapSlice(c.Bands, quantileSeries), States: mapSlice(c.States, quantileSeries), Entries: quantileSeries(c.Entries),
		Exits: mapSlice(c.Exits, quantileSeries), Spend: mapSlice(c.Spend, func(s SpendYear) SpendRecord { return SpendRecord(s) })}
}

func (a *AreaResult) projection() *CouncilProjection {
	return &CouncilProjection{Council: a.Council, Total: a.Total.series(), Groups: mapSlice(a.Groups, QuantileSeries.series),
		Bands: mapSlice(a.Bands, QuantileSeries.series), States: mapSlice(a.States, QuantileSeries.series), Entries: a.Entries.series(),
		Exits: mapSlice(a.Exits, QuantileSeries.series), Spend: mapSlice(a.Spend, func(s SpendRecord) SpendYear { return SpendYear(s) })}
}

func quantileSeries(s Series) QuantileSeries {
	return QuantileSeries{Name: s.Name, Mean: slices.Clone(s.Mean), P10: slices.Clone(s.P10), P50: slices.Clone(s.P50), P90: slices.Clone(s.P90)}
}

func (q QuantileSeries) series() Series {
	return Series{Name: q.Name, Mean: slices.Clone(q.Mean), P10: slices.Clone(q.P10), P50: slices.Clone(q.P50), P90: slices.Clone(q.P90)}
}

func markovArea(c *MarkovCouncil) MarkovArea {
	return MarkovArea{Council: c.Council, Total: markovBand(c.Total), Groups: mapSlice(c.Groups, markovBand), States: mapSlice(c.States, markovBand)}
}

func (a *MarkovArea) council() *MarkovCouncil {
	return &MarkovCouncil{Council: a.Council, Total: a.Total.series(), Groups: mapSlice(a.Groups, MarkovBand.series), States: mapSlice(a.States, MarkovBand.series)}
}

func markovBand(s MarkovSeries) MarkovBand {
	return MarkovBand{Name: s.Name, Mean: slices.Clone(s.Mean), SD: slices.Clone(s.SD), Lower: slices.Clone(s.Lower), Upper: slices.Clone(s.Upper)}
}

func (b MarkovBand) series() MarkovSeries {
	return MarkovSeries{Name: b.Name, Mean: slices.Clone(b.Mean), SD: slices.Clone(b.SD), Lower: slices.Clone(b.Lower), Upper: slices.Clone(b.Upper)}
}

// mapSlice applies f to each element; nil stays nil and empty stays empty,
// so a round trip through JSON keeps the difference the renderers show.
func mapSlice[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, care.WrapError(care.EINVALID, err, "forecast record date %q is not YYYY-MM-DD", s)
	}
	return t, nil
}
