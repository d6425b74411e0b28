package match

import (
	"fmt"
	"strconv"
	"strings"

	"sufficiency/care"
	"sufficiency/tabular"
)

// ModeLabel names a simulation mode in words.
func ModeLabel(mode string) string {
	switch mode {
	case ModeFirstCome:
		return "first come"
	case ModeDaily:
		return "daily batch"
	case ModeWeekly:
		return "weekly batch"
	}
	return mode
}

// ReadMarket explains, in plain words, why the outcomes of a market
// simulation differ or agree: each sentence is derived from the outcomes
// (which vacancies each way filled, the costs, distances and waits), never
// asserted. vacancies is the number of vacancies open in the period.
func ReadMarket(out []MarketOutcome, vacancies int) []string {
	if len(out) < 2 {
		return nil
	}
	var lines []string
	first, last := out[0], out[len(out)-1]
	samePlaced := true
	for _, o := range out[1:] {
		samePlaced = samePlaced && o.Placed == first.Placed
	}
	filled := make([]map[string]bool, len(out))
	for i, o := range out {
		filled[i] = map[string]bool{}
		for _, p := range o.Placements {
			filled[i][p.VacancyID] = true
		}
	}
	sameVacancies := true
	for i := 1; i < len(out); i++ {
		if len(filled[i]) != len(filled[0]) {
			sameVacancies = false
			continue
		}
		for v := range filled[i] {
			sameVacancies = sameVacancies && filled[0][v]
		}
	}

	switch {
	case samePlaced && first.Children > vacancies:
		lines = append(lines, fmt.Sprintf("Every way places %s of the %s children: there are more children than the period's %s vacancies, so supply, not the way of allocating, limits how many are placed; what differs is which child gets which place.",
			count(first.Placed), count(first.Children), count(vacancies)))
	case samePlaced:
		lines = append(lines, fmt.Sprintf("Every way places %s of the %s children; what differs is which child gets which place.", count(first.Placed), count(first.Children)))
	default:
		lines = append(lines, fmt.Sprintf("%s places %s children and %s %s: joint allocation can fit more children into the same vacancies by not letting an early child take a place a later one needed more (or fewer, when it holds a place for a better match that never comes).",
			capital(ModeLabel(first.Mode)), count(first.Placed), ModeLabel(last.Mode), count(last.Placed)))
	}

	sameCost := true
	for _, o := range out[1:] {
		sameCost = sameCost && o.WeeklyCost == first.WeeklyCost
	}
	switch {
	case sameCost && sameVacancies:
		lines = append(lines, fmt.Sprintf("The total weekly cost is the same (%s a week) because the same %s vacancies are filled every way and a place's price is the provider's, whoever fills it; a method changes spend only by filling different places.",
			money(first.WeeklyCost.Pounds()), count(len(filled[0]))))
	case sameCost:
		lines = append(lines, fmt.Sprintf("The total weekly cost is the same (%s a week) although different vacancies are filled: their prices happen to sum alike.", money(first.WeeklyCost.Pounds())))
	default:
		lines = append(lines, fmt.Sprintf("The total weekly cost is %s a week %s and %s a week %s: the ways fill different vacancies, at their providers' prices.",
			money(first.WeeklyCost.Pounds()), ModeLabel(first.Mode), money(last.WeeklyCost.Pounds()), ModeLabel(last.Mode)))
	}

	if last.MeanMiles < first.MeanMiles {
		lines = append(lines, fmt.Sprintf("Joint allocation brings children closer to home (mean %s miles %s, %s miles %s; over 20 miles %s%% and %s%%) because it weighs every waiting child against every open place at once, instead of giving each place to the first child it suits.",
			strconv.FormatFloat(first.MeanMiles, 'f', 1, 64), ModeLabel(first.Mode), strconv.FormatFloat(last.MeanMiles, 'f', 1, 64), ModeLabel(last.Mode),
			strconv.FormatFloat(100*first.ShareOver20, 'f', 1, 64), strconv.FormatFloat(100*last.ShareOver20, 'f', 1, 64)))
	}

	if first.MeanWaitDays > last.MeanWaitDays && first.Unplaced > 0 {
		lines = append(lines, fmt.Sprintf("The mean wait counts placed children only. First come gives each place that opens to the child who has waited longest among those it suits, so the children it places have waited longest (mean %s days); the batches choose the best match in the queue, often a recent referral, so the children they place waited less (%s days %s) while those passed over wait on (longest wait %d days against %d).",
			strconv.FormatFloat(first.MeanWaitDays, 'f', 1, 64), strconv.FormatFloat(last.MeanWaitDays, 'f', 1, 64), ModeLabel(last.Mode), last.MaxWaitDays, first.MaxWaitDays))
	} else if first.MeanWaitDays < last.MeanWaitDays {
		lines = append(lines, fmt.Sprintf("Batches make children wait for the next allocation: mean wait %s days %s against %s days first come.",
			strconv.FormatFloat(last.MeanWaitDays, 'f', 1, 64), ModeLabel(last.Mode), strconv.FormatFloat(first.MeanWaitDays, 'f', 1, 64)))
	}
	if first.Unplaced > 0 && samePlaced {
		lines = append(lines, fmt.Sprintf("%s children are left unplaced whichever way places are allocated: the simulation does not create places, so this is the gap new supply would have to close.", capital(count(first.Unplaced))))
	}
	return lines
}

func count(n int) string { return tabular.Thousands(int64(n)) }

func money(pounds float64) string { return Pounds(care.FromPounds(pounds)) }

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
