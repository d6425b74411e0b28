package match

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sufficiency/care"
)

func sampleAllocation(o Objective) Allocation {
	return Allocation{
		Objective: o, KeepSiblings: true, Children: 3, Placed: 2, TotalCost: 12.345, TotalMiles: 30.26,
		WeeklyCost: care.FromPounds(9000), Method: "min-cost flow", Gap: "0 (optimal)", SplitGroups: 1,
		Assignments: []Assignment{
			{ReferralID: "R1", ChildID: "C1", PlaceID: "V1", ProvisionID: "P1", Postcode: "M14 5", Miles: 4.26, WeeklyPrice: care.FromPounds(4500.5), Cost: 1.5,
				Parts: []Part{{Name: "distance", Points: 1.25}, {Name: "rating", Points: 0}, {Name: "cost", Points: -0.5}}},
			{ReferralID: "R2", ChildID: "C2", PlaceID: "V2", Postcode: "SK8 3", Miles: 26, WeeklyPrice: care.FromPounds(4499.5), Cost: 10.845},
		},
		Unplaced: []Unplaced{{ReferralID: "R3", ChildID: "C3", Reason: "no eligible place"}},
	}
}

func TestAllocationWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := sampleAllocation(ObjectivePolicy).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"Allocation (objective policy, siblings kept together: true): 2 of 3 children placed.\n",
		"Objective total 12.3 penalty points; total distance 30.3 miles; weekly cost £9,000.00; sibling groups split 1.\n",
		"Method: min-cost flow. Gap to the lower bound: 0 (optimal).\n\n",
		"penalty points",
		"C1     R1        V1     P1         M14 5     4.3    4500.50   1.500           distance +1.2, cost -0.5\n",
		"\nNot placed (1):\n  C3 (referral R3): no eligible place\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "rating") {
		t.Errorf("a part of 0 points is shown:\n%s", got)
	}
	buf.Reset()
	a := sampleAllocation(ObjectiveDistance)
	a.Unplaced = nil
	a.WriteText(&buf)
	if got := buf.String(); !strings.Contains(got, "Objective total 12.3 miles;") || !strings.Contains(got, "weekly £  miles") || strings.Contains(got, "Not placed") {
		t.Errorf("distance objective text:\n%s", got)
	}
	buf.Reset()
	(Allocation{Objective: ObjectivePolicy}).WriteText(&buf)
	if strings.Contains(buf.String(), "child  referral") {
		t.Errorf("a table with no one placed:\n%s", buf.String())
	}
}

func TestAllocationWriteCSVAndJSON(t *testing.T) {
	var out, notes bytes.Buffer
	if err := sampleAllocation(ObjectivePolicy).WriteCSV(&out, &notes); err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(out.String(), "\r\n", "\n"); got != "child_id,place_id,miles\nC1,V1,4.260000\nC2,V2,26.000000\n" {
		t.Errorf("csv:\n%s", got)
	}
	if notes.String() != "allocate: 1 of 3 children not placed (not in the CSV):\n  C3: no eligible place\n" {
		t.Errorf("notes %q", notes.String())
	}
	out.Reset()
	notes.Reset()
	a := sampleAllocation(ObjectivePolicy)
	a.Unplaced = nil
	a.WriteCSV(&out, &notes)
	if notes.Len() != 0 {
		t.Errorf("notes with everyone placed: %q", notes.String())
	}

	out.Reset()
	if err := (Allocation{Objective: ObjectiveDistance}).WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, `"assignments": []`) || !strings.Contains(s, `"unplaced": []`) || !strings.Contains(s, `"objective": "distance"`) {
		t.Errorf("json of an empty allocation:\n%s", s)
	}
	out.Reset()
	sampleAllocation(ObjectivePolicy).WriteJSON(&out)
	var back Allocation
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || !reflect.DeepEqual(back, sampleAllocation(ObjectivePolicy)) {
		t.Errorf("json does not read back: %v", err)
	}
}

