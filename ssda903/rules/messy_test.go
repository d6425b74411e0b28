package rules

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"sufficiency/ssda903"
)

// genMessyReturn writes a messy council-year in the style of the reference
// validator's fake return (csc-validator-be-903 tests/fake_data, 2017/18):
// every code drawn at random from its code list whatever the child's age or
// legal status, made-up postcodes ("V26 3IN") and URNs, end dates with
// two-digit years ("24/04/17"), episodes that overlap or leave gaps, and
// children in one table but not another. About 2,600 children and 5,050
// episodes; it draws tens of thousands of findings, as a council's first
// extract from a badly kept case system does. Nothing is copied from the
// reference: only the shape of its data.
func genMessyReturn(year int, seed int64) map[ssda903.TableName]*bytes.Buffer {
	rng := rand.New(rand.NewSource(seed))
	pick := func(xs ...string) string { return xs[rng.Intn(len(xs))] }
	out := map[ssda903.TableName]*bytes.Buffer{}
	w := func(t ssda903.TableName) *bytes.Buffer {
		if out[t] == nil {
			out[t] = &bytes.Buffer{}
			for i, c := range ssda903.Columns[t] {
				if i > 0 {
					out[t].WriteByte(',')
				}
				out[t].WriteString(c)
			}
			out[t].WriteByte('\n')
		}
		return out[t]
	}
	d4 := func(t time.Time) string { return t.Format("02/01/2006") }
	d2 := func(t time.Time) string { return t.Format("02/01/06") }
	postcode := func() string {
		return fmt.Sprintf("%c%d %d%c%c", 'A'+rng.Intn(26), 1+rng.Intn(30), rng.Intn(10), 'A'+rng.Intn(26), 'A'+rng.Intn(26))
	}
	start := time.Date(year-1, 4, 1, 0, 0, 0, 0, time.UTC)
	ethnic := []string{"WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"}
	ls := []string{"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"}
	place := []string{"A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"}
	reasons := []string{"ALLEG", "APPRR", "CARPL", "CHILD", "CLOSE", "CREQB", "CREQO", "CUSTOD", "LAREQ", "OTHER", "PLACE", "STAND", ""}
	rec := []string{"E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B", "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7", "E8", "E9"}
	seen := map[int]bool{}
	for c := 0; c < 2600; c++ {
		id := rng.Intn(999999) + 1
		for seen[id] {
			id = rng.Intn(999999) + 1
		}
		seen[id] = true
		dob := time.Date(2001+rng.Intn(13), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), 0, 0, 0, 0, time.UTC)
		if rng.Intn(40) != 0 { // a few children have episodes but no Header row
			fmt.Fprintf(w(ssda903.Header), "%d,%d,%s,%s,%c%012d,,\n", id, 1+rng.Intn(2), d4(dob), ethnic[rng.Intn(len(ethnic))], 'A'+rng.Intn(26), rng.Int63n(1e12))
		}
		n := 1 + rng.Intn(2)
		if rng.Intn(9) < 2 {
			n += rng.Intn(5)
		}
		t := start.AddDate(-rng.Intn(3), -rng.Intn(12), -rng.Intn(28))
		l := ls[rng.Intn(len(ls))]
		home := postcode()
		for k := 0; k < n; k++ {
			if rng.Intn(10) == 0 {
				l = ls[rng.Intn(len(ls))]
			}
			rne := pick("P", "P", "P", "L", "T", "S", "U", "B")
			pl, urn := postcode(), fmt.Sprint(1000000+rng.Intn(9000000))
			p := place[rng.Intn(len(place))]
			end := t.AddDate(0, 0, 1+rng.Intn(400))
			dec, r, rpc := d2(end), "X1", reasons[rng.Intn(len(reasons))]
			if k == n-1 {
				switch rng.Intn(3) {
				case 0:
					dec, r, rpc = "", "", ""
				case 1:
					r, rpc = rec[rng.Intn(len(rec))], ""
				}
			}
			if rng.Intn(25) == 0 {
				end = end.AddDate(0, 0, -rng.Intn(60)) // the next episode overlaps this one
			}
			fmt.Fprintf(w(ssda903.Episodes), "%d,%s,%s,%s,N%d,%s,PR%d,%s,%s,%s,%s,%s,%s\n",
				id, d4(t), rne, l, 1+rng.Intn(8), p, rng.Intn(6), dec, r, rpc, home, pl, urn)
			t = end
		}
		if rng.Intn(3) == 0 {
			fmt.Fprintf(w(ssda903.Reviews), "%d,%s,%s,%s\n", id, d4(dob), d4(start.AddDate(0, rng.Intn(12), rng.Intn(28))), pick("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"))
		}
		if rng.Intn(8) == 0 {
			ms := start.AddDate(0, rng.Intn(12), rng.Intn(28))
			fmt.Fprintf(w(ssda903.Missing), "%d,%s,%s,%s,%s\n", id, d4(dob), pick("M", "A"), d4(ms), d2(ms.AddDate(0, 0, rng.Intn(30))))
		}
		if rng.Intn(20) == 0 {
			fmt.Fprintf(w(ssda903.UASC), "%d,%d,%s,%s\n", id, 1+rng.Intn(2), d4(dob), d4(dob.AddDate(18, 0, 0)))
		}
		if rng.Intn(6) == 0 {
			fmt.Fprintf(w(ssda903.OC2), "%d,%s,%d,%s,%d,%d,%d,%d,%d,%d,%d,%d\n", id, d4(dob), rng.Intn(41), pick("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5", ""),
				rng.Intn(2), rng.Intn(2), rng.Intn(2), rng.Intn(2), rng.Intn(2), rng.Intn(2), rng.Intn(2), rng.Intn(2))
		}
		if dob.Before(start.AddDate(-16, 0, 0)) && rng.Intn(2) == 0 {
			fmt.Fprintf(w(ssda903.OC3), "%d,%s,%s,%s,%s\n", id, d4(dob), pick("YES", "NO", "DIED", "REFU", "NREQ", "RHOM"),
				pick("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"), pick("B", "C", "D", "E", "G", "H", "K", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "1", "2"))
		}
	}
	return out
}

