package sqlshared

import (
	"context"
	"fmt"
	"time"

	"sufficiency/workflow"
)

// The offers workflow's statements written once for both databases: the
// steps workflow.Send, Respond, Accept and Cancel call (OfferTx, a
// workflow.SendTx and most of a workflow.AcceptTx) and the reads of sent
// referrals, offers and declines. What differs is said here, by dialect:
// PostgreSQL locks the referral's row first (referralSQL: FOR UPDATE; every
// change to a referral takes this lock, where SQLite's single writer
// serialises changes) and keeps a start date as a date (SQLite as text); a
// referral's JSON is jsonb in PostgreSQL (sentColumn); SQLite reads an
// absent time as "" (optionalTime); declines are ordered by provider
// bytewise (PostgreSQL names the collation, SQLite's is bytewise already).
// Each store adds the two steps that differ in more than a clause:
// TakePlaces (SQLite one conditional UPDATE; PostgreSQL locks the
// provision's vacancies in id order and chooses among them) and Release
// (PostgreSQL an upsert with the provision locked against a supply
// refresh).

// OfferTx is the offers workflow's steps in one transaction, by Actor at
// Now.
type OfferTx struct {
	Ctx   context.Context
	Tx    Tx
	Now   time.Time
	Actor string
}

// now is Now as the dialect keeps it.
func (t *OfferTx) now() any { return t.Tx.Dialect().Codec().EncodeInstant(t.Now) }

// AddReferral stores an open referral; start is the start date as the
// dialect keeps it (nil for none).
func (t *OfferTx) AddReferral(r workflow.SentReferral, group int, start any, data []byte) error {
	if _, err := t.Tx.Exec(t.Ctx, `INSERT INTO referrals (reference, council, status, group_size, start_date, sent, sent_at, sent_by, updated_at, updated_by)
		VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $6, $7)`, r.Reference, r.Council, group, start, string(data), t.now(), t.Actor); err != nil {
		if t.Tx.Violates(err, "referrals_pkey") {
			return workflow.ErrReferenceUsed(r.Reference)
		}
		return err
	}
	return nil
}

// AddOffer stores a pending offer at rank.
func (t *OfferTx) AddOffer(ref string, e workflow.Entry, rank int) error {
	if _, err := t.Tx.Exec(t.Ctx, `INSERT INTO offers (referral, provision_id, vacancy_id, rank, name, provider, kind, provision_council,
			miles, score, weekly_price, status, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13)`, ref, e.ProvisionID, e.VacancyID, rank, e.Name, e.Provider,
		e.Kind, e.Council, e.Miles, e.Score, int64(e.WeeklyPrice), t.now(), t.Actor); err != nil {
		if t.Tx.Violates(err, "offers_rank_key") {
			return workflow.ErrRankTwice(ref, rank)
		}
		return err
	}
	return nil
}

