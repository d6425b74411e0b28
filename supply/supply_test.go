package supply

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sufficiency/care"
)

func TestReadDirExample(t *testing.T) {
	set, err := ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Provisions) != 2 || len(set.Vacancies) != 2 {
		t.Fatalf("%d provisions, %d vacancies", len(set.Provisions), len(set.Vacancies))
	}
	h, f := set.Provisions[0], set.Provisions[1]
	if h.Kind != care.KindChildrensHome || h.Sector != care.SectorPrivate || h.WeeklyPrice != 625000 || h.Places != 4 ||
		h.Rating != care.RatingGood || len(h.Needs) != 2 || len(h.Residents) != 2 || h.Registered != care.Date(2019, 6, 1) {
		t.Errorf("home %+v", h)
	}
	if h.Residents[0].Age != 15 || !(care.NeedsProfile{Risks: h.Residents[0].Risks}).Has(care.RiskMissing) {
		t.Errorf("resident %+v", h.Residents[0])
	}
	if f.Council != "E08000003" || !f.InHouse || f.SiblingCapacity != 2 || f.WeeklyPrice != 45000 || f.Registered != care.Date(2015, 9, 1) {
		t.Errorf("DfE code 352 should read as Manchester, household %+v", f)
	}
	v := set.Vacancies[0]
	if v.ValidFrom != care.Date(2025, 4, 3) || v.UpdatedAt.Hour() != 9 || v.WeeklyPrice != 650000 {
		t.Errorf("vacancy %+v", v)
	}
}

func TestRoundTrip(t *testing.T) {
	set, err := ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteDir(dir, set); err != nil {
		t.Fatal(err)
	}
	again, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(set, again) {
		t.Fatalf("round trip changed the set:\n%+v\n%+v", set, again)
	}
}

func TestReadProvisionsErrors(t *testing.T) {
	header := strings.Join(ProvisionColumns, ",") + "\n"
	row := func(fields map[string]string) string {
		vals := make([]string, len(ProvisionColumns))
		base := map[string]string{"ID": "1", "KIND": "childrens_home", "COUNCIL": "E08000003", "PLACES": "3"}
		for k, v := range fields {
			base[k] = v
		}
		for i, c := range ProvisionColumns {
			vals[i] = base[c]
		}
		return strings.Join(vals, ",") + "\n"
	}
	cases := []struct {
		name, input, code, want string
	}{
		{"ErrEmpty", "", care.EUNUSABLE, "empty"},
		{"ErrUnknownColumn", "ID,KIND,COUNCIL,PLACES,COLOUR\n", care.EINVALID, "COLOUR"},
		{"ErrMissingColumn", "ID,KIND,PLACES\n", care.EINVALID, "COUNCIL"},
		{"ErrKind", header + row(map[string]string{"KIND": "castle"}), care.EINVALID, "p.csv:2 column KIND"},
		{"ErrCouncil", header + row(map[string]string{"COUNCIL": "Narnia"}), care.EINVALID, "column COUNCIL"},
		{"ErrPlaces", header + row(map[string]string{"PLACES": "-1"}), care.EINVALID, "column PLACES"},
		{"ErrPrice", header + row(map[string]string{"WEEKLY_PRICE": "lots"}), care.EINVALID, "column WEEKLY_PRICE"},
		{"ErrDate", header + row(map[string]string{"REGISTERED": "31/02/2020"}), care.EINVALID, "column REGISTERED"},
		{"ErrAges", header + row(map[string]string{"MIN_AGE": "12", "MAX_AGE": "8"}), care.EINVALID, "youngest"},
		{"ErrPostcode", header + row(map[string]string{"POSTCODE": "NOT A POSTCODE!"}), care.EINVALID, "column POSTCODE"},
		{"ErrDuplicateID", header + row(nil) + row(nil), care.EINVALID, "p.csv:3 column ID"},
		{"ErrSex", header + row(map[string]string{"SEXES": "X"}), care.EINVALID, "column SEXES"},
		{"ErrProvider", header + row(map[string]string{"PROVIDER": "PR9"}), care.EINVALID, "column PROVIDER"},
		{"ErrQuote", header + "1,\"childrens_home,E08000003,3\n", care.EUNUSABLE, "malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadProvisions(strings.NewReader(tc.input), "p.csv")
			if care.ErrorCode(err) != tc.code || !strings.Contains(care.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v (%s); want %s mentioning %q", err, care.ErrorCode(err), tc.code, tc.want)
			}
		})
	}
}

