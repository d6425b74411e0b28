package sqlshared

import (
	"context"
	"strings"

	"sufficiency/care"
	"sufficiency/workflow"
)

// CasesDetail is the audit detail of a read of the referrals list.
const CasesDetail = "referrals list"

// caseKeys is the referrals list of the councils whose codes are the
// placeholders in: each draft by when it was made, and each referral sent
// without a draft by when it was sent.
func caseKeys(in string) string {
	return `SELECT d.reference AS reference, d.created_at AS at FROM referral_drafts d WHERE d.council IN (` + in + `)
		UNION ALL
		SELECT r.reference, r.sent_at FROM referrals r WHERE r.council IN (` + in + `)
			AND NOT EXISTS (SELECT 1 FROM referral_drafts x WHERE x.reference = r.reference)`
}

// Cases reads one page of the referrals list (see workflow.CaseLister),
// newest first: the page's references by an indexed query, then their
// drafts and sent referrals. The caller checks q and records the read.
func Cases(ctx context.Context, tx Tx, q workflow.CaseQuery) ([]workflow.Case, error) {
	c := tx.Dialect().Codec()
	var args []any
	marks := make([]string, len(q.Councils))
	for i, code := range q.Councils {
		args = append(args, code)
		marks[i] = Dollar(len(args))
	}
	keys := caseKeys(strings.Join(marks, ", "))
	cursor := ""
	if q.After != "" {
		at := c.Instant()
		args = append(args, q.After)
		err := tx.QueryRow(ctx, `SELECT k.at FROM (`+keys+`) k WHERE k.reference = `+Dollar(len(args)), args...).Scan(at.Dest())
		if tx.NoRows(err) {
			return nil, care.Errorf(care.EINVALID, "after: %s is not a referral of this list; give the reference of the last referral of the page before", q.After)
		}
		if err != nil {
			return nil, err
		}
		t, err := at.Value()
		if err != nil {
			return nil, err
		}
		args = append(args, c.EncodeInstant(t))
		cursor = ` WHERE k.at < ` + Dollar(len(args)) + ` OR (k.at = ` + Dollar(len(args)) + ` AND k.reference > ` + Dollar(len(args)-1) + `)`
	}
	args = append(args, q.Limit)
	var refs []string
	err := tx.Each(ctx, `SELECT k.reference FROM (`+keys+`) k`+cursor+` ORDER BY k.at DESC, k.reference LIMIT `+Dollar(len(args)), args, func(r Row) error {
		var ref string
		refs = append(refs, ref)
		return r.Scan(&refs[len(refs)-1])
	})
	if err != nil || len(refs) == 0 {
		return nil, err
	}

	refArgs := make([]any, len(refs))
	marks = make([]string, len(refs))
	for i, ref := range refs {
		refArgs[i], marks[i] = ref, Dollar(i+1)
	}
	in := strings.Join(marks, ", ")
	drafts := map[string]*workflow.Draft{}
	err = tx.Each(ctx, `SELECT `+draftColumns(tx.Dialect())+` FROM referral_drafts WHERE reference IN (`+in+`)`, refArgs, func(r Row) error {
		d, err := ScanDraft(r, c)
		drafts[d.Reference] = &d
		return err
	})
	if err != nil {
		return nil, err
	}
	where := &Where{Placeholder: Dollar, Args: refArgs}
	where.b.WriteString(`WHERE r.reference IN (` + in + `)`)
	list, err := loadReferrals(ctx, tx, where, workflow.Filter{})
	if err != nil {
		return nil, err
	}
	sent := map[string]*workflow.Sent{}
	for i := range list {
		sent[list[i].Referral.Reference] = &list[i]
	}
	out := make([]workflow.Case, 0, len(refs))
	for _, ref := range refs {
		cs := workflow.Case{Draft: drafts[ref], Sent: sent[ref]}
		if cs.Draft == nil && cs.Sent == nil {
			continue // erased between the two reads: not in this snapshot's list
		}
		out = append(out, cs)
	}
	return out, nil
}
