package ssda903

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// ret builds a Return from CSV text per table (each with its header row).
func ret(t *testing.T, council string, year int, tables ...string) *Return {
	t.Helper()
	r := &Return{Council: council, Year: year, Tables: map[TableName]*Table{}}
	for _, text := range tables {
		tbs, fs, err := ReadFrom(strings.NewReader(text), "test", ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.RuleCode != "READ-MISSING-COLUMN" {
				t.Fatalf("finding %+v", f)
			}
		}
		r.Tables[tbs[0].Name] = tbs[0]
	}
	return r
}

// eps is Episodes CSV text: each line "CHILD,DECOM,RNE,PLACE,DEC,REC" is
// expanded to the full column set with LS C1, CIN N1 and provider PR1.
func eps(lines ...string) string {
	var b strings.Builder
	b.WriteString("CHILD,DECOM,RNE,PLACE,DEC,REC,LS,CIN,PLACE_PROVIDER\n")
	for _, l := range lines {
		b.WriteString(l + ",C1,N1,PR1\n")
	}
	return b.String()
}

func hdr(lines ...string) string {
	return "CHILD,SEX,DOB,ETHNIC\n" + strings.Join(lines, "\n") + "\n"
}

// got is an episode as compared in tests.
type got struct {
	child, start, end, rec string
	fixes                  string
}

func summary(h *History) []got {
	var out []got
	for i, e := range h.Episodes {
		out = append(out, got{e.ChildID, e.Start.Format("2006-01-02"), fmtDate(e.End), e.ReasonEnded, strings.Join(h.Origins[i].Fixes, " ")})
	}
	return out
}

func fmtDate(d time.Time) string {
	if d.IsZero() {
		return "open"
	}
	return d.Format("2006-01-02")
}

