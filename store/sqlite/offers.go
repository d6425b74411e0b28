package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

var _ workflow.Store = (*DB)(nil)

// actionOfferPrefix starts the audit actions of the offers workflow.
const actionOfferPrefix = workflow.ActionOfferPrefix

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// SendReferral records a pseudonymised referral and its shortlist; see workflow.Store.
func (db *DB) SendReferral(ctx context.Context, r workflow.SentReferral, groupSize int, list []workflow.Entry, actor string) (workflow.Sent, error) {
	data, err := workflow.CheckReferral(r, groupSize, list)
	if err != nil {
		return workflow.Sent{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var start any
	if r.StartDate != "" {
		start = r.StartDate
	}
	var out workflow.Sent
	err = db.write(ctx, "send referral "+r.Reference, func(tx *sql.Tx) error {
		if err := workflow.Send(db.offerTx(ctx, tx, actor), r, groupSize, list, start, data); err != nil {
			return err
		}
		sent, err := loadSent(ctx, tx, workflow.Filter{Reference: r.Reference})
		if err != nil {
			return err
		}
		out = sent[0]
		return nil
	})
	return out, err
}

// offerTx is the offers workflow's steps (workflow.AcceptTx) in one
// transaction, by actor at nowT (now as stored).
type offerTx struct {
	ctx   context.Context
	tx    *sql.Tx
	nowT  time.Time
	now   string
	actor string
}

var (
	_ workflow.AcceptTx = (*offerTx)(nil)
	_ workflow.SendTx   = (*offerTx)(nil)
)

// AddReferral stores an open referral.
func (t *offerTx) AddReferral(r workflow.SentReferral, group int, start any, data []byte) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO referrals (reference, council, status, group_size, start_date, sent, sent_at, sent_by, updated_at, updated_by)
		VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`, r.Reference, r.Council, group, start, string(data), t.now, t.actor, t.now, t.actor); err != nil {
		if isUnique(err) {
			return workflow.ErrReferenceUsed(r.Reference)
		}
		return err
	}
	return nil
}

// AddOffer stores a pending offer at rank.
func (t *offerTx) AddOffer(ref string, e workflow.Entry, rank int) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO offers (referral, provision_id, vacancy_id, rank, name, provider, kind, provision_council,
			miles, score, weekly_price, status, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`, ref, e.ProvisionID, e.VacancyID, rank, e.Name, e.Provider,
		e.Kind, e.Council, e.Miles, e.Score, int64(e.WeeklyPrice), t.now, t.actor); err != nil {
		if isUnique(err) {
			return workflow.ErrRankTwice(ref, rank)
		}
		return err
	}
	return nil
}

// offerTx starts the workflow's steps in tx by actor, now.
func (db *DB) offerTx(ctx context.Context, tx *sql.Tx, actor string) *offerTx {
	now := db.now()
	return &offerTx{ctx: ctx, tx: tx, nowT: now, now: store.TimeString(now), actor: actor}
}

// Event appends an offer event.
func (t *offerTx) Event(ref, provision, action, from, to string, reason workflow.Reason, note string) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO offer_events (referral, provision_id, at, actor, action, from_status, to_status, reason, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ref, provision, t.now, t.actor, action, from, to, string(reason), note)
	return err
}

// Audit appends an audit entry.
func (t *offerTx) Audit(action, council, detail string) error {
	return appendAudit(t.ctx, t.tx, t.nowT, t.actor, action, council, detail)
}

// Referral reads a referral's status, council, places needed and start
// date. ENOTFOUND when there is no such referral.
func (t *offerTx) Referral(ref string) (status workflow.ReferralStatus, council string, group int, start string, err error) {
	var st string
	err = t.tx.QueryRowContext(t.ctx, `SELECT status, council, group_size, COALESCE(start_date, '') FROM referrals WHERE reference = ?`, ref).
		Scan(&st, &council, &group, &start)
	if errors.Is(err, sql.ErrNoRows) {
		err = workflow.ErrNoReferral(ref)
	}
	return workflow.ReferralStatus(st), council, group, start, err
}

