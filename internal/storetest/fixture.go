package storetest

import (
	"fmt"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// Fixture builds a consistent import for a council: n children, each with a
// few episodes spread over the given collection years, the raw Header,
// Episodes, UASC, Missing, OC2 and PlacementCosts tables of each year, one
// finding per year and a stitch rule count. Values are in the canonical forms
// the store gives back (dates DD/MM/YYYY), so imports round-trip exactly.
// tag is mixed into every value so that two fixtures for the same council and
// years differ.
func Fixture(council string, years []int, n int, tag string) store.Import {
	imp := store.Import{
		Council:     council,
		Years:       append([]int(nil), years...),
		StitchRules: map[string]int{"close-open-episode": n / 3, "drop-duplicate": 1},
		Files:       []store.File{{Path: "episodes-" + tag + ".csv", SHA256: fmt.Sprintf("%064x", len(tag)+n), Size: int64(1000 + n)}},
		LeftOut:     []store.LeftOut{{Table: ssda903.Episodes, Reason: "DECOM is not a date", Rows: 2}},
	}
	placements := []care.PlacementType{"U4", "U1", "K2", "P1", "H5", "T0"}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%d%s", 100000+i, tag)
		c := care.Child{
			Council:   council,
			ID:        id,
			Sex:       []care.Sex{care.Male, care.Female, care.Unknown}[i%3],
			DOB:       care.Date(2008+i%8, time.Month(1+i%12), 1+i%28),
			Ethnicity: "WBRI",
			UPN:       fmt.Sprintf("A%012d", i),
		}
		if i%4 == 0 {
			c.UASC = true
			c.UASCEnded = care.Date(2025, 3, 1+i%28)
		}
		if i%3 == 0 {
			c.Needs = care.NeedsProfile{Tier: care.NeedsTier(1 + i%4), Risks: []care.Risk{care.RiskMissing, care.RiskSelfHarm}, Disability: i%2 == 0,
				CommunicationNeeds: []string{"BSL"}, SoloRecommended: i%5 == 0, DeprivationOfLiberty: i%7 == 0, MentalHealth: true}
		}
		imp.Children = append(imp.Children, c)
		start := care.Date(years[0]-1, 4, 1+i%28)
		for k := 0; k < 1+i%3; k++ {
			e := care.Episode{
				Council: council, ChildID: id, Start: start, ReasonNew: "S", LegalStatus: "C2", CategoryOfNeed: "N1",
				Placement: placements[(i+k)%len(placements)], Provider: care.ProviderPrivate, HomePostcode: "M1 1" + tag, PlacementPostcode: "M2",
				URN: fmt.Sprintf("SC%06d", i), WeeklyCost: care.Pence(100000 + i*100 + k),
				Funding: care.Funding{SocialCare: care.Pence(80000 + i*100 + k), Education: 10000, Health: 10000},
			}
			if k < i%3 {
				e.End = start.AddDate(0, 2, 0)
				e.ReasonEnded = "X1"
				e.ReasonPlaceChange = "CARPL"
				start = e.End
			}
			imp.Episodes = append(imp.Episodes, e)
		}
	}
	for _, y := range years {
		ret := &ssda903.Return{Council: council, Year: y, Tables: map[ssda903.TableName]*ssda903.Table{}}
		add := func(name ssda903.TableName, file string, rows [][]string) {
			t := &ssda903.Table{Name: name, File: file, Layout: ssda903.LayoutDfECSV, Present: make([]bool, len(ssda903.Columns[name]))}
			for i := range t.Present {
				t.Present[i] = true
			}
			for i, v := range rows {
				t.Rows = append(t.Rows, ssda903.Row{Line: i + 2, Values: v})
			}
			ret.Tables[name] = t
		}
		var header, episodes, uasc, missing, oc2, costs [][]string
		for i, c := range imp.Children {
			dob := ssda903.FormatDate(c.DOB)
			header = append(header, []string{c.ID, string(c.Sex), dob, c.Ethnicity, c.UPN, "", ""})
			if c.UASC {
				uasc = append(uasc, []string{c.ID, string(c.Sex), dob, ssda903.FormatDate(c.UASCEnded)})
			}
			if i%5 == 0 {
				missing = append(missing, []string{c.ID, dob, "M", fmt.Sprintf("%02d/06/%d", 1+i%28, y-1), ""})
			}
			if i%6 == 0 {
				oc2 = append(oc2, []string{c.ID, dob, fmt.Sprint(10 + i%20), "", "0", "1", "1", "1", "1", "0", "", ""})
			}
		}
		for i, e := range imp.Episodes {
			episodes = append(episodes, []string{e.ChildID, ssda903.FormatDate(e.Start), e.ReasonNew, e.LegalStatus, e.CategoryOfNeed,
				string(e.Placement), string(e.Provider), ssda903.FormatDate(e.End), e.ReasonEnded, e.ReasonPlaceChange, e.HomePostcode, e.PlacementPostcode, e.URN})
			if i%2 == 0 {
				costs = append(costs, []string{e.ChildID, ssda903.FormatDate(e.Start), "1000.50", "800", "100.50", "100"})
			}
		}
		add(ssda903.Header, fmt.Sprintf("%d-header-%s.csv", y, tag), header)
		add(ssda903.Episodes, fmt.Sprintf("%d-episodes-%s.csv", y, tag), episodes)
		add(ssda903.UASC, fmt.Sprintf("%d-uasc-%s.csv", y, tag), uasc)
		add(ssda903.Missing, fmt.Sprintf("%d-missing-%s.csv", y, tag), missing)
		add(ssda903.OC2, fmt.Sprintf("%d-oc2-%s.csv", y, tag), oc2)
		add(ssda903.PlacementCosts, fmt.Sprintf("%d-costs-%s.csv", y, tag), costs)
		ret.Tables[ssda903.Episodes].Extra = []string{"NOTES"}
		ret.Tables[ssda903.Header].Present[ssda903.Col(ssda903.Header, "MC_DOB")] = false
		imp.Returns = append(imp.Returns, ret)
		imp.Findings = append(imp.Findings,
			ssda903.Finding{Severity: ssda903.SeverityError, RuleCode: "103", Council: council, Year: y, Child: imp.Children[0].ID,
				Table: ssda903.Header, File: fmt.Sprintf("%d-header-%s.csv", y, tag), Line: 2, Columns: []string{"ETHNIC"}, Value: "XXXX",
				Message: "ETHNIC is not a valid code: use one of the 20 DfE codes"},
			ssda903.Finding{Severity: ssda903.SeverityWarning, RuleCode: "1001", Council: council, Year: y, Message: "a warning " + tag})
	}
	return imp
}

