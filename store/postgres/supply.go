package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/store"
)

// ReplaceSupply replaces every provision and vacancy; see store.Store.
func (db *DB) ReplaceSupply(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy) error {
	if err := store.CheckSupply(provisions, vacancies); err != nil {
		return err
	}
	return db.write(ctx, "replace supply", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM vacancies; DELETE FROM provision_residents; DELETE FROM provisions`); err != nil {
			return err
		}
		ps := provisions
		if err := copyRows(ctx, tx, "provisions", []string{"id", "kind", "name", "owner", "sector", "council", "postcode", "places", "rating",
			"min_age", "max_age", "sexes", "needs", "provider", "in_house", "sibling_capacity", "specialisms", "weekly_price", "registered"},
			len(ps), func(i int) []any {
				x := &ps[i]
				return []any{x.ID, string(x.Kind), x.Name, x.Owner, string(x.Sector), x.Council, x.Postcode, x.Places, string(x.Rating),
					x.MinAge, x.MaxAge, store.JoinList(x.Sexes), store.JoinList(x.Needs), string(x.Provider), x.InHouse,
					x.SiblingCapacity, store.JoinList(x.Specialisms), int64(x.WeeklyPrice), date(x.Registered)}
			}, nil); err != nil {
			return err
		}
		type resident struct {
			id  string
			seq int
			r   care.Resident
		}
		var rs []resident
		for _, p := range ps {
			for i, r := range p.Residents {
				rs = append(rs, resident{p.ID, i, r})
			}
		}
		if err := copyRows(ctx, tx, "provision_residents", []string{"provision_id", "seq", "age", "sex", "risks"}, len(rs), func(i int) []any {
			return []any{rs[i].id, rs[i].seq, rs[i].r.Age, string(rs[i].r.Sex), store.JoinList(rs[i].r.Risks)}
		}, nil); err != nil {
			return err
		}
		vs := vacancies
		return copyRows(ctx, tx, "vacancies", []string{"id", "provision_id", "places", "valid_from", "updated_at", "weekly_price"}, len(vs), func(i int) []any {
			v := &vs[i]
			var upd any
			if !v.UpdatedAt.IsZero() {
				upd = v.UpdatedAt
			}
			return []any{v.ID, v.ProvisionID, v.Places, date(v.ValidFrom), upd, int64(v.WeeklyPrice)}
		}, nil)
	})
}

// where builds a WHERE clause of "col = ANY($n)" conditions.
type where struct {
	b    strings.Builder
	args []any
}

func (w *where) in(col string, xs []string) {
	if len(xs) == 0 {
		return
	}
	w.args = append(w.args, xs)
	fmt.Fprintf(&w.b, " AND %s = ANY($%d)", col, len(w.args))
}

func (w *where) String() string { return "WHERE true" + w.b.String() }

func strs[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// Provisions returns provisions matching f; see store.Store.
func (db *DB) Provisions(ctx context.Context, f store.ProvisionFilter) ([]care.Provision, error) {
	var out []care.Provision
	err := db.read(ctx, "read provisions", func(tx pgx.Tx) error {
		var w where
		w.in("p.id", f.IDs)
		w.in("p.council", f.Councils)
		w.in("p.kind", strs(f.Kinds))
		rows, err := tx.Query(ctx, `SELECT id, kind, name, owner, sector, council, postcode, places, rating, min_age, max_age,
				sexes, needs, provider, in_house, sibling_capacity, specialisms, weekly_price, registered
			FROM provisions p `+w.String()+` ORDER BY id`, w.args...)
		if err != nil {
			return err
		}
		index := map[string]int{}
		for rows.Next() {
			var p care.Provision
			var kind, sector, rating, sexes, needs, provider, specs string
			var price int64
			var reg *time.Time
			if err := rows.Scan(&p.ID, &kind, &p.Name, &p.Owner, &sector, &p.Council, &p.Postcode, &p.Places, &rating, &p.MinAge, &p.MaxAge,
				&sexes, &needs, &provider, &p.InHouse, &p.SiblingCapacity, &specs, &price, &reg); err != nil {
				rows.Close()
				return err
			}
			p.Kind, p.Sector, p.Rating, p.Provider = care.ProvisionKind(kind), care.Sector(sector), care.Rating(rating), care.ProviderType(provider)
			p.Sexes, p.Needs, p.Specialisms = store.SplitList[care.Sex](sexes), store.SplitList[string](needs), store.SplitList[string](specs)
			p.WeeklyPrice, p.Registered = care.Pence(price), fromDate(reg)
			index[p.ID] = len(out)
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(out) == 0 {
			return err
		}
		rs, err := tx.Query(ctx, `SELECT r.provision_id, r.age, r.sex, r.risks FROM provision_residents r
			JOIN provisions p ON p.id = r.provision_id `+w.String()+` ORDER BY r.provision_id, r.seq`, w.args...)
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
	err := db.read(ctx, "read vacancies", func(tx pgx.Tx) error {
		var w where
		w.in("v.provision_id", f.ProvisionIDs)
		w.in("p.council", f.Councils)
		if !f.AvailableBy.IsZero() {
			w.args = append(w.args, f.AvailableBy)
			fmt.Fprintf(&w.b, " AND (v.valid_from IS NULL OR v.valid_from <= $%d)", len(w.args))
		}
		rows, err := tx.Query(ctx, `SELECT v.id, v.provision_id, v.places, v.valid_from, v.updated_at, v.weekly_price
			FROM vacancies v JOIN provisions p ON p.id = v.provision_id `+w.String()+` ORDER BY v.valid_from NULLS FIRST, v.id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v care.Vacancy
			var from, upd *time.Time
			var price int64
			if err := rows.Scan(&v.ID, &v.ProvisionID, &v.Places, &from, &upd, &price); err != nil {
				return err
			}
			v.ValidFrom = fromDate(from)
			if upd != nil {
				v.UpdatedAt = upd.UTC()
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