// Event appends an offer event.
func (t *OfferTx) Event(ref, provision, action, from, to string, reason workflow.Reason, note string) error {
	_, err := t.Tx.Exec(t.Ctx, `INSERT INTO offer_events (referral, provision_id, at, actor, action, from_status, to_status, reason, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ref, provision, t.now(), t.Actor, action, from, to, string(reason), note)
	return err
}

// Audit appends an audit entry.
func (t *OfferTx) Audit(action, council, detail string) error {
	return AppendAudit(t.Ctx, t.Tx, t.Now, t.Actor, action, council, detail)
}

// referralSQL reads a referral's status, council, places needed and start
// date (YYYY-MM-DD or ""); PostgreSQL locks its row for the rest of the
// transaction.
func referralSQL(d Dialect) string {
	if d == Postgres {
		return `SELECT status, council, group_size, COALESCE(to_char(start_date, 'YYYY-MM-DD'), '')
		FROM referrals WHERE reference = $1 FOR UPDATE`
	}
	return `SELECT status, council, group_size, COALESCE(start_date, '') FROM referrals WHERE reference = $1`
}

// Referral reads a referral's status, council, places needed and start
// date; on PostgreSQL it locks the referral's row first, as every change to
// a referral or its offers does. ENOTFOUND when there is no such referral.
func (t *OfferTx) Referral(ref string) (status workflow.ReferralStatus, council string, group int, start string, err error) {
	var st string
	err = t.Tx.QueryRow(t.Ctx, referralSQL(t.Tx.Dialect()), ref).Scan(&st, &council, &group, &start)
	if t.Tx.NoRows(err) {
		err = workflow.ErrNoReferral(ref)
	}
	return workflow.ReferralStatus(st), council, group, start, err
}

// Offer reads one offer's status and shortlisted vacancy. ENOTFOUND,
// listing the shortlist, when the provision was not sent the referral.
func (t *OfferTx) Offer(ref, provision string) (workflow.Status, string, error) {
	var st, vac string
	err := t.Tx.QueryRow(t.Ctx, `SELECT status, vacancy_id FROM offers WHERE referral = $1 AND provision_id = $2`, ref, provision).Scan(&st, &vac)
	if t.Tx.NoRows(err) {
		var ids []string
		if err := t.Tx.Each(t.Ctx, `SELECT provision_id FROM offers WHERE referral = $1 ORDER BY rank`, []any{ref}, func(r Row) error {
			id, err := String(r)
			ids = append(ids, id)
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
func (t *OfferTx) SetOffer(ref, provision string, from, to workflow.Status, a *workflow.Answer) error {
	q := `UPDATE offers SET status = $1, updated_at = $2, updated_by = $3`
	args := []any{string(to), t.now(), t.Actor}
	if a != nil {
		q += `, reason = $4, note = $5, offered_price = $6, responded_at = $7, conditions = $8`
		args = append(args, string(a.Reason), a.Note, int64(a.Price), t.now(), a.Conditions)
	}
	n := len(args)
	q += fmt.Sprintf(` WHERE referral = $%d AND provision_id = $%d AND status = $%d`, n+1, n+2, n+3)
	changed, err := t.Tx.Exec(t.Ctx, q, append(args, ref, provision, string(from))...)
	if err != nil {
		if t.Tx.Violates(err, "offers_one_accepted") {
			return workflow.ErrAlreadyAccepted(ref)
		}
		return err
	}
	if changed != 1 {
		return workflow.ErrOfferChanged(ref, provision)
	}
	return nil
}

// OpenOffers lists the referral's pending, offered and accepted offers.
func (t *OfferTx) OpenOffers(ref string) ([]workflow.OpenOffer, error) {
	var open []workflow.OpenOffer
	err := t.Tx.Each(t.Ctx, `SELECT provision_id, status FROM offers WHERE referral = $1 AND status IN ('pending', 'offered', 'accepted') ORDER BY rank`, []any{ref}, func(r Row) error {
		o, err := ScanOpenOffer(r)
		open = append(open, o)
		return err
	})
	return open, err
}

// SetReferral moves a referral from one status to another with a note.
func (t *OfferTx) SetReferral(ref string, from, to workflow.ReferralStatus, note string) error {
	changed, err := t.Tx.Exec(t.Ctx, `UPDATE referrals SET status = $1, note = $2, updated_at = $3, updated_by = $4 WHERE reference = $5 AND status = $6`,
		string(to), note, t.now(), t.Actor, ref, string(from))
	if err != nil {
		return err
	}
	if changed != 1 {
		return workflow.ErrReferralChanged(ref)
	}
	return nil
}

// AcceptedWith is the provision whose offer was accepted ("" when none).
func (t *OfferTx) AcceptedWith(ref string) (string, error) {
	var with string
	err := t.Tx.QueryRow(t.Ctx, `SELECT provision_id FROM offers WHERE referral = $1 AND status = 'accepted'`, ref).Scan(&with)
	if err != nil && !t.Tx.NoRows(err) {
		return "", err
	}
	return with, nil
}

// PlaceReferral moves the referral from one status to another.
func (t *OfferTx) PlaceReferral(ref string, from, to workflow.ReferralStatus) error {
	_, err := t.Tx.Exec(t.Ctx, `UPDATE referrals SET status = $1, updated_at = $2, updated_by = $3 WHERE reference = $4 AND status = $5`,
		string(to), t.now(), t.Actor, ref, string(from))
	return err
}

// Reserve records the reservation of the places taken (taken.ValidFrom as
// the store's TakePlaces read it).
func (t *OfferTx) Reserve(ref, provision string, group int, taken workflow.Taken) error {
	if _, err := t.Tx.Exec(t.Ctx, `INSERT INTO reservations (referral, provision_id, vacancy_id, places, places_left, valid_from, weekly_price, reserved_at, reserved_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ref, provision, taken.VacancyID, group, taken.Left, taken.ValidFrom, taken.Price, t.now(), t.Actor); err != nil {
		if t.Tx.Violates(err, "reservations_pkey") {
			return workflow.ErrHasReservation(ref)
		}
		return err
	}
	return nil
}

// MarkReleased records the reservation of ref released, with its event and
// audit entry (detail says where the places went).
func (t *OfferTx) MarkReleased(ref, provision, council, detail string) error {
	if _, err := t.Tx.Exec(t.Ctx, `UPDATE reservations SET released_at = $1, released_by = $2 WHERE referral = $3`, t.now(), t.Actor, ref); err != nil {
		return err
	}
	if err := t.Event(ref, provision, "release", "reserved", "released", "", ""); err != nil {
		return err
	}
	return t.Audit(workflow.ActionOfferPrefix+"release", council, detail)
}

// sentColumn is a referral's JSON as text.
func sentColumn(d Dialect) string {
	if d == Postgres {
		return `r.sent::text`
	}
	return `r.sent`
}

// optionalTime is a nullable time column as the dialect's codec scans it
// (SQLite's text codec scans "" for none).
func optionalTime(d Dialect, col string) string {
	if d == Postgres {
		return col
	}
	return `COALESCE(` + col + `, '')`
}

// LoadReferrals reads the referrals matching f with their offers, reservation
// and events. ENOTFOUND when f names one referral that is not there.
func LoadReferrals(ctx context.Context, tx Tx, f workflow.Filter) ([]workflow.Sent, error) {
	return loadReferrals(ctx, tx, ReferralWhere(f, "WHERE 1=1", Dollar), f, true)
}

// loadReferrals reads the referrals r that where selects with their offers,
// reservation and events (only their offers unless full); f is what where
// was built from (ENOTFOUND when it names one referral that is not there).
func loadReferrals(ctx context.Context, tx Tx, where *Where, f workflow.Filter, full bool) ([]workflow.Sent, error) {
	d := tx.Dialect()
	c := d.Codec()
	args := where.Args
	var sent Referrals
	err := tx.Each(ctx, `SELECT r.reference, r.status, r.group_size, `+sentColumn(d)+`, r.sent_at, r.sent_by, r.updated_at, r.updated_by, r.note
		FROM referrals r `+where.String()+` ORDER BY r.sent_at, r.reference`, args, func(r Row) error {
		var s workflow.Sent
		var ref, st, data string
		sentAt, updAt := c.Instant(), c.Instant()
		if err := r.Scan(&ref, &st, &s.GroupSize, &data, sentAt.Dest(), &s.SentBy, updAt.Dest(), &s.UpdatedBy, &s.Note); err != nil {
			return err
		}
		if err := Sent(ref, st, data, &s); err != nil {
			return err
		}
		var err error
		if s.SentAt, err = sentAt.Value(); err != nil {
			return err
		}
		if s.UpdatedAt, err = updAt.Value(); err != nil {
			return err
		}
		sent.AddSent(ref, s)
		return nil
	})
	if err != nil {
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
	if !full {
		return sent.Out, nil
	}
	if err := tx.Each(ctx, `SELECT v.referral, v.provision_id, v.vacancy_id, v.places, v.places_left, v.reserved_at, v.reserved_by,
			`+optionalTime(d, "v.released_at")+`, COALESCE(v.released_by, '')
		FROM reservations v JOIN referrals r ON r.reference = v.referral `+where.String(), args, func(r Row) error {
		var v workflow.Reservation
		at, rel := c.Instant(), c.Instant()
		if err := r.Scan(&v.Referral, &v.ProvisionID, &v.VacancyID, &v.Places, &v.PlacesLeft, at.Dest(), &v.By, rel.Dest(), &v.ReleasedBy); err != nil {
			return err
		}
		var err error
		if v.At, err = at.Value(); err != nil {
			return err
		}
		if v.Released, err = rel.Value(); err != nil {
			return err
		}
		sent.AddReservation(v)
		return nil
	}); err != nil {
		return nil, err
	}
	err = tx.Each(ctx, `SELECT e.referral, e.at, e.actor, e.provision_id, e.action, e.from_status, e.to_status, e.reason, e.note
		FROM offer_events e JOIN referrals r ON r.reference = e.referral `+where.String()+` ORDER BY e.id`, args, func(r Row) error {
		var ref, reason string
		var e workflow.Event
		at := c.Instant()
		if err := r.Scan(&ref, at.Dest(), &e.Actor, &e.ProvisionID, &e.Action, &e.From, &e.To, &reason, &e.Note); err != nil {
			return err
		}
		var err error
		if e.At, err = at.Value(); err != nil {
			return err
		}
		sent.AddEvent(ref, e, reason)
		return nil
	})
	return sent.Out, err
}

// queryOffers reads offers joined as tail says, by referral then rank.
func queryOffers(ctx context.Context, tx Tx, tail string, args ...any) ([]workflow.Offer, error) {
	d := tx.Dialect()
	c := d.Codec()
	var out []workflow.Offer
	err := tx.Each(ctx, `SELECT o.referral, o.provision_id, o.vacancy_id, o.rank, o.name, o.provider, o.kind, o.provision_council,
			o.miles, o.score, o.weekly_price, o.status, o.reason, o.note, o.offered_price, `+optionalTime(d, "o.responded_at")+`, o.updated_at, o.updated_by, o.conditions
		FROM offers o `+tail+` ORDER BY o.referral, o.rank`, args, func(r Row) error {
		var o workflow.Offer
		var price, offered int64
		var st, reason string
		resp, upd := c.Instant(), c.Instant()
		if err := r.Scan(&o.Referral, &o.ProvisionID, &o.VacancyID, &o.Rank, &o.Name, &o.Provider, &o.Kind, &o.Council,
			&o.Miles, &o.Score, &price, &st, &reason, &o.Note, &offered, resp.Dest(), upd.Dest(), &o.UpdatedBy, &o.Conditions); err != nil {
			return err
		}
		Offer(&o, price, offered, st, reason)
		var err error
		if o.RespondedAt, err = resp.Value(); err != nil {
			return err
		}
		if o.UpdatedAt, err = upd.Value(); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

// LoadOffer reads one offer. ENOTFOUND when there is none.
func LoadOffer(ctx context.Context, tx Tx, ref, provision string) (workflow.Offer, error) {
	list, err := queryOffers(ctx, tx, `WHERE o.referral = $1 AND o.provision_id = $2`, ref, provision)
	if err != nil {
		return workflow.Offer{}, err
	}
	if len(list) != 1 {
		return workflow.Offer{}, workflow.ErrNoOffer(ref, provision)
	}
	return list[0], nil
}

// providerOrder orders by provider bytewise.
func providerOrder(d Dialect) string {
	if d == Postgres {
		return `o.provider COLLATE "C"`
	}
	return `o.provider`
}

// Declines counts declined offers by council, provider and reason (f
// workflow.CheckDeclines'd).
func Declines(ctx context.Context, tx Tx, f workflow.DeclineFilter) ([]workflow.DeclineCount, error) {
	d := tx.Dialect()
	where := DeclineWhere(f, Dollar, d.Codec().EncodeInstant)
	var out []workflow.DeclineCount
	err := tx.Each(ctx, `SELECT r.council, o.provider, o.reason, COUNT(*) FROM offers o JOIN referrals r ON r.reference = o.referral
		`+where.String()+` GROUP BY r.council, o.provider, o.reason ORDER BY r.council, `+providerOrder(d)+`, o.reason`, where.Args, func(r Row) error {
		var c workflow.DeclineCount
		var reason string
		if err := r.Scan(&c.Council, &c.Provider, &reason, &c.Count); err != nil {
			return err
		}
		out = append(out, DeclineCount(c, reason))
		return nil
	})
	return out, err
}

// DropEmptyVacancy deletes the vacancy if TakePlaces left it with no place
// (a vacancy has at least one place; match refuses empty ones); its details
// stay on the reservation.
func DropEmptyVacancy(ctx context.Context, tx Tx, id string) error {
	_, err := tx.Exec(ctx, `DELETE FROM vacancies WHERE id = $1 AND places = 0`, id)
	return err
}