func TestStitchEpisodeRules(t *testing.T) {
	tests := []struct {
		name    string
		returns func(t *testing.T) []*Return
		want    []got
		applied map[string]int
	}{
		{
			name: "the same episode in consecutive returns, closed by the later",
			returns: func(t *testing.T) []*Return {
				return []*Return{
					ret(t, "E1", 2024, eps("1,01/05/2023,S,U4,,")),
					ret(t, "E1", 2025, eps("1,01/05/2023,S,U4,01/06/2024,E4A")),
				}
			},
			want:    []got{{"1", "2023-05-01", "2024-06-01", "E4A", ""}},
			applied: map[string]int{"same-episode-later-return": 1},
		},
		{
			name: "open episode, child gone from the next return [RULE_2]",
			returns: func(t *testing.T) []*Return {
				return []*Return{
					ret(t, "E1", 2024, eps("1,01/05/2023,S,U4,,", "2,01/05/2023,S,U4,,")),
					ret(t, "E1", 2025, eps("2,01/05/2023,S,U4,,")),
				}
			},
			want:    []got{{"1", "2023-05-01", "2024-03-31", ReasonUnknownExit, "open-closed-at-year-end"}, {"2", "2023-05-01", "open", "", ""}},
			applied: map[string]int{"open-closed-at-year-end": 1, "same-episode-later-return": 1},
		},
		{
			name: "open episode closed by the next year's new episode [RULE_1]",
			returns: func(t *testing.T) []*Return {
				return []*Return{
					ret(t, "E1", 2024, eps("1,01/05/2023,S,U4,,")),
					ret(t, "E1", 2025, eps("1,01/07/2024,P,K2,,")),
				}
			},
			want:    []got{{"1", "2023-05-01", "2024-07-01", "X1", "open-closed-by-next"}, {"1", "2024-07-01", "open", "", ""}},
			applied: map[string]int{"open-closed-by-next": 1},
		},
		{
			name: "open episode, child re-enters care later [RULE_1A]",
			returns: func(t *testing.T) []*Return {
				return []*Return{
					ret(t, "E1", 2024, eps("1,01/05/2023,S,U4,,")),
					ret(t, "E1", 2025, eps("1,10/01/2025,S,K2,,")),
				}
			},
			want:    []got{{"1", "2023-05-01", "2024-03-31", ReasonUnknownExit, "open-closed-before-reentry"}, {"1", "2025-01-10", "open", "", ""}},
			applied: map[string]int{"open-closed-before-reentry": 1},
		},
		{
			name: "open episode repeated with a corrected start [RULE_3]",
			returns: func(t *testing.T) []*Return {
				return []*Return{
					ret(t, "E1", 2024, eps("1,03/05/2023,S,U4,,")),
					ret(t, "E1", 2025, eps("1,01/05/2023,S,U4,01/06/2024,E4A")),
				}
			},
			want:    []got{{"1", "2023-05-01", "2024-06-01", "E4A", ""}},
			applied: map[string]int{"open-duplicate": 1},
		},
		{
			name: "open episode replaced by a later return [RULE_3A]",
			returns: func(t *testing.T) []*Return {
				return []*Return{
					ret(t, "E1", 2024, eps("1,03/05/2023,S,U5,,")),
					ret(t, "E1", 2025, eps("1,01/05/2023,S,U4,01/06/2024,X1", "1,01/06/2024,P,K2,,")),
				}
			},
			want:    []got{{"1", "2023-05-01", "2024-06-01", "X1", ""}, {"1", "2024-06-01", "open", "", ""}},
			applied: map[string]int{"open-replaced": 1},
		},
		{
			name: "overlap with and X1 gap before a later return's episode [RULE_4, RULE_5]",
			returns: func(t *testing.T) []*Return {
				return []*Return{
					ret(t, "E1", 2024, eps("1,01/05/2023,S,U4,01/03/2024,X1", "2,01/05/2023,S,U4,01/02/2024,X1")),
					ret(t, "E1", 2025, eps("1,01/02/2024,P,K2,,", "2,01/03/2024,P,K2,,")),
				}
			},
			want: []got{
				{"1", "2023-05-01", "2024-02-01", "X1", "overlap-later-return"}, {"1", "2024-02-01", "open", "", ""},
				{"2", "2023-05-01", "2024-03-01", "X1", "x1-gap-later-return"}, {"2", "2024-03-01", "open", "", ""},
			},
			applied: map[string]int{"overlap-later-return": 1, "x1-gap-later-return": 1},
		},
		{
			name: "within one return: same start, same end, open and overlapping episodes",
			returns: func(t *testing.T) []*Return {
				return []*Return{ret(t, "E1", 2025, eps(
					"1,01/05/2024,S,U4,,", "1,01/05/2024,S,U4,01/06/2024,X1", // same start: the closed one
					"1,01/06/2024,P,K2,01/09/2024,X1", "1,15/06/2024,T,K2,01/09/2024,X1", // same end: the longer
					"1,01/09/2024,P,U5,,", "1,01/10/2024,P,U6,01/12/2024,E4A", // open, then another
					"1,01/02/2025,S,U4,,",                                    // a new period of care
					"2,01/05/2024,S,U4,01/08/2024,X1", "2,01/07/2024,P,U5,,", // overlap
				))}
			},
			want: []got{
				{"1", "2024-05-01", "2024-06-01", "X1", ""},
				{"1", "2024-06-01", "2024-09-01", "X1", ""},
				{"1", "2024-09-01", "2024-10-01", "X1", "open-closed-within-return"},
				{"1", "2024-10-01", "2024-12-01", "E4A", ""},
				{"1", "2025-02-01", "open", "", ""},
				{"2", "2024-05-01", "2024-07-01", "X1", "overlap-trimmed"},
				{"2", "2024-07-01", "open", "", ""},
			},
			applied: map[string]int{"same-start-in-return": 1, "same-end-keep-longer": 1, "open-closed-within-return": 1, "overlap-trimmed": 1},
		},
		{
			name: "an open episode followed by a new period of care in the same return",
			returns: func(t *testing.T) []*Return {
				return []*Return{ret(t, "E1", 2025, eps("1,01/05/2024,S,U4,,", "1,01/09/2024,S,K2,,"))}
			},
			want:    []got{{"1", "2024-05-01", "2024-08-31", ReasonUnknownExit, "open-closed-within-return"}, {"1", "2024-09-01", "open", "", ""}},
			applied: map[string]int{"open-closed-within-return": 1},
		},
		{
			name: "rows that cannot be used",
			returns: func(t *testing.T) []*Return {
				return []*Return{ret(t, "E1", 2025, eps(
					",01/05/2024,S,U4,,", "1,31/02/2024,S,U4,,", "1,01/05/2024,S,U4,01/04/2024,X1", "2,01/05/2024,S,U4,32/13/2024,X1",
				))}
			},
			want:    []got{{"2", "2024-05-01", "open", "X1", "episode-end-unreadable"}},
			applied: map[string]int{"episode-no-child": 1, "episode-no-start": 1, "episode-end-before-start": 1, "episode-end-unreadable": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, rep := Stitch(tt.returns(t))
			if g := summary(h); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("episodes\n got %v\nwant %v", g, tt.want)
			}
			for rule, n := range tt.applied {
				if rep.Applied[rule] != n {
					t.Errorf("%s applied %d times, want %d", rule, rep.Applied[rule], n)
				}
			}
			for rule, n := range rep.Applied {
				if isEpisodeRule(rule) && tt.applied[rule] != n {
					t.Errorf("unexpected rule %s × %d", rule, n)
				}
			}
			checkHistory(t, h)
		})
	}
}

