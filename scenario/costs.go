package scenario

import (
	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/forecast"
)

// BaseCosts gives the unit costs a scenario prices children with: the
// child-level forecast's own (analysis.ForecastCosts with no cost settings),
// so a scenario's baseline and `forecast` price a group the same way —
// imported weekly costs where the reference window holds at least a
// child-year of costed placements in the group, with the rise observed in
// them; otherwise the embedded reference figures brought to the origin's
// prices at the group's published rise.
func BaseCosts(m *forecast.Model, episodes []care.Episode) (*forecast.Costs, error) {
	return analysis.ForecastCosts(m, episodes, analysis.ForecastOptions{})
}
