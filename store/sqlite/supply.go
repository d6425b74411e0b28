package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// ReplaceSupply replaces every provision and vacancy; see store.Store.
func (db *DB) ReplaceSupply(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy) error {
	if err := store.CheckSupply(provisions, vacancies); err != nil {
		return err
	}
	return db.write(ctx, "replace supply", func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM vacancies`, `DELETE FROM provision_residents`, `DELETE FROM provisions`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		p := newBulk(ctx, tx, "provisions", []string{"id", "kind", "name", "owner", "sector", "council", "postcode", "places", "rating",
			"min_age", "max_age", "sexes", "needs", "provider", "in_house", "sibling_capacity", "specialisms", "weekly_price", "registered"}, nil)
		r := newBulk(ctx, tx, "provision_residents", []string{"provision_id", "seq", "age", "sex", "risks"}, nil)
		for _, x := range provisions {
			if err := p.add(x.ID, string(x.Kind), x.Name, x.Owner, string(x.Sector), x.Council, x.Postcode, x.Places, string(x.Rating),
				x.MinAge, x.MaxAge, store.JoinList(x.Sexes), store.JoinList(x.Needs), string(x.Provider), boolInt(x.InHouse),
				x.SiblingCapacity, store.JoinList(x.Specialisms), int64(x.WeeklyPrice), nullDate(x.Registered)); err != nil {
				return err
			}
		}
		if err := p.close(); err != nil {
			return err
		}
		for _, x := range provisions {
			for i, res := range x.Residents {
				if err := r.add(x.ID, i, res.Age, string(res.Sex), store.JoinList(res.Risks)); err != nil {
					return err
				}
			}
		}
		if err := r.close(); err != nil {
			return err
		}
		v := newBulk(ctx, tx, "vacancies", []string{"id", "provision_id", "places", "valid_from", "updated_at", "weekly_price"}, nil)
		for _, x := range vacancies {
			if err := v.add(x.ID, x.ProvisionID, x.Places, nullDate(x.ValidFrom), nullTime(x.UpdatedAt), int64(x.WeeklyPrice)); err != nil {
				return err
			}
		}
		return v.close()
	})
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.TimeString(t)
}

// inList appends "AND col IN (?, ...)" for a non-empty list.
func inList[S ~string](where *strings.Builder, args *[]any, col string, xs []S) {
	if len(xs) == 0 {
		return
	}
	where.WriteString(" AND " + col + " IN (")
	for i, x := range xs {
		if i > 0 {
			where.WriteByte(',')
		}
		where.WriteByte('?')
		*args = append(*args, string(x))
	}
	where.WriteByte(')')
}

// Provisions returns provisions matching f; see store.Store.
func (db *DB) Provisions(ctx context.Context, f store.ProvisionFilter) ([]care.Provision, error) {
	var out []care.Provision
	err := db.read(ctx, "read provisions", func(tx *sql.Tx) error {
		var where strings.Builder
		var args []any
		where.WriteString("WHERE 1=1")
		inList(&where, &args, "id", f.IDs)
		inList(&where, &args, "council", f.Councils)
		inList(&where, &args, "kind", f.Kinds)
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, name, owner, sector, council, postcode, places, rating, min_age, max_age,
				sexes, needs, provider, in_house, sibling_capacity, specialisms, weekly_price, COALESCE(registered, '')
			FROM provisions `+where.String()+` ORDER BY id`, args...)
		if err != nil {
			return err
		}
		index := map[string]int{}
		for rows.Next() {
			var p care.Provision
			var kind, sector, rating, sexes, needs, provider, specs, reg string
			var inHouse int
			var price int64
			if err := rows.Scan(&p.ID, &kind, &p.Name, &p.Owner, &sector, &p.Council, &p.Postcode, &p.Places, &rating, &p.MinAge, &p.MaxAge,
				&sexes, &needs, &provider, &inHouse, &p.SiblingCapacity, &specs, &price, &reg); err != nil {
				rows.Close()
				return err
			}
			p.Kind, p.Sector, p.Rating, p.Provider = care.ProvisionKind(kind), care.Sector(sector), care.Rating(rating), care.ProviderType(provider)
			p.Sexes, p.Needs, p.Specialisms = store.SplitList[care.Sex](sexes), store.SplitList[string](needs), store.SplitList[string](specs)
			p.InHouse, p.WeeklyPrice = inHouse == 1, care.Pence(price)
			if p.Registered, err = store.ParseDateString(reg); err != nil {
				rows.Close()
				return err
			}
			index[p.ID] = len(out)
			out = append(out, p)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		rs, err := tx.QueryContext(ctx, `SELECT r.provision_id, r.age, r.sex, r.risks FROM provision_residents r
			JOIN provisions p ON p.id = r.provision_id `+where.String()+` ORDER BY r.provision_id, r.seq`, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id, sex, risks string
			var res care.Resident
			if err := rs.Scan(&id, &res.Age, &sex, &risks); err != nil {
				return err
			}
			res.Sex, res.Risks = care.Sex(sex), store.SplitList[care.Risk](risks)
			if i, ok := index[id]; ok {
				out[i].Residents = append(out[i].Residents, res)
			}
		}
		return rs.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Vacancies returns vacancies matching f; see store.Store.
func (db *DB) Vacancies(ctx context.Context, f store.VacancyFilter) ([]care.Vacancy, error) {
	var out []care.Vacancy
	err := db.read(ctx, "read vacancies", func(tx *sql.Tx) error {
		var where strings.Builder
		var args []any
		where.WriteString("WHERE 1=1")
		inList(&where, &args, "v.provision_id", f.ProvisionIDs)
		inList(&where, &args, "p.council", f.Councils)
		if !f.AvailableBy.IsZero() {
			where.WriteString(" AND (v.valid_from IS NULL OR v.valid_from <= ?)")
			args = append(args, store.DateString(f.AvailableBy))
		}
		rows, err := tx.QueryContext(ctx, `SELECT v.id, v.provision_id, v.places, COALESCE(v.valid_from, ''), COALESCE(v.updated_at, ''), v.weekly_price
			FROM vacancies v JOIN provisions p ON p.id = v.provision_id `+where.String()+` ORDER BY COALESCE(v.valid_from, ''), v.id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v care.Vacancy
			var from, upd string
			var price int64
			if err := rows.Scan(&v.ID, &v.ProvisionID, &v.Places, &from, &upd, &price); err != nil {
				return err
			}
			if v.ValidFrom, err = store.ParseDateString(from); err != nil {
				return err
			}
			if v.UpdatedAt, err = store.ParseTimeString(upd); err != nil {
				return err
			}
			v.WeeklyPrice = care.Pence(price)
			out = append(out, v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
