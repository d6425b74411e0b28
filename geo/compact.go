package geo

import (
	_ "embed"
	"encoding/binary"
	"math"
	"sync"
)

// The point lookups (Known, Locate, CouncilOf, CountryOf) are answered from a
// compact, pre-sorted binary table embedded with the package
// (postcode_index.bin), searched in place: opening it costs microseconds,
// where building the full index from the embedded ONS CSV files (gunzip,
// parse, maps) costs tens of milliseconds — most of a `sufficiency validate`
// run. The table is generated from exactly that full index by the package
// tests (go test ./geo -run TestPostcodeIndexFile -update), which also check
// that it is current and that every lookup answers as the full index does.
// The full index (load) is still built, on first use, for the council-level
// functions (CouncilShares, DistrictsOf, SectorsOf).
//
// Layout (little-endian):
//
//	"SUFGEO1\n"
//	u16 n, then n strings (u8 length, bytes): string 0 is ""
//	u32 districts, then per district (sorted by code) distRec bytes:
//	  [4]byte code (zero-padded), u8 flags, u8 country, u8 council, u8 0, f64 easting, f64 northing
//	u32 sectors, then per sector (sorted by code) sectRec bytes:
//	  [6]byte code (zero-padded), u8 flags, u8 council, f64 easting, f64 northing
//
// District flags: 1 = has a National Grid position, 2 = CouncilOf answers
// council (the English council holding most of the district). Sector flags:
// 1 = has a position, 2 = its council is English. Positions are the final
// ones (Northern Ireland already reprojected onto the National Grid).
//
//go:embed postcode_index.bin
var postcodeIndexFile []byte

const (
	postcodeIndexMagic = "SUFGEO1\n"
	distKey, distRec   = 4, 24
	sectKey, sectRec   = 6, 24

	flagPoint   = 1
	flagCouncil = 2 // district: CouncilOf answers; sector: the council is English
)

type compactIndex struct {
	strs      []string
	districts []byte   // distRec bytes each, sorted by code
	sectors   []byte   // sectRec bytes each, sorted by code
	dkeys     []uint64 // the districts' codes as packKey numbers, in the same order
	skeys     []uint64 // the sectors' codes
}

var compactOnce struct {
	sync.Once
	ix *compactIndex
}

func compact() *compactIndex {
	compactOnce.Do(func() {
		ix, ok := decodeCompact(postcodeIndexFile)
		if !ok {
			panic("geo: embedded postcode_index.bin is malformed; regenerate it with go test ./geo -run TestPostcodeIndexFile -update")
		}
		compactOnce.ix = ix
	})
	return compactOnce.ix
}

func decodeCompact(b []byte) (*compactIndex, bool) {
	if len(b) < len(postcodeIndexMagic)+2 || string(b[:len(postcodeIndexMagic)]) != postcodeIndexMagic {
		return nil, false
	}
	b = b[len(postcodeIndexMagic):]
	n := int(binary.LittleEndian.Uint16(b))
	b = b[2:]
	ix := &compactIndex{strs: make([]string, 0, n)}
	for i := 0; i < n; i++ {
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return nil, false
		}
		l := int(b[0])
		ix.strs = append(ix.strs, string(b[1:1+l]))
		b = b[1+l:]
	}
	take := func(rec int) ([]byte, bool) {
		if len(b) < 4 {
			return nil, false
		}
		m := int(binary.LittleEndian.Uint32(b))
		b = b[4:]
		if m < 0 || m > len(b)/rec {
			return nil, false
		}
		out := b[: m*rec : m*rec]
		b = b[m*rec:]
		return out, true
	}
	var ok bool
	if ix.districts, ok = take(distRec); !ok {
		return nil, false
	}
	if ix.sectors, ok = take(sectRec); !ok {
		return nil, false
	}
	if len(b) != 0 || len(ix.strs) == 0 || ix.strs[0] != "" {
		return nil, false
	}
	// Every string index must be in range (lookups then need no checks) and
	// the codes strictly increasing (binary search).
	ix.dkeys = make([]uint64, len(ix.districts)/distRec)
	for i := range ix.dkeys {
		r := ix.districts[i*distRec:]
		if int(r[5]) >= n || int(r[6]) >= n {
			return nil, false
		}
		ix.dkeys[i] = packBytes(r[:distKey])
		if i > 0 && ix.dkeys[i] <= ix.dkeys[i-1] {
			return nil, false
		}
	}
	ix.skeys = make([]uint64, len(ix.sectors)/sectRec)
	for i := range ix.skeys {
		r := ix.sectors[i*sectRec:]
		if int(r[7]) >= n {
			return nil, false
		}
		ix.skeys[i] = packBytes(r[:sectKey])
		if i > 0 && ix.skeys[i] <= ix.skeys[i-1] {
			return nil, false
		}
	}
	return ix, true
}

// packKey packs a code of at most width bytes into a number whose order is
// the strings' order (big-endian, zero-padded); false for a code that cannot
// be in the table (empty, too long, or holding NUL, which would match the
// padding).
func packKey(code string, width int) (uint64, bool) {
	if code == "" || len(code) > width {
		return 0, false
	}
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(code) {
			if code[i] == 0 {
				return 0, false
			}
			k |= uint64(code[i])
		}
	}
	return k, true
}

// packBytes is packKey for a zero-padded code of the table.
func packBytes(b []byte) uint64 {
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(b) {
			k |= uint64(b[i])
		}
	}
	return k
}

// find returns the record of code in tab (records of size rec, whose packed
// codes are keys), or nil.
func find(tab []byte, keys []uint64, rec, width int, code string) []byte {
	k, ok := packKey(code, width)
	if !ok {
		return nil
	}
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(keys) && keys[lo] == k {
		return tab[lo*rec : lo*rec+rec]
	}
	return nil
}

func (ix *compactIndex) district(code string) []byte {
	return find(ix.districts, ix.dkeys, distRec, distKey, code)
}
func (ix *compactIndex) sector(code string) []byte {
	return find(ix.sectors, ix.skeys, sectRec, sectKey, code)
}

func recPoint(r []byte, at int) Point {
	return Point{
		math.Float64frombits(binary.LittleEndian.Uint64(r[at:])),
		math.Float64frombits(binary.LittleEndian.Uint64(r[at+8:])),
	}
}

// The record accessors.
func distHasPoint(r []byte) bool   { return r[4]&flagPoint != 0 }
func distHasCouncil(r []byte) bool { return r[4]&flagCouncil != 0 }
func distPoint(r []byte) Point     { return recPoint(r, 8) }
func sectHasPoint(r []byte) bool   { return r[6]&flagPoint != 0 }
func sectEnglish(r []byte) bool    { return r[6]&flagCouncil != 0 }
func sectPoint(r []byte) Point     { return recPoint(r, 8) }

func (ix *compactIndex) distCountry(r []byte) string { return ix.strs[r[5]] }
func (ix *compactIndex) distCouncil(r []byte) string { return ix.strs[r[6]] }
func (ix *compactIndex) sectCouncil(r []byte) string { return ix.strs[r[7]] }