// Large builds an import like ten years of a large region, for benchmarks:
// rows episode rows in the raw Episodes tables (spread over ten collection years),
// the same number of stitched episodes, and one child (with a Header row) per
// four episodes.
func Large(rows int) store.Import {
	const years = 10
	imp := store.Import{Council: "E12000002"}
	nChildren := rows / 4
	for i := 0; i < nChildren; i++ {
		imp.Children = append(imp.Children, care.Child{Council: imp.Council, ID: fmt.Sprintf("C%07d", i), Sex: care.Female,
			DOB: care.Date(2005+i%15, time.Month(1+i%12), 1+i%28), Ethnicity: "WBRI", UPN: fmt.Sprintf("A%012d", i)})
	}
	placements := []care.PlacementType{"U4", "U1", "K2", "P1", "H5", "U6"}
	rets := make([]*ssda903.Return, years)
	for y := range rets {
		rets[y] = &ssda903.Return{Council: imp.Council, Year: 2016 + y, Tables: map[ssda903.TableName]*ssda903.Table{
			ssda903.Episodes: {Name: ssda903.Episodes, File: fmt.Sprintf("%d/episodes.csv", 2016+y), Layout: ssda903.LayoutDfECSV},
			ssda903.Header:   {Name: ssda903.Header, File: fmt.Sprintf("%d/header.csv", 2016+y), Layout: ssda903.LayoutDfECSV},
		}}
		imp.Years = append(imp.Years, 2016+y)
	}
	for i := 0; i < rows; i++ {
		c := imp.Children[i/4]
		y := (i / 4) % years
		start := care.Date(2015+y, time.Month(4+i%4), 1+i%28)
		e := care.Episode{Council: imp.Council, ChildID: c.ID, Start: start, End: start.AddDate(0, 1, 0), ReasonNew: "P", LegalStatus: "C2",
			CategoryOfNeed: "N1", Placement: placements[i%len(placements)], Provider: care.ProviderPrivate, ReasonEnded: "X1",
			ReasonPlaceChange: "CARPL", HomePostcode: "M1 1", PlacementPostcode: "M14 5", URN: "SC123456", WeeklyCost: 120000,
			Funding: care.Funding{SocialCare: 100000, Education: 20000}}
		imp.Episodes = append(imp.Episodes, e)
		t := rets[y].Tables[ssda903.Episodes]
		t.Rows = append(t.Rows, ssda903.Row{Line: len(t.Rows) + 2, Values: []string{c.ID, ssda903.FormatDate(e.Start), e.ReasonNew, e.LegalStatus,
			e.CategoryOfNeed, string(e.Placement), string(e.Provider), ssda903.FormatDate(e.End), e.ReasonEnded, e.ReasonPlaceChange,
			e.HomePostcode, e.PlacementPostcode, e.URN}})
		if i%4 == 0 {
			h := rets[y].Tables[ssda903.Header]
			h.Rows = append(h.Rows, ssda903.Row{Line: len(h.Rows) + 2, Values: []string{c.ID, "2", ssda903.FormatDate(c.DOB), "WBRI", c.UPN, "", ""}})
		}
	}
	imp.Returns = rets
	return imp
}
