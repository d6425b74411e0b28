package match

import (
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
)

// The eligibility check of a search runs over every provision with a
// vacancy (~10,000 on all of England's supply) and was memory-bound: it
// read each provision's index entry, its care.Provision (several cache
// lines), its need codes (strings compared one by one) and its vacancies.
// The compact records below hold what the check reads, in the order of
// ix.vacant, in one small fixed-size struct per provision (needs as a
// bitset over the index's need codes, kinds and flags as bits, residents'
// ages as their range) and its vacancies in one array; checkCompact gives
// the same vacancy, free places and reasons, in the same order, as check
// (compact_test.go compares them over random referrals).

// compactProv is a provision with a vacancy, as checkCompact reads it.
type compactProv struct {
	p              *care.Provision
	pt             geo.Point
	needs          uint64 // bits of the index's need codes
	price          care.Pence
	residRsk       riskSet
	vac0, nvac     int32 // its vacancies: ix.cvacs[vac0 : vac0+nvac]
	minAge, maxAge int32
	resMin, resMax int32 // residents' youngest and oldest ages (nres > 0)
	nres           int32
	sibCap         int32
	sexes          uint8 // bits of the index's sexes; 0 with none listed
	typ            uint8 // typeFoster, typeResidential, typeSupported
	flags          uint8
}

// compactProv flags.
const (
	cLocated uint8 = 1 << iota
	cAnimals
	cInadequate
	cFostering
	cSecure
	cSupported
	cSexes // lists the sexes accepted
)

// Placement types as compactProv.typ.
const (
	typeFoster uint8 = iota
	typeResidential
	typeSupported
)

var typeNames = [...]string{care.TypeFoster, care.TypeResidential, care.TypeSupported}

// compactVac is a vacancy as checkCompact reads it.
type compactVac struct {
	fromSec  int64 // ValidFrom: Unix seconds and nanoseconds
	fromNsec int32
	places   int32
	vk       int32 // index in ix.vacs
	fromZero bool
	price    care.Pence // the vacancy's weekly price, else the provision's
}

// compactIndex is the index's compact records (nil when the supply has
// more need codes or sexes than the bitsets hold: check is used then).
type compactIndex struct {
	provs   []compactProv // in the order of ix.vacant
	vacs    []compactVac
	needBit map[string]uint64 // upper-case need code → bit
	sexBit  map[care.Sex]uint8
}

// buildCompact builds the compact records of ix (after NewIndex).
func (ix *Index) buildCompact() *compactIndex {
	c := &compactIndex{needBit: map[string]uint64{}, sexBit: map[care.Sex]uint8{}}
	c.provs = make([]compactProv, len(ix.vacant))
	for n, k := range ix.vacant {
		pv := &ix.provs[k]
		p := pv.p
		cp := compactProv{p: p, pt: pv.pt, price: p.WeeklyPrice, residRsk: pv.residRsk, minAge: int32(p.MinAge), maxAge: int32(p.MaxAge),
			nres: int32(len(p.Residents)), sibCap: int32(p.SiblingCapacity)}
		if int(cp.minAge) != p.MinAge || int(cp.maxAge) != p.MaxAge || int(cp.sibCap) != p.SiblingCapacity || int(cp.nres) != len(p.Residents) {
			return nil
		}
		for _, code := range pv.needs {
			bit, ok := c.needBit[code]
			if !ok {
				if len(c.needBit) == 64 {
					return nil
				}
				bit = 1 << len(c.needBit)
				c.needBit[code] = bit
			}
			cp.needs |= bit
		}
		for i, r := range p.Residents {
			if int(int32(r.Age)) != r.Age {
				return nil
			}
			if i == 0 || int32(r.Age) < cp.resMin {
				cp.resMin = int32(r.Age)
			}
			if i == 0 || int32(r.Age) > cp.resMax {
				cp.resMax = int32(r.Age)
			}
		}
		if len(p.Sexes) > 0 {
			cp.flags |= cSexes
			for _, s := range p.Sexes {
				bit, ok := c.sexBit[s]
				if !ok {
					if len(c.sexBit) == 8 {
						return nil
					}
					bit = 1 << len(c.sexBit)
					c.sexBit[s] = bit
				}
				cp.sexes |= bit
			}
		}
		switch pv.typ {
		case care.TypeFoster:
			cp.typ = typeFoster
		case care.TypeResidential:
			cp.typ = typeResidential
		case care.TypeSupported:
			cp.typ = typeSupported
		default:
			return nil
		}
		for _, f := range []struct {
			on  bool
			bit uint8
		}{{pv.located, cLocated}, {pv.animals, cAnimals}, {p.Rating == care.RatingInadequate, cInadequate},
			{p.Kind == care.KindFostering, cFostering}, {p.Kind == care.KindSecureHome, cSecure}, {p.Kind == care.KindSupported, cSupported}} {
			if f.on {
				cp.flags |= f.bit
			}
		}
		cp.vac0, cp.nvac = int32(len(c.vacs)), int32(len(pv.vacs))
		for _, vk := range pv.vacs {
			v := &ix.vacs[vk]
			cv := compactVac{places: int32(v.Places), vk: vk, fromZero: v.ValidFrom.IsZero(), price: v.WeeklyPrice}
			if int(cv.places) != v.Places {
				return nil
			}
			if !cv.fromZero {
				cv.fromSec, cv.fromNsec = v.ValidFrom.Unix(), int32(v.ValidFrom.Nanosecond())
			}
			if cv.price == 0 {
				cv.price = p.WeeklyPrice
			}
			c.vacs = append(c.vacs, cv)
		}
		c.provs[n] = cp
	}
	return c
}

