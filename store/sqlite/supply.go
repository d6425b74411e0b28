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
	return db.replaceSupply(ctx, provisions, vacancies, nil, false)
}

// ReplaceSupplyWithClosed replaces every provision, vacancy and closed
// setting in one transaction; see store.Store.
func (db *DB) ReplaceSupplyWithClosed(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy, closed []care.Provision) error {
	return db.replaceSupply(ctx, provisions, vacancies, closed, true)
}

// ClosedSettings returns the settings that have closed; see store.Store.
func (db *DB) ClosedSettings(ctx context.Context) (out []care.Provision, err error) {
	err = db.read(ctx, "read closed settings", func(tx *sql.Tx) error {
		out, err = sqlshared.ClosedSettings(ctx, sqlTx{tx})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// replaceSupply writes provisions and vacancies and, withClosed, the
// closed settings, in one transaction.
func (db *DB) replaceSupply(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy, closed []care.Provision, withClosed bool) error {
	if err := store.CheckSupply(provisions, vacancies); err != nil {
		return err
	}
	if err := store.CheckClosed(provisions, closed); err != nil {
		return err
	}
	return db.write(ctx, "replace supply", func(tx *sql.Tx) error {
		if err := sqlshared.ClearSupply(ctx, sqlTx{tx}); err != nil {
			return err
		}
		if withClosed {
			if err := sqlshared.ReplaceClosed(ctx, sqlTx{tx}, closed); err != nil {
				return err
			}
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
		var err error
		if out, err = rawProvisions(c, `SELECT id, kind, name, owner, sector, council, postcode, places, rating, min_age, max_age,
				sexes, needs, provider, in_house, sibling_capacity, specialisms, weekly_price, COALESCE(registered, '')
			FROM provisions `+where.String()+` ORDER BY id`, args); err != nil || len(out) == 0 {
			return err
		}
		return rawResidents(c, sqlshared.ResidentsOf+where.String()+sqlshared.ResidentsOrder, args, out)
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

// rawProvisions reads the provisions query selects (the columns of
// sqlshared.ProvisionValues, registered never NULL), as
// sqlshared.ScanProvision does, on the C API: the columns of a few values
// (kind, sector, council, rating, provider, the lists) interned, the others
// (id, name, owner, postcode) copied, without a map lookup each.
func rawProvisions(c *rawConn, query string, args []any) ([]care.Provision, error) {
	var col sqlshared.Collector[care.Provision]
	in := interner{}
	var owner recent
	err := c.query(query, args, func(s *rawStmt) error {
		if err := s.notNull(19); err != nil {
			return err
		}
		var p care.Provision
		p.ID, p.Kind, p.Name = string(s.columnBytes(0)), care.ProvisionKind(in.text(s, 1)), string(s.columnBytes(2))
		p.Owner, p.Sector, p.Council, p.Postcode = owner.text(s, 3), care.Sector(in.text(s, 4)), in.text(s, 5), string(s.columnBytes(6))
		p.Places, p.Rating, p.MinAge, p.MaxAge = int(s.columnInt64(7)), care.Rating(in.text(s, 8)), int(s.columnInt64(9)), int(s.columnInt64(10))
		p.Sexes, p.Needs = store.SplitList[care.Sex](in.text(s, 11)), store.SplitList[string](in.text(s, 12))
		p.Provider, p.InHouse, p.SiblingCapacity = care.ProviderType(in.text(s, 13)), s.columnInt64(14) != 0, int(s.columnInt64(15))
		p.Specialisms, p.WeeklyPrice = store.SplitList[string](in.text(s, 16)), care.Pence(s.columnInt64(17))
		var err error
		p.Registered, err = s.columnDate(18)
		col.Add(p)
		return err
	})
	return col.Slice(), err
}

// rawResidents reads the residents query selects (provision_id, age, sex,
// risks, in order) onto their provisions, as sqlshared.ReadResidents does.
func rawResidents(c *rawConn, query string, args []any, provisions []care.Provision) error {
	index := make(map[string]int, len(provisions))
	for i := range provisions {
		index[provisions[i].ID] = i
	}
	in := interner{}
	var id recent
	at, ok := -1, false
	return c.query(query, args, func(s *rawStmt) error {
		if err := s.notNull(4); err != nil {
			return err
		}
		if b := s.columnBytes(0); at < 0 || string(b) != string(id) {
			id = recent(b)
			at, ok = index[string(id)]
			if !ok {
				at = len(provisions) // not among provisions: left out
			}
		}
		if !ok {
			return nil
		}
		res := care.Resident{Age: int(s.columnInt64(1)), Sex: care.Sex(in.text(s, 2)), Risks: store.SplitList[care.Risk](in.text(s, 3))}
		provisions[at].Residents = append(provisions[at].Residents, res)
		return nil
	})
}
