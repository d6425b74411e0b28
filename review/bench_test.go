package review

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
)

type geoLocator struct{}

func (geoLocator) Miles(a, b string) (float64, bool) {
	m, err := geo.MilesBetween(a, b)
	return m, err == nil
}

// synthRegion generates the children of a region's councils: n children in
// all, each with one to nine episodes, real postcode sectors, Ofsted URNs
// for children's homes, needs tiers, costs and funding splits, and statutory
// reviews for most of them.
func synthRegion(region string, n int, at time.Time, seed uint64) Input {
	r := rand.New(rand.NewPCG(seed, 2))
	cs, err := refdata.CouncilsInRegion(region)
	if err != nil {
		panic(err)
	}
	in := Input{Locate: geoLocator{}, Reviews: []StatutoryReview{}, Missing: []MissingEpisode{}}
	sectors := map[string][]string{}
	for _, c := range cs {
		in.Scope = append(in.Scope, c.Code)
		for _, s := range geo.SectorsOf(c.Code) {
			sectors[c.Code] = append(sectors[c.Code], s.Code)
		}
	}
	var homes []string
	for _, p := range refdata.Providers() {
		if p.Kind != "" {
			in.Provisions = append(in.Provisions, care.Provision{ID: p.URN, Kind: p.Kind, Council: p.Council, Places: p.Places, Rating: p.Rating, Owner: p.Owner})
			if p.Kind == care.KindChildrensHome && p.Region == region {
				homes = append(homes, p.URN)
			}
		}
	}
	places := []struct {
		code, prov string
		pounds     float64
	}{
		{"U1", "PR1", 350}, {"U4", "PR1", 450}, {"U6", "PR1", 450}, {"U4", "PR4", 950}, {"U6", "PR5", 900},
		{"K2", "PR4", 5500}, {"K2", "PR1", 4800}, {"K3", "PR4", 2200}, {"P1", "PR0", 0}, {"Z1", "", 12000}, {"T4", "", 0},
	}
	for i := range n {
		code := cs[i*len(cs)/n].Code
		id := fmt.Sprintf("C%06d", i)
		in.Children = append(in.Children, care.Child{Council: code, ID: id, DOB: at.AddDate(0, 0, -r.IntN(18*365)),
			Needs: care.NeedsProfile{Tier: care.NeedsTier(r.IntN(5))}})
		home := sectors[code][r.IntN(len(sectors[code]))]
		start := at.AddDate(0, 0, -30-r.IntN(6*365))
		k := 1 + r.IntN(9)
		for j := range k {
			pl := places[r.IntN(len(places))]
			other := cs[r.IntN(len(cs))].Code
			e := care.Episode{Council: code, ChildID: id, Start: start, ReasonNew: "P", LegalStatus: "C2",
				Placement: care.PlacementType(pl.code), Provider: care.ProviderType(pl.prov), HomePostcode: home,
				PlacementPostcode: sectors[other][r.IntN(len(sectors[other]))], WeeklyCost: care.FromPounds(pl.pounds * (0.7 + 0.6*r.Float64()))}
			if j == 0 {
				e.ReasonNew = "S"
			}
			if pl.code == "K2" && r.IntN(10) > 0 {
				e.URN = homes[r.IntN(len(homes))]
			}
			if e.WeeklyCost > 0 && r.IntN(4) == 0 {
				e.Funding = care.Funding{SocialCare: e.WeeklyCost / 2, Education: e.WeeklyCost / 4, Health: e.WeeklyCost - e.WeeklyCost/2 - e.WeeklyCost/4}
			}
			if j < k-1 {
				e.End = start.AddDate(0, 0, 10+r.IntN(200))
				if !e.End.Before(at) {
					e.End = time.Time{}
				} else {
					e.ReasonEnded = "X1"
				}
			}
			in.Episodes = append(in.Episodes, e)
			if e.End.IsZero() {
				break
			}
			start = e.End
		}
		for range r.IntN(3) * r.IntN(3) {
			in.Missing = append(in.Missing, MissingEpisode{Council: code, ChildID: id, Start: at.AddDate(0, 0, -r.IntN(500))})
		}
		for d := start.AddDate(0, 0, 20); d.Before(at); d = d.AddDate(0, 0, 100+r.IntN(120)) {
			in.Reviews = append(in.Reviews, StatutoryReview{Council: code, ChildID: id, Date: d})
		}
	}
	return in
}

// BenchmarkReviewRegion builds the review worklist for the North West
// (24 councils, 15,000 children) with every default rule.
func BenchmarkReviewRegion(b *testing.B) {
	at := care.Date(2025, 3, 31)
	in := synthRegion("North West", 15000, at, 1)
	rules := DefaultRules()
	var w Worklist
	cpu0 := cpuTime()
	for b.Loop() {
		w = Build(in, rules, at)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(in.Children)), "children")
	b.ReportMetric(float64(len(in.Episodes)), "episodes")

	b.ReportMetric(float64(len(w.Items)), "flagged")
	for _, r := range w.Rules {
		if !r.Evaluated {
			b.Fatalf("rule %s not evaluated: %s", r.Rule.ID, r.Why)
		}
	}
	if w.Reviewed == 0 || len(w.Items) == 0 {
		b.Fatal("benchmark measured nothing")
	}
}

// cpuTime is the CPU time (user and system) the process has used; see
// picture's benchmark for why it is reported beside ns/op.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
