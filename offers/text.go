package offers

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sufficiency/workflow"
	"text/tabwriter"
	"time"

	"sufficiency/tabular"
)

// This file prints the workflow for people: a referral as sent, the
// referrals with their offers and reservations, and the decline report (text
// and CSV).

// WriteSentText prints a referral just sent (id is the council's own id of
// it): its reference, what providers see, and the shortlist it went to.
func WriteSentText(w io.Writer, id string, sent workflow.Sent) {
	r := sent.Referral
	fmt.Fprintf(w, "Referral %s sent as %s to %d provider(s).\n", id, r.Reference, len(sent.Offers))
	fmt.Fprintf(w, "Providers see it pseudonymised: no name or ids, born %s, home district %s; keep the reference with your case record.\n\n",
		r.BirthMonth, r.HomeDistrict)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tPROVISION\tNAME\tPROVIDER\tKIND\tMILES\tVACANCY")
	for _, o := range sent.Offers {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Rank, o.ProvisionID, o.Name, o.Provider, o.Kind, miles(o.Miles), o.VacancyID)
	}
	tw.Flush()
}

// WriteReferralsText prints each referral with its offers, reservation and
// note; list is not empty.
func WriteReferralsText(w io.Writer, list []workflow.Sent) error {
	for k, s := range list {
		if k > 0 {
			fmt.Fprintln(w)
		}
		r := s.Referral
		fmt.Fprintf(w, "%s  %s  council %s  sent %s by %s  (%s, born %s, home %s, needed %s, %d place(s))\n",
			r.Reference, strings.ToUpper(string(s.Status)), r.Council, s.SentAt.Format("2006-01-02 15:04"), s.SentBy,
			r.Sex, r.BirthMonth, r.HomeDistrict, strings.ReplaceAll(r.Urgency, "_", " "), s.GroupSize)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, o := range s.Offers {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s mi\t%s\t%s by %s\n", o.Rank, o.ProvisionID, o.Name, o.Provider, miles(o.Miles),
				o.Describe(), o.UpdatedAt.Format("2006-01-02 15:04"), o.UpdatedBy)
		}
		tw.Flush()
		if v := s.Reservation; v != nil {
			if v.Released.IsZero() {
				fmt.Fprintf(w, "  Reserved: %d place(s) of vacancy %s at %s, %s by %s.\n", v.Places, v.VacancyID, v.ProvisionID, v.At.Format("2006-01-02 15:04"), v.By)
			} else {
				fmt.Fprintf(w, "  Reservation of %s released %s by %s.\n", v.ProvisionID, v.Released.Format("2006-01-02 15:04"), v.ReleasedBy)
			}
		}
		if s.Note != "" {
			fmt.Fprintf(w, "  Note: %s\n", s.Note)
		}
	}
	return nil
}

// WriteDeclinesCSV prints the report's rows as council,provider,reason,declines.
func WriteDeclinesCSV(w io.Writer, rep Report) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write([]string{"council", "provider", "reason", "declines"})
	for _, r := range rep.Rows {
		cw.Write([]string{r.Council, r.Provider, string(r.Reason), strconv.Itoa(r.Count)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteDeclinesText prints the decline report: the total over its period,
// then by reason, by provider and by placing council.
func WriteDeclinesText(w io.Writer, rep Report) error {
	period := "all time"
	switch {
	case !rep.From.IsZero() && !rep.To.IsZero():
		period = rep.From.Format("2006-01-02") + " to " + rep.To.Add(-24*time.Hour).Format("2006-01-02")
	case !rep.From.IsZero():
		period = "from " + rep.From.Format("2006-01-02")
	case !rep.To.IsZero():
		period = "before " + rep.To.Format("2006-01-02")
	}
	fmt.Fprintf(w, "Declined referrals, %s: %d\n", period, rep.Total)
	if rep.Total == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "\nBy reason:")
	for _, r := range rep.ByReason {
		fmt.Fprintf(tw, "  %s\t%d\t%.0f%%\t\n", r.Label, r.Count, 100*r.Share)
	}
	tw.Flush()
	for _, part := range []struct {
		title  string
		groups []GroupCount
	}{{"By provider", rep.ByProvider}, {"By placing council", rep.ByCouncil}} {
		fmt.Fprintf(w, "\n%s:\n", part.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, g := range part.groups {
			fmt.Fprintf(tw, "  %s\t%d\tmost often: %s (%d)\n", g.Key, g.Total, g.Top.Label(), g.ByReason[g.Top])
		}
		tw.Flush()
	}
	return nil
}

// miles is a distance to a tenth of a mile, "?" when it is not known.
func miles(m float64) string {
	if m < 0 {
		return "?"
	}
	return strconv.FormatFloat(m, 'f', 1, 64)
}
