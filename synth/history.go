package synth

import (
	"math"
	"sort"
)

// event is one change within a period of care.
type event struct {
	at   day
	kind uint8
	move int // evFollow: index into the group's moves
}

const (
	evLegal uint8 = iota
	evOrder
	evPlaceAdoption
	evTemporary
	evRegulation
	evSixteen
	evFollow // follow the sibling group's leader to its new placement
	evMove   // a placement move (drawn as the year is lived, see nextMove)
)

// reasonsForChange weights REASON_PLACE_CHANGE codes for a placement move.
var reasonsForChange = []Weighted{
	{"CARPL", 40}, {"CREQB", 14}, {"CREQO", 9}, {"CHILD", 7}, {"LAREQ", 8}, {"STAND", 3},
	{"ALLEG", 2}, {"CLOSE", 3}, {"APPRR", 1}, {"OTHER", 13},
}

func (s *sim) weighted(ws []Weighted) string {
	w := make([]float64, len(ws))
	for i, x := range ws {
		w[i] = x.Weight
	}
	return ws[max(pick(s.r, w), 0)].Code
}

// lifeYear is the part of the year being simulated that child c lives
// through: the events drawn for it, its next placement move, and when it
// is next due in the day-by-day simulation (see liveYear).
type lifeYear struct {
	c    *child
	evs  []event // events in order of day; evs[i:] are still to come
	i    int
	next day // the next placement move, noDay if none this year
	to   day // the day c leaves care (in the year), else the day after the year
	due  day // the day c is next due, noDay when nothing is left this year
}

// startLife draws child c's events in [ys, ye] (legal-status changes,
// adoption steps, a temporary placement, moving on at 16, the supported
// accommodation regulation) and its first placement move. The end of care
// falls on c.exit if that is in the year. A sibling group's leader notes
// where the group lives; the others follow the leader's moves as they
// happen (see liveEvent).
func (s *sim) startLife(c *child, ys, ye day) *lifeYear {
	from := max(ys, c.spellStart)
	to := ye + 1
	if c.exit <= ye {
		to = c.exit
	}
	ly := &lifeYear{c: c, to: to}
	c.life = ly
	evs := ly.evs
	if c.legalAt != noDay && c.legalAt >= from && c.legalAt < to {
		evs = append(evs, event{at: c.legalAt, kind: evLegal})
	}
	if a := c.adopt; a != nil {
		if a.order >= from && a.order < to {
			evs = append(evs, event{at: a.order, kind: evOrder})
		}
		if a.placed >= from && a.placed < to {
			evs = append(evs, event{at: a.placed, kind: evPlaceAdoption})
		}
	}
	if s.r.Float64() < 0.05 {
		evs = append(evs, event{at: between(s.r, from+1, to-1), kind: evTemporary})
	}
	if g := c.group; g != nil && g.leader == c && g.ys != ys {
		g.begin(c, ys)
	}
	// Moving on at 16: many young people leave foster and children's homes
	// for supported accommodation, as many as the council's share of
	// 16–17-year-olds in supported accommodation suggests.
	if b16 := birthday(c.dob, 16); b16 < to && b16 >= from-270 {
		ratio := s.in.Mix[KindSupported] / math.Max(s.in.AgeMix[band16plus], 0.05)
		p := clamp(ratio*0.8*s.fb[KindSupported], 0, 0.9)
		if c.uasc {
			p = clamp(p*1.5, 0, 0.95)
		}
		if at := b16 + day(s.r.IntN(270)); at >= from && at < to && s.r.Float64() < p {
			evs = append(evs, event{at: at, kind: evSixteen})
		}
	}
	// Supported accommodation regulation: open H5 placements were
	// registered (URN) from 28 October 2023.
	if d := supportedRegistration; d >= from && d < to {
		evs = append(evs, event{at: d, kind: evRegulation})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at < evs[j].at })
	ly.evs = evs
	// Placement moves are drawn as the year is lived: the hazard depends on
	// how long the current placement has lasted.
	ly.next = s.nextMove(c, from, to)
	return ly
}

// nextDue is the day of ly's next event, noDay if none is left.
func (ly *lifeYear) nextDue() day {
	d := ly.next
	if ly.i < len(ly.evs) && (d == noDay || ly.evs[ly.i].at < d) {
		d = ly.evs[ly.i].at
	}
	return d
}

