package synth

// Placement moves and sibling groups.
//
// Moves: each child has a propensity to move (drawMoveRate: most children
// settle, a minority move often) and the hazard of a move falls with time in
// the placement: most moves happen in the first months of a placement, and
// so of a period of care, while placements that have lasted a year or two
// (long-term fostering above all) rarely end. This gives both the DfE's
// figures: about 10% of children looked after have three or more placements
// in a year, and about 70% of children under 16 looked after for two and a
// half years or more have lived in the same placement for two years.
//
// Sibling groups: brothers and sisters who start to be looked after together
// are mostly placed together (same carers or home), and while they live
// together they move together: the group's first child (the leader) draws
// the moves, and the others follow it to the new placement where it suits
// them (foster carers, a children's home for the older ones). Children of a
// group who live apart move on their own.

// moveHazard is the hazard multiplier of a placement that has lasted tau
// days, by piece: the first three months, to a year, to two years, beyond.
var (
	moveHazardUntil = [3]day{91, 365, 730}
	moveHazard      = [4]float64{2.3, 1.1, 0.45, 0.16}
)

// longTermFactor lowers the hazard of placements recorded as long-term
// fostering (U1, U4).
const longTermFactor = 0.6

// nextMove draws the day of c's next placement move after day t, before
// limit, from the hazard of its current placement (begun on c.placedAt), or
// the day its home closes if that comes first; noDay if none falls before
// limit.
func (s *sim) nextMove(c *child, t, limit day) day {
	rate := c.moveRate / 365
	if p := c.cur().place; p == "U1" || p == "U4" {
		rate *= longTermFactor
	}
	e := s.r.ExpFloat64()
	at := float64(t)
	tau := t - c.placedAt
	if tau < 0 {
		tau = 0
	}
	for piece := 0; ; piece++ {
		h := rate * moveHazard[piece]
		if piece == len(moveHazardUntil) {
			at += e / h
			break
		}
		if tau >= moveHazardUntil[piece] {
			continue
		}
		span := float64(moveHazardUntil[piece] - tau)
		if e < h*span {
			at += e / h
			break
		}
		e -= h * span
		at += span
		tau = moveHazardUntil[piece]
	}
	mv := noDay
	if at < float64(limit) {
		mv = max(day(at), t+1)
	}
	// A home that closes moves its children on the day it closes (or the
	// next day that can be, if the child was away).
	if cl := s.closesAt(c); cl != noDay && cl < limit && (mv == noDay || cl <= mv) {
		return max(cl, t+1)
	}
	return mv
}

// closesAt is the day c's current setting closes (closedHomes), noDay if it
// does not.
func (s *sim) closesAt(c *child) day {
	if h := c.cur().home; h > 0 {
		return s.w.Homes[h-1].Closed
	}
	return noDay
}

// sibGroup is a group of brothers and sisters who started to be looked after
// together.
type sibGroup struct {
	members  []*child  // in order of admission: the first is the first leader
	leader   *child    // the member whose moves the others follow
	since    day       // the day the leader took over (the start of the year, or when the previous leader left care)
	ys       day       // start of the year the leader was last simulated
	startKey string    // the leader's placement at the start of that year
	others   bool      // other members lived with the leader at the start of that year
	moves    []sibMove // the leaders' changes of placement that year
}

// sibMove is one change of the leader's placement.
type sibMove struct {
	by     *child
	at     day
	key    string  // the leader's placement from at on ("" once it left care)
	to     episode // the new placement
	rpc    string  // reason for the change
	follow bool    // a move the others may follow (not moving on at 16, adoption)
}

// placementKey identifies where a child lives, as package picture does: the
// Ofsted URN, else the placement type, provider and postcode.
func placementKey(e *episode) string {
	if e.urn != "" && e.urn != notRegistered && e.place[0] != 'U' && e.place[0] != 'A' {
		return "URN " + e.urn // a setting's URN (an agency's is shared by its carers: care.SettingURN)
	}
	return placeCode(e.place, MaxYear) + "|" + e.provider + "|" + e.plPost
}

// keyAt is the leader's placement on day d of the year last simulated.
func (g *sibGroup) keyAt(d day) string {
	k, at := g.startKey, day(-1)
	for _, m := range g.moves {
		if m.at <= d && m.at >= at {
			k, at = m.key, m.at
		}
	}
	return k
}

// begin starts the leader's year: it notes where the group lives.
func (g *sibGroup) begin(c *child, ys day) {
	g.ys, g.startKey, g.moves, g.since = ys, placementKey(c.cur()), g.moves[:0], ys
	g.others = false
	for _, m := range g.members {
		if m != c && m.inCare && m.group == g && placementKey(m.cur()) == g.startKey {
			g.others = true
		}
	}
}

// handOver makes the next member still looked after the group's leader when
// the leader leaves care on day d.
func (g *sibGroup) handOver(c *child, d day) {
	c.group = nil
	for _, m := range g.members {
		if m != c && m.inCare && m.group == g {
			g.leader, g.since = m, d
			return
		}
	}
}

// leads reports whether c leads its group on day d.
func (c *child) leads(d day) bool {
	g := c.group
	return g != nil && g.leader == c && d >= g.since
}

// together reports whether c lives with its group's leader on day d, as far
// as the leader's year shows.
func (c *child) together(d, ys day) bool {
	g := c.group
	return g != nil && !c.leads(d) && g.ys == ys && g.keyAt(d) == placementKey(c.cur())
}

// suits reports whether a sibling can live in placement to with c on day d:
// with foster carers or relatives, with parents under a care order, in other
// placements, and in a children's home from 8 where the council has a place
// free; not in secure homes, supported accommodation, schools or placements
// for adoption. A child on the way to adoption only goes to foster carers.
func (s *sim) suits(c *child, to *episode, d day) bool {
	if c.adopt != nil {
		// On the way to adoption: with foster carers, from whom adopters
		// are found.
		return to.kind == KindFosterRelative || to.kind == KindFosterInHouse || to.kind == KindFosterAgency
	}
	switch to.kind {
	case KindFosterRelative, KindFosterInHouse, KindFosterAgency, KindOther:
		return true
	case KindParents:
		ls := c.cur().ls
		return (ls == "C1" || ls == "C2") && c.adopt == nil
	case KindChildrensHome:
		return c.age(d) >= 8 && to.home > 0 && s.free(to.home-1, d)
	}
	return false
}

// joinPlacement ends c's open episode on day d and opens one in placement to
// (the sibling it joins), with c's own legal status and cost.
func (s *sim) joinPlacement(c *child, d day, to *episode, rpc string) {
	e := c.cur()
	if placeCode(e.place, MaxYear) == placeCode(to.place, MaxYear) && e.plPost == to.plPost && e.urn == to.urn && e.provider == to.provider {
		return // already there
	}
	ls := e.ls
	e.end, e.rec, e.rpc = d, "X1", rpc
	n := episode{start: d, rne: "P", ls: ls, kind: to.kind, place: to.place, provider: to.provider,
		plPost: to.plPost, plE: to.plE, plN: to.plN, urn: to.urn, home: to.home}
	c.eps = append(c.eps, n)
	s.price(c, c.cur())
	c.placedAt = d
	s.settle(c, d)
}
