package rules

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"sufficiency/ssda903"
)

// genEpisode is one episode of a generated care history.
type genEpisode struct {
	start, end              time.Time // end is zero while the episode is open
	rne, ls, place, prov    string
	rec, rpc, home, pl, urn string
}

// genChild is one generated child with a care history across years.
type genChild struct {
	id, sex, ethnic string
	dob             time.Time
	eps             []genEpisode
	bad             bool // carries a planted mistake (invalid ethnicity)
}

// genHistories makes n children whose periods of care start between April
// 2019 and March 2025 and follow the rules: back-to-back episodes, placement
// types that fit the child's age, providers that fit the placement, care
// ending by the day before the 18th birthday.
func genHistories(n int, seed int64) []genChild {
	rng := rand.New(rand.NewSource(seed))
	ethnic := []string{"WBRI", "WBRI", "WBRI", "MWBC", "BAFR", "AIND", "APKN", "WOTH", "OOTH"}
	posts := []string{"M14 5RB", "M13 9PL", "M20 2LR", "M8 0AE", "OL1 1AA", "SK4 1AA", "BL1 1AA", "WN1 1AA", "M1 1AE", "M4 4BF"}
	first := time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	out := make([]genChild, n)
	for c := range out {
		ch := &out[c]
		ch.id = fmt.Sprint(100000 + c)
		ch.sex = []string{"M", "F"}[rng.Intn(2)]
		ch.ethnic = ethnic[rng.Intn(len(ethnic))]
		ch.bad = rng.Intn(200) == 0
		t := first.AddDate(0, 0, rng.Intn(int(last.Sub(first).Hours()/24)))
		ch.dob = t.AddDate(-rng.Intn(17), -rng.Intn(12), -rng.Intn(28))
		adult := ch.dob.AddDate(18, 0, -1) // care ends by the day before the 18th birthday
		ls := []string{"C1", "C2", "C2", "C2", "V2"}[rng.Intn(5)]
		home := posts[rng.Intn(len(posts))]
		pl := home
		n := 1 + rng.Intn(6)
		for k := 0; k < n; k++ {
			e := genEpisode{start: t, ls: ls, home: home, rne: "S"}
			if k > 0 {
				e.rne = "P"
			}
			age := int(t.Sub(ch.dob).Hours() / 24 / 365.25)
			var choices []string
			switch {
			case age < 4:
				choices = []string{"U1", "U3", "U4", "U5", "U6", "U6"}
			case age < 16:
				choices = []string{"U1", "U3", "U4", "U6", "U6", "K2", "S1"}
			default:
				choices = []string{"U4", "U6", "K2", "K3", "K3"}
			}
			if ls != "V2" && rng.Intn(12) == 0 && (k == 0 || ch.eps[len(ch.eps)-1].place != "P1") {
				choices = []string{"P1"}
			}
			e.place = choices[rng.Intn(len(choices))]
			for e.pl = posts[rng.Intn(len(posts))]; e.pl == pl || e.pl == home; e.pl = posts[rng.Intn(len(posts))] {
			}
			switch e.place {
			case "P1":
				e.prov, e.pl = "PR0", home
			case "U1", "U3", "U4":
				e.prov = "PR1"
			default:
				e.prov = []string{"PR4", "PR5", "PR1"}[rng.Intn(3)]
			}
			if e.place == "K2" || e.place == "K3" {
				e.urn = fmt.Sprintf("SC%06d", rng.Intn(999999))
			}
			// 218: a residential school has its URN; a council foster
			// placement XXXXXXX (not registered), as synth writes them.
			switch {
			case e.place == "S1":
				e.urn = "SC123456"
			case e.place[0] == 'U':
				e.urn = "XXXXXXX"
			}
			if rng.Intn(300) == 0 {
				e.prov = "" // planted mistake: rule 526
			}
			pl = e.pl
			end := t.AddDate(0, 0, 20+rng.Intn(500))
			switch {
			case !end.Before(adult):
				e.end, e.rec = adult, "E5"
				ch.eps = append(ch.eps, e)
				k = n
			case k == n-1 && rng.Intn(3) == 0:
				e.end, e.rec = end, "E4A"
				ch.eps = append(ch.eps, e)
			case k == n-1:
				e.end, e.rec = adult, "E5" // in care until 18: open in every return before then
				ch.eps = append(ch.eps, e)
			default:
				e.end, e.rec, e.rpc = end, "X1", "CARPL"
				ch.eps = append(ch.eps, e)
				t = end
			}
		}
	}
	return out
}

