package analysis

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sufficiency/forecast"
	"sufficiency/store"
	"sufficiency/tabular"
)

// savedForecastLine is one saved forecast as a list of saved forecasts shows it.
type savedForecastLine struct {
	ID             int64    `json:"id"`
	SavedAt        string   `json:"saved_at"`
	Actor          string   `json:"actor"`
	Mode           string   `json:"mode"`
	Scope          string   `json:"scope"`
	Councils       []string `json:"councils"`
	Origin         string   `json:"origin"`
	Years          int      `json:"years"`
	Sims           int      `json:"sims"`
	Seed           int64    `json:"seed"`
	ReferenceStart string   `json:"reference_start"`
	ReferenceEnd   string   `json:"reference_end"`
	ModelVersion   string   `json:"model_version"`
	InputsSHA256   string   `json:"inputs_sha256"`
}

// WriteForecastList prints saved forecasts, oldest first, in format: json
// (an array), csv or text (a table; nothing for none).
func WriteForecastList(w io.Writer, format string, saved []store.SavedForecast) error {
	lines := make([]savedForecastLine, len(saved))
	for i, f := range saved {
		lines[i] = savedForecastLine{ID: f.ID, SavedAt: f.At.UTC().Format(time.RFC3339), Actor: f.Actor, Mode: f.Mode, Scope: f.Scope,
			Councils: f.Councils, Origin: dateText(f.Origin), Years: f.Years, Sims: f.Sims, Seed: f.Seed,
			ReferenceStart: dateText(f.ReferenceStart), ReferenceEnd: dateText(f.ReferenceEnd), ModelVersion: f.ModelVersion, InputsSHA256: f.InputsDigest}
		if lines[i].Councils == nil {
			lines[i].Councils = []string{}
		}
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	case "csv":
		cw := tabular.NewCSVWriter(w)
		cw.Write([]string{"id", "saved_at", "actor", "mode", "scope", "councils", "origin", "years", "sims", "seed",
			"reference_start", "reference_end", "model_version", "inputs_sha256"})
		for _, l := range lines {
			cw.Write([]string{strconv.FormatInt(l.ID, 10), l.SavedAt, l.Actor, l.Mode, l.Scope, strings.Join(l.Councils, " "), l.Origin,
				strconv.Itoa(l.Years), strconv.Itoa(l.Sims), strconv.FormatInt(l.Seed, 10), l.ReferenceStart, l.ReferenceEnd, l.ModelVersion, l.InputsSHA256})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tsaved (UTC)\tby\tmode\tscope\torigin\tyears\tsims\tseed\treference window\tmodel\tinputs")
	for _, l := range lines {
		sims, seed, window := "-", "-", "-"
		if l.Mode == forecast.ModeSimulate {
			sims, seed = strconv.Itoa(l.Sims), strconv.FormatInt(l.Seed, 10)
		}
		if l.ReferenceStart != "" {
			window = l.ReferenceStart + " to " + l.ReferenceEnd
		}
		scope := l.Scope
		if len(scope) > 40 {
			scope = scope[:37] + "..."
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", l.ID, strings.TrimSuffix(strings.Replace(l.SavedAt, "T", " ", 1), "Z"),
			l.Actor, l.Mode, scope, l.Origin, l.Years, sims, seed, window, l.ModelVersion, l.InputsSHA256[:min(12, len(l.InputsSHA256))])
	}
	return tw.Flush()
}