// Offer reads one offer's status and shortlisted vacancy. ENOTFOUND,
// listing the shortlist, when the provision was not sent the referral.
func (t *offerTx) Offer(ref, provision string) (workflow.Status, string, error) {
	var st, vac string
	err := t.tx.QueryRowContext(t.ctx, `SELECT status, vacancy_id FROM offers WHERE referral = ? AND provision_id = ?`, ref, provision).Scan(&st, &vac)
	if errors.Is(err, sql.ErrNoRows) {
		var ids []string
		rows, err := t.tx.QueryContext(t.ctx, `SELECT provision_id FROM offers WHERE referral = ? ORDER BY rank`, ref)
		if err := readRows(rows, err, func(rows sqlshared.Rows) (err error) {
			ids, err = sqlshared.ReadAll(rows, sqlshared.String)
			return err
		}); err != nil {
			return "", "", err
		}
		return "", "", workflow.ErrNotShortlisted(ref, provision, ids)
	}
	return workflow.Status(st), vac, err
}

// SetOffer moves one offer from one status to another with a conditional
// update, so a change made meanwhile is never overwritten.
func (t *offerTx) SetOffer(ref, provision string, from, to workflow.Status, a *workflow.Answer) error {
	q := `UPDATE offers SET status = ?, updated_at = ?, updated_by = ?`
	args := []any{string(to), t.now, t.actor}
	if a != nil {
		q += `, reason = ?, note = ?, offered_price = ?, responded_at = ?, conditions = ?`
		args = append(args, string(a.Reason), a.Note, int64(a.Price), t.now, a.Conditions)
	}
	res, err := t.tx.ExecContext(t.ctx, q+` WHERE referral = ? AND provision_id = ? AND status = ?`, append(args, ref, provision, string(from))...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return workflow.ErrOfferChanged(ref, provision)
	}
	return nil
}

// OpenOffers lists the referral's pending, offered and accepted offers.
func (t *offerTx) OpenOffers(ref string) ([]workflow.OpenOffer, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT provision_id, status FROM offers WHERE referral = ? AND status IN ('pending', 'offered', 'accepted') ORDER BY rank`, ref)
	var open []workflow.OpenOffer
	err = readRows(rows, err, func(rows sqlshared.Rows) (err error) {
		open, err = sqlshared.ReadAll(rows, sqlshared.ScanOpenOffer)
		return err
	})
	return open, err
}

// SetReferral moves a referral from one status to another with a note.
func (t *offerTx) SetReferral(ref string, from, to workflow.ReferralStatus, note string) error {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE referrals SET status = ?, note = ?, updated_at = ?, updated_by = ? WHERE reference = ? AND status = ?`,
		string(to), note, t.now, t.actor, ref, string(from))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return workflow.ErrReferralChanged(ref)
	}
	return nil
}

// AcceptedWith is the provision whose offer was accepted ("" when none).
func (t *offerTx) AcceptedWith(ref string) (string, error) {
	var with string
	t.tx.QueryRowContext(t.ctx, `SELECT provision_id FROM offers WHERE referral = ? AND status = 'accepted'`, ref).Scan(&with)
	return with, nil
}

// TakePlaces takes the places: the shortlisted vacancy first, else another
// of the provision's vacancies free by the start date. The WHERE on places
// is the guard: it fails when another council got there first.
func (t *offerTx) TakePlaces(provision string, group int, start, shortlisted string) (workflow.Taken, error) {
	var taken workflow.Taken
	var validFrom sql.NullString
	err := t.tx.QueryRowContext(t.ctx, `UPDATE vacancies SET places = places - ?1
		WHERE id = (SELECT id FROM vacancies WHERE provision_id = ?2 AND places >= ?1
		            AND (?3 = '' OR valid_from IS NULL OR valid_from <= ?3)
		            ORDER BY id <> ?4, COALESCE(valid_from, ''), id LIMIT 1)
		  AND places >= ?1
		RETURNING id, places, valid_from, weekly_price`, group, provision, start, shortlisted).Scan(&taken.VacancyID, &taken.Left, &validFrom, &taken.Price)
	if errors.Is(err, sql.ErrNoRows) {
		return taken, workflow.ErrNoVacancy(provision, group, start)
	}
	if err != nil {
		return taken, err
	}
	taken.ValidFrom = validFrom
	if taken.Left == 0 {
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM vacancies WHERE id = ? AND places = 0`, taken.VacancyID); err != nil {
			return taken, err
		}
	}
	return taken, nil
}

// PlaceReferral moves the referral from one status to another.
func (t *offerTx) PlaceReferral(ref string, from, to workflow.ReferralStatus) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE referrals SET status = ?, updated_at = ?, updated_by = ? WHERE reference = ? AND status = ?`,
		string(to), t.now, t.actor, ref, string(from))
	return err
}

