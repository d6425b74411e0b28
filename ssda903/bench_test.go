package ssda903

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// Benchmarks of the readers (docs/bench/ingest-read.md has the figures):
//
//	go test ./ssda903 -run '^$' -bench . -benchtime 5x
//
// The inputs are generated in a temporary folder, never checked in.

// writeEpisodesCSV writes a synthetic Episodes table of n rows in the DfE CSV
// layout: children of three contiguous episodes each (the last one open one
// time in four), with the mix of values real files have (blank providers and
// end dates, quoted postcodes now and then). It returns the file size.
func writeEpisodesCSV(tb testing.TB, path string, n int) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(1))
	places := []string{"U1", "U4", "U5", "U6", "K2", "P1", "K3", "A4", "S1", "T0"}
	providers := []string{"PR1", "PR4", "PR5", "PR2", "PR0"}
	legal := []string{"C1", "C2", "V2", "E1", "J2"}
	rne := []string{"P", "L", "T", "B", "U"}
	rec := []string{"E4A", "E13", "E11", "E17", "E8"}
	w.WriteString(strings.Join(Columns[Episodes], ",") + "\n")
	base := time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)
	var start time.Time
	for i := 0; i < n; i++ {
		child, k := 100000+i/3, i%3
		r := "S"
		if k == 0 {
			start = base.AddDate(0, 0, rng.Intn(3000))
		} else {
			r = rne[rng.Intn(len(rne))]
		}
		end := start.AddDate(0, 0, 1+rng.Intn(300))
		dec, reason := end.Format("02/01/2006"), "X1"
		if k == 2 {
			reason = rec[rng.Intn(len(rec))]
			if rng.Intn(4) == 0 {
				dec, reason = "", ""
			}
		}
		place := places[rng.Intn(len(places))]
		prov := providers[rng.Intn(len(providers))]
		if place == "T0" {
			prov = ""
		}
		post := fmt.Sprintf("AB%d %dCD", rng.Intn(30), rng.Intn(10))
		if i%50 == 0 {
			post = `"` + post + `"`
		}
		fmt.Fprintf(w, "%d,%s,%s,%s,N%d,%s,%s,%s,%s,%s,%s,%s,SC%06d\n", child, start.Format("02/01/2006"), r,
			legal[rng.Intn(len(legal))], 1+rng.Intn(8), place, prov, dec, reason, "CARPL", post, "XY1 2ZZ", rng.Intn(1000000))
		start = end
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// writeReturnXML writes an XML return of about n episodes (three per child).
func writeReturnXML(tb testing.TB, path string, n int) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<EXPSSDA903>\n")
	for c := 0; c < n/3; c++ {
		fmt.Fprintf(w, "<CHILD><HEADER><CHILDID>%d</CHILDID><UPN></UPN><SEX>M</SEX><DOB>01/02/2010</DOB><ETHNIC>WBRI</ETHNIC><UASC>0</UASC>"+
			"<AREVIEW><REVIEW>01/06/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW><MOTHER></MOTHER></HEADER>\n", 1000+c)
		for e := 0; e < 3; e++ {
			fmt.Fprintf(w, "<EPISODE><DECOM>0%d/05/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PL_POST>AB1 2CD</PL_POST>"+
				"<HOME_POST>EF3 4GH</HOME_POST><URN></URN><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>0%d/05/2024</DEC><REC>X1</REC>"+
				"<REASON_PLACE_CHANGE>CARPL</REASON_PLACE_CHANGE></EPISODE>\n", e+1, e+2)
		}
		w.WriteString("</CHILD>\n")
	}
	w.WriteString("</EXPSSDA903>\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// peakHeap samples the bytes in live and not yet collected heap objects
// while it runs, without stopping the world. stop returns the peak seen.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			if v := sample[0].Value.Uint64(); v > peak {
				peak = v
			}
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// liveHeap returns the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

const mib = 1 << 20

// reportPerCPU reports n per CPU-second when the platform measures CPU time
// (see cpuTime).
func reportPerCPU(b *testing.B, n float64, cpu time.Duration, unit string) {
	if cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), unit)
	}
}

