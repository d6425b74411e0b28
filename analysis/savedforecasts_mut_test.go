package analysis

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/store"
)

// filterRecorder is a store.ForecastStore that keeps none and records the
// filter it was asked for.
type filterRecorder struct {
	store.ForecastStore
	asked []store.ForecastFilter
}

func (r *filterRecorder) Forecasts(_ context.Context, f store.ForecastFilter) ([]store.SavedForecast, error) {
	r.asked = append(r.asked, f)
	return nil, nil
}

// TestListForecastsScope pins which scopes list saved forecasts: one
// council (filtered to it), England or nothing (every forecast); several
// councils or a region are refused with a reason, before the store is read.
func TestListForecastsScope(t *testing.T) {
	for _, tc := range []struct {
		name    string
		spec    ScopeSpec
		council string // the filter's council; "-" when refused
		text    string
	}{
		{"no scope", ScopeSpec{}, "", "No saved forecasts: every forecast on imported data is saved when made."},
		{"England", ScopeSpec{Region: England}, "", "No saved forecasts"},
		{"one council", ScopeSpec{Councils: []string{"E06000001"}}, "E06000001", "No saved forecast covers E06000001."},
		{"two councils", ScopeSpec{Councils: []string{"E06000001", "E06000002"}}, "-", "names several councils"},
		{"a region", ScopeSpec{Region: "North East"}, "-", "not a region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &filterRecorder{}
			var out bytes.Buffer
			err := ListForecasts(context.Background(), rec, tc.spec, &out, "text")
			if tc.council == "-" {
				if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tc.text) {
					t.Fatalf("err %v; want EINVALID saying %q", err, tc.text)
				}
				if len(rec.asked) != 0 {
					t.Fatalf("the store was read (%v) for a refused scope", rec.asked)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.asked) != 1 || rec.asked[0].Council != tc.council || rec.asked[0].Mode != "" {
				t.Fatalf("filters asked %+v; want one for council %q", rec.asked, tc.council)
			}
			if !strings.HasPrefix(out.String(), tc.text) {
				t.Fatalf("wrote %q; want %q", out.String(), tc.text)
			}
		})
	}
}