func TestWriteMarketComparison(t *testing.T) {
	out := []MarketOutcome{
		{Mode: ModeFirstCome, Children: 10, Placed: 8, Unplaced: 2, MeanMiles: 12.34, ShareOver20: 0.25, ShareInArea: 0.5, SiblingGroups: 3, SiblingsSplit: 1,
			WeeklyCost: care.FromPounds(40000), MeanScore: 3.21, MeanWaitDays: 1.5, MeanWaitUrgent: 0.25, MaxWaitDays: 7},
		{Mode: ModeWeekly, Children: 10, Placed: 9, Unplaced: 1, MeanMiles: 9.9, ShareOver20: 0.125, ShareInArea: 0.625, SiblingGroups: 3,
			WeeklyCost: care.FromPounds(41000), MeanScore: 2.5, MeanWaitDays: 3, MeanWaitUrgent: 2, MaxWaitDays: 6},
	}
	var buf bytes.Buffer
	if err := WriteMarketComparison(&buf, out, 12); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	row := func(name string) []string {
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), name) {
				return strings.Fields(strings.TrimPrefix(strings.TrimSpace(l), name))
			}
		}
		t.Fatalf("no row %q in\n%s", name, buf.String())
		return nil
	}
	for name, want := range map[string][]string{
		"children placed":                         {"8", "of", "10", "9", "of", "10"},
		"unplaced children":                       {"2", "1"},
		"mean distance (miles)":                   {"12.3", "9.9"},
		"placed over 20 miles":                    {"25.0%", "12.5%"},
		"placed in area":                          {"50.0%", "62.5%"},
		"sibling groups split":                    {"1", "of", "3", "0", "of", "3"},
		"total weekly cost (£ a week)":            {"£40,000", "£41,000"},
		"mean penalty points (lower fits better)": {"3.2", "2.5"},
		"mean wait of placed children (days)":     {"1.5", "3.0"},
		"mean wait, urgent (days)":                {"0.2", "2.0"},
		"longest wait (days)":                     {"7", "6"},
	} {
		if got := row(name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q; want %q", name, got, want)
		}
	}
	if !strings.Contains(lines[0], "first come") || !strings.Contains(lines[0], "weekly batch") {
		t.Errorf("header %q", lines[0])
	}
	if got := strings.Count(buf.String(), "\nWhy these differ:\n"); got != 1 && len(ReadMarket(out, 12)) > 0 {
		t.Errorf("the reading is missing:\n%s", buf.String())
	}
	for mode, want := range map[string]string{ModeFirstCome: "first come", ModeDaily: "daily batch", ModeWeekly: "weekly batch", "other": "other"} {
		if got := ModeLabel(mode); got != want {
			t.Errorf("ModeLabel(%q) = %q; want %q", mode, got, want)
		}
	}
}

func TestSupplyToFileReadsBack(t *testing.T) {
	f, err := os.Open("testdata/supply.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	provs, vacs, err := ReadSupply(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(SupplyToFile(provs, vacs))
	if err != nil {
		t.Fatal(err)
	}
	p2, v2, err := ReadSupply(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p2, provs) || !reflect.DeepEqual(v2, vacs) {
		t.Errorf("supply written and read back differs")
	}
	// From a file and from a folder of the supply format.
	p3, v3, err := ReadSupplyFrom("testdata/supply.json")
	if err != nil || !reflect.DeepEqual(p3, provs) || !reflect.DeepEqual(v3, vacs) {
		t.Errorf("ReadSupplyFrom(json): %v", err)
	}
	p4, v4, err := ReadSupplyFrom("../supply/testdata")
	if err != nil || len(p4) == 0 || len(v4) == 0 {
		t.Errorf("ReadSupplyFrom(folder) = %d provisions, %d vacancies, %v", len(p4), len(v4), err)
	}
	if _, _, err := ReadSupplyFrom(filepath.Join(t.TempDir(), "nope")); care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("missing supply: %v", err)
	}
	vj, err := ReadVacanciesFrom("testdata/supply.json")
	if err != nil || !reflect.DeepEqual(vj, vacs) {
		t.Errorf("ReadVacanciesFrom(json): %v", err)
	}
	vc, err := ReadVacanciesFrom("../supply/testdata/vacancies.csv")
	if err != nil || len(vc) == 0 || vc[0].ID != "V-1" || vc[0].ProvisionID != "1234567" {
		t.Errorf("ReadVacanciesFrom(csv) = %+v, %v", vc, err)
	}
	if _, err := ReadVacanciesFrom(filepath.Join(t.TempDir(), "nope.csv")); care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("missing vacancies: %v", err)
	}
}

func TestIsMinimalCSV(t *testing.T) {
	for in, want := range map[string]bool{
		"child_id,home_postcode\nC1,M14 5\n": true,
		"\ufeffPlace_ID,postcode,places\n":   true,
		"  \n{\"provisions\": []}":           false,
		"[]":                                 false,
		"":                                   false,
		"id,postcode\nchild_id\n":            false, // only the header counts
	} {
		if got := IsMinimalCSV([]byte(in)); got != want {
			t.Errorf("IsMinimalCSV(%q) = %v; want %v", in, got, want)
		}
	}
}

func TestAllocateMinimalCSV(t *testing.T) {
	refs := []byte("child_id,home_postcode\nC1,M14 5AB\nC2,SW1A 1AA\n")
	places := []byte("place_id,postcode,places\nV1,M14 5AB,1\nV2,SW1A 1AA,1\n")
	a, err := AllocateMinimalCSV(refs, places, false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, as := range a.Assignments {
		got[as.ChildID] = as.PlaceID
	}
	if a.Placed != 2 || got["C1"] != "V1" || got["C2"] != "V2" {
		t.Errorf("allocation %+v; want each child at the place in its own postcode", got)
	}
	if _, err := AllocateMinimalCSV(refs, []byte(`{"vacancies": []}`), false); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "place_id,postcode,places") {
		t.Errorf("JSON vacancies: %v", err)
	}
	if _, err := AllocateMinimalCSV([]byte("child_id,home_postcode\nC1,\n"), places, false); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("bad referrals: %v", err)
	}
	if _, err := AllocateMinimalCSV(refs, []byte("place_id,postcode,places\nV1,M14 5AB,0\n"), false); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "at least 1") {
		t.Errorf("0 places: %v", err)
	}
}