// TestMessyReturnIsMessy keeps the generator honest: the messy return draws
// tens of thousands of findings over more than a hundred rules, and the
// listed findings stay capped per rule with the rest counted.
func TestMessyReturnIsMessy(t *testing.T) {
	ret := readReturn(t, genMessyReturn(2018, 1), 2018)
	if n := episodeRows(ret); n < 4800 || n > 5300 {
		t.Fatalf("%d episodes, want about 5,050", n)
	}
	rep := Check(ret, nil, Options{MaxPerRule: -1})
	codes := map[string]bool{}
	for _, f := range rep.Findings {
		codes[f.RuleCode] = true
	}
	t.Logf("%d episodes, %d findings over %d rules", episodeRows(ret), len(rep.Findings), len(codes))
	if len(rep.Findings) < 20000 || len(codes) < 60 {
		t.Fatalf("%d findings over %d rules: the messy return is not messy enough", len(rep.Findings), len(codes))
	}
	capped := Check(ret, nil, Options{})
	total := 0
	for _, f := range capped.Findings {
		total += f.Count()
	}
	if total != len(rep.Findings) || len(capped.Findings) >= len(rep.Findings) {
		t.Fatalf("capped: %d listed counting %d, uncapped %d", len(capped.Findings), total, len(rep.Findings))
	}
}

// BenchmarkValidateMessyReturn validates the messy council-year (about
// 5,050 episodes, tens of thousands of findings): validation only, findings
// capped per rule as the CLI does.
func BenchmarkValidateMessyReturn(b *testing.B) {
	ret := readReturn(b, genMessyReturn(2018, 1), 2018)
	rows := episodeRows(ret)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	findings := 0
	for i := 0; i < b.N; i++ {
		rep := Check(ret, nil, Options{})
		findings = 0
		for _, f := range rep.Findings {
			findings += f.Count()
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(rows), "episodes")
	b.ReportMetric(float64(findings), "findings")
}

// TestWriteMessyReturn writes the messy council-year as DfE CSV files to
// $SUFFICIENCY_MESSY_DIR (in a folder "2017-18"), for timing the whole
// "sufficiency validate" process (bench/validate-messy.sh). It is skipped
// unless the variable is set.
func TestWriteMessyReturn(t *testing.T) {
	dir := os.Getenv("SUFFICIENCY_MESSY_DIR")
	if dir == "" {
		t.Skip("set SUFFICIENCY_MESSY_DIR to write the messy return")
	}
	sub := filepath.Join(dir, "2017-18")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, buf := range genMessyReturn(2018, 1) {
		if err := os.WriteFile(filepath.Join(sub, string(name)+".csv"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
