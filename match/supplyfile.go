package match

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/supply"
)

// SupplyFile is the JSON form of supply that match, allocate and
// simulate-market read: provisions and vacancies with snake_case fields,
// money in pounds, dates as YYYY-MM-DD.
type SupplyFile struct {
	Provisions []ProvisionJSON `json:"provisions"`
	Vacancies  []VacancyJSON   `json:"vacancies"`
}

// ProvisionJSON is the wire form of care.Provision.
type ProvisionJSON struct {
	ID              string         `json:"id"`
	Kind            string         `json:"kind"`
	Name            string         `json:"name,omitempty"`
	Owner           string         `json:"owner,omitempty"`
	Sector          string         `json:"sector,omitempty"`
	Council         string         `json:"council,omitempty"`
	Postcode        string         `json:"postcode"`
	Places          int            `json:"places"`
	Rating          string         `json:"rating,omitempty"`
	MinAge          int            `json:"min_age,omitempty"`
	MaxAge          int            `json:"max_age,omitempty"`
	Sexes           []string       `json:"sexes,omitempty"`
	Needs           []string       `json:"needs,omitempty"`
	Provider        string         `json:"provider,omitempty"`
	InHouse         bool           `json:"in_house,omitempty"`
	SiblingCapacity int            `json:"sibling_capacity,omitempty"`
	Specialisms     []string       `json:"specialisms,omitempty"`
	WeeklyPrice     float64        `json:"weekly_price"`
	Residents       []ResidentJSON `json:"residents,omitempty"`
	Registered      string         `json:"registered,omitempty"`
}

// ResidentJSON is the wire form of care.Resident.
type ResidentJSON struct {
	Age   int      `json:"age"`
	Sex   string   `json:"sex,omitempty"`
	Risks []string `json:"risks,omitempty"`
}

// VacancyJSON is the wire form of care.Vacancy.
type VacancyJSON struct {
	ID          string  `json:"id"`
	ProvisionID string  `json:"provision_id"`
	Places      int     `json:"places"`
	ValidFrom   string  `json:"valid_from,omitempty"`
	UpdatedAt   string  `json:"updated_at,omitempty"`
	WeeklyPrice float64 `json:"weekly_price,omitempty"`
}

var provisionKinds = map[string]care.ProvisionKind{
	string(care.KindChildrensHome): care.KindChildrensHome, string(care.KindSecureHome): care.KindSecureHome,
	string(care.KindResidentialSchool): care.KindResidentialSchool, string(care.KindSupported): care.KindSupported,
	string(care.KindFostering): care.KindFostering,
}

var ratings = map[string]care.Rating{
	"": care.RatingNone, "outstanding": care.RatingOutstanding, "good": care.RatingGood,
	"requires improvement": care.RatingRI, "requires improvement to be good": care.RatingRI,
	"inadequate": care.RatingInadequate, "not yet inspected": care.RatingNone,
}

func day(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, care.Errorf(care.EINVALID, "%s: %q is not a date; write YYYY-MM-DD", field, s)
}

// ReadSupply reads a SupplyFile and converts it to domain values, naming
// the field of any unknown code, bad date or impossible number (EINVALID).
func ReadSupply(r io.Reader) ([]care.Provision, []care.Vacancy, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, care.WrapError(care.EUNUSABLE, err, "read supply")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f SupplyFile
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, care.WrapError(care.EINVALID, err, "supply: malformed JSON at byte %d", se.Offset)
		}
		return nil, nil, care.WrapError(care.EINVALID, err, "supply: not a supply file (want {\"provisions\": [...], \"vacancies\": [...]})")
	}
	return f.Domain()
}

