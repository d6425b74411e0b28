package offers

import (
	"context"
	"sort"
	"sufficiency/workflow"
	"time"
)

// ReasonCount is the number of declines for one reason.
type ReasonCount struct {
	Reason workflow.Reason `json:"reason"`
	Label  string          `json:"label"`
	Count  int             `json:"count"`
	Share  float64         `json:"share"` // of all declines in the report, 0–1
}

// GroupCount is the declines of one provider or one council, by reason.
type GroupCount struct {
	Key      string                  `json:"key"`
	Total    int                     `json:"total"`
	ByReason map[workflow.Reason]int `json:"by_reason"`
	// Top is the most frequent reason (the first in Reasons order on a tie).
	Top workflow.Reason `json:"top_reason"`
}

// Report is the decline analysis over a period: how often each reason was
// given, and by which providers and for which councils. It feeds the gap
// analysis: "no vacancy" and "outside statement of purpose" point at missing
// places or kinds of provision, "price" at the market, "staffing" at the
// workforce.
type Report struct {
	From       time.Time               `json:"from,omitzero"`
	To         time.Time               `json:"to,omitzero"` // exclusive
	Total      int                     `json:"total"`
	ByReason   []ReasonCount           `json:"by_reason"`   // every reason, in Reasons order, zeros included
	ByProvider []GroupCount            `json:"by_provider"` // most declines first
	ByCouncil  []GroupCount            `json:"by_council"`  // most declines first
	Rows       []workflow.DeclineCount `json:"rows"`        // the finest grain: council, provider, reason
}

// Summarise adds up decline counts into a Report for the period of f.
// Counts with the same council, provider and reason are merged.
func Summarise(counts []workflow.DeclineCount, f workflow.DeclineFilter) Report {
	rep := Report{From: f.From, To: f.To}
	type key struct {
		council, provider string
		reason            workflow.Reason
	}
	merged := map[key]int{}
	byReason := map[workflow.Reason]int{}
	prov := map[string]*GroupCount{}
	coun := map[string]*GroupCount{}
	add := func(m map[string]*GroupCount, k string, r workflow.Reason, n int) {
		g := m[k]
		if g == nil {
			g = &GroupCount{Key: k, ByReason: map[workflow.Reason]int{}}
			m[k] = g
		}
		g.Total += n
		g.ByReason[r] += n
	}
	for _, c := range counts {
		if c.Count <= 0 {
			continue
		}
		merged[key{c.Council, c.Provider, c.Reason}] += c.Count
		byReason[c.Reason] += c.Count
		rep.Total += c.Count
		add(prov, c.Provider, c.Reason, c.Count)
		add(coun, c.Council, c.Reason, c.Count)
	}
	reasons := append([]workflow.Reason(nil), workflow.Reasons...)
	for r := range byReason {
		if !knownReason(r) {
			reasons = append(reasons, r) // a reason from a newer vocabulary: still counted
		}
	}
	for _, r := range reasons {
		rc := ReasonCount{Reason: r, Label: r.Label(), Count: byReason[r]}
		if rep.Total > 0 {
			rc.Share = float64(rc.Count) / float64(rep.Total)
		}
		rep.ByReason = append(rep.ByReason, rc)
	}
	rep.ByProvider = groups(prov, reasons)
	rep.ByCouncil = groups(coun, reasons)
	for k, n := range merged {
		rep.Rows = append(rep.Rows, workflow.DeclineCount{Council: k.council, Provider: k.provider, Reason: k.reason, Count: n})
	}
	sort.Slice(rep.Rows, func(i, j int) bool {
		a, b := rep.Rows[i], rep.Rows[j]
		if a.Council != b.Council {
			return a.Council < b.Council
		}
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		return reasonPos(a.Reason) < reasonPos(b.Reason)
	})
	return rep
}

func knownReason(r workflow.Reason) bool { return reasonPos(r) < len(workflow.Reasons) }

func reasonPos(r workflow.Reason) int {
	for i, x := range workflow.Reasons {
		if x == r {
			return i
		}
	}
	return len(workflow.Reasons)
}

func groups(m map[string]*GroupCount, reasons []workflow.Reason) []GroupCount {
	out := make([]GroupCount, 0, len(m))
	for _, g := range m {
		best := 0
		for _, r := range reasons {
			if n := g.ByReason[r]; n > best {
				best, g.Top = n, r
			}
		}
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Declines reads the decline counts for f from st and summarises them.
func Declines(ctx context.Context, st workflow.Store, f workflow.DeclineFilter) (Report, error) {
	counts, err := st.Declines(ctx, f)
	if err != nil {
		return Report{}, err
	}
	return Summarise(counts, f), nil
}
