package analysis

import (
	"slices"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/forecast"
)

// resolve parses la and region as an edge does (ParseScope) and resolves
// the spec in st.
func resolve(st Store, la, region string) (Scope, error) {
	spec, err := ParseScope(la, region)
	if err != nil {
		return Scope{}, err
	}
	return Resolve(ctx(), st, spec)
}

// loadImported parses la and region as an edge does and loads the spec.
func loadImported(st Store, la, region string) ([]care.Child, []care.Episode, []int, error) {
	spec, err := ParseScope(la, region)
	if err != nil {
		return nil, nil, nil, err
	}
	return LoadImported(ctx(), st, spec)
}

// publishedForecast parses req's la and region as the CLI does and runs
// PublishedForecast.
func publishedForecast(p *forecast.Published, in forecast.Inputs, req forecast.Request, origin, years int) (*forecast.Record, error) {
	spec, err := ParseScope(req.LA, req.Region)
	if err != nil {
		return nil, err
	}
	return PublishedForecast(p, in, spec, req, origin, years)
}

// TestParseScope: the one parser of a scope given as text (a CLI's --la
// and --region, a query's la and region, a scenario file's scope). A
// council the register lacks is kept for the store to say (TestResolve:
// "no council"); a region must be English.
func TestParseScope(t *testing.T) {
	tests := []struct {
		name, la, region string
		want             ScopeSpec
		code, msg        string // error
	}{
		{name: "None", want: ScopeSpec{}},
		{name: "Blank", la: "  ", region: " ", want: ScopeSpec{}},
		{name: "ONSCode", la: "E06000001", want: ScopeSpec{Councils: []string{"E06000001"}}},
		{name: "ONSCodeLowerCase", la: "e06000001", want: ScopeSpec{Councils: []string{"E06000001"}}},
		{name: "DfECode", la: "805", want: ScopeSpec{Councils: []string{"E06000001"}}},
		{name: "Name", la: "Hartlepool", want: ScopeSpec{Councils: []string{"E06000001"}}},
		{name: "NameLowerCaseSpaces", la: "  hartlepool ", want: ScopeSpec{Councils: []string{"E06000001"}}},
		{name: "NameWithComma", la: "Bristol, City of", want: ScopeSpec{Councils: []string{"E06000023"}}},
		{name: "List", la: "805,e06000002, Stockton-on-Tees", want: ScopeSpec{Councils: []string{"E06000001", "E06000002", "E06000004"}}},
		{name: "CodeRefdataLacks", la: "X99", want: ScopeSpec{Councils: []string{"X99"}}},
		{name: "OldONSCode", la: "e10000021", want: ScopeSpec{Councils: []string{"E10000021"}}},
		{name: "All", la: "ALL", want: ScopeSpec{Region: England}},
		{name: "Region", region: "north east", want: ScopeSpec{Region: "North East"}},
		{name: "RegionSpaces", region: " Yorkshire and the Humber ", want: ScopeSpec{Region: "Yorkshire and The Humber"}},
		{name: "InnerLondon", region: "Inner London", want: ScopeSpec{Region: "London"}},
		{name: "England", region: "ENGLAND", want: ScopeSpec{Region: England}},
		// Kept for the store or series to say (TestResolve, TestLoadImported).
		{name: "CouncilRegisterLacks", la: " Atlantis ", want: ScopeSpec{Councils: []string{"Atlantis"}}},
		{name: "ListRegisterLacksOne", la: "805,Atlantis,", want: ScopeSpec{Councils: []string{"E06000001", "Atlantis"}}},
		{name: "UnknownRegion", region: "Middle Earth", code: care.ENOTFOUND, msg: `no region "Middle Earth": it is not an English region; use one of`},
		{name: "Both", la: "805", region: "North East", code: care.EINVALID, msg: "give a council or a region, not both"},
		{name: "BothEvenUnknown", la: "Atlantis", region: "Middle Earth", code: care.EINVALID, msg: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseScope(tt.la, tt.region)
			if tt.code != "" {
				if care.ErrorCode(err) != tt.code || !strings.Contains(care.ErrorMessage(err), tt.msg) {
					t.Fatalf("error %v (%s); want %s with %q", err, care.ErrorCode(err), tt.code, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Councils, tt.want.Councils) || got.Region != tt.want.Region {
				t.Errorf("ParseScope(%q, %q) = %+v; want %+v", tt.la, tt.region, got, tt.want)
			}
			if got.IsZero() != (tt.la == "" && tt.region == "" || strings.TrimSpace(tt.la+tt.region) == "") {
				t.Errorf("IsZero = %v", got.IsZero())
			}
		})
	}
}

// TestParseCouncilAndRegion: a URL's council must be one council of the
// register; a URL's region an English region (England is not one).
func TestParseCouncilAndRegion(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  func() (ScopeSpec, error)
		want ScopeSpec
		code string
	}{
		{"CouncilCode", func() (ScopeSpec, error) { return ParseCouncil("E06000001") }, ScopeSpec{Councils: []string{"E06000001"}}, ""},
		{"CouncilLowerCase", func() (ScopeSpec, error) { return ParseCouncil("e06000001") }, ScopeSpec{Councils: []string{"E06000001"}}, ""},
		{"CouncilDfE", func() (ScopeSpec, error) { return ParseCouncil("805") }, ScopeSpec{Councils: []string{"E06000001"}}, ""},
		{"CouncilName", func() (ScopeSpec, error) { return ParseCouncil("hartlepool") }, ScopeSpec{Councils: []string{"E06000001"}}, ""},
		{"CouncilUnknown", func() (ScopeSpec, error) { return ParseCouncil("Atlantis") }, ScopeSpec{}, care.ENOTFOUND},
		{"CouncilRefdataLacks", func() (ScopeSpec, error) { return ParseCouncil("X99") }, ScopeSpec{}, care.ENOTFOUND},
		{"CouncilList", func() (ScopeSpec, error) { return ParseCouncil("805,806") }, ScopeSpec{}, care.ENOTFOUND},
		{"CouncilEmpty", func() (ScopeSpec, error) { return ParseCouncil("") }, ScopeSpec{}, care.ENOTFOUND},
		{"Region", func() (ScopeSpec, error) { return ParseRegion("north west") }, ScopeSpec{Region: "North West"}, ""},
		{"RegionEngland", func() (ScopeSpec, error) { return ParseRegion("England") }, ScopeSpec{}, care.ENOTFOUND},
		{"RegionUnknown", func() (ScopeSpec, error) { return ParseRegion("Atlantis") }, ScopeSpec{}, care.ENOTFOUND},
		{"RegionEmpty", func() (ScopeSpec, error) { return ParseRegion("") }, ScopeSpec{}, care.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.got()
			if care.ErrorCode(err) != tt.code || !slices.Equal(got.Councils, tt.want.Councils) || got.Region != tt.want.Region {
				t.Errorf("got %+v, %v; want %+v, %q", got, err, tt.want, tt.code)
			}
		})
	}
}

// TestResolveList: several councils resolve to one scope named by them,
// with their common region; a code neither the register nor the store
// knows is refused.
func TestResolveList(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough, unknown)
	sc, err := resolve(st, hartlepool+","+middlesbrough, "")
	if err != nil || sc.Name != "Hartlepool, Middlesbrough" || sc.Region != "North East" || sc.Council != nil ||
		!slices.Equal(sc.Councils, []string{hartlepool, middlesbrough}) {
		t.Errorf("list: %+v, %v", sc, err)
	}
	sc, err = resolve(st, hartlepool+","+unknown, "")
	if err != nil || sc.Region != "" || !slices.Equal(sc.Councils, []string{hartlepool, unknown}) {
		t.Errorf("list with a code refdata lacks: %+v, %v", sc, err)
	}
	for _, la := range []string{"Y12", "Atlantis", hartlepool + ",Atlantis"} {
		_, err := resolve(st, la, "")
		if care.ErrorCode(err) != care.ENOTFOUND || !strings.Contains(care.ErrorMessage(err), "no English children's services council has the code or name") {
			t.Errorf("%s, a council no one knows: %v", la, err)
		}
	}
	if _, err := resolve(st, "all", ""); err != nil {
		t.Errorf("all: %v", err)
	}
}