// Domain converts the file to domain values (see ReadSupply).
func (f SupplyFile) Domain() ([]care.Provision, []care.Vacancy, error) {
	provs := make([]care.Provision, len(f.Provisions))
	for k, p := range f.Provisions {
		field := func(n string) string { return "provisions[" + strconv.Itoa(k) + "]." + n }
		kind, ok := provisionKinds[strings.ToLower(strings.TrimSpace(p.Kind))]
		if !ok {
			return nil, nil, care.Errorf(care.EINVALID, "%s: unknown kind %q; use childrens_home, secure_home, residential_school, supported_accommodation or fostering", field("kind"), p.Kind)
		}
		rating, ok := ratings[strings.ToLower(strings.TrimSpace(p.Rating))]
		if !ok {
			return nil, nil, care.Errorf(care.EINVALID, "%s: unknown rating %q; use Outstanding, Good, Requires improvement, Inadequate or leave empty", field("rating"), p.Rating)
		}
		if p.Places < 0 || p.MinAge < 0 || p.MaxAge < 0 || (p.MaxAge > 0 && p.MinAge > p.MaxAge) {
			return nil, nil, care.Errorf(care.EINVALID, "%s: places %d, ages %d–%d are not possible", field("places"), p.Places, p.MinAge, p.MaxAge)
		}
		if p.WeeklyPrice < 0 {
			return nil, nil, care.Errorf(care.EINVALID, "%s: negative price", field("weekly_price"))
		}
		reg, err := day(field("registered"), p.Registered)
		if err != nil {
			return nil, nil, err
		}
		cp := care.Provision{ID: strings.TrimSpace(p.ID), Kind: kind, Name: p.Name, Owner: p.Owner, Sector: care.Sector(p.Sector),
			Council: strings.ToUpper(p.Council), Postcode: p.Postcode, Places: p.Places, Rating: rating, MinAge: p.MinAge,
			MaxAge: p.MaxAge, Needs: p.Needs, Provider: care.ProviderType(p.Provider), InHouse: p.InHouse,
			SiblingCapacity: p.SiblingCapacity, Specialisms: p.Specialisms, WeeklyPrice: care.FromPounds(p.WeeklyPrice),
			Registered: reg}
		for _, s := range p.Sexes {
			switch strings.ToUpper(strings.TrimSpace(s)) {
			case "M":
				cp.Sexes = append(cp.Sexes, care.Male)
			case "F":
				cp.Sexes = append(cp.Sexes, care.Female)
			default:
				return nil, nil, care.Errorf(care.EINVALID, "%s: unknown sex %q; use M or F (or leave the list empty for any)", field("sexes"), s)
			}
		}
		for r, res := range p.Residents {
			cr := care.Resident{Age: res.Age, Sex: care.Sex(strings.ToUpper(res.Sex))}
			for _, rk := range res.Risks {
				risk := care.Risk(strings.ToLower(strings.TrimSpace(rk)))
				if riskBit(risk) == 0 {
					return nil, nil, care.Errorf(care.EINVALID, "%s[%d].risks: unknown risk %q", field("residents"), r, rk)
				}
				cr.Risks = append(cr.Risks, risk)
			}
			cp.Residents = append(cp.Residents, cr)
		}
		provs[k] = cp
	}
	vacs := make([]care.Vacancy, len(f.Vacancies))
	for k, v := range f.Vacancies {
		field := func(n string) string { return "vacancies[" + strconv.Itoa(k) + "]." + n }
		vf, err := day(field("valid_from"), v.ValidFrom)
		if err != nil {
			return nil, nil, err
		}
		up, err := day(field("updated_at"), v.UpdatedAt)
		if err != nil {
			return nil, nil, err
		}
		if v.WeeklyPrice < 0 {
			return nil, nil, care.Errorf(care.EINVALID, "%s: negative price", field("weekly_price"))
		}
		vacs[k] = care.Vacancy{ID: strings.TrimSpace(v.ID), ProvisionID: strings.TrimSpace(v.ProvisionID), Places: v.Places,
			ValidFrom: vf, UpdatedAt: up, WeeklyPrice: care.FromPounds(v.WeeklyPrice)}
	}
	return provs, vacs, nil
}

