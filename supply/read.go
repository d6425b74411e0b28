package supply

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/internal/inputfile"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/tabular"
)

// maxProblems is how many row problems one error lists before summarising.
const maxProblems = 20

// problems collects row-level problems of one file.
type problems struct {
	file string
	list []string
	n    int
}

func (p *problems) add(line int, col, format string, args ...any) {
	p.n++
	if len(p.list) < maxProblems {
		where := fmt.Sprintf("%s:%d", p.file, line)
		if col != "" {
			where += " column " + col
		}
		p.list = append(p.list, where+": "+fmt.Sprintf(format, args...))
	}
}

func (p *problems) err() error {
	if p.n == 0 {
		return nil
	}
	msg := strings.Join(p.list, "\n")
	if p.n > len(p.list) {
		msg += fmt.Sprintf("\n... and %d more problems", p.n-len(p.list))
	}
	return care.Errorf(care.EINVALID, "%s has %d problem(s); fix them and read it again (the format is in supply/FORMAT.md):\n%s", p.file, p.n, msg)
}

// sheet is a CSV file read by column name.
type sheet struct {
	file string
	col  map[string]int
	rows [][]string
	line []int
}

// readSheet reads a CSV with a header row, checking that every column is
// known and every required column present.
func readSheet(r io.Reader, file string, known, required []string) (*sheet, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, care.Errorf(care.EUNUSABLE, "%s is empty: it needs a header row with the columns %s", file, strings.Join(required, ", "))
	}
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "%s is not a readable CSV file", file)
	}
	s := &sheet{file: file, col: map[string]int{}}
	var unknown []string
	for i, h := range header {
		h = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "" {
			continue
		}
		if !contains(known, h) {
			unknown = append(unknown, h)
			continue
		}
		if _, dup := s.col[h]; dup {
			return nil, care.Errorf(care.EINVALID, "%s:1: column %s appears twice; keep one", file, h)
		}
		s.col[h] = i
	}
	if len(unknown) > 0 {
		return nil, care.Errorf(care.EINVALID, "%s:1: unknown column(s) %s; the columns are %s", file, strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	var missing []string
	for _, c := range required {
		if _, ok := s.col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, care.Errorf(care.EINVALID, "%s:1: required column(s) %s missing; add them to the header row", file, strings.Join(missing, ", "))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, care.Errorf(care.EUNUSABLE, "%s:%d: the CSV is malformed (%v); check quotes and commas", file, pe.Line, pe.Err)
			}
			return nil, care.WrapError(care.EUNUSABLE, err, "%s cannot be read", file)
		}
		line, _ := cr.FieldPos(0)
		blank := true
		for _, v := range rec {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		s.rows = append(s.rows, rec)
		s.line = append(s.line, line)
	}
	return s, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func (s *sheet) get(i int, col string) string {
	j, ok := s.col[col]
	if !ok || j >= len(s.rows[i]) {
		return ""
	}
	v := strings.TrimSpace(s.rows[i][j])
	// A cell the writer neutralised against spreadsheet formulas ('=x) reads
	// back as what was written (=x).
	if len(v) > 1 && v[0] == '\'' && tabular.NeutralizeCell(v[1:]) == v {
		return v[1:]
	}
	return v
}

// parseInt reads a whole number in [lo, hi]; blank gives def.
func parseInt(p *problems, line int, col, v string, def, lo, hi int) int {
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.add(line, col, "%q is not a whole number from %d to %d", v, lo, hi)
		return def
	}
	return n
}

// parsePrice reads pounds ("4500", "4,500.50", "£900") into pence.
func parsePrice(p *problems, line int, col, v string) care.Pence {
	if v == "" {
		return 0
	}
	s := strings.ReplaceAll(strings.TrimPrefix(v, "£"), ",", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e6 || f != f {
		p.add(line, col, "%q is not a weekly price in pounds (e.g. 4500 or 4500.00)", v)
		return 0
	}
	return care.FromPounds(f)
}

// parseDate reads DD/MM/YYYY or YYYY-MM-DD; blank gives the zero time.
func parseDate(p *problems, line int, col, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	if t, ok := ssda903.ParseDate(v); ok {
		return t
	}
	p.add(line, col, "%q is not a date: write DD/MM/YYYY or YYYY-MM-DD", v)
	return time.Time{}
}

// parseTimestamp reads a date or an RFC 3339 time.
func parseTimestamp(p *problems, line int, col, v string) time.Time {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC()
	}
	return parseDate(p, line, col, v)
}