func benchReadFile(b *testing.B, path string, size int64, rows int) {
	b.SetBytes(size)
	b.ReportAllocs()
	before := liveHeap()
	var peak, kept uint64
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stop := peakHeap()
		c0 := cpuTime()
		tables, _, err := ReadFile(path, ReadOptions{})
		cpu += cpuTime() - c0
		p := stop()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, t := range tables {
			if t.Name == Episodes {
				n += len(t.Rows)
			}
		}
		if n != rows {
			b.Fatalf("rows = %d, want %d", n, rows)
		}
		if p > peak {
			peak = p
		}
		if i == b.N-1 {
			b.StopTimer()
			kept = liveHeap()
			runtime.KeepAlive(tables)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportPerCPU(b, float64(rows)*float64(b.N), cpu, "rows/cpu-s")
	b.ReportMetric(float64(peak-min(peak, before))/mib, "peakMiB")
	b.ReportMetric(float64(kept-min(kept, before))/float64(rows), "keptB/row")
}

// BenchmarkReadEpisodes1M parses a 1,000,000-row Episodes CSV (about ten
// years of all of England) keeping every row.
func BenchmarkReadEpisodes1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "episodes.csv")
	size := writeEpisodesCSV(b, path, 1_000_000)
	benchReadFile(b, path, size, 1_000_000)
}

// BenchmarkReadEpisodes5000 parses one council-year of ~5,000 episodes.
func BenchmarkReadEpisodes5000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "episodes.csv")
	size := writeEpisodesCSV(b, path, 5000)
	benchReadFile(b, path, size, 5000)
}

// BenchmarkReadXML5000 parses an XML return of ~5,000 episodes.
func BenchmarkReadXML5000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "return.xml")
	size := writeReturnXML(b, path, 5001)
	benchReadFile(b, path, size, 5001)
}

// BenchmarkReadXMLTokens reads the ~5,000-episode XML return with the
// reader's own tokenizer and with every token read by encoding/xml (the
// reader before the tokenizer, still its fallback), from the same buffered
// file: the difference is the tokenizer's.
func BenchmarkReadXMLTokens(b *testing.B) {
	path := filepath.Join(b.TempDir(), "return.xml")
	size := writeReturnXML(b, path, 5001)
	for _, std := range []bool{false, true} {
		name := "own"
		if std {
			name = "encoding-xml"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				c0 := cpuTime()
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				_, err = scanXMLWith(bufio.NewReaderSize(f, 256<<10), path, func(*Table, Row) error { rows++; return nil }, &findingSink{}, std)
				f.Close()
				cpu += cpuTime() - c0
				if err != nil || rows < 5001 {
					b.Fatal(err, rows)
				}
			}
			reportPerCPU(b, 5001*float64(b.N), cpu, "episodes/cpu-s")
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

// BenchmarkScanEpisodes1M streams the 1,000,000 rows without keeping them:
// the peak heap stays flat whatever the file size.
func BenchmarkScanEpisodes1M(b *testing.B) {
	n := 1_000_000
	path := filepath.Join(b.TempDir(), "episodes.csv")
	size := writeEpisodesCSV(b, path, n)
	b.SetBytes(size)
	b.ReportAllocs()
	before := liveHeap()
	var peak uint64
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows := 0
		stop := peakHeap()
		c0 := cpuTime()
		_, err := ScanFile(path, ReadOptions{}, func(t *Table, r Row) error { rows++; return nil })
		cpu += cpuTime() - c0
		if p := stop(); p > peak {
			peak = p
		}
		if err != nil || rows != n {
			b.Fatal(err, rows)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportPerCPU(b, float64(n)*float64(b.N), cpu, "rows/cpu-s")
	b.ReportMetric(float64(peak-min(peak, before))/mib, "peakMiB")
}

// BenchmarkReadCouncilYear reads a council-year folder (Header and ~5,000
// episodes) with Read, grouping included.
func BenchmarkReadCouncilYear(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "E08000003", "2025")
	os.MkdirAll(dir, 0o755)
	writeEpisodesCSV(b, filepath.Join(dir, "episodes.csv"), 5000)
	var h strings.Builder
	h.WriteString("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
	for c := 0; c < 5000/3+1; c++ {
		fmt.Fprintf(&h, "%d,M,01/02/2010,WBRI,,,\n", 100000+c)
	}
	os.WriteFile(filepath.Join(dir, "header.csv"), []byte(h.String()), 0o644)
	b.ReportAllocs()
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		rs, _, err := Read([]string{filepath.Dir(dir)}, ReadOptions{})
		cpu += cpuTime() - c0
		if err != nil || len(rs) != 1 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(5000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkStitch1M stitches 1,000,000 episode rows (one return).
func BenchmarkStitch1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "episodes.csv")
	writeEpisodesCSV(b, path, 1_000_000)
	tables, _, err := ReadFile(path, ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	r := &Return{Council: "E08000003", Year: 2025, Tables: map[TableName]*Table{Episodes: tables[0]}}
	b.ReportAllocs()
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		h, _ := Stitch([]*Return{r})
		cpu += cpuTime() - c0
		if len(h.Episodes) == 0 {
			b.Fatal("no episodes")
		}
	}
	b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportPerCPU(b, 1e6*float64(b.N), cpu, "rows/cpu-s")
}