// SupplyToFile converts domain supply to its JSON form.
func SupplyToFile(provs []care.Provision, vacs []care.Vacancy) SupplyFile {
	var f SupplyFile
	ds := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	for _, p := range provs {
		pj := ProvisionJSON{ID: p.ID, Kind: string(p.Kind), Name: p.Name, Owner: p.Owner, Sector: string(p.Sector),
			Council: p.Council, Postcode: p.Postcode, Places: p.Places, Rating: string(p.Rating), MinAge: p.MinAge,
			MaxAge: p.MaxAge, Needs: p.Needs, Provider: string(p.Provider), InHouse: p.InHouse,
			SiblingCapacity: p.SiblingCapacity, Specialisms: p.Specialisms, WeeklyPrice: p.WeeklyPrice.Pounds(),
			Registered: ds(p.Registered)}
		for _, s := range p.Sexes {
			pj.Sexes = append(pj.Sexes, string(s))
		}
		for _, r := range p.Residents {
			rj := ResidentJSON{Age: r.Age, Sex: string(r.Sex)}
			for _, x := range r.Risks {
				rj.Risks = append(rj.Risks, string(x))
			}
			pj.Residents = append(pj.Residents, rj)
		}
		f.Provisions = append(f.Provisions, pj)
	}
	for _, v := range vacs {
		f.Vacancies = append(f.Vacancies, VacancyJSON{ID: v.ID, ProvisionID: v.ProvisionID, Places: v.Places,
			ValidFrom: ds(v.ValidFrom), UpdatedAt: ds(v.UpdatedAt), WeeklyPrice: v.WeeklyPrice.Pounds()})
	}
	return f
}

// ReadMinimalChildren reads the minimal referral CSV:
// child_id,home_postcode[,sibling_group] with a header row. Missing columns,
// empty ids or postcodes and repeated child ids give EINVALID naming the
// row and column.
func ReadMinimalChildren(r io.Reader) ([]MinimalChild, error) {
	rows, col, err := readCSV(r, "referrals", []string{"child_id", "home_postcode"}, []string{"sibling_group"})
	if err != nil {
		return nil, err
	}
	out := make([]MinimalChild, 0, len(rows))
	seen := map[string]int{}
	for k, row := range rows {
		c := MinimalChild{ID: row[col["child_id"]], HomePostcode: row[col["home_postcode"]]}
		if g, ok := col["sibling_group"]; ok {
			c.SiblingGroup = row[g]
		}
		if c.ID == "" || c.HomePostcode == "" {
			return nil, care.Errorf(care.EINVALID, "referrals row %d: child_id and home_postcode are required", k+2)
		}
		if prev, dup := seen[c.ID]; dup {
			return nil, care.Errorf(care.EINVALID, "referrals row %d: child_id %q repeats row %d", k+2, c.ID, prev)
		}
		seen[c.ID] = k + 2
		out = append(out, c)
	}
	return out, nil
}

// ReadMinimalPlaces reads the minimal vacancy CSV: place_id,postcode,places
// with a header row. Repeated place ids and places that are not a positive
// whole number give EINVALID naming the row and column.
func ReadMinimalPlaces(r io.Reader) ([]MinimalPlace, error) {
	rows, col, err := readCSV(r, "vacancies", []string{"place_id", "postcode", "places"}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]MinimalPlace, 0, len(rows))
	seen := map[string]int{}
	for k, row := range rows {
		p := MinimalPlace{ID: row[col["place_id"]], Postcode: row[col["postcode"]]}
		if p.ID == "" || p.Postcode == "" {
			return nil, care.Errorf(care.EINVALID, "vacancies row %d: place_id and postcode are required", k+2)
		}
		n, err := strconv.Atoi(row[col["places"]])
		if err != nil || n < 1 {
			return nil, care.Errorf(care.EINVALID, "vacancies row %d: places %q is not a whole number of at least 1", k+2, row[col["places"]])
		}
		p.Places = n
		if prev, dup := seen[p.ID]; dup {
			return nil, care.Errorf(care.EINVALID, "vacancies row %d: place_id %q repeats row %d; list each place once with its number of places", k+2, p.ID, prev)
		}
		seen[p.ID] = k + 2
		out = append(out, p)
	}
	return out, nil
}

