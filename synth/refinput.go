package synth

import (
	"math"
	"sort"
	"strings"
	"sync"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
)

// breakdownYear is the year of the national breakdowns the generator follows
// (the latest the embedded DfE tables cover).
const breakdownYear = 2024

func share(rows []refdata.Breakdown, match func(string) bool) float64 {
	var n, total float64
	for _, b := range rows {
		if !b.Number.Known {
			continue
		}
		if strings.HasPrefix(strings.ToLower(b.Characteristic), "total") {
			total = b.Number.Value
			continue
		}
		if match(b.Characteristic) {
			n += b.Number.Value
		}
	}
	if total <= 0 {
		return 0
	}
	return n / total
}

func prefix(p string) func(string) bool {
	return func(s string) bool { return strings.HasPrefix(strings.ToLower(s), strings.ToLower(p)) }
}

// ethnicCodes maps the DfE's published ethnicity breakdown to ETHNIC codes.
var ethnicCodes = map[string]string{
	"1a": "WBRI", "1b": "WIRI", "1c": "WIRT", "1d": "WROM", "1e": "WOTH",
	"2a": "MWBC", "2b": "MWBA", "2c": "MWAS", "2d": "MOTH",
	"3a": "AIND", "3b": "APKN", "3c": "ABAN", "3d": "CHNE", "3e": "AOTH",
	"4a": "BCRB", "4b": "BAFR", "4c": "BOTH", "5a": "OOTH", "6a": "REFU", "6b": "NOBT",
}

var nationalOnce struct {
	sync.Once
	n *National
}

// NationalFromRefdata builds the national calibration from the embedded DfE
// breakdowns (2024) and the curated cost figures.
func NationalFromRefdata() *National {
	nationalOnce.Do(func() { nationalOnce.n = buildNational() })
	n := *nationalOnce.n
	return &n
}

