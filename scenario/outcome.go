package scenario

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/tabular"
)

// outcomes fills res.Outcomes and the payback from the kept simulations of
// the baseline and the scenario.
func (sc *Scenario) outcomes(res *Result, m *forecast.Model, base, scen *forecast.Projection, comp []*compiled, costs *forecast.Costs, dist *distances, provisions []care.Provision) {
	ng := len(m.Groups)
	S := sc.Sims
	K := 12*sc.Years + 1
	origin := m.Config.Origin
	// price per child (spot) per group per month k, and the month's weeks
	price := make([][]float64, ng)
	weeks := make([]float64, K)
	infl := make([][]float64, ng)
	for g := range price {
		price[g] = make([]float64, K)
		infl[g] = make([]float64, K)
	}
	for k := 1; k < K; k++ {
		a, b := monthEnd(origin, k-1), monthEnd(origin, k)
		mid := (dayCount(origin, a) + dayCount(origin, b)) / 2
		weeks[k] = dayCount(a, b) / 7
		for g := 0; g < ng; g++ {
			infl[g][k] = math.Pow(1+costs.Inflation[g], mid/365.25)
			price[g][k] = costs.Weekly[g] * infl[g][k] * weeks[k]
		}
	}
	avail := make([]float64, ng)
	inScope := map[string]bool{}
	for _, c := range res.Councils {
		inScope[c] = true
	}
	gi := func(g care.ForecastGroup) int { return groupIndexes(m, []care.ForecastGroup{g})[0] }
	// places by council and group (for the area table of a region)
	availOf := map[string][]float64{}
	for _, c := range res.Councils {
		availOf[c] = make([]float64, ng)
	}
	for _, p := range provisions {
		if !inScope[p.Council] {
			continue
		}
		g := -1
		switch p.Kind {
		case care.KindChildrensHome, care.KindResidentialSchool:
			g = gi(care.ForecastChildrensHome)
		case care.KindSupported:
			g = gi(care.ForecastSupported)
		case care.KindSecureHome:
			g = gi(care.ForecastSecureOther)
		case care.KindFostering:
			if p.InHouse {
				g = gi(care.ForecastFosterInHouse)
			} else {
				g = gi(care.ForecastFosterAgency)
			}
		}
		if g >= 0 {
			avail[g] += float64(p.Places)
			availOf[p.Council][g] += float64(p.Places)
		}
	}
	areaGroups := groupIndexes(m, []care.ForecastGroup{care.ForecastChildrensHome, care.ForecastFosterInHouse, care.ForecastFosterAgency, care.ForecastSupported})
	fi := gi(care.ForecastFosterInHouse)
	// per council and group: the funders' shares and the share placed
	// over 20 miles at the origin
	fundOf, farOf := make([][][3]float64, len(m.Councils)), make([][]float64, len(m.Councils))
	for ci, cm := range m.Councils {
		fundOf[ci], farOf[ci] = make([][3]float64, ng), make([]float64, ng)
		for g := 0; g < ng; g++ {
			fundOf[ci][g], farOf[ci][g] = dist.funding(cm.Council, g), dist.farShare(cm.Council, g)
		}
	}
	// the years are worked out side by side (each from its own months of
	// the simulations), then their cumulative saving and the payback in
	// order
	years := make([]Year, sc.Years)
	nets := make([][]float64, sc.Years)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for y := 1; y <= sc.Years; y++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			years[y-1], nets[y-1] = sc.yearOutcome(y, m, base, scen, comp, price, weeks, infl, avail, availOf, areaGroups, fi, fundOf, farOf)
		}()
	}
	wg.Wait()
	cum := make([]float64, S)
	cumMean := 0.0
	for y := 1; y <= sc.Years; y++ {
		yr, net := years[y-1], nets[y-1]
		for i := 0; i < S; i++ {
			cum[i] += net[i]
		}
		cumMean += yr.NetSaving.Mean
		yr.Cumulative = interval(append([]float64(nil), cum...))
		res.Outcomes = append(res.Outcomes, yr)
		if res.PaybackYear == 0 && cumMean >= 0 {
			res.PaybackYear, res.PaybackEnds = y, yr.Ends
		}
	}
	ok := 0
	for _, v := range cum {
		if v >= 0 {
			ok++
		}
	}
	res.PaybackChance = float64(ok) / float64(S)
	// a payback that is undone later (costs rising past savings) is no payback
	if last := res.Outcomes[len(res.Outcomes)-1]; last.Cumulative.Mean < 0 {
		res.PaybackYear, res.PaybackEnds = 0, ""
	}
}

