package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sufficiency/care"
	"sufficiency/internal/errwriter"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/tabular"
)

const childrenSynopsis = `--la CODE [--db FILE] [--format text|json|csv]

Lists the children loaded for a council, one per line, with their needs. Reading child-level data is
recorded in the audit log with who read it (--actor, default the operating-system user).`

// childRecord is one child as the children verb writes it.
type childRecord struct {
	Council   string   `json:"council"`
	Child     string   `json:"child"`
	Sex       string   `json:"sex"`
	DOB       string   `json:"dob"`
	Ethnicity string   `json:"ethnicity"`
	UPN       string   `json:"upn"`
	UASC      bool     `json:"uasc"`
	UASCEnded string   `json:"uasc_ended"`
	NeedsTier int      `json:"needs_tier"`
	Risks     []string `json:"risks"`
}

var childColumns = []string{"council", "child", "sex", "dob", "ethnicity", "upn", "uasc", "uasc_ended", "needs_tier", "risks"}

func (c childRecord) values() []string {
	return []string{c.Council, c.Child, c.Sex, c.DOB, c.Ethnicity, c.UPN, yesNo(c.UASC), c.UASCEnded,
		strconv.Itoa(c.NeedsTier), strings.Join(c.Risks, ";")}
}

func yesNo(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// runChildren is the children verb.
func runChildren(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "children", childrenSynopsis)
	la := fs.String("la", "", "council `CODE` as imported (e.g. E08000003); required")
	db := dbFlag(fs)
	format := fs.String("format", "text", "output `FORMAT`: text, json or csv")
	actor := fs.String("actor", "", "who is reading, recorded in the audit log (default: the operating-system user)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "children takes no arguments; give the council with --la CODE")
	}
	if strings.TrimSpace(*la) == "" {
		return care.Errorf(care.EINVALID, "children: give the council with --la CODE (as imported, e.g. E08000003); sufficiency status lists what is loaded")
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		return care.Errorf(care.EINVALID, "children: unknown --format %q; use text, json or csv", *format)
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	code, err := councilCode(*la)
	if err != nil {
		return err
	}
	children, err := st.Children(store.WithActor(ctx, cliActor(env, *actor)), code)
	if err != nil {
		return err
	}
	recs := make([]childRecord, len(children))
	for i, c := range children {
		recs[i] = childRecord{Council: c.Council, Child: c.ID, Sex: string(c.Sex), DOB: dateText(c.DOB), Ethnicity: c.Ethnicity,
			UPN: c.UPN, UASC: c.UASC, UASCEnded: dateText(c.UASCEnded), NeedsTier: int(c.Needs.Tier), Risks: []string{}}
		for _, r := range c.Needs.Risks {
			recs[i].Risks = append(recs[i].Risks, string(r))
		}
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(recs)
	case "csv":
		return writeChildrenCSV(env.Stdout, recs)
	}
	return writeChildrenText(env.Stdout, recs)
}

// councilCode returns the ONS code of the council named by s (any of its
// codes or its name, as the embedded register holds them). EINVALID for a
// council not in the register.
func councilCode(s string) (string, error) {
	c, err := refdata.LookupCouncil(s)
	if err != nil {
		return "", care.WrapError(care.EINVALID, err, "")
	}
	return c.Code, nil
}

// dateText writes a date as YYYY-MM-DD ("" for none).
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func writeChildrenCSV(w io.Writer, recs []childRecord) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write(childColumns)
	for _, r := range recs {
		cw.Write(r.values())
	}
	cw.Flush()
	return cw.Error()
}

func writeChildrenText(w io.Writer, recs []childRecord) error {
	ew := &errwriter.Writer{W: w}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(childColumns, "\t"))
	for _, r := range recs {
		fmt.Fprintln(tw, strings.Join(r.values(), "\t"))
	}
	tw.Flush()
	council := ""
	if len(recs) > 0 {
		council = " of " + recs[0].Council
	}
	fmt.Fprintf(ew, "%d children%s\n", len(recs), council)
	return ew.Err
}
