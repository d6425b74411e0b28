package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/supply"
)

// homeNeeds are the needs a home's statement of purpose may list.
var homeNeeds = []Weighted{{"EBD", 60}, {"LD", 15}, {"MH", 12}, {"PD", 4}, {"CSE", 6}, {"ASD", 12}}

// writeSupply writes the region's supply file set: every registered setting
// in the region's councils (with generated occupancy, residents and
// vacancies) and generated fostering households, in-house and agency, sized
// to the councils' fostered children, and the homes that closed (closed.csv)
// the written episodes name (closed: indexes into w.Homes), wherever they
// were, so that the validator knows every URN of the returns (rule 1008). It
// returns the numbers of provisions and vacancies written.
func writeSupply(dir string, inputs []*CouncilInput, nat *National, w *World, seed uint64, year int, closed map[int32]bool) (int, int, error) {
	at := yearEnd(year)
	set := supply.Set{}
	region := map[string]*CouncilInput{}
	for _, in := range inputs {
		region[in.Code] = in
	}
	cs := &nat.Costs
	growth := func(g float64) float64 { return math.Pow(1+g, float64(year-2024)) }
	for i, h := range w.Homes {
		if h.Closed != noDay {
			if closed[int32(i)] {
				p := care.Provision{ID: h.URN, Kind: h.Kind, Sector: h.Sector, Council: h.Council, Postcode: h.Postcode,
					Places: h.Places, Closed: h.Closed.time()}
				if h.Registered != noDay {
					p.Registered = h.Registered.time()
				}
				set.Closed = append(set.Closed, p)
			}
			continue
		}
		if region[h.Council] == nil {
			continue
		}
		r := newRand(seed, "supply:"+h.URN)
		p := care.Provision{ID: h.URN, Kind: h.Kind, Name: h.Name, Owner: h.Owner, Sector: h.Sector, Council: h.Council,
			Postcode: h.Postcode, Places: h.Places, Rating: h.Rating}
		if h.Registered != noDay {
			p.Registered = h.Registered.time()
		}
		if p.Name == "" {
			p.Name = fmt.Sprintf("%s %s", provisionLabel(h.Kind), h.URN)
		}
		switch h.Sector {
		case care.SectorLA:
			p.Provider = care.ProviderOwnLA
		case care.SectorVoluntary:
			p.Provider = care.ProviderVoluntary
		case care.SectorHealth:
			p.Provider = care.ProviderPublic
		default:
			p.Provider = care.ProviderPrivate
		}
		var mean, sd float64
		switch h.Kind {
		case care.KindChildrensHome:
			p.MinAge, p.MaxAge = []int{8, 10, 11, 12}[r.IntN(4)], 17
			mean, sd = cs.ChildrensHome, cs.ChildrensHomeSD*0.8
		case care.KindSecureHome:
			p.MinAge, p.MaxAge = 10, 17
			mean, sd = cs.Secure, 0.2
		case care.KindResidentialSchool:
			p.MinAge, p.MaxAge = []int{5, 8, 11}[r.IntN(3)], 19
			mean, sd = cs.ResidentialSchool, 0.3
		case care.KindSupported:
			p.MinAge, p.MaxAge = 16, 17
			mean, sd = cs.Supported, 0.4
		}
		p.WeeklyPrice = care.FromPounds(math.Round(lognormal(r, mean, sd) * growth(cs.GrowthResidential)))
		if h.Kind != care.KindSupported {
			n := 1 + r.IntN(2)
			for _, x := range pickDistinct(r, homeNeeds, n) {
				p.Needs = append(p.Needs, x)
			}
			if r.Float64() < 0.1 {
				p.Sexes = []care.Sex{[]care.Sex{care.Male, care.Female}[r.IntN(2)]}
			}
		}
		occupancy := binomial(r, p.Places, 0.82)
		for i := 0; i < occupancy; i++ {
			age := p.MinAge + r.IntN(p.MaxAge-p.MinAge+1)
			if age > 17 {
				age = 17
			}
			sx := care.Male
			if r.Float64() < 0.42 {
				sx = care.Female
			}
			if len(p.Sexes) == 1 {
				sx = p.Sexes[0]
			}
			n := drawNeeds(r, age, sx, false, "N1")
			n.Tier = max(n.Tier, care.TierEnhanced)
			p.Residents = append(p.Residents, care.Resident{Age: age, Sex: sx, Risks: n.Risks})
		}
		set.Vacancies = append(set.Vacancies, vacancies(r, p, p.Places-occupancy, at)...)
		set.Provisions = append(set.Provisions, p)
	}
	// Fostering agencies that could supply the region's carers.
	var ifas []refdata.Provider
	for _, p := range refdata.Providers() {
		if p.Kind == care.KindFostering {
			ifas = append(ifas, p)
		}
	}
	for _, in := range inputs {
		r := newRand(seed, "fostering:"+in.Code)
		t := in.Targets[len(in.Targets)-1]
		// Households sized to the council's fostered children with spare
		// capacity (about one approved place in six is free or on hold).
		inHouse := int(math.Round(t.Stock * in.Mix[KindFosterInHouse] / 1.35 * 1.15))
		agency := int(math.Round(t.Stock * in.Mix[KindFosterAgency] / 1.45 * 1.15))
		local := ifasNear(ifas, in)
		sw := make([]float64, len(in.Sectors))
		for i, s := range in.Sectors {
			sw[i] = s.Weight
		}
		for i := 0; i < inHouse+agency; i++ {
			own := i < inHouse
			p := care.Provision{ID: fmt.Sprintf("FH-%s-%05d", in.DfECode, i+1), Kind: care.KindFostering, Council: in.Code, InHouse: own}
			if s := pick(r, sw); s >= 0 {
				p.Postcode = in.Sectors[s].Code
			}
			if own || len(local) == 0 {
				p.Owner = in.Name + " fostering service"
				p.Sector = care.SectorLA
				p.Provider = care.ProviderOwnLA
				p.WeeklyPrice = care.FromPounds(math.Round(lognormal(r, cs.FosterInHouse, 0.12) * growth(cs.GrowthFostering)))
				p.InHouse = true
			} else {
				ifa := local[r.IntN(len(local))]
				p.Owner, p.Sector, p.Rating = ifa.Owner, ifa.Sector, ifa.Rating
				if p.Owner == "" {
					p.Owner = ifa.Name
				}
				p.Provider = care.ProviderPrivate
				if ifa.Sector == care.SectorVoluntary {
					p.Provider = care.ProviderVoluntary
				}
				p.WeeklyPrice = care.FromPounds(math.Round(lognormal(r, cs.FosterAgency, 0.15) * growth(cs.GrowthFostering)))
			}
			p.Name = fmt.Sprintf("Foster household %s", p.ID)
			p.Places = 1 + pick(r, []float64{0.45, 0.35, 0.15, 0.05})
			ranges := [][2]int{{0, 4}, {0, 10}, {0, 17}, {5, 17}, {11, 17}, {8, 17}}
			ar := ranges[pick(r, []float64{0.12, 0.18, 0.3, 0.15, 0.15, 0.1})]
			p.MinAge, p.MaxAge = ar[0], ar[1]
			p.SiblingCapacity = 1
			if p.Places >= 2 && r.Float64() < 0.6 {
				p.SiblingCapacity = p.Places
			}
			if r.Float64() < 0.03 && p.MinAge == 0 {
				p.Specialisms = append(p.Specialisms, "parent_and_child")
			}
			if r.Float64() < 0.06 {
				p.Specialisms = append(p.Specialisms, "disability")
			}
			if p.MinAge >= 11 && r.Float64() < 0.5 {
				p.Specialisms = append(p.Specialisms, "teenagers")
			}
			if p.MaxAge == 17 && in.UASCShare > 0.05 && r.Float64() < 0.15 {
				p.Specialisms = append(p.Specialisms, "UASC")
			}
			if r.Float64() < 0.04 {
				p.Specialisms = append(p.Specialisms, "therapeutic")
			}
			p.Registered = (at - day(365+r.IntN(15*365))).time()
			occupied := binomial(r, p.Places, 0.8)
			for j := 0; j < occupied; j++ {
				age := p.MinAge + r.IntN(p.MaxAge-p.MinAge+1)
				sx := care.Male
				if r.Float64() < 0.45 {
					sx = care.Female
				}
				p.Residents = append(p.Residents, care.Resident{Age: age, Sex: sx})
			}
			set.Vacancies = append(set.Vacancies, vacancies(r, p, p.Places-occupied, at)...)
			set.Provisions = append(set.Provisions, p)
		}
	}
	sort.SliceStable(set.Provisions, func(i, j int) bool { return set.Provisions[i].ID < set.Provisions[j].ID })
	sort.SliceStable(set.Vacancies, func(i, j int) bool { return set.Vacancies[i].ID < set.Vacancies[j].ID })
	if err := supply.WriteDir(dir, set); err != nil {
		return 0, 0, err
	}
	return len(set.Provisions), len(set.Vacancies), nil
}