// yearOutcome is projection year y's outcomes (all but the cumulative
// saving) and each simulation's net saving in the year.
func (sc *Scenario) yearOutcome(y int, m *forecast.Model, base, scen *forecast.Projection, comp []*compiled,
	price [][]float64, weeks []float64, infl [][]float64, avail []float64, availOf map[string][]float64, areaGroups []int, fi int,
	fundOf [][][3]float64, farOf [][]float64) (Year, []float64) {
	ng := len(m.Groups)
	S := sc.Sims
	K := 12*sc.Years + 1
	rows := forecast.SimRows(ng)
	origin := m.Config.Origin
	{
		kEnd := 12 * y
		yr := Year{Year: y, Ends: monthEnd(origin, kEnd).Format(time.DateOnly), SpendByFunder: map[string]Pair{}}
		bStock, sStock := grid(ng, S), grid(ng, S)
		bSpend, sSpend := grid(ng, S), grid(ng, S)
		bFund, sFund := grid(3, S), grid(3, S)
		bFar, sFar := make([]float64, S), make([]float64, S)
		sFarG := grid(ng, S)
		bTot, sTot := make([]float64, S), make([]float64, S)
		for ci := range m.Councils {
			bs, ss := base.Councils[ci].Sims, scen.Councils[ci].Sims
			c := comp[ci]
			for i := 0; i < S; i++ {
				at := func(buf []int32, g, k int) float64 { return float64(buf[(i*rows+g)*K+k]) }
				for g := 0; g < ng; g++ {
					fund := fundOf[ci][g]
					b, s := at(bs, g, kEnd), at(ss, g, kEnd)
					bStock[g][i] += b
					sStock[g][i] += s
					bTot[i] += b
					sTot[i] += s
					fs := farOf[ci][g]
					bFar[i] += fs * b
					far := fs * s
					for _, h := range c.homes {
						if h.group != g {
							continue
						}
						occ := math.Min(s, float64(h.places)*h.active[kEnd-1])
						far -= math.Min(occ, h.local*s)
					}
					sFarG[g][i] += math.Max(0, far)
					bsp, ssp := 0.0, 0.0
					for k := kEnd - 11; k <= kEnd; k++ {
						bm := (at(bs, g, k-1) + at(bs, g, k)) / 2
						sm := (at(ss, g, k-1) + at(ss, g, k)) / 2
						bsp += bm * price[g][k]
						reserved := 0.0
						for _, h := range c.homes {
							if h.group == g && h.active[k-1] > 0 {
								p := float64(h.places) * h.active[k-1]
								reserved += p
								ssp += p * h.weekly * infl[g][k] * weeks[k]
							}
						}
						for _, bl := range c.blocks {
							if bl.group == g && bl.active[k-1] > 0 {
								p := float64(bl.places) * bl.active[k-1]
								reserved += p
								ssp += p * bl.weekly * weeks[k]
							}
						}
						ssp += math.Max(0, sm-reserved) * price[g][k]
					}
					bSpend[g][i] += bsp
					sSpend[g][i] += ssp
					for j := 0; j < 3; j++ {
						bFund[j][i] += bsp * fund[j]
						sFund[j][i] += ssp * fund[j]
					}
				}
			}
			for mm := kEnd - 12; mm < kEnd; mm++ {
				yr.Capital += c.capital[mm]
				yr.Programme += c.programme[mm]
			}
		}
		availScen := make([]float64, ng)
		for g := 0; g < ng; g++ {
			availScen[g] = avail[g]
			for _, c := range comp {
				for _, h := range c.homes {
					if h.group == g {
						availScen[g] += float64(h.places) * h.active[kEnd-1]
					}
				}
				for _, bl := range c.blocks {
					if bl.group == g {
						availScen[g] += float64(bl.places) * bl.active[kEnd-1]
					}
				}
				if g == fi {
					availScen[g] += c.fosterPlaces[kEnd]
				}
			}
		}
		// in_area: a share of the children who would be placed over 20
		// miles are placed within 20 miles instead, as far as the area's
		// places not taken by the scope's own children allow
		inArea := make([]float64, ng)
		for _, l := range sc.Levers {
			if l.Lever != "in_area" {
				continue
			}
			f := l.schedule(origin, K-1)[kEnd-1] * *l.Share
			for _, g := range inAreaGroups(m, l) {
				inArea[g] = 1 - (1-inArea[g])*(1-f)
			}
		}
		for i := 0; i < S; i++ {
			for g := 0; g < ng; g++ {
				far := sFarG[g][i]
				if inArea[g] > 0 {
					far -= math.Min(inArea[g]*far, math.Max(0, availScen[g]-sStock[g][i]))
				}
				sFar[i] += far
			}
		}
		for g := 0; g < ng; g++ {
			gy := GroupYear{Group: string(m.Groups[g]), Label: GroupLabel(m.Groups[g]),
				Children: Pair{interval(bStock[g]), interval(sStock[g])},
				Spend:    Pair{interval(bSpend[g]), interval(sSpend[g])}}
			gy.AvailableBaseline = avail[g]
			gy.AvailableScenario = round2(availScen[g])
			gy.GapBaseline = round2(gy.Children.Baseline.P90 - gy.AvailableBaseline)
			gy.GapScenario = round2(gy.Children.Scenario.P90 - gy.AvailableScenario)
			yr.Groups = append(yr.Groups, gy)
		}
		if len(m.Councils) > 1 {
			for ci, cm := range m.Councils {
				c := comp[ci]
				for _, g := range areaGroups {
					bv, sv := make([]float64, S), make([]float64, S)
					for i := 0; i < S; i++ {
						bv[i] = float64(base.Councils[ci].Sims[(i*rows+g)*K+kEnd])
						sv[i] = float64(scen.Councils[ci].Sims[(i*rows+g)*K+kEnd])
					}
					a := AreaYear{Council: cm.Council, Group: string(m.Groups[g]), NeededBaseline: interval(bv).P90, NeededScenario: interval(sv).P90,
						AvailableBaseline: availOf[cm.Council][g]}
					a.AvailableScenario = a.AvailableBaseline
					for _, h := range c.homes {
						if h.group == g {
							a.AvailableScenario += float64(h.places) * h.active[kEnd-1]
						}
					}
					for _, bl := range c.blocks {
						if bl.group == g {
							a.AvailableScenario += float64(bl.places) * bl.active[kEnd-1]
						}
					}
					if g == fi {
						a.AvailableScenario += c.fosterPlaces[kEnd]
					}
					a.AvailableScenario = round2(a.AvailableScenario)
					yr.Areas = append(yr.Areas, a)
				}
			}
		}
		yr.InCare = Pair{interval(bTot), interval(sTot)}
		ratio := func(a, b []float64) []float64 {
			out := make([]float64, len(a))
			for i := range a {
				if b[i] > 0 {
					out[i] = a[i] / b[i]
				}
			}
			return out
		}
		yr.Far = Pair{interval(ratio(bFar, bTot)), interval(ratio(sFar, sTot))}
		bAll, sAll := make([]float64, S), make([]float64, S)
		net := make([]float64, S)
		for i := 0; i < S; i++ {
			for g := 0; g < ng; g++ {
				bAll[i] += bSpend[g][i]
				sAll[i] += sSpend[g][i]
			}
			net[i] = bAll[i] - sAll[i] - yr.Capital - yr.Programme
		}
		for j, f := range Funders {
			yr.SpendByFunder[f] = Pair{interval(bFund[j]), interval(sFund[j])}
		}
		yr.NetSaving = interval(net)
		yr.Spend = Pair{interval(bAll), interval(sAll)}
		return yr, net
	}
}

