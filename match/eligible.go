package match

import (
	"encoding/json"
	"sync"

	"sufficiency/care"
	"sufficiency/geo"
)

// eligibleMemo remembers HasEligible's answers for one index.
type eligibleMemo struct {
	mu      sync.Mutex
	answers map[string]bool // by the referral as JSON
}

// eligibleMemoSize bounds the answers kept (all are dropped when full).
const eligibleMemoSize = 8192

// HasEligible reports whether any provision of the index could take the
// referral's child (with the siblings to be placed together) at its start
// date — whether Search would find Eligible > 0 — stopping at the first
// eligible provision. The answer is remembered for the index's life (an
// index is built for one state of the supply), so asking again about the
// same referral does not search: the referral outcomes ask it of every
// unsent draft at each view. EINVALID when the referral's postcodes cannot
// be located, as Search.
func (ix *Index) HasEligible(ref care.Referral) (bool, error) {
	b, err := json.Marshal(ref)
	if err != nil {
		return false, care.WrapError(care.EINTERNAL, err, "referral %s", ref.ID)
	}
	key := string(b)
	ix.eligible.mu.Lock()
	ok, seen := ix.eligible.answers[key]
	ix.eligible.mu.Unlock()
	if seen {
		return ok, nil
	}
	rp, err := ix.locateReferral(ref)
	if err != nil {
		return false, err
	}
	at := ref.Start()
	age := ref.AgeOn(at)
	if at.IsZero() {
		age = 0
	}
	group := ref.GroupSize()
	buf := make([]Reason, 0, 16)
	var cr compactReferral
	if ix.compact != nil {
		cr = ix.compact.referral(ref, at)
	}
	for n, k := range ix.vacant {
		miles := -1.0
		var reasons []Reason
		if ix.compact != nil {
			if cp := &ix.compact.provs[n]; cp.flags&cLocated != 0 {
				miles = geo.Miles(rp.home, cp.pt)
			}
			_, _, reasons = ix.checkCompact(ref, &cr, &rp, n, nil, at, age, group, miles, buf[:0])
		} else {
			pv := &ix.provs[k]
			if pv.located {
				miles = geo.Miles(rp.home, pv.pt)
			}
			_, _, reasons = ix.check(ref, &rp, pv, nil, at, age, group, miles, buf[:0])
		}
		if len(reasons) == 0 {
			ok = true
			break
		}
	}
	ix.eligible.mu.Lock()
	if ix.eligible.answers == nil || len(ix.eligible.answers) >= eligibleMemoSize {
		ix.eligible.answers = map[string]bool{}
	}
	ix.eligible.answers[key] = ok
	ix.eligible.mu.Unlock()
	return ok, nil
}
