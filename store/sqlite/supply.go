package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// ReplaceSupply replaces every provision and vacancy; see store.Store.
func (db *DB) ReplaceSupply(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy) error {
	if err := store.CheckSupply(provisions, vacancies); err != nil {
		return err
	}
	return db.write(ctx, "replace supply", func(tx *sql.Tx) error {
		if err := sqlshared.ClearSupply(ctx, sqlTx{tx}); err != nil {
			return err
		}
		p := newBulk(ctx, tx, "provisions", []string{"id", "kind", "name", "owner", "sector", "council", "postcode", "places", "rating",
			"min_age", "max_age", "sexes", "needs", "provider", "in_house", "sibling_capacity", "specialisms", "weekly_price", "registered"}, nil)
		r := newBulk(ctx, tx, "provision_residents", []string{"provision_id", "seq", "age", "sex", "risks"}, nil)
		for _, x := range provisions {
			if err := p.add(sqlshared.ProvisionValues(&x, sqlshared.Text)...); err != nil {
				return err
			}
		}
		if err := p.close(); err != nil {
			return err
		}
		for _, x := range provisions {
			for i, res := range x.Residents {
				if err := r.add(sqlshared.ResidentValues(x.ID, i, res)...); err != nil {
					return err
				}
			}
		}
		if err := r.close(); err != nil {
			return err
		}
		v := newBulk(ctx, tx, "vacancies", []string{"id", "provision_id", "places", "valid_from", "updated_at", "weekly_price"}, nil)
		for _, x := range vacancies {
			if err := v.add(sqlshared.VacancyValues(&x, sqlshared.Text)...); err != nil {
				return err
			}
		}
		return v.close()
	})
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
	// On a raw reader (readraw.go): England's supply is some 45,000 rows.
	err := db.rawRead(ctx, "read provisions", func(c *rawConn) error {
		var where strings.Builder
		var args []any
		where.WriteString("WHERE 1=1")
		inList(&where, &args, "id", f.IDs)
		inList(&where, &args, "council", f.Councils)
		inList(&where, &args, "kind", f.Kinds)
		if err := c.queryRows(`SELECT id, kind, name, owner, sector, council, postcode, places, rating, min_age, max_age,
				sexes, needs, provider, in_house, sibling_capacity, specialisms, weekly_price, COALESCE(registered, '')
			FROM provisions `+where.String()+` ORDER BY id`, args, func(rows sqlshared.Rows) (err error) {
			out, err = sqlshared.ReadAll(rows, func(r sqlshared.Row) (care.Provision, error) { return sqlshared.ScanProvision(r, sqlshared.Text) })
			return err
		}); err != nil || len(out) == 0 {
			return err
		}
		return c.queryRows(sqlshared.ResidentsOf+where.String()+sqlshared.ResidentsOrder, args,
			func(rows sqlshared.Rows) error { return sqlshared.ReadResidents(rows, out) })
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Vacancies returns vacancies matching f; see store.Store.
func (db *DB) Vacancies(ctx context.Context, f store.VacancyFilter) (out []care.Vacancy, err error) {
	err = db.read(ctx, "read vacancies", func(tx *sql.Tx) error {
		out, err = sqlshared.Vacancies(ctx, sqlTx{tx}, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
