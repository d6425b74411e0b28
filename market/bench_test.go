package market

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
)

// BenchmarkMarketEngland analyses the national market: the Ofsted register
// embedded in refdata, and 84,000 synthetic children with about 250,000
// episodes, a quarter of the current ones in registered homes by URN.
func BenchmarkMarketEngland(b *testing.B) {
	at := care.Date(2025, 3, 31)
	r := rand.New(rand.NewPCG(1, 3))
	in := Input{}
	for _, c := range refdata.Councils() {
		in.Councils = append(in.Councils, Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17, Easting: c.Easting, Northing: c.Northing})
	}
	var homes []string
	for _, p := range refdata.Providers() {
		if p.Kind == "" {
			continue
		}
		in.Provisions = append(in.Provisions, care.Provision{ID: p.URN, Kind: p.Kind, Owner: p.Owner, Sector: p.Sector, Council: p.Council, Places: p.Places, Rating: p.Rating})
		if residentialKinds[p.Kind] {
			homes = append(homes, p.URN)
		}
	}
	places := []string{"U4", "U6", "U1", "K2", "K3", "P1"}
	provs := []string{"PR1", "PR4", "PR5"}
	for i := range 84000 {
		c := in.Councils[i*len(in.Councils)/84000].Code
		id := fmt.Sprintf("C%06d", i)
		in.Children = append(in.Children, care.Child{Council: c, ID: id, Needs: care.NeedsProfile{Tier: care.NeedsTier(r.IntN(5))}})
		start := at.AddDate(0, 0, -r.IntN(3*365))
		for j := range 1 + r.IntN(5) {
			pl := places[r.IntN(len(places))]
			e := care.Episode{Council: c, ChildID: id, Start: start, LegalStatus: "C2", Placement: care.PlacementType(pl),
				Provider: care.ProviderType(provs[r.IntN(len(provs))]), WeeklyCost: care.FromPounds(500 + 6000*r.Float64())}
			if pl == "K2" {
				e.URN = homes[r.IntN(len(homes))]
			}
			if j < 4 && r.IntN(2) == 0 {
				e.End = start.AddDate(0, 0, 1+r.IntN(200))
				if e.End.After(at) {
					e.End = at
				}
			}
			in.Episodes = append(in.Episodes, e)
			if e.End.IsZero() || !e.End.Before(at) {
				break
			}
			start = e.End
		}
	}
	var m Market
	cpu0 := cpuTime()
	for b.Loop() {
		m = Analyse(in, at)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(in.Episodes)), "episodes")
	if len(m.SpendConcentration) == 0 || len(m.Contingency) == 0 || len(m.Prices) == 0 {
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