// inAreaGroups are the groups an in_area lever acts on: its placement
// group, or every group with places in an area (homes, fostering,
// supported accommodation).
func inAreaGroups(m *forecast.Model, l Lever) []int {
	gs := []care.ForecastGroup{care.ForecastChildrensHome, care.ForecastFosterInHouse, care.ForecastFosterAgency, care.ForecastSupported}
	if l.PlacementGroup != "" {
		gs, _ = groupsOf(l.PlacementGroup)
	}
	return groupIndexes(m, gs)
}

func grid(n, s int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, s)
	}
	return out
}

// GroupLabel is a forecast placement group in words.
func GroupLabel(g care.ForecastGroup) string {
	switch g {
	case care.ForecastFosterRelative:
		return "Fostering with family or friends"
	case care.ForecastFosterInHouse:
		return "Fostering, council's own carers"
	case care.ForecastFosterAgency:
		return "Fostering, agency carers"
	case care.ForecastChildrensHome:
		return "Children's homes (residential)"
	case care.ForecastSupported:
		return "Supported accommodation"
	case care.ForecastPlacedWithParents:
		return "Placed with parents"
	case care.ForecastAdoption:
		return "Placed for adoption"
	case care.ForecastSecureOther:
		return "Secure and other"
	}
	return string(g)
}

