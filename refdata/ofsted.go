package refdata

import (
	"sort"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
)

// Provider is one Ofsted-registered children's social care provider or
// setting at 31 March 2025 (Ofsted, "Children's social care in England 2025 –
// provider level"). Ofsted withholds the name, address and postcode of
// children's homes (including secure homes and residential special schools
// registered as homes) and supported accommodation: for those, Name, Town and
// Postcode are blank and the location is only Council and Constituency.
type Provider struct {
	URN  string
	Type string // Ofsted's provision type, e.g. "Children's home", "Independent Fostering Agency"
	// Kind is the provision kind where the type is a place a child can live
	// or a fostering service: children's home, secure home, residential
	// special school (both kinds), supported accommodation, independent
	// fostering agency. It is "" for the other types (adoption agencies,
	// residential family centres, boarding schools, FE colleges, holiday
	// schemes, the secure training centre).
	Kind   care.ProvisionKind
	Sector care.Sector // "Private", "Local Authority", "Voluntary", "Health Authority" or "Academy" (as Ofsted records it)
	Places int         // registered places (0 when not published: agencies, supported accommodation)
	// SupportedPremises is the number of premises of a supported
	// accommodation service (0 otherwise).
	SupportedPremises int
	ShortBreakOnly    bool // provides short breaks only (not a home for a child in care)
	MultiBuilding     bool

	Council      string // ONS code of the council the setting is in ("" for four Welsh services)
	CouncilName  string // the local authority as Ofsted names it
	Region       string // English region, as Ofsted names it
	Constituency string // parliamentary constituency
	Owner        string // owner organisation
	Name         string // "" where withheld
	Town         string
	Postcode     string // full postcode where published (agencies, schools), else ""
	// PostcodeDistrict is the district of Postcode; "" where Ofsted withholds
	// the postcode (homes, supported accommodation).
	PostcodeDistrict string

	Registered time.Time // registration date
	Status     string    // "Active" or "Suspended"

	// Rating is the latest overall effectiveness (for homes: "overall
	// experiences and progress of children"); RatingNone if not yet inspected
	// or the setting is judged on another scale.
	Rating             care.Rating
	HelpProtection     care.Rating
	Leadership         care.Rating
	SupportedRating    string    // supported accommodation judgement, e.g. "Consistently strong service delivery"
	LastInspected      time.Time // date of the latest inspection (zero if none)
	LastInspectionType string    // "Full inspection", "Monitoring inspection" or ""
}

// KindOfType maps an Ofsted provision type to a care.ProvisionKind, reporting
// false for types that are not a place to live for a child in care or a
// fostering service.
func KindOfType(providerType string) (care.ProvisionKind, bool) {
	switch strings.ToLower(strings.TrimSpace(providerType)) {
	case "children's home":
		return care.KindChildrensHome, true
	case "secure children's home":
		return care.KindSecureHome, true
	case "residential special school", "residential special school (registered as a children's home)":
		return care.KindResidentialSchool, true
	case "supported accommodation":
		return care.KindSupported, true
	case "independent fostering agency":
		return care.KindFostering, true
	}
	return "", false
}

type providerIndex struct {
	list      []Provider
	byCouncil map[string][]int
	byURN     map[string]int
}

var provOnce struct {
	sync.Once
	*providerIndex
}

func loadProviders() {
	provOnce.Do(func() { provOnce.providerIndex = parseProviders() })
}