// step applies ly's events due on or before day d, in order (a drawn event
// before a move on the same day).
func (s *sim) step(ly *lifeYear, d, ys day) {
	c := ly.c
	for {
		var ev event
		switch {
		case ly.i < len(ly.evs) && ly.evs[ly.i].at <= d && (ly.next == noDay || ly.evs[ly.i].at <= ly.next):
			ev = ly.evs[ly.i]
			ly.i++
		case ly.next != noDay && ly.next <= d:
			ev = event{at: ly.next, kind: evMove}
			ly.next = noDay
		default:
			return
		}
		placed := c.placedAt
		s.liveEvent(c, ev, ly.to, ys)
		if ev.kind == evMove || c.placedAt != placed {
			ly.next = s.nextMove(c, ev.at, ly.to)
		}
	}
}

// follow adds to ly the event of following its group's leader's move m
// (an index into the group's moves) on day d, if c is looked after then.
func (ly *lifeYear) follow(d day, m int) bool {
	if d >= ly.to {
		return false
	}
	j := ly.i
	for j < len(ly.evs) && ly.evs[j].at <= d {
		j++
	}
	ly.evs = append(ly.evs, event{})
	copy(ly.evs[j+1:], ly.evs[j:])
	ly.evs[j] = event{at: d, kind: evFollow, move: m}
	return true
}

// endLife ends c's period of care on its planned day in the year: a
// sibling group's leader hands the lead to the next brother or sister.
func (s *sim) endLife(ly *lifeYear) {
	c := ly.c
	if g := c.group; g != nil && g.leader == c {
		g.handOver(c, c.exit)
	}
	s.leave(c, c.exit)
}

// liveEvent applies one event of c's year (see live); to is the end of the
// part of the year c is looked after, ys the start of the year.
func (s *sim) liveEvent(c *child, ev event, to, ys day) {
	e := c.cur()
	if ev.at <= e.start || ev.at >= to || e.temporary {
		return
	}
	g := c.group
	leader := c.leads(ev.at)
	// record notes a leader's change of placement for the group.
	record := func(follow bool, rpc string) {
		if leader && c.cur().start == ev.at {
			g.moves = append(g.moves, sibMove{by: c, at: ev.at, key: placementKey(c.cur()), to: *c.cur(), rpc: rpc, follow: follow})
			if follow {
				s.followers(g, c, ev.at, len(g.moves)-1)
			}
		}
	}
	{
		inAdoption := e.kind == KindAdoption
		switch ev.kind {
		case evLegal:
			if e.ls == "E1" {
				return
			}
			to := c.legalTo
			if to == "V2" && e.kind == KindParents {
				to = "C1" // rule 378: no placement with parents under section 20
			}
			s.legalChange(c, ev.at, to, record)
		case evOrder:
			if e.ls == "E1" {
				return
			}
			s.legalChange(c, ev.at, "E1", record)
		case evPlaceAdoption:
			if c.adopt.carer && e.kind != KindFosterInHouse && e.kind != KindFosterAgency && e.kind != KindFosterRelative {
				c.adopt.carer = false
			}
			// Placed for adoption under a placement order (E1): if the order
			// is not yet recorded it comes with the placement (B/U).
			rne := [2][2]string{{"P", "T"}, {"B", "U"}}[b2i(e.ls != "E1")][b2i(c.adopt.carer)]
			s.change(c, ev.at, rne, "E1", KindAdoption, "CARPL")
			c.legalAt = noDay
			record(false, "CARPL")
		case evMove:
			// A home that has closed moves everyone on (CLOSE).
			closing := s.closesAt(c) != noDay && s.closesAt(c) <= ev.at
			if !closing && (inAdoption || (c.adopt != nil && ev.at > c.adopt.order)) {
				return
			}
			if !closing && c.together(ev.at, ys) {
				return // the group moves when its leader does
			}
			k := s.chooseKind(c, ev.at, leader && g.others)
			rpc := s.weighted(reasonsForChange)
			if closing {
				// Moved on because the home closes, not because the
				// placement ended: to another home of the same kind where
				// the council has a place (place falls back as usual).
				k, rpc = e.kind, "CLOSE"
			}
			s.change(c, ev.at, "P", e.ls, k, rpc)
			record(true, rpc)
		case evFollow:
			m := &g.moves[ev.move]
			if c.adopt != nil && ev.at > c.adopt.order {
				return
			}
			if g.keyAt(ev.at-1) == placementKey(e) && s.suits(c, &m.to, ev.at) {
				s.joinPlacement(c, ev.at, &m.to, m.rpc)
			}
		case evTemporary:
			s.temporary(c, ev.at, to)
		case evSixteen:
			// Most fostered young people stay with their carers (and many
			// stay put at 18): only some of them move on.
			fostered := e.kind == KindFosterInHouse || e.kind == KindFosterAgency || e.kind == KindFosterRelative
			if fostered && s.r.Float64() < 0.6 {
				return
			}
			switch e.kind {
			case KindFosterInHouse, KindFosterAgency, KindFosterRelative, KindChildrensHome, KindOther:
				if c.adopt == nil {
					s.change(c, ev.at, "P", e.ls, KindSupported, "CARPL")
					record(false, "CARPL")
				}
			}
		case evRegulation:
			if e.place == "H5" && e.urn == "" {
				// Unregistered supported accommodation is re-recorded with a
				// registered setting before the October 2023 deadline.
				s.change(c, ev.at, "T", e.ls, KindSupported, "PLACE")
				record(false, "PLACE")
			}
		}
	}
}

