package market

import (
	"strings"
	"testing"
)

func TestParseOwnerGroups(t *testing.T) {
	groups, info, err := ParseOwnerGroups(strings.NewReader("\ufeffowner_organisation,group,ultimate_owner,ownership\n" +
		"Acme Care Ltd,Acme Group,Big Fund LP,private equity\n" +
		"ACME CARE LIMITED,Acme Group,,\n" +
		"Beta Homes,Beta,,charity\n"))
	if err != nil {
		t.Fatal(err)
	}
	if groups["Acme Care Ltd"] != "Acme Group" || groups["ACME CARE LIMITED"] != "Acme Group" || len(groups) != 3 {
		t.Errorf("groups %v", groups)
	}
	if a := info["Acme Group"]; a.UltimateOwner != "Big Fund LP" || a.Ownership != "private equity" {
		t.Errorf("a blank row must not erase what another row of the group says: %+v", a)
	}
	bad := []struct{ name, csv, want string }{
		{"Empty", "", "empty"},
		{"Header", "owner,group\nA,B\n", "header must be"},
		{"NoRows", "owner_organisation,group,ultimate_owner,ownership\n", "no rows"},
		{"Fields", "owner_organisation,group,ultimate_owner,ownership\nA,B\n", "line 2: 2 fields, want 4"},
		{"BlankGroup", "owner_organisation,group,ultimate_owner,ownership\nA,,,\n", "line 2: owner_organisation and group"},
		{"TwoGroups", "owner_organisation,group,ultimate_owner,ownership\nA,B,,\nA,C,,\n", "line 3: \"A\" is already in group \"B\""},
		{"TwoOwners", "owner_organisation,group,ultimate_owner,ownership\nA,G,X,\nB,G,Y,\n", "line 3: group \"G\" has two different"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseOwnerGroups(strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestAnalyseWithOwnerGroups(t *testing.T) {
	in := fixture()
	// Beta Homes and Gamma are one private-equity group; Acme is listed.
	in.OwnerGroups = map[string]string{"Beta Homes": "Fund Homes", "Gamma": "Fund Homes"}
	in.Owners = map[string]OwnerInfo{"Fund Homes": {Group: "Fund Homes", UltimateOwner: "Big Fund LP", Ownership: "private equity"},
		"Acme Care": {Group: "Acme Care", Ownership: "listed company"}}
	m := Analyse(in, at)
	got := map[string]OwnershipRow{}
	for _, r := range m.ByOwnership {
		got[r.Ownership] = r
	}
	// Places: Acme 10, Fund Homes 2 + 6 = 8, Council A 2 (not known); of 20.
	if pe := got["Private equity"]; pe.Groups != 1 || pe.Places != 8 || !near(pe.Pct, 40) {
		t.Errorf("private equity %+v", pe)
	}
	if l := got["Listed company"]; l.Places != 10 || got["Not known"].Places != 2 {
		t.Errorf("by ownership %+v", m.ByOwnership)
	}
	for _, o := range m.TopOwners {
		if o.Group == "Fund Homes" && (o.UltimateOwner != "Big Fund LP" || o.Places != 8) {
			t.Errorf("fund homes %+v", o)
		}
	}
	var titles []string
	for _, tb := range m.Tables() {
		titles = append(titles, tb.Title)
	}
	if !strings.Contains(strings.Join(titles, "|"), "Residential places by kind of ownership") {
		t.Errorf("no ownership table in %q", titles)
	}
	if Analyse(fixture(), at).ByOwnership != nil {
		t.Error("ownership rows without an owner groups file")
	}
}