func parseProviders() *providerIndex {
	ix := &providerIndex{}
	t := mustTable("ofsted_providers_2025.csv", "urn", "provision_type", "sector", "places", "la_code")
	ix.list = make([]Provider, 0, len(t.rows))
	ix.byCouncil = make(map[string][]int, 160)
	ix.byURN = make(map[string]int, len(t.rows))
	for _, r := range t.rows {
		p := Provider{
			URN:                t.get(r, "urn"),
			Type:               normaliseType(t.get(r, "provision_type")),
			Sector:             care.Sector(t.get(r, "sector")),
			ShortBreakOnly:     t.get(r, "short_break_only") != "",
			MultiBuilding:      t.get(r, "multi_building") == "Y",
			Council:            t.get(r, "la_code"),
			CouncilName:        t.get(r, "local_authority"),
			Region:             t.get(r, "region"),
			Constituency:       t.get(r, "parliamentary_constituency"),
			Owner:              t.get(r, "owner_organisation"),
			Name:               t.get(r, "name"),
			Town:               t.get(r, "town"),
			Postcode:           strings.ToUpper(t.get(r, "postcode")),
			PostcodeDistrict:   strings.ToUpper(t.get(r, "postcode_district")),
			Status:             t.get(r, "registration_status"),
			SupportedRating:    t.get(r, "rating_supported_accommodation"),
			LastInspectionType: t.get(r, "latest_inspection_type"),
		}
		p.Kind, _ = KindOfType(p.Type)
		p.Places, _ = atoi(t.get(r, "places"))
		p.SupportedPremises, _ = atoi(t.get(r, "supported_accommodation_premises"))
		p.Registered = ukDate(t.get(r, "registration_date"))
		p.LastInspected = ukDate(t.get(r, "latest_inspection_date"))
		p.Rating, _ = ParseRating(t.get(r, "rating_overall_experiences"))
		p.HelpProtection, _ = ParseRating(t.get(r, "rating_help_and_protection"))
		p.Leadership, _ = ParseRating(t.get(r, "rating_leadership"))
		ix.list = append(ix.list, p)
	}
	sort.SliceStable(ix.list, func(i, j int) bool { return ix.list[i].URN < ix.list[j].URN })
	for i, p := range ix.list {
		ix.byURN[p.URN] = i
		if p.Council != "" {
			ix.byCouncil[p.Council] = append(ix.byCouncil[p.Council], i)
		}
	}
	return ix
}

// normaliseType merges Ofsted's two spellings of the children's home type.
func normaliseType(s string) string {
	if strings.EqualFold(s, "Children's home") {
		return "Children's home"
	}
	return s
}

func ukDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		return time.Time{}
	}
	return d
}

// Providers returns every provider on the register (5,600), sorted by URN, as
// a fresh copy.
func Providers() []Provider {
	loadProviders()
	return append([]Provider(nil), provOnce.list...)
}

// ProvidersIn returns the providers located in a council (ONS code, DfE code
// or name), sorted by URN; nil for an unknown council. Location is where the
// setting is, not which council places children there.
func ProvidersIn(council string) []Provider {
	c, ok := CouncilByCode(council)
	if !ok {
		return nil
	}
	loadProviders()
	idx := provOnce.byCouncil[c.Code]
	out := make([]Provider, len(idx))
	for i, j := range idx {
		out[i] = provOnce.list[j]
	}
	return out
}

// ProviderByURN finds a provider by its Ofsted URN.
func ProviderByURN(urn string) (Provider, bool) {
	loadProviders()
	i, ok := provOnce.byURN[strings.TrimSpace(urn)]
	if !ok {
		return Provider{}, false
	}
	return provOnce.list[i], true
}

// Supply is the Ofsted-registered supply located in one council at 31 March
// 2025, derived from the provider register (mainstream children's homes are
// "CH"; secure homes and residential special schools registered as homes are
// counted separately).
type Supply struct {
	Council                         string // ONS code
	Homes, HomePlaces               int    // mainstream children's homes and their places
	SecureHomes, SecurePlaces       int
	RSSHomes, RSSPlaces             int // residential special schools registered as children's homes
	SupportedServices               int // supported accommodation services registered in the council
	SupportedPremises               int
	IFAs                            int // independent fostering agencies with their registered office here
	ResidentialFamilyCentres        int
	PrivateHomes, PrivatePlaces     int
	LAHomes, LAPlaces               int
	VoluntaryHomes, VoluntaryPlaces int
	HealthHomes, HealthPlaces       int
	HomesOutstanding, HomesGood     int
	HomesRI, HomesInadequate        int
	HomesNotYetInspected            int
}

var supplyOnce struct {
	sync.Once
	m map[string]Supply
}

