package forecast

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"sufficiency/care"
)

// InputsDigest returns a SHA-256 digest of the fields of children and
// episodes the child-level model reads, independent of their order, so a
// recorded projection can be matched to the data it came from.
func InputsDigest(children []care.Child, episodes []care.Episode) string {
	lines := make([]string, 0, len(children)+len(episodes))
	for _, c := range children {
		lines = append(lines, fmt.Sprintf("C|%s|%s|%s|%s|%t", c.Council, c.ID, c.Sex, c.DOB.Format("2006-01-02"), c.UASC))
	}
	for _, e := range episodes {
		lines = append(lines, fmt.Sprintf("E|%s|%s|%s|%s|%s|%s|%s|%d", e.Council, e.ChildID, e.Start.Format("2006-01-02"),
			e.End.Format("2006-01-02"), e.Placement, e.Provider, e.ReasonEnded, e.WeeklyCost))
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