// isEpisodeRule reports whether a stitch rule is about episodes (the rules
// up to and including overlap-trimmed).
func isEpisodeRule(name string) bool {
	for _, r := range StitchRules {
		if r.Name == name {
			return true
		}
		if r.Name == "overlap-trimmed" {
			break
		}
	}
	return false
}

// TestStitchLIIAFixes checks the LIIA edge-case sample: each CHILD is named
// after the rule it tests.
func TestStitchLIIAFixes(t *testing.T) {
	rs, fs, err := Read([]string{"testdata/peers/liia-tools/SSDA903_episodes_for_testing_fixes_INPUT.csv"}, ReadOptions{})
	if err != nil || len(fs) != 0 {
		t.Fatal(err, fs)
	}
	h, rep := Stitch(rs)
	want := []got{
		{"NORULE_BAD", "2015-06-19", "2016-07-26", "X1", ""},
		{"NORULE_BAD", "2016-07-26", "2021-12-12", "E17", ""},
		{"RULE1A_BAD", "2016-01-22", "2016-10-24", "X1", ""},
		{"RULE1A_BAD", "2016-10-24", "2017-03-31", ReasonUnknownExit, "open-closed-before-reentry"},
		{"RULE1A_BAD", "2017-04-20", "2017-06-13", "E8", ""},
		{"RULE1_BAD", "2016-01-13", "2017-08-20", "X1", "open-closed-by-next"},
		{"RULE1_BAD", "2017-08-20", "2019-06-21", "X1", ""},
		{"RULE1_BAD", "2019-06-21", "2019-07-23", "E6", ""},
		{"RULE2_BAD", "2019-05-10", "2020-03-31", ReasonUnknownExit, "open-closed-at-year-end"},
		{"RULE3A_BAD", "2017-11-25", "2018-01-25", "X1", ""}, // the open 2018-03-22 episode is removed
		{"RULE3A_BAD", "2018-01-25", "2018-05-16", "E45", ""},
		{"RULE3_BAD", "2016-09-23", "2017-05-30", "E2", ""}, // the open duplicate is removed
		{"RULE4_BAD", "2018-11-23", "2018-12-20", "X1", "overlap-later-return"},
		{"RULE4_BAD", "2018-12-20", "2019-08-19", "X1", ""},
		{"RULE4_BAD", "2019-08-19", "2019-10-01", "E4A", ""},
		{"RULE5_BAD", "2019-11-06", "2020-04-02", "X1", "x1-gap-later-return"},
		{"RULE5_BAD", "2020-04-02", "open", "", ""},
		{"NORULE_NEW", "2022-02-01", "2022-07-10", "E17", ""},
		{"NORULE_NEW", "2022-10-23", "open", "", ""},
		{"NORULE_SUT", "2017-12-15", "open", "", ""}, // Sutton's latest return is 2022: still open
	}
	if g := summary(h); !reflect.DeepEqual(g, want) {
		t.Errorf("episodes\n got %v\nwant %v", g, want)
	}
	if rep.Councils != 3 || rep.Applied["open-duplicate"] != 1 || rep.Applied["open-replaced"] != 2 {
		t.Errorf("report %v", rep)
	}
	if len(rep.Lines()) == 0 || !strings.Contains(rep.String(), "RULE_4") {
		t.Errorf("report text %q", rep.String())
	}
	checkHistory(t, h)
}

