package synth

import (
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"sufficiency/care"
	"sufficiency/refdata"
)

// The URN of a placement that is not a registered setting.
//
// The DfE's rule 218 (as its reference validator implements it) wants a URN
// for every placement except P1, P3, R1, R2, R5, temporary (T0–T4) and other
// (Z1, Z11–Z14) placements, and outside England: so also for foster (U1–U6)
// and adoption (A3–A6) placements and family centres (R3). For those the URN
// is the agency's, not the carers': an independent fostering agency's or a
// voluntary adoption agency's from the Ofsted register. Council fostering
// services and councils' or regional adoption agencies are not registered
// with Ofsted (they are inspected with the council), and their placements
// carry XXXXXXX, the code the DfE keeps for them (rule 242: XXXXXXX only for
// A3–A6 and U1–U6; "can only be used for regional adoption agencies").

// notRegistered is the DfE's URN for a provision not on the Ofsted register.
const notRegistered = "XXXXXXX"

type agency struct {
	urn        string
	sector     care.Sector
	registered day
}

// agencyLists are the register's agencies of one kind, by region (as Ofsted
// names it) and for all England, sorted by URN.
type agencyLists struct {
	byRegion map[string][]agency
	all      []agency
}

var agencies struct {
	sync.Once
	ifa, vaa, rfc agencyLists
}

func loadAgencies() {
	agencies.Do(func() {
		add := func(l *agencyLists, p refdata.Provider) {
			if l.byRegion == nil {
				l.byRegion = map[string][]agency{}
			}
			a := agency{urn: p.URN, sector: p.Sector, registered: noDay}
			if !p.Registered.IsZero() {
				a.registered = dayOf(p.Registered)
			}
			r := strings.ToLower(p.Region)
			l.byRegion[r] = append(l.byRegion[r], a)
			l.all = append(l.all, a)
		}
		for _, p := range refdata.Providers() { // sorted by URN
			switch p.Type {
			case "Independent Fostering Agency":
				add(&agencies.ifa, p)
			case "Voluntary Adoption Agency":
				add(&agencies.vaa, p)
			case "Residential Family Centre":
				add(&agencies.rfc, p)
			}
		}
		for _, l := range []*agencyLists{&agencies.ifa, &agencies.vaa, &agencies.rfc} {
			sort.SliceStable(l.all, func(i, j int) bool { return l.all[i].urn < l.all[j].urn })
		}
	})
}

// pickAgency chooses an agency of the list for a placement starting on day
// d: one of the region's registered by d whose sector suits (any sector
// when sectors is nil), else one in England. The choice is a hash of key (the
// child and the day), so it draws nothing from the council's random stream.
// "" when none was registered by d.
func pickAgency(l *agencyLists, region string, d day, key string, sectors ...care.Sector) (agency, bool) {
	fits := func(a agency) bool {
		if a.registered != noDay && a.registered > d {
			return false
		}
		if len(sectors) == 0 {
			return true
		}
		for _, s := range sectors {
			if a.sector == s {
				return true
			}
		}
		return false
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	sum := h.Sum64()
	for _, list := range [][]agency{l.byRegion[strings.ToLower(region)], l.all} {
		n := 0
		for _, a := range list {
			if fits(a) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		k := int(sum % uint64(n))
		for _, a := range list {
			if fits(a) {
				if k == 0 {
					return a, true
				}
				k--
			}
		}
	}
	return agency{}, false
}

// agencyURN gives a foster, adoption or family-centre placement its URN (see
// above); other placements keep theirs (a setting's, or none).
func (s *sim) agencyURN(c *child, e *episode) {
	if e.urn != "" {
		return
	}
	loadAgencies()
	key := c.id + "|" + strconv.Itoa(int(e.start))
	switch e.kind {
	case KindFosterRelative, KindFosterInHouse, KindFosterAgency:
		if e.provider == "PR1" || e.provider == "PR2" {
			e.urn = notRegistered
			return
		}
		sector := care.SectorPrivate
		if e.provider == "PR5" {
			sector = care.SectorVoluntary
		}
		if a, ok := pickAgency(&agencies.ifa, s.in.Region, e.start, key, sector); ok {
			e.urn = a.urn
		} else if a, ok := pickAgency(&agencies.ifa, s.in.Region, e.start, key); ok {
			e.urn = a.urn
		} else {
			e.urn = notRegistered
		}
	case KindAdoption:
		if e.provider == "PR5" {
			if a, ok := pickAgency(&agencies.vaa, s.in.Region, e.start, key); ok {
				e.urn = a.urn
				return
			}
		}
		e.urn = notRegistered
	case KindOtherResidential:
		if e.place != "R3" {
			return
		}
		a, ok := pickAgency(&agencies.rfc, s.in.Region, e.start, key)
		if !ok { // none registered so early: the region's, as for supported accommodation
			a, ok = pickAgency(&agencies.rfc, s.in.Region, day(math.MaxInt32), key)
		}
		if ok {
			e.urn = a.urn
			switch a.sector {
			case care.SectorVoluntary:
				e.provider = "PR5"
			case care.SectorLA:
				e.provider = "PR2"
			default:
				e.provider = "PR4"
			}
		}
	}
}