// SupplyIn returns the published supply summary for a council (ONS code, DfE
// code or name).
func SupplyIn(council string) (Supply, bool) {
	c, ok := CouncilByCode(council)
	if !ok {
		return Supply{}, false
	}
	supplyOnce.Do(func() {
		t := mustTable("ofsted_supply_by_la_2025.csv", "la_code", "ch_n", "ch_places")
		supplyOnce.m = map[string]Supply{}
		for _, r := range t.rows {
			n := func(c string) int { v, _ := atoi(t.get(r, c)); return v }
			s := Supply{
				Council: t.get(r, "la_code"), Homes: n("ch_n"), HomePlaces: n("ch_places"),
				SecureHomes: n("secure_ch_n"), SecurePlaces: n("secure_ch_places"),
				RSSHomes: n("rss_ch_n"), RSSPlaces: n("rss_ch_places"),
				SupportedServices: n("supported_acc_n"), SupportedPremises: n("supported_acc_premises"),
				IFAs: n("ifa_n"), ResidentialFamilyCentres: n("rfc_n"),
				PrivateHomes: n("ch_private_n"), PrivatePlaces: n("ch_private_places"),
				LAHomes: n("ch_la_n"), LAPlaces: n("ch_la_places"),
				VoluntaryHomes: n("ch_voluntary_n"), VoluntaryPlaces: n("ch_voluntary_places"),
				HealthHomes: n("ch_health_n"), HealthPlaces: n("ch_health_places"),
				HomesOutstanding: n("ch_rated_outstanding"), HomesGood: n("ch_rated_good"),
				HomesRI: n("ch_rated_requires"), HomesInadequate: n("ch_rated_inadequate"),
				HomesNotYetInspected: n("ch_not_yet_inspected"),
			}
			supplyOnce.m[s.Council] = s
		}
	})
	s, ok := supplyOnce.m[c.Code]
	return s, ok
}

// ILACS is a council's latest Ofsted inspection of local authority children's
// services (ILACS) at 31 March 2025.
type ILACS struct {
	Council           string
	Inspected         time.Time
	Published         time.Time
	Overall           care.Rating // overall effectiveness
	ImpactOfLeaders   care.Rating
	HelpAndProtection care.Rating
	ChildrenInCare    care.Rating // experiences and progress of children in care
	CareLeavers       care.Rating
}

var ilacsOnce struct {
	sync.Once
	m map[string]ILACS
}

// Inspection returns a council's ILACS judgements (council: ONS code, DfE code
// or name).
func Inspection(council string) (ILACS, bool) {
	c, ok := CouncilByCode(council)
	if !ok {
		return ILACS{}, false
	}
	ilacsOnce.Do(func() {
		t := mustTable("ofsted_ilacs_la_judgements_2025.csv", "la_code", "overall_effectiveness")
		ilacsOnce.m = map[string]ILACS{}
		for _, r := range t.rows {
			j := func(c string) care.Rating { v, _ := ParseRating(t.get(r, c)); return v }
			i := ILACS{Council: t.get(r, "la_code"),
				Overall: j("overall_effectiveness"), ImpactOfLeaders: j("impact_of_leaders"),
				HelpAndProtection: j("help_and_protection"), ChildrenInCare: j("children_in_care"),
				CareLeavers: j("care_leavers")}
			i.Inspected, _ = time.Parse("2006-01-02", t.get(r, "inspection_date"))
			i.Published, _ = time.Parse("2006-01-02", t.get(r, "publication_date"))
			ilacsOnce.m[i.Council] = i
		}
	})
	i, ok := ilacsOnce.m[c.Code]
	return i, ok
}

// ProvidersInRegion returns the providers located in the councils of one
// English region (name as CouncilsInRegion accepts it), sorted by URN. An
// unknown region gives the ENOTFOUND error of CouncilsInRegion.
func ProvidersInRegion(region string) ([]Provider, error) {
	cs, err := CouncilsInRegion(region)
	if err != nil {
		return nil, err
	}
	loadProviders()
	var out []Provider
	for _, c := range cs {
		for _, i := range provOnce.byCouncil[c.Code] {
			out = append(out, provOnce.list[i])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out, nil
}
