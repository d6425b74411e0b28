package store

import (
	"context"
	"strings"
	"time"

	"sufficiency/care"
)

// ScenarioStore keeps scenarios as they were run: the scenario file as
// given and the result as package scenario encoded it, both byte for byte,
// with who ran it and when. Saving a scenario under a name already used
// gives it the next version of that name. Stored scenarios are aggregate
// figures, so reading them appends nothing to the audit log. Both store
// implementations provide it (their *DB types).
type ScenarioStore interface {
	// SaveScenario stores s and returns it with its ID, version and the
	// time saved (the store's clock, UTC, to the microsecond). Actor, when
	// blank, is the context's actor. EINVALID when the name, file, result,
	// model version or inputs digest is missing, or Years is not positive.
	SaveScenario(ctx context.Context, s SavedScenario) (SavedScenario, error)
	// Scenarios lists the saved scenarios matching filter, newest first,
	// without their file and result.
	Scenarios(ctx context.Context, filter ScenarioFilter) ([]SavedScenario, error)
	// Scenario returns one saved scenario with its file and result.
	// ENOTFOUND when there is none with that id.
	Scenario(ctx context.Context, id int64) (SavedScenario, error)
}

// SavedScenario is one stored run of a scenario.
type SavedScenario struct {
	ID      int64
	At      time.Time // when it was saved, UTC (set by the store)
	Actor   string    // who ran it
	Name    string
	Version int    // 1 for the first run saved under the name (set by the store)
	Scope   string // the council or region
	// Councils are the councils it covers (ONS codes).
	Councils     []string
	Origin       time.Time // civil date
	Years        int
	Sims         int
	Seed         int64
	ModelVersion string
	InputsDigest string // SHA-256 of the children and episodes, hex
	// File is the scenario as given (JSON or YAML); Result is the result (JSON).
	// Both nil in lists.
	File, Result []byte
}

// ScenarioFilter selects saved scenarios; empty fields select everything.
type ScenarioFilter struct {
	Name    string // scenarios of this name
	Council string // scenarios covering this council
}

// PrepareScenario checks s before it is saved and fills in the actor (the
// context's when blank) and the time (now, UTC, to the microsecond).
func PrepareScenario(ctx context.Context, s SavedScenario, now time.Time) (SavedScenario, error) {
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.Name == "":
		return s, care.Errorf(care.EINVALID, "the scenario has no name")
	case len(s.Name) > 200:
		return s, care.Errorf(care.EINVALID, "the scenario's name is %d characters: give at most 200", len(s.Name))
	case len(s.File) == 0 || len(s.Result) == 0:
		return s, care.Errorf(care.EINVALID, "the scenario has no file or no result to keep")
	case strings.TrimSpace(s.ModelVersion) == "" || strings.TrimSpace(s.InputsDigest) == "":
		return s, care.Errorf(care.EINVALID, "the scenario has no model version or inputs digest: it could not be reproduced")
	case s.Years < 1:
		return s, care.Errorf(care.EINVALID, "the scenario's horizon is %d years: give 1 or more", s.Years)
	}
	if strings.TrimSpace(s.Actor) == "" {
		s.Actor = ActorFrom(ctx)
	}
	s.At = now.UTC().Truncate(time.Microsecond)
	s.ID, s.Version = 0, 0
	return s, nil
}
