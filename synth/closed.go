package synth

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
)

// Children's homes that closed before 31 March 2025.
//
// The embedded Ofsted register lists only the settings open at 31 March
// 2025: of its children's home places, about 5,000 were registered by 31
// March 2015, when Ofsted counted about 10,000. Without the homes that
// closed since, the early years have half the places England had and the
// generated children are squeezed into too few homes. closedHomes builds
// the missing homes: each year's England total of places in homes that have
// since closed is the published count of places in (mainstream) children's
// homes less the places of the register's homes already open then
// (registered by that 31 March), and homes open and close between the years
// so that the total follows it (fewest changes: when the gap shrinks, homes
// close during the year; when it grows, homes open during the year; all are
// closed by 31 March 2025). Each home is given a council drawn in proportion
// to the register's places registered by 2015 in the council (where the
// homes of those years were), a size drawn from the register's homes of
// those years, a sector (LA, private, voluntary, as Ofsted counted homes in
// 2017), and a synthetic URN (SYN00001 on: no Ofsted URN has that form). The
// draws are keyed hashes: the homes are the same whatever the seed.
//
// They are part of the world the councils are generated in
// (WorldFromRefdata): a child is placed in one only while it is open, and
// moves on, REASON_PLACE_CHANGE CLOSE, to another home the day it closes;
// their places are shared between the councils beside the register's
// (allocatePlaces), and the supply's closed.csv lists those the generated
// episodes name (writeSupply).

// publishedHomePlaces is the number of places in mainstream children's homes
// in England at 31 March of each year (Ofsted, "Children's social care in
// England": market_and_cost_reference_figures.csv): 14,259 in 2025; 2024 and
// 2020 from its "+11% on 2024, +42% on 2020" (12,846 and 10,042); 10,818 in
// 2023 and 2022 from its "+7%" (10,110); 2021 halfway between 2020 and
// 2022. No count of places before 2020 is in the reference data: the years
// 2015–2019 hold 2020's 10,042, as Ofsted's counts of homes were about
// level (2,145 in 2017, 2,209 of all types in 2018, 4.4 places a home as
// among the register's homes of those years).
var publishedHomePlaces = map[int]float64{
	2015: 10042, 2016: 10042, 2017: 10042, 2018: 10042, 2019: 10042,
	2020: 10042, 2021: 10076, 2022: 10110, 2023: 10818, 2024: 12846, 2025: 14259,
}

// closedFirst and closedLast bound the years the closed homes cover (31
// March of each).
const closedFirst, closedLast = 2015, 2025

// closedURNPrefix marks the synthetic URNs of closed homes.
const closedURNPrefix = "SYN"

// IsSyntheticURN reports whether urn is one the generator made up for a
// closed children's home (not a real Ofsted URN).
func IsSyntheticURN(urn string) bool {
	return len(urn) == len(closedURNPrefix)+5 && urn[:len(closedURNPrefix)] == closedURNPrefix
}

func hashUnit(key string) float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return float64(h.Sum64()>>11) / (1 << 53)
}

// registerHome is one children's home of the register (short-break homes
// included, as Ofsted counts them) as closedHomes needs it.
type registerHome struct {
	places     int
	registered day
	council    string
}

// registerHomeOf is p as closedHomes counts the register's children's homes
// (short-break ones too); false for any other setting or one with no council.
func registerHomeOf(p refdata.Provider) (registerHome, bool) {
	if p.Kind != care.KindChildrensHome || p.Council == "" {
		return registerHome{}, false
	}
	rh := registerHome{places: p.Places, registered: noDay, council: p.Council}
	if !p.Registered.IsZero() {
		rh.registered = dayOf(p.Registered)
	}
	return rh, true
}

// closedHomes returns the homes that closed (see above), without locations;
// reg is the register's children's homes (all of them, short-break too).
func closedHomes(reg []registerHome) []Home {
	march := func(y int) day { return dayFromYMD(y, time.March, 31) }
	// Sizes and council weights from the register's homes of 2015.
	var sizes []int
	weight := map[string]float64{}
	for _, h := range reg {
		if h.registered != noDay && h.registered <= march(closedFirst) && h.places > 0 {
			sizes = append(sizes, h.places)
			if h.council != "" {
				weight[h.council] += float64(h.places)
			}
		}
	}
	if len(sizes) == 0 {
		return nil
	}
	councils := make([]string, 0, len(weight))
	for c := range weight {
		councils = append(councils, c)
	}
	sort.Strings(councils)
	cw := make([]float64, len(councils))
	var total float64
	for i, c := range councils {
		total += weight[c]
		cw[i] = total
	}
	gap := func(y int) float64 {
		open := 0
		for _, h := range reg {
			if h.registered == noDay || h.registered <= march(y) {
				open += h.places
			}
		}
		if y >= closedLast {
			return 0
		}
		return math.Max(publishedHomePlaces[y]-float64(open), 0)
	}
	var homes []Home
	var open []int // indexes of homes open now
	places := 0
	add := func(from, to day) {
		n := len(homes) + 1
		urn := fmt.Sprintf("%s%05d", closedURNPrefix, n)
		size := sizes[int(hashUnit("size:"+urn)*float64(len(sizes)))]
		c := councils[sort.SearchFloat64s(cw, hashUnit("council:"+urn)*total)]
		sector := care.SectorPrivate
		switch u := hashUnit("sector:" + urn); {
		case u < 0.20:
			sector = care.SectorLA
		case u < 0.25:
			sector = care.SectorVoluntary
		}
		reg := from + day(hashUnit("open:"+urn)*float64(to-from))
		homes = append(homes, Home{URN: urn, Kind: care.KindChildrensHome, Sector: sector, Council: c, Places: size, Registered: reg})
		open = append(open, len(homes)-1)
		places += size
	}
	// The homes open at 31 March 2015, opened over the years before.
	for target := gap(closedFirst); float64(places) < target; {
		add(dayFromYMD(2000, time.January, 1), march(closedFirst-1))
	}
	for y := closedFirst; y < closedLast; y++ {
		from, to := march(y)+1, march(y+1)
		target := gap(y + 1)
		// Close homes (oldest hash first) while the rest stay at or above
		// the target; then open homes until it is reached.
		for len(open) > 0 && float64(places-homes[open[0]].Places) >= target-0.5 && places > 0 {
			h := &homes[open[0]]
			h.Closed = from + day(hashUnit("close:"+h.URN)*float64(to-from))
			places -= h.Places
			open = open[1:]
		}
		if y+1 == closedLast {
			continue
		}
		for float64(places) < target-0.5 {
			add(from, to)
		}
	}
	return homes
}