// change ends the open episode on day d and opens the next one.
// legalChange records c's change of legal status to ls on day d. On or
// after the day the child's home closes, the change comes with the move on
// (RNE B, CLOSE) rather than as an episode of its own at the closed home,
// which would start on the day it closed (rules 227, 228).
func (s *sim) legalChange(c *child, d day, ls string, record func(follow bool, rpc string)) {
	if at := s.closesAt(c); at != noDay && at <= d {
		s.change(c, d, "B", ls, c.cur().kind, "CLOSE")
		record(true, "CLOSE")
	} else {
		s.change(c, d, "L", ls, c.cur().kind, "")
	}
	c.legalAt = noDay
}

func (s *sim) change(c *child, d day, rne, ls string, k Kind, rpc string) {
	prev := *c.cur()
	e := c.cur()
	e.end, e.rec = d, "X1"
	if rne != "L" {
		e.rpc = rpc
	}
	next := episode{start: d, rne: rne, ls: ls}
	if rne == "L" && prev.place == "H5" && prev.urn == "" && d >= supportedRegistration {
		// Unregistered supported accommodation cannot continue past the
		// registration deadline: the change is recorded with a registered
		// setting, same carer (U).
		rne, next.rne, rpc = "U", "U", "PLACE"
		e.rpc = rpc
	}
	if rne == "L" {
		next.kind, next.place, next.provider = prev.kind, prev.place, prev.provider
		next.plPost, next.plE, next.plN, next.urn, next.home = prev.plPost, prev.plE, prev.plN, prev.urn, prev.home
		next.cost, next.fund = prev.cost, prev.fund
		c.eps = append(c.eps, next)
		return
	}
	c.eps = append(c.eps, next)
	n := c.cur()
	for try := 0; try < 4; try++ {
		s.place(c, n, k)
		if k == KindAdoption && (rne == "T" || rne == "U") {
			// With the current foster carers: same address.
			n.plPost, n.plE, n.plN = prev.plPost, prev.plE, prev.plN
			if n.provider == "PR1" && prev.provider != "PR1" {
				n.provider = "PR5"
			}
		}
		// Compare as the latest code list writes them (H5 is K3, Z1 is Z12 from 2025/26).
		if placeCode(n.place, MaxYear) != placeCode(prev.place, MaxYear) || n.plPost != prev.plPost || n.urn != prev.urn || n.provider != prev.provider {
			if rne == "P" || rne == "B" {
				c.placedAt = d
			}
			s.settle(c, d)
			return
		}
	}
	// No different placement found: the move does not happen.
	c.eps = c.eps[:len(c.eps)-1]
	e = c.cur()
	e.end, e.rec, e.rpc = noDay, "", ""
}