func parseYN(p *problems, line int, col, v string) bool {
	switch strings.ToUpper(v) {
	case "", "N", "NO", "0", "FALSE":
		return false
	case "Y", "YES", "1", "TRUE":
		return true
	}
	p.add(line, col, "%q is not Y or N", v)
	return false
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, x := range strings.Split(v, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// ReadProvisions reads a provisions file. name is used in messages.
func ReadProvisions(r io.Reader, name string) ([]care.Provision, error) {
	s, err := readSheet(r, name, ProvisionColumns, provisionRequired)
	if err != nil {
		return nil, err
	}
	p := &problems{file: name}
	seen := map[string]int{}
	out := make([]care.Provision, 0, len(s.rows))
	for i := range s.rows {
		line := s.line[i]
		v := care.Provision{ID: s.get(i, "ID"), Name: s.get(i, "NAME"), Owner: s.get(i, "OWNER")}
		switch {
		case v.ID == "":
			p.add(line, "ID", "the provision id is blank; give the Ofsted URN or your own household id")
		case seen[v.ID] > 0:
			p.add(line, "ID", "id %q is used again (first on line %d); ids must be unique", v.ID, seen[v.ID])
		default:
			seen[v.ID] = line
		}
		kind := care.ProvisionKind(strings.ToLower(s.get(i, "KIND")))
		if !contains(strs(Kinds), string(kind)) {
			p.add(line, "KIND", "%q is not a provision kind: use one of %s", s.get(i, "KIND"), listOf(Kinds))
		}
		v.Kind = kind
		if sec := s.get(i, "SECTOR"); sec != "" {
			found := false
			for _, x := range Sectors {
				if strings.EqualFold(sec, string(x)) {
					v.Sector, found = x, true
				}
			}
			if !found {
				p.add(line, "SECTOR", "%q is not a sector: use one of %s", sec, listOf(Sectors))
			}
		}
		if c := s.get(i, "COUNCIL"); c == "" {
			p.add(line, "COUNCIL", "the council is blank; give the ONS code (e.g. E08000003) or DfE code of the council the provision is in")
		} else if cc, ok := refdata.CouncilByCode(c); ok {
			v.Council = cc.Code
		} else {
			p.add(line, "COUNCIL", "%q is not an English children's services council: give its ONS code (e.g. E08000003) or DfE code", c)
		}
		if pc := s.get(i, "POSTCODE"); pc != "" {
			parsed, err := geo.ParsePostcode(pc)
			if err != nil {
				p.add(line, "POSTCODE", "%s", care.ErrorMessage(err))
			} else {
				v.Postcode = parsed.String()
			}
		}
		v.Places = parseInt(p, line, "PLACES", s.get(i, "PLACES"), 0, 0, 10000)
		if s.get(i, "PLACES") == "" {
			p.add(line, "PLACES", "the number of places is blank; give registered places (homes) or approved children (fostering)")
		}
		if rt := s.get(i, "RATING"); rt != "" {
			found := false
			for _, x := range Ratings {
				if strings.EqualFold(rt, string(x)) || (x == care.RatingRI && strings.EqualFold(rt, "Requires improvement to be good")) {
					v.Rating, found = x, true
				}
			}
			if !found {
				p.add(line, "RATING", "%q is not an Ofsted judgement: use one of %s, or leave blank", rt, listOf(Ratings))
			}
		}
		v.MinAge = parseInt(p, line, "MIN_AGE", s.get(i, "MIN_AGE"), 0, 0, 25)
		v.MaxAge = parseInt(p, line, "MAX_AGE", s.get(i, "MAX_AGE"), 17, 0, 25)
		if v.MinAge > v.MaxAge {
			p.add(line, "MIN_AGE", "the youngest age %d is above the oldest %d", v.MinAge, v.MaxAge)
		}
		for _, x := range splitList(s.get(i, "SEXES")) {
			sx := care.Sex(strings.ToUpper(x))
			if sx != care.Male && sx != care.Female && sx != care.Unknown {
				p.add(line, "SEXES", "%q is not a sex: use M, F or U separated by ';', or leave blank for any", x)
				continue
			}
			v.Sexes = append(v.Sexes, sx)
		}
		v.Needs = splitList(s.get(i, "NEEDS"))
		if pr := strings.ToUpper(s.get(i, "PROVIDER")); pr != "" {
			if care.ProviderType(pr).Label() == "" {
				p.add(line, "PROVIDER", "%q is not a placement provider code: use PR0 to PR5", pr)
			}
			v.Provider = care.ProviderType(pr)
		}
		v.InHouse = parseYN(p, line, "IN_HOUSE", s.get(i, "IN_HOUSE"))
		v.SiblingCapacity = parseInt(p, line, "SIBLING_CAPACITY", s.get(i, "SIBLING_CAPACITY"), 0, 0, 20)
		v.Specialisms = splitList(s.get(i, "SPECIALISMS"))
		v.WeeklyPrice = parsePrice(p, line, "WEEKLY_PRICE", s.get(i, "WEEKLY_PRICE"))
		v.Registered = parseDate(p, line, "REGISTERED", s.get(i, "REGISTERED"))
		out = append(out, v)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// ReadVacancies reads a vacancies file.
func ReadVacancies(r io.Reader, name string) ([]care.Vacancy, error) {
	s, err := readSheet(r, name, VacancyColumns, vacancyRequired)
	if err != nil {
		return nil, err
	}
	p := &problems{file: name}
	seen := map[string]int{}
	out := make([]care.Vacancy, 0, len(s.rows))
	for i := range s.rows {
		line := s.line[i]
		v := care.Vacancy{ID: s.get(i, "ID"), ProvisionID: s.get(i, "PROVISION_ID")}
		switch {
		case v.ID == "":
			p.add(line, "ID", "the vacancy id is blank; give each vacancy an id")
		case seen[v.ID] > 0:
			p.add(line, "ID", "id %q is used again (first on line %d); ids must be unique", v.ID, seen[v.ID])
		default:
			seen[v.ID] = line
		}
		if v.ProvisionID == "" {
			p.add(line, "PROVISION_ID", "blank; give the ID of the provision (from provisions.csv) the vacancy is in")
		}
		v.Places = parseInt(p, line, "PLACES", s.get(i, "PLACES"), 0, 1, 100)
		if s.get(i, "PLACES") == "" {
			p.add(line, "PLACES", "blank; give how many children the vacancy can take (1 or more)")
		}
		if s.get(i, "VALID_FROM") == "" {
			p.add(line, "VALID_FROM", "blank; give the date the place is free from")
		}
		v.ValidFrom = parseDate(p, line, "VALID_FROM", s.get(i, "VALID_FROM"))
		if u := s.get(i, "UPDATED_AT"); u != "" {
			v.UpdatedAt = parseTimestamp(p, line, "UPDATED_AT", u)
		}
		v.WeeklyPrice = parsePrice(p, line, "WEEKLY_PRICE", s.get(i, "WEEKLY_PRICE"))
		out = append(out, v)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Resident is one row of residents.csv: a child living in a provision, as
// far as an impact assessment needs (age, sex, risks; never identity).
type Resident struct {
	ProvisionID string
	care.Resident
}

// ReadResidents reads a residents file.
func ReadResidents(r io.Reader, name string) ([]Resident, error) {
	s, err := readSheet(r, name, ResidentColumns, residentRequired)
	if err != nil {
		return nil, err
	}
	p := &problems{file: name}
	var out []Resident
	known := map[string]bool{}
	for _, x := range care.Risks {
		known[string(x)] = true
	}
	for i := range s.rows {
		line := s.line[i]
		v := Resident{ProvisionID: s.get(i, "PROVISION_ID")}
		if v.ProvisionID == "" {
			p.add(line, "PROVISION_ID", "blank; give the ID of the provision the child lives in")
		}
		v.Age = parseInt(p, line, "AGE", s.get(i, "AGE"), 0, 0, 25)
		if sx := strings.ToUpper(s.get(i, "SEX")); sx != "" {
			if sx != "M" && sx != "F" && sx != "U" {
				p.add(line, "SEX", "%q is not M, F or U", sx)
			}
			v.Sex = care.Sex(sx)
		}
		for _, x := range splitList(s.get(i, "RISKS")) {
			if !known[strings.ToLower(x)] {
				p.add(line, "RISKS", "%q is not a risk flag: use the Placements Data Standard codes (%s)", x, listOf(care.Risks))
				continue
			}
			v.Risks = append(v.Risks, care.Risk(strings.ToLower(x)))
		}
		out = append(out, v)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadDir reads a supply file set from dir: provisions.csv (required),
// vacancies.csv and residents.csv (optional). Vacancies and residents must
// refer to provisions in the set.
func ReadDir(dir string) (Set, error) {
	var set Set
	open := func(name string, required bool) (*os.File, error) {
		f, err := inputfile.Open(filepath.Join(dir, name))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && !required {
				return nil, nil
			}
			if errors.Is(err, os.ErrNotExist) {
				return nil, care.Errorf(care.EUNUSABLE, "%s has no %s: a supply file set needs at least %s (see supply/FORMAT.md)", dir, name, name)
			}
			return nil, care.WrapError(care.EUNUSABLE, err, "cannot read %s", filepath.Join(dir, name))
		}
		return f, nil
	}
	f, err := open(ProvisionsFile, true)
	if err != nil {
		return set, err
	}
	set.Provisions, err = ReadProvisions(f, filepath.Join(dir, ProvisionsFile))
	f.Close()
	if err != nil {
		return set, err
	}
	idx := map[string]int{}
	for i, p := range set.Provisions {
		idx[p.ID] = i
	}
	if f, err = open(VacanciesFile, false); err != nil {
		return set, err
	} else if f != nil {
		set.Vacancies, err = ReadVacancies(f, filepath.Join(dir, VacanciesFile))
		f.Close()
		if err != nil {
			return set, err
		}
		p := &problems{file: filepath.Join(dir, VacanciesFile)}
		for i, v := range set.Vacancies {
			if _, ok := idx[v.ProvisionID]; !ok {
				p.add(i+2, "PROVISION_ID", "%q is not an ID in %s", v.ProvisionID, ProvisionsFile)
			}
		}
		if err := p.err(); err != nil {
			return set, err
		}
	}
	if f, err = open(ClosedFile, false); err != nil {
		return set, err
	} else if f != nil {
		set.Closed, err = ReadClosed(f, filepath.Join(dir, ClosedFile))
		f.Close()
		if err != nil {
			return set, err
		}
	}
	if f, err = open(ResidentsFile, false); err != nil {
		return set, err
	} else if f != nil {
		rs, err := ReadResidents(f, filepath.Join(dir, ResidentsFile))
		f.Close()
		if err != nil {
			return set, err
		}
		p := &problems{file: filepath.Join(dir, ResidentsFile)}
		for i, r := range rs {
			j, ok := idx[r.ProvisionID]
			if !ok {
				p.add(i+2, "PROVISION_ID", "%q is not an ID in %s", r.ProvisionID, ProvisionsFile)
				continue
			}
			set.Provisions[j].Residents = append(set.Provisions[j].Residents, r.Resident)
		}
		if err := p.err(); err != nil {
			return set, err
		}
	}
	return set, nil
}

// ReadClosed reads a list of settings that have closed (ClosedFile): ID,
// KIND, COUNCIL and CLOSED are required; CLOSED may not be before
// REGISTERED.
func ReadClosed(r io.Reader, name string) ([]care.Provision, error) {
	s, err := readSheet(r, name, ClosedColumns, closedRequired)
	if err != nil {
		return nil, err
	}
	p := &problems{file: name}
	var out []care.Provision
	for i := range s.rows {
		line := s.line[i]
		v := care.Provision{ID: s.get(i, "ID"), Kind: care.ProvisionKind(strings.ToLower(s.get(i, "KIND"))),
			Sector: care.Sector(s.get(i, "SECTOR")), Council: s.get(i, "COUNCIL"), Postcode: s.get(i, "POSTCODE")}
		if v.ID == "" {
			p.add(line, "ID", "the setting's URN is blank")
		}
		if !contains(strs(Kinds), string(v.Kind)) {
			p.add(line, "KIND", "%q is not a provision kind: use one of %s", s.get(i, "KIND"), listOf(Kinds))
		}
		if n := s.get(i, "PLACES"); n != "" {
			v.Places, err = strconv.Atoi(n)
			if err != nil || v.Places < 0 {
				p.add(line, "PLACES", "%q is not a number of places", n)
			}
		}
		v.Registered = parseDate(p, line, "REGISTERED", s.get(i, "REGISTERED"))
		v.Closed = parseDate(p, line, "CLOSED", s.get(i, "CLOSED"))
		if v.Closed.IsZero() && s.get(i, "CLOSED") == "" {
			p.add(line, "CLOSED", "the date the setting closed is blank")
		}
		if !v.Registered.IsZero() && !v.Closed.IsZero() && v.Closed.Before(v.Registered) {
			p.add(line, "CLOSED", "closed %s, before it was registered (%s)", ssda903.FormatDate(v.Closed), ssda903.FormatDate(v.Registered))
		}
		out = append(out, v)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}
