package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/internal/inputfile"
	"sufficiency/refdata"
)

// LoadPublished reads the published series (DfE council totals CSV) at
// source, or, when source is "" or "embedded", builds it from the copy
// embedded in refdata. The inputs name the series (Label) and carry the
// SHA-256 of what was read (Digest).
func LoadPublished(source string) (*forecast.Published, forecast.Inputs, error) {
	if source == "" || source == "embedded" {
		p, digest, err := EmbeddedPublished()
		return p, forecast.Inputs{Digest: digest, Label: "embedded DfE council totals 2010–2025 (refdata)"}, err
	}
	b, err := inputfile.ReadFile(source)
	if err != nil {
		return nil, forecast.Inputs{}, care.WrapError(care.EUNUSABLE, err, "cannot read the published series %s; give the path of a CSV in the DfE council totals format", source)
	}
	p, err := forecast.ReadPublished(strings.NewReader(string(b)))
	if err != nil {
		return nil, forecast.Inputs{}, err
	}
	sum := sha256.Sum256(b)
	return p, forecast.Inputs{Digest: hex.EncodeToString(sum[:]), Label: source}, nil
}

// PublishedForecast forecasts children in care from the published series p
// read as in (LoadPublished) at origin (a year), years ahead, for the
// councils spec names: its region's councils that the series holds, its
// councils, or every council (the zero spec or England). The record keeps
// req (what was asked, as given) with the councils covered.
func PublishedForecast(p *forecast.Published, in forecast.Inputs, spec ScopeSpec, req forecast.Request, origin, years int) (*forecast.Record, error) {
	var codes []string
	switch {
	case spec.Region != "" && !spec.IsEngland():
		cs, err := refdata.CouncilsInRegion(spec.Region)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if _, err := p.Council(c.DfECode); err == nil {
				codes = append(codes, c.DfECode)
			}
		}
	case len(spec.Councils) > 0:
		codes = spec.Councils
	}
	res, err := forecast.PublishedForecast(p, origin, years, codes)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	req.Councils = nil
	for _, pr := range res.Predictions {
		if !seen[pr.Code] {
			seen[pr.Code] = true
			req.Councils = append(req.Councils, pr.Code)
		}
	}
	return forecast.NewPublishedRecord(req, in, res), nil
}