func TestStitchChildren(t *testing.T) {
	rs := []*Return{
		ret(t, "E1", 2024,
			hdr("1,1,01/02/2010,WBRI", "2,2,03/04/2011,", "3,,01/01/2012,AOTH", "4,9,bad,WBRI", "1,1,01/02/2010,WBRI"),
			eps("1,01/05/2023,S,U4,,", "5,01/05/2023,S,U4,,"),
			"CHILD,SEX,DOB,DUC\n2,2,03/04/2011,03/04/2029\n",
		),
		ret(t, "E1", 2025,
			hdr("1,M,01/02/2010,WIRI", "2,F,03/04/2011,MOTH"),
			eps("1,01/05/2023,S,U4,,", "2,01/06/2024,S,U4,,"),
			"CHILD,SEX,DOB,DUC\n2,2,03/04/2011,\n",
			"CHILD,DECOM,WEEKLY_COST,SOCIAL_CARE,EDUCATION,HEALTH\n1,01/05/2023,\"£1,200.50\",1000.50,200,\n9,01/01/2024,100,,,\n1,01/05/2023,lots,,,\n",
			"CHILD,NEEDS_TIER,RISKS,DISABILITY,MENTAL_HEALTH,SOLO,DOLO\n1,3,self_harm;Going_Missing;nonsense,Y,n,,\n8,1,,,,,\n",
			"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/02/2010,01/06/2024,PN1\n",
		),
		ret(t, "E2", 2025, // the same CHILD in another council is another child
			hdr("1,2,01/01/2015,WBRI"),
			"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2024,PN1\n",
		),
		ret(t, "E1", 2023, "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/02/2010,01/06/2024,PN1\n1,01/02/2010,01/06/2022,PN1\n"),
	}
	h, rep := Stitch(rs)
	type child struct {
		council, id string
		sex         care.Sex
		dob, eth    string
		uasc        bool
		duc         string
	}
	var gotC []child
	for _, c := range h.Children {
		gotC = append(gotC, child{c.Council, c.ID, c.Sex, fmtDate(c.DOB), c.Ethnicity, c.UASC, fmtDate(c.UASCEnded)})
	}
	wantC := []child{
		{"E1", "1", care.Male, "2010-02-01", "WIRI", false, "open"},
		{"E1", "2", care.Female, "2011-04-03", "MOTH", true, "2029-04-03"},
		{"E1", "3", care.Unknown, "2012-01-01", "AOTH", false, "open"},
		{"E1", "4", care.Unknown, "open", "WBRI", false, "open"},
		{"E1", "5", care.Unknown, "open", "", false, "open"},
		{"E2", "1", care.Female, "2015-01-01", "WBRI", false, "open"},
	}
	if !reflect.DeepEqual(gotC, wantC) {
		t.Errorf("children\n got %v\nwant %v", gotC, wantC)
	}
	n := h.Children[0].Needs
	if n.Tier != care.TierComplex || !reflect.DeepEqual(n.Risks, []care.Risk{care.RiskSelfHarm, care.RiskMissing}) || !n.Disability || n.MentalHealth {
		t.Errorf("needs %+v", n)
	}
	var cost care.Episode
	for _, e := range h.Episodes {
		if e.ChildID == "1" && e.Council == "E1" {
			cost = e
		}
	}
	if cost.WeeklyCost != 120050 || cost.Funding != (care.Funding{SocialCare: 100050, Education: 20000}) {
		t.Errorf("cost %v %+v", cost.WeeklyCost, cost.Funding)
	}
	if rv := h.Tables["E1"][Reviews]; len(rv) != 2 || rv[0].Year != 2025 {
		t.Errorf("E1 reviews %+v", rv)
	}
	if rv := h.Tables["E2"][Reviews]; len(rv) != 1 {
		t.Errorf("E2 reviews %+v", rv)
	}
	want := map[string]int{
		"header-duplicate-in-return": 1, "header-changed": 2, "child-without-header": 1, "sex-1-2": 1, "sex-unknown": 2,
		"dob-unreadable": 1, "uasc": 1, "cost-attached": 1, "cost-without-episode": 1, "cost-unreadable": 1,
		"needs-attached": 1, "needs-without-child": 1, "duplicate-row-removed": 1, "same-episode-later-return": 1,
	}
	for rule, n := range want {
		if rep.Applied[rule] != n {
			t.Errorf("%s × %d, want %d", rule, rep.Applied[rule], n)
		}
	}
	if rep.Children != 6 || rep.Councils != 2 || rep.Returns != 4 {
		t.Errorf("report %+v", rep)
	}
	for name := range rep.Applied {
		found := false
		for _, r := range StitchRules {
			found = found || r.Name == name
		}
		if !found {
			t.Errorf("rule %s is not documented in StitchRules", name)
		}
	}
}

