package siting

import (
	"fmt"
	"strings"
)

// Scenario is a scenario file (as JSON objects a scenario file accepts)
// opening the chosen sites over five years: its name lists the districts,
// its scope is the region asked for, else the one council the answer
// covers, else la as asked; its levers are Levers (each with its council
// for a region).
func (a *Answer) Scenario(weekly, capital float64, start, la, region string) map[string]any {
	scope := map[string]string{"la": la}
	if region != "" {
		scope = map[string]string{"region": region}
	} else if len(a.Councils) == 1 {
		scope = map[string]string{"la": a.Councils[0]}
	}
	codes := make([]string, 0, len(a.Sites))
	for _, s := range a.Sites {
		codes = append(codes, s.District)
	}
	return map[string]any{"name": fmt.Sprintf("%d homes in %s", len(a.Sites), strings.Join(codes, ", ")), "scope": scope,
		"years": 5, "seed": 1, "levers": a.Levers(weekly, capital, start, region != "")}
}
