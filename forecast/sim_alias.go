package forecast

// aliasEntry is one slot of an alias table (Walker's method, built by Vose's
// algorithm): a draw that lands in slot i keeps i when its 32-bit fraction is
// below thr, and takes alt otherwise.
type aliasEntry struct {
	thr uint32
	alt uint32
}

// aliasBits is log2 of the number of slots of every alias table: 8 slots
// hold the 8 placement groups and the 5 exit reasons (unused slots have
// weight zero). buildAlias panics on more outcomes.
const (
	aliasBits  = 3
	aliasSlots = 1 << aliasBits
)

// buildAlias fills out (aliasSlots entries) with an alias table of the
// weights w (len(w) ≤ aliasSlots; zero weights are never drawn). With all
// weights zero it draws slot 0, a case the simulator never reaches (it draws
// from a table only when its total hazard is positive).
func buildAlias(w []float64, out []aliasEntry) {
	if len(w) > aliasSlots {
		panic("forecast: more outcomes than alias slots")
	}
	tot := 0.0
	for _, v := range w {
		tot += v
	}
	var p [aliasSlots]float64
	var small, large [aliasSlots]int
	ns, nl := 0, 0
	for i := range aliasSlots {
		if tot > 0 && i < len(w) {
			p[i] = w[i] * aliasSlots / tot
		}
		out[i] = aliasEntry{thr: 0, alt: uint32(i)}
		if p[i] < 1 {
			small[ns] = i
			ns++
		} else {
			large[nl] = i
			nl++
		}
	}
	if tot <= 0 {
		for i := range out[:aliasSlots] {
			out[i] = aliasEntry{thr: 0, alt: 0}
		}
		return
	}
	for ns > 0 && nl > 0 {
		ns--
		l := small[ns]
		g := large[nl-1]
		out[l] = aliasEntry{thr: fraction32(p[l]), alt: uint32(g)}
		p[g] -= 1 - p[l]
		if p[g] < 1 {
			nl--
			small[ns] = g
			ns++
		}
	}
	// what is left has probability 1 up to rounding: it keeps its own slot
	for _, i := range large[:nl] {
		out[i] = aliasEntry{thr: 1<<32 - 1, alt: uint32(i)}
	}
	for _, i := range small[:ns] {
		out[i] = aliasEntry{thr: 1<<32 - 1, alt: uint32(i)}
	}
}

// fraction32 is p in [0, 1] as a 32-bit threshold: a uniform 32-bit draw is
// below it with probability p (to within 2⁻³²).
func fraction32(p float64) uint32 {
	if p <= 0 {
		return 0
	}
	if x := p*(1<<32) + 0.5; x < 1<<32-1 {
		return uint32(x)
	}
	return 1<<32 - 1
}

// aliasTable is one alias table: an array, so that a pick needs no bounds
// check and the simulator's loop no slice length.
type aliasTable [aliasSlots]aliasEntry

// aliasPick draws from an alias table with 64 random bits: the top bits
// choose the slot, the low 32 bits the fraction (independent bits of the
// same draw; bits 32–60 are left for the caller, see eventField).
func aliasPick(t *aliasTable, r uint64) int {
	e := t[r>>(64-aliasBits)]
	i := int(r >> (64 - aliasBits))
	if uint32(r) >= e.thr {
		i = int(e.alt)
	}
	return i
}