// notes words what each lever became, for the record.
func (sc *Scenario) notes(m *forecast.Model, shares []map[int]float64, comp []*compiled) []LeverNote {
	var out []LeverNote
	for i, l := range sc.Levers {
		var where []string
		for ci, cm := range m.Councils {
			if w := shares[ci][i]; w > 0 {
				if len(m.Councils) > 1 && w < 1 {
					where = append(where, fmt.Sprintf("%s %.0f%%", cm.Council, 100*w))
				} else {
					where = append(where, cm.Council)
				}
			}
		}
		when := "from " + orDefault(longDate(l.Start), "the origin")
		if l.End != "" {
			when += " to " + longDate(l.End)
		}
		if l.RampMonths > 0 {
			when += fmt.Sprintf(", reaching full effect over %d months", l.RampMonths)
		}
		var what string
		switch l.Lever {
		case "entry_rate":
			lo, hi := 0, 17
			if len(l.Ages) == 2 {
				lo, hi = l.Ages[0], l.Ages[1]
			}
			what = fmt.Sprintf("entry rate of children aged %d–%d × %.2f in the simulation %s", lo, hi, 1+*l.Change, when)
		case "exit_rate":
			what = fmt.Sprintf("hazard of leaving care to %s × %.2f in the simulation %s", l.To, 1+*l.Change, when)
		case "uasc_arrivals":
			what = fmt.Sprintf("%.1f extra entrants a year (unaccompanied asylum-seeking children) %s, first placement drawn as for entrants of their age", l.PerYear, when)
		case "step_down":
			what = fmt.Sprintf("extra hazard of moving from %s to %s of −ln(1−%.2f)/%d months %s", l.From, l.To, *l.Share, l.WithinMonths, when)
		case "recruit_foster":
			places := 0.0
			for _, c := range comp {
				places += c.fosterPlaces[len(c.fosterPlaces)-1]
			}
			what = fmt.Sprintf("%.1f households a year recruited %s, %.1f in-house foster places at the horizon; that share of agency placements redirected in-house in the simulation", l.HouseholdsPerYear, when, places)
		case "open_home":
			what = fmt.Sprintf("%d places in %s at %s a place a week %s, capital %s; fills from the simulated stock of the group", l.Places, l.PostcodeDistrict, money(l.WeeklyCost), when, money(l.Capital))
		case "block_contract":
			what = fmt.Sprintf("%d %s places block-contracted at %s a week %s, paid whether filled or not", l.Places, l.PlacementGroup, money(l.WeeklyPrice), when)
		case "in_area":
			g := orDefault(l.PlacementGroup, "homes, fostering and supported accommodation")
			what = fmt.Sprintf("%.0f%% of the children placed over 20 miles from home in %s placed within 20 miles instead %s, as far as the area's places not taken by the scope's own children allow", 100**l.Share, g, when)
		case "price_inflation":
			what = fmt.Sprintf("%s prices rise %.1f%% a year in the baseline and the scenario", l.PlacementGroup, 100**l.Annual)
		}
		if len(where) > 0 && len(m.Councils) > 1 {
			what += " (" + strings.Join(where, ", ") + ")"
		}
		out = append(out, LeverNote{Lever: l.Lever, What: what})
	}
	return out
}

// money writes pounds as £1,234.
func money(v float64) string { return tabular.Format(tabular.Column{Kind: tabular.Money}, v) }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