// genCouncilYear writes the return of collection year (ending 31 March
// year) of the generated children in the DfE CSV layout: Header, Episodes,
// Missing and Reviews, as each table's CSV text. Episodes still open on 31
// March are written open, as councils do.
func genCouncilYear(children []genChild, year int) map[ssda903.TableName]*bytes.Buffer {
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
	start := time.Date(year-1, 4, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(year, 3, 31, 0, 0, 0, 0, time.UTC)
	d := func(t time.Time) string { return t.Format("02/01/2006") }
	for i := range children {
		ch := &children[i]
		var in []genEpisode
		for _, e := range ch.eps {
			if e.start.After(end) || (!e.end.IsZero() && e.end.Before(start)) {
				continue
			}
			if !e.end.IsZero() && e.end.After(end) {
				e.end, e.rec, e.rpc = time.Time{}, "", ""
			}
			in = append(in, e)
		}
		if len(in) == 0 {
			continue
		}
		sex := ch.sex
		if year <= 2024 {
			sex = map[string]string{"M": "1", "F": "2"}[sex]
		}
		eth := ch.ethnic
		if ch.bad {
			eth = "XXXX" // planted mistake: rule 103
		}
		mother := ""
		if ch.sex == "F" && !ch.dob.After(end.AddDate(-12, 0, 0)) {
			mother = "0"
		}
		fmt.Fprintf(w(ssda903.Header), "%s,%s,%s,%s,A%s0000000,%s,\n", ch.id, sex, d(ch.dob), eth, ch.id[:5], mother)
		for _, e := range in {
			dec := ""
			if !e.end.IsZero() {
				dec = d(e.end)
			}
			fmt.Fprintf(w(ssda903.Episodes), "%s,%s,%s,%s,N1,%s,%s,%s,%s,%s,%s,%s,%s\n", ch.id, d(e.start), e.rne, e.ls, e.place, e.prov, dec, e.rec, e.rpc, e.home, e.pl, e.urn)
		}
		// One missing period inside the last episode, and a review, for some children.
		e := in[len(in)-1]
		to := end
		if !e.end.IsZero() {
			to = e.end
		}
		from := e.start
		if from.Before(start) {
			from = start
		}
		if days := int(to.Sub(from).Hours() / 24); days > 10 {
			mid := from.AddDate(0, 0, days/2)
			if ch.id[len(ch.id)-1] == '3' {
				fmt.Fprintf(w(ssda903.Missing), "%s,%s,M,%s,%s\n", ch.id, d(ch.dob), d(mid), d(mid.AddDate(0, 0, 2)))
			}
			code := "PN1"
			if mid.Before(ch.dob.AddDate(4, 0, 0)) {
				code = "PN0"
			}
			fmt.Fprintf(w(ssda903.Reviews), "%s,%s,%s,%s\n", ch.id, d(ch.dob), d(mid), code)
		}
	}
	return out
}

// readReturn parses generated tables with the real reader into a Return.
func readReturn(tb testing.TB, files map[ssda903.TableName]*bytes.Buffer, year int) *ssda903.Return {
	tb.Helper()
	r := &ssda903.Return{Council: "E08000003", Year: year, Tables: map[ssda903.TableName]*ssda903.Table{}}
	for name, buf := range files {
		ts, _, err := ssda903.ReadFrom(bytes.NewReader(buf.Bytes()), string(name)+".csv", ssda903.ReadOptions{Year: year, Council: "E08000003"})
		if err != nil {
			tb.Fatal(err)
		}
		for _, t := range ts {
			r.Tables[t.Name] = t
		}
	}
	return r
}

func episodeRows(r *ssda903.Return) int { return len(r.Table(ssda903.Episodes).Rows) }

// TestGeneratedCouncilYearFindsPlantedMistakes checks the generator and the
// rules together: the planted mistakes are found, and rules run.
func TestGeneratedCouncilYearFindsPlantedMistakes(t *testing.T) {
	kids := genHistories(2000, 7)
	ret := readReturn(t, genCouncilYear(kids, 2025), 2025)
	prev := readReturn(t, genCouncilYear(kids, 2024), 2024)
	rep := Check(ret, prev, Options{})
	if count(rep, "103") == 0 || count(rep, "526") == 0 {
		t.Fatalf("planted mistakes not found: 103=%d 526=%d", count(rep, "103"), count(rep, "526"))
	}
	// Everything else the generator writes follows the rules checked here.
	for _, f := range rep.Findings {
		if f.RuleCode != "103" && f.RuleCode != "526" {
			t.Errorf("unexpected finding %s line %d child %s: %s", f.RuleCode, f.Line, f.Child, f.Message)
		}
	}
}

// BenchmarkValidateCouncilYear validates one prepared council-year of about
// 5,000 episodes (validation only; reading is measured separately).
func BenchmarkValidateCouncilYear(b *testing.B) {
	kids := genHistories(4150, 1)
	ret := readReturn(b, genCouncilYear(kids, 2025), 2025)
	prev := readReturn(b, genCouncilYear(kids, 2024), 2024)
	rows := episodeRows(ret)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		Check(ret, prev, Options{})
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(rows), "episodes")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "episodes/s")
}

