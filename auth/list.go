package auth

import (
	"encoding/json"
	"fmt"
	"io"
	"sufficiency/identity"
	"text/tabwriter"
	"time"
)

// Users, sessions and API tokens as the administrator reads them: tables of
// text, or JSON (empty lists, never null). Tokens themselves are never
// listed, only their ids.

// NewPassword returns a random password of 20 URL-safe characters, for a
// user whose password is made rather than given (shown once).
func NewPassword() (string, error) {
	p, err := NewToken()
	if err != nil {
		return "", err
	}
	return p[:20], nil
}

// WriteUsers lists the users: name, role, scope, created, active or
// disabled.
func WriteUsers(w io.Writer, us []identity.User) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tSCOPE\tCREATED\tSTATUS")
	for _, u := range us {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Scope(), u.Created.Format("2006-01-02"), status)
	}
	return tw.Flush()
}

// WriteSessions lists signed-in sessions as text or json.
func WriteSessions(w io.Writer, format string, ss []identity.SessionInfo) error {
	if format == "json" {
		return writeJSON(w, append([]identity.SessionInfo{}, ss...))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tSIGNED IN (UTC)\tLAST SEEN (UTC)")
	for _, s := range ss {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.User, s.Created.UTC().Format(time.DateTime), s.LastSeen.UTC().Format(time.DateTime))
	}
	return tw.Flush()
}

// WriteTokens lists API tokens (never the tokens) as text or json.
func WriteTokens(w io.Writer, format string, ts []identity.TokenInfo) error {
	if format == "json" {
		return writeJSON(w, append([]identity.TokenInfo{}, ts...))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tLABEL\tCREATED (UTC)\tEXPIRES")
	for _, t := range ts {
		exp := "never"
		if !t.Expires.IsZero() {
			exp = t.Expires.UTC().Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Label, t.Created.UTC().Format(time.DateTime), exp)
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
