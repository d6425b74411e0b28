package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"sufficiency/care"
)

// process is a known child-level process to simulate histories from: entries
// at a constant rate with ages uniform over 0–17, a fixed first-placement
// mix, constant hazards per day of moving (to another group, uniformly) and
// of leaving by each reason, and leaving at 18.
type process struct {
	entriesPerDay float64
	firstGroup    []float64 // shares over care.ForecastGroups
	movePerDay    float64
	exitPerDay    [5]float64 // by ExitReasons
}

// defaultProcess gives a steady state of about 2.6 entries' years in care.
func defaultProcess(entriesPerYear float64) process {
	return process{
		entriesPerDay: entriesPerYear / 365.25,
		firstGroup:    []float64{0.15, 0.30, 0.25, 0.10, 0.08, 0.04, 0.02, 0.06},
		movePerDay:    0.6 / 365.25,
		exitPerDay:    [5]float64{0.14 / 365.25, 0.05 / 365.25, 0.04 / 365.25, 0.03 / 365.25, 0.04 / 365.25},
	}
}

// placementFor returns a PLACE and provider code in a forecast group.
var placementFor = []struct {
	place    care.PlacementType
	provider care.ProviderType
}{
	{"U1", care.ProviderOwnLA}, {"U4", care.ProviderOwnLA}, {"U4", care.ProviderPrivate}, {"K2", care.ProviderPrivate},
	{"H5", care.ProviderPrivate}, {"P1", care.ProviderParent}, {"A4", care.ProviderOwnLA}, {"K1", care.ProviderOwnLA},
}

var recFor = []string{"E4A", "E11", "E45", "E5", "E8"}

// generate simulates histories of one council from start to end.
func (p process) generate(rng *rand.Rand, council string, start, end time.Time) ([]care.Child, []care.Episode) {
	var children []care.Child
	var episodes []care.Episode
	span := days(start, end)
	exitTotal := 0.0
	for _, r := range p.exitPerDay {
		exitTotal += r
	}
	n := 0
	for t := rng.ExpFloat64() / p.entriesPerDay; t < span; t += rng.ExpFloat64() / p.entriesPerDay {
		n++
		entry := start.Add(time.Duration(t * float64(dayLen))).Truncate(dayLen)
		ageDays := rng.Float64() * 18 * 365
		dob := entry.Add(-time.Duration(ageDays * float64(dayLen))).Truncate(dayLen)
		sex := care.Male
		if rng.IntN(2) == 0 {
			sex = care.Female
		}
		c := care.Child{Council: council, ID: fmt.Sprintf("C%06d", n), Sex: sex, DOB: dob, UASC: rng.Float64() < 0.05}
		children = append(children, c)
		g := pick(cumulative(p.firstGroup), rng.Float64())
		at := entry
		eighteen := dob.AddDate(18, 0, 0)
		for {
			dt := rng.ExpFloat64() / (p.movePerDay + exitTotal)
			next := at.Add(time.Duration(dt * float64(dayLen))).Truncate(dayLen)
			if !next.After(at) {
				next = at.AddDate(0, 0, 1)
			}
			e := care.Episode{Council: council, ChildID: c.ID, Start: at, Placement: placementFor[g].place, Provider: placementFor[g].provider}
			if !next.Before(eighteen) {
				next = eighteen
				if next.After(end) {
					episodes = append(episodes, e)
					break
				}
				e.End, e.ReasonEnded = next, "E17"
				episodes = append(episodes, e)
				break
			}
			if next.After(end) {
				episodes = append(episodes, e) // open
				break
			}
			e.End = next
			u := rng.Float64() * (p.movePerDay + exitTotal)
			if u < p.movePerDay {
				e.ReasonEnded = "X1"
				episodes = append(episodes, e)
				ng := rng.IntN(len(placementFor) - 1)
				if ng >= g {
					ng++
				}
				g, at = ng, next
				continue
			}
			u -= p.movePerDay
			r := 0
			for r < 4 && u >= p.exitPerDay[r] {
				u -= p.exitPerDay[r]
				r++
			}
			e.ReasonEnded = recFor[r]
			episodes = append(episodes, e)
			break
		}
	}
	return children, episodes
}

// pick returns the first index whose cumulative value exceeds u (the last
// if none does), for a non-decreasing cum. It counts the values at or below
// u instead of stopping at the first above it: the same answer, without a
// branch that the processor cannot predict.
func pick(cum []float64, u float64) int {
	n := 0
	for _, v := range cum {
		if v <= u {
			n++
		}
	}
	return min(n, len(cum)-1)
}

func cumulative(shares []float64) []float64 {
	out := make([]float64, len(shares))
	acc := 0.0
	for i, s := range shares {
		acc += s
		out[i] = acc
	}
	return out
}

// england generates a synthetic England: n councils sharing entriesPerYear
// in proportion to sizes that vary tenfold, with history from 12 years before
// origin.
func england(seed uint64, councils int, entriesPerYear float64, origin time.Time) ([]care.Child, []care.Episode) {
	rng := rand.New(rand.NewPCG(seed, 7))
	weights := make([]float64, councils)
	sum := 0.0
	for i := range weights {
		weights[i] = math.Exp(rng.Float64() * math.Log(10))
		sum += weights[i]
	}
	// each council's histories, then one copy into slices of the exact size:
	// appending to one growing slice of 1.3 million episodes copies hundreds
	// of megabytes several times over (and the copies, which cannot be
	// interrupted, stall the garbage collector)
	cs, es := make([][]care.Child, councils), make([][]care.Episode, councils)
	nc, ne := 0, 0
	for i, w := range weights {
		p := defaultProcess(entriesPerYear * w / sum)
		cs[i], es[i] = p.generate(rng, fmt.Sprintf("E%08d", i+1), origin.AddDate(-12, 0, 0), origin)
		nc, ne = nc+len(cs[i]), ne+len(es[i])
	}
	children := make([]care.Child, 0, nc)
	episodes := make([]care.Episode, 0, ne)
	for i := range cs {
		children = append(children, cs[i]...)
		episodes = append(episodes, es[i]...)
	}
	return children, episodes
}