func TestReadVacanciesErrors(t *testing.T) {
	cases := []struct{ name, input, want string }{
		{"ErrPlaces", "ID,PROVISION_ID,PLACES,VALID_FROM\nV1,P1,0,01/04/2025\n", "column PLACES"},
		{"ErrValidFromBlank", "ID,PROVISION_ID,PLACES,VALID_FROM\nV1,P1,1,\n", "column VALID_FROM"},
		{"ErrUpdated", "ID,PROVISION_ID,PLACES,VALID_FROM,UPDATED_AT\nV1,P1,1,01/04/2025,yesterday\n", "column UPDATED_AT"},
		{"ErrNoProvision", "ID,PROVISION_ID,PLACES,VALID_FROM\nV1,,1,01/04/2025\n", "column PROVISION_ID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadVacancies(strings.NewReader(tc.input), "v.csv")
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v; want EINVALID mentioning %q", err, tc.want)
			}
		})
	}
}

func TestReadDirChecksReferences(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(filepath.Join("testdata", ProvisionsFile))
	os.WriteFile(filepath.Join(dir, ProvisionsFile), b, 0o644)
	os.WriteFile(filepath.Join(dir, VacanciesFile), []byte("ID,PROVISION_ID,PLACES,VALID_FROM\nV1,NOPE,1,01/04/2025\n"), 0o644)
	if _, err := ReadDir(dir); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "NOPE") {
		t.Fatalf("dangling vacancy: %v", err)
	}
	if _, err := ReadDir(t.TempDir()); care.ErrorCode(err) != care.EUNUSABLE {
		t.Fatalf("empty dir: %v", err)
	}
}

func TestManyProblemsAreSummarised(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("ID,KIND,COUNCIL,PLACES\n")
	for i := 0; i < 30; i++ {
		b.WriteString("x,castle,E08000003,1\n")
	}
	_, err := ReadProvisions(&b, "p.csv")
	if !strings.Contains(care.ErrorMessage(err), "more problems") {
		t.Fatalf("%v", err)
	}
}

// FuzzReadProvisions checks the reader never panics and that whatever it
// accepts survives a write and a read unchanged.
func FuzzReadProvisions(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", ProvisionsFile))
	f.Add(string(b))
	f.Add("ID,KIND,COUNCIL,PLACES\n1,fostering,E08000003,2\n")
	f.Add("ID,KIND,COUNCIL,PLACES,WEEKLY_PRICE\n1,fostering,352,2,£1e3\n")
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ReadProvisions(strings.NewReader(s), "f.csv")
		if err != nil {
			if care.ErrorCode(err) == care.EINTERNAL {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteProvisions(&out, ps); err != nil {
			t.Fatal(err)
		}
		again, err := ReadProvisions(&out, "again.csv")
		if err != nil {
			t.Fatalf("re-reading written provisions: %v\n%s", err, out.String())
		}
		if len(again) != len(ps) {
			t.Fatalf("%d provisions after round trip, want %d", len(again), len(ps))
		}
	})
}

// FuzzReadVacancies checks the vacancies reader never panics.
func FuzzReadVacancies(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", VacanciesFile))
	f.Add(string(b))
	f.Fuzz(func(t *testing.T, s string) {
		vs, err := ReadVacancies(strings.NewReader(s), "f.csv")
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteVacancies(&out, vs); err != nil {
			t.Fatal(err)
		}
		if again, err := ReadVacancies(&out, "again.csv"); err != nil || len(again) != len(vs) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// Issue 15 item 4: a provider or owner name a spreadsheet would run as a
// formula is written neutralised and reads back as it was.
func TestFormulaNamesNeutralisedAndReadBack(t *testing.T) {
	set, err := ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	set.Provisions[0].Owner = "=HYPERLINK(\"http://evil.example\",\"x\")"
	set.Provisions[0].Name = "@SUM(1+1)"
	dir := t.TempDir()
	if err := WriteDir(dir, set); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "provisions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"'=HYPERLINK(""http://evil.example"",""x"")"`) || !strings.Contains(string(raw), ",'@SUM(1+1),") {
		t.Errorf("formula cells not neutralised:\n%s", raw)
	}
	again, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(set, again) {
		t.Fatalf("round trip changed the set")
	}
}
