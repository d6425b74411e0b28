package match

import (
	"hash/fnv"
	"sort"
	"time"

	"sufficiency/care"
)

// ReferralsFromEpisodes turns the placement starts of a period into the
// referrals that would have preceded them, so that SimulateMarket can replay
// a region's real (or synthetic) history from its SSDA903 data.
//
// An episode counts when it starts in [from, to] with a new placement
// (reason for new episode other than L, "change of legal status only") in
// fostering with other carers, a children's home, a secure home or supported
// accommodation, and has a home postcode. The referral is received on the
// episode's start date; the child's sex, date of birth and needs profile
// come from the child; the placement type actually used is "preferred",
// the neighbouring types "suitable" (residential only from age 11, supported
// accommodation only from 16). SSDA903 records neither urgency nor
// siblings: urgency is drawn deterministically from the ids so that one
// fifth are emergencies ("today", Ofsted 2022) and three tenths are needed
// within five days; siblings are inferred as the picture does: children of
// one council who start to be looked after (reason S) on the same day with
// the same home postcode form a sibling group.
func ReferralsFromEpisodes(children []care.Child, episodes []care.Episode, from, to time.Time) []care.Referral {
	type key struct{ council, id string }
	kids := make(map[key]care.Child, len(children))
	for _, c := range children {
		kids[key{c.Council, c.ID}] = c
	}
	var out []care.Referral
	startsCare := map[string]bool{}
	for _, e := range episodes {
		if e.Start.Before(from) || e.Start.After(to) || e.ReasonNew == "L" || e.HomePostcode == "" {
			continue
		}
		g := e.Placement.Group()
		var typ string
		switch g {
		case care.GroupFosterOther:
			typ = care.TypeFoster
		case care.GroupChildrensHome, care.GroupSecure:
			typ = care.TypeResidential
		case care.GroupSupported:
			typ = care.TypeSupported
		default:
			continue
		}
		c, ok := kids[key{e.Council, e.ChildID}]
		if !ok {
			continue
		}
		id := e.Council + "/" + e.ChildID + "/" + e.Start.Format("2006-01-02")
		age := c.AgeOn(e.Start)
		r := care.Referral{ID: id, Council: e.Council, ChildID: e.ChildID, Sex: c.Sex, DOB: c.DOB,
			Received: e.Start, StartDate: e.Start, Urgency: urgencyOf(id), HomePostcode: e.HomePostcode,
			Companions: care.CompanionsNoPreference, Pets: care.PetsNotKnown, Needs: c.Needs,
			Foster: care.SuitabilitySuitable, Residential: care.SuitabilityUnsuitable, Supported: care.SuitabilityUnsuitable}
		if c.Needs.SoloRecommended {
			r.Companions = care.CompanionsSolo
		}
		if age >= 11 {
			r.Residential = care.SuitabilitySuitable
		}
		if age >= 16 {
			r.Supported = care.SuitabilitySuitable
		}
		switch typ {
		case care.TypeFoster:
			r.Foster = care.SuitabilityPreferred
		case care.TypeResidential:
			r.Residential = care.SuitabilityPreferred
			if g == care.GroupSecure {
				r.Needs.DeprivationOfLiberty = true
			}
		case care.TypeSupported:
			r.Supported = care.SuitabilityPreferred
		}
		out = append(out, r)
		startsCare[id] = e.ReasonNew == "S"
	}
	// Infer sibling groups (the group takes the first child's urgency).
	groups := map[string][]int{}
	for k, r := range out {
		if startsCare[r.ID] {
			key := r.Council + "|" + r.Received.Format("2006-01-02") + "|" + r.HomePostcode
			groups[key] = append(groups[key], k)
		}
	}
	for key, members := range groups {
		if len(members) < 2 {
			continue
		}
		sort.Slice(members, func(a, b int) bool { return out[members[a]].ID < out[members[b]].ID })
		for _, k := range members {
			out[k].SiblingGroup = "inferred " + key[len(out[k].Council)+1:]
			out[k].SiblingCount = len(members) - 1
			out[k].Urgency = out[members[0]].Urgency
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].Received.Equal(out[b].Received) {
			return out[a].Received.Before(out[b].Received)
		}
		return out[a].ID < out[b].ID
	})
	return out
}

// urgencyOf draws an urgency from an id: 20% today, 30% under five days,
// 50% later.
func urgencyOf(id string) care.Urgency {
	h := fnv.New32a()
	h.Write([]byte(id))
	switch x := h.Sum32() % 10; {
	case x < 2:
		return care.UrgencyToday
	case x < 5:
		return care.UrgencyUnder5Days
	}
	return care.UrgencyLater
}
