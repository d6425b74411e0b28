package scenario

import (
	"encoding/json"
	"io"
	"os"

	"sufficiency/care"

	"sufficiency/store"
	"sufficiency/tabular"
)

// RunsTable lists saved scenario runs, one row each; with none, a note
// says so.
func RunsTable(runs []store.SavedScenario) tabular.Table {
	t := tabular.Table{Title: "Saved scenario runs", Columns: []tabular.Column{col("ID", tabular.Number), col("Name", tabular.Text),
		col("Version", tabular.Number), col("Scope", tabular.Text), col("From", tabular.Text), col("Years", tabular.Number),
		col("Simulations", tabular.Number), col("Seed", tabular.Number), col("Run by", tabular.Text), col("Saved", tabular.Text)}}
	for _, s := range runs {
		t.AddRow(float64(s.ID), s.Name, float64(s.Version), s.Scope, s.Origin.Format("2 January 2006"), float64(s.Years), float64(s.Sims), float64(s.Seed),
			s.Actor, s.At.Format("2 January 2006 15:04 MST"))
	}
	if len(runs) == 0 {
		t.Notes = append(t.Notes, "No scenario has been run on this database yet.")
	}
	return t
}

// WriteJSON writes results as the store keeps them: one result as its
// encoding, several as {"scenarios": [...]}.
func WriteJSON(w io.Writer, results []*Result) error {
	if len(results) == 1 {
		b, err := results[0].Encode()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Scenarios []*Result `json:"scenarios"`
	}{results})
}

// ResultTables are the tables of results, with a comparison first when
// there are several (and they can be compared).
func ResultTables(results []*Result) []tabular.Table {
	var tables []tabular.Table
	if len(results) > 1 {
		if ts, err := Compare(results); err == nil {
			tables = append(tables, ts...)
		}
	}
	for _, r := range results {
		tables = append(tables, r.Tables()...)
	}
	return tables
}

// ReadFiles reads and parses the scenario files paths name (JSON or YAML),
// returning each scenario with the bytes it was read from. EUNUSABLE for a
// file that cannot be read; a parse error names the file.
func ReadFiles(paths []string) ([]*Scenario, [][]byte, error) {
	var scs []*Scenario
	var files [][]byte
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, care.WrapError(care.EUNUSABLE, err, "cannot read scenario file %s; give the path of a JSON or YAML scenario", path)
		}
		sc, err := Parse(b, path)
		if err != nil {
			return nil, nil, err
		}
		scs, files = append(scs, sc), append(files, b)
	}
	return scs, files, nil
}
