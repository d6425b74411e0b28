package store

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteMigrations lists the migrations as a table (version, name in words,
// when applied: a date, "pending", or "applied by a newer sufficiency") and
// returns how many are pending.
func WriteMigrations(w io.Writer, ms []Migration) (pending int, err error) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Version\tMigration\tApplied")
	for _, m := range ms {
		at := "pending"
		switch {
		case m.Unknown:
			at = "applied by a newer sufficiency"
		case !m.Applied.IsZero():
			at = m.Applied.Format("2 January 2006 15:04 UTC")
		default:
			pending++
		}
		fmt.Fprintf(tw, "%04d\t%s\t%s\n", m.Version, strings.ReplaceAll(m.Name, "_", " "), at)
	}
	return pending, tw.Flush()
}