func readCSV(r io.Reader, what string, required, optional []string) ([][]string, map[string]int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, nil, care.WrapError(care.EINVALID, err, "%s: not a readable CSV file", what)
	}
	if len(recs) == 0 {
		return nil, nil, care.Errorf(care.EINVALID, "%s: empty file; the first row must be the header %s", what, strings.Join(required, ","))
	}
	col := map[string]int{}
	for k, h := range recs[0] {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = k
	}
	for _, h := range required {
		if _, ok := col[h]; !ok {
			return nil, nil, care.Errorf(care.EINVALID, "%s: no %s column; the header must be %s", what, h, strings.Join(append(append([]string{}, required...), optional...), ","))
		}
	}
	rows := recs[1:]
	for k, row := range rows {
		for c := range row {
			row[c] = strings.TrimSpace(row[c])
		}
		for _, h := range append(append([]string{}, required...), optional...) {
			if c, ok := col[h]; ok && c >= len(row) {
				return nil, nil, care.Errorf(care.EINVALID, "%s row %d: missing %s", what, k+2, h)
			}
		}
	}
	return rows, col, nil
}

// IsMinimalCSV reports whether data is a CSV whose header names child_id or
// place_id (the minimal form) rather than JSON.
func IsMinimalCSV(data []byte) bool {
	trim := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	if len(trim) == 0 || trim[0] == '{' || trim[0] == '[' {
		return false
	}
	line, _, _ := bytes.Cut(trim, []byte("\n"))
	h := strings.ToLower(string(line))
	return strings.Contains(h, "child_id") || strings.Contains(h, "place_id")
}

// AllocateMinimalCSV allocates the children of a minimal referral CSV
// (ReadMinimalChildren) to the places of a minimal vacancy CSV
// (ReadMinimalPlaces). EINVALID when the vacancies are not in the minimal
// form.
func AllocateMinimalCSV(referrals, vacancies []byte, keepSiblings bool) (Allocation, error) {
	if !IsMinimalCSV(vacancies) {
		return Allocation{}, care.Errorf(care.EINVALID, "minimal referrals (CSV) need minimal vacancies: a CSV with header place_id,postcode,places")
	}
	children, err := ReadMinimalChildren(bytes.NewReader(referrals))
	if err != nil {
		return Allocation{}, err
	}
	places, err := ReadMinimalPlaces(bytes.NewReader(vacancies))
	if err != nil {
		return Allocation{}, err
	}
	return AllocateMinimal(children, places, keepSiblings, nil, 0)
}

// ReadSupplyFrom reads provisions and vacancies from a supply file set
// directory (supply/FORMAT.md) or a JSON supply file (ReadSupply).
func ReadSupplyFrom(path string) ([]care.Provision, []care.Vacancy, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, care.WrapError(care.EUNUSABLE, err, "cannot read the supply")
	}
	if fi.IsDir() {
		set, err := supply.ReadDir(path)
		if err != nil {
			return nil, nil, err
		}
		return set.Provisions, set.Vacancies, nil
	}
	f, err := inputfile.Open(path)
	if err != nil {
		return nil, nil, care.WrapError(care.EUNUSABLE, err, "cannot read the supply")
	}
	defer f.Close()
	return ReadSupply(f)
}

// ReadVacanciesFrom reads vacancies from a supply-format vacancies.csv, or
// the vacancies of a JSON supply file (a name ending .json).
func ReadVacanciesFrom(path string) ([]care.Vacancy, error) {
	f, err := inputfile.Open(path)
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "cannot read the vacancies")
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".json") {
		_, vacs, err := ReadSupply(f)
		return vacs, err
	}
	return supply.ReadVacancies(f, path)
}
