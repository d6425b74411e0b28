package sqlshared

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"sufficiency/care"
	"sufficiency/store"
)

// ProvisionValues are a provision's column values (id, kind, name, owner,
// sector, council, postcode, places, rating, min_age, max_age, sexes, needs,
// provider, in_house, sibling_capacity, specialisms, weekly_price,
// registered).
func ProvisionValues(x *care.Provision, c Codec) []any {
	return []any{x.ID, string(x.Kind), x.Name, x.Owner, string(x.Sector), x.Council, x.Postcode, x.Places, string(x.Rating),
		x.MinAge, x.MaxAge, store.JoinList(x.Sexes), store.JoinList(x.Needs), string(x.Provider), c.EncodeBool(x.InHouse),
		x.SiblingCapacity, store.JoinList(x.Specialisms), int64(x.WeeklyPrice), c.EncodeDate(x.Registered)}
}

// ResidentValues are a resident's column values (provision_id, seq, age,
// sex, risks).
func ResidentValues(provision string, seq int, r care.Resident) []any {
	return []any{provision, seq, r.Age, string(r.Sex), store.JoinList(r.Risks)}
}

// VacancyValues are a vacancy's column values (id, provision_id, places,
// valid_from, updated_at, weekly_price).
func VacancyValues(x *care.Vacancy, c Codec) []any {
	return []any{x.ID, x.ProvisionID, x.Places, c.EncodeDate(x.ValidFrom), c.EncodeInstant(x.UpdatedAt), int64(x.WeeklyPrice)}
}

// ScanProvision scans a provision (the columns of ProvisionValues; the
// registered date as the codec reads it, in_house as a boolean).
func ScanProvision(row Row, c Codec) (care.Provision, error) {
	var p care.Provision
	var kind, sector, rating, sexes, needs, provider, specs string
	var price int64
	reg := c.Date()
	if err := row.Scan(&p.ID, &kind, &p.Name, &p.Owner, &sector, &p.Council, &p.Postcode, &p.Places, &rating, &p.MinAge, &p.MaxAge,
		&sexes, &needs, &provider, &p.InHouse, &p.SiblingCapacity, &specs, &price, reg.Dest()); err != nil {
		return p, err
	}
	p.Kind, p.Sector, p.Rating, p.Provider = care.ProvisionKind(kind), care.Sector(sector), care.Rating(rating), care.ProviderType(provider)
	p.Sexes, p.Needs, p.Specialisms = store.SplitList[care.Sex](sexes), store.SplitList[string](needs), store.SplitList[string](specs)
	p.WeeklyPrice = care.Pence(price)
	var err error
	p.Registered, err = reg.Value()
	return p, err
}

// ReadResidents reads residents (provision_id, age, sex, risks), in order,
// onto their provisions.
func ReadResidents(rows Rows, provisions []care.Provision) error {
	index := make(map[string]int, len(provisions))
	for i, p := range provisions {
		index[p.ID] = i
	}
	for rows.Next() {
		var id, sex, risks string
		var res care.Resident
		if err := rows.Scan(&id, &res.Age, &sex, &risks); err != nil {
			return err
		}
		res.Sex, res.Risks = care.Sex(sex), store.SplitList[care.Risk](risks)
		if i, ok := index[id]; ok {
			provisions[i].Residents = append(provisions[i].Residents, res)
		}
	}
	return rows.Err()
}

// ScanVacancy scans a vacancy (the columns of VacancyValues, as the codec
// reads them).
func ScanVacancy(row Row, c Codec) (care.Vacancy, error) {
	var v care.Vacancy
	var price int64
	from, upd := c.Date(), c.Instant()
	if err := row.Scan(&v.ID, &v.ProvisionID, &v.Places, from.Dest(), upd.Dest(), &price); err != nil {
		return v, err
	}
	v.WeeklyPrice = care.Pence(price)
	var err error
	if v.ValidFrom, err = from.Value(); err != nil {
		return v, err
	}
	v.UpdatedAt, err = upd.Value()
	return v, err
}

