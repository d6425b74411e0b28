package analysis

import (
	"context"
	"fmt"
	"io"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/store"
)

// ListForecasts writes the forecasts fst keeps, oldest first, in format
// (see WriteForecastList): those covering the council spec names (the zero
// spec or England: every forecast). In text, a sentence says when there is
// none. EINVALID for several councils or a region.
func ListForecasts(ctx context.Context, fst store.ForecastStore, spec ScopeSpec, w io.Writer, format string) error {
	var filter store.ForecastFilter
	switch {
	case len(spec.Councils) > 1:
		return care.Errorf(care.EINVALID, "%q names several councils: saved forecasts are listed for one council", spec.LA())
	case spec.Region != "" && !spec.IsEngland():
		return care.Errorf(care.EINVALID, "saved forecasts are listed for one council, not a region")
	case len(spec.Councils) == 1:
		filter.Council = spec.Councils[0]
	}
	saved, err := fst.Forecasts(ctx, filter)
	if err != nil || len(saved) > 0 || format != "text" {
		if err != nil {
			return err
		}
		return WriteForecastList(w, format, saved)
	}
	if filter.Council != "" {
		_, err = fmt.Fprintf(w, "No saved forecast covers %s.\n", filter.Council)
	} else {
		_, err = fmt.Fprintln(w, "No saved forecasts: every forecast on imported data is saved when made.")
	}
	return err
}

// SavedForecast reads forecast id from fst and decodes it, with a line
// saying when, by whom and how it was made (model version, inputs digest).
// EINVALID for an id below 1, ENOTFOUND for one fst does not keep.
func SavedForecast(ctx context.Context, fst store.ForecastStore, id int64) (*forecast.Record, string, error) {
	if id < 1 {
		return nil, "", care.Errorf(care.EINVALID, "forecast %d: give the id of a saved forecast", id)
	}
	saved, err := fst.Forecast(ctx, id)
	if err != nil {
		return nil, "", err
	}
	rec, err := forecast.DecodeRecord(saved.Record)
	if err != nil {
		return nil, "", err
	}
	return rec, fmt.Sprintf("forecast %d: %s, made %s by %s (model %s, inputs %s)", saved.ID, rec.Mode,
		rec.Made.UTC().Format("2006-01-02 15:04:05 UTC"), rec.Actor, rec.ModelVersion, rec.Inputs.Digest), nil
}