func buildNational() *National {
	n := &National{}
	age := refdata.NationalGroup(refdata.Started, breakdownYear, "Age on starting")
	for i, p := range []string{"under 1", "1 to 4", "5 to 9", "10 to 15", "16"} {
		n.StartAge[i] = share(age, prefix(p))
	}
	n.StartMale = share(refdata.NationalGroup(refdata.Started, breakdownYear, "Gender"), prefix("male"))
	n.StartUASC = share(refdata.NationalGroup(refdata.Started, breakdownYear, "Unaccompanied asylum-seeking children"), prefix("unaccompanied"))
	// Age on starting includes UASC (nearly all 14–17): take them out of the
	// 10–15 and 16+ bands, as the generator draws UASC ages separately.
	n.StartAge[band16plus] = math.Max(n.StartAge[band16plus]-0.75*n.StartUASC, 0.02)
	n.StartAge[band10to15] = math.Max(n.StartAge[band10to15]-0.25*n.StartUASC, 0.02)
	normalise(n.StartAge[:])
	ls := refdata.NationalGroup(refdata.Started, breakdownYear, "Legal status")
	n.StartLegal = [4]float64{share(ls, prefix("voluntary")), share(ls, prefix("care order")), share(ls, prefix("detained")), share(ls, prefix("youth justice"))}
	cin := refdata.NationalGroup(refdata.Started, breakdownYear, "Category of need")
	for i := 0; i < 8; i++ {
		n.CategoryOfNeed[i] = share(cin, prefix("N"+string(rune('1'+i))+"."))
	}
	eth := refdata.NationalGroup(refdata.Started, breakdownYear, "Ethnicity")
	var codes []string
	for k := range ethnicCodes {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	for _, k := range codes {
		if w := share(eth, prefix(k+".")); w > 0 {
			n.Ethnicity = append(n.Ethnicity, Weighted{ethnicCodes[k], w})
		}
	}
	if pc, ok := refdata.EnglandPlacementMix(2023); ok {
		n.Mix = mixOf(pc, 0.24, 0.35)
		n.InsideShare, n.Over20Share = locality(pc)
	}
	pl := refdata.NationalGroup(refdata.AtMarch31, breakdownYear, "Placement")
	ratio := func(in, out string) float64 {
		a, b := share(pl, prefix(in)), share(pl, prefix(out))
		if a+b == 0 {
			return 0.5
		}
		return a / (a + b)
	}
	for k := range n.KindInside {
		n.KindInside[k] = 0.5
	}
	n.KindInside[KindFosterRelative] = ratio("1a.1 ", "1b.1 ")
	n.KindInside[KindFosterInHouse] = 0.7
	n.KindInside[KindFosterAgency] = 0.4
	n.KindInside[KindChildrensHome] = ratio("4c.1", "4c.2")
	n.KindInside[KindSecure] = ratio("4a", "4b")
	n.KindInside[KindSupported] = 0.55
	n.KindInside[KindParents] = 0.95
	n.KindInside[KindAdoption] = 0.45
	n.Costs = costsFromRefdata()
	return n
}

// costsFromRefdata sets the price model from the curated reference figures:
// the CCN average residential weekly cost in 2024 (≈ £6,100) and its growth
// since 2019, the CMA's IFA price, and the in-house fostering figure of the
// brief (≈ £450).
func costsFromRefdata() Costs {
	c := Costs{
		ChildrensHome: 6000, ChildrensHomeSD: 0.55, FosterAgency: 900, FosterInHouse: 450, FosterRelative: 330,
		Supported: 1900, Secure: 8500, ResidentialSchool: 5000, OtherResidential: 3500,
		GrowthResidential: 0.09, GrowthFostering: 0.03,
	}
	series := refdata.ReferenceSeries("CCN: average weekly cost of a residential placement (county councils)")
	var v2019, v2024 float64
	for _, r := range series {
		switch {
		case strings.HasPrefix(r.Period, "2019"):
			v2019 = r.Value
		case strings.HasPrefix(r.Period, "2024"):
			v2024 = r.Value
		}
	}
	if v2024 > 0 {
		c.ChildrensHome = v2024
		if v2019 > 0 {
			c.GrowthResidential = math.Pow(v2024/v2019, 1.0/5) - 1
		}
	}
	if r, ok := refdata.ReferenceFigure("CMA interim: average weekly price, independent fostering agencies"); ok && r.Value > 0 {
		c.FosterAgency = r.Value * math.Pow(1+c.GrowthFostering, 4) // 2020 → 2024
	}
	return c
}

func fig(f refdata.Figure) float64 {
	if f.Known {
		return f.Value
	}
	if f.Symbol == "c" {
		return 2 // suppressed small number
	}
	return 0
}

// mixOf converts published placement counts to kind shares; relShare is the
// share of fostering with friends and relatives, agencyShare the share of
// other fostering with agencies when the provider split does not tell.
func mixOf(pc refdata.PlacementCounts, relShare, agencyShare float64) [nKinds]float64 {
	var m [nKinds]float64
	foster := fig(pc.Foster)
	homes := fig(pc.SecureAndChildrensHomes)
	m[KindFosterRelative] = foster * relShare
	other := foster - m[KindFosterRelative]
	ext := fig(pc.ProviderPrivate) + fig(pc.ProviderVoluntary)
	nonFosterExt := 0.85*homes + 0.8*fig(pc.IndependentSemiIndependentSupp) + 0.7*fig(pc.ResidentialSchools) + 0.5*fig(pc.OtherResidential)
	if other > 0 && ext > 0 {
		agencyShare = clamp((ext-nonFosterExt)/other, 0.1, 0.8)
	}
	m[KindFosterAgency] = other * agencyShare
	m[KindFosterInHouse] = other - m[KindFosterAgency]
	m[KindSecure] = homes * 0.012
	m[KindChildrensHome] = homes - m[KindSecure]
	m[KindSupported] = fig(pc.IndependentSemiIndependentSupp)
	m[KindParents] = fig(pc.PlacedWithParents)
	m[KindAdoption] = fig(pc.PlacedForAdoption)
	m[KindResidentialSchool] = fig(pc.ResidentialSchools)
	m[KindOtherResidential] = fig(pc.OtherResidential)
	m[KindOther] = fig(pc.OtherPlacements)
	normalise(m[:])
	return m
}

func locality(pc refdata.PlacementCounts) (inside, over20 float64) {
	in, out := fig(pc.InsideLABoundary), fig(pc.OutsideLABoundary)
	if in+out > 0 {
		inside = in / (in + out)
	}
	near, far := fig(pc.Within20Miles), fig(pc.Over20Miles)
	if near+far > 0 {
		over20 = far / (near + far)
	}
	return inside, over20
}

// LastMixYear is the last published placement-mix year the generator is
// calibrated to (2021 to this year). The DfE's 2024 and 2025 figures are held
// (refdata) but not used here: councils moved children from "other
// placements" to supported accommodation as the 2023 regulations took effect,
// and the generator's placement kinds, sibling placement and distance model
// were calibrated on the earlier coding (with 2024–2025 mixes Newcastle's
// sibling groups placed apart fell from 34% to 2%, far from England's 37%).
// The share in secure and children's homes (K1, K2), whose coding did not
// change, is followed in every published year (CouncilInput.HomesShare).
const LastMixYear = 2023

// CouncilFromRefdata builds a council's calibration from the embedded
// public data: its published stock, starts and ceases (interpolated where a
// year is missing and following the national series after the last published
// year), its placement mix, ages, UASC share and locality at 31 March
// 2021–2023, its share in secure and children's homes in each published
// year, and its postcode sectors. An unknown council gives EINVALID.
func CouncilFromRefdata(code string, from, to int) (*CouncilInput, error) {
	c, ok := refdata.CouncilByCode(code)
	if !ok {
		return nil, care.Errorf(care.EINVALID, "unknown council %q: give an ONS code, DfE code or name", code)
	}
	in := &CouncilInput{Code: c.Code, DfECode: c.DfECode, Name: c.Name, Region: c.Region,
		Easting: c.Easting, Northing: c.Northing, Pop0to17: c.Pop0to17}
	in.Targets = targets(refdata.CLAHistory(c.Code), from-1, to)
	// Placement mix: the average of the published years.
	var n int
	var mixes [][nKinds]float64
	var ages [nBands]float64
	var uasc, total, inside, over20 float64
	for _, y := range refdata.PlacementMixYears() {
		pc, ok := refdata.PlacementMix(c.Code, y)
		if ok && pc.SecureAndChildrensHomes.Known && pc.Total.Known && pc.Total.Value > 0 {
			if in.HomesShare == nil {
				in.HomesShare = map[int]float64{}
			}
			in.HomesShare[y] = pc.SecureAndChildrensHomes.Value / pc.Total.Value
		}
		if y > LastMixYear {
			continue
		}
		if !ok || fig(pc.Total) == 0 {
			continue
		}
		n++
		mixes = append(mixes, mixOf(pc, 0.24, 0.35))
		for i, f := range []refdata.Figure{pc.AgeUnder1, pc.Age1to4, pc.Age5to9, pc.Age10to15, pc.Age16Plus} {
			ages[i] += fig(f)
		}
		uasc += fig(pc.UASC)
		total += fig(pc.Total)
		i, o := locality(pc)
		inside += i
		over20 += o
	}
	nat := NationalFromRefdata()
	if n == 0 {
		in.Mix = nat.Mix
		in.AgeMix = [nBands]float64{0.05, 0.13, 0.18, 0.38, 0.26}
		in.InsideShare, in.Over20Share = nat.InsideShare, nat.Over20Share
	} else {
		for _, m := range mixes {
			for k := range m {
				in.Mix[k] += m[k] / float64(n)
			}
		}
		in.AgeMix = ages
		normalise(in.AgeMix[:])
		in.UASCShare = uasc / total
		in.InsideShare, in.Over20Share = inside/float64(n), over20/float64(n)
	}
	for _, s := range geo.SectorsOf(c.Code) {
		in.Sectors = append(in.Sectors, Place{Code: s.Code, Council: c.Code, Easting: s.Point.Easting, Northing: s.Point.Northing, Weight: s.Weight})
	}
	if len(in.Sectors) == 0 {
		return nil, care.Errorf(care.EINTERNAL, "no postcode sectors for %s", c.Name)
	}
	return in, nil
}

// targets builds the yearly targets from published history: published years
// as they are, gaps interpolated linearly, years before the first or after
// the last published year scaled by the national series.
func targets(hist []refdata.YearFigures, from, to int) []Target {
	nat := map[int]refdata.NationalYear{}
	for _, y := range refdata.NationalSeries() {
		nat[y.Year] = y
	}
	type series map[int]float64
	stock, starts, ceases := series{}, series{}, series{}
	for _, h := range hist {
		if h.CLA31Mar.Known {
			stock[h.Year] = h.CLA31Mar.Value
		}
		if h.Starts.Known {
			starts[h.Year] = h.Starts.Value
		}
		if h.Ceases.Known {
			ceases[h.Year] = h.Ceases.Value
		}
	}
	natVal := func(y int, which int) float64 {
		ny, ok := nat[y]
		if !ok {
			// Beyond the series: hold its last value.
			last := 0
			for k := range nat {
				if k > last {
					last = k
				}
			}
			ny = nat[last]
		}
		f := [3]refdata.Figure{ny.CLA31Mar, ny.Starts, ny.Ceases}[which]
		return f.Value
	}
	fill := func(s series, y, which int) (float64, string) {
		if v, ok := s[y]; ok {
			return v, "published"
		}
		lo, hi := -1, -1
		for k := range s {
			if k < y && (lo < 0 || k > lo) {
				lo = k
			}
			if k > y && (hi < 0 || k < hi) {
				hi = k
			}
		}
		switch {
		case lo >= 0 && hi >= 0:
			f := float64(y-lo) / float64(hi-lo)
			return s[lo] + f*(s[hi]-s[lo]), "interpolated"
		case lo >= 0:
			if a, b := natVal(lo, which), natVal(y, which); a > 0 {
				return s[lo] * b / a, "national trend"
			}
			return s[lo], "national trend"
		case hi >= 0:
			if a, b := natVal(hi, which), natVal(y, which); a > 0 {
				return s[hi] * b / a, "national trend"
			}
			return s[hi], "national trend"
		}
		return 0, "none"
	}
	// Work over the whole span so that every unpublished year can be made
	// consistent with its neighbours.
	lo, hi := from, to
	for y := range stock {
		lo = min(lo, y)
		hi = max(hi, y)
	}
	all := map[int]*Target{}
	for y := lo; y <= hi; y++ {
		t := &Target{Year: y}
		var src [3]string
		t.Stock, src[0] = fill(stock, y, 0)
		t.Starts, src[1] = fill(starts, y, 1)
		t.Ceases, src[2] = fill(ceases, y, 2)
		t.Source = src[0]
		for _, s := range src {
			if s != "published" {
				t.Source = s
			}
		}
		all[y] = t
	}
	// An unpublished stock followed by a published year is set so that the
	// published year's flows add up: stock = next stock − next starts + next
	// ceases. An unpublished year's ceases then follow from the stock
	// identity, so the targets never ask for flows that cannot both be met.
	for y := hi - 1; y >= lo; y-- {
		t, n := all[y], all[y+1]
		if t.Source != "published" && n.Source == "published" {
			t.Stock = math.Max(n.Stock-n.Starts+n.Ceases, 0)
		}
	}
	for y := lo + 1; y <= hi; y++ {
		t, p := all[y], all[y-1]
		if t.Source != "published" {
			t.Ceases = math.Max(p.Stock+t.Starts-t.Stock, 0)
		}
	}
	// The starting stock (the year before the first generated year) is only
	// a starting condition: set it so that the first year's published flows
	// add up exactly.
	if f := all[from+1]; f != nil && all[from] != nil && f.Source == "published" {
		all[from].Stock = math.Max(f.Stock-f.Starts+f.Ceases, 0)
	}
	var out []Target
	for y := from; y <= to; y++ {
		out = append(out, *all[y])
	}
	return out
}

var worldOnce struct {
	sync.Once
	w *World
}

// WorldFromRefdata builds the shared world: every English postcode sector,
// and every children's home, secure home, residential special school and
// supported accommodation service on the Ofsted register. Ofsted withholds
// the postcodes of homes and supported accommodation, so each is placed in a
// postcode district of its council drawn in proportion to population, then
// in a sector of that district drawn in proportion to postcodes; the draw is
// keyed by URN, so a home is always in the same place whatever the seed.
// The children's homes that closed before 31 March 2025 (closedHomes) are
// added, placed the same way, with the dates they were open.
func WorldFromRefdata() *World {
	worldOnce.Do(func() { worldOnce.w = buildWorld() })
	return worldOnce.w
}

func buildWorld() *World {
	var sectors []Place
	for _, s := range refdata.PostcodeSectors() {
		if s.Council == "" || !s.HasPoint || !strings.HasPrefix(s.Council, "E") {
			continue
		}
		sectors = append(sectors, Place{Code: s.Code, Council: s.Council, Easting: s.Easting, Northing: s.Northing, Weight: float64(s.Postcodes)})
	}
	secByDistrict := map[string][]Place{}
	for _, s := range sectors {
		d, _, _ := strings.Cut(s.Code, " ")
		secByDistrict[d] = append(secByDistrict[d], s)
	}
	var homes []Home
	districts := map[string][]geo.District{}
	// where places a setting in a sector of its council: in Ofsted's
	// district when it gives one, else in a district of the council drawn
	// by population (keyed by URN).
	where := func(h *Home, district string) bool {
		r := newRand(0, "home:"+h.URN)
		inCouncil := func(d string) []Place {
			var out []Place
			for _, s := range secByDistrict[d] {
				if s.Council == h.Council {
					out = append(out, s)
				}
			}
			return out
		}
		ss := inCouncil(district)
		if len(ss) == 0 {
			ds, ok := districts[h.Council]
			if !ok {
				for _, d := range geo.DistrictsOf(h.Council) {
					if len(inCouncil(d.Code)) > 0 {
						ds = append(ds, d)
					}
				}
				districts[h.Council] = ds
			}
			dw := make([]float64, len(ds))
			for i, d := range ds {
				dw[i] = d.Weight
			}
			if i := pick(r, dw); i >= 0 {
				ss = inCouncil(ds[i].Code)
			}
		}
		if len(ss) == 0 {
			return false
		}
		w := make([]float64, len(ss))
		for i, s := range ss {
			w[i] = s.Weight
		}
		s := ss[max(pick(r, w), 0)]
		h.Postcode, h.Easting, h.Northing = s.Code, s.Easting, s.Northing
		return true
	}
	var reg []registerHome
	for _, p := range refdata.Providers() {
		if rh, ok := registerHomeOf(p); ok {
			reg = append(reg, rh)
		}
		if p.ShortBreakOnly || p.Council == "" {
			continue
		}
		switch p.Kind {
		case care.KindChildrensHome, care.KindSecureHome, care.KindResidentialSchool, care.KindSupported:
		default:
			continue
		}
		h := Home{URN: p.URN, Name: p.Name, Owner: p.Owner, Kind: p.Kind, Sector: p.Sector, Council: p.Council,
			Places: p.Places, Rating: p.Rating}
		if p.Kind == care.KindSupported && h.Places == 0 {
			h.Places = max(p.SupportedPremises, 1) * 4
		}
		if !p.Registered.IsZero() {
			h.Registered = dayOf(p.Registered)
		}
		if where(&h, p.PostcodeDistrict) {
			homes = append(homes, h)
		}
	}
	// The children's homes that closed before 31 March 2025 (closedHomes),
	// open to the councils' children in the years they were open.
	for _, h := range closedHomes(reg) {
		if where(&h, "") {
			homes = append(homes, h)
		}
	}
	return NewWorld(sectors, homes)
}