// vacancies generates the advertised vacancies of a provision with free
// places on day at: most free places are advertised, from a date in the
// last two months or the next month, confirmed some days ago (some stale).
func vacancies(r *rand.Rand, p care.Provision, free int, at day) []care.Vacancy {
	var out []care.Vacancy
	if free <= 0 || r.Float64() > 0.7 {
		return nil
	}
	places := free
	if p.Kind != care.KindFostering && free > 1 && r.Float64() < 0.5 {
		places = 1
	}
	from := at - 60 + day(r.IntN(90))
	updated := at - day(r.IntN(30))
	price := care.Pence(0)
	if r.Float64() < 0.2 {
		price = care.Pence(float64(p.WeeklyPrice) * (1.05 + 0.2*r.Float64()))
	}
	out = append(out, care.Vacancy{ID: "V-" + p.ID + "-1", ProvisionID: p.ID, Places: places, ValidFrom: from.time(),
		UpdatedAt: updated.time().Add(9 * 3600e9), WeeklyPrice: price})
	return out
}

func binomial(r *rand.Rand, n int, p float64) int {
	k := 0
	for i := 0; i < n; i++ {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

func pickDistinct(r *rand.Rand, ws []Weighted, n int) []string {
	w := make([]float64, len(ws))
	for i, x := range ws {
		w[i] = x.Weight
	}
	var out []string
	for len(out) < n {
		i := pick(r, w)
		if i < 0 {
			break
		}
		out = append(out, ws[i].Code)
		w[i] = 0
	}
	return out
}

func provisionLabel(k care.ProvisionKind) string {
	switch k {
	case care.KindChildrensHome:
		return "Children's home"
	case care.KindSecureHome:
		return "Secure children's home"
	case care.KindResidentialSchool:
		return "Residential special school"
	case care.KindSupported:
		return "Supported accommodation"
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

// ifasNear lists the fostering agencies registered in the council's region
// (agencies recruit carers across a region), sorted by URN.
func ifasNear(all []refdata.Provider, in *CouncilInput) []refdata.Provider {
	var out []refdata.Provider
	for _, p := range all {
		if strings.EqualFold(p.Region, in.Region) || p.Council == in.Code {
			out = append(out, p)
		}
	}
	return out
}
