package store

import (
	"context"
	"strings"
	"time"

	"sufficiency/care"
)

// ForecastStore keeps forecasts as they were made, so they can be listed,
// shown again and reproduced. The store knows a forecast only by the summary
// it lists and filters on; the forecast itself is kept as the bytes the
// forecast package encoded (forecast.Record.Encode), returned unchanged.
//
// Stored forecasts are aggregate figures, not child-level data, so reading
// them appends nothing to the audit log; the actor who made each forecast is
// kept with it. Both store implementations provide it (their *DB types).
type ForecastStore interface {
	// SaveForecast stores f and returns it with its new ID and the time it
	// was saved (At, the store's clock, UTC to the microsecond). Actor, when
	// blank, is the context's actor (WithActor). EINVALID when the mode,
	// model version, inputs digest or record is missing, or Years is not
	// positive.
	SaveForecast(ctx context.Context, f SavedForecast) (SavedForecast, error)
	// Forecasts lists the saved forecasts matching filter, oldest first,
	// without their records (Record is nil).
	Forecasts(ctx context.Context, filter ForecastFilter) ([]SavedForecast, error)
	// Forecast returns one saved forecast with its record. ENOTFOUND when
	// there is no forecast with that id.
	Forecast(ctx context.Context, id int64) (SavedForecast, error)
}

// SavedForecast is one stored forecast: what is listed about it, and the
// encoded forecast.
type SavedForecast struct {
	ID    int64
	At    time.Time // when it was saved, UTC (set by the store)
	Actor string    // who made it
	Mode  string    // simulate, markov or published
	// Scope says what was asked for: a region's name, the councils as given,
	// or "all".
	Scope string
	// Councils are the councils the forecast covers (ONS codes, or the codes
	// the input used); Forecasts filters on them.
	Councils       []string
	Origin         time.Time // forecast origin, a civil date
	Years          int       // horizon in years
	Sims           int       // simulations (0 when the mode has none)
	Seed           int64     // random seed (mode simulate)
	ReferenceStart time.Time // reference window of the rates (zero when the mode has none)
	ReferenceEnd   time.Time
	ModelVersion   string // e.g. childsim-3
	InputsDigest   string // SHA-256 of the inputs, lower-case hex
	// Record is the encoded forecast (forecast.Record.Encode), kept and
	// returned byte for byte. Nil in lists.
	Record []byte
}

// ForecastFilter selects saved forecasts. Empty fields select everything.
type ForecastFilter struct {
	Council string // forecasts covering this council
	Mode    string // forecasts of this mode
}

// PrepareForecast checks f before it is saved and fills in what the store
// owns: the actor (the context's when blank) and the time saved (now, UTC,
// to the microsecond). Implementations call it first.
func PrepareForecast(ctx context.Context, f SavedForecast, now time.Time) (SavedForecast, error) {
	switch {
	case strings.TrimSpace(f.Mode) == "":
		return f, care.Errorf(care.EINVALID, "the forecast has no mode (simulate, markov or published)")
	case strings.TrimSpace(f.ModelVersion) == "":
		return f, care.Errorf(care.EINVALID, "the forecast has no model version: it could not be reproduced")
	case strings.TrimSpace(f.InputsDigest) == "":
		return f, care.Errorf(care.EINVALID, "the forecast has no digest of its inputs: it could not be reproduced")
	case len(f.Record) == 0:
		return f, care.Errorf(care.EINVALID, "the forecast has no record to keep")
	case f.Years < 1:
		return f, care.Errorf(care.EINVALID, "the forecast's horizon is %d years: give 1 or more", f.Years)
	case f.Origin.IsZero():
		return f, care.Errorf(care.EINVALID, "the forecast has no origin date")
	}
	seen := map[string]bool{}
	for _, c := range f.Councils {
		if strings.TrimSpace(c) == "" || seen[c] {
			return f, care.Errorf(care.EINVALID, "the forecast's councils %v hold a blank or repeated code; list each council once", f.Councils)
		}
		seen[c] = true
	}
	if strings.TrimSpace(f.Actor) == "" {
		f.Actor = ActorFrom(ctx)
	}
	f.ID = 0
	f.At = now.UTC().Truncate(time.Microsecond)
	return f, nil
}