// needCheck is one need of the referral as checkCompact tests it: the
// provision must hold any of bits (0: no provision lists it); label is
// what missingNeed returns.
type needCheck struct {
	bits  uint64
	label string
}

// compactReferral is what checkCompact needs of the referral, computed
// once per search.
type compactReferral struct {
	needs      []needCheck
	unsuitable [3]bool
	sexBit     uint8 // the child's sex's bit (0: not accepted anywhere)
	sexKnown   bool
	solo       bool
	atZero     bool
	atSec      int64
	atNsec     int32
}

func (c *compactIndex) referral(ref care.Referral, at time.Time) compactReferral {
	cr := compactReferral{sexKnown: ref.Sex != care.Unknown, solo: ref.Solo(), atZero: at.IsZero()}
	if !cr.atZero {
		cr.atSec, cr.atNsec = at.Unix(), int32(at.Nanosecond())
	}
	cr.sexBit = c.sexBit[ref.Sex]
	for t := range typeNames {
		cr.unsuitable[t] = ref.SuitabilityOf(typeNames[t]) == care.SuitabilityUnsuitable
	}
	// As missingNeed: need codes as written, communication needs in upper
	// case, then a home adaptation (PD or DISABILITY).
	for _, n := range ref.NeedCodes {
		cr.needs = append(cr.needs, needCheck{c.needBit[n], n})
	}
	for _, n := range ref.CommunicationNeeds {
		cr.needs = append(cr.needs, needCheck{c.needBit[strings.ToUpper(n)], n})
	}
	if ref.HomeAdaptation {
		cr.needs = append(cr.needs, needCheck{c.needBit["PD"] | c.needBit["DISABILITY"], "home adaptation (PD)"})
	}
	return cr
}

// validAfter reports whether the vacancy is valid only after the search's
// date (as v.ValidFrom.After(at)).
func (cr *compactReferral) validAfter(v *compactVac) bool {
	return v.fromSec > cr.atSec || v.fromSec == cr.atSec && v.fromNsec > cr.atNsec
}

