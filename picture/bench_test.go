package picture

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

// geoLocator places postcodes with package geo, as the CLI does.
type geoLocator struct{}

func (geoLocator) Miles(a, b string) (float64, bool) {
	m, err := geo.MilesBetween(a, b)
	return m, err == nil
}

func (geoLocator) CouncilOf(pc string) (string, bool) {
	p, err := geo.ParsePostcode(pc)
	if err != nil {
		return "", false
	}
	return geo.CouncilOf(p)
}

// Synthetic is a generated population for benchmarks.
type synthetic struct {
	children   []care.Child
	episodes   []care.Episode
	councils   []Council
	provisions []care.Provision
}

// synthEngland generates n children spread over every English council, each
// with one to nine episodes (about 4.8 on average) over the last ten years,
// real postcode sectors for homes and placements (70% in the child's own
// council), Ofsted URNs from the register for children's homes, and weekly
// costs. It is deterministic for a seed.
func synthEngland(n int, councils []string, at time.Time, seed uint64) synthetic {
	r := rand.New(rand.NewPCG(seed, 1))
	var s synthetic
	all := refdata.Councils()
	byCode := map[string]refdata.Council{}
	for _, c := range all {
		byCode[c.Code] = c
		s.councils = append(s.councils, Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17})
	}
	if len(councils) == 0 {
		for _, c := range all {
			councils = append(councils, c.Code)
		}
	}
	sectors := map[string][]string{}
	for _, c := range all {
		for _, sec := range geo.SectorsOf(c.Code) {
			sectors[c.Code] = append(sectors[c.Code], sec.Code)
		}
	}
	var homes []care.Provision
	for _, p := range refdata.Providers() {
		if p.Kind == "" {
			continue
		}
		pv := care.Provision{ID: p.URN, Kind: p.Kind, Owner: p.Owner, Sector: p.Sector, Council: p.Council, Places: p.Places, Rating: p.Rating}
		s.provisions = append(s.provisions, pv)
		if p.Kind == care.KindChildrensHome {
			homes = append(homes, pv)
		}
	}
	places := []struct {
		code, prov string
		pounds     float64
	}{
		{"U1", "PR1", 350}, {"U3", "PR1", 350}, {"U4", "PR1", 450}, {"U6", "PR1", 450}, {"U4", "PR4", 950}, {"U6", "PR5", 900},
		{"U4", "PR1", 450}, {"U6", "PR4", 950}, {"K2", "PR4", 5500}, {"K2", "PR1", 4800}, {"K3", "PR4", 2200}, {"P1", "PR0", 0},
		{"A4", "PR1", 0}, {"S1", "PR4", 4000}, {"K1", "PR1", 7500}, {"Z1", "", 12000}, {"T4", "", 0}, {"U5", "PR1", 450},
	}
	pick := func(council string) string {
		ss := sectors[council]
		if len(ss) == 0 {
			return ""
		}
		return ss[r.IntN(len(ss))]
	}
	for i := range n {
		code := councils[i*len(councils)/n] // grouped by council, as the store returns them
		id := fmt.Sprintf("C%06d", i)
		dob := at.AddDate(0, 0, -r.IntN(18*365))
		sex := care.Male
		if r.IntN(2) == 0 {
			sex = care.Female
		}
		s.children = append(s.children, care.Child{Council: code, ID: id, Sex: sex, DOB: dob, UASC: r.IntN(20) == 0,
			Needs: care.NeedsProfile{Tier: care.NeedsTier(1 + r.IntN(4))}})
		k := 1 + r.IntN(8)
		if r.Float64() < 0.3 {
			k++
		}
		start := at.AddDate(0, 0, -30-r.IntN(8*365))
		if start.Before(dob) {
			start = dob
		}
		home := pick(code)
		for j := range k {
			pl := places[r.IntN(len(places))]
			e := care.Episode{Council: code, ChildID: id, Start: start, ReasonNew: "P", LegalStatus: "C2",
				Placement: care.PlacementType(pl.code), Provider: care.ProviderType(pl.prov), HomePostcode: home,
				WeeklyCost: care.FromPounds(pl.pounds * (0.8 + 0.4*r.Float64()))}
			if j == 0 {
				e.ReasonNew = "S"
			}
			if r.IntN(10) < 7 {
				e.PlacementPostcode = pick(code)
			} else {
				e.PlacementPostcode = pick(all[r.IntN(len(all))].Code)
			}
			if pl.code == "K2" && len(homes) > 0 {
				e.URN = homes[r.IntN(len(homes))].ID
			}
			if e.WeeklyCost > 0 && r.IntN(5) == 0 {
				e.Funding = care.Funding{SocialCare: e.WeeklyCost * 6 / 10, Education: e.WeeklyCost * 2 / 10, Health: e.WeeklyCost - e.WeeklyCost*8/10}
			}
			end := start.AddDate(0, 0, 20+r.IntN(500))
			last := j == k-1
			if last && r.IntN(10) < 8 {
				end = time.Time{} // still in care
			} else if !end.Before(at) {
				end = at.AddDate(0, 0, -1-r.IntN(20))
				if !end.After(start) {
					end = start.AddDate(0, 0, 1)
				}
			}
			e.End = end
			if !end.IsZero() {
				e.ReasonEnded = "X1"
				if last {
					e.ReasonEnded = "E11"
				}
			}
			s.episodes = append(s.episodes, e)
			if end.IsZero() {
				break
			}
			start = end
		}
	}
	return s
}

// BenchmarkPictureEngland computes the full picture for all of England:
// 84,000 children with about 400,000 episodes, real postcode sectors located
// by package geo, and the Ofsted register as supply.
func BenchmarkPictureEngland(b *testing.B) {
	at := care.Date(2025, 3, 31)
	s := synthEngland(84000, nil, at, 1)
	var scope []string
	for _, c := range s.councils {
		scope = append(scope, c.Code)
	}
	in := Input{Name: "England", Scope: scope, Councils: s.councils, Children: s.children, Episodes: s.episodes,
		Provisions: s.provisions, Locate: geoLocator{}}
	var p Picture
	cpu0 := cpuTime()
	for b.Loop() {
		p = Compute(in, at)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(s.children)), "children")
	b.ReportMetric(float64(len(s.episodes)), "episodes")

	b.ReportMetric(float64(p.InCare), "in_care")
	if p.InCare == 0 || p.Where.DistanceKnown == 0 {
		b.Fatalf("benchmark measured nothing: %d in care, %d distances", p.InCare, p.Where.DistanceKnown)
	}
}

// BenchmarkPictureTables renders and suppresses the England picture's tables.
func BenchmarkPictureTables(b *testing.B) {
	at := care.Date(2025, 3, 31)
	s := synthEngland(20000, nil, at, 2)
	p := Compute(Input{Name: "England", Scope: []string{s.councils[0].Code}, Councils: s.councils, Children: s.children, Episodes: s.episodes}, at)
	for b.Loop() {
		_ = p.Tables(true)
	}
}

// cpuTime is the CPU time (user and system) the process has used. On a
// machine shared with other work the wall-clock ns/op overstates the cost;
// cpu-ns/op (all goroutines, the GC included) is reported beside it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
