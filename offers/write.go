package offers

import (
	"encoding/json"
	"fmt"
	"io"
	"sufficiency/workflow"
)

// WriteReferrals writes referrals as sent, with their offers, in format:
// json (an array, [] for none) or text (a sentence for none).
func WriteReferrals(w io.Writer, format string, list []workflow.Sent) error {
	if format == "json" {
		if list == nil {
			list = []workflow.Sent{}
		}
		return writeIndented(w, list)
	}
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "No referrals sent yet.")
		return err
	}
	return WriteReferralsText(w, list)
}

// WriteDeclines writes the decline report in format: json (rows [] for
// none), csv or text.
func WriteDeclines(w io.Writer, format string, rep Report) error {
	switch format {
	case "json":
		if rep.Rows == nil {
			rep.Rows = []workflow.DeclineCount{}
		}
		return writeIndented(w, rep)
	case "csv":
		return WriteDeclinesCSV(w, rep)
	}
	return WriteDeclinesText(w, rep)
}

func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
