package scenario

import (
	"bytes"
	"encoding/json"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// Encode is the result as JSON, as the CLI prints it and the store keeps it:
// the same scenario, data and seed give the same bytes.
func (r *Result) Encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "encode scenario result")
	}
	return b.Bytes(), nil
}

// Saved is the stored form of a run: the scenario file as given and the
// encoded result.
func (r *Result) Saved(file []byte) (store.SavedScenario, error) {
	res, err := r.Encode()
	if err != nil {
		return store.SavedScenario{}, err
	}
	origin, err := time.Parse(time.DateOnly, r.Origin)
	if err != nil {
		return store.SavedScenario{}, care.WrapError(care.EINTERNAL, err, "scenario origin %q", r.Origin)
	}
	return store.SavedScenario{Name: r.Name, Scope: r.Scope, Councils: r.Councils, Origin: origin, Years: r.Years, Sims: r.Sims,
		Seed: int64(r.Seed), ModelVersion: r.ModelVersion, InputsDigest: r.InputsDigest, File: file, Result: res}, nil
}

// Decode reads a stored result back.
func Decode(s store.SavedScenario) (*Result, error) {
	var r Result
	if err := json.Unmarshal(s.Result, &r); err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "saved scenario %d cannot be read: it was saved by an incompatible version", s.ID)
	}
	return &r, nil
}