// Reserve records the reservation of the places taken.
func (t *offerTx) Reserve(ref, provision string, group int, taken workflow.Taken) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO reservations (referral, provision_id, vacancy_id, places, places_left, valid_from, weekly_price, reserved_at, reserved_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ref, provision, taken.VacancyID, group, taken.Left, taken.ValidFrom, taken.Price, t.now, t.actor); err != nil {
		if isUnique(err) {
			return workflow.ErrHasReservation(ref)
		}
		return err
	}
	return nil
}

// Respond records a provider's offer or decline; see workflow.Store.
func (db *DB) Respond(ctx context.Context, c workflow.Change) (workflow.Offer, error) {
	if err := c.Check(); err != nil {
		return workflow.Offer{}, err
	}
	actor := sqlshared.OfferActor(ctx, c.Actor)
	var out workflow.Offer
	err := db.write(ctx, string(c.Action)+" referral "+c.Referral, func(tx *sql.Tx) error {
		if err := workflow.Respond(db.offerTx(ctx, tx, actor), c); err != nil {
			return err
		}
		var err error
		out, err = loadOffer(ctx, tx, c.Referral, c.ProvisionID)
		return err
	})
	return out, err
}

// Accept accepts an offer and reserves its place atomically; see workflow.Store.
//
// The reservation is a conditional UPDATE of the vacancy (places >= needed)
// inside the IMMEDIATE transaction that also marks the offer accepted, so of
// two councils accepting the last place at once, from any number of
// connections or processes, exactly one succeeds and the other gets
// ECONFLICT. A vacancy left with no place is deleted (a vacancy has at least
// one place; match refuses empty ones), its details kept on the reservation.
func (db *DB) Accept(ctx context.Context, ref, provision, actor string) (workflow.Reservation, error) {
	if err := workflow.CheckAccept(ref, provision); err != nil {
		return workflow.Reservation{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out workflow.Reservation
	err := db.write(ctx, "accept offer for referral "+ref, func(tx *sql.Tx) error {
		t := db.offerTx(ctx, tx, actor)
		var err error
		if out, err = workflow.Accept(t, ref, provision); err != nil {
			return err
		}
		out.At, out.By = t.nowT, actor
		return nil
	})
	return out, err
}

// Cancel cancels a referral and releases its place; see workflow.Store.
func (db *DB) Cancel(ctx context.Context, ref, note, actor string) error {
	if err := workflow.CheckCancel(ref); err != nil {
		return err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	return db.write(ctx, "cancel referral "+ref, func(tx *sql.Tx) error {
		return workflow.Cancel(db.offerTx(ctx, tx, actor), ref, note)
	})
}

// Release gives a held reservation's places back to its vacancy,
// re-creating the vacancy if it was used up and its provision is still in
// the supply.
func (t *offerTx) Release(ref, council string) error {
	ctx, tx, now, actor := t.ctx, t.tx, t.now, t.actor
	var prov, vac string
	var places int
	var validFrom sql.NullString
	var price int64
	err := tx.QueryRowContext(ctx, `SELECT provision_id, vacancy_id, places, valid_from, weekly_price FROM reservations
		WHERE referral = ? AND released_at IS NULL`, ref).Scan(&prov, &vac, &places, &validFrom, &price)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE vacancies SET places = places + ?, updated_at = ? WHERE id = ? AND provision_id = ?`, places, now, vac, prov)
	if err != nil {
		return err
	}
	detail := workflow.ReleasedBack(ref, vac, prov, places)
	if n, _ := res.RowsAffected(); n == 0 {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM provisions WHERE id = ?`, prov).Scan(&exists); err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vacancies WHERE id = ?`, vac).Scan(&taken); err != nil {
			return err
		}
		switch {
		case exists == 0:
			detail = workflow.ReleasedGone(ref, prov)
		case taken > 0:
			// The id now names another provision's vacancy (supply replaced): add a fresh one.
			vac = workflow.ReleasedVacancyID(vac, ref)
			fallthrough
		default:
			if _, err := tx.ExecContext(ctx, `INSERT INTO vacancies (id, provision_id, places, valid_from, updated_at, weekly_price) VALUES (?, ?, ?, ?, ?, ?)`,
				vac, prov, places, validFrom, now, price); err != nil {
				return err
			}
			detail = workflow.ReleasedRestored(ref, vac, prov, places)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reservations SET released_at = ?, released_by = ? WHERE referral = ?`, now, actor, ref); err != nil {
		return err
	}
	if err := t.Event(ref, prov, "release", "reserved", "released", "", ""); err != nil {
		return err
	}
	return t.Audit(actionOfferPrefix+"release", council, detail)
}

// Referrals returns sent referrals with their offers; see workflow.Store.
func (db *DB) Referrals(ctx context.Context, f workflow.Filter) ([]workflow.Sent, error) {
	var out []workflow.Sent
	err := db.read(ctx, "read referrals", func(tx *sql.Tx) error {
		var err error
		out, err = loadSent(ctx, tx, f)
		return err
	})
	return out, err
}

// loadSent reads the referrals matching f with their offers, reservation and events.
func loadSent(ctx context.Context, tx *sql.Tx, f workflow.Filter) ([]workflow.Sent, error) {
	where := sqlshared.ReferralWhere(f, "WHERE 1=1", sqlshared.Question)
	args := where.Args
	rows, err := tx.QueryContext(ctx, `SELECT r.reference, r.status, r.group_size, r.sent, r.sent_at, r.sent_by, r.updated_at, r.updated_by, r.note
		FROM referrals r `+where.String()+` ORDER BY r.sent_at, r.reference`, args...)
	if err != nil {
		return nil, err
	}
	var sent sqlshared.Referrals
	for rows.Next() {
		var s workflow.Sent
		var ref, st, data, sentAt, updAt string
		if err := rows.Scan(&ref, &st, &s.GroupSize, &data, &sentAt, &s.SentBy, &updAt, &s.UpdatedBy, &s.Note); err != nil {
			rows.Close()
			return nil, err
		}
		if err := sqlshared.Sent(ref, st, data, &s); err != nil {
			rows.Close()
			return nil, err
		}
		if s.SentAt, err = store.ParseTimeString(sentAt); err != nil {
			rows.Close()
			return nil, err
		}
		if s.UpdatedAt, err = store.ParseTimeString(updAt); err != nil {
			rows.Close()
			return nil, err
		}
		sent.AddSent(ref, s)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := sent.Found(f); err != nil {
		return nil, err
	}
	if len(sent.Out) == 0 {
		return sent.Out, nil
	}
	list, err := queryOffers(ctx, tx, `JOIN referrals r ON r.reference = o.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	sent.AddOffers(list)
	rs, err := tx.QueryContext(ctx, `SELECT v.referral, v.provision_id, v.vacancy_id, v.places, v.places_left, v.reserved_at, v.reserved_by,
			COALESCE(v.released_at, ''), COALESCE(v.released_by, '')
		FROM reservations v JOIN referrals r ON r.reference = v.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	for rs.Next() {
		var v workflow.Reservation
		var at, rel string
		if err := rs.Scan(&v.Referral, &v.ProvisionID, &v.VacancyID, &v.Places, &v.PlacesLeft, &at, &v.By, &rel, &v.ReleasedBy); err != nil {
			rs.Close()
			return nil, err
		}
		if v.At, err = store.ParseTimeString(at); err != nil {
			rs.Close()
			return nil, err
		}
		if v.Released, err = store.ParseTimeString(rel); err != nil {
			rs.Close()
			return nil, err
		}
		sent.AddReservation(v)
	}
	if err := rs.Close(); err != nil {
		return nil, err
	}
	es, err := tx.QueryContext(ctx, `SELECT e.referral, e.at, e.actor, e.provision_id, e.action, e.from_status, e.to_status, e.reason, e.note
		FROM offer_events e JOIN referrals r ON r.reference = e.referral `+where.String()+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, err
	}
	defer es.Close()
	for es.Next() {
		var ref, at, reason string
		var e workflow.Event
		if err := es.Scan(&ref, &at, &e.Actor, &e.ProvisionID, &e.Action, &e.From, &e.To, &reason, &e.Note); err != nil {
			return nil, err
		}
		if e.At, err = store.ParseTimeString(at); err != nil {
			return nil, err
		}
		sent.AddEvent(ref, e, reason)
	}
	return sent.Out, es.Err()
}

// queryOffers reads offers joined as tail says, by referral then rank.
func queryOffers(ctx context.Context, tx *sql.Tx, tail string, args ...any) ([]workflow.Offer, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.referral, o.provision_id, o.vacancy_id, o.rank, o.name, o.provider, o.kind, o.provision_council,
			o.miles, o.score, o.weekly_price, o.status, o.reason, o.note, o.offered_price, COALESCE(o.responded_at, ''), o.updated_at, o.updated_by, o.conditions
		FROM offers o `+tail+` ORDER BY o.referral, o.rank`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Offer
	for rows.Next() {
		var o workflow.Offer
		var price, offered int64
		var st, reason, resp, upd string
		if err := rows.Scan(&o.Referral, &o.ProvisionID, &o.VacancyID, &o.Rank, &o.Name, &o.Provider, &o.Kind, &o.Council,
			&o.Miles, &o.Score, &price, &st, &reason, &o.Note, &offered, &resp, &upd, &o.UpdatedBy, &o.Conditions); err != nil {
			return nil, err
		}
		sqlshared.Offer(&o, price, offered, st, reason)
		if o.RespondedAt, err = store.ParseTimeString(resp); err != nil {
			return nil, err
		}
		if o.UpdatedAt, err = store.ParseTimeString(upd); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func loadOffer(ctx context.Context, tx *sql.Tx, ref, provision string) (workflow.Offer, error) {
	list, err := queryOffers(ctx, tx, `WHERE o.referral = ? AND o.provision_id = ?`, ref, provision)
	if err != nil {
		return workflow.Offer{}, err
	}
	if len(list) != 1 {
		return workflow.Offer{}, workflow.ErrNoOffer(ref, provision)
	}
	return list[0], nil
}

// Declines counts declined offers by council, provider and reason; see workflow.Store.
func (db *DB) Declines(ctx context.Context, f workflow.DeclineFilter) ([]workflow.DeclineCount, error) {
	if err := workflow.CheckDeclines(f); err != nil {
		return nil, err
	}
	var out []workflow.DeclineCount
	err := db.read(ctx, "count declines", func(tx *sql.Tx) error {
		where := sqlshared.DeclineWhere(f, sqlshared.Question, func(t time.Time) any { return store.TimeString(t) })
		rows, err := tx.QueryContext(ctx, `SELECT r.council, o.provider, o.reason, COUNT(*) FROM offers o JOIN referrals r ON r.reference = o.referral
			`+where.String()+` GROUP BY r.council, o.provider, o.reason ORDER BY r.council, o.provider, o.reason`, where.Args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c workflow.DeclineCount
			var reason string
			if err := rows.Scan(&c.Council, &c.Provider, &reason, &c.Count); err != nil {
				return err
			}
			out = append(out, sqlshared.DeclineCount(c, reason))
		}
		return rows.Err()
	})
	return out, err
}