// checkCompact is check on the compact record of the n-th provision of
// ix.vacant.
func (ix *Index) checkCompact(ref care.Referral, cr *compactReferral, rp *referralPoints, n int, freeOf []int, at time.Time, age, group int,
	miles float64, buf []Reason) (int, int, []Reason) {
	c := ix.compact
	cp := &c.provs[n]
	pol := &ix.policy
	located := cp.flags&cLocated != 0
	if !located {
		buf = append(buf, Reason{Code: ReasonNoLocation})
	}
	vac, free, maxFree, laterDays := -1, 0, 0, -1.0
	var price care.Pence
	for i := cp.vac0; i < cp.vac0+cp.nvac; i++ {
		v := &c.vacs[i]
		f := int(v.places)
		if freeOf != nil {
			f = freeOf[v.vk]
		}
		if f <= 0 {
			continue
		}
		if !v.fromZero && !cr.atZero && cr.validAfter(v) {
			d := ix.vacs[v.vk].ValidFrom.Sub(at).Hours() / 24
			if laterDays < 0 || d < laterDays {
				laterDays = d
			}
			continue
		}
		maxFree = max(maxFree, f)
		if f < group {
			continue
		}
		if vac < 0 || v.price < price {
			vac, free, price = int(v.vk), f, v.price
		}
	}
	switch {
	case vac >= 0:
	case maxFree > 0:
		buf = append(buf, Reason{Code: ReasonSiblingGroup, N: group, X: float64(maxFree)})
	case laterDays >= 0:
		buf = append(buf, Reason{Code: ReasonVacancyLater, X: laterDays})
	default:
		buf = append(buf, Reason{Code: ReasonNoVacancy})
	}
	if cp.flags&cFostering != 0 && cp.sibCap > 0 && group > int(cp.sibCap) && vac >= 0 {
		buf = append(buf, Reason{Code: ReasonSiblingGroup, N: group, X: float64(cp.sibCap)})
	}
	if cr.unsuitable[cp.typ] {
		buf = append(buf, Reason{Code: ReasonTypeUnsuitable, S: typeLabel(typeNames[cp.typ])})
	}
	if cp.flags&cSecure != 0 && !ref.Needs.DeprivationOfLiberty {
		buf = append(buf, Reason{Code: ReasonSecureOrder})
	}
	if cp.flags&cSupported != 0 && ref.Needs.DeprivationOfLiberty {
		buf = append(buf, Reason{Code: ReasonLibertyNotHere})
	}
	if (cp.minAge > 0 || cp.maxAge > 0) && (age < int(cp.minAge) || (cp.maxAge > 0 && age > int(cp.maxAge))) {
		what := "registered"
		if cp.flags&cFostering != 0 {
			what = "approval"
		}
		buf = append(buf, Reason{Code: ReasonAge, N: age, S: what})
	}
	if cp.flags&cSexes != 0 && cr.sexKnown && cp.sexes&cr.sexBit == 0 {
		buf = append(buf, Reason{Code: ReasonSex})
	}
	if cp.flags&cInadequate != 0 && pol.ExcludeInadequate {
		buf = append(buf, Reason{Code: ReasonInadequate})
	}
	for _, nc := range cr.needs {
		if cp.needs&nc.bits == 0 {
			buf = append(buf, Reason{Code: ReasonNeeds, S: nc.label})
			break
		}
	}
	if cr.solo && cp.nres > 0 {
		buf = append(buf, Reason{Code: ReasonSolo, N: int(cp.nres)})
	}
	switch ref.Companions {
	case care.CompanionsOlderOnly:
		if cp.nres > 0 && int(cp.resMin) <= age {
			buf = append(buf, Reason{Code: ReasonCompanions, S: "only with older children, but a resident is not older"})
		}
	case care.CompanionsYoungerOnly:
		if cp.nres > 0 && int(cp.resMax) >= age {
			buf = append(buf, Reason{Code: ReasonCompanions, S: "only with younger children, but a resident is not younger"})
		}
	}
	if s := impactCompact(rp.childRsk, cp, age); s != "" {
		buf = append(buf, Reason{Code: ReasonImpact, S: s})
	}
	buf = lastReasons(buf, ref, rp, pol, cp.flags&cAnimals != 0, cp.flags&cFostering != 0, located, cp.pt, vac, price, miles)
	return vac, free, buf
}

// impactCompact is impact on a compact record.
func impactCompact(child riskSet, cp *compactProv, age int) string {
	return residentImpact(child, cp.residRsk, cp.nres > 0, int(cp.resMin), age)
}