// ClearSupply deletes every provision, its residents and its vacancies, for
// ReplaceSupply to write the new supply (each store in bulk its own way).
func ClearSupply(ctx context.Context, tx Tx) error {
	for _, q := range []string{`DELETE FROM vacancies`, `DELETE FROM provision_residents`, `DELETE FROM provisions`} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// inList is the condition that column col is one of the values in
// parameter p, the list bound as one parameter (ListArg): PostgreSQL's =
// ANY of a text array, SQLite's IN over json_each of a JSON array.
func inList(d Dialect, col, p string) string {
	if d == Postgres {
		return col + ` = ANY(` + p + `::text[])`
	}
	return col + ` IN (SELECT value FROM json_each(` + p + `))`
}

// ListArg is a list of strings as inList binds it.
func ListArg(d Dialect, xs []string) any {
	if d == Postgres {
		return xs
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// vacancyOrder orders vacancies by valid-from, none first, then id.
func vacancyOrder(d Dialect) string {
	if d == Postgres {
		return `v.valid_from NULLS FIRST, v.id`
	}
	return `COALESCE(v.valid_from, ''), v.id`
}

// Vacancies reads the vacancies f selects, by valid-from (none first) then id.
func Vacancies(ctx context.Context, tx Tx, f store.VacancyFilter) ([]care.Vacancy, error) {
	d := tx.Dialect()
	where := NewWhere("WHERE 1=1", Dollar) // Each rewrites $n for the dialect
	if len(f.ProvisionIDs) > 0 {
		where.Add(inList(d, "v.provision_id", "%s"), ListArg(d, f.ProvisionIDs))
	}
	if len(f.Councils) > 0 {
		where.Add(inList(d, "p.council", "%s"), ListArg(d, f.Councils))
	}
	if !f.AvailableBy.IsZero() {
		where.Add("(v.valid_from IS NULL OR v.valid_from <= %s)", d.Codec().EncodeDate(f.AvailableBy))
	}
	var out []care.Vacancy
	err := tx.Each(ctx, `SELECT `+vacancyColumns(d)+`
		FROM vacancies v JOIN provisions p ON p.id = v.provision_id `+where.String()+` ORDER BY `+vacancyOrder(d), where.Args, func(r Row) error {
		v, err := ScanVacancy(r, d.Codec())
		out = append(out, v)
		return err
	})
	return out, err
}

// ClosedColumns are the columns of a closed setting (closed_settings), in
// the order of ClosedValues and ScanClosed.
var ClosedColumns = []string{"id", "kind", "sector", "council", "postcode", "places", "registered", "closed"}

// ClosedValues are a closed setting's column values (ClosedColumns).
func ClosedValues(x *care.Provision, c Codec) []any {
	return []any{x.ID, string(x.Kind), string(x.Sector), x.Council, x.Postcode, x.Places, c.EncodeDate(x.Registered), c.EncodeDate(x.Closed)}
}

// ScanClosed scans a closed setting (ClosedColumns, dates as the codec
// reads them).
func ScanClosed(row Row, c Codec) (care.Provision, error) {
	var p care.Provision
	var kind, sector string
	reg, closed := c.Date(), c.Date()
	if err := row.Scan(&p.ID, &kind, &sector, &p.Council, &p.Postcode, &p.Places, reg.Dest(), closed.Dest()); err != nil {
		return p, err
	}
	p.Kind, p.Sector = care.ProvisionKind(kind), care.Sector(sector)
	var err error
	if p.Registered, err = reg.Value(); err != nil {
		return p, err
	}
	p.Closed, err = closed.Value()
	return p, err
}

// ReplaceClosed deletes every closed setting and writes closed (checked by
// store.CheckClosed), in rows of up to 100 a statement.
func ReplaceClosed(ctx context.Context, tx Tx, closed []care.Provision) error {
	if _, err := tx.Exec(ctx, `DELETE FROM closed_settings`); err != nil {
		return err
	}
	c := tx.Dialect().Codec()
	for len(closed) > 0 {
		n := min(len(closed), 100)
		var q strings.Builder
		q.WriteString(`INSERT INTO closed_settings (` + strings.Join(ClosedColumns, ", ") + `) VALUES `)
		args := make([]any, 0, n*len(ClosedColumns))
		for i := range closed[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for j := range ClosedColumns {
				if j > 0 {
					q.WriteString(", ")
				}
				q.WriteString("$" + strconv.Itoa(len(args)+j+1))
			}
			q.WriteByte(')')
			args = append(args, ClosedValues(&closed[i], c)...)
		}
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return err
		}
		closed = closed[n:]
	}
	return nil
}

// ClosedSettings reads every closed setting, ordered by id.
func ClosedSettings(ctx context.Context, tx Tx) ([]care.Provision, error) {
	d := tx.Dialect()
	cols := strings.Join(ClosedColumns, ", ")
	if d != Postgres {
		cols = strings.Replace(cols, "registered", "COALESCE(registered, '')", 1)
	}
	var out []care.Provision
	err := tx.Each(ctx, `SELECT `+cols+` FROM closed_settings ORDER BY id`, nil, func(r Row) error {
		p, err := ScanClosed(r, d.Codec())
		out = append(out, p)
		return err
	})
	return out, err
}
