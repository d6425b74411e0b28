package supply

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/tabular"
)

func price(p care.Pence) string {
	if p == 0 {
		return ""
	}
	return strconv.FormatInt(int64(p)/100, 10) + "." + strconv.FormatInt(int64(p)%100/10, 10) + strconv.FormatInt(int64(p)%10, 10)
}

func joinList[T ~string](vs []T) string {
	return strings.Join(strs(vs), ";")
}

// WriteProvisions writes provisions in the documented format (residents are
// written separately by WriteResidents).
func WriteProvisions(w io.Writer, ps []care.Provision) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write(ProvisionColumns)
	for _, p := range ps {
		inHouse := "N"
		if p.InHouse {
			inHouse = "Y"
		}
		sib := ""
		if p.SiblingCapacity > 0 {
			sib = strconv.Itoa(p.SiblingCapacity)
		}
		cw.Write([]string{p.ID, string(p.Kind), p.Name, p.Owner, string(p.Sector), p.Council, p.Postcode,
			strconv.Itoa(p.Places), string(p.Rating), strconv.Itoa(p.MinAge), strconv.Itoa(p.MaxAge),
			joinList(p.Sexes), strings.Join(p.Needs, ";"), string(p.Provider), inHouse, sib,
			strings.Join(p.Specialisms, ";"), price(p.WeeklyPrice), ssda903.FormatDate(p.Registered)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteVacancies writes vacancies in the documented format.
func WriteVacancies(w io.Writer, vs []care.Vacancy) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write(VacancyColumns)
	for _, v := range vs {
		upd := ""
		if !v.UpdatedAt.IsZero() {
			upd = v.UpdatedAt.UTC().Format(time.RFC3339)
		}
		cw.Write([]string{v.ID, v.ProvisionID, strconv.Itoa(v.Places), ssda903.FormatDate(v.ValidFrom), upd, price(v.WeeklyPrice)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteResidents writes the residents of every provision.
func WriteResidents(w io.Writer, ps []care.Provision) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write(ResidentColumns)
	for _, p := range ps {
		for _, r := range p.Residents {
			cw.Write([]string{p.ID, strconv.Itoa(r.Age), string(r.Sex), joinList(r.Risks)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteDir writes a supply file set into dir (created if needed).
func WriteDir(dir string, set Set) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return care.WrapError(care.EINVALID, err, "cannot create %s", dir)
	}
	write := func(name string, fn func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return care.WrapError(care.EINVALID, err, "cannot write %s", filepath.Join(dir, name))
		}
		if err := fn(f); err != nil {
			f.Close()
			return care.WrapError(care.EINTERNAL, err, "writing %s", name)
		}
		return f.Close()
	}
	if err := write(ProvisionsFile, func(w io.Writer) error { return WriteProvisions(w, set.Provisions) }); err != nil {
		return err
	}
	if err := write(VacanciesFile, func(w io.Writer) error { return WriteVacancies(w, set.Vacancies) }); err != nil {
		return err
	}
	if err := write(ResidentsFile, func(w io.Writer) error { return WriteResidents(w, set.Provisions) }); err != nil {
		return err
	}
	if len(set.Closed) == 0 {
		return nil
	}
	return write(ClosedFile, func(w io.Writer) error { return WriteClosed(w, set.Closed) })
}

// WriteClosed writes settings that have closed (ClosedColumns).
func WriteClosed(w io.Writer, ps []care.Provision) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write(ClosedColumns)
	for _, p := range ps {
		cw.Write([]string{p.ID, string(p.Kind), string(p.Sector), p.Council, p.Postcode, strconv.Itoa(p.Places),
			ssda903.FormatDate(p.Registered), ssda903.FormatDate(p.Closed)})
	}
	cw.Flush()
	return cw.Error()
}
