package synth

import (
	"math"
	"math/rand/v2"
	"sort"

	"sufficiency/care"
)

// World is what all councils share: every English postcode sector (where
// carers may live and children may be placed) and the Ofsted-registered
// settings. It is read-only once built, so councils can be generated in
// parallel against it.
type World struct {
	Sectors []Place // all English sectors
	Homes   []Home  // registered settings with generated locations

	grid     map[[2]int][]int32 // 10 km cells → indexes into Sectors
	homeGrid map[[2]int][]int32 // 10 km cells → indexes into Homes
	byCode   map[string]int32
}

const cell = 10000.0 // metres

func cellOf(e, n float64) [2]int { return [2]int{int(e / cell), int(n / cell)} }

// NewWorld indexes sectors and homes for spatial look-ups.
func NewWorld(sectors []Place, homes []Home) *World {
	w := &World{Sectors: sectors, Homes: homes, grid: map[[2]int][]int32{}, homeGrid: map[[2]int][]int32{}, byCode: map[string]int32{}}
	for i, s := range sectors {
		c := cellOf(s.Easting, s.Northing)
		w.grid[c] = append(w.grid[c], int32(i))
		w.byCode[s.Code] = int32(i)
	}
	for i, h := range homes {
		c := cellOf(h.Easting, h.Northing)
		w.homeGrid[c] = append(w.homeGrid[c], int32(i))
	}
	return w
}

// sector returns the sector with the given code.
func (w *World) sector(code string) (Place, bool) {
	i, ok := w.byCode[code]
	if !ok {
		return Place{}, false
	}
	return w.Sectors[i], true
}

// miles is the DfE straight-line distance.
func miles(e1, n1, e2, n2 float64) float64 {
	return math.Hypot(e1-e2, n1-n2) / 1000 / 1.6093
}

// milesDfE rounds to one decimal place, as PL_DISTANCE is published.
func milesDfE(e1, n1, e2, n2 float64) float64 { return math.Round(miles(e1, n1, e2, n2)*10) / 10 }

// nearestSector returns the English sector nearest to (e, n), searching the
// grid outwards; -1 when none lies within 60 km.
func (w *World) nearestSector(e, n float64) int {
	c := cellOf(e, n)
	best, bestD := -1, math.MaxFloat64
	for r := 0; r <= 6; r++ {
		for dx := -r; dx <= r; dx++ {
			for dy := -r; dy <= r; dy++ {
				if max(abs(dx), abs(dy)) != r {
					continue
				}
				for _, i := range w.grid[[2]int{c[0] + dx, c[1] + dy}] {
					s := &w.Sectors[i]
					d := (s.Easting-e)*(s.Easting-e) + (s.Northing-n)*(s.Northing-n)
					if d < bestD {
						best, bestD = int(i), d
					}
				}
			}
		}
		if best >= 0 && r >= 1 {
			return best
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distanceBand is where a placement should be relative to the child's home.
type distanceBand uint8

const (
	bandInside distanceBand = iota // inside the council
	bandNear                       // outside the council, 20 miles or less
	bandFar                        // outside the council, more than 20 miles
)

// sectorOutside draws a sector outside council at a distance from (e, n)
// that fits the band. It falls back to the best candidate found.
func (w *World) sectorOutside(r *rand.Rand, council string, e, n float64, b distanceBand) (Place, bool) {
	var fallback = -1
	for try := 0; try < 12; try++ {
		var rad float64
		if b == bandNear {
			rad = 4 + 16*r.Float64()
		} else {
			// Far placements: most within 60 miles, a tail to 200.
			rad = 21 + 40*r.ExpFloat64()
			if rad > 220 {
				rad = 21 + 200*r.Float64()
			}
		}
		th := 2 * math.Pi * r.Float64()
		i := w.nearestSector(e+rad*1609.3*math.Cos(th), n+rad*1609.3*math.Sin(th))
		if i < 0 {
			continue
		}
		s := w.Sectors[i]
		if s.Council == council || s.Council == "" {
			continue
		}
		d := milesDfE(e, n, s.Easting, s.Northing)
		if (b == bandNear && d <= 20) || (b == bandFar && d > 20) {
			return s, true
		}
		fallback = i
	}
	if fallback >= 0 {
		return w.Sectors[fallback], true
	}
	return Place{}, false
}

// homesNear lists homes of the given kinds within maxMiles of (e, n),
// sorted by URN so the list does not depend on map order.
func (w *World) homesNear(e, n, maxMiles float64, kinds ...care.ProvisionKind) []int32 {
	c := cellOf(e, n)
	r := int(maxMiles*1609.3/cell) + 1
	var out []int32
	for dx := -r; dx <= r; dx++ {
		for dy := -r; dy <= r; dy++ {
			for _, i := range w.homeGrid[[2]int{c[0] + dx, c[1] + dy}] {
				h := &w.Homes[i]
				if !hasKind(kinds, h.Kind) {
					continue
				}
				if miles(e, n, h.Easting, h.Northing) <= maxMiles {
					out = append(out, i)
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

func hasKind(ks []care.ProvisionKind, k care.ProvisionKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}