// temporary inserts a temporary placement starting on d and the return to
// the same placement afterwards, if both fit before limit.
func (s *sim) temporary(c *child, d, limit day) {
	prev := *c.cur()
	if prev.kind == KindAdoption || prev.kind == KindParents || prev.kind == KindSecure {
		return
	}
	place := "T4"
	dur := day(1 + s.r.IntN(7))
	switch {
	case prev.place[0] == 'U' && s.r.Float64() < 0.5:
		place, dur = "T3", day(2+s.r.IntN(12))
	case s.r.Float64() < 0.3:
		place, dur = "T1", day(1+s.r.IntN(10))
	}
	if d+dur >= limit-1 || d <= prev.start {
		return
	}
	if cl := s.closesAt(c); cl != noDay && cl <= d+dur+1 {
		return // the home closes: the child moves on instead
	}
	if c.legalAt != noDay && c.legalAt <= d+dur+1 {
		return // a legal-status change is due: no temporary move around it
	}
	if r := supportedRegistration; prev.place == "H5" && d <= r && d+dur >= r {
		return // the supported accommodation is re-recorded on that day
	}
	e := c.cur()
	e.end, e.rec = d, "X1"
	t := episode{start: d, rne: "P", ls: prev.ls, place: place, temporary: true, kind: prev.kind,
		plPost: prev.plPost, plE: prev.plE, plN: prev.plN, cost: prev.cost, fund: prev.fund}
	if place == "T1" || place == "T4" {
		// Somewhere else nearby: a hospital or a short stay with another carer.
		if p, ok := s.w.sectorOutside(s.r, "", c.homeE, c.homeN, bandNear); ok && p.Code != c.home {
			t.plPost, t.plE, t.plN = p.Code, p.Easting, p.Northing
		}
	}
	if t.plPost == c.home {
		t.plPost, t.plE, t.plN = prev.plPost, prev.plE, prev.plN
	}
	t.end, t.rec = d+dur, "X1"
	back := prev
	back.start, back.end, back.rec, back.rpc, back.rne = d+dur, noDay, "", "", "P"
	c.eps = append(c.eps, t, back)
}

// leave ends c's period of care on day d with a reason that fits the
// child's age, legal status and placement.
func (s *sim) leave(c *child, d day) {
	e := c.cur()
	age := c.age(d)
	eighteen := birthday(c.dob, 18)
	var rec string
	switch {
	case d >= eighteen:
		switch e.kind {
		case KindFosterRelative, KindFosterInHouse, KindFosterAgency:
			rec = s.weighted([]Weighted{{"E17", 86}, {"E5", 6}, {"E6", 2}, {"E8", 4}, {"E7", 2}})
		case KindSupported:
			rec = s.weighted([]Weighted{{"E5", 70}, {"E6", 14}, {"E8", 11}, {"E7", 3}, {"E17", 2}})
		default:
			rec = s.weighted([]Weighted{{"E5", 50}, {"E17", 12}, {"E7", 12}, {"E8", 20}, {"E6", 6}})
		}
	case e.kind == KindAdoption && d-e.start >= 70:
		rec = "E11"
		if s.r.Float64() < 0.3 {
			rec = "E12"
		}
	case e.ls == "J1":
		rec = "E14"
		if s.r.Float64() < 0.15 {
			rec = "E9"
		}
	case c.uasc && s.r.Float64() < 0.5:
		rec = s.weighted([]Weighted{{"E15", 50}, {"E3", 30}, {"E8", 20}})
	case e.kind == KindParents:
		rec = s.weighted([]Weighted{{"E4A", 75}, {"E41", 10}, {"E8", 10}, {"E3", 5}})
	default:
		sgo := "E48"
		switch e.kind {
		case KindFosterRelative:
			sgo = "E45"
		case KindFosterInHouse, KindFosterAgency:
			sgo = "E46"
			if s.r.Float64() < 0.5 {
				sgo = "E47"
			}
		}
		ws := []Weighted{{"E4A", 24}, {"E4B", 5}, {"E13", 10}, {sgo, 24}, {"E41", 6}, {"E3", 10}, {"E8", 12}, {"E16", 0.3}, {"E2", 0.2}}
		if age >= 16 {
			ws = []Weighted{{"E4A", 20}, {"E4B", 5}, {"E13", 10}, {"E5", 20}, {"E6", 5}, {"E3", 8}, {"E8", 15}, {"E7", 2}}
			if c.uasc {
				ws = append(ws, Weighted{"E15", 10})
			}
		}
		if age >= 12 && age < 16 {
			ws = append(ws, Weighted{"E9", 1})
		}
		rec = s.weighted(ws)
	}
	e.end, e.rec = d, rec
	s.vacate(c, d)
	c.inCare = false
	c.left, c.leftRec = d, rec
	s.stats.Ceases++
	// Care-leaver status: 13 weeks in care since 14 and in care at 16 or later.
	sixteen := birthday(c.dob, 16)
	fourteen := birthday(c.dob, 14)
	if d > sixteen && d-max(c.spellStart, fourteen) >= 91 && rec != "E2" && rec != "E3" && rec != "E11" && rec != "E12" {
		c.careLeaver = true
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