func TestMergeRedundant(t *testing.T) {
	d := func(s string) time.Time { x, _ := ParseDate(s); return x }
	in := []care.Episode{
		{Council: "E1", ChildID: "1", Start: d("01/01/2024"), End: d("01/02/2024"), ReasonNew: "S", ReasonEnded: "X1", LegalStatus: "V2", Placement: "U4"},
		{Council: "E1", ChildID: "1", Start: d("01/02/2024"), End: d("01/03/2024"), ReasonNew: "L", ReasonEnded: "X1", LegalStatus: "C1", Placement: "U4"},
		{Council: "E1", ChildID: "1", Start: d("01/03/2024"), End: d("01/04/2024"), ReasonNew: "T", ReasonEnded: "X1", ReasonPlaceChange: "PLACE", Placement: "U5"},
		{Council: "E1", ChildID: "1", Start: d("01/04/2024"), End: d("01/05/2024"), ReasonNew: "P", ReasonEnded: "E4A", Placement: "K2"},
		{Council: "E1", ChildID: "1", Start: d("01/06/2024"), ReasonNew: "U", Placement: "K2"}, // not contiguous
		{Council: "E1", ChildID: "2", Start: d("01/06/2024"), ReasonNew: "L", Placement: "K2"}, // another child
		{Council: "E2", ChildID: "2", Start: d("01/06/2024"), ReasonNew: "L", Placement: "K2"}, // another council
	}
	orig := append([]care.Episode(nil), in...)
	out, n := MergeRedundant(in)
	if n != 2 || len(out) != 5 {
		t.Fatalf("merged %d into %d episodes", n, len(out))
	}
	first := out[0]
	if !first.End.Equal(d("01/04/2024")) || first.ReasonEnded != "X1" || first.ReasonPlaceChange != "PLACE" || first.LegalStatus != "V2" || first.Placement != "U4" {
		t.Errorf("merged episode %+v", first)
	}
	if !reflect.DeepEqual(in, orig) {
		t.Error("input modified")
	}
}
