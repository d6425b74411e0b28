package synth

// The council's year is simulated day by day: every child's events (placement
// moves, legal-status changes, adoption steps, moving on at 16), the
// children starting care and those leaving it are applied in order of day,
// so that a child looking for a place in a children's home on a day finds
// the places the council's other children hold on that day, and a place
// is free again from the day its child leaves. (Simulating one child at a
// time over the whole year refused about 30% of children's home placements:
// the stays of children simulated earlier, open-ended, held the places for
// the rest of the year.)

// dayItem is what is due on a day of the year: a child's next events, or
// children starting care.
type dayItem struct {
	ly  *lifeYear
	adm *admission
}

// liveYear simulates the council's children through [ys, ye]: the children
// in care at the start and those starting during the year (s.admissions).
// On each day, children leaving care go first, then what is due in the
// order it was scheduled.
func (s *sim) liveYear(ys, ye day) {
	s.ys, s.ye = ys, ye
	n := int(ye-ys) + 1
	if cap(s.days) >= n {
		s.days = s.days[:n]
	} else {
		s.days = make([][]dayItem, n)
	}
	leaves := make([][]*lifeYear, n)
	begin := func(ly *lifeYear) {
		if ly.to <= ye {
			leaves[ly.to-ys] = append(leaves[ly.to-ys], ly)
		}
		s.schedule(ly)
	}
	for _, c := range s.active {
		if c.inCare {
			begin(s.startLife(c, ys, ye))
		}
	}
	for _, a := range s.admissions {
		s.days[a.at-ys] = append(s.days[a.at-ys], dayItem{adm: a})
	}
	s.admissions = s.admissions[:0]
	for i := 0; i < n; i++ {
		d := ys + day(i)
		for _, ly := range leaves[i] {
			s.endLife(ly)
			ly.due = noDay
		}
		for j := 0; j < len(s.days[i]); j++ {
			it := s.days[i][j]
			if it.adm != nil {
				s.admit(it.adm)
				// The group's first child (its leader) notes where the
				// group lives before the others' years start.
				for _, c := range it.adm.kids {
					begin(s.startLife(c, ys, ye))
				}
				continue
			}
			if ly := it.ly; ly.due == d {
				s.step(ly, d, ys)
				s.schedule(ly)
			}
		}
		clear(s.days[i])
		s.days[i] = s.days[i][:0]
	}
	for _, c := range s.active {
		c.life = nil
	}
}

// schedule puts ly on the calendar on the day of its next event (none once
// it has left care or nothing is left in the year).
func (s *sim) schedule(ly *lifeYear) {
	d := ly.nextDue()
	if d == noDay || d >= ly.to || d > s.ye || !ly.c.inCare {
		ly.due = noDay
		return
	}
	ly.due = d
	s.days[d-s.ys] = append(s.days[d-s.ys], dayItem{ly: ly})
}

// followers gives the members of group g living with its leader c the
// leader's move number m on day d (see liveEvent's evFollow).
func (s *sim) followers(g *sibGroup, c *child, d day, m int) {
	for _, o := range g.members {
		ly := o.life
		if o == c || !o.inCare || o.group != g || ly == nil || !ly.follow(d, m) {
			continue
		}
		if ly.due == noDay || ly.due > d {
			ly.due = d
			s.days[d-s.ys] = append(s.days[d-s.ys], dayItem{ly: ly})
		}
	}
}