// BenchmarkParseValidate1M reads (CSV parsing with the real reader) and
// validates about 1,000,000 episode rows with their Header rows (the rules
// on the other tables have nothing to read and are skipped).
func BenchmarkParseValidate1M(b *testing.B) {
	all := genCouncilYear(genHistories(835000, 3), 2025)
	files := map[ssda903.TableName]*bytes.Buffer{ssda903.Episodes: all[ssda903.Episodes], ssda903.Header: all[ssda903.Header]}
	var size int64
	for _, f := range files {
		size += int64(f.Len())
	}
	b.SetBytes(size)
	b.ReportAllocs()
	runtime.GC() // the generator's garbage is not the reader's
	b.ResetTimer()
	rows := 0
	cpu0 := cpuTime()
	var readCPU, checkCPU int64
	var readWall, checkWall time.Duration
	for i := 0; i < b.N; i++ {
		c0, w0 := cpuTime(), time.Now()
		ret := readReturn(b, files, 2025)
		c1, w1 := cpuTime(), time.Now()
		rows = episodeRows(ret)
		Check(ret, nil, Options{})
		readCPU, checkCPU = readCPU+c1-c0, checkCPU+cpuTime()-c1
		readWall, checkWall = readWall+w1.Sub(w0), checkWall+time.Since(w1)
	}
	b.ReportMetric(float64(readCPU)/1e6/float64(b.N), "read-cpu-ms/op")
	b.ReportMetric(float64(checkCPU)/1e6/float64(b.N), "validate-cpu-ms/op")
	b.ReportMetric(float64(readWall.Milliseconds())/float64(b.N), "read-ms/op")
	b.ReportMetric(float64(checkWall.Milliseconds())/float64(b.N), "validate-ms/op")
	cpu := float64(cpuTime()-cpu0) / 1e9 / float64(b.N)
	b.ReportMetric(cpu*1e3, "cpu-ms/op")
	b.ReportMetric(float64(rows)/cpu, "episodes/cpu-s")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "episodes/s")
	b.ReportMetric(float64(rows), "episodes")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "episodes/s")
}

// TestWriteBenchCouncilYear writes a generated council-year (about 5,000
// episodes) as DfE CSV files to $SUFFICIENCY_BENCH_DIR, for timing the whole
// "sufficiency validate" process. It is skipped unless the variable is set.
func TestWriteBenchCouncilYear(t *testing.T) {
	dir := os.Getenv("SUFFICIENCY_BENCH_DIR")
	if dir == "" {
		t.Skip("set SUFFICIENCY_BENCH_DIR to write the benchmark files")
	}
	kids := genHistories(4150, 1)
	for _, year := range []int{2024, 2025} {
		sub := filepath.Join(dir, "E08000003", fmt.Sprint(year))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, buf := range genCouncilYear(kids, year) {
			f, err := os.Create(filepath.Join(sub, string(name)+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			bw := bufio.NewWriter(f)
			if _, err := io.Copy(bw, buf); err != nil {
				t.Fatal(err)
			}
			bw.Flush()
			f.Close()
		}
	}
}

// cpuTime returns the CPU time (user + system) this process has used, in
// nanoseconds. On a machine shared with other work, CPU time per operation
// is steadier than wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
