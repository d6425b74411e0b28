package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/refdata"
	"sufficiency/review"
)

func TestLoadPublished(t *testing.T) {
	for _, src := range []string{"", "embedded"} {
		p, in, err := LoadPublished(src)
		_, digest, _ := EmbeddedPublished()
		if err != nil || p == nil || in.Digest != digest || !strings.HasPrefix(in.Label, "embedded DfE council totals") {
			t.Errorf("LoadPublished(%q) = %v, %+v, %v", src, p, in, err)
		}
	}
	path := "../forecast/testdata/dfe_cla_la_totals_2010_2023.csv"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, in, err := LoadPublished(path)
	sum := sha256.Sum256(b)
	if err != nil || p == nil || in.Label != path || in.Digest != hex.EncodeToString(sum[:]) {
		t.Errorf("LoadPublished(file) = %+v, %v; want the file's SHA-256", in, err)
	}
	if _, _, err := LoadPublished(filepath.Join(t.TempDir(), "nope.csv")); care.ErrorCode(err) != care.EUNUSABLE || !strings.Contains(err.Error(), "DfE council totals format") {
		t.Errorf("missing file: %v; want EUNUSABLE", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("a,b\n1,2\n"), 0o644)
	if p, _, err := LoadPublished(bad); err == nil || p != nil {
		t.Errorf("not the DfE format: %v, %v", p, err)
	}
}

func TestPublishedForecastScope(t *testing.T) {
	p, in, err := LoadPublished("")
	if err != nil {
		t.Fatal(err)
	}
	// Asked by DfE code; the record names them by ONS code.
	var northEast, northEastONS []string
	cs, _ := refdata.CouncilsInRegion("North East")
	for _, c := range cs {
		if _, err := p.Council(c.DfECode); err == nil {
			northEast = append(northEast, c.DfECode)
			northEastONS = append(northEastONS, c.Code)
		}
	}
	if len(northEast) < 10 {
		t.Fatalf("the series holds %d North East councils", len(northEast))
	}
	for _, tc := range []struct {
		name string
		req  forecast.Request
		want []string // nil: more than the North East
	}{
		{"Region", forecast.Request{Region: "North East"}, northEastONS},
		{"TwoCouncils", forecast.Request{LA: northEast[0] + "," + northEast[1]}, northEastONS[:2]},
		{"All", forecast.Request{LA: "ALL"}, nil},
		{"Everything", forecast.Request{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := publishedForecast(p, in, tc.req, 2024, 1)
			if err != nil {
				t.Fatal(err)
			}
			got := rec.Request.Councils
			if tc.want != nil && !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(tc.want))) {
				t.Errorf("councils %v; want %v", got, tc.want)
			}
			if tc.want == nil && len(got) < 140 {
				t.Errorf("%d councils; want every council", len(got))
			}
			seen := map[string]bool{}
			for _, c := range got {
				if seen[c] {
					t.Errorf("council %s twice", c)
				}
				seen[c] = true
			}
			if rec.Request.Region != tc.req.Region || rec.Inputs.Digest != in.Digest || rec.Published == nil {
				t.Errorf("record %+v", rec.Request)
			}
		})
	}
	if _, err := publishedForecast(p, in, forecast.Request{Region: "Atlantis"}, 2024, 1); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("unknown region: %v", err)
	}
	if _, err := publishedForecast(p, in, forecast.Request{}, 1990, 1); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("origin outside the series: %v", err)
	}
}

func TestReadDistanceReasons(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", "\ufeffchild, DECOM ,Reason,LA\n"+
		"C1,01/05/2023,specialist therapeutic home,Hartlepool\n"+
		"C2,2024-06-01,  near grandparents ,\n"+
		"C3,31/03/2025,,E06000001\n"+ // no reason: not recorded
		"C4,29/02/2024,keeps school,X99\n"+ // a code refdata does not know: kept as written
		"C5,01/01/2024\n") // short row: no reason
	got, err := ReadDistanceReasons(good)
	if err != nil {
		t.Fatal(err)
	}
	want := map[review.EpisodeKey]string{
		{Council: hartlepool, ChildID: "C1", Start: care.Date(2023, 5, 1)}: "specialist therapeutic home",
		{Council: "", ChildID: "C2", Start: care.Date(2024, 6, 1)}:         "near grandparents",
		{Council: "X99", ChildID: "C4", Start: care.Date(2024, 2, 29)}:     "keeps school",
	}
	if len(got) != len(want) {
		t.Errorf("%d reasons %v; want %d", len(got), got, len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%+v: %q; want %q", k, got[k], v)
		}
	}
	for _, tc := range []struct {
		name, body, code, want string
	}{
		{"Empty", "", care.EINVALID, "is empty"},
		{"NoDECOM", "CHILD,START,REASON\nC1,01/05/2023,x\n", care.EINVALID, "has no DECOM column"},
		{"NoReason", "CHILD,DECOM\n", care.EINVALID, "has no REASON column"},
		{"BadDate", "CHILD,DECOM,REASON\nC1,01/05/2023,x\nC2,31/02/2024,y\n", care.EINVALID, "line 3: DECOM \"31/02/2024\" is not a date"},
		{"NotCSV", "CHILD,DECOM,REASON\n\"C1,01/05/2023,x\n", care.EINVALID, "is not CSV"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadDistanceReasons(write(tc.name+".csv", tc.body))
			if care.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v; want %s with %q", err, tc.code, tc.want)
			}
		})
	}
	if _, err := ReadDistanceReasons(filepath.Join(dir, "nope.csv")); care.ErrorCode(err) != care.EUNUSABLE {
		t.Errorf("missing file: %v; want EUNUSABLE", err)
	}
}
