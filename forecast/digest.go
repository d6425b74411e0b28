package forecast

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"

	"sufficiency/care"
)

// InputsDigest returns a SHA-256 digest of the fields of children and
// episodes the child-level model reads, independent of their order, so a
// recorded projection can be matched to the data it came from.
func InputsDigest(children []care.Child, episodes []care.Episode) string {
	// each line (a child's or an episode's fields) is written into one
	// buffer, then the lines are sorted and hashed, each followed by a
	// newline: the digest of fmt's lines sorted as strings (TestInputsDigest
	// compares the two), without a string per line
	buf := make([]byte, 0, 48*len(children)+80*len(episodes))
	type line struct{ start, end int } // buf[start:end], then a newline
	lines := make([]line, 0, len(children)+len(episodes))
	const date = "2006-01-02"
	for _, c := range children {
		at := len(buf)
		buf = append(buf, "C|"...)
		buf = append(append(buf, c.Council...), '|')
		buf = append(append(buf, c.ID...), '|')
		buf = append(append(buf, c.Sex...), '|')
		buf = append(c.DOB.AppendFormat(buf, date), '|')
		buf = strconv.AppendBool(buf, c.UASC)
		lines = append(lines, line{at, len(buf)})
		buf = append(buf, '\n')
	}
	for _, e := range episodes {
		at := len(buf)
		buf = append(buf, "E|"...)
		buf = append(append(buf, e.Council...), '|')
		buf = append(append(buf, e.ChildID...), '|')
		buf = append(e.Start.AppendFormat(buf, date), '|')
		buf = append(e.End.AppendFormat(buf, date), '|')
		buf = append(append(buf, e.Placement...), '|')
		buf = append(append(buf, e.Provider...), '|')
		buf = append(append(buf, e.ReasonEnded...), '|')
		buf = strconv.AppendInt(buf, int64(e.WeeklyCost), 10)
		lines = append(lines, line{at, len(buf)})
		buf = append(buf, '\n')
	}
	slices.SortFunc(lines, func(a, b line) int { return bytes.Compare(buf[a.start:a.end], buf[b.start:b.end]) })
	h := sha256.New()
	for _, l := range lines {
		h.Write(buf[l.start : l.end+1])
	}
	return hex.EncodeToString(h.Sum(nil))
}
